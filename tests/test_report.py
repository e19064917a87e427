"""The report dict and its renderings: review states, what changed since the last run, the run
summary, quote links and the one script the HTML report's CSP allows."""

import base64
import dataclasses
import datetime as dt
import hashlib
import re

import pytest

from dedupe.errors import UsageError
from dedupe.nightly import grouping_fingerprint
from dedupe.records import Article, Event, RunStats
from dedupe.report import ReportInput, article_entry, build_report
from dedupe.report.html import page_script, render_html
from dedupe.report.links import quote_url
from dedupe.report.render import render_json, render_markdown
from dedupe.settings import Settings, load_settings
from dedupe.store.database import evidence_hash

from .conftest import embedded
from .synthetic_report import synthetic_input
from .test_review import evidence, finding

NOW = dt.datetime(2025, 10, 21, 6, 0, tzinfo=dt.UTC)
STATS = RunStats(
    articles_new=2,
    articles_changed=1,
    articles_unchanged=5,
    articles_failed=3,
    claims=40,
    claims_embedded=12,
    events=2,
    findings=2,
    seconds={"ingest": 0.5, "extract": 2.25},
)


def article(n, url=None):
    return Article(
        id=f"art-{n}", title=f"Title {n}", text="Text.", source=f"S{n}", path=f"p{n}", url=url
    )


def make_report(decisions=None, previous=True, findings=None):
    events = [
        Event("evt-1", "Trump visit", ("art-1", "art-2", "art-4"), (), None, None),
        Event("evt-3", "Storm", ("art-3",), (), None, None),
    ]
    findings = findings if findings is not None else [finding("fnd-a"), finding("fnd-b")]
    return build_report(
        ReportInput(
            articles=[
                article_entry(a)
                for a in (article(1, "https://example.com/1"), article(2), article(3), article(4))
            ],
            events=events,
            findings=findings,
            changes=[],
            failures=[],
            stats=STATS,
            run_id=2,
            previous_events=[
                Event("evt-1", "Trump visit", ("art-1", "art-2"), (), None, None),
                Event("evt-2", "Gone", ("art-9",), (), None, None),
            ]
            if previous
            else None,
            previous_findings=[finding("fnd-a"), finding("fnd-old", subject="Biden")]
            if previous
            else None,
            previous_run={"id": 1, "started_at": "2025-10-20T06:00:00+00:00"} if previous else None,
            decisions=decisions or {},
            store_path="/data/news.db",
        ),
        NOW,
    )


def decision(f, what, note=None):
    return {
        "decision": what,
        "note": note,
        "by": "ana",
        "at": "2025-10-20T09:00:00+00:00",
        "evidence_hash": evidence_hash(f),
    }


def test_since_last_run_lists_new_and_grown_events_and_new_and_resolved_findings():
    since = make_report()["since_last_run"]
    assert since["previous_run"]["id"] == 1
    assert since["new_events"] == [{"id": "evt-3", "label": "Storm", "articles": 1}]
    assert since["grown_events"] == [
        {"id": "evt-1", "label": "Trump visit", "new_articles": ["art-4"]}
    ]
    assert [f["id"] for f in since["new_findings"]] == ["fnd-b"]
    assert [(f["id"], f["subject"]) for f in since["resolved_findings"]] == [("fnd-old", "Biden")]
    assert make_report(previous=False)["since_last_run"] is None


def test_since_last_run_and_run_summary_are_in_html_and_markdown():
    report = make_report()
    md, html = render_markdown(report), render_html(report)
    for text in (md, html):
        assert "Since the last run" in text and "Storm" in text
        assert "resolved" in text.lower() and "fnd-old" in text and "Biden" in text
        assert "2 new" in text and "1 changed" in text and "5 unchanged" in text
        assert "3 unreadable inputs" in text and "12 newly embedded" in text
        assert "extract 2.25" in text
    assert '<a href="#evt-3">Storm</a>' in html and '<a href="#fnd-b">' in html
    first = make_report(previous=False)
    assert "first run on this store" in render_markdown(first)
    assert "first run on this store" in render_html(first)


def test_dismissed_findings_leave_the_counts_and_the_first_page_and_rank_last():
    a, b = finding("fnd-a"), finding("fnd-b")
    report = make_report(
        {"fnd-a": decision(a, "dismiss", "same person"), "fnd-b": decision(b, "confirm")}
    )
    assert report["summary"]["findings"] == 1 and report["summary"]["dismissed"] == 1
    assert report["summary"]["confirmed"] == 1
    # fnd-a would rank first by id; dismissed, it ranks last
    assert [f["id"] for f in report["findings"]] == ["fnd-b", "fnd-a"]
    html = render_html(report)
    first_page = html[html.index('<div id="finding-list">') : html.index('id="events"')]
    assert 'id="fnd-b"' in first_page and 'id="fnd-a"' not in first_page
    assert '<span class="badge confirmed">confirmed</span>' in first_page
    # the status filter shows it: the page's data keeps it with its decision
    [dismissed] = [f for f in embedded(html)["findings"] if f["id"] == "fnd-a"]
    assert dismissed["review"]["status"] == "dismissed"
    assert dismissed["review"]["note"] == "same person"
    md = render_markdown(report)
    assert "### Dismissed (1)" in md and "[confirmed]" in md
    assert "### WARNING officeholder: Trump [confirmed]" in md
    assert not re.search(r"^### .*\[dismissed\]", md, re.MULTILINE), "dismissed shown in full"


def test_a_dismissed_finding_whose_evidence_changed_is_open_again():
    f = finding("fnd-a")
    stale = {**decision(f, "dismiss"), "evidence_hash": "something-else"}
    report = make_report({"fnd-a": stale})
    [a] = [x for x in report["findings"] if x["id"] == "fnd-a"]
    assert a["review"]["status"] == "open" and a["review"]["evidence_changed"]
    assert report["summary"]["dismissed"] == 0
    assert "the evidence has changed since, so the finding is open again" in render_html(report)


def test_review_commands_name_the_store_and_have_copy_buttons():
    report = make_report()
    f = report["findings"][0]
    assert (
        f["review"]["dismiss_command"] == f"dedupe review {f['id']} --dismiss --store /data/news.db"
    )
    html = render_html(report)
    assert html.count('<button type="button" class="copy" data-copy="dedupe review ') == 4
    assert "`dedupe review fnd-a --confirm --store /data/news.db`" in render_markdown(report)


def test_the_only_script_is_allowed_by_its_exact_hash_and_nothing_else_is():
    html = render_html(make_report())
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 1 and scripts[0] == page_script()[0]
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    assert "script-src 'unsafe-inline'" not in csp


def test_quotes_link_to_their_article_with_a_text_fragment():
    url = "https://example.com/a?x=1&y=2"
    assert quote_url(url, "Short quote, with-dash.") == (
        "https://example.com/a?x=1&y=2#:~:text=Short%20quote%2C%20with%2Ddash."
    )
    long = "one two three four five six seven eight nine ten"
    assert quote_url(url, long).endswith(
        "#:~:text=one%20two%20three%20four,seven%20eight%20nine%20ten"
    )
    # a URL that already has a fragment is kept as it is
    assert quote_url("https://e.com/a#top", long) == "https://e.com/a#top"
    f = finding("fnd-a")
    bad = dataclasses.replace(f.evidence[1], url="javascript:alert(1)")
    html = render_html(
        make_report(findings=[dataclasses.replace(f, evidence=(f.evidence[0], bad))])
    )
    assert (
        'class="quote" href="https://example.com/1#:~:text=Quote%201%20says%20President."' in html
    )
    # only http(s) URLs become links: the javascript: one is plain text
    assert html.count('class="quote"') == 1 and 'href="javascript' not in html


def test_findings_rank_by_severity_then_confidence_then_sources_and_events_follow():
    base = finding("fnd-x")
    three = (*base.evidence, dataclasses.replace(base.evidence[0], source="Outlet 3"))
    findings = [
        dataclasses.replace(base, id="fnd-1", severity="info", confidence=0.99),
        dataclasses.replace(base, id="fnd-2", confidence=0.5, evidence=three),
        dataclasses.replace(base, id="fnd-3", confidence=0.5),
        dataclasses.replace(base, id="fnd-4", confidence=0.9, event_id="evt-3"),
        dataclasses.replace(base, id="fnd-5", severity="error", confidence=0.1),
    ]
    report = make_report(findings=findings[::-1])
    # error first however unsure; then warnings by confidence, the tie (0.5) broken by the
    # number of sources (3 before 2); info last however sure
    assert [f["id"] for f in report["findings"]] == ["fnd-5", "fnd-4", "fnd-2", "fnd-3", "fnd-1"]
    assert [f["sources"] for f in report["findings"]] == [2, 2, 3, 2, 2]
    # evt-1 holds the best finding (fnd-5), so it leads though evt-3 ranks next
    assert [e["id"] for e in report["events"]] == ["evt-1", "evt-3"]
    # events without findings: the largest first
    articles = [article_entry(article(n)) for n in range(1, 4)]
    events = [
        Event(f"evt-{n}", "", tuple(f"art-{i}" for i in range(1, n + 1)), (), None, None)
        for n in (1, 3, 2)
    ]
    sized = build_report(ReportInput(articles, events, [], [], [], STATS), NOW)
    assert [e["id"] for e in sized["events"]] == ["evt-3", "evt-2", "evt-1"]


def test_html_and_markdown_hold_at_most_the_settings_and_say_where_the_rest_are():
    findings = [finding(f"fnd-{n}") for n in range(5)]
    report = make_report(findings=findings, previous=False)
    report["settings"] = {"report_max_findings": 2, "report_max_events": 1}
    html, md = render_html(report), render_markdown(report)
    data = embedded(html)
    assert [f["id"] for f in data["findings"]] == ["fnd-0", "fnd-1"]
    assert [e["id"] for e in data["events"]] == ["evt-1"]
    note = "the 2 highest-ranked of 5 findings and the first 1 of 2 events"
    assert note in html and note in md and "report.json" in html
    assert 'id="fnd-2"' not in html and "fnd-2" not in md
    assert len(report["findings"]) == 5 and "fnd-4" in render_json(report)
    # a report within the settings says nothing
    assert "highest-ranked" not in render_html(make_report())


def test_the_data_block_cannot_be_closed_by_article_text():
    evil = "</script><script>alert(1)</script><!-- "
    f = finding("fnd-a")
    quoted = dataclasses.replace(f, reason=evil, evidence=(evidence(1, "x", quote=evil),))
    html = render_html(make_report(findings=[quoted]))
    block = html[html.index('id="report-data">') : html.rindex("<script>")]
    assert block.count("</script>") == 1 and "<!--" not in block  # only its own end tag
    [data] = embedded(html)["findings"]
    assert data["reason"] == evil and data["evidence"][0]["quote"] == evil


def test_report_limits_regroup_nothing_and_must_be_positive():
    # changing them changes only the pages (and a store grouped before they existed keeps
    # its grouping: they are left out of the grouping fingerprint)
    assert grouping_fingerprint(Settings(report_max_findings=5)) == grouping_fingerprint(Settings())
    with pytest.raises(UsageError, match="report_max_findings must be at least 1"):
        load_settings(None, report_max_findings=0)


@pytest.mark.slow
def test_the_html_page_does_not_grow_with_the_store():
    def sizes(articles):
        data = synthetic_input(articles)
        data.settings = {"report_max_findings": 200, "report_max_events": 100}
        report = build_report(data, NOW)
        return len(render_html(report)), len(render_json(report))

    html_1k, json_1k = sizes(1000)
    html_4k, json_4k = sizes(4000)
    # four times the articles: report.json holds four times as much (500 vs 2,000 findings);
    # the page holds 200 findings and 100 events at both sizes, which differ only in how
    # many articles those events have (measured: 0.67 MB vs 0.73 MB)
    assert json_4k > 3.5 * json_1k
    assert html_4k < 1.25 * html_1k


def test_long_lists_stop_after_a_hundred_lines_with_the_count_of_the_rest():
    report = make_report()
    report["failures"] = [{"path": f"in/{n}.txt", "reason": "empty"} for n in range(150)]
    html, md = render_html(report), render_markdown(report)
    # LIST_LIMIT is 100: in/99 is the last listed, in/100 the first left to report.json
    for text in (html, md):
        assert "in/99.txt" in text and "in/100.txt" not in text
        assert "and 50 more (report.json: " in text
