"""Name check: one statement that names different participants in two articles.

Two claims from different articles that are one statement with a name swapped, each name a
person, organisation or product the entity recogniser found and the other article never
mentions anywhere, are a conflict: "UFO Media" where the other report says "Ozy Media". Not
a conflict: a name the other article gives somewhere (an article may simply say more), two
spellings of one name, one person's two first names (same surname), names in headlines
(title case makes names of common words), and capitalised words the recogniser did not take
for names (about half of all false name findings on real headlines, issue 10).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher

from dedupe.checks import (
    EventContext,
    different_times,
    finding_id,
    fold_text,
    local,
    same_body,
    same_place,
)
from dedupe.checks.wording import STOPWORDS, one_statement, replacements, tokens
from dedupe.claims.names import strip_possessive
from dedupe.records import Claim, Entity, Finding

# aligned claims must be at least this similar: a substitution keeps the rest of the sentence
SIMILARITY = 0.6
# kinds of names compared with each other (places are the place check's). Nationalities and
# groups (NORP) are not: "English and Australian climbers" vs "a British climber" counts
# different people, and a demonym is the place check's business
KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "PRODUCT": "product",
    "NAME": "name",
}


def substitutions(
    ctx: EventContext, a: Claim, b: Claim, entities: Iterable[tuple[Claim, Entity]]
) -> Iterator[tuple[Entity, Entity]]:
    """(name in a, name in b) pairs of one label where neither article mentions the other's."""
    in_a = [e for c, e in entities if c is a and not _attribution(a, e)]
    in_b = [e for c, e in entities if c is b and not _attribution(b, e)]
    seen_a, seen_b = ctx.mentions(a.article_id), ctx.mentions(b.article_id)
    new_a = [e for e in in_a if not seen_b.names(e)]
    new_b = [e for e in in_b if not seen_a.names(e)]
    for x in new_a:
        for y in new_b:
            if (
                x.label == y.label
                and x.key != y.key  # one person: "Bill Hakim" and "William Hakim"
                and not same_place(x, y)
                and not variants(x.span.text, y.span.text)
                and not same_body(x.span.text, y.span.text)
                and one_statement(a.text, local(a, x.span), b.text, local(b, y.span))
            ):
                yield x, y
                return


def swapped_names(ctx: EventContext, a: Claim, b: Claim) -> bool:
    """Whether the two sentences name different people or organisations in each other's
    place, neither named by the other article ("Lockheed Gets 80.0 Mln Dlr Contract" /
    "Boeing Gets 34.6 Mln Dlr Contract"): their values belong to different subjects. Who
    reported a value ("ANP reported", "according to Reuters") is not its subject."""
    seen_a, seen_b = ctx.mentions(a.article_id), ctx.mentions(b.article_id)

    def names(claim: Claim, where: tuple[int, int]) -> list[Entity]:
        return [
            e
            for e in claim.entities
            if e.label in KINDS
            and _overlap(local(claim, e.span), where)
            and not _attribution(claim, e)
            and not _reporter(claim, e)
        ]

    for ra, rb in replacements(a.text, b.text):
        for x in names(a, ra):
            for y in names(b, rb):
                if not (
                    x.key == y.key
                    or variants(x.span.text, y.span.text)
                    or same_body(x.span.text, y.span.text)
                    or seen_b.names(x)
                    or seen_a.names(y)
                ):
                    return True
    return False


def _overlap(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def _reporter(claim: Claim, entity: Entity) -> bool:
    """Whether the name is who says the sentence ("ANP reported", "a port spokesman said"),
    not one who says what it did itself ("Boeing said it won")."""
    after = claim.text[entity.span.end - claim.sentence.start :]
    return _REPORTED.match(after) is not None


_REPORTED = re.compile(
    r"^\W*(?:\w+\s+){0,2}?(?:(?:reported|reports|told|tells|quoted)\b|"
    r"(?:said|says|added|stated|confirmed)\b(?!\s+(?:that\s+)?(?:it|its|he|she|they|we)\b))",
    re.IGNORECASE,
)


def _attribution(claim: Claim, entity: Entity) -> bool:
    """Whether the name is who told the story ("her rep told People.com", "confirmed to the
    Los Angeles Times"): outlets differ in whom they asked, which is no conflict."""
    before = claim.text[: entity.span.start - claim.sentence.start]
    return _ATTRIBUTION.search(before) is not None


_ATTRIBUTION = re.compile(
    r"\b(told|according to|confirmed to|said to|reported by|via)\s+(the\s+)?$"
    # the outlet of a named reporter: "According to Michael Silverman of the Boston Herald"
    r"|\baccording to [A-Z][\w.' -]{0,40}\b(of|at|for)\s+(the\s+)?$",
    re.IGNORECASE,
)


# two spellings of one name are at least this alike (difflib ratio on folded letters):
# "Advisers"/"Advisors" 0.93, "Katherine"/"Catherine" 0.89; "Butler"/"Smith" 0.18
VARIANT_RATIO = 0.85
_SUFFIXES = re.compile(r"\b(the|ltd|limited|inc|incorporated|corp|corporation|co|plc|llc)\b")


def variants(x: str, y: str) -> bool:
    """Whether two names are one name written two ways: possessives, "the", company suffixes,
    spacing and punctuation aside ("TallGrass Ltd." = "Tall Grass Limited"), one inside the
    other ("Ethiopian-flagged"), an abbreviation ("Lt" for "Lieutenant"), or a small spelling
    difference ("Recognised"/"Recognized")."""
    fx, fy = (_letters(strip_possessive(v)) for v in (x, y))
    if not fx or not fy or fx in fy or fy in fx:
        return True
    short, long = sorted((fx, fy), key=len)
    if short[0] == long[0] and _subsequence(short, long) and len(short) <= 4:
        return True
    return SequenceMatcher(None, fx, fy).ratio() >= VARIANT_RATIO


def _letters(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _SUFFIXES.sub(" ", fold_text(name)))


def _subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(c in rest for c in short)


def check(ctx: EventContext) -> Iterator[Finding]:
    threshold = max(SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.aligned_pairs(threshold, top=1, led_apart=True):
        if a.is_headline or b.is_headline or _title_case(a) or _title_case(b):
            continue  # a headline's capitals make names of common words ("Nominee", "Act")
        if different_times(a, b):
            continue  # who did it in January and who did it last year may well differ
        named = [(c, e) for c in (a, b) for e in c.entities if e.label in KINDS]
        found = next(substitutions(ctx, a, b, named), None)
        if found is not None:
            yield _finding(ctx, a, b, *found, sim)


def _title_case(claim: Claim) -> bool:
    """Whether the words outside the names the claim has found are mostly capitalised (a
    headline, "Surgeon General Nominee Dr. Regina Benjamin"), so capitals mark no names;
    "Zelensky met Trump at the White House on Friday" is a sentence full of names."""
    text, offset = claim.text, claim.sentence.start
    spans = [e.span for e in (*claim.entities, *claim.places)] + [t.span for t in claim.times]
    named = [(m.start - offset, m.end - offset) for m in spans]
    words = [
        text[s]
        for s, _, w in tokens(text)
        if w.isalpha() and w not in STOPWORDS and not any(a <= s < b for a, b in named)
    ]
    return len(words) > 1 and sum(c.isupper() for c in words) > len(words) / 2


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
