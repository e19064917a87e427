"""Word-level helpers for the checks: a light stemmer and the context around a value.

A substitution is only a conflict when both values sit in the same place of matching
sentences: "start-up Ozy Media was arrested" vs "start-up UFO Media has been arrested" share
the words around the name; a name in a source attribution ("told Politico") does not.
"""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from functools import cache, lru_cache
from importlib import resources

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
