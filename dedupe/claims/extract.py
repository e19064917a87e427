"""Split articles into event claims: who did what, when, where, with which numbers and titles.

spaCy parses each paragraph; the `dedupe_frames` component gives each sentence's clauses;
this module attaches entities (with canonical keys), resolved times, normalised quantities and
titles, with character offsets into `Article.text`.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from dedupe.claims.frames import Frame
from dedupe.claims.names import entity_key, fold, person_key, strip_possessive
from dedupe.claims.quantities import AGE, CURRENCY_SYMBOLS, parse_amount
from dedupe.claims.roles import find_title
from dedupe.claims.times import MONTHS, WEEKDAYS, resolve_time
from dedupe.ingest.boilerplate import is_heading
from dedupe.records import (
    PARTICIPANT_LABELS,
    Article,
    Claim,
    Entity,
    IngestFailure,
    Quantity,
    Role,
    Span,
    TimeRef,
    stable_id,
)

log = logging.getLogger(__name__)

TIME_LABELS = {"DATE", "TIME"}
NUMBER_LABELS = {"MONEY", "CARDINAL", "PERCENT", "QUANTITY"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
_MIN_TOKENS = 4
# Parsing in worker processes costs about 0.1 s to start them and a third more CPU in all
# (docs parsed there are shipped back as bytes); below about a second of parsing (~200
# paragraphs) that never pays. Each worker peaks near 260 MB resident (forked, partly shared).
# Measured on 2 cores, see docs/performance.md.
MIN_PARALLEL_PARAGRAPHS = 200
_MAX_PROCESSES = 4
PARSE_MESSAGE = "parsing %d paragraphs in %d process(es)"

Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]


def no_progress(items: Iterable[Any], total: int, desc: str) -> Iterable[Any]:
    return items


def paragraphs(article: Article) -> Iterator[tuple[int, str, bool]]:
    """(offset, text, is_headline) of each paragraph that can hold claims."""
    offset = 0
    for index, para in enumerate(article.text.split("\n\n")):
        headline = index == 0 and bool(article.title) and para == article.title
        if headline or not is_heading(para):
            yield offset, para, headline
        offset += len(para) + 2


def parse_processes(setting: int, paragraphs: int) -> int:
    """How many processes parse `paragraphs`: the `spacy_processes` setting, or for 0 this
    one plus one per idle core (at most 4 in all), when there are enough paragraphs to pay
    for starting workers. Workers only pay on idle cores: on cores busy with other jobs they
    add the cost of shipping docs back and forth and take as long or longer."""
    if setting:
        return setting
    if paragraphs < MIN_PARALLEL_PARAGRAPHS or not hasattr(os, "getloadavg"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    idle = math.floor(cores - os.getloadavg()[0])  # this process is in the load once it runs
    return max(1, min(1 + idle, cores, _MAX_PROCESSES))


def parse(
    nlp: Any, work: list[tuple[str, Any]], batch_size: int, processes: int
) -> Iterator[tuple[Any, Any]]:
    """(doc, context) for each (text, context) of `work`, in order. With several processes the
    workers parse and `dedupe_frames` runs here: spaCy sends docs back as bytes, and frames
    are Python objects that its serialisation does not carry."""
    log.info(PARSE_MESSAGE, len(work), processes)
    if processes <= 1:
        yield from nlp.pipe(work, as_tuples=True, batch_size=batch_size)
        return
    frames = nlp.get_pipe("dedupe_frames")
    docs = nlp.pipe(
        work,
        as_tuples=True,
        batch_size=batch_size,
        n_process=processes,
        disable=["dedupe_frames"],
    )
    for doc, context in docs:
        yield frames(doc), context


def extract_claims(
    articles: Sequence[Article],
    nlp: Any,
    batch_size: int = 64,
    progress: Progress = no_progress,
    processes: int = 1,
) -> Iterator[tuple[Article, list[Claim]]]:
    """Each article with its claims, in input order (articles without claims included);
    `processes` as the `spacy_processes` setting (0: automatic)."""
    work = [
        (text, (i, offset, headline))
        for i, a in enumerate(articles)
        for offset, text, headline in paragraphs(a)
    ]
    docs = parse(nlp, work, batch_size, parse_processes(processes, len(work)))
    pending: list[tuple[Any, int, bool]] = []
    current = 0
    for doc, (index, offset, headline) in progress(docs, len(work), "claims"):
        while index != current:
            yield articles[current], _article_claims(articles[current], pending)
            pending, current = [], current + 1
        pending.append((doc, offset, headline))
    while current < len(articles):
        yield articles[current], _article_claims(articles[current], pending)
        pending, current = [], current + 1


def extract_each(
    articles: Sequence[Article],
    nlp: Any,
    batch_size: int = 64,
    progress: Progress = no_progress,
    processes: int = 1,
) -> Iterator[tuple[Article, list[Claim]] | IngestFailure]:
    """`extract_claims`, where an article that breaks extraction is reported, not fatal: the
    batch stops there, and the articles not yet done are taken one at a time (in this
    process)."""
    done = 0
    try:
        for item in extract_claims(articles, nlp, batch_size, progress, processes):
            yield item
            done += 1
        return
    except Exception:  # one article's text must not stop the night
        log.debug("extraction stopped after %d articles", done, exc_info=True)
    for article in articles[done:]:
        try:
            yield from extract_claims([article], nlp, batch_size)
        except Exception as exc:
            log.debug("extracting %s failed", article.path, exc_info=True)
            reason = f"claims could not be extracted ({type(exc).__name__}: {exc})"
            yield IngestFailure(article.path, reason)


def _article_claims(article: Article, docs: list[tuple[Any, int, bool]]) -> list[Claim]:
    known = {
        fold(e.text.split()[-1])
        for doc, _, headline in docs
        if not headline
        for e in doc.ents
        if e.label_ == "PERSON" and len(e.text.split()) >= 2
    }
    claims: list[Claim] = []
    for doc, offset, headline in docs:
        for sent in doc.sents:
            if sum(1 for t in sent if not t.is_punct) < _MIN_TOKENS:
                continue
            claims.extend(_sentence_claims(article, sent, offset, headline, known))
    return claims


def _sentence_claims(
    article: Article, sent: Any, offset: int, headline: bool, known: set[str]
) -> list[Claim]:
    quote = Span(offset + sent.start_char, offset + sent.end_char, sent.text)
    frames: list[Frame] = sent._.frames
    entities, places, roles = _entities(sent, offset, known)
    claims = []
    for n, frame in enumerate(frames):
        times = tuple(_times(sent, offset, article, frame))
        when = next(((t.start, t.end) for t in times if t.start and t.end), None)
        claims.append(
            Claim(
                id=stable_id("clm", article.id, article.content_hash, quote.start, n),
                article_id=article.id,
                sentence=quote,
                predicate=frame.predicate,
                subject=frame.subject,
                object=frame.object,
                negated=frame.negated,
                modality=frame.modality,
                is_headline=headline,
                entities=entities,
                times=times,
                quantities=tuple(_quantities(sent, offset)),
                roles=roles,
                places=places,
                when=when,
            )
        )
    return claims


def _entities(
    sent: Any, offset: int, known: set[str]
) -> tuple[tuple[Entity, ...], tuple[Entity, ...], tuple[Role, ...]]:
    entities: list[Entity] = []
    places: list[Entity] = []
    roles: list[Role] = []
    for ent in sent.ents:
        if ent.label_ not in PARTICIPANT_LABELS:
            continue
        text = strip_possessive(ent.text)
        start = offset + ent.start_char
        span = Span(start, start + len(text), text)
        key = _person_key(text, known) if ent.label_ == "PERSON" else entity_key(text, ent.label_)
        entities.append(Entity(span, ent.label_, key))
        if ent.label_ in PLACE_LABELS and not modifies_noun(ent):
            places.append(entities[-1])
        if ent.label_ == "PERSON":
            local = ent.start_char - sent.start_char
            title = find_title(sent.text, local, local + len(text))
            if title:
                base = offset + sent.start_char
                roles.append(
                    Role(
                        span=Span(base + title.start, base + title.end, title.title),
                        person=text,
                        person_key=key,
                        title=title.title,
                        office=title.office,
                        jurisdiction=title.jurisdiction,
                        qualifier=title.qualifier,
                    )
                )
    return tuple(entities), tuple(places), tuple(roles)


def modifies_noun(ent: Any) -> bool:
    """Whether a place name qualifies the noun after it ("a US journalist", "the Iraq war"):
    it says whose or which, not where the happening is, so it is no place of the claim."""
    root = ent.root
    return (
        root.dep_ in ("compound", "amod", "nmod")
        and root.head.i >= ent.end
        and (root.head.pos_ in ("NOUN", "PROPN"))
    )


def _person_key(text: str, known: set[str]) -> str:
    """Prefer a word the article also uses as a full name's surname ("Zelensky Heads")."""
    for word in reversed(text.split()):
        if fold(word) in known:
            return "per:" + fold(word)
    return person_key(text)


def _times(sent: Any, offset: int, article: Article, frame: Frame) -> Iterator[TimeRef]:
    for ent in sent.ents:
        if ent.label_ not in TIME_LABELS:
            continue
        start, end = ent.start_char, _decade_end(ent)
        text = ent.doc.text[start:end]
        resolved = resolve_time(text, article.published, frame.tense)
        span = Span(offset + start, offset + end, text)
        if resolved is None:
            yield TimeRef(span, None, None, None)
        else:
            yield TimeRef(
                span,
                resolved.start,
                resolved.end,
                resolved.granularity,
                resolved.approximate,
                resolved.relative,
            )


# a year of a decade that spaCy ended before its "'s" ("the 1940's" tagged "1940")
_DECADE_YEAR = re.compile(r"(?:1[89]|20)\d0")
_DECADE_S = re.compile(r"['\u2019]s\b")


def _decade_end(ent: Any) -> int:
    """Where a time expression ends: after the "'s" of a decade that spaCy left out of it
    ("in the 1940's" is the decade, not the year 1940)."""
    last = ent[-1].text
    follows = _DECADE_S.match(ent.doc.text, ent.end_char)
    return follows.end() if _DECADE_YEAR.fullmatch(last) and follows else ent.end_char


def _quantities(sent: Any, offset: int) -> Iterator[Quantity]:
    for found in sent.ents:
        age = _age(found)
        if age is not None:
            span = Span(offset + found.start_char, offset + found.end_char, found.text)
            yield Quantity(span, age, age, age, AGE, head=AGE)
            continue
        if found.label_ not in NUMBER_LABELS or _conversion(found):
            continue
        ent = _with_wire_units(_with_currency(found))
        amount = parse_amount(ent.text)
        if amount is None or (amount.unit == "count" and amount.value == 1):
            continue
        yield Quantity(
            span=Span(offset + ent.start_char, offset + ent.end_char, ent.text),
            value=amount.value,
            low=amount.low,
            high=amount.high,
            unit=amount.unit,
            head=_quantity_head(ent),
            approximate=amount.approximate,
        )


def _conversion(ent: Any) -> bool:
    """Whether a money amount is the amount before it converted, in brackets right after it
    ("$US1 million ($1.52 million)", "30 million euros ($41 million)"): an exchange rate's
    work, not a second figure, so it is not compared with other articles' conversions."""
    doc, start, amounts = ent.doc, ent.start, ("MONEY", "CARDINAL")
    if start and doc[start - 1].is_currency:  # the recogniser may leave the sign out
        start -= 1
    if ent.label_ != "MONEY" or start < 2 or doc[start - 1].text != "(":
        return False
    before = doc[start - 2]
    if before.ent_type_ in amounts:
        return True
    # a currency word after the amount ("30 million euros (")
    return start >= 3 and before.is_alpha and doc[start - 3].ent_type_ in amounts


_YEAR_OLD = re.compile(r"^(\d{1,3})[- ]years?[- ]old$", re.IGNORECASE)


def _age(ent: Any) -> float | None:
    """A person's age in years, which the recogniser calls a date or a number: "66-year-old",
    "aged 61", or a number set off by commas after a capitalised word ("Cheeks, 48, was
    fired": the small model often misses the name itself)."""
    if ent.label_ not in ("DATE", "CARDINAL"):
        return None
    if match := _YEAR_OLD.match(ent.text):
        return float(match.group(1))
    if not re.fullmatch(r"\d{1,3}", ent.text) or int(ent.text) > MAX_AGE:
        return None
    doc, sent = ent.doc, ent.sent
    before = [t.text for t in doc[max(sent.start, ent.start - 2) : ent.start]]
    after = doc[ent.end].text if ent.end < sent.end else ""
    if before[-1:] == ["aged"]:
        return float(ent.text)
    if len(before) == 2 and before[1] == "," and _name_word(before[0]) and after == ",":
        return float(ent.text)
    return None


MAX_AGE = 120
_NOT_NAMES = frozenset((*MONTHS, *WEEKDAYS))


def _name_word(word: str) -> bool:
    return word.istitle() and word.isalpha() and word.lower() not in _NOT_NAMES


# scale and currency words of wire copy that spaCy leaves outside the number ("33 mln stg")
_WIRE_WORDS = {"mln", "bln", "stg", "dlr", "dlrs", "pct"}
# scale suffixes written onto a number that spaCy may split off and leave outside it ("$72M")
_ATTACHED_SCALES = {"k", "m", "mn", "b", "bn", "tn"}


def _with_wire_units(ent: Any) -> Any:
    """The number with the wire-copy words that follow it, so "33 mln stg" is 33 million
    pounds, not a count of 33, and with a scale suffix written onto it ("$72M" is 72 million
    dollars, not 72)."""
    end = ent.end
    if (
        end < ent.sent.end
        and not ent.doc[end - 1].whitespace_
        and ent.doc[end].text.lower() in _ATTACHED_SCALES
    ):
        end += 1
    while end < ent.sent.end and ent.doc[end].text.lower() in _WIRE_WORDS:
        end += 1
    return ent.doc[ent.start : end] if end > ent.end else ent


def _with_currency(ent: Any) -> Any:
    """The number with the currency symbol spaCy may leave outside it ("$" of "$4bn")."""
    before = ent.start - 1
    if before >= ent.sent.start and ent.doc[before].text.lower() in CURRENCY_SYMBOLS:
        return ent.doc[before : ent.end]
    return ent


def _quantity_head(ent: Any) -> str:
    """The noun a number counts or measures ('85,000 drones' -> drone, '$2 billion budget');
    empty when the parse offers only another number ('$5bn' tokenised as '5bn')."""
    head = _head_noun(ent)
    if any(ch.isdigit() for ch in head) or head in ("%", "percent", "pct"):
        return ""
    unit = parse_amount(f"2 {head}")  # a unit word ("dollars", "km") is no counted noun
    return "" if unit is not None and unit.unit != "count" else head


def _head_noun(ent: Any) -> str:
    root = ent.root
    if root.head.pos_ in ("NOUN", "PROPN") and root.head.i not in range(ent.start, ent.end):
        return str(root.head.lemma_.lower())
    for child in root.children:
        if child.dep_ == "prep":
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.pos_ in ("NOUN", "PROPN"):
                    return str(grand.lemma_.lower())
    for token in ent:
        if token.pos_ == "NOUN" and not token.like_num:
            return str(token.lemma_.lower())
    return str(root.head.lemma_.lower())
