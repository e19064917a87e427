"""Date check: the same happening dated differently by two sources.

Dates are intervals at their own granularity, so "September 2024" and "September 26, 2024"
agree; "Friday" resolved against one article's publish date and an explicit other day do not.
Two dates are compared when near-duplicate claims share their main verb, or when closely
aligned claims each give a date the other article gives nowhere. Expressions that cannot be
resolved ("35 years ago" or "Thursday" in an undated article) are compared by their wording:
the same phrase with another number, ordinal, weekday or month is another date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from dedupe.checks import EventContext, Mentions, finding_id, fold_text, local
from dedupe.checks.wording import happening, one_statement
from dedupe.claims.times import MONTHS, WEEKDAYS, overlaps
from dedupe.records import Claim, Finding, TimeRef

# dated claims must be at least this similar and share their main verb to be the same happening
SIMILARITY = 0.65
# dates without a shared verb must come from claims this closely aligned
ALIGNED = 0.6
RELATIVE_SLACK_DAYS = 1
_NUMERAL = re.compile(
    r"^(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|hundred|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"last|next|\d+(st|nd|rd|th))$"
)


def _dated(claim: Claim) -> list[TimeRef]:
    return [t for t in claim.times if t.start and t.end and not t.approximate]


def _interval(t: TimeRef) -> tuple[dt.date, dt.date]:
    assert t.start and t.end
    return (t.start, t.end)


def _given(t: TimeRef, seen: Mentions) -> bool:
    """Whether an article gives this date anywhere (an overlapping interval or its wording)."""
    if t.start and t.end:
        return any(o.start and o.end and overlaps(_interval(t), _interval(o)) for o in seen.times)
    return f" {fold_text(t.span.text)} " in seen.words


def _shape(t: TimeRef) -> tuple[str, ...] | None:
    """The wording with numbers, weekdays and months blanked ("35 years ago" -> ("#",
    "years", "ago"), "Thursday night" -> ("<weekday>", "night")), if it has any."""
    shape = tuple(_blank(w) for w in fold_text(t.span.text).split())
    return shape if any(w in ("#", "<weekday>", "<month>") for w in shape) else None


def _blank(word: str) -> str:
    if _NUMERAL.match(word):
        return "#"
    if word in WEEKDAYS:
        return "<weekday>"
    return "<month>" if word in MONTHS else word


def _worded_apart(x: TimeRef, y: TimeRef) -> bool:
    """Whether two expressions of one wording name another number, weekday or month
    ("35 years ago" / "40 years ago", "on Thursday" / "on Tuesday"); weekdays a day apart
    agree (time zones, as `_agree` allows a day's slack)."""
    shape = _shape(x)
    if shape is None or shape != _shape(y):
        return False
    wx, wy = fold_text(x.span.text).split(), fold_text(y.span.text).split()
    changed = [(u, v) for u, v in zip(wx, wy, strict=True) if u != v]
    return bool(changed) and not all(_next_day(u, v) for u, v in changed)


def _next_day(u: str, v: str) -> bool:
    if u not in WEEKDAYS or v not in WEEKDAYS:
        return False
    return (WEEKDAYS.index(u) - WEEKDAYS.index(v)) % 7 in (1, 6)


def check(ctx: EventContext) -> Iterator[Finding]:
    threshold = max(SIMILARITY, ctx.settings.conflict_similarity)
    compared: set[tuple[str, str]] = set()
    for a, b, sim in ctx.cross_pairs(threshold):
        if happening(a.predicate) != happening(b.predicate):
            continue
        ta, tb = _dated(a), _dated(b)
        if ta and tb and not any(_agree(x, y) for x in ta for y in tb):
            compared.add((a.id, b.id))
            if _swapped(a, ta[0], b, tb[0]):
                yield _finding(ctx, a, b, ta[0], tb[0], sim)
    for a, b, sim in ctx.aligned_pairs(max(ALIGNED, ctx.settings.conflict_similarity), top=1):
        if (a.id, b.id) in compared:
            continue
        seen_a, seen_b = ctx.mentions(a.article_id), ctx.mentions(b.article_id)
        new_a = [t for t in a.times if not t.approximate and not _given(t, seen_b)]
        new_b = [t for t in b.times if not t.approximate and not _given(t, seen_a)]
        for x in new_a:
            y = next((y for y in new_b if _differ(x, y) and _swapped(a, x, b, y)), None)
            if y is not None:
                yield _finding(ctx, a, b, x, y, sim)
                break


def _agree(x: TimeRef, y: TimeRef) -> bool:
    """Overlapping dates, with a day's slack when one is relative ("this afternoon" in an
    article dated in Sydney, "Monday" in one dated in New York: time zones and wire copy
    reprinted a day later move a relative date by a day)."""
    slack = RELATIVE_SLACK_DAYS if x.relative or y.relative else 0
    return overlaps(_interval(x), _interval(y), slack)


def _swapped(a: Claim, x: TimeRef, b: Claim, y: TimeRef) -> bool:
    """Whether the two dates stand in each other's place in one statement."""
    return one_statement(a.text, local(a, x.span), b.text, local(b, y.span))


def _differ(x: TimeRef, y: TimeRef) -> bool:
    """Whether two dates disagree: as intervals when both are resolved, else by wording (an
    undated article's "Thursday" cannot be resolved, but is not "Tuesday")."""
    if x.start and x.end and y.start and y.end:
        return not _agree(x, y)
    return _worded_apart(x, y)


def _finding(ctx: EventContext, a: Claim, b: Claim, x: TimeRef, y: TimeRef, sim: float) -> Finding:
    values = (_show(x), _show(y))
    return Finding(
        id=finding_id("date", a.predicate, values, [a.id, b.id]),
        kind="date",
        severity="error" if x.granularity == y.granularity == "day" else "warning",
        confidence=round(min(0.95, sim), 2),
        event_id=ctx.event.id,
        values=values,
        reason=(
            f"Both sources date '{a.predicate.replace(' ', ' to ')}' but the dates do "
            f"not overlap: '{x.span.text}' = {values[0]} vs '{y.span.text}' = "
            f"{values[1]}."
        ),
        evidence=(ctx.evidence(a, x.span.text), ctx.evidence(b, y.span.text)),
        subject=a.predicate,
    )


def _show(t: TimeRef) -> str:
    if not (t.start and t.end):
        return fold_text(t.span.text)
    if t.start == t.end:
        return t.start.isoformat()
    return f"{t.start.isoformat()}..{t.end.isoformat()}"
