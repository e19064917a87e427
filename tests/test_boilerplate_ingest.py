import json

from dedupe.ingest.boilerplate import boilerplate_reason, clean_text, is_date_line, is_heading
from dedupe.ingest.read import parse_date, read_articles, strip_markdown
from dedupe.records import Article, IngestFailure
from dedupe.settings import Settings

SETTINGS = Settings()
BODY = (
    "The council approved the budget on Monday after a long debate.\n"
    "The vote was 7 to 2, officials said.\n"
    "Critics said the plan would raise taxes next year.\n"
)


def read(*paths, settings=SETTINGS, manifest=None):
    return list(read_articles([str(p) for p in paths], settings, manifest))


def test_ad_lines_are_dropped_but_news_with_one_marketing_word_is_kept():
    ad = (
        "Industrial Monitor Direct delivers unmatched sparkplug pc solutions featuring "
        "customizable interfaces for seamless PLC integration."
    )
    assert boilerplate_reason(ad).startswith("advertisement")
    assert boilerplate_reason("The new system is seamless, the minister said.") is None


def test_page_tail_after_the_article_is_cut_but_an_early_marker_only_drops_itself():
    raw = "Title here\n" + BODY + "Latest Contents\nOther story headline\nAnother story.\n"
    cleaned = clean_text(raw)
    assert cleaned.title == "Title here"
    assert all("Other story" not in p for p in cleaned.paragraphs)
    early = clean_text("Title\nRelated Articles\n" + BODY)
    assert len(early.paragraphs) == 3


def test_dateline_and_section_label_are_recognised():
    cleaned = clean_text("Politics\n19 September 2024\nBig Headline Here\n" + BODY)
    assert cleaned.dateline == "19 September 2024"
    assert cleaned.title == "Big Headline Here"
    assert is_date_line("May 03 , 2013") and not is_date_line("May the council vote")
    assert is_heading("Shifting Diplomatic Landscapes") and not is_heading("He said so.")


def test_repeated_title_line_is_dropped():
    cleaned = clean_text(
        "Strategic Shift: A Title\nStrategic Shift: A Title - Professional coverage\n" + BODY
    )
    assert len(cleaned.paragraphs) == 3
    assert any("repeated" in d for d in cleaned.dropped)


def test_every_format_reads(tmp_path):
    (tmp_path / "a.txt").write_text("Plain Title\n" + BODY)
    (tmp_path / "b.md").write_text(
        "# Markdown Title\n\n**The council** approved the [budget](http://x) on Monday.\n\n" + BODY
    )
    (tmp_path / "c.html").write_text(
        "<html><head><title>HTML Title</title><script>alert(1)</script></head><body>"
        "<article><h1>HTML Title</h1>"
        + "".join(f"<p>{x}</p>" for x in BODY.splitlines())
        + "</article></body></html>"
    )
    (tmp_path / "d.json").write_text(
        json.dumps(
            {
                "id": "d1",
                "title": "JSON Title",
                "text": BODY,
                "url": "https://e.com/d",
                "source": "Example",
                "published": "2024-09-19",
            }
        )
    )
    (tmp_path / "e.jsonl").write_text(
        json.dumps({"title": "Line One", "text": BODY, "url": "https://e.com/1"})
        + "\n"
        + json.dumps({"title": "Line Two", "text": BODY.upper(), "url": "https://e.com/2"})
    )
    items = read(tmp_path)
    assert all(isinstance(x, Article) for x in items), items
    titles = sorted(x.title for x in items)
    assert titles == [
        "HTML Title",
        "JSON Title",
        "Line One",
        "Line Two",
        "Markdown Title",
        "Plain Title",
    ]
    d = next(x for x in items if x.title == "JSON Title")
    assert d.source == "Example" and str(d.published) == "2024-09-19" and d.url
    html = next(x for x in items if x.title == "HTML Title")
    assert "alert" not in html.text


def test_rss_feed_entries_become_articles(tmp_path):
    feed = tmp_path / "f.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<item><title>Council approves budget</title><link>https://w.com/1</link>"
        "<pubDate>Mon, 16 Sep 2024 10:00:00 GMT</pubDate>"
        f"<description>{BODY}</description></item></channel></rss>"
    )
    [article] = read(feed)
    assert article.source == "Wire" and str(article.published) == "2024-09-16"
    assert article.url == "https://w.com/1"


def test_bad_inputs_are_reported_with_path_and_reason_and_the_rest_goes_on(tmp_path):
    (tmp_path / "good.txt").write_text("Good Title\n" + BODY)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage" * 10)
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "lines.jsonl").write_text('{"text": "Fine text here."}\n{broken\n[1]\n')
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "huge.txt").write_text("x" * 2000)
    items = read(tmp_path, settings=Settings(max_file_bytes=1000))
    failures = {f.path.split("/")[-1]: f.reason for f in items if isinstance(f, IngestFailure)}
    assert failures["empty.txt"] == "empty file"
    assert "binary" in failures["binary.txt"]
    assert "invalid JSON" in failures["bad.json"]
    assert "invalid JSON line" in failures["lines.jsonl:2"]
    assert "expected a JSON object" in failures["lines.jsonl:3"]
    assert "unsupported file type .png" in failures["image.png"]
    assert "over the limit" in failures["huge.txt"] and "max_file_bytes" in failures["huge.txt"]
    good = [a.text.split("\n")[0] for a in items if isinstance(a, Article)]
    assert sorted(good) == ["Fine text here.", "Good Title"]


def test_missing_path_is_a_failure_not_a_crash(tmp_path):
    [failure] = read(tmp_path / "nope")
    assert isinstance(failure, IngestFailure) and failure.reason == "no such file or folder"


def test_windows_1252_text_is_read(tmp_path):
    (tmp_path / "w.txt").write_bytes(("Caf\xe9 Title\n" + BODY).encode("cp1252"))
    [article] = read(tmp_path / "w.txt")
    assert article.title == "Café Title"


def test_manifest_gives_dates_and_sources_and_bad_dates_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("A Title\n" + BODY)
    (tmp_path / "b.txt").write_text("B Title\n" + BODY + "More.\n")
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            {
                "a.txt": {"published": "2025-10-15", "source": "Outlet A"},
                "b.txt": {"published": "someday"},
            }
        )
    )
    items = {getattr(x, "path", ""): x for x in read(tmp_path)}
    a = items[str(tmp_path / "a.txt")]
    assert a.source == "Outlet A" and str(a.published) == "2025-10-15"
    assert a.date_origin == "input"
    assert "unparseable publish date" in items[str(tmp_path / "b.txt")].reason


def test_article_ids_follow_url_else_content():
    a1 = read_one("https://e.com/x", BODY)
    a2 = read_one("https://e.com/x", BODY + "Updated.\n")
    assert a1.id == a2.id and a1.content_hash != a2.content_hash
    assert read_one(None, BODY).id != read_one(None, BODY + "x.\n").id


def read_one(url, text):
    from dedupe.ingest.read import article_from_record

    return article_from_record({"url": url, "text": "Title Here\n" + text}, "mem")


def test_markdown_and_dates_helpers():
    assert strip_markdown("## Head\n**bold** and [link](http://x)") == "Head\nbold and link"
    assert str(parse_date("19 September 2024")) == "2024-09-19"
    assert parse_date("not a date") is None
