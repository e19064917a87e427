"""Pure renderings of the report dict: Markdown, JSON and CSV here, HTML in `html.py`.

JSON and CSV hold every finding and event; Markdown and HTML hold at most the settings
`report_max_findings` and `report_max_events` of them (the highest-ranked) and say so.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from dedupe.errors import OutputError
from dedupe.report.bounds import LIST_LIMIT, shown
from dedupe.report.html import render_html
from dedupe.report.links import is_web_url, quote_url

FORMATS = ("html", "md", "json", "csv")
FILENAMES = {"html": "report.html", "md": "report.md", "json": "report.json", "csv": "findings.csv"}
CSV_COLUMNS = [
    "finding_id",
    "kind",
    "severity",
    "confidence",
    "status",
    "event_id",
    "event_label",
    "subject",
    "values",
    "reason",
    "value",
    "source",
    "url",
    "published",
    "article_id",
    "claim_id",
    "start",
    "end",
    "quote",
]


def render_json(report: dict[str, Any]) -> str:
    out = io.StringIO()
    write_json(report, out)
    return out.getvalue()


def write_json(report: dict[str, Any], out: TextIO) -> None:
    """`render_json` written piece by piece: a store's report is tens of MB as one string."""
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False, sort_keys=False)
    pieces: list[str] = []
    size = 0
    for piece in encoder.iterencode(report):
        pieces.append(piece)
        size += len(piece)
        if size >= 1 << 20:  # written a MB at a time: one write a piece costs seconds
            out.write("".join(pieces))
            pieces, size = [], 0
    out.write("".join(pieces) + "\n")


def render_csv(report: dict[str, Any]) -> str:
    """One row per piece of evidence of each finding."""
    out = io.StringIO()
    write_csv(report, out)
    return out.getvalue()


def write_csv(report: dict[str, Any], out: TextIO) -> None:
    """`render_csv` written row by row."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for f in report["findings"]:
        for e in f["evidence"]:
            writer.writerow(
                {
                    "finding_id": f["id"],
                    "kind": f["kind"],
                    "severity": f["severity"],
                    "confidence": f["confidence"],
                    "status": f["review"]["status"],
                    "event_id": f["event_id"],
                    "event_label": f["event_label"],
                    "subject": f["subject"],
                    "values": " | ".join(f["values"]),
                    "reason": f["reason"],
                    "value": e["value"],
                    "source": e["source"],
                    "url": e["url"] or "",
                    "published": e["published"] or "",
                    "article_id": e["article_id"],
                    "claim_id": e["claim_id"],
                    "start": e["start"],
                    "end": e["end"],
                    "quote": e["quote"],
                }
            )


def _md(text: Any) -> str:
    """Escape Markdown control characters in article text."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", str(text)).replace("\n", " ")


def _md_url(url: str) -> str:
    """A URL that cannot end a Markdown link early."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def render_markdown(report: dict[str, Any]) -> str:
    s, page = report["summary"], shown(report)
    lines = [
        "# dedupe report",
        "",
        f"Generated {report['generated_at']}: {s['articles']} articles, {s['claims']} claims, "
        f"{s['events']} events, {s['findings']} open findings"
        + (f" ({s['dismissed']} dismissed)" if s["dismissed"] else "")
        + (f", {s['failures']} inputs could not be read" if s["failures"] else "")
        + ".",
        "",
        *([page.note(), ""] if page.note() else []),
        *_markdown_run_summary(report),
        *_markdown_since(report.get("since_last_run")),
        "## Findings",
        "",
    ]
    listed = [f for f in page.findings if f["review"]["status"] != "dismissed"]
    dismissed = [f for f in page.findings if f["review"]["status"] == "dismissed"]
    if not listed:
        lines += ["No open conflicts.", ""]
    for f in listed:
        lines += _markdown_finding(f)
    if dismissed:
        lines += [f"### Dismissed ({s['dismissed']})", ""]
        lines += [
            f"- {f['kind']}: {_md(f['subject'])} "
            f"({' vs '.join(_md(v) for v in f['values'])}) `{f['id']}`: {_decision_line(f)}"
            for f in dismissed
        ]
        lines.append("")
    lines += ["## Events", ""]
    for ev in page.events:
        lines += _markdown_event(ev)
    if report["failures"]:
        lines += ["## Inputs that could not be read", ""]
        lines += _at_most(
            [f"- `{_md(x['path'])}`: {_md(x['reason'])}" for x in report["failures"]], "failures"
        )
        lines.append("")
    return "\n".join(lines)


def _at_most(lines: list[str], key: str) -> list[str]:
    """The first `LIST_LIMIT` lines, then where the rest are."""
    if len(lines) <= LIST_LIMIT:
        return lines
    return [*lines[:LIST_LIMIT], f"- and {len(lines) - LIST_LIMIT:,} more (report.json: `{key}`)"]


def _markdown_event(ev: dict[str, Any]) -> list[str]:
    lines = [
        f"### {_md(ev['label'])}",
        "",
        f"`{ev['id']}`, {len(ev['articles'])} article(s), {len(ev['finding_ids'])} finding(s)",
        "",
    ]
    for t in ev["timeline"]:
        kind = t["kind"].replace("_", " ")
        lines.append(f"- {t['date'] or 'undated'} · {kind}: {_md(t['text'])}")
    for a in ev["articles"]:
        d = a.get("date_estimate")
        if d:
            clues = "; ".join(_md(c["note"]) for c in d["clues"] if c["agrees"])
            lines.append(
                f"- undated {_md(a['title'])}: inferred {d['start']} to {d['end']} ({clues})"
            )
    lines.append("")
    if ev["repeated_claims"]:
        lines += ["Claims reported by several articles:", ""]
        for g in ev["repeated_claims"]:
            lines.append(
                f"- {_md(g['text'])} ({len(g['articles'])} articles: "
                f"{_md(', '.join(g['sources']))})"
            )
        lines.append("")
    return lines


def _markdown_finding(f: dict[str, Any]) -> list[str]:
    status = "" if f["review"]["status"] == "open" else f" [{f['review']['status']}]"
    lines = [
        f"### {f['severity'].upper()} {f['kind']}: {_md(f['subject'])}{status}",
        "",
        f"Event: {_md(f['event_label'])} (`{f['event_id']}`)  ",
        f"Values: {' vs '.join(_md(v) for v in f['values'])}  ",
        f"Why: {_md(f['reason'])}",
        "",
    ]
    for e in f["evidence"]:
        where = f"{_md(e['source'])}, {e['published'] or 'undated'}"
        quoted = _md(e["quote"])
        if is_web_url(e["url"]):
            where = f"[{where}]({_md_url(e['url'])})"
            quoted = f"[{quoted}]({_md_url(quote_url(e['url'], e['quote']))})"
        lines.append(
            f"> {quoted}  \n> — {where}, chars {e['start']}–{e['end']}, value **{_md(e['value'])}**"
        )
        lines.append("")
    review = f["review"]
    if review["decision"]:
        lines += [_decision_line(f), ""]
    return [
        *lines,
        f"Review: `{review['confirm_command']}` or `{review['dismiss_command']}`",
        "",
    ]


def _decision_line(f: dict[str, Any]) -> str:
    review = f["review"]
    return (
        {"confirm": "Confirmed", "dismiss": "Dismissed"}[review["decision"]]
        + (f" by {_md(review['by'])}" if review["by"] else "")
        + f" at {review['at']}"
        + (f": {_md(review['note'])}" if review["note"] else "")
        + (" (the evidence has changed since)" if review["evidence_changed"] else "")
    )


def _markdown_run_summary(report: dict[str, Any]) -> list[str]:
    st, s = report["run"]["stats"], report["summary"]
    stages = ", ".join(f"{k} {v} s" for k, v in st["seconds"].items())
    return [
        "## Run summary",
        "",
        f"- articles: {st['articles_new']} new, {st['articles_changed']} changed, "
        f"{st['articles_unchanged']} unchanged, {st['articles_failed']} unreadable inputs",
        f"- claims: {st['claims']} ({st['claims_embedded']} newly embedded)",
        f"- events: {st['events']} ({st['events_redone']} grouped and checked anew, the rest "
        "carried from the last run)",
        f"- findings: {st['findings']} ({s['findings'] - s['confirmed']} unreviewed, "
        f"{s['confirmed']} confirmed, "
        f"{s['dismissed']} dismissed)",
        f"- seconds per stage: {stages or 'none'}",
        "",
    ]


def _markdown_since(since: dict[str, Any] | None) -> list[str]:
    if since is None:
        return ["## Since the last run", "", "This is the first run on this store.", ""]
    prev = since["previous_run"] or {}
    lines = [
        "## Since the last run",
        "",
        f"Compared with run {prev.get('id')} of {prev.get('started_at')}: "
        f"{len(since['new_events'])} new events, {len(since['grown_events'])} events with new "
        f"articles, {len(since['new_findings'])} new findings, "
        f"{len(since['resolved_findings'])} resolved findings.",
        "",
    ]
    lines += _at_most(
        [f"- new event: {_md(e['label'])} (`{e['id']}`)" for e in since["new_events"]],
        "since_last_run.new_events",
    )
    lines += _at_most(
        [
            f"- {len(e['new_articles'])} new article(s) in {_md(e['label'])} (`{e['id']}`)"
            for e in since["grown_events"]
        ],
        "since_last_run.grown_events",
    )
    for key, what in (("new_findings", "new finding"), ("resolved_findings", "resolved")):
        lines += _at_most(
            [
                f"- {what}: {f['kind']}: {_md(f['subject'])} "
                f"({' vs '.join(_md(v) for v in f['values'])}) (`{f['id']}`)"
                for f in since[key]
            ],
            f"since_last_run.{key}",
        )
    return [*lines, ""] if len(lines) > 4 else lines


RENDERERS = {"html": render_html, "md": render_markdown, "json": render_json, "csv": render_csv}
# the formats that hold every finding and event are written as they are rendered
WRITERS: dict[str, Callable[[dict[str, Any], TextIO], None]] = {
    "json": write_json,
    "csv": write_csv,
}


def write_reports(
    report: dict[str, Any], out_dir: str | Path, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """Write each format atomically (temp file + rename) and return the paths."""
    out = Path(out_dir)
    paths = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for fmt in formats:
            path = out / FILENAMES[fmt]
            for stale in out.glob(f".{path.name}.*"):  # left by a run killed while writing
                stale.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{path.name}.")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                if fmt in WRITERS:
                    WRITERS[fmt](report, handle)
                else:
                    handle.write(RENDERERS[fmt](report))
            os.chmod(tmp, 0o644)  # mkstemp makes owner-only files; reports are for sharing
            os.replace(tmp, path)
            paths.append(path)
    except OSError as exc:
        raise OutputError(
            f"cannot write reports to {out} ({exc.strerror or exc}); the run's results are "
            "saved in the store, and the next run writes them"
        ) from exc
    return paths
