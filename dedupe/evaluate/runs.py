"""Real runs of dedupe (`pipeline.run`) over ECB+ documents, for the evaluations that judge
findings: the documents are written as a JSON-lines input and read, extracted, grouped,
checked and reported exactly as a nightly run reads articles.

A run's store keeps claims and vectors, so a later run over the same store re-parses and
re-embeds only the documents that changed; `copy_store` starts a variant run (the same
documents with a few edited) from a finished one without touching it. Every run groups and
checks all its documents afresh, as a first run would: a nightly run carries the findings of
events whose membership did not change, which would keep findings made by other code (or
miss what an edited article now says).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dedupe.claims.extract import Progress, no_progress
from dedupe.errors import UsageError
from dedupe.evaluate.ecbplus import EcbDocument, article_record, to_article
from dedupe.events.embed import Embedder
from dedupe.records import Event, Finding, IngestFailure
from dedupe.settings import Settings
from dedupe.store.database import Store

# the run date when no document states one: after every date ECB+ states
UNDATED_RUN = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Run:
    """What one pipeline run over the documents gave."""

    events: list[Event]
    findings: list[Finding]
    failures: list[IngestFailure]
    gold: dict[str, str]  # article id -> its gold event (ECB+ subtopic)
    seconds: float


def run_date(docs: Sequence[EcbDocument]) -> dt.datetime:
    """The day after the latest date the documents state, as a nightly run would see them;
    the same for every run over these documents, so results do not depend on the clock."""
    stated = [d for doc in docs if (d := to_article(doc).article.published) is not None]
    if not stated:
        return UNDATED_RUN
    day = max(stated) + dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def run_documents(
    docs: Sequence[EcbDocument],
    settings: Settings,
    store_path: str | Path,
    now: dt.datetime,
    progress: Progress = no_progress,
    embedder: Callable[[], Embedder] | None = None,
) -> Run:
    """One `pipeline.run` of the documents into the store (no report files written)."""
    from dedupe.pipeline import run

    started = time.perf_counter()
    gold = {to_article(d).article.id: d.subtopic for d in docs}
    refuse_other_articles(store_path, set(gold))
    with Store.open(store_path) as store:
        # a nightly run re-checks only the events whose membership changed, and keeps the
        # findings of the rest: an evaluation groups and checks everything afresh
        store.forget_grouping()
    with tempfile.TemporaryDirectory(prefix="dedupe-eval-") as tmp:
        inputs = Path(tmp) / "documents.jsonl"
        inputs.write_text(
            "".join(json.dumps(article_record(d), ensure_ascii=False) + "\n" for d in docs),
            encoding="utf-8",
        )
        result = run(
            [str(inputs)],
            settings,
            store_path,
            Path(tmp) / "reports",
            now,
            formats=(),
            progress=progress,
            embedder=embedder,
        )
    with Store.open(store_path) as store:
        events = store.load_events(result.run_id)
        findings = store.load_findings(result.run_id)
    return Run(events, findings, result.failures, gold, time.perf_counter() - started)


def refuse_other_articles(store_path: str | Path, wanted: set[str]) -> None:
    """A run groups and checks everything its store holds, so a store must hold only these
    documents (one store per documents file and split)."""
    if not Path(store_path).exists():
        return
    with Store.open(store_path) as store:
        others = set(store.article_states()) - wanted
    if others:
        raise UsageError(
            f"{store_path} holds {len(others)} articles that are not among these documents "
            "(another file or split?); give each file and split its own --store"
        )


def copy_store(source: str | Path, target: str | Path) -> None:
    """A consistent copy of a store (SQLite's backup, so its write-ahead log comes along)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
