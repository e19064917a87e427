"""The HTML report in a real browser: headless Chromium via Playwright."""

import re

import pytest

from .conftest import chromium_path

pytestmark = pytest.mark.slow

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def open_page(path, screenshot=None):
    """The page's text with every event opened, script errors, console errors, and whether
    an article's script ran."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors, console = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: console.append(m))
        page.goto(path.resolve().as_uri())
        for line in page.locator("details.event > summary").all():
            line.click()  # the report's script renders an event when it is opened
        text = page.inner_text("body")
        if screenshot:
            page.screenshot(path=str(screenshot), full_page=True)
        flag = page.evaluate("() => window.__dedupe_pwned === true")
        browser.close()
    return text, errors, [m.text for m in console if m.type == "error"], flag


def test_seed_report_renders_without_errors(seed_run):
    shot = seed_run / "report.png"
    text, errors, console_errors, _ = open_page(seed_run / "report.html", shot)
    assert not errors and not console_errors
    assert "former U.S. President" in text and "Donald Trump" in text
    assert "status change" in text and "dedupe review fnd-" in text
    assert shot.stat().st_size > 10_000


def test_copy_button_puts_the_exact_review_command_on_the_clipboard(seed_run):
    """The report's one script, allowed by its hash in the CSP, runs and copies; a wrong hash
    would leave the buttons hidden and log a CSP violation."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        console = []
        page.on("console", lambda m: console.append(m.text))
        page.goto((seed_run / "report.html").resolve().as_uri())
        button = page.locator("button[data-copy]").nth(1)
        command = button.get_attribute("data-copy")
        assert button.is_visible()
        button.click()
        page.wait_for_function("() => document.querySelector('button[data-copied]') !== null")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        label = button.inner_text()
        browser.close()
    assert command.startswith("dedupe review fnd-") and " --dismiss --store " in command
    assert copied == command and label == "Copied"
    assert not [m for m in console if "Content Security Policy" in m]


def test_scripts_inside_articles_never_run(tmp_path):
    import datetime as dt
    import json

    from dedupe.pipeline import run
    from dedupe.settings import Settings

    evil = (
        "<script>window.__dedupe_pwned = true</script>"
        '<img src=x onerror="window.__dedupe_pwned=true">'
    )
    records = [
        {
            "title": f"Council {evil} vote",
            "url": "javascript:window.__dedupe_pwned=true",
            "text": f"The council approved the budget {evil} on Monday. Mayor Ann Lee said the "
            "vote was close.",
            "published": "2024-05-06",
            "source": f"Src {evil}",
        },
        {
            "title": "Council vote",
            "url": "https://example.com/2",
            "text": "The council rejected the budget on Monday. Mayor Ann Lee said the vote was "
            "close.",
            "published": "2024-05-06",
            "source": "Other",
        },
    ]
    inbox = tmp_path / "in.jsonl"
    inbox.write_text("\n".join(json.dumps(r) for r in records))
    run(
        [str(inbox)],
        Settings(),
        tmp_path / "s.db",
        tmp_path,
        dt.datetime(2024, 5, 7, tzinfo=dt.UTC),
    )
    html = (tmp_path / "report.html").read_text()
    assert "<script>window" not in html and 'href="javascript:' not in html
    # the report's own script and its data block (never run), nothing else
    assert re.findall(r"<script[^>]*>", html) == [
        '<script type="application/json" id="report-data">',
        "<script>",
    ]
    text, errors, _, pwned = open_page(tmp_path / "report.html")
    assert not pwned and not errors
