"""Date check: the same happening dated differently by two sources.

Dates are intervals at their own granularity, so "September 2024" and "September 26, 2024"
agree; "Friday" resolved against one article's publish date and an explicit other day do not.
"""

from __future__ import annotations

from collections.abc import Iterator

from dedupe.checks import EventContext, finding_id
from dedupe.records import Claim, Finding, TimeRef
from dedupe.times import overlaps

# dated claims must be at least this similar and share their main verb to be the same happening
_SIMILARITY = 0.65


def _dated(claim: Claim) -> list[TimeRef]:
    return [t for t in claim.times if t.start and t.end and not t.approximate]


def check(ctx: EventContext) -> Iterator[Finding]:
    threshold = max(_SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.cross_pairs(threshold):
        if a.predicate.split()[:1] != b.predicate.split()[:1]:
            continue
        ta, tb = _dated(a), _dated(b)
        if not ta or not tb:
            continue
        if any(
            overlaps((x.start, x.end), (y.start, y.end))  # type: ignore[arg-type]
            for x in ta
            for y in tb
        ):
            continue
        x, y = ta[0], tb[0]
        values = (_show(x), _show(y))
        yield Finding(
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
            evidence=(ctx.evidence(a, values[0]), ctx.evidence(b, values[1])),
            subject=a.predicate,
        )


def _show(t: TimeRef) -> str:
    assert t.start and t.end
    if t.start == t.end:
        return t.start.isoformat()
    return f"{t.start.isoformat()}..{t.end.isoformat()}"
