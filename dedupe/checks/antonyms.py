"""Antonym check: closely matching claims where one says a word and the other its opposite.

"Sales rose" vs "sales fell", "a new galaxy" vs "an old galaxy": two claims aligned by their
embeddings (which barely see an antonym swap) where a word of one has its opposite in the other
(data/antonyms.json, plus negative prefixes: "named" vs "unnamed"), neither word appearing in
the other claim. A negation on one side cancels the swap ("did not rise" vs "fell" agree).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from dedupe.checks import EventContext, finding_id
from dedupe.checks.wording import STOPWORDS, stem, substituted, tokens
from dedupe.records import Finding

# an antonym swap keeps the rest of the sentence, so the claims must align closely
SIMILARITY = 0.7
_NEGATIONS = {"not", "no", "never", "nt", "cannot", "without", "neither", "nor"}


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


def _negations(text: str) -> int:
    words = [w for _, _, w in tokens(text.replace("n't", " not").replace("n\u2019t", " not"))]
    return sum(w in _NEGATIONS for w in words)


def swapped(a: str, b: str) -> tuple[str, str] | None:
    """(word in a, its opposite in b) when two sentences swap a word for its opposite in the
    same context (the words around them match), neither word being in the other sentence."""
    if _negations(a) % 2 != _negations(b) % 2:
        return None
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
                and substituted(a, (sa, ea), b, (sb, eb))
            ):
                return wa, wb
    return None


def check(ctx: EventContext) -> Iterator[Finding]:
    threshold = max(SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.aligned_pairs(threshold, top=1):
        swap = swapped(a.text, b.text)
        if swap is None:
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
