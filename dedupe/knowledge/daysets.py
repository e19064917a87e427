"""Sets of days as sorted, disjoint, closed date intervals: the days a person held an office,
the days a clue allows, the days the officeholder table can speak for.

A `DaySet` is a tuple of `(first, last)` pairs, both days included, sorted and never touching
(adjacent intervals are joined), so equal sets have equal tuples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

DaySet = tuple[tuple[dt.date, dt.date], ...]
EMPTY: DaySet = ()
_DAY = dt.timedelta(days=1)


def dayset(intervals: Iterable[tuple[dt.date, dt.date]]) -> DaySet:
    """The union of the given closed intervals (empty ones, first > last, are dropped)."""
    out: list[tuple[dt.date, dt.date]] = []
    for first, last in sorted(i for i in intervals if i[0] <= i[1]):
        if out and first <= _next(out[-1][1]):
            if last > out[-1][1]:
                out[-1] = (out[-1][0], last)
        else:
            out.append((first, last))
    return tuple(out)


def union(*sets: DaySet) -> DaySet:
    return dayset(i for s in sets for i in s)


def intersect(a: DaySet, b: DaySet) -> DaySet:
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        first, last = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if first <= last:
            out.append((first, last))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def subtract(a: DaySet, b: DaySet) -> DaySet:
    """The days of `a` that are not in `b`."""
    out = []
    for first, last in a:
        cursor: dt.date | None = first
        for b_first, b_last in b:
            if b_last < first:
                continue
            if b_first > last:
                break
            if cursor is not None and b_first > cursor:
                out.append((cursor, _prev(b_first)))
            if b_last >= last:
                cursor = None
                break
            cursor = max(cursor or first, b_last + _DAY)
        if cursor is not None:
            out.append((cursor, last))
    return tuple(out)


def days(s: DaySet) -> int:
    """How many days the set holds."""
    return sum((last - first).days + 1 for first, last in s)


def span(first: dt.date, last: dt.date) -> DaySet:
    return dayset([(first, last)])


def widen(s: DaySet, by_days: int) -> DaySet:
    """Every interval grown by `by_days` on each side."""
    delta = dt.timedelta(days=by_days)
    return dayset((_shift(a, -delta), _shift(b, delta)) for a, b in s)


def _shift(day: dt.date, delta: dt.timedelta) -> dt.date:
    try:
        return day + delta
    except OverflowError:
        return dt.date.max if delta.days > 0 else dt.date.min


def _next(day: dt.date) -> dt.date:
    return day if day == dt.date.max else day + _DAY


def _prev(day: dt.date) -> dt.date:
    return day if day == dt.date.min else day - _DAY


def describe(s: DaySet, limit: int = 3) -> str:
    """'2017-01-20 to 2021-01-20 and 2025-01-20 to 2025-10-20' (the latest `limit` intervals)."""
    parts = [
        first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        for first, last in s[-limit:]
    ]
    if len(s) > limit:
        parts.insert(0, "...")
    return " and ".join(parts) if parts else "no day"
