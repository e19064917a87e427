"""The HTML report: one self-contained page whose size does not grow with the store.

The page holds the findings and events `bounds.shown` picks, as a compact JSON data block
(the report's own keys, without what the page never shows). The server renders the summary
and the first page of findings and events, so the top reads without JavaScript; the page's
one script (`templates/report.js`, allowed by its hash in the Content-Security-Policy)
renders the rest on demand: pages, filters by kind, severity and status, a search box,
findings grouped under their event, events collapsed to one line until opened. Opening
report.json in the page's file picker browses every finding of a report that holds more.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from importlib import resources
from itertools import groupby
from typing import Any

from markupsafe import Markup, escape

from dedupe.report.bounds import LIST_LIMIT, Shown, shown
from dedupe.report.links import is_web_url, quote_url
from dedupe.store.review import review_command

# findings and events per page: a screenful or two to read before choosing the next page
PAGE_SIZE = {"findings": 25, "events": 50}
# the keys the page shows of each part of the report (report.json keeps the rest)
FINDING_KEYS = (
    "id",
    "kind",
    "severity",
    "confidence",
    "sources",
    "event_id",
    "event_label",
    "subject",
    "values",
    "reason",
    "evidence",
    "review",
)
EVIDENCE_KEYS = ("source", "url", "published", "quote", "start", "end", "value")
# a finding's `review` less its two commands, which the script makes from `review_command`
REVIEW_KEYS = ("status", "decision", "note", "by", "at", "evidence_changed")
EVENT_KEYS = (
    "id",
    "label",
    "start",
    "end",
    "articles",
    "timeline",
    "repeated_claims",
    "finding_ids",
)
ARTICLE_KEYS = ("title", "source", "url", "path", "published", "date_origin", "date_estimate")
TIMELINE_KEYS = ("date", "kind", "text")


def page_data(report: dict[str, Any], page: Shown) -> dict[str, Any]:
    """What the page's script renders: its findings and events in report.json's shape (so
    the script renders a report.json opened in the page alike), less what it never shows;
    repeated claims give how many articles repeat them, not which."""
    return {
        "page_size": PAGE_SIZE,
        "review_command": review_command("{id}", "{decision}", report["run"]["store"]),
        "findings": [
            {
                **_pick(f, FINDING_KEYS),
                "evidence": [_pick(e, EVIDENCE_KEYS) for e in f["evidence"]],
                "review": _pick(f["review"], REVIEW_KEYS),
            }
            for f in page.findings
        ],
        "events": [
            {
                **_pick(ev, EVENT_KEYS),
                "articles": [_pick(a, ARTICLE_KEYS) for a in ev["articles"]],
                # an article's own timeline line repeats its row of the articles table
                "timeline": [
                    _pick(t, TIMELINE_KEYS) for t in ev["timeline"] if t["kind"] != "article"
                ],
                "repeated_claims": [
                    {"text": g["text"], "sources": g["sources"], "articles": len(g["articles"])}
                    for g in ev["repeated_claims"]
                ],
            }
            for ev in page.events
        ],
    }


def _pick(record: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: record[k] for k in keys}


def first_page(findings: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The findings the page opens with, as report.js shows them before any filter: the
    dismissed left out, grouped under their event (events in the order of their best
    finding), the first page of that order, as (event id, findings) runs."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        if f["review"]["status"] != "dismissed":
            groups.setdefault(f["event_id"], []).append(f)
    ordered = [f for group in groups.values() for f in group][: PAGE_SIZE["findings"]]
    return [(key, list(run)) for key, run in groupby(ordered, key=lambda f: f["event_id"])]


def highlight(quote: str, value: str) -> Markup:
    """The quote, escaped, with the first occurrence of the value marked."""
    at = quote.lower().find(value.lower()) if value else -1
    if at < 0:
        return escape(quote)
    end = at + len(value)
    return (
        escape(quote[:at])
        + Markup("<mark>")
        + escape(quote[at:end])
        + Markup("</mark>")
        + escape(quote[end:])
    )


@cache
def page_script() -> tuple[str, str]:
    """The report's one script and its CSP source (`'sha256-...'`), the only script allowed."""
    text = resources.files("dedupe").joinpath("report/templates/report.js").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return text, f"sha256-{digest}"


def data_block(data: dict[str, Any]) -> Markup:
    """JSON for a `<script type="application/json">` block: every `<` escaped, so article
    text cannot close the block or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c"))


def render_html(report: dict[str, Any]) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dedupe", "report/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.filters["quote_url"] = quote_url
    env.tests["web_url"] = is_web_url
    page = shown(report)
    data = page_data(report, page)
    script, script_hash = page_script()
    return env.get_template("report.html.j2").render(
        r=report,
        page=page,
        first_findings=first_page(page.findings),
        first_events=data["events"][: PAGE_SIZE["events"]],
        sizes={ev["id"]: len(ev["articles"]) for ev in page.events},
        data=data_block(data),
        list_limit=LIST_LIMIT,
        script=Markup(script),
        script_hash=script_hash,
    )
