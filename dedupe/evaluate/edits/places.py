"""Place edits: a place the gazetteer knows swapped for another it knows, far from it and
neither containing it nor lying in it, found with spaCy's entity recogniser."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from functools import cache

from dedupe.evaluate.ecbplus import EcbDocument, detokenize
from dedupe.evaluate.edits.base import (
    Edit,
    EventText,
    Places,
    Recogniser,
    Tokens,
    at,
    body,
    countries,
    data,
    editable,
    stated_elsewhere,
)
from dedupe.knowledge.places import countries_of, far_apart, large_cities, level, us_states

_PLACE_LABELS = {"GPE", "LOC"}
# the label a recogniser gives a place that qualifies a noun ("his Texas home", "the New
# York Daily News"): the product reads it as whose or which, not where, so it is not edited
MODIFIER = "MODIFIER"
# a city is swapped for one at least this far away (km) when both lie in one country: a
# reader knows "Chicago" and "Bloomington, Indiana" are not one place, "Bloomington" and
# "Minneapolis" (15 km) may be one metropolitan area
FAR_KM = 500.0
# cities swapped in have this many people or more: names a reader (and a recogniser) knows
CITY_POPULATION = 1_000_000


def place_spans(docs: Iterable[EcbDocument], recognise: Recogniser) -> Places:
    """Each sentence's token ranges that the recogniser calls places, with their text (keyed
    by the sentence's tokens: the same sentence gives the same places)."""
    sentences = list(dict.fromkeys(s for d in docs for s in body(d)))
    texts = [detokenize(s) for s in sentences]
    out: Places = {}
    for tokens, (text, starts), ents in zip(
        sentences, texts, recognise([t for t, _ in texts]), strict=True
    ):
        for start, end, label in ents:
            if label not in _PLACE_LABELS or start not in starts:
                continue
            first = starts.index(start)
            last = max(k for k, s in enumerate(starts) if s < end)
            if starts[last] + len(_shown(tokens[last])) != end:
                continue
            if last > first and tokens[last] in ("'s", "’s", "'"):  # "New Zealand's"
                last -= 1
            name = text[start : starts[last] + len(_shown(tokens[last]))]
            out.setdefault(tokens, []).append((first, last + 1, name))
    return out


def _shown(token: str) -> str:
    return {"``": '"', "''": '"'}.get(token, token)


def place_edits(
    event: EventText,
    doc: EcbDocument,
    rng: random.Random,
    places: Places,
) -> list[Edit]:
    """A place name the document gives once and the gazetteer knows, for a known place of
    the same kind (`replacements`) that the event never mentions: the product compares only
    places the gazetteer knows, so only those test what it promises."""
    edits = []

    def names(tokens: Tokens) -> list[str]:
        return [name for _, _, name in places.get(tokens, [])]

    text = _text(doc)
    for n, tokens in editable(doc):
        for start, end, name in places.get(tokens, []):
            if len(name) <= 3 or "." in name:  # "U.S.": too often an adjective
                continue
            if start and tokens[start - 1] in _QUOTES:  # a title: the film "Australia"
                continue
            if at(tokens, end).lower() in _OBJECTS:  # a verb: "had to Taser him"
                continue
            if start and tokens[start - 1].lower() in ("a", "an"):  # a thing: "used a Taser"
                continue
            if len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text)) != 1:
                continue
            if not stated_elsewhere(event.others(doc), tokens, names, name):
                continue
            if name in demonyms():  # "the Ukrainian champion": no place to swap
                continue
            choices = [new for new in replacements(name) if not event.mentions((new,))]
            if choices:
                new = rng.choice(choices)
                note = f"the other articles name {name}; this one now says {new}"
                edits.append(Edit(n, start, end, tuple(new.split()), name, new, note))
    return edits


def replacements(name: str) -> list[str]:
    """Known places of the same kind as `name` that cannot be it: another country for a
    country, another US state for a state, and for a city a city of `CITY_POPULATION` in
    the same country `FAR_KM` away (as two reports of one country would disagree: "in
    Chicago" / "in Houston"), else one in another country; none for a place the gazetteer
    does not know."""
    kind = level(name)
    if kind == "country":
        pool = [names[0] for _, names in countries()]
    elif kind == "division":
        pool = list(us_states())
    elif kind == "city":
        pool = list(dict.fromkeys(city for city, _ in large_cities(CITY_POPULATION)))
    else:
        return []
    found = [
        new
        for new in pool
        if _PLAIN.fullmatch(new) and level(new) == kind and far_apart(name, new, FAR_KM)
    ]
    home = [new for new in found if countries_of(new) <= countries_of(name)]
    return home if kind == "city" and home else found


# names written in plain letters ("Xi'an", "Bogotá" are not how an English report spells
# them, and a recogniser misses them)
_PLAIN = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")


_OBJECTS = {"him", "her", "them", "it", "me", "us", "you"}
_QUOTES = {'"', "``", "''", "“", "”", "‘", "'"}


@cache
def demonyms() -> frozenset[str]:
    """The demonyms of the place list ("Ukrainian"), which spaCy sometimes calls places."""
    return frozenset(d for p in data("places.json")["places"] for d in p.get("demonyms", ()))


def _text(doc: EcbDocument) -> str:
    return "\n".join(detokenize(s)[0] for s in body(doc))
