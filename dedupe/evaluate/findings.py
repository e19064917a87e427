"""`dedupe eval findings`: what the checks report on real news, for a person to judge.

The documents of a split run through the real pipeline (`evaluate.runs`); the command counts
findings per 100 articles by kind and draws a seeded sample of findings, each with both quotes,
sources, values and reason, and the gold event of each side (ECB+ articles of one gold event
report the same happening, so a finding across two gold events is almost always false).

With a labels file it scores the findings against a person's judgements. Each line is one
labelled pair of quotes, the shape `--json` gives each sampled finding, with `conflict` set:
`{"kind": "date", "conflict": true, "evidence": [{"article_id": ..., "start": ..., "end":
...}, {...}]}`. A finding matches a label when, for each side of the label, some piece of its
evidence is in that article and overlaps that character range. Precision of a kind counts
its findings that match a label (true when some matched label is a conflict); recall counts
the conflict labels of the kind that a finding of the kind matches.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedupe.claims.extract import Progress, no_progress
from dedupe.errors import InputError
from dedupe.evaluate.ecbplus import EcbDocument, json_lines
from dedupe.evaluate.runs import run_date, run_documents
from dedupe.events.embed import Embedder
from dedupe.records import Evidence, Finding
from dedupe.settings import Settings


@dataclass(frozen=True)
class Side:
    """One side of a labelled pair: a character range of an article."""

    article_id: str
    start: int
    end: int

    def quoted_by(self, evidence: Evidence) -> bool:
        return (
            evidence.article_id == self.article_id
            and evidence.start < self.end
            and self.start < evidence.end
        )


@dataclass(frozen=True)
class Label:
    """A person's judgement of a pair of quotes: a conflict of `kind`, or none."""

    kind: str
    conflict: bool
    sides: tuple[Side, ...]

    def matches(self, finding: Finding) -> bool:
        return all(any(side.quoted_by(e) for e in finding.evidence) for side in self.sides)


@dataclass(frozen=True)
class LabelScores:
    """Precision and recall of one finding kind against the labels."""

    findings: int  # findings of the kind that match some label
    true: int  # of those, matching a conflict label
    conflicts: int  # conflict labels of the kind
    found: int  # of those, matched by a finding of the kind

    @property
    def precision(self) -> float:
        return self.true / self.findings if self.findings else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.conflicts if self.conflicts else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "findings": self.findings,
            "true": self.true,
            "precision": round(self.precision, 4),
            "conflicts": self.conflicts,
            "found": self.found,
            "recall": round(self.recall, 4),
        }


@dataclass
class FindingsEvaluation:
    """A run's findings over the documents, a sample of them, and scores against labels."""

    articles: int
    events: int  # events the run formed
    findings: list[Finding]
    gold: dict[str, str]  # article id -> gold event
    sample: list[Finding]
    seconds: float
    labels: dict[str, LabelScores] | None = None

    def by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(f.kind for f in self.findings).items()))

    def per_100_articles(self) -> dict[str, float]:
        scale = 100 / self.articles if self.articles else 0.0
        return {k: round(n * scale, 1) for k, n in self.by_kind().items()}

    def across_gold_events(self, finding: Finding) -> bool:
        """Whether the finding's sides are articles of different gold events."""
        return len({self.gold.get(e.article_id) for e in finding.evidence}) > 1

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "events": self.events,
            "findings": len(self.findings),
            "findings_per_100_articles": round(100 * len(self.findings) / self.articles, 1)
            if self.articles
            else 0.0,
            "by_kind": self.by_kind(),
            "per_100_articles": self.per_100_articles(),
            "across_gold_events": sum(self.across_gold_events(f) for f in self.findings),
            "sample": [self.describe(f) for f in self.sample],
            "seconds": round(self.seconds, 1),
        }
        if self.labels is not None:
            out["labels"] = {k: v.as_dict() for k, v in self.labels.items()}
        return out

    def describe(self, finding: Finding) -> dict[str, Any]:
        """A finding as a person judges it, in the shape of a label (`conflict` to fill)."""
        return {
            "id": finding.id,
            "kind": finding.kind,
            "severity": finding.severity,
            "rule": finding.rule,
            "subject": finding.subject,
            "values": list(finding.values),
            "reason": finding.reason,
            "across_gold_events": self.across_gold_events(finding),
            "conflict": None,
            "evidence": [
                {
                    "article_id": e.article_id,
                    "gold_event": self.gold.get(e.article_id),
                    "source": e.source,
                    "published": e.published.isoformat() if e.published else None,
                    "value": e.value,
                    "start": e.start,
                    "end": e.end,
                    "quote": e.quote,
                }
                for e in finding.evidence
            ],
        }


def evaluate_findings(
    docs: Sequence[EcbDocument],
    settings: Settings,
    sample: int = 0,
    seed: int = 0,
    store_path: str | Path | None = None,
    labels: Sequence[Label] | None = None,
    progress: Progress = no_progress,
    embedder: Callable[[], Embedder] | None = None,
) -> FindingsEvaluation:
    """Run the documents through the pipeline and collect its findings; see the module doc."""
    import tempfile

    if sample < 0:
        raise ValueError(f"sample must be 0 or more, got {sample}")
    with tempfile.TemporaryDirectory(prefix="dedupe-findings-") as tmp:
        store = store_path or Path(tmp) / "findings.db"
        run = run_documents(docs, settings, store, run_date(docs), progress, embedder)
    return FindingsEvaluation(
        articles=len(docs),
        events=len(run.events),
        findings=run.findings,
        gold=run.gold,
        sample=sample_findings(run.findings, sample, seed),
        seconds=run.seconds,
        labels=score_labels(run.findings, labels) if labels is not None else None,
    )


def sample_findings(findings: Sequence[Finding], n: int, seed: int) -> list[Finding]:
    """`n` findings drawn at random (the same ones for the same seed and findings)."""
    ordered = sorted(findings, key=lambda f: f.id)
    return random.Random(seed).sample(ordered, min(n, len(ordered)))


def score_labels(findings: Sequence[Finding], labels: Sequence[Label]) -> dict[str, LabelScores]:
    """Precision and recall by kind against labelled pairs; see the module docstring."""
    kinds = sorted({f.kind for f in findings} | {lb.kind for lb in labels})
    out = {}
    for kind in kinds:
        mine = [f for f in findings if f.kind == kind]
        matched = [[lb for lb in labels if lb.matches(f)] for f in mine]
        conflicts = [lb for lb in labels if lb.kind == kind and lb.conflict]
        out[kind] = LabelScores(
            findings=sum(bool(m) for m in matched),
            true=sum(any(lb.conflict for lb in m) for m in matched),
            conflicts=len(conflicts),
            found=sum(any(lb.matches(f) for f in mine) for lb in conflicts),
        )
    return out


def read_labels(path: str | Path) -> list[Label]:
    """Labelled pairs, one JSON object a line; see the module docstring for the shape."""
    labels = []
    for where, item in json_lines(path):
        try:
            sides = tuple(
                Side(str(e["article_id"]), int(e["start"]), int(e["end"])) for e in item["evidence"]
            )
            conflict = item["conflict"]
            if not isinstance(conflict, bool) or not sides:
                raise TypeError("`conflict` must be true or false, `evidence` non-empty")
            labels.append(Label(str(item["kind"]), conflict, sides))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                where,
                'a label needs "kind", "conflict" (true or false) and "evidence" '
                f'([{{"article_id", "start", "end"}}, ...]): {exc}',
            ) from exc
    return labels


def format_report(result: FindingsEvaluation) -> str:
    """The printed evaluation: findings per 100 articles by kind, then the sample."""
    per_100 = result.per_100_articles()
    total = 100 * len(result.findings) / result.articles if result.articles else 0.0
    lines = [
        f"{len(result.findings)} findings on {result.articles} articles in {result.events} "
        f"events ({total:.1f} per 100 articles); "
        f"{sum(result.across_gold_events(f) for f in result.findings)} quote articles of "
        "different gold events",
        "",
        f"{'kind':<14} {'findings':>9} {'per 100 articles':>17}",
    ]
    for kind, n in result.by_kind().items():
        lines.append(f"{kind:<14} {n:>9} {per_100[kind]:>17.1f}")
    if result.labels is not None:
        lines += ["", f"{'kind':<14} {'labelled':>9} {'precision':>10} {'conflicts':>10} "
                  f"{'recall':>7}"]  # fmt: skip
        for kind, s in result.labels.items():
            lines.append(
                f"{kind:<14} {s.findings:>9} {s.precision:>10.3f} {s.conflicts:>10} "
                f"{s.recall:>7.3f}"
            )
    for n, finding in enumerate(result.sample, 1):
        lines += ["", *_describe(result, n, finding)]
    lines += ["", f"{result.seconds:.1f}s"]
    return "\n".join(lines)


def _describe(result: FindingsEvaluation, n: int, finding: Finding) -> list[str]:
    rule = f", {finding.rule}" if finding.rule else ""
    across = " (sides from different gold events)" if result.across_gold_events(finding) else ""
    lines = [
        f"[{n}] {finding.kind} ({finding.severity}{rule}) {finding.id}{across}",
        f"    values: {' vs '.join(finding.values)}",
        f"    reason: {finding.reason}",
    ]
    for e in finding.evidence:
        lines += [
            f"    - {e.source} ({e.published or 'undated'}; {e.article_id}, gold event "
            f"{result.gold.get(e.article_id)}) says {e.value!r}:",
            f'      "{e.quote}"',
        ]
    return lines
