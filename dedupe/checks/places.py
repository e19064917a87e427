"""Place check: closely matching claims that locate the happening in different places.

Each side must name a place the other article never mentions anywhere, in one statement with
the place swapped ("derailed near Leeds" vs "derailed near Bristol"). Containment is not a
conflict: GeoNames puts cities in their states and countries ("Troy" may be in "Michigan",
"Kyiv" is in "Ukraine"; `knowledge/places.py`), and a place it does not know is never
compared, since it may lie inside the other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from dedupe.checks import EventContext, finding_id
from dedupe.checks.entities import substitutions
from dedupe.knowledge.places import disjoint
from dedupe.records import Claim, Entity, Finding

# located claims must be at least this similar to be the same happening
SIMILARITY = 0.6


def _comparable(x: Entity, y: Entity) -> bool:
    # a place the gazetteer lacks may lie inside the other one (a neighbourhood in its city):
    # unknown containment is not a conflict
    return disjoint(x.span.text, y.span.text)


def _as_place(e: Entity) -> Entity:
    """The place under one label: the recogniser calls one city GPE in one sentence and LOC
    in another ("a 162-139 record in Portland" / "in Pune"), and both are places to compare."""
    return dataclasses.replace(e, label="PLACE")


def check(ctx: EventContext) -> Iterator[Finding]:
    threshold = max(SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.aligned_pairs(threshold, top=1):
        located = [(c, _as_place(e)) for c in (a, b) for e in c.places]
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
