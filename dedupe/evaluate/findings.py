"""`dedupe eval findings`: what the checks report on real news, for a person to judge.

Each documents file (ECB+ documents or a story file: `runs.read_labelled`) runs through the
real pipeline on its own (`evaluate.runs`); the command counts findings per 100 articles by
kind, per file and in all, and draws a seeded sample of findings, each with both quotes,
sources, values and reason, and the gold event of each side (articles of one gold event
report the same happening, so a finding across two gold events is almost always false).
With a labels file it scores the findings against a person's judgements: precision and
recall by kind on each part, the false findings by cause, and the findings no label matches
(`evaluate.labels`).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedupe.claims.extract import Progress, no_progress
from dedupe.errors import UsageError
from dedupe.evaluate.labels import PARTS, Label, PartScores, score_labels
from dedupe.evaluate.runs import Documents, run_date, run_documents
from dedupe.events.embed import Embedder
from dedupe.records import Finding
from dedupe.settings import Settings


@dataclass
class CollectionRun:
    """What the run of one documents file gave."""

    name: str
    articles: int
    events: int  # events the run formed
    findings: list[Finding]
    seconds: float

    def by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(f.kind for f in self.findings).items()))

    def per_100(self) -> float:
        return round(100 * len(self.findings) / self.articles, 1) if self.articles else 0.0

    def per_100_articles(self) -> dict[str, float]:
        scale = 100 / self.articles if self.articles else 0.0
        return {k: round(n * scale, 1) for k, n in self.by_kind().items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "events": self.events,
            "findings": len(self.findings),
            "findings_per_100_articles": self.per_100(),
            "by_kind": self.by_kind(),
            "per_100_articles": self.per_100_articles(),
            "seconds": round(self.seconds, 1),
        }


@dataclass
class FindingsEvaluation:
    """The runs of the documents files, a sample of their findings, and scores against
    labels by part (`all`, `tune`, `test`)."""

    collections: list[CollectionRun]
    gold: dict[str, str]  # article id -> gold event, over every file
    sample: list[Finding]
    labels: dict[str, PartScores] | None = None

    @property
    def total(self) -> CollectionRun:
        runs = self.collections
        return CollectionRun(
            "all",
            sum(r.articles for r in runs),
            sum(r.events for r in runs),
            [f for r in runs for f in r.findings],
            sum(r.seconds for r in runs),
        )

    def across_gold_events(self, finding: Finding) -> bool:
        """Whether the finding's sides are articles of different gold events."""
        return len({self.gold.get(e.article_id) for e in finding.evidence}) > 1

    def as_dict(self) -> dict[str, Any]:
        total = self.total
        out = total.as_dict() | {
            "across_gold_events": sum(self.across_gold_events(f) for f in total.findings),
            "collections": {r.name: r.as_dict() for r in self.collections},
            "sample": [self.describe(f) for f in self.sample],
        }
        if self.labels is not None:
            out["labels"] = {part: s.as_dict() for part, s in self.labels.items()}
            out["unlabelled"] = [self.describe(f) for f in self.unlabelled()]
        return out

    def unlabelled(self) -> list[Finding]:
        """The findings no label matches, in the parts scored."""
        seen = {f.id: f for s in (self.labels or {}).values() for f in s.unlabelled}
        return sorted(seen.values(), key=lambda f: f.id)

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
    collections: Sequence[tuple[str, Documents]],
    settings: Settings,
    sample: int = 0,
    seed: int = 0,
    store_path: str | Path | None = None,
    labels: Sequence[Label] | None = None,
    parts: Sequence[str] = ("all", *PARTS),
    progress: Progress = no_progress,
    embedder: Callable[[], Embedder] | None = None,
) -> FindingsEvaluation:
    """Run each named collection of documents through the pipeline on its own and collect
    the findings; see the module doc. `store_path` is the store of one collection, or the
    folder of one store per collection (`NAME.db`) when there are several."""
    import tempfile

    if sample < 0:
        raise ValueError(f"sample must be 0 or more, got {sample}")
    names = [name for name, _ in collections]
    if not names or len(set(names)) < len(names):
        raise UsageError(f"give one or more documents files with distinct names, got {names}")
    runs: list[CollectionRun] = []
    gold: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="dedupe-findings-") as tmp:
        for name, docs in collections:
            if store_path is None:
                store = Path(tmp) / f"{name}.db"
            elif len(collections) == 1:
                store = Path(store_path)
            else:
                Path(store_path).mkdir(parents=True, exist_ok=True)
                store = Path(store_path) / f"{name}.db"
            run = run_documents(docs, settings, store, run_date(docs), progress, embedder)
            articles = len(docs.articles)
            runs.append(CollectionRun(name, articles, len(run.events), run.findings, run.seconds))
            gold |= run.gold
    findings = [f for r in runs for f in r.findings]
    return FindingsEvaluation(
        collections=runs,
        gold=gold,
        sample=sample_findings(findings, sample, seed),
        labels=score_labels(findings, labels, gold, parts) if labels is not None else None,
    )


def sample_findings(findings: Sequence[Finding], n: int, seed: int) -> list[Finding]:
    """`n` findings drawn at random (the same ones for the same seed and findings)."""
    ordered = sorted(findings, key=lambda f: f.id)
    return random.Random(seed).sample(ordered, min(n, len(ordered)))


def format_report(result: FindingsEvaluation) -> str:
    """The printed evaluation: findings per 100 articles (by file, by kind), the scores of
    each part against the labels with the false findings by cause, the findings no label
    matches, then the sample."""
    total = result.total
    across = sum(result.across_gold_events(f) for f in total.findings)
    lines = [
        f"{len(total.findings)} findings on {total.articles} articles in {total.events} "
        f"events ({total.per_100():.1f} per 100 articles); {across} quote articles of "
        "different gold events",
    ]
    if len(result.collections) > 1:
        lines += ["", f"{'collection':<14} {'articles':>9} {'events':>7} {'findings':>9} "
                  f"{'per 100 articles':>17}"]  # fmt: skip
        for r in [*result.collections, total]:
            lines.append(
                f"{r.name:<14} {r.articles:>9} {r.events:>7} {len(r.findings):>9} "
                f"{r.per_100():>17.1f}"
            )
    lines += ["", f"{'kind':<14} {'findings':>9} {'per 100 articles':>17}"]
    per_100 = total.per_100_articles()
    for kind, n in total.by_kind().items():
        lines.append(f"{kind:<14} {n:>9} {per_100[kind]:>17.1f}")
    for part, scores in (result.labels or {}).items():
        lines += ["", *format_part(part, scores)]
    unlabelled = result.unlabelled()
    if result.labels is not None and unlabelled:
        lines += ["", f"{len(unlabelled)} findings match no label (label them):"]
        for n, finding in enumerate(unlabelled, 1):
            lines += ["", *_describe(result, n, finding)]
    if result.sample:
        lines += ["", f"a sample of {len(result.sample)} findings:"]
    for n, finding in enumerate(result.sample, 1):
        lines += ["", *_describe(result, n, finding)]
    lines += ["", f"{total.seconds:.1f}s"]
    return "\n".join(lines)


def format_part(part: str, scores: PartScores) -> list[str]:
    """The lines of one part's scores: by kind and in all, then the false findings by cause."""
    lines = [
        f"part {part}: {scores.labels} labels on these articles",
        f"{'kind':<14} {'labelled':>9} {'true':>5} {'precision':>10} {'conflicts':>10} "
        f"{'found':>6} {'recall':>7}",
    ]
    for kind, s in [*scores.kinds.items(), ("all", scores.total)]:
        lines.append(
            f"{kind:<14} {s.findings:>9} {s.true:>5} {s.precision:>10.3f} {s.conflicts:>10} "
            f"{s.found:>6} {s.recall:>7.3f}"
        )
    causes = ", ".join(f"{c} {n}" for c, n in scores.false_by_cause.items()) or "none"
    lines.append(
        f"false findings by cause: {causes}; unlabelled {len(scores.unlabelled)}; "
        f"{scores.notes} info notes not scored"
    )
    return lines


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
