"""The editor's loop: decisions on findings that stick from one run to the next.

`dedupe review` records a decision (confirm or dismiss) with its time in the store. A dismissal
holds while the finding's evidence stays what the editor saw (same claims, values and quotes):
when the evidence changes, the finding is open again. Time is injected by the caller.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedupe.errors import UsageError
from dedupe.records import SEVERITY_ORDER, Finding, to_dict
from dedupe.store.database import Store, evidence_hash

DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed"}
STATUSES = ("open", "confirmed", "dismissed")


def review_state(finding: Finding, decision: Mapping[str, Any] | None) -> dict[str, Any]:
    """Where a finding stands: open, confirmed, or dismissed (only while its evidence is
    unchanged); `evidence_changed` says the evidence differs from what the editor saw."""
    if decision is None:
        return {
            "status": "open",
            "decision": None,
            "note": None,
            "by": None,
            "at": None,
            "evidence_changed": False,
        }
    changed = decision.get("evidence_hash") != evidence_hash(finding)
    status = DECISIONS[decision["decision"]]
    if status == "dismissed" and changed:
        status = "open"
    return {
        "status": status,
        "decision": decision["decision"],
        "note": decision.get("note"),
        "by": decision.get("by"),
        "at": decision.get("at"),
        "evidence_changed": changed,
    }


def review_command(finding_id: str, decision: str, store: str | Path | None = None) -> str:
    """The exact `dedupe review` command line for a finding (with the store when known)."""
    command = f"dedupe review {finding_id} --{decision}"
    return f"{command} --store {shlex.quote(str(store))}" if store else command


def record_decision(
    store_path: str | Path,
    finding_id: str,
    decision: str,
    now: dt.datetime,
    note: str | None = None,
    by: str | None = None,
) -> dict[str, Any]:
    """Record a decision on a finding that a finished run reported; returns its new state
    with the finding's kind, severity and subject."""
    if decision not in DECISIONS:
        raise UsageError(f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
    with _open_existing(store_path) as store:
        finding = store.find_finding(finding_id.strip())
        if finding is None:
            raise UsageError(
                f"unknown finding id {finding_id!r} in {store_path}; "
                f"`dedupe findings --store {shlex.quote(str(store_path))}` lists them"
            )
        store.save_decision(finding, decision, note, by, now)
        state = review_state(finding, store.latest_decisions()[finding.id])
    return {"id": finding.id, "kind": finding.kind, "subject": finding.subject, **state}


@dataclass(frozen=True)
class FindingFilter:
    """Which findings `list_findings` returns; empty tuples mean any."""

    kinds: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    event_id: str | None = None
    # findings first reported on or after this date
    since: dt.date | None = None
    statuses: tuple[str, ...] = ("open", "confirmed")

    def __post_init__(self) -> None:
        unknown = set(self.statuses) - set(STATUSES)
        if unknown:
            raise ValueError(f"unknown status {sorted(unknown)}; use {', '.join(STATUSES)}")

    def keeps(self, row: Mapping[str, Any]) -> bool:
        first = dt.datetime.fromisoformat(row["first_seen"]).date()
        return (
            (not self.kinds or row["kind"] in self.kinds)
            and (not self.severities or row["severity"] in self.severities)
            and (self.event_id is None or row["event_id"] == self.event_id)
            and (self.since is None or first >= self.since)
            and row["review"]["status"] in self.statuses
        )


def list_findings(store_path: str | Path, keep: FindingFilter) -> list[dict[str, Any]]:
    """The findings of the last finished run that pass the filter, most severe first."""
    with _open_existing(store_path) as store:
        run_id = store.last_finished_run()
        if run_id is None:
            raise UsageError(f"{store_path} has no finished run yet; run `dedupe run` first")
        findings = store.load_findings(run_id)
        labels = {e.id: e.label for e in store.load_events(run_id)}
        decisions = store.latest_decisions()
        first_seen = store.first_seen()
    rows = [
        {
            **to_dict(f),
            "event_label": labels.get(f.event_id, ""),
            "first_seen": first_seen[f.id],
            "review": review_state(f, decisions.get(f.id)),
        }
        for f in findings
    ]
    rows = [r for r in rows if keep.keeps(r)]
    return sorted(rows, key=lambda r: (SEVERITY_ORDER[r["severity"]], r["event_id"], r["id"]))


def findings_table(rows: Sequence[Mapping[str, Any]], width: int = 40) -> str:
    """A plain-text table of findings for the terminal (long cells cut to `width`)."""
    header = ("id", "severity", "kind", "status", "first seen", "subject", "values")
    body = [
        (
            r["id"],
            r["severity"],
            r["kind"],
            r["review"]["status"],
            r["first_seen"][:10],
            _cut(r["subject"], width),
            _cut(" vs ".join(r["values"]), width),
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in [header, *body]
    ]
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _open_existing(store_path: str | Path) -> Any:
    """The store at `store_path`, which must exist (review never creates an empty store)."""
    if not Path(store_path).is_file():
        raise UsageError(f"no dedupe store at {store_path}; pass --store PATH")
    return Store.open(store_path)
