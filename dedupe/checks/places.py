"""Place check: closely matching claims that locate the happening in different places.

Each side must name a place the other article never mentions anywhere ("Sydney" vs
"Melbourne"). Containment is not a conflict: the place gazetteer puts capitals inside their
countries ("Kyiv" is in "Ukraine"), and a place it does not know is never compared with a
country it knows, since it may lie inside it.
"""

from __future__ import annotations

from collections.abc import Iterator

from dedupe.checks import EventContext, finding_id
from dedupe.checks.entities import substitutions
from dedupe.records import Claim, Entity, Finding

# located claims must be at least this similar to be the same happening
SIMILARITY = 0.6


def _comparable(x: Entity, y: Entity) -> bool:
    # a known country vs a place the gazetteer lacks: the place may lie inside the country
    return x.key.startswith("loc:") == y.key.startswith("loc:")


def check(ctx: EventContext) -> Iterator[Finding]:
    threshold = max(SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.aligned_pairs(threshold, top=1):
        located = [(c, e) for c in (a, b) for e in c.places]
        for x, y in substitutions(ctx, a, b, located):
            if _comparable(x, y):
                yield _finding(ctx, a, b, x, y, sim)


def _finding(ctx: EventContext, a: Claim, b: Claim, x: Entity, y: Entity, sim: float) -> Finding:
    values = (x.span.text, y.span.text)
    return Finding(
        id=finding_id("place", a.predicate, values, [a.id, b.id]),
        kind="place",
        severity="warning",
        confidence=round(min(0.9, sim), 2),
        event_id=ctx.event.id,
        values=values,
        reason=(
            f"Closely matching claims (similarity {sim:.2f}) place it differently: {values[0]} "
            f"vs {values[1]}; neither article mentions the other place and neither contains "
            "the other."
        ),
        evidence=(ctx.evidence(a, values[0]), ctx.evidence(b, values[1])),
        subject=a.predicate,
    )
