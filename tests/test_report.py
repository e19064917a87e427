"""The report dict and its renderings: review states, what changed since the last run, the run
summary, quote links and the one script the HTML report's CSP allows."""

import base64
import dataclasses
import datetime as dt
import hashlib
import re

from dedupe.records import Article, Event, RunStats
from dedupe.report import ReportInput, article_entry, build_report
from dedupe.report.render import copy_script, quote_url, render_html, render_markdown
from dedupe.store.database import evidence_hash

from .test_review import finding

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


def test_dismissed_findings_leave_the_counts_and_sit_in_a_collapsed_section():
    a, b = finding("fnd-a"), finding("fnd-b")
    report = make_report(
        {"fnd-a": decision(a, "dismiss", "same person"), "fnd-b": decision(b, "confirm")}
    )
    assert report["summary"]["findings"] == 1 and report["summary"]["dismissed"] == 1
    assert report["summary"]["confirmed"] == 1
    html = render_html(report)
    dismissed = html[html.index('<details id="dismissed">') :]
    assert 'id="fnd-a"' in dismissed and 'id="fnd-b"' not in dismissed
    assert "Dismissed by ana" in dismissed and "same person" in dismissed
    assert '<span class="badge confirmed">confirmed</span>' in html
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
    assert len(scripts) == 1 and scripts[0] == copy_script()[0]
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
