"""Choose event-grouping weights and thresholds on a training split (`--tune`).

dedupe's logistic same-event model is fitted on every candidate pair of the split (label:
same gold subtopic), then the linkage thresholds (dated and undated) and the time gap, and
each baseline's threshold, are the grid values with the best B³ F1 on the same split. Run it
on train only; report dev.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dedupe.evaluate import baselines
from dedupe.evaluate.events import Corpus
from dedupe.evaluate.metrics import b_cubed
from dedupe.events.cluster import similar_pairs
from dedupe.events.embed import Embedder, embedder_for
from dedupe.events.grouping import article_time, cluster_articles
from dedupe.events.profiles import FEATURES, Profile, build_profiles, pair_features
from dedupe.settings import Settings

# L2 strength of the logistic fit (sklearn's C): mild, so no signal gets an extreme weight
_C = 0.3
LINK_GRID = tuple(round(0.3 + 0.05 * n, 2) for n in range(9))
# days; a month at most, so the same people meeting again next month stay two events
GAP_GRID = (7, 10, 14, 21, 30)
# the mean probability at which an undated cluster joins a dated one (the linkage threshold
# or more)
UNDATED_GRID = (0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass(frozen=True)
class Tuning:
    weights: tuple[float, ...]  # bias, then one weight per feature
    threshold: float
    max_gap_days: int
    undated_threshold: float
    b3_f1: float
    tfidf_threshold: float
    tfidf_b3_f1: float
    minilm_threshold: float
    minilm_b3_f1: float

    def toml(self) -> str:
        """The chosen settings as a TOML snippet for `--config` or `dedupe/settings.py`."""
        weights = ", ".join(f"{w:.2f}" for w in self.weights)
        return (
            f"event_weights = [{weights}]  # bias, {', '.join(FEATURES)}\n"
            f"event_threshold = {self.threshold}\n"
            f"event_max_gap_days = {self.max_gap_days}\n"
            f"event_undated_threshold = {self.undated_threshold}  # B3 F1 {self.b3_f1:.3f} here\n"
            f"# baselines: TFIDF_THRESHOLD = {self.tfidf_threshold} (B3 F1 "
            f"{self.tfidf_b3_f1:.3f}), MINILM_THRESHOLD = {self.minilm_threshold} (B3 F1 "
            f"{self.minilm_b3_f1:.3f})"
        )


def fit_same_event(F: np.ndarray, y: np.ndarray, N: np.ndarray) -> Any:
    """The logistic same-event model over labelled pair features `F`, `y`, plus the extra
    negative pairs `N`, weighted so that together they count as much as the negatives in `y`."""
    from sklearn.linear_model import LogisticRegression

    extra = np.full(len(N), (~y).sum() / max(len(N), 1))
    return LogisticRegression(C=_C, max_iter=2000).fit(
        np.vstack([F, N]),
        np.concatenate([y, np.zeros(len(N), dtype=bool)]),
        sample_weight=np.concatenate([np.ones(len(F)), extra]),
    )


def tune_events(
    corpus: Corpus,
    settings: Settings,
    embedder: Callable[[], Embedder] | None = None,
    negatives: Sequence[tuple[Profile, Profile]] = (),
) -> Tuning:
    """Fit dedupe's weights and choose all thresholds by B³ F1 on `corpus`; `negatives` are
    extra pairs known to be two events (different companies' wire reports, see
    `dedupe.evaluate.reuters`), which together weigh as much as the corpus's own negatives."""

    get_embedder = embedder or (lambda: embedder_for(settings))
    articles = corpus.articles
    gold = corpus.gold
    profiles = build_profiles(articles, corpus.analysed.claims, corpus.analysed.X)
    by_id = {p.article.id: p for p in profiles}
    V = np.vstack([p.vector for p in profiles])
    i, j, _ = similar_pairs(V, settings.event_candidate_similarity)
    keys = [
        tuple(sorted((profiles[a].article.id, profiles[b].article.id)))
        for a, b in zip(i.tolist(), j.tolist(), strict=True)
    ]
    F = np.array([pair_features(by_id[a], by_id[b]) for a, b in keys])
    y = np.array([gold[a] == gold[b] for a, b in keys])
    N = np.array([pair_features(a, b) for a, b in negatives]).reshape(-1, F.shape[1])
    model = fit_same_event(F, y, N)
    weights = (float(model.intercept_[0]), *(float(w) for w in model.coef_[0]))
    probabilities = model.predict_proba(F)[:, 1]
    scores = {(a, b): float(p) for (a, b), p in zip(keys, probabilities, strict=True)}

    def dedupe_f1(threshold: float, gap: int, undated: float) -> float:
        chosen = settings.replace(
            event_weights=weights,
            event_threshold=threshold,
            event_max_gap_days=gap,
            event_undated_threshold=undated,
        )
        times = {a: article_time(p) for a, p in by_id.items()}
        groups = cluster_articles(sorted(by_id), times, scores, chosen)
        pred = {a: n for n, g in enumerate(groups) for a in g}
        return b_cubed(pred, gold).f1

    best = max(
        (dedupe_f1(t, g, u), t, g, u)
        for t in LINK_GRID
        for g in GAP_GRID
        for u in UNDATED_GRID
        if u >= t
    )

    def baseline_f1(labels: np.ndarray) -> float:
        pred = {a.id: int(label) for a, label in zip(articles, labels, strict=True)}
        return b_cubed(pred, gold).f1

    tfidf = baselines.best_threshold(baselines.tfidf_vectors(articles), baseline_f1)
    minilm = baselines.best_threshold(
        baselines.minilm_vectors(articles, get_embedder()), baseline_f1
    )
    return Tuning(
        weights=tuple(round(w, 2) for w in weights),
        threshold=best[1],
        max_gap_days=best[2],
        undated_threshold=best[3],
        b3_f1=best[0],
        tfidf_threshold=tfidf[0],
        tfidf_b3_f1=tfidf[1],
        minilm_threshold=minilm[0],
        minilm_b3_f1=minilm[1],
    )
