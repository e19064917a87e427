"""What every edit finder shares: the `Edit` record, a gold event's documents
(`EventText`), and the tests for "is this value stated elsewhere"."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any, Protocol, TypeVar

from dedupe.evaluate.ecbplus import EcbDocument, detokenize, stamp_date

Tokens = tuple[str, ...]
# an entity recogniser: sentence texts -> for each, (start, end, label) character spans
Recogniser = Callable[[list[str]], list[list[tuple[int, int, str]]]]
# sentence tokens -> the places in it: (first token, end token, name)
Places = dict[tuple[str, ...], list[tuple[int, int, str]]]


@dataclass(frozen=True)
class Edit:
    """One change to a document: tokens `start`..`end` of sentence `sent_id` become `new`
    (an inserted sentence has `insert` set, and `new` is the whole sentence)."""

    sent_id: int
    start: int
    end: int
    new: Tokens
    original: str
    replacement: str
    note: str  # why it is a conflict, in one line
    insert: bool = False

    def apply(self, doc: EcbDocument) -> EcbDocument:
        sentences = list(doc.sentences)
        if self.insert:
            sentences.insert(self.sent_id, self.new)
        else:
            tokens = sentences[self.sent_id]
            sentences[self.sent_id] = tokens[: self.start] + self.new + tokens[self.end :]
        return EcbDocument(doc.doc_id, doc.topic, doc.subtopic, doc.split, tuple(sentences))


@dataclass(frozen=True)
class EventText:
    """The documents of one gold event, for the edit finders."""

    docs: tuple[EcbDocument, ...]
    published: dict[str, dt.date | None]  # the date each document's text states

    def others(self, doc: EcbDocument) -> list[EcbDocument]:
        return [d for d in self.docs if d.doc_id != doc.doc_id]

    @cached_property
    def words(self) -> str:
        """Every word of the event, space-padded, for "is this name mentioned" tests."""
        return " " + " ".join(t for d in self.docs for s in body(d) for t in s) + " "

    @cached_property
    def tokens(self) -> frozenset[str]:
        return frozenset(self.words.split())

    def mentions(self, names: Iterable[str]) -> bool:
        """Whether the event names any of these, as written or in capitals ("AUSTRALIAN")."""
        return any(self._names(n) or self._names(n.upper()) for n in names)

    def _names(self, name: str) -> bool:
        if " " in name or "." in name:
            return mentioned(self.words, [name])
        return name in self.tokens

    @cached_property
    def countries(self) -> list[str]:
        """The gazetteer's countries the event names (by name, capital or demonym)."""
        return [code for code, names in countries() if self.mentions(names)]


def body(doc: EcbDocument) -> tuple[Tokens, ...]:
    """The sentences the article shows (an ECB+ addition's sentence 0 is its URL)."""
    return doc.sentences[first_body(doc) :]


def editable(doc: EcbDocument) -> Iterator[tuple[int, Tokens]]:
    """The sentences an edit may change, by number: the body without date stamp lines
    ("Saturday, Sep 14, 2013"), which say when the article appeared, not what happened."""
    for n in range(first_body(doc), len(doc.sentences)):
        if stamp_date([detokenize(doc.sentences[n])[0]]) is None:
            yield n, doc.sentences[n]


def first_body(doc: EcbDocument) -> int:
    url = "".join(doc.sentences[0]) if doc.is_plus and doc.sentences else ""
    return 1 if re.match(r"https?:", url) else 0


@cache
def data(name: str) -> Any:
    return json.loads(resources.files("dedupe").joinpath(f"data/{name}").read_text("utf-8"))


def _stopwords() -> frozenset[str]:
    return frozenset(data("stopwords.json")["words"])


def content_words(tokens: Iterable[str]) -> set[str]:
    stop = _stopwords()
    return {w for t in tokens if (w := t.lower()).isalpha() and len(w) >= 4 and w not in stop}


def stated_elsewhere(
    others: Sequence[EcbDocument],
    tokens: Tokens,
    values: Callable[[Tokens], Iterable[Any]],
    value: Any,
) -> bool:
    """Whether another document states `value` in a sentence sharing a content word."""
    mine = content_words(tokens)
    for doc in others:
        for sentence in body(doc):
            if value in set(values(sentence)) and mine & content_words(sentence):
                return True
    return False


class Valued(Protocol):
    """A value mention found in a sentence (a number, a date)."""

    @property
    def value(self) -> Any: ...


V = TypeVar("V", bound=Valued)


def sole_statements(
    event: EventText,
    doc: EcbDocument,
    find: Callable[[Tokens], Sequence[V]],
    values: Callable[[Tokens], Iterable[Any]],
) -> Iterator[tuple[int, Tokens, V]]:
    """The value mentions of `doc` an edit may change, with their sentence: the only mention of
    their value in the sentence, their value stated nowhere else in the document (else it would
    contradict itself), and stated by another document of the event in a sentence sharing a
    content word (else nothing contradicts the edit)."""
    others = event.others(doc)
    for n, tokens in editable(doc):
        found = find(tokens)
        for mention in found:
            if sum(m.value == mention.value for m in found) > 1:
                continue
            if mention.value in in_doc_except(doc, n, values):
                continue
            if stated_elsewhere(others, tokens, values, mention.value):
                yield n, tokens, mention


def anywhere(docs: Sequence[EcbDocument], values: Callable[[Tokens], Iterable[Any]]) -> set[Any]:
    return {v for d in docs for s in body(d) for v in values(s)}


def in_doc_except(
    doc: EcbDocument, sent_id: int, values: Callable[[Tokens], Iterable[Any]]
) -> set[Any]:
    """The values the document states outside sentence `sent_id` (a date stamp line says
    when it appeared, not what happened: its weekday is not the happening's)."""
    return {v for n, s in editable(doc) if n != sent_id for v in values(s)}


@cache
def countries() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Countries of the place gazetteer: (code, every name and demonym)."""
    return tuple(
        (p["code"], (*p["names"], *p.get("demonyms", ())))
        for p in data("places.json")["places"]
        # countries have ISO3 codes and demonyms; organisations (WHO, NATO, EU) do not both
        if re.fullmatch(r"[A-Z]{3}", p["code"]) and p.get("demonyms")
    )


def country_names(code: str) -> tuple[str, ...]:
    return next((names for c, names in countries() if c == code), ())


def mentioned(words: str, names: Iterable[str]) -> bool:
    return any(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", words) for n in names)


def at(tokens: Tokens, i: int) -> str:
    return tokens[i] if i < len(tokens) else ""
