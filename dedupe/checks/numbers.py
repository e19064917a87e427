"""Number check: the same quantity reported with values that cannot both be true.

Numbers are compared as intervals with units and scale normalised (see dedupe.claims.quantities), so
"$2 billion" = "2bn dollars" = "$2,000 million" and "nearly 300" admits 280. Two numbers are
paired when similar claims count the same noun in the same unit, or when closely aligned claims
give numbers of one unit in each other's place; either way each must be a number the other
article gives nowhere. A later
article raising a running count (deaths, arrests) is an update for the timeline, not a
contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dedupe.checks import EventContext, Mentions, change_id, different_times, finding_id, local
from dedupe.checks.entities import swapped_names
from dedupe.checks.outcomes import lexicon
from dedupe.checks.wording import STOPWORDS, one_statement, stem, tokens
from dedupe.claims.quantities import AGE, Amount, disjoint, format_amount
from dedupe.records import Change, Claim, Finding, Quantity

# numbers of one counted noun must come from claims at least this similar (the same fact)
SIMILARITY = 0.6
# numbers without a shared noun must come from claims this closely aligned
ALIGNED = 0.6


def amount(q: Quantity) -> Amount:
    return Amount(q.value, q.low, q.high, q.unit, q.approximate)


def _given(q: Quantity, seen: Mentions) -> bool:
    """Whether an article gives this number anywhere (an overlapping interval, same unit)."""
    return any(o.unit == q.unit and not disjoint(amount(q), amount(o)) for o in seen.quantities)


def check(ctx: EventContext) -> Iterator[Finding | Change]:
    threshold = max(SIMILARITY, ctx.settings.conflict_similarity)
    compared: set[tuple[str, str]] = set()
    for a, b, sim in ctx.cross_pairs(threshold):
        seen_a, seen_b = ctx.mentions(a.article_id), ctx.mentions(b.article_id)
        for qa in a.quantities:
            for qb in b.quantities:
                if (
                    qa.unit == qb.unit
                    and qa.head
                    and qa.head == qb.head
                    and not _given(qa, seen_b)
                    and not _given(qb, seen_a)
                    and (_in_place_of(a, qa, b, qb) or _named_alike(a, qa, b, qb))
                    and _same_happening(ctx, a, qa, b, qb)
                ):
                    compared.add((a.id, b.id))
                    yield _result(ctx, a, b, qa, qb, sim)
    for a, b, sim in ctx.aligned_pairs(max(ALIGNED, ctx.settings.conflict_similarity), top=1):
        seen_a, seen_b = ctx.mentions(a.article_id), ctx.mentions(b.article_id)
        new_a = [q for q in a.quantities if not _given(q, seen_b)]
        new_b = [q for q in b.quantities if not _given(q, seen_a)]
        pairs = [
            (x, y)
            for x in new_a
            for y in new_b
            if x.unit == y.unit
            and (x.head == y.head or not (x.head and y.head))
            and _in_place_of(a, x, b, y)
            and _same_happening(ctx, a, x, b, y)
        ]
        if pairs and (a.id, b.id) not in compared:
            compared.add((a.id, b.id))
            x, y = pairs[0]
            yield _result(ctx, a, b, x, y, sim)
    yield from _ages(ctx, compared)


# two reports of one event may straddle a birthday: ages this far apart (years) still agree
AGE_SLACK = 1
# an age is compared only between articles published at most this many days apart
AGE_DAYS = 365
_OWNER_BEFORE = re.compile(r"((?:[A-Z][\w.'-]*\s+)*[A-Z][\w.'-]*)\s*,\s*$")
_OWNER_AFTER = re.compile(r"^\s*((?:[A-Z][\w.'-]*\s+)*[A-Z][\w'-]*)")
_HONORIFICS = {"mr", "mrs", "ms", "dr", "miss", "sir", "the"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def _ages(ctx: EventContext, compared: set[tuple[str, str]]) -> Iterator[Finding | Change]:
    """One person's age given differently ("Cheeks, 48," / "Cheeks, 72,"): an age belongs
    to a person, not to a sentence, so the claims need not be one statement. Compared only
    when both name the person alike (same surname, no other first name), in articles at most
    `AGE_DAYS` apart, and neither age is given anywhere in the other article."""
    aged = [(c, q, owner) for c in ctx.claims for q in c.quantities if (owner := _owner(c, q))]
    for i, (a, qa, oa) in enumerate(aged):
        for b, qb, ob in aged[i + 1 :]:
            if ctx.settled(a, b) or (a.id, b.id) in compared:
                continue
            if abs(qa.value - qb.value) <= AGE_SLACK or not _one_person(ctx, a, oa, b, ob):
                continue
            if _given(qa, ctx.mentions(b.article_id)) or _given(qb, ctx.mentions(a.article_id)):
                continue
            if ctx.ordered(a, b) != (a, b):
                a, qa, b, qb = b, qb, a, qa
            compared.add((a.id, b.id))
            yield _result(ctx, a, b, qa, qb, ctx.similarity(a, b))


def _owner(claim: Claim, q: Quantity) -> tuple[str, ...]:
    """The name an age belongs to, as words: before it ("Raj Chohan, 59,") or after it
    ("66-year-old LuAnn Johnson"); none for another number or an unnamed person."""
    if q.unit != AGE:
        return ()
    start, end = local(claim, q.span)
    match = _OWNER_BEFORE.search(claim.text[:start]) or _OWNER_AFTER.match(claim.text[end:])
    if not match:
        return ()
    words = [w.rstrip(".").lower() for w in match.group(1).split()]
    while words and words[-1] in _SUFFIXES:  # "Arcade Joseph Comeaux Jr."
        words.pop()
    return tuple(w for w in words if w not in _HONORIFICS)


def _one_person(
    ctx: EventContext, a: Claim, oa: tuple[str, ...], b: Claim, ob: tuple[str, ...]
) -> bool:
    """Whether two age owners are one person: the same surname, and no two first names
    for it in the names or anywhere in either article (two brothers), in articles
    published within `AGE_DAYS` of each other."""
    if not oa or not ob or oa[-1] != ob[-1]:
        return False
    # the word before the surname is the first name ("Senior Trooper William Hakim")
    given = {owner[-2] for owner in (oa, ob) if len(owner) > 1}
    given |= {f for c in (a, b) for f in _first_names(ctx.articles[c.article_id].text, oa[-1])}
    if len(given) > 1:
        return False
    pa, pb = ctx.published(a), ctx.published(b)
    return pa is None or pb is None or abs((pa - pb).days) <= AGE_DAYS


def _first_names(text: str, surname: str) -> set[str]:
    """The first names an article gives the surname ("Mark Vinar", "Miles Vinar")."""
    pattern = rf"\b([A-Z][a-z]+)\s+(?i:{re.escape(surname)})\b"
    found = {m.lower() for m in re.findall(pattern, text)}
    return found - _HONORIFICS - STOPWORDS


def _in_place_of(a: Claim, x: Quantity, b: Claim, y: Quantity) -> bool:
    """Whether the two numbers stand in each other's place in one statement, written in the
    same unit ("60m" and "200ft", "193km/h" and "120 mph" are not one unit, whatever the
    parser made of them)."""
    return _written_unit(a, x) == _written_unit(b, y) and one_statement(
        a.text, local(a, x.span), b.text, local(b, y.span)
    )


def _same_happening(ctx: EventContext, a: Claim, x: Quantity, b: Claim, y: Quantity) -> bool:
    """Whether the two numbers can be values of one thing: the sentences state no different
    times ("in January" / "last year"), name no different subjects in each other's place
    ("Lockheed gets" / "Boeing gets"), measure the same thing ("percent of downstream
    traffic in the peak hours" / "percent of aggregate traffic") and are both final figures
    or neither ("closed down 3.9 percent" / "plunged 5.4 per cent")."""
    return not (
        different_times(a, b)
        or _different_measures(_measured(a, x), _measured(b, y))
        or final(a, x) != final(b, y)
        or swapped_names(ctx, a, b)
    )


# a verb of ending a few words before a number makes it the final figure of a day, a game
# or a period: "stocks closed down 3.9 percent", "ended the game with 2,129 points"
_FINAL = re.compile(r"\b(?:clos|end|finish|settl)(?:ed|ing)\b(?:\W+\w+){0,4}\W*$", re.IGNORECASE)


def final(claim: Claim, q: Quantity) -> bool:
    """Whether a number is stated as a final figure (a close, a total at the end): compared
    with a figure during (an intraday fall, one game's points) it measures another thing
    (ECB+ train: "Greek stocks plunged 5.4 per cent" / "closed down 3.9 percent",
    "McDermott ended the game with 2,129 points" / "scored 23 points")."""
    start, _ = local(claim, q.span)
    return _FINAL.search(claim.text[:start]) is not None


# words between a number and its noun that say only its unit or scale, not what it measures
_UNIT_WORDS = frozenset(
    """percent pct per cent percentage points point mln bln billion million trillion thousand
    dlr dlrs dollars dollar stg pound pounds yen marks francs tonnes tons""".split()  # noqa: SIM905
)
# the noun a number measures lies at most this many words after it ("34.9 percent of
# downstream North American traffic": five)
_MEASURED_WORDS = 6


def _measured(claim: Claim, q: Quantity) -> frozenset[str] | None:
    """Stems of the words between a number and the noun it measures (its modifiers:
    "downstream north american" of "34.9 percent of downstream North American traffic"),
    or None when the noun does not follow within `_MEASURED_WORDS` words."""
    if not q.head:
        return None
    end = q.span.end - claim.sentence.start
    after = [w for s, _, w in tokens(claim.text) if s >= end][: _MEASURED_WORDS + 1]
    head = stem(q.head.split()[-1])
    stems = [stem(w) for w in after]
    if head not in stems:
        return None
    return frozenset(
        s
        for w, s in zip(after[: stems.index(head)], stems, strict=False)
        if w not in STOPWORDS and w not in _UNIT_WORDS and not w[0].isdigit()
    )


def _different_measures(x: frozenset[str] | None, y: frozenset[str] | None) -> bool:
    """Whether each number's noun has a modifier the other's lacks ("downstream" traffic vs
    "aggregate" traffic); one that only says more ("assault rifles" / "rifles") is the same."""
    return bool(x and y and x - y and y - x)


def _named_alike(a: Claim, x: Quantity, b: Claim, y: Quantity) -> bool:
    """Whether two counts count one thing named alike, modifiers and all ("two undersea
    cables" / "three undersea cables"), though the sentences around them are worded apart."""
    mx, my = _measured(a, x), _measured(b, y)
    return x.unit == "count" and bool(mx) and mx == my


def _written_unit(claim: Claim, q: Quantity) -> str:
    """The letters glued to the number ("m" of "60m"), or for a plain count the word after
    it ("mph" of "120 mph"), lowercased."""
    glued = _GLUED.search(q.span.text)
    if glued:
        return glued.group(1).lower()
    if q.unit != "count":
        return ""
    after = _NEXT_WORD.match(claim.text, q.span.end - claim.sentence.start)
    return after.group(1).lower() if after else ""


_GLUED = re.compile(r"\d([a-zA-Z]+)\b")
_NEXT_WORD = re.compile(r"\s?([a-zA-Z]+)")


def _result(
    ctx: EventContext, a: Claim, b: Claim, qa: Quantity, qb: Quantity, sim: float
) -> Finding | Change:
    pa, pb = ctx.published(a), ctx.published(b)
    later = pa is not None and pb is not None and pb > pa
    head = qa.head if qa.head == qb.head else ""
    running = head in lexicon()["cumulative"] and qb.value > qa.value
    evidence = (ctx.evidence(a, qa.span.text), ctx.evidence(b, qb.span.text))
    values = (format_amount(amount(qa)), format_amount(amount(qb)))
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
    what = f"the same {head}" if head else "the same fact"
    reason = (
        f"The sources give different values for {what}: {qa.span.text} "
        f"({ctx.articles[a.article_id].source}) vs {qb.span.text} "
        f"({ctx.articles[b.article_id].source}); as intervals in {qa.unit} ({values[0]} vs "
        f"{values[1]}) they do not overlap."
    )
    return Finding(
        id=finding_id("number", head, values, [a.id, b.id]),
        kind="number",
        severity="error" if not (qa.approximate or qb.approximate) else "warning",
        confidence=round(min(0.95, sim), 2),
        event_id=ctx.event.id,
        values=values,
        reason=reason,
        evidence=evidence,
        subject=head or qa.unit,
    )
