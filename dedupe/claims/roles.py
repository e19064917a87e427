"""Find the titles given to people: "former U.S. President Donald Trump", "Rutte, NATO's chief".

A title is matched right before a person's name or in an apposition right after it, against
the office gazetteer in `data/offices.json`; qualifiers (former, acting, deputy...) are kept
apart from the office so "former President" and "President" name the same office.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dedupe.claims.names import place_code


@dataclass(frozen=True)
class TitleMatch:
    """A title found next to a name: character range in the sentence and its parts."""

    start: int
    end: int
    title: str
    office: str
    jurisdiction: str | None
    qualifier: str | None


@dataclass(frozen=True)
class _Gazetteer:
    forms: dict[str, str]  # surface form (lowercase) -> office
    quals: dict[str, str]  # qualifier form -> qualifier
    before: re.Pattern[str]  # a title ending right before a name
    after: re.Pattern[str]  # an apposition right after a name
    whole: re.Pattern[str]  # a title on its own ("U.S. President")


@cache
def _gazetteer() -> _Gazetteer:
    data = json.loads(resources.files("dedupe").joinpath("data/offices.json").read_text("utf-8"))
    forms = {f.lower(): office for office, fs in data["offices"].items() for f in fs}
    quals = {f.lower(): q for q, fs in data["qualifiers"].items() for f in fs}
    places = json.loads(resources.files("dedupe").joinpath("data/places.json").read_text("utf-8"))
    juris = sorted(
        {n for p in places["places"] for n in (*p["names"], *p["demonyms"])}
        | set(data["prefixes"]),
        key=len,
        reverse=True,
    )
    office_alt = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    juris_alt = "|".join(re.escape(j) for j in juris)
    qual_alt = "|".join(
        re.escape(q).replace(r"\-", "-?")
        for q in sorted((q.strip("-") for q in quals), key=len, reverse=True)
    )
    qual = rf"(?:(?:{qual_alt})[\s-]+)"
    # [qualifier] [jurisdiction['s]] [qualifier] OFFICE [-elect] [of JURISDICTION]
    body = (
        rf"(?P<q1>{qual}*)(?:(?P<j1>{juris_alt})(?:['\u2019]s)?\s+)?(?P<q2>{qual}*)"
        rf"(?P<office>{office_alt})(?P<q3>-elect|-designate)?"
        rf"(?:\s+(?:of|for|to)\s+(?:the\s+)?(?P<j2>{juris_alt}))?"
    )
    before = re.compile(rf"(?:^|(?<=[\s(\"\u201c]))(?:the\s+)?{body}\s*,?\s*$", re.IGNORECASE)
    after = re.compile(
        rf"^\s*,\s*(?:the\s+|a\s+|an\s+)?{body}(?=\s*(?:,|\.|;|\)|$|\s+who\b|"
        rf"\s+and\b|\s+said\b))",
        re.IGNORECASE,
    )
    whole = re.compile(rf"^\s*(?:the\s+)?{body}\s*$", re.IGNORECASE)
    return _Gazetteer(forms, quals, before, after, whole)


def find_title(sentence: str, name_start: int, name_end: int) -> TitleMatch | None:
    """The title given to the name at `sentence[name_start:name_end]`, if any."""
    g = _gazetteer()
    window_start = max(0, name_start - 90)
    match = g.before.search(sentence, window_start, name_start)
    if match and (_capitalised(match.group("office")) or match.group("j1")):
        return _build(match, g.forms, g.quals, match.start(), match.end())
    match = g.after.match(sentence[name_end:])
    if match:
        return _build(match, g.forms, g.quals, name_end + match.start(), name_end + match.end())
    return None


def parse_title(text: str) -> TitleMatch | None:
    """A title given on its own ("U.S. President", "German Chancellor"), as `find_title`
    reads it before a name; None when the text is not a known title."""
    g = _gazetteer()
    match = g.whole.match(text)
    return _build(match, g.forms, g.quals, match.start(), match.end()) if match else None


def _capitalised(office: str) -> bool:
    # a bare title before a name is capitalised ("President Biden"); lowercase ones need a
    # jurisdiction in front ("White House spokesman John Kirby")
    return office[:1].isupper()


def _build(
    match: re.Match[str], forms: dict[str, str], quals: dict[str, str], start: int, end: int
) -> TitleMatch:
    office = forms[match.group("office").lower()]
    words = re.findall(
        r"[a-z]+", " ".join(match.group(g) or "" for g in ("q1", "q2", "q3")).lower()
    )
    qualifier = " ".join(dict.fromkeys(quals.get(w, quals.get(w + "-", w)) for w in words))
    jurisdiction_text = match.group("j1") or match.group("j2")
    jurisdiction = place_code(jurisdiction_text) if jurisdiction_text else None
    title = re.sub(r"^the\s+|\s*,\s*$", "", match.group(0).strip(" ,"), flags=re.IGNORECASE)
    return TitleMatch(
        start=start,
        end=end,
        title=title.strip(),
        office=office,
        jurisdiction=jurisdiction or (jurisdiction_text or None),
        qualifier=qualifier or None,
    )
