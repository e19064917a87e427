"""The officeholder table: who held which office when, and what a title in an article means.

The bundled table (`knowledge/data/`, built by `scripts/build_officeholders.py` from
Wikidata, the US executive list and the IfG UK ministers database, plus a curated supplement)
can be extended with user CSVs of the same columns. Each dataset has a snapshot date: after
it the table's silence means "unknown", not "wrong"; the state at the snapshot is presumed to
last `PRESUME_DAYS` more, and a term with a scheduled end (a US president's) until that end.

Titles are normalised to table offices: "U.S. President", "President of the United States"
and "US President" are the head of state of USA; "Chancellor" is the head of government in
Germany and the finance minister in Britain; qualifiers (former, acting, -elect...) are kept
as a tense, not as another office, while "vice"/"deputy" do make another office.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from dedupe.claims.names import fold, person_key
from dedupe.claims.roles import parse_title
from dedupe.errors import InputError, UsageError
from dedupe.knowledge import daysets
from dedupe.knowledge.daysets import DaySet
from dedupe.records import OfficeTerm, Role

COLUMNS = [
    "jurisdiction",
    "office",
    "title",
    "person",
    "person_id",
    "start",
    "end",
    "end_scheduled",
    "qualifier",
    "aliases",
    "source",
    "dataset",
]
REQUIRED = ("jurisdiction", "office", "person", "start", "source")
# After a dataset's snapshot its last known state is presumed for this long: offices rarely
# change hands within a quarter, and past it a presumption is too weak to call a title wrong.
PRESUME_DAYS = 90
_PRESUME = dt.timedelta(days=PRESUME_DAYS)
_BUNDLED = ("officeholders.csv", "supplement.csv")

Status = Literal["current", "former", "elect", "historical"]
_TENSES: dict[str, Status] = {
    "former": "former",
    "then": "historical",
    "late": "historical",
    "elect": "elect",
    "designate": "elect",
    "incoming": "elect",
}
# titles whose table office has another name; the rest are table offices themselves ("leader"
# is not one: party, opposition and "paramount" leaders hold no office the table lists)
_TABLE_OFFICES = {
    "president": ("head of state",),
    "prime minister": ("head of government",),
    "premier": ("head of government",),
    "head of state": ("head of state",),
    "king": ("head of state",),
    "queen": ("head of state",),
    "emperor": ("head of state",),
    "secretary of state": ("foreign minister",),
}
# "Chancellor" heads the government in Germany and Austria, runs the Treasury in Britain
_CHANCELLOR = {"DEU": ("head of government",), "AUT": ("head of government",)}
_CHANCELLOR_GBR = ("finance minister",)
_PREFIXES = {"white house": "USA", "pentagon": "USA", "state department": "USA"}
_NAME_NOISE = {"mr", "mrs", "ms", "dr", "sir", "lord", "lady", "prof", "jr", "sr", "ii", "iii"}


@dataclass(frozen=True)
class Office:
    """A title normalised against the table: the table offices it may name, where, and the
    tense its qualifiers give it."""

    offices: tuple[str, ...]
    jurisdiction: str | None
    status: Status = "current"

    @property
    def label(self) -> str:
        where = f" of {self.jurisdiction}" if self.jurisdiction else ""
        return f"{' or '.join(self.offices)}{where}"


@dataclass(frozen=True)
class Tenure:
    """What the table says about one person in one office (or their namesakes in it)."""

    terms: tuple[OfficeTerm, ...]  # the person's terms, oldest first
    held: DaySet  # days they held it (open terms run on; intersect with `known`)
    known: DaySet  # days the table speaks for, presumption included
    snapshot: dt.date  # days after it are presumed

    def wrong(self, status: Status) -> DaySet:
        """Known days on which a title of this tense would be wrong."""
        if status == "current":
            return daysets.subtract(self.known, self.held)
        if status == "former":
            first = min((t.start for t in self.terms), default=dt.date.max)
            never_yet = daysets.span(dt.date.min, first) if self.terms else self.known
            return daysets.intersect(self.known, daysets.union(self.held, never_yet))
        if status == "elect":
            return daysets.intersect(self.known, self.held)
        return daysets.EMPTY

    def right(self, status: Status) -> DaySet:
        return daysets.subtract(self.known, self.wrong(status))


class Officeholders:
    """The officeholder table with its indexes; build it with `load_officeholders`."""

    def __init__(self, terms: Iterable[OfficeTerm], snapshots: dict[str, dt.date]) -> None:
        self.terms = sorted(terms, key=lambda t: (t.jurisdiction, t.office, t.start, t.person))
        self.snapshots = snapshots
        self.offices = {t.office for t in self.terms}
        self._by_office: dict[tuple[str, str], list[OfficeTerm]] = defaultdict(list)
        self._by_name: dict[str, list[OfficeTerm]] = defaultdict(list)
        for term in self.terms:
            self._by_office[(term.office, term.jurisdiction)].append(term)
            for key in {k for name in (term.person, *term.aliases) for k in _surname_keys(name)}:
                self._by_name[key].append(term)

    def __len__(self) -> int:
        return len(self.terms)

    def snapshot(self, office: str, jurisdiction: str) -> dt.date | None:
        """The latest snapshot among the datasets that have rows for this office."""
        rows = self._by_office.get((office, jurisdiction), [])
        return max((self.snapshots[t.dataset] for t in rows), default=None)

    def jurisdictions(self, office: str) -> set[str]:
        return {j for (o, j) in self._by_office if o == office}

    def person_terms(self, name: str, key: str | None = None) -> list[OfficeTerm]:
        """Every term of the people the name can refer to ("Trump", "Volodymyr Zelenskyy")."""
        words = _name_words(name)
        surname = _sound((key or person_key(name)).removeprefix("per:"))
        found = [t for t in self._by_name.get(surname, []) if _same_person(words, surname, t)]
        return sorted(found, key=lambda t: (t.start, t.office, t.jurisdiction))

    def tenure(self, office: Office, terms: Sequence[OfficeTerm], until: dt.date | None) -> Tenure:
        """The person's `terms` of `office` as day sets; `until` replaces the presumption
        horizon (dating presumes the last known state up to the day of the run)."""
        mine = tuple(
            t
            for t in terms
            if t.office in office.offices
            and (office.jurisdiction is None or t.jurisdiction == office.jurisdiction)
        )
        places = (
            [(o, office.jurisdiction) for o in office.offices]
            if office.jurisdiction
            else sorted({(t.office, t.jurisdiction) for t in mine})
        )
        known: list[DaySet] = []
        snapshot = dt.date.min
        for place in places:
            rows = self._by_office.get(place, [])
            if not rows:
                continue
            last = max(self.snapshots[t.dataset] for t in rows)
            snapshot = max(snapshot, last)
            horizon = until or last + _PRESUME
            first = min(t.start for t in rows)
            known.append(daysets.span(first, max(horizon, last)))
            # a current term with a scheduled end is presumed to run to it
            known.append(
                daysets.dayset((t.start, t.end) for t in rows if t.end_scheduled and t.end)
            )
        held = daysets.dayset((t.start, t.end or dt.date.max) for t in mine)
        return Tenure(mine, held, daysets.union(*known), snapshot)

    def holders(
        self, office: Office, first: dt.date, last: dt.date, horizon: dt.date | None = None
    ) -> list[OfficeTerm]:
        """Terms of the office overlapping `first`..`last`; open terms are presumed to go on
        to `horizon`, by default `PRESUME_DAYS` past their snapshot."""
        places = (
            [(o, office.jurisdiction) for o in office.offices]
            if office.jurisdiction
            else [p for p in self._by_office if p[0] in office.offices]
        )
        out = []
        for place in places:
            for term in self._by_office.get(place, []):
                end = term.end or horizon or self.snapshots[term.dataset] + _PRESUME
                if term.start <= last and first <= end:
                    out.append(term)
        return sorted(out, key=lambda t: (t.jurisdiction, t.start, t.person))


@dataclass(frozen=True)
class Answer:
    """One row answering a `dedupe kb` query; `presumed` when the date is after the row's
    snapshot and the table only presumes the row still holds."""

    term: OfficeTerm
    presumed: bool
    snapshot: dt.date

    def describe(self) -> str:
        t = self.term
        if t.end is None:
            when = f"since {t.start}"
        elif t.end_scheduled:
            when = f"{t.start} to {t.end} (scheduled end)"
        else:
            when = f"{t.start} to {t.end}"
        title = f"{t.office} of {t.jurisdiction}"
        if t.title and t.title.lower() != t.office:
            title += f" ({t.title})"
        acting = f", {t.qualifier}" if t.qualifier else ""
        note = f"; presumed, table as of {self.snapshot}" if self.presumed else ""
        ident = f" {t.person_id}" if t.person_id else ""
        return f"{t.person}: {title}{acting}, {when} [{t.dataset}{ident}{note}]"


def who_held(kb: Officeholders, office_text: str, day: dt.date) -> list[Answer]:
    """Who held the office named in `office_text` ("U.S. President") on `day`."""
    office = parse_office(office_text)
    out = []
    # the last known holders are shown however old the table is, marked as presumed
    for term in kb.holders(office, day, day, horizon=day):
        snapshot = kb.snapshots[term.dataset]
        out.append(Answer(term, day > snapshot and not term.end_scheduled, snapshot))
    return out


def offices_of(kb: Officeholders, name: str) -> list[Answer]:
    """Every office the table records for the people `name` can refer to."""
    return [
        Answer(t, False, kb.snapshots[t.dataset])
        for t in sorted(kb.person_terms(name), key=lambda t: (t.person, t.start, t.office))
    ]


def office_of_role(role: Role) -> Office | None:
    """The table office(s) a title in an article may name, with its tense; None when the title
    cannot name one (a British "Secretary of State" is a rank, not the foreign minister).
    Offices the table does not hold (an ambassador) come back too and find no terms."""
    return normalise_title(role.office, role.jurisdiction, role.qualifier)


def normalise_title(office: str, jurisdiction: str | None, qualifier: str | None) -> Office | None:
    words = (qualifier or "").split()
    status: Status = next((_TENSES[w] for w in words if w in _TENSES), "current")
    modifiers = [w for w in words if w in ("vice", "deputy")]
    place = _jurisdiction(jurisdiction)
    if modifiers:
        offices: tuple[str, ...] = (f"{modifiers[0]} {office}",)
    elif office == "chancellor":
        if place == "GBR":
            offices = _CHANCELLOR_GBR
        else:
            offices = _CHANCELLOR.get(place or "", ("head of government", *_CHANCELLOR_GBR))
    elif office == "secretary of state" and place not in (None, "USA"):
        return None
    else:
        offices = _TABLE_OFFICES.get(office, (office,))
    return Office(offices, place, status)


def _jurisdiction(value: str | None) -> str | None:
    if not value:
        return None
    return _PREFIXES.get(value.lower(), value)


def parse_office(text: str) -> Office:
    """An office named on its own, as on the command line ("U.S. President")."""
    title = parse_title(text)
    office = normalise_title(title.office, title.jurisdiction, title.qualifier) if title else None
    if office is None:
        raise UsageError(
            f"cannot read {text!r} as an office; try e.g. 'U.S. President', 'German "
            f"Chancellor', 'NATO Secretary General' or 'UK Foreign Secretary'"
        )
    return office


# ------------------------------------------------------------------------------- names


def _name_words(name: str) -> list[str]:
    words = [fold(w) for w in re.split(r"[\s\-\u2010-\u2015]+", name)]
    return [_sound(w) for w in words if w and w not in _NAME_NOISE]


def _sound(word: str) -> str:
    """A loose key for transliteration variants: Zelenskyy = Zelenskiy = Zelenski,
    Sergei = Sergey, Shmyhal = Chmyhal, Papandreou = Papandréu (Wikidata's labels are
    partly Portuguese)."""
    for a, b in (
        ("kh", "h"),
        ("ph", "f"),
        ("ck", "k"),
        ("w", "v"),
        ("tch", "sh"),
        ("ch", "sh"),
        ("ou", "u"),
    ):
        word = word.replace(a, b)
    return word.replace("y", "i").replace("j", "i")


@cache
def _surname_keys(name: str) -> frozenset[str]:
    """Index keys of a table name: its folded last word (a double-barrelled surname joined,
    as `person_key` does) and the last part of that word."""
    words = [w for w in name.split() if fold(w) not in _NAME_NOISE]
    if not words:
        return frozenset()
    last = words[-1]
    return frozenset({_sound(fold(last)), _sound(fold(re.split(r"[\-\u2010-\u2015]", last)[-1]))})


def _same_person(words: list[str], surname: str, term: OfficeTerm) -> bool:
    """A mention with a given name must share its initial (Joe/Joseph) or the whole word."""
    if len(words) < 2 or words[0] == surname:
        return True
    for name in (term.person, *term.aliases):
        theirs = _name_words(name)
        if theirs and (words[0] in theirs or words[0][0] == theirs[0][0]):
            return True
    return False


# ------------------------------------------------------------------------------- loading


def load_officeholders(extra: Sequence[str | Path] = ()) -> Officeholders:
    """The bundled table plus the user's CSV files (same columns, `REQUIRED` ones at least)."""
    if not extra:
        return _bundled_table()
    bundled, bundled_snapshots = _bundled()
    terms, snapshots = list(bundled), dict(bundled_snapshots)
    for path in extra:
        dataset = f"user:{Path(path).name}"
        rows = read_terms_csv(path, dataset)
        terms.extend(rows)
        # a user file's snapshot is the latest date it states
        snapshots[dataset] = max(
            (d for t in rows for d in (t.start, t.end) if d is not None), default=dt.date.min
        )
    return Officeholders(terms, snapshots)


def metadata() -> dict[str, object]:
    """The bundled table's metadata: snapshot, rows, licence and attribution per dataset."""
    folder = resources.files("dedupe.knowledge").joinpath("data")
    text = folder.joinpath("metadata.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


@cache
def _bundled_table() -> Officeholders:
    return Officeholders(*_bundled())


@cache
def _bundled() -> tuple[tuple[OfficeTerm, ...], dict[str, dt.date]]:
    folder = resources.files("dedupe.knowledge").joinpath("data")
    terms: list[OfficeTerm] = []
    for name in _BUNDLED:
        with resources.as_file(folder.joinpath(name)) as path:
            terms.extend(read_terms_csv(path, "supplement"))
    datasets = metadata()["datasets"]
    assert isinstance(datasets, dict)
    snapshots = {k: dt.date.fromisoformat(v["snapshot"]) for k, v in datasets.items()}
    return tuple(terms), snapshots


def read_terms_csv(path: str | Path, dataset: str) -> list[OfficeTerm]:
    """Rows of an officeholder CSV; a row's own `dataset` column wins over `dataset`.
    Raises InputError naming the file and line of the first bad row."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(str(path), f"missing column(s) {', '.join(missing)}")
            return [_term(row, dataset, str(path), n) for n, row in enumerate(reader, start=2)]
    except OSError as exc:
        raise InputError(str(path), f"cannot read officeholder table: {exc}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(str(path), f"not a UTF-8 CSV file: {exc}") from exc


def _term(row: dict[str, str], dataset: str, path: str, line: int) -> OfficeTerm:
    def value(column: str) -> str:
        return (row.get(column) or "").strip()

    empty = [c for c in REQUIRED if not value(c)]
    if empty:
        raise InputError(path, f"line {line}: empty {', '.join(empty)}")
    try:
        start = dt.date.fromisoformat(value("start"))
        end = dt.date.fromisoformat(value("end")) if value("end") else None
    except ValueError as exc:
        raise InputError(path, f"line {line}: dates must be YYYY-MM-DD ({exc})") from exc
    if end is not None and end < start:
        raise InputError(path, f"line {line}: end {end} is before start {start}")
    return OfficeTerm(
        jurisdiction=value("jurisdiction"),
        office=value("office").lower(),
        person=value("person"),
        start=start,
        end=end,
        end_scheduled=value("end_scheduled").lower() in ("yes", "true", "1"),
        title=value("title"),
        person_id=value("person_id"),
        qualifier=value("qualifier"),
        aliases=tuple(a.strip() for a in value("aliases").split("|") if a.strip()),
        source=value("source"),
        dataset=value("dataset") or dataset,
    )
