"""A spaCy component that decomposes each sentence into event frames.

A frame is one clause: its predicate chain ("decline approve"), subject, object, polarity,
modality and tense. The component is registered as `dedupe_frames`; it fills `Doc._.frames`
(sentence start token -> frames) and `Span._.frames` reads a sentence's entry. `extract.py`
turns frames into `Claim` records with article context.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from dedupe.claims.times import Tense
from dedupe.records import Modality

_MAX_ARG_TOKENS = 8


@dataclass(frozen=True)
class Frame:
    head: int  # token index (in the Doc) of the clause's main verb
    predicate: str
    subject: str
    object: str
    negated: bool
    modality: Modality
    tense: Tense


@cache
def cues() -> dict[str, Any]:
    """The modality lexicon (`data/modality.json`) as sets."""
    text = resources.files("dedupe").joinpath("data/modality.json").read_text("utf-8")
    return {k: set(v) if isinstance(v, list) else v for k, v in json.loads(text).items()}


def sentence_frames(sent: Any) -> list[Frame]:
    """The frames of one spaCy sentence span: the root clause and coordinated clauses."""
    root = sent.root
    heads = [root]
    heads += [
        t
        for t in root.conjuncts
        if t.pos_ in ("VERB", "AUX")
        and t.i > root.i
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
    ]
    return [_frame(sent, head) for head in heads]


def _chain(head: Any) -> list[Any]:
    """The head verb and its open complements: declined -> approve ("declined to approve")."""
    chain = [head]
    while True:
        nxt = [c for c in chain[-1].children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
        if not nxt:
            return chain
        chain.append(nxt[0])


def _argument(head: Any, deps: tuple[str, ...]) -> str:
    for child in head.children:
        if child.dep_ in deps:
            return _compact(child)
    return ""


def _compact(token: Any) -> str:
    words = [t for t in token.subtree if not t.is_punct]
    if len(words) > _MAX_ARG_TOKENS:
        words = [t for t in words if t.i <= token.i][-_MAX_ARG_TOKENS:]
    return " ".join(t.text for t in words)


def _frame(sent: Any, head: Any) -> Frame:
    chain = _chain(head)
    lemmas = [t.lemma_.lower() for t in chain]
    subject = _argument(head, ("nsubj", "nsubjpass"))
    last = chain[-1]
    obj = _argument(last, ("dobj", "attr", "oprd", "dative")) or _prep_object(last)
    auxes = {c.text.lower() for t in chain for c in t.children if c.dep_ in ("aux", "auxpass")}
    negated = any(c.dep_ == "neg" for t in chain for c in t.children)
    text = sent.text.lower()
    c = cues()
    if (
        auxes & c["planned_aux"]
        or set(lemmas) & c["planned_lemmas"]
        or _mentions(text, c["planned_words"])
    ):
        modality: Modality = "planned"
    elif auxes & c["hypothetical_aux"] or _asks(sent) or _conditional(chain):
        modality = "hypothetical"
    elif _mentions(text, c["reported_words"]) or set(lemmas) & c["reported_lemmas"]:
        modality = "reported"
    else:
        modality = "asserted"
    if modality == "planned" or auxes & {"will", "'ll", "shall"}:
        tense: Tense = "future"
    elif head.tag_ in ("VBD", "VBN") or auxes & {"had", "did", "was", "were"}:
        tense = "past"
    else:
        tense = "present"
    return Frame(
        head=head.i,
        predicate=" ".join(lemmas),
        subject=subject,
        object=obj,
        negated=negated,
        modality=modality,
        tense=tense,
    )


def _conditional(chain: list[Any]) -> bool:
    """Whether the verb is in a condition or a wish ("If Only A Bird Really Did Poop on
    Putin", "if the bill passes"): it asserts nothing."""
    return any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether")
        for t in chain
        for c in t.children
    )


def _asks(sent: Any) -> bool:
    """Whether the sentence is a question ("Was the Batmobile stolen in Detroit?"): it
    asserts nothing, so the checks treat it as hypothetical."""
    return bool(sent.text.rstrip().rstrip("\"'’”)").endswith("?"))


def _mentions(text: str, phrases: set[str]) -> bool:
    return any(re.search(rf"\b{re.escape(p)}\b", text) for p in phrases)


def _prep_object(token: Any) -> str:
    """The object of the first preposition after the verb ("prepare for [a visit]")."""
    for child in token.children:
        if child.dep_ == "prep" and child.i > token.i:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return _compact(grand)
    return ""


def register() -> None:
    """Register the `dedupe_frames` factory and its extensions with spaCy (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    if not Doc.has_extension("frames"):
        Doc.set_extension("frames", default=None)
    if not Span.has_extension("frames"):
        Span.set_extension("frames", getter=lambda span: span.doc._.frames[span.start])
    if "dedupe_frames" not in Language.factories:
        Language.factory("dedupe_frames", func=_make_component)


def _make_component(nlp: Any, name: str) -> Any:
    def component(doc: Any) -> Any:
        doc._.frames = {sent.start: sentence_frames(sent) for sent in doc.sents}
        return doc

    return component
