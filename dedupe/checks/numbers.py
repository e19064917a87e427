"""Number check: the same quantity reported with values that cannot both be true.

Numbers are compared as intervals with units normalised (see dedupe.quantities), only between
near-duplicate claims and only for the same unit and counted noun. A later article raising a
running count (deaths, arrests) is an update for the timeline, not a contradiction.
"""

from __future__ import annotations

from collections.abc import Iterator

from dedupe.checks import EventContext, change_id, finding_id
from dedupe.checks.outcomes import lexicon
from dedupe.quantities import Amount, disjoint
from dedupe.records import Change, Claim, Finding, Quantity

# paired numbers must come from claims at least this similar (they describe the same fact)
_SIMILARITY = 0.6


def _amount(q: Quantity) -> Amount:
    return Amount(q.value, q.low, q.high, q.unit, q.approximate)


def check(ctx: EventContext) -> Iterator[Finding | Change]:
    threshold = max(_SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.cross_pairs(threshold):
        for qa in a.quantities:
            for qb in b.quantities:
                if qa.unit != qb.unit or not qa.head or qa.head != qb.head:
                    continue
                if not disjoint(_amount(qa), _amount(qb)):
                    continue
                yield _result(ctx, a, b, qa, qb, sim)


def _result(
    ctx: EventContext, a: Claim, b: Claim, qa: Quantity, qb: Quantity, sim: float
) -> Finding | Change:
    pa, pb = ctx.published(a), ctx.published(b)
    later = pa is not None and pb is not None and pb > pa
    running = qa.head in lexicon()["cumulative"] and qb.value > qa.value
    values = (qa.span.text, qb.span.text)
    evidence = (ctx.evidence(a, qa.span.text), ctx.evidence(b, qb.span.text))
    if later and running:
        return Change(
            id=change_id("update", a, b),
            kind="update",
            event_id=ctx.event.id,
            values=values,
            reason=(
                f"The count of {qa.head} rose from {qa.span.text} ({ctx.when(a)}) to "
                f"{qb.span.text} ({ctx.when(b)}): a later update, not a contradiction."
            ),
            evidence=evidence,
        )
    reason = (
        f"The sources give different values for the same {qa.head}: {qa.span.text} "
        f"({ctx.articles[a.article_id].source}) vs {qb.span.text} "
        f"({ctx.articles[b.article_id].source}); as intervals in {qa.unit} they do not "
        f"overlap."
    )
    return Finding(
        id=finding_id("number", qa.head, values, [a.id, b.id]),
        kind="number",
        severity="error" if not (qa.approximate or qb.approximate) else "warning",
        confidence=round(min(0.95, sim), 2),
        event_id=ctx.event.id,
        values=values,
        reason=reason,
        evidence=evidence,
        subject=qa.head,
    )
