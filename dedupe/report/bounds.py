"""How much of a report the pages for people (HTML, Markdown) hold, so their size does not
grow with the store; JSON and CSV hold everything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dedupe.settings import Settings

# since-last-run lines and unreadable inputs listed before "and N more": a night's worth is
# read line by line, more is a bulk change that report.json lists in full
LIST_LIMIT = 100


@dataclass(frozen=True)
class Shown:
    """The findings and events a page holds (a prefix of the report's ranked lists)."""

    findings: list[dict[str, Any]]
    events: list[dict[str, Any]]
    total_findings: int
    total_events: int

    def note(self) -> str:
        """One sentence on what the page leaves out, or "" when it holds everything."""
        parts = []
        if len(self.findings) < self.total_findings:
            parts.append(
                f"the {len(self.findings):,} highest-ranked of {self.total_findings:,} findings"
            )
        if len(self.events) < self.total_events:
            parts.append(f"the first {len(self.events):,} of {self.total_events:,} events")
        if not parts:
            return ""
        return (
            f"This report holds {' and '.join(parts)} (settings report_max_findings and "
            "report_max_events); report.json and findings.csv hold them all."
        )


def shown(report: dict[str, Any]) -> Shown:
    """The report's first `report_max_findings` findings and `report_max_events` events, by
    the settings the report was made with (the defaults when it has none)."""
    defaults = Settings()
    settings = report.get("settings") or {}
    max_findings = settings.get("report_max_findings", defaults.report_max_findings)
    max_events = settings.get("report_max_events", defaults.report_max_events)
    return Shown(
        report["findings"][:max_findings],
        report["events"][:max_events],
        len(report["findings"]),
        len(report["events"]),
    )
