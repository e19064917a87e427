"""Name check: closely matching claims that name different participants.

Two aligned claims from different articles, where each names a person, organisation, group or
product of one kind that the other article never mentions anywhere, are a conflict: "UFO Media"
where the other report says "Ozy Media". A name the other article gives somewhere is not one
(an article may simply say more), nor are names of one country ("Kyiv", "Ukrainian").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from dedupe.checks import EventContext, Mentions, finding_id, fold_text, same_place
from dedupe.checks.wording import STOPWORDS, replacements, substituted, tokens
from dedupe.claims.names import place_code
from dedupe.records import Claim, Entity, Finding, Span

# aligned claims must be at least this similar: a substitution keeps the rest of the sentence
SIMILARITY = 0.6
# kinds of names compared with each other (places are the place check's)
KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "NORP": "group",
    "PRODUCT": "product",
    "NAME": "name",
}


def substitutions(
    ctx: EventContext, a: Claim, b: Claim, entities: Iterable[tuple[Claim, Entity]]
) -> Iterator[tuple[Entity, Entity]]:
    """(name in a, name in b) pairs of one label where neither article mentions the other's."""
    in_a = [e for c, e in entities if c is a]
    in_b = [e for c, e in entities if c is b]
    seen_a, seen_b = ctx.mentions(a.article_id), ctx.mentions(b.article_id)
    new_a = [e for e in in_a if not seen_b.names(e)]
    new_b = [e for e in in_b if not seen_a.names(e)]
    for x in new_a:
        for y in new_b:
            if x.label == y.label and not same_place(x, y) and _same_slot(a, x, b, y):
                yield x, y
                return


def _same_slot(a: Claim, x: Entity, b: Claim, y: Entity) -> bool:
    """Whether the two names sit among the same words of their sentences."""
    return substituted(a.text, _local(a, x), b.text, _local(b, y))


def _local(claim: Claim, entity: Entity) -> tuple[int, int]:
    offset = claim.sentence.start
    return entity.span.start - offset, entity.span.end - offset


def check(ctx: EventContext) -> Iterator[Finding]:
    threshold = max(SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.aligned_pairs(threshold, top=1):
        named = [(c, e) for c in (a, b) for e in c.entities if e.label in KINDS]
        found = next(substitutions(ctx, a, b, named), None)
        if found is not None:
            yield _finding(ctx, a, b, *found, sim)
        else:
            yield from _proper_nouns(ctx, a, b, sim)


def _capitalised(claim: Claim, span: tuple[int, int], seen: Mentions) -> str:
    """The capitalised words in the claim's text[span] (not starting the sentence, not part of
    a date, number or place the other checks compare) that the other article never uses:
    names the entity recogniser missed or cut short."""
    text, offset = claim.text, claim.sentence.start
    spans = [m.span for m in claim.times] + [m.span for m in claim.quantities]
    covered = [(m.start - offset, m.end - offset) for m in spans + [m.span for m in claim.places]]
    words = [
        text[s:e]
        for s, e, _ in tokens(text)
        if span[0] <= s < span[1]
        and s > 0
        and text[s].isupper()
        and not any(c0 <= s < c1 for c0, c1 in covered)
    ]
    novel = [w for w in words if f" {fold_text(w)} " not in seen.words]
    return (
        " ".join(novel) if novel and not any(fold_text(w) in seen.initials for w in novel) else ""
    )


def _proper_nouns(ctx: EventContext, a: Claim, b: Claim, sim: float) -> Iterator[Finding]:
    """Aligned sentences where a capitalised word stands in place of another one, each
    unknown to the other article ("Ozy Media" vs "UFO Media", "Asia" vs "Africa")."""
    if _title_case(a.text) or _title_case(b.text):
        return  # capitals in a headline say nothing about names
    seen_a, seen_b = ctx.mentions(a.article_id), ctx.mentions(b.article_id)
    for ra, rb in replacements(a.text, b.text):
        x, y = _capitalised(a, ra, seen_b), _capitalised(b, rb, seen_a)
        if x and y and (place_code(x) is None) == (place_code(y) is None):
            yield _finding(ctx, a, b, _word_entity(a, ra, x), _word_entity(b, rb, y), sim)
            return


def _title_case(text: str) -> bool:
    """Whether most words are capitalised (a headline), so capitals do not mark names."""
    words = [text[s] for s, _, w in tokens(text) if w.isalpha() and w not in STOPWORDS]
    return len(words) > 0 and sum(c.isupper() for c in words) > len(words) / 2


def _word_entity(claim: Claim, span: tuple[int, int], text: str) -> Entity:
    start = claim.sentence.start + span[0]
    return Entity(Span(start, start + len(text), text), "NAME", f"name:{fold_text(text)}")


def _finding(ctx: EventContext, a: Claim, b: Claim, x: Entity, y: Entity, sim: float) -> Finding:
    kind = KINDS[x.label]
    values = (x.span.text, y.span.text)
    source_a, source_b = ctx.articles[a.article_id].source, ctx.articles[b.article_id].source
    return Finding(
        id=finding_id("name", kind, (x.key, y.key), [a.id, b.id]),
        kind="name",
        severity="warning",
        confidence=round(min(0.9, sim), 2),
        event_id=ctx.event.id,
        values=values,
        reason=(
            f"In closely matching claims (similarity {sim:.2f}) {source_a} names the {kind} "
            f"'{values[0]}' where {source_b} names '{values[1]}', and neither article mentions "
            "the other's."
        ),
        evidence=(ctx.evidence(a, values[0]), ctx.evidence(b, values[1])),
        subject=kind,
    )
