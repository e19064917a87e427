"""The typed records that flow through the pipeline, one frozen dataclass per stage output.

Ids are stable content hashes (see `stable_id`), so the same input gives the same ids on every
run and machine. Dicts appear only at the edges: `to_dict`/`from_dict` for SQLite and JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

Modality = Literal["asserted", "planned", "reported", "negated", "hypothetical"]
Granularity = Literal["day", "week", "month", "quarter", "year", "decade"]
Severity = Literal["error", "warning", "info"]
# most severe first, for sorting findings
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def stable_id(prefix: str, *parts: object) -> str:
    """A short, deterministic id from the given parts (order matters)."""
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:16]}"


def content_hash(text: str) -> str:
    """sha1 of a text, used to detect changed articles and to key cached vectors."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Span:
    """A character range in an article's text (`Article.text[start:end] == text`)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DateClue:
    """One piece of evidence for when an undated article was written: a title held only in
    some years, "nearly 300 days" after an event it names, a dated article of its event."""

    kind: Literal["officeholder", "anchor", "date"]
    text: str  # the words in the article, with `start`/`end` offsets into its text
    start: int
    end: int
    # the closed date intervals the clue allows (a person may have held an office twice)
    intervals: tuple[tuple[dt.date, dt.date], ...]
    note: str  # why, in one line ("Joe Biden was U.S. President 2021-01-20 to 2025-01-20")
    weight: float = 1.0
    # what the clue is about, so a check can leave out the clue it is testing
    key: str = ""
    # whether the clue agrees with the chosen window (False: outvoted by the other clues)
    agrees: bool = True


@dataclass(frozen=True)
class DateEstimate:
    """The window an undated article was most likely written in, and the clues behind it."""

    start: dt.date
    end: dt.date
    clues: tuple[DateClue, ...]
    # other windows the clues allow just as well (the latest one is chosen)
    alternatives: tuple[tuple[dt.date, dt.date], ...] = ()


@dataclass(frozen=True)
class Article:
    """One ingested news article; `text` is the cleaned body that claim offsets point into."""

    id: str
    title: str
    text: str
    source: str
    path: str
    url: str | None = None
    published: dt.date | None = None
    # where `published` came from: "input" (manifest/feed/JSON), "text" (dateline) or "inferred"
    date_origin: str | None = None
    content_hash: str = ""
    # lines removed as boilerplate, kept so an editor can see what was dropped and why
    dropped: tuple[str, ...] = ()
    # for an undated article: the window inferred from what it states (dedupe.events.dating)
    date_estimate: DateEstimate | None = None


@dataclass(frozen=True)
class Entity:
    """A named participant; `key` is the canonical key shared by name variants."""

    span: Span
    label: str
    key: str


@dataclass(frozen=True)
class TimeRef:
    """A time expression resolved to a closed date interval (None bounds when unresolved)."""

    span: Span
    start: dt.date | None
    end: dt.date | None
    granularity: Granularity | None
    approximate: bool = False
    relative: bool = False


@dataclass(frozen=True)
class Quantity:
    """A number with unit and scale normalised; `low`..`high` bound the value it claims."""

    span: Span
    value: float
    low: float
    high: float
    unit: str
    # the noun the number counts or measures ("drones", "assistance"), used to pair numbers
    head: str = ""
    approximate: bool = False


@dataclass(frozen=True)
class Role:
    """A title given to a person in the text ("former U.S. President Donald Trump")."""

    span: Span
    person: str
    person_key: str
    title: str
    office: str
    jurisdiction: str | None = None
    qualifier: str | None = None


@dataclass(frozen=True)
class Claim:
    """One event claim: who did what to whom, when, where, with which numbers and titles."""

    id: str
    article_id: str
    sentence: Span
    predicate: str
    subject: str = ""
    object: str = ""
    negated: bool = False
    modality: Modality = "asserted"
    is_headline: bool = False
    entities: tuple[Entity, ...] = ()
    times: tuple[TimeRef, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    roles: tuple[Role, ...] = ()
    places: tuple[Entity, ...] = ()
    # the date interval this claim is about: its own time expression, else the article's date
    when: tuple[dt.date, dt.date] | None = None

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def participants(self) -> frozenset[str]:
        return frozenset(e.key for e in self.entities if e.label in PARTICIPANT_LABELS)


PARTICIPANT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "PRODUCT", "EVENT"})


@dataclass(frozen=True)
class ClaimGroup:
    """Near-duplicate claims (the same statement reported by several articles)."""

    id: str
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class RepeatedClaim:
    """A statement that several articles of one event make (a group of near-duplicate claims)."""

    id: str
    text: str
    claim_ids: tuple[str, ...]
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line on an event's timeline: an article, a status change or an update."""

    date: dt.date | None
    # follow_up: an article published well after the event that its lead dates it in
    kind: Literal["article", "follow_up", "status_change", "update", "correction"]
    text: str
    article_id: str | None = None
    claim_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """A real-world event: the articles and claims that report it, with its time window."""

    id: str
    label: str
    article_ids: tuple[str, ...]
    claim_ids: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    participants: tuple[str, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    repeated: tuple[RepeatedClaim, ...] = ()  # most-repeated first


@dataclass(frozen=True)
class Evidence:
    """One side of a finding: the claim, its verbatim sentence and where it came from."""

    claim_id: str
    article_id: str
    source: str
    url: str | None
    published: dt.date | None
    quote: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class OfficeTerm:
    """One row of the officeholder table: a person held an office from `start` to `end`.

    `end` is None while in office at the dataset's snapshot; `end_scheduled` marks an end
    that is the scheduled end of a current term, not an actual one."""

    jurisdiction: str  # ISO3 country or organisation code (USA, DEU, NATO, UN, EU)
    office: str  # canonical office ("head of government", "foreign minister")
    person: str
    start: dt.date
    end: dt.date | None = None
    end_scheduled: bool = False
    title: str = ""  # the title as the source gives it
    person_id: str = ""
    qualifier: str = ""  # "acting" or "interim" when the source says so
    aliases: tuple[str, ...] = ()
    source: str = ""  # where the row's facts come from (URL or reference)
    dataset: str = ""  # wikidata, us_executive, uk_ifg, supplement or a user file


@dataclass(frozen=True)
class Finding:
    """A typed conflict between sources (or with the officeholder table), with evidence."""

    id: str
    kind: str
    severity: Severity
    confidence: float
    event_id: str
    values: tuple[str, ...]
    reason: str
    evidence: tuple[Evidence, ...]
    subject: str = ""
    # which rule of the check found it ("anachronism", "wrong_qualifier", "unverified"...)
    rule: str = ""
    # the officeholder table rows the finding rests on (the row that disagrees first)
    reference: tuple[OfficeTerm, ...] = ()


@dataclass(frozen=True)
class Change:
    """A later report that updates, corrects or changes the status of an earlier one."""

    id: str
    kind: Literal["status_change", "update", "correction"]
    event_id: str
    values: tuple[str, ...]
    reason: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class IngestFailure:
    """An input that could not be read, with the reason; it is reported, never silently lost."""

    path: str
    reason: str


@dataclass(frozen=True)
class RunStats:
    """Counts and timings of one pipeline run."""

    articles_new: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    articles_failed: int = 0
    claims: int = 0
    claims_embedded: int = 0
    events: int = 0
    events_redone: int = 0  # events described and checked this run (the others carried)
    findings: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


# ---------------------------------------------------------------- dict conversion (edges only)

R = TypeVar("R")


def to_dict(record: object) -> Any:
    """A JSON-ready dict of a record (dates as ISO strings, tuples as lists)."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, tuple | list):
        return [to_dict(x) for x in record]
    if isinstance(record, dict):
        return {k: to_dict(v) for k, v in record.items()}
    if isinstance(record, dt.date):
        return record.isoformat()
    return record


def from_dict(cls: type[R], data: Any) -> R:
    """Rebuild a record from `to_dict` output, following the dataclass type hints."""
    build: Build = _builder(typing.cast(Any, cls))
    return typing.cast(R, build(data))


Build = typing.Callable[[Any], Any]


@functools.cache
def _builder(tp: Any) -> Build:
    """A function that rebuilds a value of type `tp` from its `to_dict` form (None stays
    None), made once per type: reading a night's claims from the store called the type
    introspection it holds millions of times."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return _builder(next(a for a in typing.get_args(tp) if a is not type(None)))
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _builder(args[0])
            if item is _same:
                return _or_none(tuple)
            return _or_none(lambda data: tuple(item(x) for x in data))
        items = [_builder(a) for a in args]
        return _or_none(lambda data: tuple(b(x) for b, x in zip(items, data, strict=True)))
    if tp is dt.date:
        return _or_none(dt.date.fromisoformat)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        fields = [(name, _builder(hint)) for name, hint in _fields(tp)]
        return _or_none(lambda data: tp(**{n: b(data[n]) for n, b in fields if n in data}))
    return _same  # dicts, literals and plain values are stored as they are


def _same(data: Any) -> Any:
    return data


def _or_none(build: Build) -> Build:
    return lambda data: None if data is None else build(data)


@functools.cache
def _fields(tp: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(tp)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(tp))


def dumps(record: object) -> str:
    """Compact, key-sorted JSON of a record (stable across runs)."""
    return json.dumps(to_dict(record), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
