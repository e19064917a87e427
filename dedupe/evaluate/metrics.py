"""Clustering and coreference scores: B³, pairwise F1, ARI, MUC, CEAF-e, CoNLL, sibling merge.

A clustering is a mapping from item to cluster label; `pred` and `gold` must cover the same
items. Definitions follow the coreference literature (Vilain et al. 1995 for MUC, Bagga and
Baldwin 1998 for B³, Luo 2005 for CEAF-e; CoNLL F1 is the mean of the three F1s), as in the
reference scorer of Pradhan et al. (2014). Each is tested against hand-computed examples.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from math import comb
from typing import Any

import numpy as np

# item -> cluster label (keys typed Any: Mapping is invariant in its key type)
Clustering = Mapping[Any, Hashable]


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def clusters(labels: Clustering) -> list[set[Any]]:
    """The clusters of a labelling, as sets of items."""
    groups: dict[Hashable, set[Any]] = {}
    for item, label in labels.items():
        groups.setdefault(label, set()).add(item)
    return list(groups.values())


def _check(pred: Clustering, gold: Clustering) -> None:
    if set(pred) != set(gold):
        missing = len(set(gold) - set(pred)) + len(set(pred) - set(gold))
        raise ValueError(f"pred and gold must label the same items ({missing} differ)")


def b_cubed(pred: Clustering, gold: Clustering) -> PRF:
    """B³: per item, the share of its predicted cluster that is in its gold cluster
    (precision) and the share of its gold cluster that is in its predicted one (recall)."""
    _check(pred, gold)
    if not gold:
        return PRF(1.0, 1.0)
    joint = Counter((pred[i], gold[i]) for i in gold)
    size_p = Counter(pred.values())
    size_g = Counter(gold.values())
    precision = sum(n * n / size_p[p] for (p, _), n in joint.items()) / len(gold)
    recall = sum(n * n / size_g[g] for (_, g), n in joint.items()) / len(gold)
    return PRF(precision, recall)


def pairwise(pred: Clustering, gold: Clustering) -> PRF:
    """Precision and recall of the item pairs put together (1.0 when there are none to get
    wrong: no predicted pairs for precision, no gold pairs for recall)."""
    _check(pred, gold)
    joint = sum(comb(n, 2) for n in Counter((pred[i], gold[i]) for i in gold).values())
    pairs_p = sum(comb(n, 2) for n in Counter(pred.values()).values())
    pairs_g = sum(comb(n, 2) for n in Counter(gold.values()).values())
    return PRF(joint / pairs_p if pairs_p else 1.0, joint / pairs_g if pairs_g else 1.0)


def adjusted_rand(pred: Clustering, gold: Clustering) -> float:
    """Adjusted Rand index (Hubert and Arabie 1985): pair agreement corrected for chance."""
    _check(pred, gold)
    n = len(gold)
    if n < 2:
        return 1.0
    joint = sum(comb(c, 2) for c in Counter((pred[i], gold[i]) for i in gold).values())
    sum_p = sum(comb(c, 2) for c in Counter(pred.values()).values())
    sum_g = sum(comb(c, 2) for c in Counter(gold.values()).values())
    expected = sum_p * sum_g / comb(n, 2)
    best = (sum_p + sum_g) / 2
    if best == expected:  # both partitions trivial (all singletons or one cluster)
        return 1.0 if sum_p == sum_g else 0.0
    return (joint - expected) / (best - expected)


def muc(pred: Clustering, gold: Clustering) -> PRF:
    """MUC: links needed to join each gold cluster, minus the ones the prediction splits
    (recall), and the same with the roles swapped (precision). Singletons count for nothing."""
    _check(pred, gold)

    def score(key: Clustering, response: Clustering) -> float:
        needed = found = 0
        for cluster in clusters(key):
            parts = len({response[i] for i in cluster})
            needed += len(cluster) - 1
            found += len(cluster) - parts
        return found / needed if needed else 1.0

    return PRF(score(pred, gold), score(gold, pred))


def ceaf_e(pred: Clustering, gold: Clustering) -> PRF:
    """Entity-based CEAF: the best one-to-one alignment of gold and predicted clusters under
    the similarity 2|K ∩ R| / (|K| + |R|), divided by the number of predicted (precision) or
    gold (recall) clusters."""
    from scipy.optimize import linear_sum_assignment

    _check(pred, gold)
    key, response = clusters(gold), clusters(pred)
    if not key:
        return PRF(1.0, 1.0)
    sim = np.zeros((len(key), len(response)))
    index = {item: r for r, cluster in enumerate(response) for item in cluster}
    for k, cluster in enumerate(key):
        for item in cluster:
            sim[k, index[item]] += 1
    sizes_k = np.array([len(c) for c in key], dtype=float)[:, None]
    sizes_r = np.array([len(c) for c in response], dtype=float)[None, :]
    sim = 2 * sim / (sizes_k + sizes_r)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    total = float(sim[rows, cols].sum())
    return PRF(total / len(response), total / len(key))


def conll_f1(pred: Clustering, gold: Clustering) -> float:
    """The CoNLL-2012 score: the mean of the MUC, B³ and CEAF-e F1s."""
    return (muc(pred, gold).f1 + b_cubed(pred, gold).f1 + ceaf_e(pred, gold).f1) / 3


def sibling_merge(pred: Clustering, gold: Clustering, topic: Clustering) -> float:
    """Share of item pairs from different gold clusters of one topic (sibling events of the
    same kind) that the prediction puts together; 0.0 when there are no such pairs."""
    _check(pred, gold)
    by_topic: dict[Hashable, list[Hashable]] = {}
    for item in gold:
        by_topic.setdefault(topic[item], []).append(item)
    merged = total = 0
    for items in by_topic.values():
        cells = Counter((gold[i], pred[i]) for i in items)
        per_gold = Counter(gold[i] for i in items)
        per_pred: dict[Hashable, Counter[Hashable]] = {}
        for (g, p), n in cells.items():
            per_pred.setdefault(p, Counter())[g] = n
        total += (comb(len(items), 2)) - sum(comb(n, 2) for n in per_gold.values())
        for counts in per_pred.values():
            together = sum(counts.values())
            merged += comb(together, 2) - sum(comb(n, 2) for n in counts.values())
    return merged / total if total else 0.0
