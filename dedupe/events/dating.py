"""Date articles that have no publish date from what they state.

Two kinds of clue, each a set of days it allows:
- titles checked against the officeholder table ("President Joe Biden": 2021-01-20 to
  2025-01-20; "former U.S. President Donald Trump": between his terms);
- durations counted from a dated event the sentence names ("nearly 300 days" after Russia
  invaded Ukraine; the war "enters its fourth year"), from `data/anchors.json`.
Absolute dates named in the body are not clues: on Reuters-21578 they pulled windows away
from the true date (past references, future deadlines) more often than they narrowed them
(scripts/eval_officeholders.py); an article with no other clue keeps the events stage's own
window from them.

No single clue is trusted blindly: the window is the stretch of days the most clue weight
agrees on, so one wrong title ("German Chancellor Olaf Scholz" in October 2025) is outvoted
by the others and marked as disagreeing. When separate periods tie (a president with two
terms), the latest is chosen and the others are kept as alternatives: a nightly run mostly
reads recent news. Every day is capped at the day of the run, which no article postdates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any

from dedupe.knowledge import daysets
from dedupe.knowledge.officeholders import Officeholders, office_of_role
from dedupe.knowledge.windows import combine, title_key
from dedupe.records import Article, Claim, DateClue

TITLE_WEIGHT = 1.0
# a stated duration from a dated event pins the date more than any one title
ANCHOR_WEIGHT = 2.0
# articles are published a few days after the durations they state were counted
ANCHOR_SLACK_DAYS = 3

_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty": 20,
    "thirty": 30,
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_HEDGE_BELOW = {"nearly", "almost", "just under", "less than", "under"}
_HEDGE_AROUND = {"about", "around", "roughly", "some", "approximately"}
_HEDGE_ABOVE = {"over", "more than", "just over"}
_NUMBER = r"\d[\d,]*|" + "|".join(_NUMBERS)
_HEDGE = "|".join(sorted(_HEDGE_BELOW | _HEDGE_AROUND | _HEDGE_ABOVE, key=len, reverse=True))
_DURATION = re.compile(
    rf"\b(?:(?P<hedge>{_HEDGE})\s+)?(?P<n>{_NUMBER})\s+(?P<unit>day|week|month|year)s?\s+"
    rf"(?P<rel>ago|after|since|into)\b",
    re.IGNORECASE,
)
_ORDINAL = r"\d+(?:st|nd|rd|th)|" + "|".join(_ORDINALS)
_NTH_YEAR = re.compile(
    rf"\b(?:enters?|entered|entering|in|into|marks?)\s+(?:its|the)\s+(?P<ord>{_ORDINAL})\s+year\b",
    re.IGNORECASE,
)
_ANNIVERSARY = re.compile(rf"\b(?P<ord>{_ORDINAL})\s+anniversary\b", re.IGNORECASE)


def date_articles(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    kb: Officeholders | None,
    today: dt.date,
) -> list[Article]:
    """The articles, each undated one carrying its date estimate when its clues give one."""
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    out = []
    for article in articles:
        if article.published is None:
            estimate = combine(date_clues(article, by_article.get(article.id, []), kb, today))
            article = dataclasses.replace(article, date_estimate=estimate)
        out.append(article)
    return out


def inferred_windows(articles: Iterable[Article]) -> dict[str, tuple[dt.date, dt.date]]:
    """Article id -> inferred window, for the articles that have one (for event grouping)."""
    return {
        a.id: (a.date_estimate.start, a.date_estimate.end)
        for a in articles
        if a.published is None and a.date_estimate
    }


def date_clues(
    article: Article, claims: Sequence[Claim], kb: Officeholders | None, today: dt.date
) -> list[DateClue]:
    """Every clue to the article's date, capped at `today`."""
    clues = anchor_clues(claims, today)
    if kb is not None:
        clues += title_clues(claims, kb, today)
    return clues


def title_clues(claims: Sequence[Claim], kb: Officeholders, today: dt.date) -> list[DateClue]:
    """One clue per person, office and tense: the days on which the title was right."""
    clues: dict[tuple[str, str], DateClue] = {}
    for claim in claims:
        for role in claim.roles:
            office = office_of_role(role)
            if office is None or office.status == "historical":
                continue
            key = (title_key(role, office), office.status)
            if key in clues:
                continue
            tenure = kb.tenure(office, kb.person_terms(role.person, role.person_key), today)
            right = daysets.intersect(tenure.right(office.status), daysets.span(dt.date.min, today))
            if not tenure.terms or not right:
                continue
            clues[key] = DateClue(
                kind="officeholder",
                text=role.span.text,
                start=role.span.start,
                end=role.span.end,
                intervals=right,
                note=f"{role.title} {role.person}: right on {daysets.describe(right)}",
                weight=TITLE_WEIGHT,
                key=key[0],
            )
    return list(clues.values())


def anchor_clues(claims: Sequence[Claim], today: dt.date) -> list[DateClue]:
    """Durations counted from a dated event named in the same sentence."""
    clues: dict[tuple[int, int], DateClue] = {}
    for claim in claims:
        sentence = claim.sentence
        for name, day, pattern in _anchors():
            if not pattern.search(sentence.text):
                continue
            for match, low, high in _elapsed(sentence.text):
                first = day + dt.timedelta(days=low)
                last = min(day + dt.timedelta(days=high + ANCHOR_SLACK_DAYS), today)
                span = (sentence.start + match.start(), sentence.start + match.end())
                if first > last or span in clues:
                    continue
                clues[span] = DateClue(
                    kind="anchor",
                    text=match.group(0),
                    start=span[0],
                    end=span[1],
                    intervals=daysets.span(first, last),
                    note=f"'{match.group(0)}' counted from {name} ({day.isoformat()}): "
                    f"{daysets.describe(daysets.span(first, last))}",
                    weight=ANCHOR_WEIGHT,
                )
    return list(clues.values())


def _elapsed(text: str) -> Iterable[tuple[re.Match[str], int, int]]:
    """(match, fewest days, most days) of each elapsed time the sentence states."""
    for match in _DURATION.finditer(text):
        n = _number(match.group("n"))
        unit = _UNIT_DAYS[match.group("unit").lower()]
        hedge = (match.group("hedge") or "").lower()
        if hedge in _HEDGE_BELOW:
            low, high = 0.9 * n * unit, n * unit
        elif hedge in _HEDGE_AROUND:
            low, high = 0.9 * n * unit, 1.1 * n * unit + unit
        elif hedge in _HEDGE_ABOVE:
            low, high = n * unit, 1.2 * n * unit + unit
        else:
            # "ten months ago" is between ten and eleven months
            low, high = n * unit, (n + 1) * unit - 1 if unit > 1 else n * unit
        yield match, round(low), round(high)
    for match in _NTH_YEAR.finditer(text):
        n = _ordinal(match.group("ord"))
        yield match, round((n - 1) * 365.25), round(n * 365.25) - 1
    for match in _ANNIVERSARY.finditer(text):
        n = _ordinal(match.group("ord"))
        yield match, round(n * 365.25) - 14, round(n * 365.25) + 14


def _number(text: str) -> int:
    word = text.lower().replace(",", "")
    return int(word) if word.isdigit() else _NUMBERS[word]


def _ordinal(text: str) -> int:
    word = text.lower()
    return _ORDINALS.get(word) or int(re.sub(r"\D", "", word))


@cache
def _anchors() -> tuple[tuple[str, dt.date, re.Pattern[str]], ...]:
    raw: dict[str, Any] = json.loads(
        resources.files("dedupe").joinpath("data/anchors.json").read_text("utf-8")
    )
    return tuple(
        (
            event["name"],
            dt.date.fromisoformat(event["date"]),
            re.compile("|".join(f"(?:{p})" for p in event["patterns"]), re.IGNORECASE),
        )
        for event in raw["events"]
    )
