"""Reuters-21578 wire copy as a check on event grouping: different companies, different events.

ECB+ pairs every undated event with a dated one, so it holds no two dated look-alike events
in the same weeks. Wire copy is full of them: dozens of companies report quarterly results on
one day in the same template ("Shr 12 cts vs 10 cts / Net 1.2 mln vs 900,000"). Reuters titles
name each company's ticker ("Pittway Corp <PRY> 4th Qtr Net"), so two articles whose titles name
disjoint sets of tickers report different events: silver negative pairs, used to fit the
same-event model beside ECB+ (`dedupe eval events --tune --reuters DIR`) and to count false
merges (`dedupe eval events --reuters DIR`).
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dedupe.claims.extract import Progress, no_progress
from dedupe.errors import InputError
from dedupe.events.embed import Embedder
from dedupe.events.grouping import candidate_pairs, update_events
from dedupe.events.profiles import Profile, build_profiles
from dedupe.settings import Settings

_DOC = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TICKER = re.compile(r"<([A-Za-z][A-Za-z.]*)>")
# the articles (in file and id order) that fit the model and the ones that check it: apart
TUNE_SLICE = (1000, 2500)
CHECK_SLICE = (0, 800)


def _field(doc: str, name: str) -> str:
    match = re.search(rf"<{name}>(.*?)</{name}>", doc, re.DOTALL)
    return _CONTROL.sub("", html.unescape(match.group(1))).strip() if match else ""


def read_reuters(folder: str | Path) -> Iterator[dict[str, str]]:
    """Reuters documents as dedupe article records, in file and id order, skipping those
    without a body or a date; the publish date is the <DATE> field (1987)."""
    paths = sorted(Path(folder).glob("reut2-*.sgm"))
    if not paths:
        raise InputError(str(folder), "no Reuters-21578 files (reut2-*.sgm) in this folder")
    for path in paths:
        raw = path.read_bytes().decode("latin-1")
        for newid, doc in _DOC.findall(raw):
            body = _field(doc, "BODY")
            day = re.search(r"\d{1,2}-[A-Z]{3}-\d{4}", _field(doc, "DATE").upper())
            if not body or day is None:
                continue
            body = re.sub(r"\s*Reuter\s*$", "", body)
            # paragraphs are indented lines; re-flow the hard-wrapped lines in between
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s{3,}", body)]
            yield {
                "id": f"reuters-{newid}",
                "title": _field(doc, "TITLE").title(),
                "text": "\n".join(p for p in paragraphs if p),
                "source": "Reuters",
                "published": dt.datetime.strptime(day.group(0), "%d-%b-%Y").date().isoformat(),
                "url": f"https://reuters21578.example/{newid}",
            }


def tickers(title: str) -> frozenset[str]:
    """The ticker symbols a Reuters title names: "Banner <Bnr> Completes Tender For Rexnord
    <Rex>" -> {"BNR", "REX"}."""
    return frozenset(t.upper() for t in _TICKER.findall(title))


@dataclass(frozen=True)
class WireSlice:
    """Reuters articles analysed by the pipeline: their profiles and the tickers they name."""

    profiles: list[Profile]
    tickers: dict[str, frozenset[str]]


def load_slice(
    folder: str | Path,
    first: int,
    stop: int,
    settings: Settings,
    store_path: str | Path | None = None,
    progress: Progress = no_progress,
    embedder: Callable[[], Embedder] | None = None,
) -> WireSlice:
    """Articles `first` to `stop` (exclusive) of the folder, through spaCy and MiniLM."""
    from dedupe.evaluate.corpus import analyse
    from dedupe.ingest.read import article_from_record

    records = list(itertools.islice(read_reuters(folder), first, stop))
    articles = [article_from_record(r, r["id"]) for r in records]
    analysed = analyse(articles, settings, store_path, progress=progress, embedder=embedder)
    profiles = build_profiles(articles, analysed.claims, analysed.X)
    names = {a.id: tickers(r["title"]) for a, r in zip(articles, records, strict=True)}
    return WireSlice(profiles, names)


def different_companies(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two titles name tickers and no ticker in common."""
    return bool(a and b) and not a & b


def negative_pairs(wire: WireSlice, settings: Settings) -> list[tuple[Profile, Profile]]:
    """The candidate pairs (as grouping scores them) of articles on different companies."""
    ordered = sorted(wire.profiles, key=lambda p: p.article.id)
    return [
        (a, b)
        for a, b in candidate_pairs(ordered, [], settings)
        if different_companies(wire.tickers[a.article.id], wire.tickers[b.article.id])
    ]


@dataclass(frozen=True)
class FalseMerges:
    """How many same-event pairs of ticker-naming articles name different companies."""

    merged: int  # pairs in one event whose titles both name tickers
    different: int  # of which the tickers are disjoint: certainly two events
    largest: int  # articles in the largest event

    def describe(self) -> str:
        return (
            f"{self.different} of {self.merged} pairs put in one event name different "
            f"companies; the largest event holds {self.largest} articles"
        )


def false_merges(
    groups: Iterable[Sequence[str]], names: Mapping[str, frozenset[str]]
) -> FalseMerges:
    """Count, over the events `groups`, the pairs of articles whose titles (`names`: article
    id -> tickers) name companies, and those that name different ones."""
    merged = different = largest = 0
    for group in groups:
        largest = max(largest, len(group))
        for a, b in itertools.combinations(group, 2):
            if names[a] and names[b]:
                merged += 1
                different += different_companies(names[a], names[b])
    return FalseMerges(merged, different, largest)


def group_slice(wire: WireSlice, settings: Settings) -> list[tuple[str, ...]]:
    """The events dedupe forms over the slice (batch grouping)."""
    return list(update_events(None, wire.profiles, settings).groups)
