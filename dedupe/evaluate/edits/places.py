"""Place edits: a place name swapped for another place that neither contains it nor lies in
it, found with spaCy's entity recogniser."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable

from dedupe.claims.names import place_code
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
    country_names,
    editable,
    stated_elsewhere,
)

# cities the place gazetteer does not know, each with its country and region, to stand in for
# a place the gazetteer does not know either (a city or region for a city or region)
CITIES = (
    ("Lyon", "FRA", "Auvergne"), ("Osaka", "JPN", "Kansai"), ("Porto", "PRT", "Norte"),
    ("Hamburg", "DEU", "Hamburg"), ("Melbourne", "AUS", "Victoria"),
    ("Toronto", "CAN", "Ontario"), ("Cape Town", "ZAF", "Western Cape"),
    ("Valencia", "ESP", "Valencia"), ("Gothenburg", "SWE", "Vastra Gotaland"),
    ("Busan", "KOR", "Gyeongsang"), ("Auckland", "NZL", "Auckland"),
    ("Krakow", "POL", "Lesser Poland"), ("Guadalajara", "MEX", "Jalisco"),
    ("Cordoba", "ARG", "Cordoba"), ("Salvador", "BRA", "Bahia"), ("Bergen", "NOR", "Vestland"),
    ("Antwerp", "BEL", "Flanders"), ("Graz", "AUT", "Styria"), ("Tampere", "FIN", "Pirkanmaa"),
    ("Seville", "ESP", "Andalusia"), ("Naples", "ITA", "Campania"),
    ("Rotterdam", "NLD", "South Holland"), ("Brno", "CZE", "Moravia"),
)  # fmt: skip
_PLACE_LABELS = {"GPE", "LOC"}


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
    """A place name the document gives once, for another place that neither contains it
    nor lies in it (a country for a country the gazetteer knows, a foreign city for a place
    it does not know) and that the event never mentions."""
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
            code = place_code(name)
            if code is not None:
                choices = [
                    country[0]
                    for c, country in countries()
                    if c != code and not event.mentions(country)
                ]
            else:
                choices = [
                    city
                    for city, country_code, region in CITIES
                    if not event.mentions((city, region, *country_names(country_code)))
                    and place_code(city) is None
                ]
            if choices:
                new = rng.choice(choices)
                note = f"the other articles name {name}; this one now says {new}"
                edits.append(Edit(n, start, end, tuple(new.split()), name, new, note))
    return edits


_OBJECTS = {"him", "her", "them", "it", "me", "us", "you"}
_QUOTES = {'"', "``", "''", "“", "”", "‘", "'"}


def _text(doc: EcbDocument) -> str:
    return "\n".join(detokenize(s)[0] for s in body(doc))
