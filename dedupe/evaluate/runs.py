"""Real runs of dedupe (`pipeline.run`) over labelled documents (ECB+ documents or the items
of a story file), for the evaluations that judge findings: the documents are written as a
JSON-lines input and read, extracted, grouped, checked and reported exactly as a nightly run
reads articles.

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
import logging
import sqlite3
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedupe.claims.extract import Progress, no_progress
from dedupe.errors import UsageError
from dedupe.evaluate.ecbplus import EcbDocument, article_record, read_documents, to_article
from dedupe.evaluate.stories import StoryItem, read_stories, reads_stories
from dedupe.events.embed import Embedder
from dedupe.records import Article, Event, Finding, IngestFailure
from dedupe.settings import Settings
from dedupe.store.database import Store

# the run date when no document states one: after every date ECB+ states
UNDATED_RUN = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Documents:
    """Articles to run: the JSON records `dedupe run` reads, the articles ingest makes of
    them, and each article's gold event (an ECB+ subtopic or a story)."""

    records: list[dict[str, Any]]
    articles: list[Article]
    gold: dict[str, str]  # article id -> gold event


def ecb_documents(docs: Sequence[EcbDocument]) -> Documents:
    """ECB+ documents as articles with the dates their texts state (`article_record`)."""
    articles = [to_article(d).article for d in docs]
    return Documents(
        [article_record(d) for d in docs],
        articles,
        {a.id: d.subtopic for a, d in zip(articles, docs, strict=True)},
    )


def story_documents(items: Sequence[StoryItem]) -> Documents:
    """The items of a story file, each line as it was written."""
    articles = [i.article for i in items]
    return Documents([i.record for i in items], articles, {i.article.id: i.story for i in items})


def read_labelled(path: str | Path, split: str | None, file_format: str = "auto") -> Documents:
    """ECB+ documents or a story file (`file_format`: auto, ecbplus or stories), only the
    documents of `split` when given."""
    if reads_stories(path, file_format):
        return story_documents(read_stories(path, split))
    return ecb_documents(read_documents(path, split))


@dataclass(frozen=True)
class Run:
    """What one pipeline run over the documents gave."""

    events: list[Event]
    findings: list[Finding]
    failures: list[IngestFailure]
    gold: dict[str, str]  # article id -> its gold event (ECB+ subtopic or story)
    seconds: float


def run_date(docs: Documents) -> dt.datetime:
    """The day after the latest publish date of the documents, as a nightly run would see
    them; the same for every run over these documents, so results do not depend on the clock."""
    stated = [a.published for a in docs.articles if a.published is not None]
    if not stated:
        return UNDATED_RUN
    day = max(stated) + dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def run_documents(
    docs: Documents,
    settings: Settings,
    store_path: str | Path,
    now: dt.datetime,
    progress: Progress = no_progress,
    embedder: Callable[[], Embedder] | None = None,
) -> Run:
    """One `pipeline.run` of the documents into the store (no report files written)."""
    from dedupe.pipeline import run

    started = time.perf_counter()
    refuse_other_articles(store_path, set(docs.gold))
    with Store.open(store_path) as store:
        # a nightly run re-checks only the events whose membership changed, and keeps the
        # findings of the rest: an evaluation groups and checks everything afresh
        store.forget_grouping()
    with tempfile.TemporaryDirectory(prefix="dedupe-eval-") as tmp:
        inputs = Path(tmp) / "documents.jsonl"
        inputs.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in docs.records),
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
    for failure in result.failures:  # a score without them would be silently wrong
        log.warning("evaluation run skipped %s: %s", failure.path, failure.reason)
    with Store.open(store_path) as store:
        events = store.load_events(result.run_id)
        findings = store.load_findings(result.run_id)
    return Run(events, findings, result.failures, docs.gold, time.perf_counter() - started)


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
