"""Candidate search at scale: exact FAISS against approximate indexes, on generated vectors.

Usage: python scripts/bench_ann.py [--sizes 10000 20000 30000 100000 300000] [--queries 2000]

For each size n, builds n clustered 384-d unit vectors (`tests/vectors.py`: topics of stories,
like articles' mean MiniLM vectors) and searches the `event_candidates + 1` nearest of a seeded
sample of queries, as event grouping does, with:

- exact: `faiss.IndexFlatIP`, what `top_neighbours` uses below `exact_search_limit`;
- ivf: `ivf_index`, what it uses from the limit on (`faiss.IndexIVFFlat`, 4 sqrt(n) lists,
  16 searched);
- hnsw: `faiss.IndexHNSWFlat` (32 links, 64 candidates building, 128 searching), the
  alternative considered: built in one thread, as threads inserting in whatever order they
  get to make another graph on each run, and the same input must give the same candidates.

It prints build seconds, search milliseconds per query, the projected seconds of a batch run
(build + every article a query) and of a nightly run adding 1,000 articles to a store of n
(build + 1,000 queries), and recall: the share of the exact candidates (among the nearest,
those reaching `event_candidate_similarity`) that the index finds too. Exact search of all n
queries is projected from the sample, since at 300k it alone would take many minutes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the vector generator lives beside the tests

from dedupe.events.cluster import ivf_index  # noqa: E402
from dedupe.settings import Settings  # noqa: E402
from tests.vectors import clustered_vectors  # noqa: E402

NIGHTLY = 1000  # articles a nightly run adds


def exact(X: np.ndarray, k: int) -> Any:
    import faiss

    index = faiss.IndexFlatIP(X.shape[1])
    index.add(X)
    return index


def hnsw(X: np.ndarray, k: int) -> Any:
    import faiss

    index = faiss.IndexHNSWFlat(X.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 64
    index.hnsw.efSearch = max(128, k)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    index.add(X)
    faiss.omp_set_num_threads(threads)
    return index


def recall(
    exact_DI: tuple[np.ndarray, np.ndarray], DI: tuple[np.ndarray, np.ndarray], bar: float
) -> float:
    """Share of the exact candidates (neighbours at `bar` or more) that the index also found."""
    found = wanted = 0
    for (de, ie), (d, i) in zip(zip(*exact_DI, strict=True), zip(*DI, strict=True), strict=True):
        want = set(ie[de >= bar].tolist())
        found += len(want & set(i[d >= bar].tolist()))
        wanted += len(want)
    return found / max(wanted, 1)


def measure(
    build: Callable[[np.ndarray, int], Any], X: np.ndarray, Q: np.ndarray, k: int
) -> tuple[dict[str, float], tuple[np.ndarray, np.ndarray]]:
    """Build the index over X, search the queries Q: seconds and the projections above."""
    start = time.perf_counter()
    index = build(X, k)
    built = time.perf_counter() - start
    start = time.perf_counter()
    D, I = index.search(Q, k)
    per_query = (time.perf_counter() - start) / len(Q)
    return {
        "build_s": built,
        "ms_per_query": per_query * 1e3,
        "batch_s": built + per_query * len(X),
        "nightly_s": built + per_query * NIGHTLY,
    }, (D, I)


METHODS: dict[str, Callable[[np.ndarray, int], Any]] = {
    "exact": exact,
    "ivf": lambda X, k: ivf_index(X),
    "hnsw": hnsw,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 20_000, 30_000, 100_000, 300_000]
    )
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    settings = Settings()
    k, bar = settings.event_candidates + 1, settings.event_candidate_similarity
    print("| n | method | build s | ms/query | batch s | nightly s | recall |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n in args.sizes:
        X = clustered_vectors(n)
        Q = X[np.random.default_rng(1).choice(n, min(n, args.queries), replace=False)]
        truth = None
        for name, build in METHODS.items():
            row, DI = measure(build, X, Q, k)
            truth = truth or DI
            print(
                f"| {n} | {name} | {row['build_s']:.1f} | {row['ms_per_query']:.3f} | "
                f"{row['batch_s']:.1f} | {row['nightly_s']:.1f} | {recall(truth, DI, bar):.4f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
