"""Outcome check: approved vs declined, won vs lost, agreed vs refused, happened vs did not.

Two asserted claims of one outcome frame (data/outcomes.json) with opposite polarity, whose
subjects are the same participants, conflict when they are one statement but for their verbs;
opposite results of a contest or a life ("retained" / "lost", "died" / "survived") of one
named subject conflict however the sentences are worded. So do two closely aligned claims of
the same verb and modality where one is negated ("was arrested" vs "was not arrested"; "will
recall" vs "will not recall"). Modality is respected: a plan, request or deliberation
("seeks", "is weighing") followed by a reported outcome ("declined") is a status change for
the timeline, not a conflict, and a plan is never compared with an outcome.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from dedupe.checks import EventContext, change_id, different_times, finding_id
from dedupe.checks.wording import (
    negated,
    negates_a_verb,
    negation_flip,
    negation_stems,
    one_statement,
    stem,
)
from dedupe.claims.frames import cues
from dedupe.records import Change, Claim, Finding

# claims must share this many participants or object words to be about the same thing
_MIN_SHARED = 1
_STATUS_SIMILARITY = 0.35
# opposite results of one subject are compared without the one-statement gate only in
# claims this closely aligned (the antonym check's threshold)
RESULT_SIMILARITY = 0.7
# a negated verb is compared with the same verb only in claims this closely aligned
NEGATION_SIMILARITY = 0.6


@cache
def lexicon() -> dict[str, Any]:
    text = resources.files("dedupe").joinpath("data/outcomes.json").read_text("utf-8")
    data = json.loads(text)
    verbs = {
        v: (frame, sign)
        for frame, signs in data["frames"].items()
        for sign, vs in signs.items()
        for v in vs
    }
    return {
        "verbs": verbs,
        "requests": set(data["request_lemmas"]),
        "cumulative": set(data["cumulative_heads"]),
        "results": set(data["results"]),
    }


def outcome(claim: Claim) -> tuple[str, str] | None:
    """(frame, "+" or "-") of what a claim says happened, or None if it reports no outcome."""
    verbs = lexicon()["verbs"]
    lemmas = claim.predicate.split()
    flips = 1 if _negated(claim) else 0
    for lemma in lemmas:
        if lemma in cues()["negative_implicatives"] and lemma != lemmas[-1]:
            flips += 1
            continue
        if lemma in verbs:
            frame, sign = verbs[lemma]
            if flips % 2:
                sign = "-" if sign == "+" else "+"
            return frame, sign
    return None


def polarity(claim: Claim) -> tuple[str, str]:
    """("do:" + main verb, "+" or "-"): whether the claim says its verb happened or not."""
    lemmas = claim.predicate.split()
    flips = 1 if _negated(claim) else 0
    flips += sum(1 for lemma in lemmas[:-1] if lemma in cues()["negative_implicatives"])
    return "do:" + lemmas[-1], "-" if flips % 2 else "+"


def _negated(claim: Claim) -> bool:
    """The parser's negation of the claim's verb, unless the sentence's only negations scope
    no verb ("Not because Mo Cheeks was long for the job": the parser ties "not" to "was")."""
    return claim.negated and negates_a_verb(claim.text)


def _words(text: str) -> set[str]:
    return {w.lower() for w in text.split() if len(w) > 3}


def _topic(claim: Claim) -> set[str]:
    return set(claim.participants) | _words(claim.object + " " + claim.subject)


def _shared(a: Claim, b: Claim) -> bool:
    return len(_topic(a) & _topic(b)) >= _MIN_SHARED


def _same_subject(a: Claim, b: Claim) -> bool:
    """Whether the two claims' subjects share a word (who approved or refused must match)."""
    return bool(_words(a.subject) & _words(b.subject)) or a.subject.lower() == b.subject.lower()


def _same_object(a: Claim, b: Claim) -> bool:
    """Whether the claims' objects can be one thing: they share a word, or one claim names
    none ("never checked into Morningside" / "checks into Betty Ford": two places, two
    happenings; "has not had the chance to revise it" / "has a script")."""
    wa, wb = _object_words(a), _object_words(b)
    return not (wa and wb) or bool(wa & wb)


def _object_words(claim: Claim) -> set[str]:
    """The words of the claim's object, none when the parser took the noun of a complex
    preposition for it ("charged yesterday in connection with the shooting": no object)."""
    if not claim.object:
        return set()
    complex_preposition = re.compile(
        rf"\bin\s+{re.escape(claim.object)}\s+(?:with|of|to)\b", re.IGNORECASE
    )
    return set() if complex_preposition.search(claim.text) else _words(claim.object)


def _is_request(claim: Claim) -> bool:
    return claim.modality == "planned" or bool(set(claim.predicate.split()) & lexicon()["requests"])


def check(ctx: EventContext) -> Iterator[Finding | Change]:
    # the most similar plan -> outcome pair of each pair of articles becomes a status change
    status: dict[tuple[str, str], tuple[float, Claim, Claim, tuple[str, str]]] = {}
    reported: set[tuple[str, str]] = set()
    for a, b, sim in ctx.cross_pairs(_STATUS_SIMILARITY):
        frame = _opposite_outcomes(ctx, a, b, sim)
        if frame is not None:
            reported.add((a.id, b.id))
            yield _conflict(ctx, a, b, frame, sim)
            continue
        ob = outcome(b)
        if (
            ob
            and b.modality == "asserted"
            and a.modality != "asserted"
            and _is_request(a)
            and _shared(a, b)
            and _later(ctx, a, b)
        ):
            key = (a.article_id, b.article_id)
            if key not in status or sim > status[key][0]:
                status[key] = (sim, a, b, ob)
    for _, a, b, ob in status.values():
        yield _status_change(ctx, a, b, ob)
    threshold = max(NEGATION_SIMILARITY, ctx.settings.conflict_similarity)
    for a, b, sim in ctx.aligned_pairs(threshold, top=1):
        pa, pb = polarity(a), polarity(b)
        if (
            (a.id, b.id) not in reported
            and pa[0] == pb[0]
            and pa[1] != pb[1]
            and a.modality == b.modality  # never hypothetical: the pairs leave those out
            and _shared(a, b)
            and negated(a.text) != negated(b.text)
            and negation_flip(a.text, b.text) is not None
            and _same_object(a, b)
            and not different_times(a, b)
            and _one_statement(a, b)
        ):
            yield _conflict(ctx, a, b, pa[0].removeprefix("do:"), sim)


def _opposite_outcomes(ctx: EventContext, a: Claim, b: Claim, sim: float) -> str | None:
    """The frame of which the two claims report opposite outcomes of one happening: about
    the same participants or things, their objects one and their times not apart, either one
    asserted statement but for its verbs ("the board approved the plan" / "the board
    rejected the plan") or opposite results of one subject (`_opposite_results`)."""
    oa, ob = outcome(a), outcome(b)
    if not (oa and ob and oa[0] == ob[0] and oa[1] != ob[1]):
        return None
    if not _shared(a, b) or not _same_object(a, b) or different_times(a, b):
        return None
    one = (
        a.modality == b.modality == "asserted"
        and sim >= ctx.settings.conflict_similarity
        and _same_subject(a, b)
        and _one_statement(a, b)
    )
    return oa[0] if one or _opposite_results(a, b, oa[0], sim) else None


def _opposite_results(a: Claim, b: Claim, frame: str, sim: float) -> bool:
    """Whether two claims with opposite outcomes of a one-off result (data/outcomes.json
    "results": "Klitschko retained his titles" / "Klitschko lost his titles", "Felt died at
    his home" / "Felt survived") report it of one named subject, however differently the
    sentences are worded: a contest won is not later lost, nor a death later survived, so
    unlike "hired" and "fired" the two cannot be two steps of one story. Both must state
    it (asserted or reported) in sentences at least `RESULT_SIMILARITY` alike."""
    return (
        frame in lexicon()["results"]
        and sim >= RESULT_SIMILARITY
        and {a.modality, b.modality} <= {"asserted", "reported"}
        and bool(_words(a.subject) & _words(b.subject))
    )


def _one_statement(a: Claim, b: Claim) -> bool:
    """Whether the two claims are one statement but for their verbs and negations ("the board
    approved the plan" / "the board did not approve the plan"); two claims about the same
    people that say more than that are about different happenings (a coach hired in 2005 and
    fired in 2008)."""
    verbs = frozenset(stem(c.predicate.split()[-1]) for c in (a, b) if c.predicate)
    return one_statement(a.text, None, b.text, None, verbs | negation_stems(a.text, b.text))


def _later(ctx: EventContext, a: Claim, b: Claim) -> bool:
    """Whether b's article was published strictly after a's (both dated)."""
    pa, pb = ctx.published(a), ctx.published(b)
    return pa is not None and pb is not None and pa < pb


def _describe(claim: Claim, result: tuple[str, str] | None = None) -> str:
    """'weigh Ukraine's request', 'not win the title', 'planned: meet Biden'."""
    words = claim.predicate.split()
    verb = " to ".join(words)
    if _negated(claim):
        verb = "not " + verb
    phrase = f"{verb} {' '.join(claim.object.split()[:6])}".strip()
    return f"{claim.modality}: {phrase}" if result is None else phrase


def _conflict(ctx: EventContext, a: Claim, b: Claim, frame: str, sim: float) -> Finding:
    va, vb = (_describe(c, ("", "")) if c.modality == "asserted" else _describe(c) for c in (a, b))
    reason = (
        f"The sources report opposite outcomes ({frame}): {ctx.articles[a.article_id].source}"
        f" says '{va}', {ctx.articles[b.article_id].source} says '{vb}', in claims about "
        f"the same participants (similarity {sim:.2f})."
    )
    return Finding(
        id=finding_id("outcome", frame, (va, vb), [a.id, b.id]),
        kind="outcome",
        severity="error" if a.modality == b.modality == "asserted" else "warning",
        confidence=round(min(0.95, 0.5 + sim / 2), 2),
        event_id=ctx.event.id,
        values=(va, vb),
        reason=reason,
        evidence=(ctx.evidence(a, va), ctx.evidence(b, vb)),
        subject=frame,
    )


def _status_change(ctx: EventContext, a: Claim, b: Claim, result: tuple[str, str]) -> Change:
    before, after = _describe(a), _describe(b, result)
    reason = (
        f"Earlier reporting ({ctx.when(a)}) described a plan or request ('{before}'); "
        f"later reporting ({ctx.when(b)}) gives the outcome ('{after}'). This is a change "
        "of status, not a contradiction."
    )
    return Change(
        id=change_id("status_change", a, b),
        kind="status_change",
        event_id=ctx.event.id,
        values=(before, after),
        reason=reason,
        evidence=(ctx.evidence(a, before), ctx.evidence(b, after)),
    )
