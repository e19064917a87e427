"""Bad inputs: each is reported with its path and reason and skipped; the rest is read, and a
real run over a folder of them succeeds and counts them in its summary."""

import datetime as dt
import io
import json
import sys

import pytest

from dedupe.ingest.read import MAX_PARAGRAPH_CHARS, read_articles
from dedupe.pipeline import ingest, ingest_chunks, run
from dedupe.records import Article, IngestFailure
from dedupe.settings import Settings

BODY = (
    "The council approved the budget on Monday after a long debate.\n"
    "The vote was 7 to 2, officials said.\n"
)
TODAY = dt.date(2025, 10, 20)


def read(*paths, settings=None, today=None):
    return list(read_articles([str(p) for p in paths], settings or Settings(), today=today))


def one(path, **kw):
    [item] = read(path, **kw)
    return item


def reason(path, **kw):
    item = one(path, **kw)
    assert isinstance(item, IngestFailure), item
    assert item.path == str(path)
    return item.reason


# ------------------------------------------------------------ empty and binary


def test_empty_and_whitespace_only_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b" \n\t\r\n  ")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf\n")
    for name in ("empty.txt", "blank.md", "bom.txt"):
        assert reason(tmp_path / name) == "empty file"


def test_binary_files_with_or_without_nul_bytes(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary file" in reason(tmp_path / "image.txt")
    # control bytes but no NUL: decodes as Windows-1252, still not text
    noise = bytes(b % 31 + 1 for b in range(3000))
    (tmp_path / "noise.html").write_bytes(noise)
    assert "binary data" in reason(tmp_path / "noise.html")


# ------------------------------------------------------------ encodings


def test_bytes_no_supported_encoding_reads(tmp_path):
    # 0x81 and 0x8d are undefined in Windows-1252 and invalid as UTF-8 here
    (tmp_path / "bad.txt").write_bytes(b"Title\nThe council \x81\x8d approved it.\n")
    assert "not valid UTF-8 or Windows-1252" in reason(tmp_path / "bad.txt")


@pytest.mark.parametrize(
    "name,data",
    [
        ("utf8-bom.txt", b"\xef\xbb\xbf" + ("Caf\u00e9 Title\n" + BODY).encode()),
        ("utf16-bom.txt", ("Caf\u00e9 Title\n" + BODY).encode("utf-16")),
        ("utf16le.txt", ("Caf\u00e9 Title\n" + BODY).encode("utf-16-le")),
        ("utf16be.txt", ("Caf\u00e9 Title\n" + BODY).encode("utf-16-be")),
        ("cp1252.txt", ("Caf\u00e9 Title\n" + BODY).encode("cp1252")),
    ],
)
def test_text_encodings_are_read(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    article = one(tmp_path / name)
    assert isinstance(article, Article) and article.title == "Caf\u00e9 Title"


def test_the_charset_an_html_page_declares_is_used(tmp_path):
    # KOI8-R bytes read as Windows-1252 would be mojibake: the <meta> charset must win
    title = "\u041d\u043e\u0432\u043e\u0441\u0442\u0438 \u0434\u043d\u044f"  # "Новости дня"
    page = (
        '<html><head><meta charset="koi8-r"><title>' + title + "</title></head><body><article>"
        "<h1>"
        + title
        + "</h1>"
        + "".join(f"<p>{x}</p>" for x in BODY.splitlines())
        + "</article></body></html>"
    )
    (tmp_path / "ru.html").write_bytes(page.encode("koi8-r"))
    article = one(tmp_path / "ru.html")
    assert isinstance(article, Article) and article.title == title


def test_the_encoding_an_xml_feed_declares_is_used(tmp_path):
    feed = (
        '<?xml version="1.0" encoding="iso-8859-15"?><rss version="2.0"><channel>'
        "<title>Caf\u00e9 \u20ac Wire</title><item><title>Story</title>"
        f"<link>https://w.com/1</link><description>{BODY}</description></item></channel></rss>"
    )
    (tmp_path / "f.rss").write_bytes(feed.encode("iso-8859-15"))
    assert one(tmp_path / "f.rss").source == "Caf\u00e9 \u20ac Wire"


# ------------------------------------------------------------ JSON and JSON lines


def test_malformed_json_and_json_lines(tmp_path):
    (tmp_path / "bad.json").write_text('{"text": "unterminated')
    assert reason(tmp_path / "bad.json").startswith("invalid JSON: Unterminated string")
    (tmp_path / "number.json").write_text("42")
    assert "must be an article object" in reason(tmp_path / "number.json")
    (tmp_path / "notext.json").write_text('[{"title": "No body"}]')
    [failure] = read(tmp_path / "notext.json")
    assert failure.path.endswith("notext.json#0") and 'missing or empty "text"' in failure.reason
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"text": "Good line one here."})
        + "\n{broken\n\n"
        + '"a string"\n'
        + json.dumps({"text": 5})
        + "\n"
        + json.dumps({"text": "Good line six here."})
    )
    items = read(tmp_path / "lines.jsonl")
    got = {x.path.rsplit(":", 1)[-1]: x for x in items}
    assert isinstance(got["1"], Article) and isinstance(got["6"], Article)
    assert "invalid JSON line" in got["2"].reason
    assert "expected a JSON object, got str" in got["4"].reason
    assert 'missing or empty "text"' in got["5"].reason


# ------------------------------------------------------------ HTML with scripts


def test_scripts_are_dropped_from_html_and_html_inside_json(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Budget</title><script>steal()</script></head><body><article>"
        "<h1>Budget</h1><p>The council approved the budget on Monday.</p>"
        "<script>document.write('pwned')</script><p>The vote was 7 to 2, officials said.</p>"
        "<noscript>enable js</noscript><style>p{}</style></article></body></html>"
    )
    (tmp_path / "j.json").write_text(
        json.dumps({"text": "<p>The council met.</p><script>steal()</script><p>It voted.</p>"})
    )
    for path in ("page.html", "j.json"):
        article = one(tmp_path / path)
        assert isinstance(article, Article)
        assert "steal" not in article.text and "pwned" not in article.text


def test_markup_in_plain_text_stays_literal_text(tmp_path):
    # a .txt file is text: its "<script>" is kept as characters, and the reports escape it
    (tmp_path / "a.txt").write_text("Title\nThe mayor typed <script>alert(1)</script> twice.\n")
    assert "<script>alert(1)</script>" in one(tmp_path / "a.txt").text


# ------------------------------------------------------------ size limits


def test_huge_file_huge_stdin_and_a_giant_paragraph(tmp_path, monkeypatch):
    small = Settings(max_file_bytes=1000)
    (tmp_path / "huge.txt").write_text("Title\n" + "word " * 400)
    assert "over the limit of 1,000 (setting max_file_bytes)" in reason(
        tmp_path / "huge.txt", settings=small
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 2000)))
    [failure] = list(read_articles(["-"], small))
    assert failure.path == "<stdin>" and "over the limit" in failure.reason
    # under the file limit, but one "paragraph" longer than any news paragraph
    (tmp_path / "dump.txt").write_text("Title\n" + "abc " * (MAX_PARAGRAPH_CHARS // 4 + 10))
    assert "a paragraph of 100,0" in reason(tmp_path / "dump.txt")


# ------------------------------------------------------------ duplicate ids


def test_duplicate_ids_keep_the_first_and_report_the_rest(tmp_path):
    first = {"url": "https://e.com/a", "text": BODY, "title": "A"}
    (tmp_path / "a.jsonl").write_text(
        "\n".join(
            json.dumps(x)
            for x in (first, first, {**first, "text": BODY + "Changed."}, {"id": "x", "text": BODY})
        )
    )
    articles, failures = ingest([str(tmp_path / "a.jsonl")], Settings(), None)
    assert [a.path.rsplit(":", 1)[-1] for a in articles] == ["1", "4"]
    reasons = {f.path.rsplit(":", 1)[-1]: f.reason for f in failures}
    assert "duplicate of" in reasons["2"] and "same content" in reasons["2"]
    assert "different text" in reasons["3"] and "only the first was read" in reasons["3"]


def test_duplicate_ids_are_caught_across_chunks(tmp_path):
    """A run reads its inputs a chunk at a time; an id seen in an earlier chunk still makes a
    later article a duplicate, and the chunks hold each article once, in input order."""
    records = [{"id": i, "text": f"{BODY} Item {i}."} for i in ("a", "b", "c", "a", "d", "b")]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    failures: list = []
    chunks = ingest_chunks([str(tmp_path / "a.jsonl")], Settings(), None, None, (), failures, 2)
    lines = [[a.path.rsplit(":", 1)[-1] for a in chunk] for chunk in chunks]
    assert lines == [["1", "2"], ["3", "5"]]
    assert [f.path.rsplit(":", 1)[-1] for f in failures] == ["4", "6"]
    assert all("duplicate of" in f.reason for f in failures)


# ------------------------------------------------------------ dates


def test_dates_in_the_future_or_unparseable(tmp_path):
    lines = [
        {"id": "ok", "text": BODY, "published": "2025-10-20"},
        # a day ahead is still "today" somewhere east of the run
        {"id": "tomorrow", "text": BODY, "published": "2025-10-21"},
        {"id": "future", "text": BODY, "published": "2031-01-01"},
        {"id": "garbage", "text": BODY, "published": "the day after the vote"},
        {"id": "number", "text": BODY, "published": 12345},
    ]
    (tmp_path / "d.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    (tmp_path / "dateline.txt").write_text("Title Here\n12 March 2031\n" + BODY)
    items = {x.path.rsplit("/", 1)[-1]: x for x in read(tmp_path, today=TODAY)}
    assert isinstance(items["d.jsonl:1"], Article) and isinstance(items["d.jsonl:2"], Article)
    assert items["d.jsonl:3"].reason == (
        "publish date 2031-01-01 (from its metadata) is after the run date 2025-10-20"
    )
    assert "unparseable publish date 'the day after the vote'" in items["d.jsonl:4"].reason
    assert "unparseable publish date 12345" in items["d.jsonl:5"].reason
    assert "(from its dateline) is after the run date" in items["dateline.txt"].reason
    # without a run date (a library caller that gives none) nothing is judged "future"
    assert isinstance(one(tmp_path / "dateline.txt"), Article)


# ------------------------------------------------------------ a real run over all of it


@pytest.mark.slow
def test_a_run_over_bad_inputs_succeeds_reports_and_counts_them(tmp_path, minilm):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text("Council Approves Budget\n" + BODY)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "binary.txt").write_bytes(b"\x00\x01garbage" * 50)
    (inbox / "bad.json").write_text("{nope")
    (inbox / "lines.jsonl").write_text('{"text": "<script>alert(1)</script>"}\n{broken\n')
    (inbox / "future.json").write_text(json.dumps({"text": BODY, "published": "2031-01-01"}))
    (inbox / "image.png").write_bytes(b"\x89PNG")
    result = run(
        [str(inbox)],
        Settings(),
        tmp_path / "s.db",
        tmp_path / "out",
        dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC),
    )
    # 7 files: good.txt is read; the script-only JSON line has no text left after the HTML is
    # reduced to text, so it fails with the broken line: 7 failures from 6 bad files
    assert result.stats.articles_new == 1
    failed = sorted(f.path.rsplit("/", 1)[-1] for f in result.failures)
    assert failed == [
        "bad.json",
        "binary.txt",
        "empty.txt",
        "future.json#0",
        "image.png",
        "lines.jsonl:1",
        "lines.jsonl:2",
    ]
    assert result.stats.articles_failed == 7 == result.report["summary"]["failures"]
    html = (tmp_path / "out" / "report.html").read_text()
    md = (tmp_path / "out" / "report.md").read_text()
    for f in result.failures:
        assert f.reason in md
    assert "7 unreadable inputs" in html and "<script>alert" not in html
