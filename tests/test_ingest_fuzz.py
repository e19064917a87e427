"""Property test of the ingest layer: whatever bytes a file of any supported type holds,
reading it gives articles or reported failures, never an exception.

Each test writes one generated file per example and reads it through `read_articles` (suffix
dispatch, size limit, decoding, the format reader, boilerplate removal, dates), so the whole
layer is exercised, not one parser. 2,500 inputs in all, a few milliseconds each; the
strategies stay flat (text and bytes drawn whole): generating nested data costs more than
reading it.
"""

import datetime as dt
import itertools
import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedupe.ingest.read import SUPPORTED, read_articles
from dedupe.records import Article, IngestFailure
from dedupe.settings import Settings

pytestmark = pytest.mark.slow
# small enough that the size limit is hit sometimes, large enough for real articles
SETTINGS = Settings(max_file_bytes=20_000)
TODAY = dt.date(2025, 10, 20)
FUZZ = settings(
    deadline=None,  # the first example imports trafilatura, dateparser, feedparser
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_counter = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def read_bytes_as(folder: Path, suffix: str, data: bytes) -> list:
    """Write `data` to a fresh file with `suffix`, read it, and check what came back."""
    path = folder / f"f{next(_counter)}{suffix}"
    path.write_bytes(data)
    items = list(read_articles([str(path)], SETTINGS, today=TODAY))
    for item in items:
        assert isinstance(item, Article | IngestFailure), item
        assert item.path.startswith(str(path))
        if isinstance(item, IngestFailure):
            assert item.reason.strip()
        else:
            assert item.id.startswith("art-") and re.fullmatch(r"[0-9a-f]{40}", item.content_hash)
            assert item.text.strip() and item.text == item.text.strip()
            assert item.published is None or item.published <= TODAY + dt.timedelta(days=1)
    path.unlink()
    return items


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "koi8-r"])
SENTENCES = [
    "The council approved the budget on Monday.",
    "Former U.S. President Donald Trump met Zelensky.",
    "19 September 2024",
    "Latest Contents",
    "Share this article",
    "\n\n",
]
# lone surrogates (Cs) reach the readers through JSON escapes ("\ud800"), control characters
# (Cc) through any format; files get them encoded with errors="replace"
ODD_TEXT = st.text(st.characters(categories=["Cs", "Cc", "Zs", "Lu"]), max_size=20)
TEXT = st.text(max_size=200) | ODD_TEXT | st.sampled_from(SENTENCES)
DATES = st.one_of(
    st.none(),
    st.dates().map(str),
    st.sampled_from(["19 September 2024", "yesterday", "2031-01-01", "not a date", ""]),
    st.integers(),
    TEXT,
)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=3,
)
RECORD = st.fixed_dictionaries(
    {"text": st.one_of(TEXT, JSON_VALUE)},
    optional={
        "title": st.one_of(TEXT, JSON_VALUE),
        "url": st.one_of(TEXT, st.just("https://e.com/a"), st.just("javascript:x()")),
        "source": TEXT,
        "published": DATES,
        "id": st.one_of(TEXT, st.integers()),
    },
)


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@settings(FUZZ, max_examples=1000)
@given(
    suffix=st.sampled_from(sorted(SUPPORTED - {".feeds"}) + [".bin"]), data=st.binary(max_size=3000)
)
def test_any_bytes_in_any_format(folder, suffix, data):
    read_bytes_as(folder, suffix, data)


@settings(FUZZ, max_examples=500)
@given(
    suffix=st.sampled_from([".txt", ".md", ".markdown"]),
    lines=st.lists(TEXT, max_size=8),
    encoding=ENCODINGS,
)
def test_text_and_markdown(folder, suffix, lines, encoding):
    read_bytes_as(folder, suffix, encode("\n".join(lines), encoding))


@settings(FUZZ, max_examples=500)
@given(
    records=st.lists(st.one_of(RECORD, JSON_VALUE), max_size=4),
    junk=st.lists(TEXT, max_size=2),
    as_lines=st.booleans(),
    encoding=ENCODINGS,
)
def test_json_and_json_lines(folder, records, junk, as_lines, encoding):
    if as_lines:
        text = "\n".join([json.dumps(r) for r in records] + junk)
        items = read_bytes_as(folder, ".jsonl", encode(text, encoding))
        whole_file = [x for x in items if isinstance(x, IngestFailure) and x.path.endswith("l")]
        if encoding == "utf-8" and not whole_file:
            # one article or one failure per non-empty line: no line is lost
            assert len(items) == sum(1 for line in text.splitlines() if line.strip())
    else:
        read_bytes_as(folder, ".json", encode(json.dumps(records), encoding))


TAGS = st.sampled_from(
    ["p", "div", "script", "style", "article", "h1", "title", "meta", "br", "a", "noscript"]
)
HTML_PART = st.one_of(
    TEXT,
    TAGS.map(lambda t: f"<{t}>"),
    TAGS.map(lambda t: f"</{t}>"),
    st.just('<meta charset="koi8-r">'),
    st.just("<script>window.pwned=1</script>"),
)


@settings(FUZZ, max_examples=250)
@given(parts=st.lists(HTML_PART, max_size=12), encoding=ENCODINGS)
def test_html(folder, parts, encoding):
    read_bytes_as(folder, ".html", encode("".join(parts), encoding))


@settings(FUZZ, max_examples=250)
@given(
    title=TEXT,
    entries=st.lists(st.tuples(TEXT, TEXT, TEXT, DATES.map(str)), max_size=3),
    raw=st.booleans(),
    encoding=ENCODINGS,
)
def test_rss_feeds(folder, title, entries, raw, encoding):
    """Feeds with escaped text, or with the text pasted in raw (malformed XML)."""
    esc = (lambda s: s) if raw else escape
    items = "".join(
        f"<item><title>{esc(t)}</title><link>{esc(link)}</link><pubDate>{esc(d)}</pubDate>"
        f"<description>{esc(body)}</description></item>"
        for t, body, link, d in entries
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{esc(title)}</title>{items}'
    read_bytes_as(folder, ".rss", encode(feed + "</channel></rss>", encoding))
