"""Read ECB+ (Cybulska and Vossen 2014, CC BY 3.0) as articles for the evaluation.

`ecbplus_docs.jsonl` holds tokenised sentences per document with its `topic`, `subtopic` (the
gold event) and `split`; `ecbplus_event_mentions.jsonl` beside it holds the gold event mentions
with their cross-document `cluster_id`. Documents become articles with no gold information:
the tokens are joined back into readable text, and the only dates given are the ones the text
states: a date line near the top (the product's own dateline rule, then a looser stamp such as
"Posted on Thu Jun 13, 2013 08:45 AM PDT"), else a day named in the source URL's path, which
`ecbplus` documents carry as sentence 0. The original ECB documents state neither.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dedupe.errors import InputError
from dedupe.ingest.read import article_from_record
from dedupe.records import Article, content_hash

MENTIONS_FILE = "ecbplus_event_mentions.jsonl"

_NO_SPACE_BEFORE = {
    ",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "'s", "'S", "n't", "'re", "'ve",
    "'ll", "'d", "'m", "’s", "”", "’",
}  # fmt: skip
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "“", "‘"}
_WORD = re.compile(r"^[\w.]+$")
_NUMBER_BEFORE = re.compile(r"^[^\w\s]{0,3}(\d+)$")  # digits, perhaps after a currency sign
_NUMBER_AFTER = re.compile(r"^(\d+)[a-z%]{0,2}$")  # digits, perhaps before a scale ("2m")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = "|".join(_MONTH_NAMES)
_MONTH_NAME = rf"(?:{_MONTHS})[a-z]*\.?"
_STAMP_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)? (?P<m1>{_MONTH_NAME}),? (?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH_NAME})[ -](?P<d2>\d{{1,2}})(?:st|nd|rd|th)?[,-]? ?(?P<y2>\d{{4}}|\d\d)"
    r"|(?P<a3>\d{1,2}) ?[/.] ?(?P<b3>\d{1,2}) ?[/.] ?(?P<y3>\d{4}|\d\d)"
    r"|(?P<y4>\d{4}) ?[-.] ?(?P<m4>\d{1,2}) ?[-.] ?(?P<d4>\d{1,2}))(?!\d)",
    re.IGNORECASE,
)
# what else a date stamp line may hold: times, zones, weekdays and labels ("Posted on")
_STAMP_REST = re.compile(
    r"\b(\d{1,2}:\d\d(:\d\d)?|[ap]\.? ?m\b\.?|[ecmp][sd]?t|gmt|utc|bst|"
    r"(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|nesday|rsday|urday)?|"
    r"posted|published|updated|last|first|originally|edited|article|on|at|by)\b",
    re.IGNORECASE,
)
_URL_DATE = re.compile(
    rf"/(?P<y>(?:19|20)\d\d)[/-](?P<m>\d{{1,2}}|(?:{_MONTHS})[a-z]*)[/-](?P<d>\d{{1,2}})(?:/|$)"
    r"|/(?P<y2>(?:19|20)\d\d)(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?:/|$)",
    re.IGNORECASE,
)
# a date stamp is near the top (title and standfirst may come first) and says little else
_STAMP_LINES = 4
_STAMP_OTHER_WORDS = 2
# a byline that says it is one ("Posted by X in Y on <date>") may name more
_BYLINE = re.compile(r"^\W*(\w+\W+){0,12}?(posted|published|created)\b", re.IGNORECASE)
_BYLINE_OTHER_WORDS = 16


@dataclass(frozen=True)
class EcbDocument:
    """One ECB+ document: tokenised sentences and its gold topic and subtopic."""

    doc_id: str
    topic: int
    subtopic: str
    split: str
    sentences: tuple[tuple[str, ...], ...]

    @property
    def is_plus(self) -> bool:
        """Whether this is an ECB+ addition, whose sentence 0 is the source URL."""
        return self.subtopic.endswith("plus")


@dataclass(frozen=True)
class GoldMention:
    """An annotated event mention and its cross-document coreference cluster."""

    doc_id: str
    sent_id: int
    token_ids: tuple[int, ...]
    text: str
    cluster_id: str
    validated: bool  # in a sentence the annotators checked (the corpus README's advice)


@dataclass(frozen=True)
class Sentence:
    """A document sentence as it appears in the article: its text, the offset of each token
    in it, and the document-wide number of its first token (gold token ids count from 1)."""

    sent_id: int
    text: str
    token_starts: tuple[int, ...]
    first_token: int


@dataclass(frozen=True)
class EcbArticle:
    """A document read as an article, with the map from its paragraphs back to sentences."""

    doc: EcbDocument
    article: Article
    sentences: dict[str, Sentence]  # paragraph text -> sentence


def read_documents(path: str | Path, split: str | None = None) -> list[EcbDocument]:
    """The documents of an ECB+ docs file (only those of `split` when given)."""
    docs = []
    for where, item in json_lines(path):
        try:
            doc = EcbDocument(
                doc_id=str(item["doc_id"]),
                topic=int(item["topic"]),
                subtopic=str(item["subtopic"]),
                split=str(item["split"]),
                sentences=tuple(
                    tuple(s["text"].split(" "))
                    for s in sorted(item["sentences"], key=lambda s: s["sent_id"])
                ),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(where, f"not an ECB+ document ({exc!r})") from exc
        if split is None or doc.split == split:
            docs.append(doc)
    if not docs:
        raise InputError(str(path), f"no documents{f' in split {split!r}' if split else ''}")
    return docs


def read_mentions(path: str | Path, doc_ids: set[str]) -> list[GoldMention]:
    """The gold event mentions of the given documents."""
    mentions = []
    for where, item in json_lines(path):
        if item.get("doc_id") not in doc_ids:
            continue
        try:
            mentions.append(
                GoldMention(
                    doc_id=item["doc_id"],
                    sent_id=int(item["sent_id"]),
                    token_ids=tuple(int(t) for t in item["token_ids"]),
                    text=str(item["text"]),
                    cluster_id=str(item["cluster_id"]),
                    validated=bool(item.get("validated_sentence", True)),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(where, f"not an ECB+ event mention ({exc!r})") from exc
    return mentions


def json_lines(path: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, object) of each non-blank line of a JSON-lines file; InputError names the line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(where, f"invalid JSON line: {exc.msg}") from exc
        if not isinstance(item, dict):
            raise InputError(where, "expected a JSON object")
        yield where, item


def detokenize(tokens: Sequence[str]) -> tuple[str, tuple[int, ...]]:
    """Readable text from PTB-style tokens, and each token's start offset in it.

    Punctuation attaches to its word, LaTeX quotes become straight quotes, and the split
    hyphens, slashes and colons of ECB+ additions ("court - mandated", "05 / 03 / 2013",
    "1 : 32") are joined again, and so are the numbers it split at their separators ("910 ,
    000", "5 . 4"), which read apart are two numbers ("000" and "4 per cent").
    """
    text = ""
    starts: list[int] = []
    quote_open = False
    glue_next = False
    for n, raw in enumerate(tokens):
        token = {"``": '"', "''": '"'}.get(raw, raw)
        prev = tokens[n - 1] if n else ""
        nxt = tokens[n + 1] if n + 1 < len(tokens) else ""
        if token == '"':
            glue = quote_open  # a closing quote attaches to the word before it
            quote_open = not quote_open
            after = not quote_open
        else:
            glue = token in _NO_SPACE_BEFORE
            after = True
        joiner = (token in ("-", "/", ":") and _WORD.match(prev) and _WORD.match(nxt)) or (
            _inside_number(token, prev, nxt)
        )
        if joiner:
            glue = True
        if text and not glue and not glue_next:
            text += " "
        starts.append(len(text))
        text += token
        glue_next = bool(joiner) or token in _NO_SPACE_AFTER or (token == '"' and not after)
    return text, tuple(starts)


def _inside_number(token: str, prev: str, nxt: str) -> bool:
    """Whether `token` separates the parts of one number: a decimal point between digits, or
    a thousands comma between one to three digits and exactly three ("1990 , 300" stays); the
    number may start with a currency sign ("£1 . 2m", "$2 . 5")."""
    before, after = _NUMBER_BEFORE.match(prev), _NUMBER_AFTER.match(nxt)
    if not (before and after):
        return False
    return token == "." or (token == "," and len(before[1]) <= 3 and len(after[1]) == 3)


def _url(doc: EcbDocument) -> str | None:
    """The source URL an ECB+ addition carries as sentence 0."""
    if not (doc.is_plus and doc.sentences):
        return None
    url = "".join(doc.sentences[0])
    return url if re.match(r"https?:", url) else None


def article_record(doc: EcbDocument) -> dict[str, str]:
    """The document as a JSON article (`dedupe run` input): text, URL and source, and the
    publish date its text states, so reading the record gives `to_article(doc).article`."""
    article = to_article(doc).article
    record = _record(doc)
    if article.published is not None:
        record["published"] = article.published.isoformat()
    return record


def _record(doc: EcbDocument) -> dict[str, str]:
    url = _url(doc)
    body = doc.sentences[1:] if url else doc.sentences
    record = {"id": doc.doc_id, "text": "\n".join(detokenize(tokens)[0] for tokens in body)}
    # an ECB document without a URL is known by its file name, whichever way it is read
    record["source"] = urlparse(url).netloc if url else doc.doc_id
    if url:
        record["url"] = url
    return record


def to_article(doc: EcbDocument) -> EcbArticle:
    """The document as the product would read it: title, body, and the dates its text states."""
    sentences = [detokenize(tokens) for tokens in doc.sentences]
    url = _url(doc)
    body = sentences[1:] if url else sentences
    first = 1 if url else 0
    article = article_from_record(_record(doc), doc.doc_id)
    if article.published is None:
        stated = stamp_date([text for text, _ in body[:_STAMP_LINES]]) or url_date(url)
        if stated is not None:
            # hashed as ingest hashes a dated article, so cached claims follow the date
            chash = content_hash(f"{article.text}\x1f{stated}")
            article = dataclasses.replace(
                article, published=stated, date_origin="text", content_hash=chash
            )
    by_text: dict[str, Sentence] = {}
    number = 1 + sum(len(tokens) for tokens in doc.sentences[:first])
    for n, (text, starts) in enumerate(sentences[first:], first):
        by_text.setdefault(text, Sentence(n, text, starts, number))
        number += len(starts)
    return EcbArticle(doc, article, by_text)


def stamp_date(lines: Sequence[str]) -> dt.date | None:
    """The date of the first date stamp among the lines: a line that holds a full date and
    little else ("May 2, 2013 | 5:03pm", "Posted on Thu Jun 13, 2013 08:45 AM PDT"), or a
    byline that says when it was posted ("Story Created: Aug 7, 2012 at 9:56 AM AKDT")."""
    for line in lines:
        match = _STAMP_DATE.search(line)
        if not match:
            continue
        rest = _STAMP_REST.sub(" ", line[: match.start()] + " " + line[match.end() :])
        allowed = _BYLINE_OTHER_WORDS if _BYLINE.match(line) else _STAMP_OTHER_WORDS
        if len(re.findall(r"[A-Za-z]{2,}", rest)) > allowed:
            continue
        if match["y1"] or match["y2"]:
            year, month, day = (
                match["y1"] or match["y2"],
                match["m1"] or match["m2"],
                match["d1"] or match["d2"],
            )
        elif match["y3"]:
            # numeric dates are month first (US) unless the first number cannot be a month
            first, second = int(match["a3"]), int(match["b3"])
            month, day = (str(second), str(first)) if first > 12 else (str(first), str(second))
            year = match["y3"]
        else:
            year, month, day = match["y4"], match["m4"], match["d4"]
        found = _date(year, month, day)
        if found:
            return found
    return None


def url_date(url: str | None) -> dt.date | None:
    """A day named in a URL's path (`/2013/05/02/`, `/2013/may/03/`, `/20130308/`)."""
    if not url:
        return None
    match = _URL_DATE.search(urlparse(url).path)
    if not match:
        return None
    if match["y"]:
        return _date(match["y"], match["m"], match["d"])
    return _date(match["y2"], match["m2"], match["d2"])


def _date(year: str, month: str, day: str) -> dt.date | None:
    number = int(month) if month.isdigit() else _MONTH_NAMES.index(month[:3].lower()) + 1
    full = int(year) if len(year) == 4 else 2000 + int(year)
    try:
        return dt.date(full, number, int(day))
    except ValueError:
        return None


def read_articles(docs: Sequence[EcbDocument]) -> list[EcbArticle]:
    """Every document as an article (ids are the document ids or their URLs)."""
    return [to_article(doc) for doc in docs]
