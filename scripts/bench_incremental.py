"""Incremental-cost benchmark: add the same new articles to stores of different sizes.

Usage: python scripts/bench_incremental.py [--sizes 0,1000,10000] [--new 200] [--new-at N]
                                           [--stores DIR] [--build-only]

A nightly run should cost what its new articles cost, not what the store holds. Articles are
bench.py's: distinct texts, Reuters-21578 first, then ECB+ and FNC-1 (about 23,000 in all).
Base stores hold the first N of them and are kept in --stores (re-used when present); a missing
one is built from the largest smaller one there, adding the articles it lacks (size 0 is an
empty store). A base store grouped with other code or settings is first brought up to date by
an untimed run with nothing new (what the previous night would have done). Each measurement
copies a base store and runs `dedupe run` on the `--new` articles after the largest size (or
from `--new-at`), in a fresh process (models loaded and warmed before the clock), so its peak
RSS is that run's own. Prints seconds per stage, CPU seconds, peak RSS, and each size's time
(and CPU time) over the smallest size's (1.0 is ideal).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))  # inboxes as bench.py writes them
from bench import DATA, WARM_UP, build_corpus, write_inbox  # noqa: E402

# after every article's date (bench.py spreads the undated ones over 1988-1989), so that every
# build and measurement, whatever its sizes, runs on the same day
NOW = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)


def corpus(n: int) -> list[dict[str, str]]:
    return build_corpus(
        n, DATA / "reuters21578", DATA / "ecbplus/ecbplus_docs.jsonl", DATA / "fnc1-train"
    )


def timed_run(inbox: Path | None, store: Path, out: Path, now: dt.datetime) -> dict:
    """One `dedupe run` in this process with its models warmed first: seconds and peak RSS."""
    from dedupe.claims.nlp import load_nlp
    from dedupe.events.embed import embedder_for
    from dedupe.pipeline import run
    from dedupe.settings import Settings

    settings = Settings()
    load_nlp(settings.spacy_models)
    embedder_for(settings).embed(WARM_UP, settings.batch_size)
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    result = run([str(inbox)] if inbox else [], settings, store, out, now)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {
        "seconds": round(seconds, 2),
        # CPU seconds of every thread: steadier than wall time when other jobs share the cores
        "cpu_seconds": round(cpu, 2),
        "stages": {k: round(v, 2) for k, v in result.stats.seconds.items()},
        "articles_new": result.stats.articles_new,
        "events_redone": result.stats.events_redone,
        "claims": result.stats.claims,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_models_mb": round(rss_loaded),
    }


def in_child(inbox: Path | None, store: Path, out: Path, now: dt.datetime) -> dict:
    """`timed_run` in a fresh Python process, so that its peak RSS is its own."""
    command = [
        sys.executable,
        __file__,
        "--child",
        json.dumps([str(inbox) if inbox else "", str(store), str(out), now.isoformat()]),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def base_store(size: int, records: list[dict[str, str]], stores: Path, work: Path, now) -> Path:
    """The store of the first `size` articles, built from the largest smaller one kept."""
    base = stores / f"base-{size}.db"
    if base.exists() or size == 0:
        return base
    smaller = sorted(
        (int(p.stem.split("-")[1]), p)
        for p in stores.glob("base-*.db")
        if p.stem.split("-")[1].isdigit() and int(p.stem.split("-")[1]) < size
    )
    start_from, building = 0, work / f"building-{size}.db"
    if smaller:
        start_from, path = smaller[-1]
        shutil.copy(path, building)
    start = time.perf_counter()
    inbox = write_inbox(records[start_from:size], work / f"base-{size}")
    figures = in_child(inbox, building, work / f"out-build-{size}", now)
    shutil.move(building, base)
    print(
        f"built base store of {size} articles (from {start_from}) in "
        f"{time.perf_counter() - start:.0f} s, peak RSS {figures['peak_rss_mb']} MB",
        flush=True,
    )
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1000,10000")
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument(
        "--new-at",
        type=int,
        help="where in the corpus the new articles start (default: after the largest size), "
        "so that runs with other sizes can add the same ones",
    )
    parser.add_argument("--stores", type=Path, default=Path("reports/bench-stores"))
    parser.add_argument("--build-only", action="store_true", help="build the base stores, stop")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        inbox, store, out, now = json.loads(args.child)
        figures = timed_run(
            Path(inbox) if inbox else None, Path(store), Path(out), dt.datetime.fromisoformat(now)
        )
        print(json.dumps(figures))
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    new_at = max(sizes) if args.new_at is None else args.new_at
    if new_at < max(sizes):
        parser.error("--new-at must not fall inside the largest store")
    records = corpus(new_at + args.new)
    if len(records) < new_at + args.new:
        parser.error(f"the corpora hold {len(records)} distinct texts, fewer than asked")
    now = NOW
    from dedupe.nightly import grouping_fingerprint
    from dedupe.settings import Settings
    from dedupe.store.database import Store

    work = Path(tempfile.mkdtemp(prefix="dedupe-incr-"))
    new_batch = write_inbox(records[new_at:], work / "new")
    args.stores.mkdir(parents=True, exist_ok=True)
    bases = {size: base_store(size, records, args.stores, work, now) for size in sizes}
    if args.build_only:
        return

    runs = {}
    for size in sizes:
        store = work / f"store-{size}.db"
        if size:
            with Store.open(bases[size]) as stored:
                current = stored.grouping_fingerprint() == grouping_fingerprint(Settings())
            if not current:
                start = time.perf_counter()
                in_child(None, bases[size], work / f"out-settle-{size}", now)
                print(
                    f"brought base store of {size} up to date in "
                    f"{time.perf_counter() - start:.0f} s"
                )
            shutil.copy(bases[size], store)
        runs[size] = in_child(new_batch, store, work / f"out-{size}", now)
        figures = runs[size]
        print(
            f"store of {size:>6} articles: adding {figures['articles_new']} new took "
            f"{figures['seconds']:.1f} s ({figures['cpu_seconds']:.1f} s CPU), "
            f"{figures['events_redone']} events redone, peak RSS "
            f"{figures['peak_rss_mb']} MB (models loaded: {figures['rss_models_mb']} MB)  ("
            + ", ".join(f"{k} {v:.1f}" for k, v in figures["stages"].items())
            + ")",
            flush=True,
        )
    small = min(sizes)
    for size in sizes[1:]:
        print(
            f"ratio {size}/{small}: {runs[size]['seconds'] / runs[small]['seconds']:.2f} "
            f"(CPU {runs[size]['cpu_seconds'] / runs[small]['cpu_seconds']:.2f})"
        )


if __name__ == "__main__":
    main()
