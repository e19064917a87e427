"""`dedupe eval inject`: recall of the checks on real articles with typed conflicts injected.

The documents of a split run once through the real pipeline as they are (the clean run),
then once per conflict type with one document of each gold event (ECB+ subtopic) of two or
more documents edited (`evaluate.edits`): a date moved, a number changed, a place swapped,
an outcome flipped, an officeholder given a title from another period. Each variant run starts
from a copy of the clean run's store, so only the edited documents are parsed again, and the
grouping, dating and checks run as in a nightly run that finds those documents changed.

An injection is found when a finding of its kinds (`KINDS`) has evidence in the edited
article whose character range overlaps the edited words. The false-finding rate is the share
of gold events (two or more documents) with any finding in the clean run: ECB+ articles of
one event rarely contradict each other, so most such findings are false.
"""

from __future__ import annotations

import dataclasses
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dedupe.claims.extract import Progress, no_progress
from dedupe.errors import UsageError
from dedupe.evaluate import edits
from dedupe.evaluate.ecbplus import EcbDocument, detokenize, to_article
from dedupe.evaluate.edits import Edit, EventText, Places
from dedupe.evaluate.runs import copy_store, ecb_documents, run_date, run_documents
from dedupe.events.embed import Embedder
from dedupe.records import Finding
from dedupe.settings import Settings

TYPES = ("date", "number", "officeholder", "outcome", "place")
# the finding kinds that find each type: a flipped outcome is an outcome or an antonym
KINDS = {
    "date": ("date",),
    "number": ("number",),
    "officeholder": ("officeholder",),
    "outcome": ("outcome", "antonym"),
    "place": ("place",),
}


@dataclass(frozen=True)
class Injection:
    """One injected conflict: where it is, what changed and why it is a conflict."""

    type: str
    event: str  # the gold event (ECB+ subtopic)
    doc_id: str
    article_id: str
    start: int  # the changed words' character range in the article's text
    end: int
    sentence: str  # the changed sentence as the article shows it
    original: str  # the words replaced ("" for an inserted sentence)
    replacement: str
    note: str

    def hit_by(self, finding: Finding) -> bool:
        """Whether the finding quotes the changed words (as evidence in the edited article)."""
        return any(
            e.article_id == self.article_id and e.start < self.end and self.start < e.end
            for e in finding.evidence
        )


@dataclass(frozen=True)
class Outcome:
    """An injection and the finding kinds whose evidence quotes it in its run."""

    injection: Injection
    kinds: tuple[str, ...]

    @property
    def found(self) -> bool:
        return bool(set(self.kinds) & set(KINDS[self.injection.type]))


@dataclass
class InjectEvaluation:
    """Outcomes of every injection, and the clean run's findings by gold event."""

    outcomes: list[Outcome]
    types: tuple[str, ...]
    events: int  # gold events with two or more documents
    articles: int
    clean_findings: list[Finding]
    events_with_findings: int
    seconds: float
    events_with_conflicts: int = 0  # leaving out info notes, which claim no conflict
    timings: dict[str, float] = field(default_factory=dict)

    def per_type(self) -> dict[str, dict[str, float | int]]:
        out: dict[str, dict[str, float | int]] = {}
        for kind in self.types:
            mine = [o for o in self.outcomes if o.injection.type == kind]
            found = sum(o.found for o in mine)
            out[kind] = {
                "n": len(mine),
                "found": found,
                "recall": round(found / len(mine), 4) if mine else 0.0,
            }
        return out

    @property
    def recall(self) -> float:
        found = sum(o.found for o in self.outcomes)
        return found / len(self.outcomes) if self.outcomes else 0.0

    @property
    def false_finding_rate(self) -> float:
        return self.events_with_findings / self.events if self.events else 0.0

    @property
    def false_conflict_rate(self) -> float:
        """The false-finding rate without info notes (titles the table cannot check)."""
        return self.events_with_conflicts / self.events if self.events else 0.0

    @property
    def findings_per_100_articles(self) -> float:
        return 100 * len(self.clean_findings) / self.articles if self.articles else 0.0

    def other_kinds(self) -> dict[str, dict[str, int]]:
        """For each type, the other finding kinds that quoted its injections."""
        out: dict[str, Counter[str]] = {kind: Counter() for kind in self.types}
        for o in self.outcomes:
            out[o.injection.type].update(set(o.kinds) - set(KINDS[o.injection.type]))
        return {k: dict(sorted(v.items())) for k, v in out.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "per_type": self.per_type(),
            "recall": round(self.recall, 4),
            "false_finding_rate": round(self.false_finding_rate, 4),
            "false_conflict_rate": round(self.false_conflict_rate, 4),
            "events": self.events,
            "articles": self.articles,
            "findings_per_100_articles": round(self.findings_per_100_articles, 1),
            "other_kinds": self.other_kinds(),
            "seconds": round(self.seconds, 1),
            "timings": {k: round(v, 1) for k, v in self.timings.items()},
            "injections": [
                dataclasses.asdict(o.injection) | {"found": o.found, "kinds": list(o.kinds)}
                for o in self.outcomes
            ],
        }


def gold_events(docs: Sequence[EcbDocument]) -> dict[str, list[EcbDocument]]:
    """Gold event -> its documents, for the events of two or more documents."""
    by_event: dict[str, list[EcbDocument]] = {}
    for doc in docs:
        by_event.setdefault(doc.subtopic, []).append(doc)
    return {k: sorted(v, key=lambda d: d.doc_id) for k, v in sorted(by_event.items()) if len(v) > 1}


def inject(
    docs: Sequence[EcbDocument],
    kind: str,
    seed: int,
    finders: dict[str, Callable[[EventText, EcbDocument, random.Random], list[Edit]]],
) -> list[tuple[Injection, EcbDocument]]:
    """One injection of `kind` in each gold event that allows one, with the edited document.

    The choice in each event depends only on the seed, the type and that event's documents,
    so adding or removing other events (another split, held-out topics) changes nothing here.
    """
    out = []
    for event_id, members in gold_events(docs).items():
        rng = random.Random(f"{seed}/{kind}/{event_id}")
        event = EventText(
            tuple(members), {d.doc_id: to_article(d).article.published for d in members}
        )
        candidates = [(doc, edit) for doc in members for edit in finders[kind](event, doc, rng)]
        rng.shuffle(candidates)
        for doc, edit in candidates:
            located = locate(kind, doc, edit)
            if located is not None:
                out.append(located)
                break
    return out


def locate(kind: str, doc: EcbDocument, edit: Edit) -> tuple[Injection, EcbDocument] | None:
    """The injection as the edited article shows it; None when the article would not show
    it (a line dropped as boilerplate) or the edit changed the article's date or id."""
    before = to_article(doc).article
    edited = edit.apply(doc)
    after = to_article(edited).article
    if (after.id, after.published) != (before.id, before.published):
        return None
    text, starts = detokenize(edited.sentences[edit.sent_id])
    offset = 0
    for paragraph in after.text.split("\n\n"):
        if paragraph == text:
            break
        offset += len(paragraph) + 2
    else:
        return None
    if edit.insert:
        start, end = 0, len(text)
    else:
        last = edit.start + len(edit.new) - 1
        start, end = starts[edit.start], starts[last] + len(detokenize(edit.new[-1:])[0])
    injection = Injection(
        type=kind,
        event=doc.subtopic,
        doc_id=doc.doc_id,
        article_id=after.id,
        start=offset + start,
        end=offset + end,
        sentence=text,
        original=edit.original,
        replacement=edit.replacement,
        note=edit.note,
    )
    return injection, edited


def finders(
    docs: Sequence[EcbDocument], types: Sequence[str], settings: Settings
) -> dict[str, Callable[[EventText, EcbDocument, random.Random], list[Edit]]]:
    """The edit finder of each type, with the table and entity recogniser they need."""
    out: dict[str, Callable[[EventText, EcbDocument, random.Random], list[Edit]]] = {
        "date": edits.date_edits,
        "number": edits.number_edits,
        "outcome": edits.outcome_edits,
    }
    if "officeholder" in types:
        from dedupe.knowledge.officeholders import load_officeholders

        terms = edits.terms_by_office(load_officeholders(settings.officeholders))
        out["officeholder"] = lambda e, d, r: edits.officeholder_edits(e, d, r, terms)
    if "place" in types:
        places: Places = edits.place_spans(docs, spacy_recogniser(settings))
        out["place"] = lambda e, d, r: edits.place_edits(e, d, r, places)
    return out


def spacy_recogniser(settings: Settings) -> edits.Recogniser:
    """spaCy's entity recogniser (the pipeline's own model), for finding place names; a
    place that qualifies a noun ("his Texas home") is labelled `edits.MODIFIER`, since the
    extractor takes it for whose or which, not where (`claims.extract.modifies_noun`)."""
    from dedupe.claims.extract import modifies_noun
    from dedupe.claims.nlp import load_nlp

    nlp = load_nlp(settings.spacy_models)
    pipes = [
        p for p in ("tok2vec", "tagger", "attribute_ruler", "parser", "ner") if p in nlp.pipe_names
    ]

    def recognise(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        with nlp.select_pipes(enable=pipes):
            return [
                [
                    (e.start_char, e.end_char, edits.MODIFIER if modifies_noun(e) else e.label_)
                    for e in doc.ents
                ]
                for doc in nlp.pipe(texts, batch_size=settings.batch_size)
            ]

    return recognise


def evaluate_injections(
    docs: Sequence[EcbDocument],
    settings: Settings,
    seed: int = 0,
    types: Sequence[str] = TYPES,
    store_path: str | Path | None = None,
    progress: Progress = no_progress,
    embedder: Callable[[], Embedder] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> InjectEvaluation:
    """The clean run, then one run per type from a copy of its store; see the module doc."""
    unknown = sorted(set(types) - set(TYPES))
    if unknown:
        raise UsageError(f"unknown injection type {unknown[0]!r}; choose from {', '.join(TYPES)}")
    started = clock()
    timings: dict[str, float] = {}
    originals = ecb_documents(docs)
    now = run_date(originals)
    with tempfile.TemporaryDirectory(prefix="dedupe-inject-") as tmp:
        clean_store = Path(store_path) if store_path else Path(tmp) / "clean.db"
        clean = run_documents(originals, settings, clean_store, now, progress, embedder)
        timings["clean run"] = clean.seconds
        t = clock()
        find = finders(docs, types, settings)
        timings["injecting"] = clock() - t
        outcomes: list[Outcome] = []
        for kind in types:
            t = clock()
            injected = inject(docs, kind, seed, find)
            edited = {i.doc_id: d for i, d in injected}
            variant = Path(tmp) / f"{kind}.db"
            copy_store(clean_store, variant)
            variant_docs = ecb_documents([edited.get(d.doc_id, d) for d in docs])
            run = run_documents(variant_docs, settings, variant, now, progress, embedder)
            outcomes += [outcome(i, run.findings) for i, _ in injected]
            timings[kind] = clock() - t
    events = gold_events(docs)
    return InjectEvaluation(
        outcomes=outcomes,
        types=tuple(types),
        events=len(events),
        articles=len(docs),
        clean_findings=clean.findings,
        events_with_findings=len(events_with_findings(clean.findings, clean.gold, set(events))),
        seconds=clock() - started,
        events_with_conflicts=len(
            events_with_findings(clean.findings, clean.gold, set(events), conflicts_only=True)
        ),
        timings=timings,
    )


def outcome(injection: Injection, findings: Sequence[Finding]) -> Outcome:
    kinds = sorted({f.kind for f in findings if injection.hit_by(f)})
    return Outcome(injection, tuple(kinds))


def events_with_findings(
    findings: Sequence[Finding],
    gold: dict[str, str],
    events: set[str],
    conflicts_only: bool = False,
) -> set[str]:
    """The gold events (among `events`) with an article that some finding quotes; with
    `conflicts_only`, `info` notes (a title the officeholder table cannot check), which
    claim no conflict and which `dedupe eval findings` does not score, do not count."""
    return {
        gold[e.article_id]
        for f in findings
        if not (conflicts_only and f.severity == "info")
        for e in f.evidence
        if gold.get(e.article_id) in events
    }


def format_table(result: InjectEvaluation) -> str:
    """The printed evaluation: recall per type, the clean run's false findings, and each
    injection with what found it."""
    lines = [f"{'type':<14} {'n':>4} {'found':>6} {'recall':>7}   finding kinds that count"]
    for kind, row in result.per_type().items():
        lines.append(
            f"{kind:<14} {row['n']:>4} {row['found']:>6} {row['recall']:>7.3f}   "
            + ", ".join(KINDS[kind])
        )
    found = sum(o.found for o in result.outcomes)
    lines += [
        f"{'all':<14} {len(result.outcomes):>4} {found:>6} {result.recall:>7.3f}",
        "",
        f"clean run: {len(result.clean_findings)} findings on {result.articles} articles "
        f"({result.findings_per_100_articles:.1f} per 100); {result.events_with_findings} of "
        f"{result.events} gold events with 2+ articles have a finding "
        f"(false_finding_rate {result.false_finding_rate:.3f}; without info notes, "
        f"false_conflict_rate {result.false_conflict_rate:.3f})",
        "",
        "injections (+ found, - missed; [kinds whose evidence quotes the edited words]):",
    ]
    for o in result.outcomes:
        i = o.injection
        change = f"{i.original!r} -> {i.replacement!r}" if i.original else f"+{i.replacement!r}"
        kinds = f" [{', '.join(o.kinds)}]" if o.kinds else ""
        lines.append(
            f"{'+' if o.found else '-'} {i.type:<12} {i.event:<12} {i.doc_id}: {change}{kinds}"
        )
    steps = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
    lines += ["", f"{result.seconds:.1f}s ({steps})"]
    return "\n".join(lines)
