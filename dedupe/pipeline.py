"""One run of dedupe, end to end: `run()` is the table of contents of a nightly run."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dedupe.claims.extract import Progress, no_progress
from dedupe.engines import Engine, LocalEngine
from dedupe.events.embed import Embedder
from dedupe.ingest.decoding import printable
from dedupe.ingest.read import read_articles
from dedupe.nightly import report_articles, update
from dedupe.records import Article, IngestFailure, RunStats, to_dict
from dedupe.report import ReportInput, build_report
from dedupe.report.render import FORMATS, write_reports
from dedupe.settings import Settings
from dedupe.store.database import Store

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    run_id: int
    report: dict[str, Any]
    paths: list[Path]
    stats: RunStats
    failures: list[IngestFailure]


class StageTimer:
    """Wall-clock seconds per stage, for the run summary."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        log.info("stage %s", stage)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = round(
                self.seconds.get(stage, 0.0) + time.perf_counter() - start, 3
            )


def run(
    inputs: Sequence[str],
    settings: Settings,
    store_path: str | Path,
    out_dir: str | Path,
    now: dt.datetime,
    manifest: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    progress: Progress = no_progress,
    embedder: Callable[[], Embedder] | None = None,
    feeds: Sequence[str] = (),
    engine: Engine | None = None,
) -> RunResult:
    """Read the inputs (and feed files or URLs) into the store, group what is new into the
    stored events and check the events it changed (`dedupe.nightly`), then report everything
    stored. Reports are written while the run still holds the store's lock. `engine` extracts
    and embeds (default: in this process); `embedder` replaces the engine's embedder."""
    timer = StageTimer()
    engine = engine or LocalEngine()
    get_embedder = embedder or (lambda: engine.embedder(settings))
    with Store.open(store_path) as store:
        store.lock()
        run_id = store.begin_run(now, to_dict(settings))
        # read, extract and store a chunk of articles at a time: memory follows the chunk,
        # not the inputs (each stage's seconds add up over the chunks)
        failures: list[IngestFailure] = []
        unextracted: list[IngestFailure] = []
        counts = {"articles_new": 0, "articles_changed": 0, "articles_unchanged": 0}
        chunks = ingest_chunks(
            inputs, settings, manifest, now.date(), feeds, failures, INGEST_CHUNK
        )
        while True:
            with timer("ingest"):
                chunk = next(chunks, None)
            if chunk is None:
                break
            with timer("extract"):
                done, failed = store_new_articles(chunk, store, settings, run_id, progress, engine)
            counts = {k: counts[k] + done[k] for k in counts}
            unextracted += failed
        previous = store.previous_run(run_id)
        before = (
            (
                store.load_events(previous),
                store.load_findings(previous),
                store.load_changes(previous),
            )
            if previous
            else ([], [], [])
        )
        outcome = update(store, settings, now.date(), before, get_embedder, progress, timer)
        failures += unextracted + outcome.failures
        stats = RunStats(
            **counts,
            articles_failed=len(failures),
            claims=store.count_claims(),
            claims_embedded=outcome.embedded,
            events=len(outcome.events),
            events_redone=outcome.redone,
            findings=len(outcome.findings),
            seconds=timer.seconds,
        )
        with timer("report"):
            report = build_report(
                ReportInput(
                    articles=report_articles(store, outcome.grouping),
                    events=outcome.events,
                    findings=outcome.findings,
                    changes=outcome.changes,
                    failures=failures,
                    stats=stats,
                    run_id=run_id,
                    previous_events=before[0] if previous else None,
                    previous_findings=before[1] if previous else None,
                    previous_run={"id": previous, "started_at": store.run_started(previous)}
                    if previous
                    else None,
                    decisions=store.latest_decisions(),
                    store_path=str(Path(store_path).resolve()),
                    settings=to_dict(settings),
                ),
                now,
            )
        store.save_results(
            run_id,
            outcome.events,
            outcome.findings,
            outcome.changes,
            failures,
            stats,
            now,
            outcome.grouping,
        )
        paths = write_reports(report, out_dir, formats)
    return RunResult(run_id, report, paths, stats, failures)


# articles read, extracted and stored at a time (each is saved with its claims as soon as
# it is extracted): a run holds at most this many articles' texts, however large its inputs
INGEST_CHUNK = 2000


def ingest(
    inputs: Sequence[str],
    settings: Settings,
    manifest: str | None,
    today: dt.date | None = None,
    feeds: Sequence[str] = (),
) -> tuple[list[Article], list[IngestFailure]]:
    """Read every input; a second article with an id already read is reported, not lost."""
    failures: list[IngestFailure] = []
    chunks = ingest_chunks(inputs, settings, manifest, today, feeds, failures, chunk=None)
    return [a for chunk in chunks for a in chunk], failures


def ingest_chunks(
    inputs: Sequence[str],
    settings: Settings,
    manifest: str | None,
    today: dt.date | None,
    feeds: Sequence[str],
    failures: list[IngestFailure],
    chunk: int | None = INGEST_CHUNK,
) -> Iterator[list[Article]]:
    """The articles of every input, `chunk` at a time (None: all at once), read as they are
    asked for; failures are appended to `failures`, and a second article with an id already
    read is reported there, not lost."""
    first: dict[str, tuple[str, str]] = {}  # id -> path and content hash of its first article
    articles: list[Article] = []
    for item in read_articles(inputs, settings, manifest, today=today, feeds=feeds):
        if isinstance(item, IngestFailure):
            # a reason may quote the name of a file that is not UTF-8
            item = IngestFailure(printable(item.path), printable(item.reason))
            log.warning("%s: %s", item.path, item.reason)
            failures.append(item)
        elif item.id in first:
            path, digest = first[item.id]
            same = "same content" if digest == item.content_hash else "different text"
            failures.append(
                IngestFailure(
                    item.path,
                    f"duplicate of {path} (same id {item.id}, {same}); only the first was read",
                )
            )
        else:
            first[item.id] = (item.path, item.content_hash)
            articles.append(item)
            if chunk is not None and len(articles) == chunk:
                yield articles
                articles = []
    if articles:
        yield articles


def store_new_articles(
    articles: Sequence[Article],
    store: Store,
    settings: Settings,
    run_id: int,
    progress: Progress,
    engine: Engine | None = None,
) -> tuple[dict[str, int], list[IngestFailure]]:
    """Extract and store the claims of new and changed articles (unchanged ones cost nothing);
    an article whose extraction fails is reported and left out, and tried again next run."""
    fingerprint = settings.fingerprint("spacy_models", "extractor")
    known = store.article_states([a.id for a in articles])
    todo = [a for a in articles if known.get(a.id) != (a.content_hash, fingerprint)]
    unchanged = [a.id for a in articles if known.get(a.id) == (a.content_hash, fingerprint)]
    failed: list[IngestFailure] = []
    if todo:
        for item in (engine or LocalEngine()).extract(todo, settings, progress):
            if isinstance(item, IngestFailure):
                log.warning("%s: %s", item.path, item.reason)
                failed.append(item)
            else:
                store.save_article(item[0], item[1], run_id, fingerprint)
    store.mark_seen(unchanged, run_id)
    paths = {f.path for f in failed}
    saved = [a for a in todo if a.path not in paths]
    changed = sum(1 for a in saved if a.id in known)
    counts = {
        "articles_new": len(saved) - changed,
        "articles_changed": changed,
        "articles_unchanged": len(unchanged),
    }
    return counts, failed
