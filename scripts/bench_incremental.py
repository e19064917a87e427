"""Incremental-cost benchmark: add the same 200 new articles to stores of 1k and 10k articles.

Usage: python scripts/bench_incremental.py [--sizes 1000,10000] [--new 200]
                                           [--stores DIR] [--reuters PATH]

A nightly run should cost what its new articles cost, not what the store holds. Base stores are
built once from the first N Reuters-21578 articles and kept in --stores (re-used when present);
a base store grouped with other code or settings is first brought up to date by an untimed run
with nothing new (what the previous night would have done). Each measurement copies a base
store and times `dedupe run` on the same batch of new articles. Prints both times and their
ratio (1.0 is ideal).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from dedupe.evaluate.reuters import read_reuters  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # inboxes as bench.py writes them
from bench import write_inbox  # noqa: E402

NOW = dt.datetime(1987, 12, 31, tzinfo=dt.UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument("--stores", type=Path, default=Path("reports/bench-stores"))
    parser.add_argument(
        "--reuters",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "../shared/data/reuters21578",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    from dedupe.events.embed import embedder_for
    from dedupe.nightly import grouping_fingerprint
    from dedupe.pipeline import run
    from dedupe.settings import Settings
    from dedupe.store.database import Store

    settings = Settings()
    records = []
    for record in read_reuters(args.reuters):
        records.append(record)
        if len(records) == max(sizes) + args.new:
            break
    work = Path(tempfile.mkdtemp(prefix="dedupe-incr-"))
    new_batch = write_inbox(records[max(sizes) :], work / "new")
    args.stores.mkdir(parents=True, exist_ok=True)
    embedder_for(settings)  # loaded once, outside every timing

    times = {}
    for size in sizes:
        base = args.stores / f"base-{size}.db"
        if not base.exists():
            start = time.perf_counter()
            inbox = write_inbox(records[:size], work / f"base-{size}")
            run([str(inbox)], settings, work / "building.db", work / "out-build", NOW)
            shutil.move(work / "building.db", base)
            print(f"built base store of {size} articles in {time.perf_counter() - start:.0f} s")
        with Store.open(base) as stored:
            current = stored.grouping_fingerprint() == grouping_fingerprint(settings)
        if not current:
            start = time.perf_counter()
            run([], settings, base, work / f"out-settle-{size}", NOW)
            print(f"brought base store of {size} up to date in {time.perf_counter() - start:.0f} s")
        store = work / f"store-{size}.db"
        shutil.copy(base, store)
        start = time.perf_counter()
        result = run([str(new_batch)], settings, store, work / f"out-{size}", NOW)
        times[size] = time.perf_counter() - start
        print(
            f"store of {size:>6} articles: adding {result.stats.articles_new} new took "
            f"{times[size]:.1f} s, {result.stats.events_redone} events redone  ("
            + ", ".join(f"{k} {v:.1f}" for k, v in result.stats.seconds.items())
            + ")"
        )
    small, large = min(sizes), max(sizes)
    print(f"ratio {large}/{small}: {times[large] / times[small]:.2f}")


if __name__ == "__main__":
    main()
