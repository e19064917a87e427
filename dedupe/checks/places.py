"""Place check: the same happening located in different places by two sources.

Places are compared by canonical key; a capital counts as inside its country through the place
gazetteer ("Kyiv" is in "Ukraine"), and a place the gazetteer does not know is never compared
with a country, so containment is not reported as a conflict.
"""

from __future__ import annotations

from collections.abc import Iterator

from dedupe.checks import EventContext, finding_id
from dedupe.records import Claim, Finding

# located claims must be this similar and share their main verb to be the same happening
_SIMILARITY = 0.75


def _places(claim: Claim) -> dict[str, str]:
    return {e.key: e.span.text for e in claim.places}


def check(ctx: EventContext) -> Iterator[Finding]:
    threshold = max(_SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.cross_pairs(threshold):
        if a.predicate.split()[:1] != b.predicate.split()[:1]:
            continue
        pa, pb = _places(a), _places(b)
        if not pa or not pb or set(pa) & set(pb):
            continue
        # a place only one side names may be context ("in Brussels, the U.S. said"); demand
        # that each side names exactly one place
        if len(pa) != 1 or len(pb) != 1:
            continue
        ka, kb = next(iter(pa)), next(iter(pb))
        if ka.startswith("loc:") != kb.startswith("loc:"):
            continue  # a known country vs a place the gazetteer lacks: it may lie inside it
        values = (pa[ka], pb[kb])
        yield Finding(
            id=finding_id("place", a.predicate, values, [a.id, b.id]),
            kind="place",
            severity="warning",
            confidence=round(min(0.9, sim), 2),
            event_id=ctx.event.id,
            values=values,
            reason=(
                f"Both sources report '{a.predicate.replace(' ', ' to ')}' but place it "
                f"differently: {values[0]} vs {values[1]}, and neither contains the other."
            ),
            evidence=(ctx.evidence(a, values[0]), ctx.evidence(b, values[1])),
            subject=a.predicate,
        )
