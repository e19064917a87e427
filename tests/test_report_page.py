"""The HTML report's controls in headless Chromium, on reports generated from the real record
types (`tests/synthetic_report.py`): filters, search, ranking, grouping, paging, events on one
line, links to findings, report.json opened in the page, and the page's size at 10k articles."""

import pytest

from dedupe.report import build_report, finding_rank
from dedupe.report.html import PAGE_SIZE
from dedupe.report.render import write_reports
from dedupe.settings import Settings

from .conftest import chromium_path, embedded
from .synthetic_report import NOW, synthetic_input
from .test_browser import LAUNCH_ARGS

pytestmark = pytest.mark.slow
PER_PAGE = PAGE_SIZE["findings"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def written(tmp_path_factory, articles, formats=("html", "json"), **settings):
    data = synthetic_input(articles)
    data.settings = settings
    report = build_report(data, NOW)
    out = tmp_path_factory.mktemp(f"report-{articles}")
    write_reports(report, out, formats)
    return out, report


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """1,000 articles: 500 findings (25 reviewed), 347 events, all of them in the page."""
    return written(tmp_path_factory, 1000)


class Page:
    """A report open in Chromium; fails the test on any script error or console error."""

    def __init__(self, browser, path, js=True, hash=""):
        self.context = browser.new_context(java_script_enabled=js)
        self.page = self.context.new_page()
        self.errors = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.goto(path.resolve().as_uri() + hash)

    def ids(self, kind="finding"):
        return self.page.eval_on_selector_all(
            f"#{kind}-list .{kind}", "nodes => nodes.map(n => n.id)"
        )

    def pager(self, kind="findings"):
        return self.page.inner_text(f'nav.pager[data-for="{kind}"]').split("\n")[-1]

    def close(self):
        self.context.close()
        assert not self.errors


@pytest.fixture
def page(browser, small):
    opened = Page(browser, small[0] / "report.html")
    yield opened
    opened.close()


def grouped(findings, keep=lambda f: f["review"]["status"] != "dismissed"):
    """The order the page shows findings in: each event's together, events in the order of
    their best finding (findings come ranked from the report)."""
    groups = {}
    for f in findings:
        if keep(f):
            groups.setdefault(f["event_id"], []).append(f["id"])
    return [fid for ids in groups.values() for fid in ids]


def test_findings_show_ranked_and_grouped_under_their_event_page_after_page(page, small):
    report = small[1]
    order = grouped(report["findings"])
    assert page.ids() == order[:PER_PAGE]
    # each group's heading names its event and its size
    best = report["findings"][0]
    event = next(e for e in report["events"] if e["id"] == best["event_id"])
    head = page.page.inner_text("#finding-list section.group h3")
    assert head == f"{event['label']} · {len(event['articles'])} article(s)"
    page.page.click('nav.pager[data-for="findings"] >> text=Next ›')
    assert page.ids() == order[PER_PAGE : 2 * PER_PAGE]
    # the first shown is the report's best: an error, as confident as any error
    assert order[0] == best["id"] and best["severity"] == "error"
    assert best["confidence"] == max(f["confidence"] for f in report["findings"])
    # within each event group the findings are in rank order
    rank = {f["id"]: finding_rank(f) for f in report["findings"]}
    events = page.page.eval_on_selector_all(
        "#finding-list section.group",
        "groups => groups.map(g => Array.from(g.querySelectorAll('.finding'), f => f.id))",
    )
    assert len(events) > 1 and all(
        [rank[i] for i in g] == sorted(rank[i] for i in g) for g in events
    )


def test_kind_severity_and_status_filters_and_search_really_filter(page, small):
    findings = small[1]["findings"]
    shown_before = len(page.ids())
    page.page.select_option("#finding-filters [name=kind]", "number")
    numbers = grouped(
        findings, lambda f: f["kind"] == "number" and f["review"]["status"] != "dismissed"
    )
    assert page.ids() == numbers[:PER_PAGE] and len(numbers) < len(grouped(findings))
    assert page.pager().startswith(f"findings 1–{min(PER_PAGE, len(numbers))} of {len(numbers)} ")
    page.page.select_option("#finding-filters [name=severity]", "error")
    errors = grouped(
        findings,
        lambda f: (
            (f["kind"], f["severity"]) == ("number", "error")
            and f["review"]["status"] != "dismissed"
        ),
    )
    assert page.ids() == errors[:PER_PAGE] and 0 < len(errors) < len(numbers)
    page.page.select_option("#finding-filters [name=kind]", "")
    page.page.select_option("#finding-filters [name=severity]", "")
    page.page.select_option("#finding-filters [name=status]", "dismissed")
    dismissed = grouped(findings, lambda f: f["review"]["status"] == "dismissed")
    assert page.ids() == dismissed[:PER_PAGE] and dismissed
    assert page.page.locator("#finding-list .badge.dismissed").count() == len(page.ids())
    # search: one finding by its id, whatever page it was on
    page.page.select_option("#finding-filters [name=status]", "")
    last = findings[-1]["id"]
    page.page.fill("#finding-filters [name=q]", last)
    assert page.ids() == [last]
    # search by words: each word somewhere in the finding's text, in any order
    page.page.fill("#finding-filters [name=q]", "  Harvest OUTLET 7 ")

    def says(f):
        text = " ".join(
            [f["id"], f["event_id"], f["event_label"], f["kind"], f["subject"], f["reason"]]
            + f["values"]
            + [x for e in f["evidence"] for x in (e["quote"], e["source"], e["value"])]
        ).lower()
        return all(word in text for word in ("harvest", "outlet", "7"))

    found = grouped(findings, says)
    assert page.ids() == found[:PER_PAGE] and 0 < len(found) < len(findings)
    page.page.fill("#finding-filters [name=q]", "")
    page.page.select_option("#finding-filters [name=status]", "active")
    assert len(page.ids()) == shown_before


def test_paging_reaches_the_last_finding(page, small):
    order = grouped(small[1]["findings"])
    pages = -(-len(order) // PER_PAGE)
    page.page.click('nav.pager[data-for="findings"] >> text=Last »')
    assert page.ids() == order[(pages - 1) * PER_PAGE :] and page.ids()[-1] == order[-1]
    assert page.pager().endswith(f"page {pages} of {pages}")
    assert page.page.is_disabled('nav.pager[data-for="findings"] >> text=Next ›')


def test_events_are_one_line_with_their_size_until_opened(page, small):
    events = small[1]["events"]
    first = events[0]
    line = page.page.locator(f"#{first['id']}")
    assert page.ids("event") == [e["id"] for e in events[: PAGE_SIZE["events"]]]
    assert page.page.locator("#event-list details.event[open]").count() == 0
    summary = line.locator("summary").inner_text()
    assert summary == (
        f"{first['label']} · {len(first['articles'])} article(s) · "
        f"{len(first['finding_ids'])} finding(s)"
    )
    assert line.locator(".body").count() == 0  # rendered only when opened
    line.locator("summary").click()
    rows = line.locator(".body table tr")
    assert rows.count() == len(first["articles"]) + 1  # and the heading row
    assert first["articles"][0]["title"] in line.inner_text()
    page.page.fill("#event-filters [name=q]", events[-1]["id"])
    assert page.ids("event") == [events[-1]["id"]]


def test_links_to_findings_and_events_open_the_page_that_holds_them(browser, small):
    order = grouped(small[1]["findings"])
    deep = order[3 * PER_PAGE + 1]
    opened = Page(browser, small[0] / "report.html", hash=f"#{deep}")
    assert deep in opened.ids() and " · page 4 of " in opened.pager()  # 25 a page
    event = small[1]["events"][-1]["id"]
    opened.page.evaluate(f"location.hash = '#{event}'")
    opened.page.wait_for_selector(f"#{event}[open] .body")
    opened.close()


def test_the_first_page_reads_the_same_without_javascript(browser, small):
    """The server renders the first page (templates) and the script renders it again (its
    own code): the two must show the same text and links."""
    grab = """() => {
        document.querySelectorAll('button.copy').forEach(b => b.hidden = true);
        const lists = ['#finding-list', '#event-list'].map(s => document.querySelector(s));
        const links = document.querySelectorAll('#finding-list a, #event-list a');
        return [...lists.map(l => l.innerText.split(/\\s+/).join(' ')),
                Array.from(links, a => a.href)];
    }"""
    views = []
    for js in (False, True):
        opened = Page(browser, small[0] / "report.html", js=js)
        opened.page.evaluate(
            "document.querySelectorAll('#event-list details.event').forEach(d => d.open = true)"
        )
        opened.page.wait_for_function(
            "Array.from(document.querySelectorAll('#event-list details.event'))"
            ".every(d => d.querySelector('.body'))"
        )
        views.append(opened.page.evaluate(grab))
        opened.close()
    assert views[0] == views[1]
    assert "#:~:text=" in " ".join(views[0][2])  # quote links with text fragments, compared too


def test_report_json_opened_in_a_bounded_page_shows_every_finding(browser, tmp_path_factory):
    out, report = written(tmp_path_factory, 1000, report_max_findings=100, report_max_events=50)
    opened = Page(browser, out / "report.html")
    note = opened.page.inner_text("#bound")
    assert "the 100 highest-ranked of 500 findings and the first 50 of 347 events" in note
    assert opened.pager().startswith("findings 1–25 of 100 ")
    opened.page.set_input_files("#open-json", str(out / "report.json"))
    opened.page.wait_for_selector("#loaded:has-text('Showing all')")
    everything = grouped(report["findings"])
    assert opened.pager().startswith(f"findings 1–25 of {len(everything)} ")
    assert opened.pager("events").startswith("events 1–50 of 347 ")
    # the dismissed findings, ranked last, were not in the page; now they are
    opened.page.select_option("#finding-filters [name=status]", "dismissed")
    dismissed = grouped(report["findings"], lambda f: f["review"]["status"] == "dismissed")
    assert opened.ids() == dismissed[:PER_PAGE] and dismissed
    opened.close()


def test_a_report_of_10k_articles_stays_small_and_works(browser, tmp_path_factory):
    out, report = written(tmp_path_factory, 10_000, ("html",))
    html = (out / "report.html").read_text()
    defaults = Settings()
    data = embedded(html)
    assert len(report["findings"]) == 5000 and len(report["events"]) > 2900
    assert len(data["findings"]) == defaults.report_max_findings
    assert len(data["events"]) == defaults.report_max_events
    # measured by scripts/bench_report.py: about 1.2 KB a finding and 2.6 KB an event (their
    # articles) in the data block, 5.2 MB in all at 10k; the old page was 18 MB here and grew
    # with every finding. 7 MB leaves room for longer quotes, not for the old growth.
    assert len(html.encode()) < 7_000_000
    opened = Page(browser, out / "report.html")
    assert len(opened.ids()) == PER_PAGE and opened.pager().startswith("findings 1–25 of 2,000 ")
    opened.page.fill("#finding-filters [name=q]", data["findings"][-1]["id"])
    assert opened.ids() == [data["findings"][-1]["id"]]
    opened.close()
