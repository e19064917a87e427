"""`dedupe eval conflicts`: the consistency checks measured on SummEdits-style edited summaries.

Each (document, summary) pair is treated as two reports of one event: both go through the real
ingest cleaning, spaCy claim extraction, MiniLM embeddings and the check registry, and the pair is
predicted "inconsistent" when any check reports a conflict (a `Finding`). The inconsistent class
is the positive one. The file is split by document into a fixed tuning half and a held-out half
(documents ordered by the sha1 of their text), so scores on data never looked at while tuning are
always printed beside the whole.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dedupe.errors import InputError
from dedupe.records import Article, Claim, Event, Finding, content_hash, stable_id
from dedupe.settings import Settings

SPLITS = ("tune", "held-out", "all")
INSERTED = "hallucinated_fact_insertion"


@dataclass(frozen=True)
class Pair:
    """One labelled (document, summary) pair; `consistent` is the gold label."""

    id: str
    doc: str
    summary: str
    consistent: bool
    edit_types: tuple[str, ...]


@dataclass(frozen=True)
class Prediction:
    """What the checks said about one pair: its findings (empty means "consistent")."""

    pair: Pair
    split: str
    findings: tuple[Finding, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True)
class Scores:
    """Scores of the inconsistent (positive) class over a set of pairs."""

    n: int
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def false_finding_rate(self) -> float:
        """Share of consistent pairs on which some check reported a conflict."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    @property
    def balanced_accuracy(self) -> float:
        return (self.recall + 1.0 - self.false_finding_rate) / 2

    def as_dict(self) -> dict[str, float | int]:
        return {
            "balanced_accuracy": round(self.balanced_accuracy, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "false_finding_rate": round(self.false_finding_rate, 4),
            "n": self.n,
        }


@dataclass
class ConflictEval:
    """All predictions of one evaluation run and how long it took."""

    predictions: list[Prediction]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def scores(self, split: str = "all") -> Scores:
        chosen = [p for p in self.predictions if split == "all" or p.split == split]
        return _score(chosen)

    def per_edit_type(self) -> dict[str, dict[str, float | int]]:
        """Recall per edit type over inconsistent pairs (a pair counts for each of its types)."""
        found: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for p in self.predictions:
            if p.pair.consistent:
                continue
            for kind in p.pair.edit_types or ("untyped",):
                total[kind] += 1
                found[kind] += p.flagged
        return {
            k: {"n": total[k], "found": found[k], "recall": round(found[k] / total[k], 4)}
            for k in sorted(total)
        }

    def by_kind(self) -> dict[str, dict[str, int]]:
        """For each finding kind, on how many inconsistent and consistent pairs it fired."""
        out: dict[str, Counter[str]] = {}
        for p in self.predictions:
            for kind in {f.kind for f in p.findings}:
                side = "consistent" if p.pair.consistent else "inconsistent"
                out.setdefault(kind, Counter())[side] += 1
        return {k: {s: out[k][s] for s in ("inconsistent", "consistent")} for k in sorted(out)}

    def inserted_misses(self) -> tuple[int, int]:
        """(missed, total) inconsistent pairs whose only edit is an inserted fact."""
        only = [p for p in self.predictions if p.pair.edit_types == (INSERTED,)]
        return sum(not p.flagged for p in only), len(only)

    def as_dict(self) -> dict[str, Any]:
        missed, total = self.inserted_misses()
        return {
            **self.scores().as_dict(),
            "per_edit_type": self.per_edit_type(),
            "splits": {s: self.scores(s).as_dict() for s in SPLITS},
            "by_kind": self.by_kind(),
            "inserted_fact_only": {"missed": missed, "n": total},
            "seconds": round(self.seconds, 1),
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
        }


def _score(predictions: Sequence[Prediction]) -> Scores:
    tp = sum(p.flagged and not p.pair.consistent for p in predictions)
    fp = sum(p.flagged and p.pair.consistent for p in predictions)
    fn = sum(not p.flagged and not p.pair.consistent for p in predictions)
    tn = sum(not p.flagged and p.pair.consistent for p in predictions)
    return Scores(len(predictions), tp, fp, tn, fn)


def read_pairs(path: str | Path) -> list[Pair]:
    """SummEdits records (`doc`, `summary`, `label` 1 = consistent, `edit_types`, `id`)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"invalid JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(data, list) or not data:
        raise InputError(str(path), "expected a non-empty JSON list of SummEdits records")
    pairs = []
    for i, item in enumerate(data):
        try:
            label = item["label"]
            doc, summary = item["doc"], item["summary"]
            if label not in (0, 1) or not isinstance(doc, str) or not isinstance(summary, str):
                raise TypeError
        except (KeyError, TypeError) as exc:
            raise InputError(
                f"{path}#{i}",
                "each record needs a string `doc` and `summary` and a `label` of 0 or 1",
            ) from exc
        pairs.append(
            Pair(
                id=str(item.get("id", i)),
                doc=doc,
                summary=summary,
                consistent=label == 1,
                edit_types=tuple(item.get("edit_types") or ()),
            )
        )
    return pairs


def split_documents(pairs: Iterable[Pair]) -> dict[str, str]:
    """Document text -> "tune" or "held-out": the first half of the documents by text sha1."""
    docs = sorted({p.doc for p in pairs}, key=content_hash)
    half = (len(docs) + 1) // 2
    return {d: ("tune" if i < half else "held-out") for i, d in enumerate(docs)}


def evaluate_conflicts(
    pairs: Sequence[Pair],
    settings: Settings,
    nlp: Any = None,
    embedder: Any = None,
    clock: Any = time.perf_counter,
) -> ConflictEval:
    """Run the real extraction, embeddings and checks on every pair; see the module docstring.

    `nlp` and `embedder` default to the pipeline's own (spaCy from `settings.spacy_models`,
    the embedder named by `settings.model`); tests pass the session-loaded ones.
    """
    from dedupe.checks import find_conflicts
    from dedupe.claims.extract import extract_claims
    from dedupe.claims.nlp import load_nlp
    from dedupe.events.embed import embedder_for

    started = clock()
    timings: dict[str, float] = {}
    nlp = nlp if nlp is not None else load_nlp(settings.spacy_models)
    embedder = embedder if embedder is not None else embedder_for(settings)
    splits = split_documents(pairs)
    docs = {d: _article(d, f"doc-{content_hash(d)[:12]}", "document") for d in splits}
    summaries = {p.id: _article(p.summary, f"sum-{p.id}", "summary") for p in pairs}
    articles = [*docs.values(), *summaries.values()]
    timings["load"] = clock() - started

    t = clock()
    claims_of = {a.id: claims for a, claims in extract_claims(articles, nlp, settings.batch_size)}
    timings["extract"] = clock() - t

    t = clock()
    claims = [c for a in articles for c in claims_of[a.id]]
    texts = list(dict.fromkeys(c.text for c in claims))
    V = embedder.embed(texts, settings.batch_size)
    row_of_text = {text: i for i, text in enumerate(texts)}
    X = V[[row_of_text[c.text] for c in claims]] if claims else V
    rows = {c.id: i for i, c in enumerate(claims)}
    timings["embed"] = clock() - t

    t = clock()
    by_id = {c.id: c for c in claims}
    by_article = {a.id: a for a in articles}
    predictions = []
    for pair in pairs:
        doc, summary = docs[pair.doc], summaries[pair.id]
        event = _event(pair, [doc, summary], claims_of)
        findings = find_conflicts([event], by_id, rows, X, by_article, settings).findings
        predictions.append(Prediction(pair, splits[pair.doc], tuple(findings)))
    timings["checks"] = clock() - t
    return ConflictEval(predictions, clock() - started, timings)


def _article(text: str, id_: str, source: str) -> Article:
    from dedupe.ingest.read import article_from_record

    return article_from_record({"id": id_, "text": text, "source": source}, id_)


def _event(pair: Pair, articles: list[Article], claims_of: dict[str, list[Claim]]) -> Event:
    claim_ids = tuple(c.id for a in articles for c in claims_of[a.id])
    return Event(
        id=stable_id("evt", pair.id),
        label=pair.id,
        article_ids=tuple(a.id for a in articles),
        claim_ids=claim_ids,
        start=None,
        end=None,
    )


def format_table(result: ConflictEval) -> str:
    """The printed evaluation: scores per split, per edit type, per finding kind."""
    lines = [
        f"{'split':<10} {'n':>5} {'bal.acc':>8} {'prec':>6} {'recall':>7} {'false-find':>11}",
    ]
    for split in SPLITS:
        s = result.scores(split)
        lines.append(
            f"{split:<10} {s.n:>5} {s.balanced_accuracy:>8.3f} {s.precision:>6.3f} "
            f"{s.recall:>7.3f} {s.false_finding_rate:>11.3f}"
        )
    s = result.scores()
    lines += [
        "",
        f"consistent pairs: {s.fp + s.tn}, with a false finding: {s.fp}; "
        f"inconsistent pairs: {s.tp + s.fn}, found: {s.tp}",
        "",
        f"{'edit type (inconsistent pairs)':<32} {'n':>5} {'found':>6} {'recall':>7}",
    ]
    for kind, row in result.per_edit_type().items():
        lines.append(f"{kind:<32} {row['n']:>5} {row['found']:>6} {row['recall']:>7.3f}")
    missed, total = result.inserted_misses()
    lines += [
        "",
        f"inserted-fact-only edits missed (allowed: nothing contradicts them): {missed} of {total}",
        "",
        f"{'finding kind':<16} {'inconsistent':>13} {'consistent':>11}   (pairs it fired on)",
    ]
    for kind, fired in result.by_kind().items():
        lines.append(f"{kind:<16} {fired['inconsistent']:>13} {fired['consistent']:>11}")
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
    lines += ["", f"{s.n} pairs in {result.seconds:.1f}s ({steps})"]
    return "\n".join(lines)
