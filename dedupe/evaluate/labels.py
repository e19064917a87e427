"""Labelled pairs of quotes, and the scores of findings against them (`dedupe eval findings
--labels`).

A label is a person's judgement of whether two sentences (one, for a title checked against
the officeholder table) state incompatible values about one happening. One JSON object a
line: `{"kind": "date", "conflict": true, "evidence": [{"article_id": ..., "start": ...,
"end": ...}, {...}], "cause": "real: date", "part": "test"}`; `cause` (why it is or is not a
conflict) and `part` are optional, other keys are ignored. A finding matches a label of its
kind when, for each side of the label, some piece of its evidence is in that article and
overlaps that character range.

Parts: a share (TEST_SHARE) of gold events is `test`, chosen by a hash of the event's name;
a pair is `test` when the gold event of any of its articles is, so no `tune` pair quotes a
test event, and every pair of one event is in one part. A label's `part`, when given, must
agree. A finding is in the part of the first label it matches, else in the part of its
articles' gold events. `info` findings (a title the officeholder table cannot check) claim no
conflict and are counted apart, not scored.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dedupe.errors import InputError, UsageError
from dedupe.evaluate.ecbplus import json_lines
from dedupe.records import Evidence, Finding

PARTS = ("tune", "test")
TEST_SHARE = 0.3


def event_part(event: str) -> str:
    """`test` for about TEST_SHARE of gold events, by a hash of the name, else `tune`."""
    digest = hashlib.sha1(f"findings-part:{event}".encode()).digest()
    return "test" if int.from_bytes(digest[:8], "big") / 2**64 < TEST_SHARE else "tune"


def part_of(events: Iterable[str]) -> str:
    """The part of a pair whose articles belong to these gold events; see the module doc."""
    return "test" if any(event_part(e) == "test" for e in events) else "tune"


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
    """A person's judgement of a pair of quotes: a conflict of `kind`, or none (and why)."""

    kind: str
    conflict: bool
    sides: tuple[Side, ...]
    cause: str = ""
    part: str | None = None
    where: str = ""  # file:line, for messages

    def matches(self, finding: Finding) -> bool:
        return finding.kind == self.kind and all(
            any(side.quoted_by(e) for e in finding.evidence) for side in self.sides
        )


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
            part = item.get("part")
            if part is not None and part not in PARTS:
                raise ValueError(f"`part` must be one of {', '.join(PARTS)}, not {part!r}")
            cause = str(item.get("cause") or "")
            labels.append(Label(str(item["kind"]), conflict, sides, cause, part, where))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                where,
                'a label needs "kind", "conflict" (true or false) and "evidence" '
                f'([{{"article_id", "start", "end"}}, ...]): {exc}',
            ) from exc
    return labels


@dataclass(frozen=True)
class KindScores:
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

    def __add__(self, other: KindScores) -> KindScores:
        return KindScores(
            self.findings + other.findings,
            self.true + other.true,
            self.conflicts + other.conflicts,
            self.found + other.found,
        )

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
class PartScores:
    """The scores of one part: by kind, in all, the false findings counted under the cause
    of the label they match, and the findings no label matches (for a person to label)."""

    labels: int  # labels on the articles run
    kinds: dict[str, KindScores]
    false_by_cause: dict[str, int]
    unlabelled: list[Finding] = field(default_factory=list)
    notes: int = 0  # `info` findings, not scored

    @property
    def total(self) -> KindScores:
        return sum(self.kinds.values(), KindScores(0, 0, 0, 0))

    def as_dict(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "all": self.total.as_dict(),
            "kinds": {k: v.as_dict() for k, v in self.kinds.items()},
            "false_by_cause": self.false_by_cause,
            "unlabelled": [f.id for f in self.unlabelled],
            "notes": self.notes,
        }


def score_labels(
    findings: Sequence[Finding],
    labels: Sequence[Label],
    gold: Mapping[str, str],
    parts: Sequence[str] = ("all", *PARTS),
) -> dict[str, PartScores]:
    """Precision and recall by kind, false findings by cause and the unlabelled findings, on
    each of `parts` (`all`, `tune`, `test`). Only labels whose articles are all in `gold`
    (article id -> gold event: the articles run) count."""
    unknown = sorted(set(parts) - {"all", *PARTS})
    if unknown:
        raise UsageError(f"unknown part {unknown[0]!r}; choose from all, {', '.join(PARTS)}")
    mine = [lb for lb in labels if all(s.article_id in gold for s in lb.sides)]
    label_part = {lb: part_of(gold[s.article_id] for s in lb.sides) for lb in mine}
    for label, computed in label_part.items():
        if label.part is not None and label.part != computed:
            raise UsageError(
                f"{label.where}: the label says part {label.part!r}, but its articles' gold "
                f"events put it in {computed!r} (did the documents or their gold events change?)"
            )
    matched = {f.id: [lb for lb in mine if lb.matches(f)] for f in findings}

    def finding_part(finding: Finding) -> str:
        if matched[finding.id]:
            return label_part[matched[finding.id][0]]
        return part_of(gold[e.article_id] for e in finding.evidence if e.article_id in gold)

    out = {}
    for part in parts:
        in_part = [f for f in findings if part in ("all", finding_part(f))]
        part_labels = [lb for lb in mine if part in ("all", label_part[lb])]
        out[part] = _score_part(in_part, part_labels, matched)
    return out


def _score_part(
    in_part: Sequence[Finding], labels: Sequence[Label], matched: Mapping[str, list[Label]]
) -> PartScores:
    findings = [f for f in in_part if f.severity != "info"]
    # a kind with neither findings nor conflicts to find has nothing to score
    kinds = sorted({f.kind for f in findings} | {lb.kind for lb in labels if lb.conflict})
    scores = {}
    for kind in kinds:
        of_kind = [f for f in findings if f.kind == kind]
        conflicts = [lb for lb in labels if lb.kind == kind and lb.conflict]
        scores[kind] = KindScores(
            findings=sum(bool(matched[f.id]) for f in of_kind),
            true=sum(any(lb.conflict for lb in matched[f.id]) for f in of_kind),
            conflicts=len(conflicts),
            found=sum(any(lb.matches(f) for f in of_kind) for lb in conflicts),
        )
    false = Counter(
        matched[f.id][0].cause or "unknown"
        for f in findings
        if matched[f.id] and not any(lb.conflict for lb in matched[f.id])
    )
    return PartScores(
        labels=len(labels),
        kinds=scores,
        false_by_cause=dict(false.most_common()),
        unlabelled=[f for f in findings if not matched[f.id]],
        notes=len(in_part) - len(findings),
    )
