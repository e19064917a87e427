"""Build the report once, as a JSON-ready dict; HTML, Markdown, JSON and CSV render it.

Findings are ranked (not dismissed first, then severity, confidence and number of sources)
and events follow their best finding, so every rendering leads with what matters. Time is
injected (`now`), never read here, so the same inputs give the same report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dedupe import __version__
from dedupe.records import (
    SEVERITY_ORDER,
    Article,
    Change,
    Event,
    Finding,
    IngestFailure,
    RunStats,
    to_dict,
)
from dedupe.store.review import review_command, review_state


@dataclass
class ReportInput:
    """Everything a report shows; `previous_*` come from the last finished run, if any."""

    articles: Sequence[dict[str, Any]]  # `article_entry` of every article
    events: Sequence[Event]
    findings: Sequence[Finding]
    changes: Sequence[Change]
    failures: Sequence[IngestFailure]
    stats: RunStats
    run_id: int | None = None
    previous_events: Sequence[Event] | None = None
    previous_findings: Sequence[Finding] | None = None
    # {"id": ..., "started_at": ...} of the last finished run, if any
    previous_run: dict[str, Any] | None = None
    # finding id -> the last decision on it, as `Store.latest_decisions` gives it
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    # the store, so the report's `dedupe review` commands are exact
    store_path: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)


def build_report(data: ReportInput, now: dt.datetime) -> dict[str, Any]:
    """The report as a dict of plain JSON types."""
    articles = {a["id"]: a for a in data.articles}
    event_of = {a: e.id for e in data.events for a in e.article_ids}
    labels = {e.id: e.label for e in data.events}
    findings = sorted(
        (_finding(f, labels, data.decisions.get(f.id), data.store_path) for f in data.findings),
        key=finding_rank,
    )
    open_findings = [f for f in findings if f["review"]["status"] != "dismissed"]
    return {
        "generated_at": now.isoformat(timespec="seconds"),
        "dedupe_version": __version__,
        "run": {
            "id": data.run_id,
            "store": data.store_path,
            "previous": data.previous_run,
            "stats": to_dict(data.stats),
        },
        "summary": {
            "articles": len(data.articles),
            "claims": data.stats.claims,
            "events": len(data.events),
            "findings": len(open_findings),
            "dismissed": len(findings) - len(open_findings),
            "confirmed": sum(1 for f in findings if f["review"]["status"] == "confirmed"),
            "findings_by_kind": dict(sorted(Counter(f["kind"] for f in open_findings).items())),
            "failures": len(data.failures),
        },
        "since_last_run": _since_last_run(data),
        "events": _events(data, articles, findings),
        "findings": findings,
        "failures": [to_dict(f) for f in data.failures],
        "articles": [
            {**a, "event_id": event_of.get(a["id"])}
            for a in sorted(data.articles, key=lambda a: (a["published"] or "", a["id"]))
        ],
        "settings": data.settings,
    }


def article_entry(article: Article) -> dict[str, Any]:
    """An article as the report lists it (stored with the grouping state, so a run that
    leaves an article alone does not read it again)."""
    return {
        "id": article.id,
        "title": article.title or article.text[:80],
        "source": article.source,
        "url": article.url,
        "path": article.path,
        "published": article.published.isoformat() if article.published else None,
        "date_origin": article.date_origin,
        # an undated article's inferred window and the clues behind it (dedupe.events.dating)
        "date_estimate": to_dict(article.date_estimate) if article.date_estimate else None,
        "dropped_lines": list(article.dropped),
    }


def finding_rank(finding: dict[str, Any]) -> tuple[Any, ...]:
    """Sort key of a report finding: not dismissed first, then the most severe, the most
    confident and the one the most sources give (the id breaks ties, so the order is stable)."""
    return (
        finding["review"]["status"] == "dismissed",
        SEVERITY_ORDER[finding["severity"]],
        -finding["confidence"],
        -finding["sources"],
        finding["id"],
    )


def _finding(
    finding: Finding,
    labels: dict[str, str],
    decision: dict[str, Any] | None,
    store_path: str | None,
) -> dict[str, Any]:
    out = to_dict(finding)
    out["sources"] = len({e.source for e in finding.evidence})
    out["event_label"] = labels.get(finding.event_id, "")
    out["review"] = {
        **review_state(finding, decision),
        "confirm_command": review_command(finding.id, "confirm", store_path),
        "dismiss_command": review_command(finding.id, "dismiss", store_path),
    }
    return out


def _events(
    data: ReportInput, articles: dict[str, dict[str, Any]], findings: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    finding_ids: dict[str, list[str]] = {}
    for finding in findings:
        finding_ids.setdefault(finding["event_id"], []).append(finding["id"])
    changes: dict[str, list[Change]] = {}
    for change in data.changes:
        changes.setdefault(change.event_id, []).append(change)
    # events with findings in the order of their best finding, then the largest
    best = {event_id: n for n, event_id in enumerate(finding_ids)}
    events = sorted(
        data.events, key=lambda e: (best.get(e.id, len(best)), -len(e.article_ids), e.id)
    )
    return [
        {
            **{k: v for k, v in to_dict(event).items() if k != "repeated"},
            "articles": [{**articles[a], "event_id": event.id} for a in event.article_ids],
            "repeated_claims": [
                {
                    "id": r.id,
                    "text": r.text,
                    "claims": len(r.claim_ids),
                    "sources": list(r.sources),
                    "articles": list(r.article_ids),
                }
                for r in event.repeated
            ],
            "finding_ids": finding_ids.get(event.id, []),
            "changes": [to_dict(c) for c in changes.get(event.id, [])],
        }
        for event in events
    ]


def _since_last_run(data: ReportInput) -> dict[str, Any] | None:
    """What changed since the last finished run (None on a store's first run)."""
    if data.previous_events is None or data.previous_findings is None:
        return None
    before = {e.id: set(e.article_ids) for e in data.previous_events}
    now_findings = {f.id for f in data.findings}
    was_findings = {f.id: f for f in data.previous_findings}
    return {
        "previous_run": data.previous_run,
        "new_events": [
            {"id": e.id, "label": e.label, "articles": len(e.article_ids)}
            for e in data.events
            if e.id not in before
        ],
        "grown_events": [
            {
                "id": e.id,
                "label": e.label,
                "new_articles": sorted(set(e.article_ids) - before[e.id]),
            }
            for e in data.events
            if e.id in before and set(e.article_ids) - before[e.id]
        ],
        "new_findings": [
            _finding_line(f)
            for f in sorted(data.findings, key=lambda f: f.id)
            if f.id not in was_findings
        ],
        "resolved_findings": [
            _finding_line(f) for fid, f in sorted(was_findings.items()) if fid not in now_findings
        ],
    }


def _finding_line(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "kind": finding.kind,
        "severity": finding.severity,
        "subject": finding.subject,
        "values": list(finding.values),
    }
