"""Hostile inputs, generated: file names, encodings, JSON shapes, dates, HTML nesting, feed XML.

`hostile_file()` draws one file (name bytes, content bytes); `check_folder` reads a folder of
them beside good articles through the real ingest layer and a real store, and returns what
went wrong: an exception, a good article not read, a bad file not reported, or a store that
fails `PRAGMA integrity_check`. `tests/test_hostile.py` runs a few thousand cases in CI;
`scripts/hostile.py` runs 10,000 or more and counts the crashes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from pathlib import Path

from hypothesis import strategies as st

from dedupe.ingest.decoding import display_name
from dedupe.pipeline import ingest
from dedupe.records import Article, IngestFailure, RunStats
from dedupe.settings import Settings
from dedupe.store.database import Store

TODAY = dt.date(2025, 10, 20)
NOW = dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC)
# small enough that the size limit is hit by some generated files
SETTINGS = Settings(max_file_bytes=200_000)
GOOD = {
    "good-a.txt": "Council Approves Budget\n\nThe city council approved the budget on Monday.\n",
    "good-b.json": json.dumps(
        {"text": "The mayor signed the transit plan on Friday, her office said."}
    ),
}
SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".xml", ".rss", ".feeds", ".png", ""]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252", "latin-1", "koi8-r", "ascii"]
SENTENCE = "The governor signed the bill on Tuesday, her office said."

# file names: any bytes a POSIX file name may hold (not "/" or NUL), UTF-8 or not
NAME_BYTES = st.binary(min_size=1, max_size=40).map(
    lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")
)
DATES = st.one_of(
    st.dates().map(str),
    st.sampled_from(
        ["0001-01-01", "-0001-01-01", "9999-12-31", "2025-13-01", "2025-02-30", "+2025-01-01"]
    ),
    st.sampled_from(["yesterday", "Monday", "31/12/2024", "", "   ", "2025-10-15T25:00"]),
    st.integers(-(10**20), 10**20).map(str),
    st.text(max_size=30),
)
TEXTS = st.one_of(
    st.just(SENTENCE),
    st.text(max_size=300),
    st.sampled_from(
        [
            f"On Monday, {SENTENCE}",
            "Zel\u200bensky met Trump on Friday.",
            "\ud800 lone surrogate \udfff",
            "x" * 120_000,
            "<p>" + SENTENCE + "</p>",
            "<script>alert(1)</script>",
        ]
    ),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXTS, DATES)
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner)
)


@st.composite
def article_json(draw: st.DrawFn) -> str:
    """An article object with hostile field values (or none at all)."""
    record = {
        k: draw(v)
        for k, v in {
            "text": TEXTS | JSON_VALUES,
            "title": TEXTS,
            "published": DATES | SCALARS,
            "url": st.text(max_size=40) | st.just("http://[::1"),
            "id": SCALARS,
        }.items()
        if draw(st.booleans())
    }
    return json.dumps(record)


@st.composite
def nested(draw: st.DrawFn, open_: str, close: str, inner: str = "") -> str:
    depth = draw(st.integers(1, 200_000))
    return open_ * depth + inner + close * draw(st.sampled_from([depth, 0, depth // 2]))


CONTENTS = st.one_of(
    article_json(),
    st.lists(article_json(), max_size=3).map(lambda xs: "\n".join(xs)),
    st.lists(article_json(), max_size=3).map(lambda xs: "[" + ",".join(xs) + "]"),
    JSON_VALUES.map(lambda v: json.dumps(v)),
    nested("[", "]"),
    nested('{"a":', "}", "1"),
    nested("<div>", "</div>", f"<p>{SENTENCE}</p>"),
    nested("<b>", "", SENTENCE),
    st.builds(
        lambda title, body, date: (
            f'<?xml version="1.0"?><rss><channel><item><title>{title}</title>'
            f"<description>{body}</description><pubDate>{date}</pubDate></item></channel></rss>"
        ),
        TEXTS,
        TEXTS,
        DATES,
    ),
    st.sampled_from(
        [
            '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            "<rss><channel><item><title>&b;</title></item></channel></rss>",
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<rss><channel><item><description>&x;</description></item></channel></rss>",
            "feed.rss\nhttp://127.0.0.1:9/none.xml\n/no/such/feed.xml\n",
        ]
    ),
    TEXTS,
)


@st.composite
def hostile_file(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """(file name, content): a hostile name with a supported (or unsupported) suffix, and
    hostile content in one of several encodings, or raw bytes."""
    name = draw(NAME_BYTES) + draw(st.sampled_from(SUFFIXES)).encode()
    if name.startswith(b".") or name in GOOD or name.lower() == b"manifest.json":
        name = b"x" + name  # hidden files are not inputs; good files keep their names
    if draw(st.booleans()):
        data = draw(st.binary(max_size=2_000))
    else:
        data = draw(CONTENTS).encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return name, data


def write_folder(folder: Path, files: list[tuple[bytes, bytes]]) -> list[Path]:
    """The good articles and the hostile files (later duplicates of a name dropped). A feed
    list may name URLs on this machine only: nothing generated may reach another host."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in GOOD.items():
        (folder / name).write_text(text)
    written = []
    for name, data in files:
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
        if path in written:
            continue
        if path.suffix == ".feeds":
            data = re.sub(rb"(?i)\b(https?|ftp)://(?!127\.0\.0\.1:9/)", b"no-scheme/", data)
        path.write_bytes(data)
        written.append(path)
    return written


def check_folder(folder: Path, bad: list[Path], store_path: Path) -> list[str]:
    """What went wrong reading `folder` and storing it; an empty list when nothing did."""
    problems = []
    try:
        articles, failures = ingest([str(folder)], SETTINGS, None, TODAY)
        items: list[Article | IngestFailure] = [*articles, *failures]
        for name in GOOD:
            if not any(
                isinstance(i, Article) and i.path.startswith(str(folder / name)) for i in items
            ):
                problems.append(f"good file {name} was not read")
        for path in bad:
            shown = display_name(path)
            # a .feeds list's entries are reported by their own path, naming the list
            if not any(
                i.path == shown
                or i.path.startswith((f"{shown}:", f"{shown}#"))
                or (isinstance(i, IngestFailure) and f"listed in {shown}," in i.reason)
                for i in items
            ):
                problems.append(f"{shown!r} gave neither an article nor a failure")
        with Store.open(store_path) as store:
            run_id = store.begin_run(NOW, {})
            for article in articles:
                store.save_article(article, [], run_id, "hostile")
            store.save_results(run_id, [], [], [], failures, RunStats(), NOW, None)
        db = sqlite3.connect(store_path)
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            problems.append("the store fails PRAGMA integrity_check")
        db.close()
    except Exception as exc:  # the crash is what is counted
        problems.append(f"crash: {type(exc).__name__}: {exc}")
    return problems
