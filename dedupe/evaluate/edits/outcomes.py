"""Outcome edits: a sentence's outcome verb negated after its auxiliary or swapped for its
opposite."""

from __future__ import annotations

import random
import re
from functools import cache

from dedupe.evaluate.ecbplus import EcbDocument
from dedupe.evaluate.edits.base import (
    Edit,
    EventText,
    Tokens,
    body,
    content_words,
    data,
    editable,
)

# an outcome after one of these is reported as it stands; after "will", "would", "could"
# it is a plan or a possibility, which no other report contradicts
_AUX = {"was", "were", "is", "are", "has", "have", "had"}
_AUX_CHAIN = _AUX | {"be", "been", "being"}
_NEGATIONS = {"not", "n't", "never", "no", "nor", "without"}
# conditions and questions: "if the driver was charged" states no outcome
_CONDITIONS = {"if", "whether", "unless"}
# words with a second, common sense whose opposite is not the frame's ("fired shots",
# "results were released", "shares dropped", "passed away"): flipped only by a negation
AMBIGUOUS = {"fire", "release", "drop", "pass", "send", "decline", "dismiss", "remove", "free",
             "deny", "charge", "strike", "take", "go", "hold", "meet", "name", "rule",
             "sign", "step"}  # fmt: skip
_PAST = {
    "win": "won", "lose": "lost", "die": "died", "free": "freed", "send": "sent",
    "hold": "held", "meet": "met", "go": "went", "take": "took", "beat": "beaten",
    "withhold": "withheld", "strike": "struck", "ban": "banned", "bar": "barred",
    "drop": "dropped", "permit": "permitted", "acquit": "acquitted", "quit": "quit",
    "sink": "sunk", "rise": "rose",
    "fall": "fell", "keep": "kept", "find": "found", "give": "given", "sell": "sold",
    "buy": "bought", "lend": "lent", "build": "built", "shut": "shut", "begin": "began",
    "forbid": "forbade", "stop": "stopped", "admit": "admitted", "commit": "committed",
}  # fmt: skip


@cache
def _outcome_verbs() -> frozenset[str]:
    frames = data("outcomes.json")["frames"]
    return frozenset(v for signs in frames.values() for vs in signs.values() for v in vs)


@cache
def _opposites() -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for a, b in data("antonyms.json")["pairs"]:
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def past(lemma: str) -> str:
    """The past form of a verb ("won", "acquitted", "arrested")."""
    if lemma in _PAST:
        return _PAST[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ied"
    if re.search(r"[^aeiou][aeiou][bdgmnpt]$", lemma) and len(lemma) <= 4:
        return lemma + lemma[-1] + "ed"
    return lemma + "ed"


def _lemma(token: str) -> str | None:
    """The outcome verb a past form or participle is of, if it is one."""
    word = token.lower()
    inverse = {v: k for k, v in _PAST.items()} | data("antonyms.json")["irregular"]
    verbs = _outcome_verbs()
    if word in inverse and inverse[word] in verbs:
        return str(inverse[word])
    if not word.endswith("ed"):
        return None
    for lemma in (word[:-1], word[:-2], word[:-3], word[:-3] + "y"):
        if lemma in verbs and past(lemma) == word:
            return lemma
    return None


def _lemmas(tokens: Tokens) -> list[str]:
    return [lemma for t in tokens if (lemma := _lemma(t))]


def outcome_edits(event: EventText, doc: EcbDocument, rng: random.Random) -> list[Edit]:
    """The first outcome verb of a sentence (data/outcomes.json) flipped: negated after its
    auxiliary ("was charged" -> "was not charged"), else swapped for its opposite
    (data/antonyms.json: "won" -> "lost") unless the word has a second common sense; only
    where another article states the same outcome, unnegated, in a sentence sharing a
    content word, and never in a condition or a sentence that already negates."""
    others = event.others(doc)
    edits = []
    for n, tokens in editable(doc):
        if (_NEGATIONS | _CONDITIONS) & {t.lower() for t in tokens}:
            continue
        index = next((i for i, t in enumerate(tokens) if _lemma(t)), None)
        if index is None:
            continue
        lemma = _lemma(tokens[index])
        assert lemma is not None
        if _lemmas(tokens).count(lemma) > 1:  # "was killed when he ... killed her"
            continue
        if not any(
            lemma in _lemmas(s)
            and not _NEGATIONS & {t.lower() for t in s}
            and content_words(s) & content_words(tokens) - {tokens[index].lower()}
            for other in others
            for s in body(other)
        ):
            continue
        aux = index
        while aux > 0 and tokens[aux - 1].lower() in _AUX_CHAIN:
            aux -= 1
        word = tokens[index]
        if aux < index and tokens[aux].lower() in _AUX:
            old = tokens[aux : index + 1]
            new = (old[0], "not", *old[1:])
            edits.append(_swap(n, aux, index + 1, old, new))
            continue
        if aux < index or lemma in AMBIGUOUS:  # "will be released": a plan
            continue
        opposites = sorted(o for o in _opposites().get(lemma, ()) if o in _outcome_verbs())
        if opposites:
            new_word = past(rng.choice(opposites))
            new_word = new_word.capitalize() if word[:1].isupper() else new_word
            edits.append(_swap(n, index, index + 1, (word,), (new_word,)))
    return edits


def _swap(n: int, start: int, end: int, old: Tokens, new: Tokens) -> Edit:
    said, says = " ".join(old), " ".join(new)
    note = f"the other articles say {said}; this one now says {says}"
    return Edit(n, start, end, new, said, says, note)
