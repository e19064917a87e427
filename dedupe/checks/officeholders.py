"""Officeholder check: sources in one event that disagree on a person's title.

"President Donald Trump" in one article and "former U.S. President Donald Trump" in another,
about the same event, cannot both be right. Historical uses ("then-President", "the late")
are never compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from dedupe.checks import EventContext, finding_id
from dedupe.records import Claim, Evidence, Finding, Role

_HISTORICAL = {"then", "late"}
_PAST = {"former"}


def _status(role: Role) -> str:
    return "former" if set((role.qualifier or "").split()) & _PAST else "current"


def _office_key(role: Role) -> tuple[str, str, str]:
    """Office and the qualifiers that make another office ("vice", "deputy"), not the tense."""
    rest = " ".join(q for q in (role.qualifier or "").split() if q not in _PAST)
    return role.person_key, role.office, rest


def check(ctx: EventContext) -> Iterator[Finding]:
    uses: dict[tuple[str, str, str], list[tuple[Claim, Role]]] = {}
    for claim in ctx.claims:
        for role in claim.roles:
            if set((role.qualifier or "").split()) & _HISTORICAL:
                continue
            uses.setdefault(_office_key(role), []).append((claim, role))
    for key, found in sorted(uses.items()):
        by_status: dict[str, dict[str, tuple[Claim, Role]]] = {"current": {}, "former": {}}
        for claim, role in found:
            # one piece of evidence per article and status: the article's first such title
            by_status[_status(role)].setdefault(claim.article_id, (claim, role))
        current, former = by_status["current"], by_status["former"]
        if not current or not former or set(current) == set(former):
            continue
        yield _finding(ctx, key, current, former)


def _jurisdictions(sides: list[tuple[Claim, Role]]) -> set[str]:
    return {r.jurisdiction for _, r in sides if r.jurisdiction}


def _finding(
    ctx: EventContext,
    key: tuple[str, str, str],
    current: dict[str, tuple[Claim, Role]],
    former: dict[str, tuple[Claim, Role]],
) -> Finding:
    person = max((r.person for _, r in [*current.values(), *former.values()]), key=len)
    cur = sorted(current.values(), key=lambda cr: ctx.when(cr[0]))
    old = sorted(former.values(), key=lambda cr: ctx.when(cr[0]))
    cur_titles = sorted({r.title for _, r in cur})
    old_titles = sorted({r.title for _, r in old})
    evidence: list[Evidence] = [ctx.evidence(c, r.title) for c, r in cur + old]
    sources_cur = ", ".join(sorted({ctx.articles[c.article_id].source for c, _ in cur}))
    sources_old = ", ".join(sorted({ctx.articles[c.article_id].source for c, _ in old}))
    office = (key[2] + " " + key[1]).strip()
    reason = (
        f"{person} is called {' / '.join(repr(t) for t in cur_titles)} (in office) by "
        f"{sources_cur} but {' / '.join(repr(t) for t in old_titles)} (no longer in office) "
        f"by {sources_old}, about the same event; both cannot be right at its time."
    )
    jurisdictions = _jurisdictions([*cur, *old])
    if len(jurisdictions) > 1:
        reason += f" (The titles name different places: {', '.join(sorted(jurisdictions))}.)"
    values = (" / ".join(cur_titles), " / ".join(old_titles))
    return Finding(
        id=finding_id(
            "officeholder",
            f"{key[0]}|{office}",
            ("current", "former"),
            [cur[0][0].id, old[0][0].id],
        ),
        kind="officeholder",
        severity="warning",
        confidence=0.8,
        event_id=ctx.event.id,
        values=values,
        reason=reason,
        evidence=tuple(evidence),
        subject=person,
    )
