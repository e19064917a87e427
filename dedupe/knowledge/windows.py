"""Date windows from weighed clues: the days most clue weight agrees on.

A clue (`DateClue`) is a set of days that something an article says allows, with a weight.
`combine` gives an article its window from its own clues; `event_window` judges an undated
article by its own clues and those of its event's other articles, leaving out the clues about
one title, so a check can test that title against the rest of the evidence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from dedupe.knowledge import daysets
from dedupe.knowledge.daysets import DaySet
from dedupe.knowledge.officeholders import Office
from dedupe.records import Article, DateClue, DateEstimate, Role

# a dated article of the same event: its date is known, not inferred
NEIGHBOUR_WEIGHT = 3.0


def title_key(role: Role, office: Office) -> str:
    """What a title clue is about, so a check can leave out the title it is testing."""
    return f"{role.person_key}|{'/'.join(office.offices)}"


def combine(clues: Sequence[DateClue]) -> DateEstimate | None:
    """The window the most clue weight agrees on; clues outside it are marked as outvoted."""
    periods = best_periods(clues)
    if not periods:
        return None
    start, end = periods[-1]
    window = daysets.span(start, end)
    marked = tuple(
        dataclasses.replace(c, agrees=bool(daysets.intersect(c.intervals, window))) for c in clues
    )
    return DateEstimate(start, end, marked, alternatives=tuple(periods[:-1]))


def best_periods(clues: Sequence[DateClue]) -> DaySet:
    """The days whose total clue weight is highest, as separate periods, oldest first."""
    changes: dict[dt.date, float] = {}
    for clue in clues:
        for first, last in clue.intervals:
            changes[first] = changes.get(first, 0.0) + clue.weight
            after = last + dt.timedelta(days=1)
            changes[after] = changes.get(after, 0.0) - clue.weight
    segments: list[tuple[dt.date, dt.date, float]] = []
    weight = 0.0
    days = sorted(changes)
    for day, following in zip(days, days[1:], strict=False):
        weight += changes[day]
        segments.append((day, following - dt.timedelta(days=1), weight))
    top = max((w for *_, w in segments), default=0.0)
    if top <= 0:
        return daysets.EMPTY
    return daysets.dayset((a, b) for a, b, w in segments if w >= top - 1e-9)


def event_window(
    target: Article, members: Sequence[Article], leave_out: str, gap_days: int
) -> tuple[dt.date, dt.date] | None:
    """The window of an undated article judged from its own clues and its event's: the other
    articles' dates and agreeing clues, widened by the event gap; clues about `leave_out` (the
    title being checked) are not used."""
    clues = [c for c in _clues(target) if c.key != leave_out]
    latest = max((last for c in clues for _, last in c.intervals), default=dt.date.min)
    for other in members:
        if other.id == target.id:
            continue
        if other.published is not None:
            day = other.published
            latest = max(latest, day)
            clues.append(
                DateClue(
                    kind="date",
                    text="",
                    start=0,
                    end=0,
                    intervals=daysets.widen(daysets.span(day, day), gap_days),
                    note=f"{other.source} published on {day.isoformat()}",
                    weight=NEIGHBOUR_WEIGHT,
                )
            )
            continue
        for clue in _clues(other):
            # a clue its own article outvoted (a wrong title there) does not vote here
            if clue.agrees and clue.key != leave_out:
                latest = max(latest, clue.intervals[-1][1])
                widened = daysets.widen(clue.intervals, gap_days)
                clues.append(dataclasses.replace(clue, intervals=widened))
    periods = best_periods(clues)
    if not periods or periods[-1][0] > latest:
        return None
    return periods[-1][0], min(periods[-1][1], latest)


def _clues(article: Article) -> tuple[DateClue, ...]:
    return article.date_estimate.clues if article.date_estimate else ()
