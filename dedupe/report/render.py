"""Pure renderings of the report dict: HTML (self-contained), Markdown, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

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
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def render_csv(report: dict[str, Any]) -> str:
    """One row per piece of evidence of each finding."""
    out = io.StringIO()
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
    return out.getvalue()


def _md(text: Any) -> str:
    """Escape Markdown control characters in article text."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", str(text)).replace("\n", " ")


def render_markdown(report: dict[str, Any]) -> str:
    s = report["summary"]
    lines = [
        "# dedupe report",
        "",
        f"Generated {report['generated_at']}: {s['articles']} articles, {s['claims']} claims, "
        f"{s['events']} events, {s['findings']} open findings"
        + (f" ({s['dismissed']} dismissed)" if s["dismissed"] else "")
        + (f", {s['failures']} inputs could not be read" if s["failures"] else "")
        + ".",
        "",
    ]
    since = report.get("since_last_run")
    if since:
        lines += [
            "## Since the last run",
            "",
            f"- new events: {len(since['new_events'])}",
            f"- events with new articles: {len(since['grown_events'])}",
            f"- new findings: {len(since['new_findings'])}",
            f"- resolved findings: {len(since['resolved_findings'])}",
            "",
        ]
    lines += ["## Findings", ""]
    if not report["findings"]:
        lines += ["No conflicts found.", ""]
    for f in report["findings"]:
        status = "" if f["review"]["status"] == "open" else f" [{f['review']['status']}]"
        lines += [
            f"### {f['severity'].upper()} {f['kind']}: {_md(f['subject'])}{status}",
            "",
            f"Event: {_md(f['event_label'])} (`{f['event_id']}`)  ",
            f"Values: {' vs '.join(_md(v) for v in f['values'])}  ",
            f"Why: {_md(f['reason'])}",
            "",
        ]
        for e in f["evidence"]:
            where = f"{_md(e['source'])}, {e['published'] or 'undated'}"
            if e["url"]:
                where = f"[{where}]({e['url']})"
            lines.append(
                f"> {_md(e['quote'])}  \n> — {where}, chars {e['start']}–{e['end']}, "
                f"value **{_md(e['value'])}**"
            )
            lines.append("")
        lines += [f"Review: `{f['review']['dismiss_command']}`", ""]
    lines += ["## Events", ""]
    for ev in report["events"]:
        lines += [
            f"### {_md(ev['label'])}",
            "",
            f"`{ev['id']}`, {len(ev['articles'])} article(s), {len(ev['finding_ids'])} finding(s)",
            "",
        ]
        for t in ev["timeline"]:
            lines.append(
                f"- {t['date'] or 'undated'} · {t['kind'].replace('_', ' ')}: {_md(t['text'])}"
            )
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
    if report["failures"]:
        lines += ["## Inputs that could not be read", ""]
        lines += [f"- `{_md(x['path'])}`: {_md(x['reason'])}" for x in report["failures"]]
        lines.append("")
    return "\n".join(lines)


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


def is_web_url(url: object) -> bool:
    """Only http(s) URLs become links: a `javascript:` URL from an article must not."""
    return isinstance(url, str) and re.match(r"^https?://[^\s\"'<>]+$", url) is not None


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
    env.tests["web_url"] = is_web_url
    return env.get_template("report.html.j2").render(r=report)


RENDERERS = {"html": render_html, "md": render_markdown, "json": render_json, "csv": render_csv}


def write_reports(
    report: dict[str, Any], out_dir: str | Path, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """Write each format atomically (temp file + rename) and return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out / FILENAMES[fmt]
        fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(RENDERERS[fmt](report))
        os.chmod(tmp, 0o644)  # mkstemp makes owner-only files; reports are for sharing
        os.replace(tmp, path)
        paths.append(path)
    return paths
