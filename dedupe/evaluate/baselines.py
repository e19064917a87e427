"""The two baselines event grouping must beat: documents clustered by average linkage over
TF-IDF vectors, or over one MiniLM embedding of the whole text.

Each baseline's similarity threshold was chosen on ECB+ train (the best B³ F1 on a grid of
0.05 steps, `dedupe eval events ... --split train --tune`), never on dev.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from dedupe.events.embed import Embedder
from dedupe.records import Article

# chosen on ECB+ train (575 documents) with --tune; see README "Evaluation"
TFIDF_THRESHOLD = 0.15
MINILM_THRESHOLD = 0.6
THRESHOLD_GRID = tuple(round(0.05 * n, 2) for n in range(1, 20))


def tfidf_vectors(articles: Sequence[Article]) -> np.ndarray:
    """Unit TF-IDF vectors (English stop words out, sublinear counts) fitted on `articles`."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    return np.asarray(vectorizer.fit_transform([a.text for a in articles]).toarray())


def minilm_vectors(articles: Sequence[Article], embedder: Embedder) -> np.ndarray:
    """One unit vector per article from its whole text (the model reads its first 256
    word pieces, as any whole-document use of it would)."""
    return embedder.embed([a.text for a in articles])


def average_link_labels(V: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster labels of the rows of V (unit vectors) by average linkage on cosine
    similarity, merging while the mean similarity reaches `threshold`."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    if len(V) < 2:
        return np.zeros(len(V), dtype=np.int64)
    D = np.clip(1.0 - V @ V.T, 0.0, 2.0)
    np.fill_diagonal(D, 0.0)
    Z = linkage(squareform(D, checks=False), method="average")
    return np.asarray(fcluster(Z, 1.0 - threshold, criterion="distance"), dtype=np.int64)


def best_threshold(
    V: np.ndarray, score: Callable[[np.ndarray], float], grid: Sequence[float] = THRESHOLD_GRID
) -> tuple[float, float]:
    """The grid threshold whose clustering of V scores best (the higher of equals)."""
    results = [(score(average_link_labels(V, t)), t) for t in grid]
    best = max(results)
    return best[1], best[0]
