"""Polarity checks on wording: antonym swaps and inserted or removed negations.

"Sales rose" vs "sales fell", "a new galaxy" vs "an old galaxy": two claims aligned by their
embeddings (which barely see an antonym swap) where a word of one stands in the place of its
opposite in the other (data/antonyms.json, plus negative prefixes: "named" vs "unnamed").
"Could result in a loss" vs "could not result in a loss": closely aligned claims of the same
modality whose differing words hold an odd number of negations. A negation and an antonym
together cancel ("did not rise" vs "fell" agree).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from dedupe.checks import EventContext, finding_id
from dedupe.checks.outcomes import outcome
from dedupe.checks.wording import (
    STOPWORDS,
    negated,
    negation_flip,
    negation_stems,
    one_statement,
    stem,
    tokens,
)
from dedupe.records import Claim, Finding

# an antonym swap keeps the rest of the sentence, so the claims must align closely
SIMILARITY = 0.7
# an inserted negation changes little else: the claims must align even more closely
NEGATION_SIMILARITY = 0.75


@cache
def _lexicon() -> dict[str, Any]:
    text = resources.files("dedupe").joinpath("data/antonyms.json").read_text("utf-8")
    return dict(json.loads(text))


@cache
def opposites() -> dict[str, frozenset[str]]:
    """Stem -> stems of its opposites."""
    data = _lexicon()
    pairs: list[tuple[str, str]] = [(a, b) for a, b in data["pairs"]]
    for word in data["prefixable"]:
        pairs += [(word, prefix + word) for prefix in data["negative_prefixes"]]
    out: dict[str, set[str]] = {}
    for a, b in pairs:
        sa, sb = stem(a), stem(b)
        out.setdefault(sa, set()).add(sb)
        out.setdefault(sb, set()).add(sa)
    return {k: frozenset(v) for k, v in out.items()}


def swapped(a: str, b: str) -> tuple[str, str] | None:
    """(word in a, its opposite in b) when two sentences swap a word for its opposite in the
    same place (the words around them match), neither word being in the other sentence."""
    if negated(a) != negated(b):
        return None
    return _swap_ignoring_negation(a, b)


def _swap_ignoring_negation(a: str, b: str) -> tuple[str, str] | None:
    words_a = [(s, e, w, stem(w)) for s, e, w in tokens(a) if w not in STOPWORDS]
    words_b = [(s, e, w, stem(w)) for s, e, w in tokens(b) if w not in STOPWORDS]
    stems_a = {x[3] for x in words_a}
    stems_b = {x[3] for x in words_b}
    table = opposites()
    for sa, ea, wa, xa in words_a:
        for sb, eb, wb, xb in words_b:
            if (
                xb in table.get(xa, ())
                and xa not in stems_b
                and xb not in stems_a
                and one_statement(a, (sa, ea), b, (sb, eb), negation_stems(a, b))
            ):
                return wa, wb
    return None


def check(ctx: EventContext) -> Iterator[Finding]:
    threshold = max(SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.aligned_pairs(threshold, top=1):
        if sim >= NEGATION_SIMILARITY and a.modality == b.modality:
            negation = negation_flip(a.text, b.text)
            if (
                negation is not None
                and _swap_ignoring_negation(a.text, b.text) is None
                and one_statement(a.text, None, b.text, None, negation_stems(a.text, b.text))
            ):
                yield _negation_finding(ctx, a, b, negation, sim)
                continue
        swap = swapped(a.text, b.text)
        if swap is None or _opposite_outcomes(a, b):
            continue
        values = swap
        yield Finding(
            id=finding_id("antonym", "", values, [a.id, b.id]),
            kind="antonym",
            severity="warning",
            confidence=round(min(0.9, sim), 2),
            event_id=ctx.event.id,
            values=values,
            reason=(
                f"Closely matching claims (similarity {sim:.2f}) say opposite things: "
                f"'{values[0]}' ({ctx.articles[a.article_id].source}) vs '{values[1]}' "
                f"({ctx.articles[b.article_id].source})."
            ),
            evidence=(ctx.evidence(a, values[0]), ctx.evidence(b, values[1])),
            subject=f"{stem(swap[0])}/{stem(swap[1])}",
        )


def _opposite_outcomes(a: Claim, b: Claim) -> bool:
    """Whether the outcome check already reports the pair ("approved" vs "rejected")."""
    oa, ob = outcome(a), outcome(b)
    return oa is not None and ob is not None and oa[0] == ob[0] and oa[1] != ob[1]


def _negation_finding(ctx: EventContext, a: Claim, b: Claim, negation: str, sim: float) -> Finding:
    negated_a = negated(a.text)
    values = (
        "did not happen" if negated_a else "happened",
        "happened" if negated_a else "did not happen",
    )
    return Finding(
        id=finding_id("outcome", "negation", values, [a.id, b.id]),
        kind="outcome",
        severity="error" if a.modality == "asserted" else "warning",
        confidence=round(min(0.9, sim), 2),
        event_id=ctx.event.id,
        values=values,
        reason=(
            f"Closely matching claims (similarity {sim:.2f}) differ by a negation "
            f"('{negation}'): {ctx.articles[a.article_id].source} says it {values[0]}, "
            f"{ctx.articles[b.article_id].source} says it {values[1]}."
        ),
        evidence=(ctx.evidence(a, values[0]), ctx.evidence(b, values[1])),
        subject=a.predicate,
    )
