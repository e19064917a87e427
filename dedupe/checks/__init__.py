"""The consistency pass: a family of checks run on each event, gathered in one registry.

Every check has the signature `check(ctx: EventContext) -> Iterable[Finding | Change]`.
A `Finding` is a conflict an editor must look at; a `Change` (a status change, an update, a
correction) goes on the event's timeline instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from dedupe.claims.names import fold, place_code
from dedupe.events.profiles import folded_words, lead_apartness, lead_names, text_words
from dedupe.records import (
    SEVERITY_ORDER,
    Article,
    Change,
    Claim,
    Entity,
    Event,
    Evidence,
    Finding,
    Quantity,
    Span,
    TimeRef,
    stable_id,
)
from dedupe.settings import Settings

# a later article that says it corrects an earlier report: its disagreements are corrections
_CORRECTION = re.compile(
    r"\bcorrections?\s*:|\ban earlier version of this (article|story|report)|"
    r"\bthis (article|story|report) (has been|was) (corrected|updated to correct)|"
    r"\b(correcting|corrects) (an )?earlier (report|version)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")
# an event's claim similarities are computed this many floats (16 MB) at a time, so a story of
# 500 articles x 30 claims never holds its dense 15,000 x 15,000 matrix (0.9 GB); events of up
# to 2,048 claims are one block, the same product as the whole matrix
BLOCK_FLOATS = 1 << 22


@dataclass(frozen=True)
class Mentions:
    """Everything one article says anywhere, so a check can tell a contradicted value from
    one the other article also gives (a value supported somewhere is never a conflict)."""

    words: str  # " " + folded words of the whole article + " "
    keys: frozenset[str]
    initials: frozenset[str]  # acronyms of its multi-word names ("eu" for European Union)
    quantities: tuple[Quantity, ...]
    times: tuple[TimeRef, ...]
    forms: frozenset[str] = frozenset()  # its names' forms (`name_forms`)

    def names(self, entity: Entity) -> bool:
        """Whether the article names this entity (by key, wording, acronym or country)."""
        if entity.key in self.keys:
            return True
        words = _words(entity.span.text)
        if words and f" {' '.join(words)} " in self.words:
            return True
        if len(words) == 1 and words[0] in self.initials:
            return True
        if len(words) > 1 and f" {acronym(entity.span.text)} " in self.words:
            return True
        forms = name_forms(entity.span.text)
        return bool(forms & self.forms) or any(
            f" {a} " in self.words for a in name_acronyms(entity.span.text)
        )


def _words(text: str) -> list[str]:
    return _WORD.findall(fold_text(text))


def fold_text(text: str) -> str:
    """Lowercase ASCII with dots dropped ("U.S." -> "us"), for wording comparisons."""
    return " ".join(fold(w) or w.lower() for w in text.replace(".", "").split())


_MINOR = {"of", "the", "and", "for", "de", "du", "la", "&"}


def acronym(text: str) -> str:
    """Initials of a multi-word name: "European Union" -> "eu"."""
    return "".join(w[0] for w in text.lower().split() if w not in _MINOR and w[:1].isalpha())


# an agency named either way round: "Transportation Department" = "Department of Transportation"
_BODIES = "department|ministry|agency|office|bureau|commission|administration|council"
_X_BODY = re.compile(rf"^(?P<what>[a-z]+(?: [a-z]+)?) (?P<body>{_BODIES})$")
_BODY_OF_X = re.compile(rf"^(?P<body>{_BODIES}) of (?P<what>[a-z]+(?: [a-z]+)?)$")
# a country before an agency's name ("U.S. Department of Transportation")
_COUNTRIES = {"us", "uk", "british", "american", "federal"}


def name_forms(text: str) -> frozenset[str]:
    """The forms of a name that name the same body: folded, without "the" or a country in
    front, and an agency either way round ("The U.S. Department of Transportation" ->
    "department of transportation", "transportation department")."""
    words = _words(text)
    if words[:1] == ["the"]:
        words = words[1:]
    forms = {" ".join(words)}
    if len(words) > 2 and words[0] in _COUNTRIES:
        forms.add(" ".join(words[1:]))
    for form in list(forms):
        if m := _X_BODY.match(form):
            forms.add(f"{m['body']} of {m['what']}")
        elif m := _BODY_OF_X.match(form):
            forms.add(f"{m['what']} {m['body']}")
    return frozenset(f for f in forms if f)


def name_acronyms(text: str) -> frozenset[str]:
    """Acronyms of a name's multi-word forms, with and without "of" and "the", of three
    letters or more ("Transportation Department" -> "dot", "dt" left out: two letters match
    common words)."""
    found = set()
    for form in name_forms(text):
        words = form.split()
        if len(words) > 1:
            found.add("".join(w[0] for w in words))
            found.add("".join(w[0] for w in words if w not in _MINOR))
    return frozenset(a for a in found if len(a) >= 3)


def same_body(x: str, y: str) -> bool:
    """Whether two names name one body: a shared form, or one the acronym of the other ("DOT"
    and "The Transportation Department")."""
    fx, fy = name_forms(x), name_forms(y)
    return bool(fx & fy or fx & name_acronyms(y) or fy & name_acronyms(x))


def _hypothetical(a: Claim, b: Claim) -> bool:
    return a.modality == "hypothetical" or b.modality == "hypothetical"


def local(claim: Claim, span: Span) -> tuple[int, int]:
    """A mention's character range within its claim's sentence (spans count in the article)."""
    return span.start - claim.sentence.start, span.end - claim.sentence.start


def _named(claim: Claim) -> Iterator[str]:
    """The texts of a claim's sentence and of the entities it names."""
    yield claim.text
    yield from (e.span.text for e in claim.entities)


def led_apart(
    lead_a: frozenset[str], words_a: frozenset[str], lead_b: frozenset[str], words_b: frozenset[str]
) -> bool:
    """Whether two articles report on other actors: each lead (title and first sentence)
    names someone (`events.profiles.lead_names`) and the other article never names any of
    them ("Pittway Corp 4th Qtr Net" and "Kevex Corp 2nd Qtr Net", grouped as one event by
    their template). What either says is about another happening: another company's
    figures, another bond's listing."""
    return lead_apartness(lead_a, words_a, lead_b, words_b) == 1.0


def similarity_rows(
    X: np.ndarray, block_floats: int = BLOCK_FLOATS
) -> Iterator[tuple[int, np.ndarray]]:
    """Each row r of `X @ X.T` in order, as (r, row), computed a block of rows at a time so
    memory stays near `block_floats` floats however many rows X has."""
    if block_floats < 1:
        raise ValueError(f"block_floats must be at least 1, got {block_floats}")
    step = max(1, block_floats // max(len(X), 1))
    for start in range(0, len(X), step):
        block = X[start : start + step] @ X.T
        for offset, row in enumerate(block):
            yield start + offset, row


def stated_times(claim: Claim) -> list[tuple[dt.date, dt.date]]:
    """The resolved intervals of the time expressions a claim states itself."""
    return [(t.start, t.end) for t in claim.times if t.start is not None and t.end is not None]


def different_times(a: Claim, b: Claim) -> bool:
    """Whether both claims say when they speak of and no time of one meets a time of the
    other ("Exports in January totalled 123,000 bpd" / "Last year, it exported an average of
    173,500 bpd"): two happenings, whatever their values. A claim that states no time of
    its own may be about any time of its article, so it is never told apart this way."""
    ta, tb = stated_times(a), stated_times(b)
    return bool(ta and tb) and not any(x0 <= y1 and y0 <= x1 for x0, x1 in ta for y0, y1 in tb)


def same_place(a: Entity, b: Entity) -> bool:
    """Whether two names are one place or one inside the other by the gazetteer."""
    ca, cb = place_code(a.span.text), place_code(b.span.text)
    return ca is not None and ca == cb


@dataclass(frozen=True)
class Settled:
    """What the last run already compared in an event (`dedupe.nightly`): the last run's
    event of each unchanged article, whose article pairs were all checked then, and the
    findings and changes those pairs gave, moved to this event. Officeholder findings are
    judged on the whole event and never carried."""

    groups: Mapping[str, str]  # article id -> the last run's event it was checked in
    findings: tuple[Finding, ...] = ()
    changes: tuple[Change, ...] = ()


@dataclass
class EventContext:
    """What a check may look at: one event, its claims (with vectors) and their articles.
    Checks compare claims of two articles only when the last run did not (`Settled`)."""

    event: Event
    claims: list[Claim]
    vectors: np.ndarray  # rows parallel to `claims`
    articles: dict[str, Article]
    settings: Settings
    # the officeholder table, when one is loaded (see dedupe.knowledge.officeholders)
    kb: Any = None
    groups: Mapping[str, str] = field(default_factory=dict)  # `Settled.groups`
    _mentions: dict[str, Mentions] = field(default_factory=dict, repr=False)
    _aligned: dict[tuple[float, int, bool], list[tuple[Claim, Claim, float]]] = field(
        default_factory=dict, repr=False
    )

    def published(self, claim: Claim) -> dt.date | None:
        return self.articles[claim.article_id].published

    def cross_pairs(self, min_similarity: float) -> Iterator[tuple[Claim, Claim, float]]:
        """Claim pairs from different articles at least this similar, earlier article first;
        hypothetical claims ("could cost $5,000", questions) assert nothing, and articles
        led by other actors (`led_apart`) tell of other happenings: both are left out."""
        for r, row in similarity_rows(self.vectors):
            later = (min_similarity <= row[r + 1 :]) & self._comparable(r)[r + 1 :]
            for c in (np.nonzero(later)[0] + r + 1).tolist():
                a, b = self.claims[r], self.claims[c]
                if _hypothetical(a, b):
                    continue
                first, second = self.ordered(a, b)
                yield first, second, float(row[c])

    def aligned_pairs(
        self, min_similarity: float, top: int = 2, led_apart: bool = False
    ) -> list[tuple[Claim, Claim, float]]:
        """Each claim with the claims of its `top` most similar sentences in every other
        article (at least `min_similarity`): each pair once, earlier article first, none of
        them hypothetical, and none of articles led by other actors (`led_apart`) unless
        asked: the name check compares exactly those names. Made once per event for each
        threshold (five checks ask for the same)."""
        key = (min_similarity, top, led_apart)
        if key not in self._aligned:
            self._aligned[key] = list(self._aligned_pairs(min_similarity, top, led_apart))
        return self._aligned[key]

    def _aligned_pairs(
        self, min_similarity: float, top: int, led_apart: bool
    ) -> Iterator[tuple[Claim, Claim, float]]:
        seen: set[tuple[str, str]] = set()
        for r, row in similarity_rows(self.vectors):
            a = self.claims[r]
            best: dict[str, dict[int, float]] = {}
            near = (min_similarity <= row) & self._comparable(r, led_apart)
            for c in np.nonzero(near)[0].tolist():
                b = self.claims[c]
                best.setdefault(b.article_id, {})[b.sentence.start] = float(row[c])
            for article_id, sentences in best.items():
                chosen = sorted(sentences, key=lambda k: -sentences[k])[:top]
                for c in self._rows_of(article_id):
                    b = self.claims[c]
                    if b.sentence.start not in chosen or _hypothetical(a, b):
                        continue
                    x, y = self.ordered(a, b)
                    if (x.id, y.id) not in seen:
                        seen.add((x.id, y.id))
                        yield x, y, float(row[c])

    def _comparable(self, row: int, led_apart: bool = False) -> np.ndarray:
        """For each claim, whether a check may compare it with claim `row`: not `settled`
        with it and, unless `led_apart` is allowed, not of an article led apart from its."""
        group, article = self._group_rows, self._article_rows
        others = group != group[row]
        return others if led_apart else others & ~self._apart[article[row]][article]

    @cached_property
    def _article_rows(self) -> np.ndarray:
        """The number of each claim's article (in order of first claim, as `_apart`)."""
        number = {a: n for n, a in enumerate(self._rows_by_article)}
        return np.array([number[c.article_id] for c in self.claims], dtype=np.int64)

    @cached_property
    def _apart(self) -> np.ndarray:
        """Which pairs of the event's articles (numbered as `_article_rows`) are led apart."""
        ids = list(self._rows_by_article)
        claims = {a: [self.claims[r] for r in self._rows_of(a)] for a in ids}
        leads = {a: lead_names(claims[a]) for a in ids}
        # the article's words, with its claims' sentences and entities (an article held
        # without its text still names what they name)
        words = {
            a: text_words(self.articles[a])
            | folded_words(" ".join(t for c in claims[a] for t in _named(c)))
            for a in ids
        }
        apart = np.zeros((len(ids), len(ids)), dtype=bool)
        for i, a in enumerate(ids):
            for j in range(i + 1, len(ids)):
                b = ids[j]
                apart[i, j] = apart[j, i] = led_apart(leads[a], words[a], leads[b], words[b])
        return apart

    def settled(self, a: Claim, b: Claim) -> bool:
        """Whether two claims are never compared: claims of one article, or of two articles
        the last run compared in one event (`Settled`)."""
        return self._group(a) == self._group(b)

    def _group(self, claim: Claim) -> tuple[str, str]:
        group = self.groups.get(claim.article_id)
        return ("event", group) if group else ("article", claim.article_id)

    @cached_property
    def _group_rows(self) -> np.ndarray:
        """A number per claim, the same for claims never compared with each other
        (`settled`)."""
        numbers: dict[tuple[str, str], int] = {}
        keys = [self._group(c) for c in self.claims]
        return np.array([numbers.setdefault(k, len(numbers)) for k in keys], dtype=np.int64)

    def _rows_of(self, article_id: str) -> list[int]:
        return self._rows_by_article.get(article_id, [])

    @cached_property
    def _rows_by_article(self) -> dict[str, list[int]]:
        rows: dict[str, list[int]] = {}
        for i, claim in enumerate(self.claims):
            rows.setdefault(claim.article_id, []).append(i)
        return rows

    def mentions(self, article_id: str) -> Mentions:
        """What the article says anywhere in this event (cached per article)."""
        if article_id not in self._mentions:
            claims = [self.claims[i] for i in self._rows_of(article_id)]
            entities = [e for c in claims for e in (*c.entities, *c.places)]
            self._mentions[article_id] = Mentions(
                words=f" {' '.join(_words(self.articles[article_id].text))} ",
                keys=frozenset(e.key for e in entities),
                initials=frozenset(
                    acronym(e.span.text) for e in entities if len(e.span.text.split()) > 1
                )
                | {a for e in entities for a in name_acronyms(e.span.text)},
                forms=frozenset(f for e in entities for f in name_forms(e.span.text)),
                quantities=tuple(q for c in claims for q in c.quantities),
                times=tuple(t for c in claims for t in c.times),
            )
        return self._mentions[article_id]

    def corrects(self, later: Article, earlier: Article) -> bool:
        """Whether `later` was published after `earlier` and says it corrects a report."""
        if later.published is None or earlier.published is None:
            return False
        return later.published > earlier.published and bool(_CORRECTION.search(later.text))

    def ordered(self, a: Claim, b: Claim) -> tuple[Claim, Claim]:
        """The two claims, earlier article first."""
        return (b, a) if self._order(b) < self._order(a) else (a, b)

    def similarity(self, a: Claim, b: Claim) -> float:
        """Cosine similarity of two of the event's claims."""
        return float(self.vectors[self._row[a.id]] @ self.vectors[self._row[b.id]])

    @cached_property
    def _row(self) -> dict[str, int]:
        return {c.id: i for i, c in enumerate(self.claims)}

    def _order(self, claim: Claim) -> tuple[dt.date, str]:
        return (self.published(claim) or dt.date.max, claim.article_id)

    def evidence(self, claim: Claim, value: str) -> Evidence:
        article = self.articles[claim.article_id]
        return Evidence(
            claim_id=claim.id,
            article_id=article.id,
            source=article.source,
            url=article.url,
            published=article.published,
            quote=claim.text,
            start=claim.sentence.start,
            end=claim.sentence.end,
            value=value,
        )

    def when(self, claim: Claim) -> str:
        published = self.published(claim)
        return published.isoformat() if published else "undated"


Check = Callable[[EventContext], Iterable[Finding | Change]]


def finding_id(kind: str, subject: str, values: Sequence[str], anchors: Sequence[str]) -> str:
    """Stable across runs: the conflict's kind, subject, values and first claim on each side."""
    return stable_id("fnd", kind, subject, *sorted(values), *sorted(anchors))


def change_id(kind: str, before: Claim, after: Claim) -> str:
    return stable_id("chg", kind, before.id, after.id)


def as_correction(ctx: EventContext, finding: Finding) -> Change | None:
    """The finding as a correction when its latest side says it corrects an earlier report."""
    sides = sorted(finding.evidence, key=lambda e: (e.published or dt.date.max, e.article_id))
    later = ctx.articles[sides[-1].article_id]
    earlier = {ctx.articles[e.article_id] for e in sides[:-1]}
    if not earlier or not all(ctx.corrects(later, a) for a in earlier):
        return None
    old = " / ".join(dict.fromkeys(e.value for e in sides[:-1]))
    return Change(
        id=stable_id("chg", "correction", finding.id),
        kind="correction",
        event_id=finding.event_id,
        values=(old, sides[-1].value),
        reason=(
            f"{later.source} ({later.published}) says it corrects an earlier report: "
            f"'{old}' became '{sides[-1].value}'. A correction, not a contradiction."
        ),
        evidence=tuple(sides),
    )


def registry() -> dict[str, Check]:
    """Every check by name (imported here so each stays a small, separate module)."""
    from dedupe.checks import antonyms, dates, entities, numbers, officeholders, outcomes, places

    return {
        "officeholders": officeholders.check,
        "outcomes": outcomes.check,
        "numbers": numbers.check,
        "dates": dates.check,
        "places": places.check,
        "names": entities.check,
        "antonyms": antonyms.check,
    }


@dataclass
class Checked:
    """What the checks found: findings (one per disputed fact), changes, and each checked
    event's pair findings (all but officeholder ones, before merging), which a later run
    carries over for the article pairs it does not compare again (`Settled`)."""

    findings: list[Finding]
    changes: list[Change]
    compared: dict[str, tuple[Finding, ...]]


def find_conflicts(
    events: Sequence[Event],
    claims_by_id: dict[str, Claim],
    rows_by_claim: dict[str, int],
    X: np.ndarray,
    articles: dict[str, Article],
    settings: Settings,
    kb: Any = None,
    checks: dict[str, Check] | None = None,
    on_error: Callable[[Event, Exception], None] | None = None,
    settled: Mapping[str, Settled] | None = None,
) -> Checked:
    """The checks of all events; findings without evidence are dropped. With `on_error`, an
    event whose checks raise is handed to it and gives nothing (and no pair findings), and
    the other events are checked; without, the error propagates. `settled` gives, per event
    id, what the last run compared of it: those pairs are carried, not compared again."""
    findings: dict[str, Finding] = {}
    changes: dict[str, Change] = {}
    compared: dict[str, tuple[Finding, ...]] = {}
    for event in events:
        done = (settled or {}).get(event.id, Settled({}))
        claims = [claims_by_id[c] for c in event.claim_ids]
        vectors = X[[rows_by_claim[c.id] for c in claims]] if claims else X[:0]
        ctx = EventContext(event, claims, vectors, articles, settings, kb, done.groups)
        try:
            items = [item for check in (checks or registry()).values() for item in check(ctx)]
        except Exception as exc:
            if on_error is None:
                raise
            on_error(event, exc)
            continue
        found: dict[str, Finding] = {}
        for item in items:
            if isinstance(item, Finding):
                item = as_correction(ctx, item) or item
            if isinstance(item, Finding):
                if item.evidence:
                    found.setdefault(item.id, item)
            else:
                changes.setdefault(item.id, item)
        for carried in done.findings:
            found.setdefault(carried.id, carried)
        for change in done.changes:
            changes.setdefault(change.id, change)
        findings.update(found)
        compared[event.id] = tuple(f for f in found.values() if f.kind != "officeholder")
    return Checked(
        sorted(
            merge_findings(once_per_sentences(findings.values())),
            key=lambda f: (f.event_id, f.kind, f.id),
        ),
        sorted(changes.values(), key=lambda c: (c.event_id, c.id)),
        compared,
    )


def once_per_sentences(findings: Iterable[Finding]) -> list[Finding]:
    """One finding of a kind per set of quoted sentences: two claims of one sentence pair
    (or two checks: the outcome and antonym checks both see an inserted negation) make one
    finding, the most severe, then the one whose values say most ("not rip the $800 million
    contract" over "did not happen"). Titles are judged person by person."""
    best: dict[tuple[str, str, frozenset[tuple[str, int]]], Finding] = {}
    kept = []
    ranked = sorted(
        findings, key=lambda f: (SEVERITY_ORDER[f.severity], -sum(map(len, f.values)), f.id)
    )
    for f in ranked:
        if f.kind == "officeholder":
            kept.append(f)
            continue
        key = (f.event_id, f.kind, frozenset((e.article_id, e.start) for e in f.evidence))
        best.setdefault(key, f)
    return kept + list(best.values())


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per disputed fact of an event: findings of one kind and subject that
    dispute the same values (however written: "AJ Butler" = "A.J. Butler") become one, with
    every source on each side and how many support each value, so an editor sees the
    outlier instead of a finding per pair of claims."""
    groups: dict[tuple[str, str, str, frozenset[str]], list[Finding]] = {}
    for f in findings:
        key = (f.event_id, f.kind, f.subject, frozenset(_value_key(v) for v in f.values))
        groups.setdefault(key, []).append(f)
    merged = []
    for (event_id, kind, subject, _), group in groups.items():
        if len(group) == 1 or kind == "officeholder":
            merged.extend(group)
            continue
        evidence = tuple({e.claim_id: e for f in group for e in f.evidence}.values())
        sides: dict[str, list[Evidence]] = {}
        for e in evidence:
            sides.setdefault(_value_key(e.value), []).append(e)
        ranked = sorted(sides.values(), key=lambda side: (-len(side), side[0].value))
        tally = "; ".join(
            f"{len({e.article_id for e in side})} source(s) give '{side[0].value}' "
            f"({', '.join(sorted({e.source for e in side}))})"
            for side in ranked
        )
        first = min(group, key=lambda f: f.id)
        merged.append(
            dataclasses.replace(
                first,
                id=finding_id(kind, subject, first.values, ["merged", event_id]),
                severity=min((f.severity for f in group), key=SEVERITY_ORDER.__getitem__),
                confidence=max(f.confidence for f in group),
                reason=f"{first.reason} Across the event: {tally}.",
                evidence=evidence,
            )
        )
    return merged


def _value_key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_text(value))
