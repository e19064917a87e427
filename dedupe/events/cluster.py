"""Near-duplicate search and grouping on arrays, with FAISS (faiss `contrib/` style).

Names used throughout: `X`, `Y` (n x d float32 unit vectors, rows parallel to an id list),
`D` (inner-product similarities), `I` (neighbour row indices), `lims` (range_search offsets:
the neighbours of query q are `I[lims[q]:lims[q + 1]]`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from dedupe.records import ClaimGroup, stable_id

# the approximate index: IVF with 4 sqrt(n) lists (each trained on 39 or more vectors, FAISS'
# floor), 16 searched per query; its k-means starts from a fixed seed. Recall of event
# candidates >= 0.98 on generated clustered vectors from 20k to 300k (scripts/bench_ann.py)
IVF_PROBES, IVF_MIN_TRAINING, KMEANS_SEED = 16, 39, 1234


def _index(X: np.ndarray) -> Any:
    import faiss

    index = faiss.IndexFlatIP(X.shape[1])
    index.add(np.ascontiguousarray(X, dtype=np.float32))
    return index


def ivf_index(X: np.ndarray) -> Any:
    """An approximate (IVF) inner-product index over X: k-means lists, a few searched per
    query. The same X gives the same lists on every run and with any number of threads
    (FAISS' k-means sums each centroid in row order), hence the same candidates."""
    import faiss

    lists = max(1, min(int(4 * np.sqrt(len(X))), len(X) // IVF_MIN_TRAINING))
    index = faiss.IndexIVFFlat(
        faiss.IndexFlatIP(X.shape[1]), X.shape[1], lists, faiss.METRIC_INNER_PRODUCT
    )
    index.cp.seed = KMEANS_SEED
    X = np.ascontiguousarray(X, dtype=np.float32)
    index.train(X)
    index.add(X)
    index.nprobe = IVF_PROBES
    return index


def similar_pairs(
    X: np.ndarray, threshold: float, Y: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All pairs with similarity >= threshold, as arrays (i, j, sim).

    With `Y` absent this is the self-join of `X`, each unordered pair once (i < j); with `Y`,
    i indexes `Y` (queries) and j indexes `X`.
    """
    if not -1.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be a cosine in [-1, 1], got {threshold}")
    queries = X if Y is None else Y
    if len(X) == 0 or len(queries) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    # range_search keeps results strictly above the radius; nudge it to make the bound inclusive
    lims, D, I = _index(X).range_search(
        np.ascontiguousarray(queries, dtype=np.float32),
        float(np.nextafter(np.float32(threshold), np.float32(-2))),
    )
    rows = np.repeat(np.arange(len(queries)), np.diff(lims.astype(np.int64)))
    keep = threshold <= D
    if Y is None:
        keep &= rows < I
    return rows[keep].astype(np.int64), I[keep].astype(np.int64), D[keep].astype(np.float32)


def top_neighbours(
    X: np.ndarray, k: int, Y: np.ndarray | None = None, exact_limit: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(D, I): the k most similar rows of X for each row of Y (or of X, itself included).

    Exact unless both X and the queries hold at least `exact_limit` rows (None: always
    exact); then approximate (IVF), which may miss a few neighbours (I = -1 pads a row).
    Training its lists costs more than searching a few queries exactly, so it pays only
    for many queries on many rows (a batch run, not a nightly one).
    """
    queries = X if Y is None else Y
    k = min(k, len(X))
    if k == 0:
        return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
    if exact_limit is not None and min(len(X), len(queries)) >= exact_limit:
        index = ivf_index(X)
    else:
        index = _index(X)
    D, I = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return D, I


def connected_components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Component label of each of n nodes linked by edges (i, j); labels are the smallest
    member index, so the partition does not depend on edge order."""
    parent = np.arange(n)

    def find(a: int) -> int:
        root = a
        while parent[root] != root:
            root = parent[root]
        while parent[a] != root:
            parent[a], a = root, parent[a]
        return int(root)

    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(a) for a in range(n)], dtype=np.int64)


def group_claims(claim_ids: Sequence[str], X: np.ndarray, threshold: float) -> list[ClaimGroup]:
    """Near-duplicate groups (two or more claims) among the rows of X."""
    i, j, _ = similar_pairs(X, threshold)
    labels = connected_components(len(claim_ids), i, j)
    members: dict[int, list[str]] = {}
    for row, label in enumerate(labels.tolist()):
        members.setdefault(label, []).append(claim_ids[row])
    return sorted(
        (
            ClaimGroup(id=stable_id("grp", *sorted(ids)), claim_ids=tuple(sorted(ids)))
            for ids in members.values()
            if len(ids) > 1
        ),
        key=lambda g: g.claim_ids,
    )


def average_link(
    n: int,
    i: np.ndarray,
    j: np.ndarray,
    s: np.ndarray,
    threshold: float,
    can_merge: Callable[[list[int], list[int], float], bool] | None = None,
    link: float | None = None,
) -> np.ndarray:
    """Average-linkage clustering of n nodes over sparse similarities `s` of pairs (i, j)
    (absent pairs count 0): the two clusters with the highest mean similarity merge while
    it reaches `threshold`, some pair of their members reaches `link` (when given) and
    `can_merge(members_a, members_b, mean)` allows it.

    Labels are the smallest member index, and ties break by member indices, so the result
    does not depend on the order of the pairs. Merged clusters are always joined by a pair
    with similarity >= max(threshold, link), so clustering each connected component of
    those pairs on its own gives the same result as clustering all nodes at once.
    """
    bar = threshold if link is None else max(threshold, link)
    members: dict[int, list[int]] = {a: [a] for a in range(n)}
    sums: dict[int, dict[int, float]] = {a: {} for a in range(n)}
    # how many pairs reaching `bar` join two clusters (a mean reaching `threshold` has one)
    strong: dict[int, dict[int, int]] = {a: {} for a in range(n)}
    for a, b, sim in zip(i.tolist(), j.tolist(), s.tolist(), strict=True):
        if a != b:
            sums[a][b] = sums[a].get(b, 0.0) + sim
            sums[b][a] = sums[b].get(a, 0.0) + sim
            if sim >= bar:
                strong[a][b] = strong[b][a] = strong[a].get(b, 0) + 1
    heap: list[tuple[float, int, int]] = []

    def push(a: int, b: int) -> None:
        mean = sums[a][b] / (len(members[a]) * len(members[b]))
        if mean >= threshold and (link is None or b in strong[a]):
            lo, hi = (a, b) if a < b else (b, a)
            heapq.heappush(heap, (-mean, lo, hi))

    for a in range(n):
        for b in sums[a]:
            if a < b:
                push(a, b)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # one side has merged into another cluster since
        if sums[a][b] / (len(members[a]) * len(members[b])) != -negative:
            continue  # stale: a fresh entry was pushed when a side grew
        if can_merge is not None and not can_merge(members[a], members[b], -negative):
            continue  # pushed again if either side grows
        # b joins a (a < b, so the label stays the smallest member)
        members[a] += members.pop(b)
        for k, sim in sums.pop(b).items():
            sums[k].pop(b)
            if k != a:
                sums[a][k] = sums[a].get(k, 0.0) + sim
                sums[k][a] = sums[a][k]
        sums[a].pop(b, None)
        for k, count in strong.pop(b).items():
            strong[k].pop(b)
            if k != a:
                strong[a][k] = strong[k][a] = strong[a].get(k, 0) + count
        strong[a].pop(b, None)
        for k in sums[a]:
            push(a, k)
    labels = np.empty(n, dtype=np.int64)
    for items in members.values():
        labels[items] = min(items)
    return labels
