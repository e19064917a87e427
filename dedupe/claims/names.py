"""Canonical keys for names, so variants of one participant compare equal.

"Zelensky", "Zelenskyy", "Zelenskiy" and "Volodymyr Zelensky's" share the key `per:zelensky`;
"U.S.", "United States" and "American" share `loc:USA`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

_POSSESSIVE = re.compile(r"(['\u2019]s?)$")
_HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "lord", "lady", "prof", "jr", "sr", "ii", "iii"}
_LEADING_ARTICLE = re.compile(r"^(the)\s+", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)  # called for every word of every article that grouping reads
def fold(word: str) -> str:
    """Lowercase ASCII letters only, transliteration variants folded (yy, iy, ij -> y)."""
    ascii_ = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
    letters = re.sub(r"[^a-z]", "", ascii_)
    letters = re.sub(r"(iy|yi|ij|ii)$", "y", letters)
    return re.sub(r"(.)\1+", r"\1", letters)


def strip_possessive(text: str) -> str:
    return _POSSESSIVE.sub("", text.strip())


@cache
def _place_index() -> dict[str, str]:
    data = json.loads(resources.files("dedupe").joinpath("data/places.json").read_text("utf-8"))
    index: dict[str, str] = {}
    for place in data["places"]:
        for name in (*place["names"], *place["demonyms"]):
            index[_place_form(name)] = place["code"]
    return index


def _place_form(text: str) -> str:
    return re.sub(r"\s+", " ", _LEADING_ARTICLE.sub("", text.strip())).lower().rstrip(".")


def place_code(text: str) -> str | None:
    """ISO3 country (or organisation) code of a place, demonym or capital; None if unknown."""
    return _place_index().get(_place_form(strip_possessive(text)))


def person_key(name: str) -> str:
    """`per:` + the folded surname: the part of a person's name that stays across mentions."""
    words = [w for w in re.split(r"\s+", strip_possessive(name)) if w]
    words = [w for w in words if fold(w) not in _HONORIFICS and fold(w)]
    return "per:" + (fold(words[-1]) if words else fold(name))


def entity_key(text: str, label: str) -> str:
    """Canonical key of a named entity of the given spaCy label."""
    if label == "PERSON":
        return person_key(text)
    code = place_code(text)
    if code is not None:
        return f"loc:{code}"
    bare = _LEADING_ARTICLE.sub("", strip_possessive(text))
    return f"{label.lower()}:" + " ".join(fold(w) for w in bare.split() if fold(w))
