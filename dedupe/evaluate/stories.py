"""Labelled story files: any collection of articles with a gold event label per article.

One JSON object per line (`docs/evaluation.md`, "Story files"):
`{"id", "title"?, "text", "story", "published"? (YYYY-MM-DD), "source"?, "url"?, "split"?,
"topic"?}`. `story` is the gold event; `topic`, when given, groups sibling stories of one
kind so that sibling-merge is defined. `dedupe eval events` scores grouping on such a file as
on ECB+, without the claim-level scores (there are no gold event mentions); `dedupe eval
findings` runs it through the pipeline as it runs ECB+ documents.

`fnc1_stories` and `ecbplus_cut` write such files from FNC-1 and ECB+
(`scripts/stories.py`).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedupe.errors import InputError
from dedupe.evaluate.ecbplus import (
    EcbDocument,
    detokenize,
    json_lines,
    stamp_date,
    to_article,
)
from dedupe.ingest.read import article_from_record
from dedupe.records import Article

# stances that say a body reports the headline's story (FNC-1's "unrelated" says it does not)
RELATED_STANCES = frozenset({"agree", "disagree", "discuss"})
# share of stories that go to dev; the rest is train (the usual 70/30 split)
DEV_SHARE = 0.3
# FNC-1 gives no dates: every item is dated this one day (its items date from 2014-2015), so
# that time says nothing of which items share a story, as in one night's news
FNC1_DAY = "2015-01-01"
CUTS = ("first", "title+first")
# how an evaluation reads its documents file: `auto` tells the two formats apart by its first line
FILE_FORMATS = ("auto", "ecbplus", "stories")


@dataclass(frozen=True)
class StoryItem:
    """One article of a story file, read as the product reads it, with its gold labels."""

    article: Article
    story: str
    topic: str | None
    split: str | None
    record: dict[str, Any]  # the line as read: a `dedupe run` input (other keys are ignored)


def is_story_file(path: str | Path) -> bool:
    """Whether a JSON-lines file is a story file (its first object has `story`) rather than
    ECB+ documents (which have `sentences` and `subtopic`)."""
    for _, item in json_lines(path):
        return "story" in item and "sentences" not in item
    return False


def reads_stories(path: str | Path, file_format: str) -> bool:
    """Whether to read the file as a story file: `stories`, or `auto` and it is one."""
    if file_format not in FILE_FORMATS:
        raise ValueError(
            f"file_format must be one of {', '.join(FILE_FORMATS)}, got {file_format!r}"
        )
    return file_format == "stories" or (file_format == "auto" and is_story_file(path))


def read_stories(path: str | Path, split: str | None = None) -> list[StoryItem]:
    """The items of a story file (only those of `split` when given); InputError names the
    line of a bad item."""
    items: list[StoryItem] = []
    seen: dict[str, str] = {}
    for where, record in json_lines(path):
        story = record.get("story")
        if story is None or (isinstance(story, str) and not story.strip()):
            raise InputError(where, 'missing "story" (the gold event label of the item)')
        if not isinstance(story, str | int):
            raise InputError(where, f'"story" must be a string or a number, not {story!r}')
        if not record.get("id"):
            raise InputError(where, 'missing "id"')
        item_split = record.get("split")
        if split is not None and item_split != split:
            continue
        article = article_from_record(record, where)
        if article.id in seen:
            raise InputError(where, f"the same article as {seen[article.id]} (same id or url)")
        seen[article.id] = where
        topic = record.get("topic")
        items.append(
            StoryItem(
                article,
                str(story),
                None if topic is None else str(topic),
                None if item_split is None else str(item_split),
                record,
            )
        )
    if not items:
        raise InputError(str(path), f"no items{f' in split {split!r}' if split else ''}")
    return items


def story_topics(items: Sequence[StoryItem]) -> dict[str, Hashable] | None:
    """Article id -> topic when every item names one, else None (sibling-merge undefined)."""
    if any(i.topic is None for i in items):
        return None
    return {i.article.id: i.topic for i in items}


def story_split(story: str, dev_share: float = DEV_SHARE) -> str:
    """`dev` or `train` for a story, from a hash of its label: the same on every machine and
    whatever else the file holds, and never splitting a story."""
    if not 0 < dev_share < 1:
        raise ValueError(f"dev_share must be between 0 and 1, got {dev_share}")
    digest = hashlib.sha1(story.encode("utf-8")).digest()
    return "dev" if int.from_bytes(digest[:8], "big") / 2**64 < dev_share else "train"


def fnc1_stories(stances: str | Path, bodies: str | Path) -> list[dict[str, Any]]:
    """FNC-1 headlines and bodies as story records: a story is a connected component of the
    graph whose edges are the related (agree, discuss, disagree) headline-body pairs. Each
    distinct headline and each body is one item, all dated `FNC1_DAY` (FNC-1 gives no
    dates)."""
    texts = {row["Body ID"]: row["articleBody"] for _, row in _csv_rows(bodies, "Body ID")}
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    headlines: dict[str, str] = {}  # headline text -> node
    for where, row in _csv_rows(stances, "Headline", "Body ID", "Stance"):
        if row["Body ID"] not in texts:
            raise InputError(where, f"body {row['Body ID']} is not in {bodies}")
        headline = " ".join(row["Headline"].split())
        node = headlines.setdefault(headline, f"h{len(headlines)}")
        body = f"b{row['Body ID']}"
        find(node)
        find(body)
        if row["Stance"].strip().lower() in RELATED_STANCES:
            parent[find(node)] = find(body)
    for body_id in texts:
        find(f"b{body_id}")
    # a story is named by its smallest body id (else its first headline), so names are stable
    members: dict[str, list[str]] = {}
    for node in parent:
        members.setdefault(find(node), []).append(node)
    name = {}
    for nodes in members.values():
        bodies_in = sorted(int(n[1:]) for n in nodes if n.startswith("b"))
        label = f"fnc1-b{bodies_in[0]}" if bodies_in else f"fnc1-{min(nodes, key=_order)}"
        name.update(dict.fromkeys(nodes, label))
    records = []
    for headline, node in headlines.items():
        story = name[node]
        # the headline is also the title: ingest drops a body line such as "Video: ..." as
        # boilerplate, never a title
        records.append({"id": f"fnc1-{node}", "title": headline, "text": headline, "story": story})
    for body_id, text in texts.items():
        story = name[f"b{body_id}"]
        records.append({"id": f"fnc1-b{body_id}", "text": text, "story": story})
    for record in records:
        record |= {"published": FNC1_DAY, "split": story_split(record["story"])}
    return records


def _order(node: str) -> int:
    return int(node[1:])


def _csv_rows(path: str | Path, *columns: str) -> Iterator[tuple[str, dict[str, str]]]:
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(str(path), f"missing column(s) {', '.join(missing)}")
            for row in reader:
                yield f"{path}:{reader.line_num}", row
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc


def sample_stories(records: Sequence[dict[str, Any]], max_stories: int) -> list[dict[str, Any]]:
    """The records of at most `max_stories` whole stories, those whose label hashes lowest
    (deterministic, and a larger sample holds every smaller one)."""
    stories = sorted({r["story"] for r in records}, key=lambda s: hashlib.sha1(s.encode()).digest())
    keep = set(stories[:max_stories])
    return [r for r in records if r["story"] in keep]


def ecbplus_cut(docs: Sequence[EcbDocument], cut: str) -> list[dict[str, Any]]:
    """ECB+ documents as short story records: `first` keeps the first sentence (an ECB+
    addition's headline, an ECB document's lede), `title+first` the first two, the first as
    title. The URL and date lines are skipped; the date the whole text states is kept as
    `published`, as a feed item carries its date. Gold subtopic, topic and split are kept."""
    if cut not in CUTS:
        raise ValueError(f"cut must be one of {', '.join(CUTS)}, got {cut!r}")
    records = []
    urls: set[str] = set()
    for doc in docs:
        full = to_article(doc).article
        sentences = [detokenize(tokens)[0] for tokens in doc.sentences]
        if full.url:
            sentences = sentences[1:]  # sentence 0 of an ECB+ addition is its URL
        kept = [s for s in sentences if s.strip() and stamp_date([s]) is None]
        if not kept:
            continue
        record: dict[str, Any] = {"id": doc.doc_id}
        if cut == "title+first" and len(kept) > 1:
            record |= {"title": kept[0], "text": kept[1]}
        else:
            record["text"] = kept[0]
        record |= {"story": doc.subtopic, "topic": str(doc.topic), "split": doc.split}
        if full.published is not None:
            record["published"] = full.published.isoformat()
        record["source"] = full.source
        if full.url and full.url not in urls:  # two ECB+ documents share a URL: keep it once
            urls.add(full.url)
            record["url"] = full.url
        records.append(record)
    return records


def describe(records: Sequence[dict[str, Any]]) -> str:
    """ "N items, M stories" overall and per split."""
    parts = [f"{len(records)} items, {len({r['story'] for r in records})} stories"]
    for split in sorted({str(r["split"]) for r in records if r.get("split")}):
        part = [r for r in records if r.get("split") == split]
        parts.append(f"{split}: {len(part)} items, {len({r['story'] for r in part})} stories")
    return "; ".join(parts)
