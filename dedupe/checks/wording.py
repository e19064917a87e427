"""Word-level helpers for the checks: a light stemmer and the context around a value.

A substitution is only a conflict when both values sit in the same place of matching
sentences: "start-up Ozy Media was arrested" vs "start-up UFO Media has been arrested" share
the words around the name; a name in a source attribution ("told Politico") does not.

`one_statement` is the gate every value check passes: two claims are one statement about one
happening only when their sentences align word by word with the values in each other's
place and almost nothing else differing. Two sentences that merely share a topic ("in 1983"
vs "in 1978"; a season's 1,098 yards vs a game's 25) describe different happenings, and
claim similarity alone cannot tell them apart (measured on ECB+ dev, issue 10).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from difflib import SequenceMatcher
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# function words: never a substituted value or an antonym
STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for from with as into onto over under about
    than then that this these those it its it's he she they them their his her we our you your
    i me my is are was were be been being am has have had do does did will would shall should
    can could may might must not no nor so too very also just now still even only more most
    less least some any all each every both either neither other another such own same which
    who whom whose what when where why how there here up down out off again further once
    said says say told according while after before during since until because""".split()  # noqa: SIM905
)
# words a plural "s" must not be stripped from
_KEEP_S = ("ss", "us", "is", "ws", "ous")


def happening(predicate: str) -> str:
    """What a claim with this predicate says happened, as a key: the stem of its head word.
    Within one event, claims with one key are taken to tell of one happening ("was charged",
    "charges"); `dedupe eval events` scores that grouping against ECB+'s coreferring event
    mentions (claims CoNLL F1)."""
    return stem(predicate.split()[0]) if predicate.strip() else ""


@cache
def _irregular() -> dict[str, str]:
    text = resources.files("dedupe").joinpath("data/antonyms.json").read_text("utf-8")
    return dict(json.loads(text)["irregular"])


def stem(word: str) -> str:
    """A light stem that conflates inflections: "declined", "declines" -> "declin"."""
    word = word.lower()
    irregular = _irregular()
    if word in irregular:
        return stem(irregular[word]) if irregular[word] != word else word
    if word.endswith(("ied", "ies")) and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(_KEEP_S):
                break
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word.rstrip("e") if len(word) > 3 else word


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lowercase word) of each word of a text."""
    lowered = text.lower().replace("\u2019", "'")
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(lowered)]


# a replaced stretch longer than this (in words, either side) is a rewrite, not a substitution
MAX_REPLACED = 6


@lru_cache(maxsize=4096)
def replacements(a: str, b: str) -> tuple[tuple[tuple[int, int], tuple[int, int]], ...]:
    """Character ranges of the stretches of `a` and `b` that replace each other when the two
    sentences are aligned word by word (on stems), the rest of the words matching."""
    ta, tb = tokens(a), tokens(b)
    matcher = SequenceMatcher(None, [stem(w) for *_, w in ta], [stem(w) for *_, w in tb], False)
    return tuple(
        ((ta[i1][0], ta[i2 - 1][1]), (tb[j1][0], tb[j2 - 1][1]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op == "replace" and i2 - i1 <= MAX_REPLACED and j2 - j1 <= MAX_REPLACED
    )


def substituted(a: str, span_a: tuple[int, int], b: str, span_b: tuple[int, int]) -> bool:
    """Whether text a[span_a] and b[span_b] stand in each other's place in the aligned
    sentences ("start-up Ozy Media was arrested" / "start-up UFO Media was arrested")."""
    return any(_overlap(ra, span_a) and _overlap(rb, span_b) for ra, rb in replacements(a, b))


# beyond the values, at most this many content words of one sentence may stand in place of
# other words of the other (a synonym, a reporting verb, a title; four is another statement,
# chosen on ECB+ train findings); words only one sentence has are detail, not a change
MAX_OTHER_WORDS = 3
# and at least this share of the shorter sentence's other content words must be shared
MIN_SHARED = 0.5
# and the shorter sentence must say this much besides its value (content words; digits and
# the words of a date stamp such as "21 July 2013 Last updated at 11:11 GMT" not counted):
# "Artino was never better" is no statement of a happening
MIN_CONTEXT = 3
# words of a date stamp, which say when a page was written, not what happened
_STAMP = frozenset({"last", "updated", "posted", "published", "gmt", "utc", "am", "pm"})
_NEGATIONS = {"not", "no", "never", "nt", "cannot", "without", "neither", "nor"}
# verbs that negate their complement ("failed to capture")
_IMPLICATIVES = {"fail", "refus", "declin"}
# "don"t": wire copy that typed a double quote for the apostrophe
_APOSTROPHE_NOT = re.compile(r"n['\u2019\"]\s?t\b", re.IGNORECASE)
_CONTRACTED = re.compile(
    r"\b(ca|do|does|did|wo|is|was|are|were|has|have|had|could|would|should)nt\b", re.IGNORECASE
)


# "No, ..." opening a sentence answers a claim and affirms the negative that follows: "No,
# Jordan's King Abdullah is not flying planes" is one negation, as "did not fly" is
_ANSWER = re.compile(r"^\W*no\s*[,:;\u2013\u2014]\s*", re.IGNORECASE)


def expand_negations(text: str) -> str:
    """Contractions spelled out, however typed: "didn't", "didn\u2019 t", "cant" -> "... not";
    an opening answer "No, " left out."""
    return _CONTRACTED.sub(r"\1 not", _APOSTROPHE_NOT.sub(" not", _ANSWER.sub("", text)))


def is_negation(word: str) -> bool:
    return word in _NEGATIONS or stem(word) in _IMPLICATIVES


# a negative word before these negates no verb: "not because he was tired" (the reason),
# "not only", "not least", "no doubt", "no wonder", "no matter how", "no big deal", "no joke"
_UNSCOPED = {
    "not": {"because", "only", "just", "merely", "simply", "least", "surprisingly"},
    "no": {"doubt", "wonder", "matter", "surprise", "big", "joke"},
}


def _negations(words: Sequence[str]) -> Iterator[bool]:
    """For each word, whether it negates: a negative word, or a verb that negates a "to"
    complement ("failed to"); a negative word that scopes no verb ("not because", "not
    only", "no doubt") does not."""
    for w, nxt in pairwise([*words, ""]):
        negates = w in _NEGATIONS or (stem(w) in _IMPLICATIVES and nxt == "to")
        yield negates and nxt not in _UNSCOPED.get(w, ())


def count_negations(words: Sequence[str]) -> int:
    """How many of the words negate (`_negations`)."""
    return sum(_negations(words))


def negation_count(text: str) -> int:
    return count_negations([w for _, _, w in tokens(expand_negations(text))])


def negates_a_verb(text: str) -> bool:
    """Whether a sentence has any negation that scopes a verb ("Not because Mo Cheeks was
    long for the job" has none: "not" there scopes the reason), so that a parser's negation
    flag on its main verb can be trusted."""
    return any(_negations([w for _, _, w in tokens(expand_negations(text))]))


def negated(text: str) -> bool:
    """Whether a sentence is in the negative, counting its negations ("found no trace" and
    "did not find any sign" are both negative, "didn't think we weren't" is not)."""
    return negation_count(text) % 2 == 1


def negation_stems(*texts: str) -> frozenset[str]:
    """Stems of the negative words of the texts as written ("didn't" included), for
    `one_statement(ignore=...)`."""
    found = set()
    for text in texts:
        for _, _, word in tokens(text):
            if is_negation(word) or negation_count(word):
                found.add(stem(word))
    return frozenset(found)


def one_statement(
    a: str,
    span_a: tuple[int, int] | None,
    b: str,
    span_b: tuple[int, int] | None,
    ignore: frozenset[str] = frozenset(),
) -> bool:
    """Whether sentences `a` and `b` are one statement with a value changed: a[span_a] and
    b[span_b] (when given) stand where the sentences differ, at most `MAX_OTHER_WORDS` other
    content words are replaced by others (words whose stems are in `ignore` do not count),
    the shorter sentence has `MIN_CONTEXT` other content words, and at least `MIN_SHARED` of
    them are shared."""
    ta, tb = tokens(a), tokens(b)
    in_a = {i for i, t in enumerate(ta) if span_a and _overlap(t[:2], span_a)}
    in_b = {j for j, t in enumerate(tb) if span_b and _overlap(t[:2], span_b)}
    if (span_a and not in_a) or (span_b and not in_b):
        return False

    def content(
        words: list[tuple[int, int, str]], indices: Iterable[int], value: set[int], digits=True
    ) -> int:
        return sum(
            1
            for i in indices
            if i not in value
            and words[i][2] not in STOPWORDS
            and (digits or not (words[i][2].isdigit() or words[i][2] in _STAMP))
            and stem(words[i][2]) not in ignore
        )

    matcher = SequenceMatcher(None, [stem(w) for *_, w in ta], [stem(w) for *_, w in tb], False)
    shared = other = 0
    swapped = not (in_a or in_b)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            shared += content(ta, range(i1, i2), in_a)
        elif op == "replace":  # words only one sentence has are more detail, not a change
            swapped |= bool(in_a & set(range(i1, i2)) and in_b & set(range(j1, j2)))
            other += max(content(ta, range(i1, i2), in_a), content(tb, range(j1, j2), in_b))
    rest = min(content(ta, range(len(ta)), in_a), content(tb, range(len(tb)), in_b))
    words = min(content(ta, range(len(ta)), in_a, False), content(tb, range(len(tb)), in_b, False))
    return (
        swapped
        and words >= MIN_CONTEXT
        and other <= MAX_OTHER_WORDS
        and shared >= MIN_SHARED * rest
    )


def _overlap(x: tuple[int, int], y: tuple[int, int]) -> bool:
    return x[0] < y[1] and y[0] < x[1]


@lru_cache(maxsize=4096)
def changed_blocks(a: str, b: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(words of a, words of b) of each stretch where the aligned sentences differ."""
    ta, tb = [w for *_, w in tokens(a)], [w for *_, w in tokens(b)]
    matcher = SequenceMatcher(None, [stem(w) for w in ta], [stem(w) for w in tb], False)
    return tuple(
        (tuple(ta[i1:i2]), tuple(tb[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    )


# an inserted negation is a short stretch: "not", "did not", "failed to"
_NEGATION_BLOCK = 3


def negation_flip(a: str, b: str) -> str | None:
    """The negation one sentence inserts (in a stretch of at most `_NEGATION_BLOCK` words)
    where the two otherwise match, if the sentences' polarities differ. The stretch may
    change function words ("will not" for "to", "isn't real" for nothing) but no word of
    content: "won't play" for "pulls out of" is another verb, not an inserted negation."""
    if negated(a) == negated(b):
        return None
    flips = [
        words
        for block in changed_blocks(expand_negations(a), expand_negations(b))
        for words in block
        if len(words) <= _NEGATION_BLOCK
        and count_negations(words) % 2
        and _content(block[0]) == _content(block[1])
    ]
    if len(flips) != 1:
        return None
    return next(w for w in flips[0] if is_negation(w))


# words that deny a whole report when negated ("an article saying X isn't real")
_TRUTH = frozenset({"real", "tru", "accurat", "correct", "genuin"})


def _content(words: Sequence[str]) -> frozenset[str]:
    stems = (stem(w) for w in words if w not in STOPWORDS and not is_negation(w))
    return frozenset(s for s in stems if s not in _TRUTH)
