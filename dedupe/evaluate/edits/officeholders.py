"""Officeholder edits: a sentence naming a real head of state or government with a title
they did not hold at the article's date."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping, Sequence

from dedupe.evaluate.ecbplus import EcbDocument
from dedupe.evaluate.edits.base import (
    Edit,
    EventText,
    data,
    first_body,
)
from dedupe.knowledge.officeholders import Officeholders
from dedupe.records import OfficeTerm

# titles as news writes them before a name, for the table's offices
_SHORT_TITLES = (("prime minister", "Prime Minister"), ("chancellor", "Chancellor"),
                 ("president", "President"))  # fmt: skip
# the word before a title where the gazetteer's first demonym is a noun ("New Zealander")
_DEMONYMS = {"USA": "U.S.", "GBR": "British", "NZL": "New Zealand"}
# a person left office at least this long before the article (or took it this long after)
CLEAR_DAYS = 365
# an inserted officeholder is one of the most recent such holders, so the name is plausible
RECENT_HOLDERS = 3
# what the inserted officeholder does: nothing another article could contradict
_INSERTED = ("commented", "on", "the", "news", ".")


Terms = Mapping[tuple[str, str], Sequence[OfficeTerm]]


def terms_by_office(kb: Officeholders) -> Terms:
    """The table's terms by (jurisdiction, office)."""
    out: dict[tuple[str, str], list[OfficeTerm]] = {}
    for term in kb.terms:
        out.setdefault((term.jurisdiction, term.office), []).append(term)
    return out


def officeholder_edits(
    event: EventText, doc: EcbDocument, rng: random.Random, terms: Terms
) -> list[Edit]:
    """A short sentence naming a real head of state or government with their title, in a
    document whose text states its date, at which they had been out of that office for at
    least a year (ECB+ names too few officeholders to edit titles in place)."""
    published = event.published.get(doc.doc_id)
    if published is None:
        return []
    codes = event.countries or ["USA"]
    edits = []
    for code in codes:
        for term, title in _former_holders(terms, code, published, event):
            demonym = _DEMONYMS.get(code) or next(iter(_demonyms(code)), "")
            if not demonym:
                continue
            shown = f"{demonym} {title} {term.person}"
            sentence = (*shown.split(), *_INSERTED)
            note = f"{term.person} held the office {term.start} to {term.end}, not on {published}"
            edits.append(Edit(_insert_at(doc, rng), 0, 0, sentence, "", shown, note, insert=True))
    return edits


def _demonyms(code: str) -> list[str]:
    entry = next(p for p in data("places.json")["places"] if p["code"] == code)
    return list(entry.get("demonyms", ()))


def _former_holders(
    terms_of: Terms, code: str, day: dt.date, event: EventText
) -> list[tuple[OfficeTerm, str]]:
    """The most recent holders of the country's head-of-state or head-of-government office
    who held it on none of the days within `CLEAR_DAYS` of `day`, with their short title."""
    clear = dt.timedelta(days=CLEAR_DAYS)
    found = []
    for office in ("head of state", "head of government"):
        terms = terms_of.get((code, office), ())
        near = {
            t.person
            for t in terms
            if t.start <= day + clear and (t.end or dt.date.max) >= day - clear
        }
        former = [
            t for t in terms if t.end and t.end < day - clear and t.person not in near
            and not t.qualifier and not event.mentions([t.person.split()[-1]])
        ]  # fmt: skip
        former.sort(key=lambda t: t.end or dt.date.max, reverse=True)
        seen: set[str] = set()
        for term in former:
            title = short_title(term)
            if title is None or term.person in seen or not _plain_name(term.person):
                continue
            seen.add(term.person)
            found.append((term, title))
            if len(seen) == RECENT_HOLDERS:
                break
    return found


def short_title(term: OfficeTerm) -> str | None:
    """The title news puts before the holder's name, when the table's title tells it; a
    Wikidata row says only "head of government", which is a prime minister's office except
    where a chancellor holds it (a head of state may be a president or a monarch: unknown)."""
    title = term.title.lower()
    found = next((short for key, short in _SHORT_TITLES if key in title), None)
    if found is None and title == "head of government":
        return "Chancellor" if term.jurisdiction in ("DEU", "AUT") else "Prime Minister"
    return found


def _plain_name(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][\w.'-]*( [A-Z][\w.'-]*){1,3}", name))


def _insert_at(doc: EcbDocument, rng: random.Random) -> int:
    """Where a sentence goes: after the top lines (title and date stamp) of the article."""
    first = first_body(doc)
    lowest = min(first + 4, len(doc.sentences))
    return rng.randint(lowest, len(doc.sentences))
