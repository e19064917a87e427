"""Resolve time expressions ("Friday", "nearly 300 days ago", "September 2024") to date intervals.

Relative expressions are resolved against the article's publish date; without one only
expressions that name their year are resolved. Durations ("30 months", "the past six months")
are not points in time and resolve to None. See DEPENDENCIES.md for dateparser's pitfalls.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from dedupe.records import Granularity

Tense = Literal["past", "future", "present"]

_HEDGES = re.compile(
    r"^(nearly|almost|about|around|approximately|roughly|some|just|over|more than|less than|"
    r"at least|only|barely|circa|c\.|mid-?|early|late|the (end|beginning|start|middle) of)\s*",
    re.IGNORECASE,
)
_DURATION = re.compile(
    r"^(for |over |during |within |in )?(the )?((past|last|next|coming|first|previous|recent) )?"
    r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an|a few|few|"
    r"several|many)\b.*\b(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|"
    r"centuries)$",
    re.IGNORECASE,
)
_POINT_WORDS = re.compile(r"\b(ago|later|earlier|from now|since|before|after)\b", re.IGNORECASE)
_VAGUE = re.compile(
    r"^(the )?(years?|months?|weeks?|days?|decades?|recent (weeks|months|years|days)|"
    r"(the )?(coming|past|recent) (weeks|months|years|days)|winter|summer|spring|autumn|fall|"
    r"(its |the )?(first|second|third|fourth|fifth|\d+(st|nd|rd|th)) year|"
    r"(the )?[a-z]+ months|years to come|decades to come|just days|the time|now|currently)$",
    re.IGNORECASE,
)
_HAS_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# weekday and month names, lower case, in calendar order
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")  # fmt: skip
# a bare weekday ("Tuesday", "on Friday night"): the publish date's own weekday is that day
_WEEKDAY = re.compile(rf"^(?:on )?({'|'.join(WEEKDAYS)})(?: (?:morning|afternoon|evening|night))?$")
# a conjunction the recogniser left at the end ("the 1940s and" of "the 1940s and 1950s")
_TRAILING = re.compile(r"\s+(?:and|or|to|through)$", re.IGNORECASE)
_DECADE = re.compile(r"^(the )?(?:(1[89]|20)(\d)0)'?s$", re.IGNORECASE)


@dataclass(frozen=True)
class Resolved:
    start: dt.date
    end: dt.date
    granularity: Granularity
    approximate: bool
    relative: bool


def resolve_time(text: str, base: dt.date | None, tense: Tense = "past") -> Resolved | None:
    """The date interval a time expression names, or None for durations and vague spans."""
    clean = _TRAILING.sub("", re.sub(r"\s+", " ", text.strip().rstrip(".,;")))
    clean = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", clean)
    hedged = _HEDGES.match(clean)
    core = _HEDGES.sub("", clean) if hedged else clean
    if not core or _VAGUE.match(core):
        return None
    if _DURATION.match(core) and not _POINT_WORDS.search(core):
        return None
    decade = _DECADE.match(core)
    if decade:
        first = int(decade.group(2) + decade.group(3) + "0")
        return Resolved(
            dt.date(first, 1, 1), dt.date(first + 9, 12, 31), "decade", bool(hedged), False
        )
    relative = not _HAS_YEAR.search(core)
    if relative and base is None:
        return None
    weekday = _WEEKDAY.match(core.lower())
    if weekday and base is not None:
        day = _nearest(base, WEEKDAYS.index(weekday.group(1)), tense)
        return None if day is None else Resolved(day, day, "day", bool(hedged), True)
    try:
        found = _parse(core, base or dt.date(2000, 1, 1), tense)
        if found is None:
            return None
        day, period = found
        granularity: Granularity = "day"
        if period in ("week", "month", "year"):
            granularity = period  # type: ignore[assignment]
        start, end = _interval(day, granularity)
    except (OverflowError, ValueError):  # a base date at the edge of the calendar (year 1)
        return None
    return Resolved(start, end, granularity, bool(hedged), relative)


def _nearest(base: dt.date, weekday: int, tense: Tense) -> dt.date | None:
    """The named weekday nearest the publish date in the claim's direction, the publish date
    itself included: "a fire broke out Tuesday" in Tuesday's paper is that Tuesday, not the
    one before (dateparser's reading), and "will meet Friday" is the coming Friday."""
    back = (base.weekday() - weekday) % 7
    try:
        if tense == "future":
            return base + dt.timedelta(days=(weekday - base.weekday()) % 7)
        return base - dt.timedelta(days=back)
    except OverflowError:  # a base date at the edge of the calendar
        return None


def _interval(day: dt.date, granularity: Granularity) -> tuple[dt.date, dt.date]:
    if granularity == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if granularity == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    if granularity == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    return day, day


# the same expression recurs within an article and across a day's articles (one base date):
# dateparser costs about 3 ms a call, a third of the time spent on claims outside spaCy
@lru_cache(maxsize=4096)
def _parse(text: str, base: dt.date, tense: Tense) -> tuple[dt.date, str] | None:
    prefer = {"past": "past", "future": "future", "present": "current_period"}[tense]
    data = _parser(prefer, base).get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj.date(), str(data.period or "day")


@lru_cache(maxsize=256)
def _parser(prefer: str, base: dt.date) -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": prefer,
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_TIME_AS_PERIOD": True,
            "STRICT_PARSING": False,
        },
    )


def overlaps(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date], slack_days: int = 0) -> bool:
    """Whether two closed date intervals overlap, allowing `slack_days` between them."""
    slack = dt.timedelta(days=slack_days)
    # compared as gaps, never as shifted dates: a date near year 1 cannot be moved back
    return (b[1] - a[0]) >= -slack and (a[1] - b[0]) >= -slack


def gap_days(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    """Days between two intervals (0 when they overlap)."""
    if overlaps(a, b):
        return 0
    return (b[0] - a[1]).days if a[1] < b[0] else (a[0] - b[1]).days
