"""Report benchmark: render synthetic reports of 1k, 10k and 100k articles and open the HTML
in headless Chromium.

Usage: python scripts/bench_report.py [--sizes 1000,10000,100000] [--max-findings N]
                                      [--max-events N]

The report input is generated from the real record types (`tests/synthetic_report.py`: about
0.3 events and 0.5 findings per article, as issue 12's 6,366-headline run had). For each size
prints the findings and events, the bytes of report.html, report.md and report.json, the
seconds to build the report dict and to render the HTML, and Chromium's time from navigation
to the page's script having rendered the first page (DOMContentLoaded end; the script runs
at the end of the body) and to the load event, and the time a search takes to re-render.
Numbers, not asserts: the browser tests check the bound and the controls.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the generator lives beside the tests

from dedupe.report import build_report  # noqa: E402
from dedupe.report.render import render_html, render_json, render_markdown  # noqa: E402
from tests.conftest import chromium_path  # noqa: E402
from tests.synthetic_report import NOW, synthetic_input  # noqa: E402
from tests.test_browser import LAUNCH_ARGS  # noqa: E402


def browser_times(path: Path) -> tuple[float, float, float]:
    """Seconds to DOMContentLoaded end and to load, and for a search to re-render."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(path.resolve().as_uri())
        nav = page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return [n.domContentLoadedEventEnd, n.loadEventEnd]; }"
        )
        search = page.evaluate(
            "() => { const box = document.querySelector('#finding-filters [name=q]');"
            " const t = performance.now(); box.value = 'storm';"
            " box.dispatchEvent(new Event('input', {bubbles: true}));"
            " return performance.now() - t; }"
        )
        browser.close()
    return nav[0] / 1000, nav[1] / 1000, search / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--max-findings", type=int, help="report_max_findings (default: Settings)")
    parser.add_argument("--max-events", type=int, help="report_max_events (default: Settings)")
    args = parser.parse_args()
    settings = {
        k: v
        for k, v in (
            ("report_max_findings", args.max_findings),
            ("report_max_events", args.max_events),
        )
        if v is not None
    }
    print(
        "articles  findings  events  html_bytes  md_bytes  json_bytes  build_s  html_s  "
        "dom_ready_s  load_s  search_s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            data = synthetic_input(size)
            data.settings = settings
            start = time.perf_counter()
            report = build_report(data, NOW)
            built = time.perf_counter()
            html = render_html(report)
            rendered = time.perf_counter()
            path = Path(tmp) / f"report-{size}.html"
            path.write_text(html, encoding="utf-8")
            ready, load, search = browser_times(path)
            print(
                f"{size:>8}  {len(report['findings']):>8}  {len(report['events']):>6}  "
                f"{len(html.encode()):>10}  {len(render_markdown(report).encode()):>8}  "
                f"{len(render_json(report).encode()):>10}  {built - start:>7.2f}  "
                f"{rendered - built:>6.2f}  {ready:>11.3f}  {load:>6.3f}  {search:>8.3f}"
            )


if __name__ == "__main__":
    main()
