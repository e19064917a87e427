"""Generated unit vectors shaped like articles' mean sentence embeddings, for testing and
benchmarking nearest-neighbour search (`tests/test_embed_cluster.py`, `scripts/bench_ann.py`).

Uniform random vectors are a poor stand-in: in 384 dimensions they are all nearly orthogonal,
so every neighbour is as far as every other. Sentence embeddings share a common direction and
cluster by topic and, tighter, by story. Each vector here is the normalised sum of a direction
shared by all, its topic's, its story's and its own, weighted so that the expected cosine is
0.15 between unrelated articles, 0.40 within a topic (the candidate bar of event grouping) and
0.75 within a story, as with all-MiniLM-L6-v2 on news.
"""

from __future__ import annotations

import numpy as np

# squared weights of the shared, topic, story and own parts (they sum to 1)
SHARED, TOPIC, STORY, OWN = 0.15, 0.25, 0.35, 0.25
STORIES_PER_TOPIC = 100
MEAN_STORY = 5  # articles per story, geometric: most stories small, a few large


def clustered_vectors(n: int, d: int = 384, seed: int = 0) -> np.ndarray:
    """n x d float32 unit vectors in topics of stories of articles (see the module doc)."""
    rng = np.random.default_rng(seed)

    def directions(count: int) -> np.ndarray:
        G = rng.standard_normal((count, d)).astype(np.float32)
        return G / np.linalg.norm(G, axis=1, keepdims=True)

    sizes = rng.geometric(1 / MEAN_STORY, size=n)
    story = np.repeat(np.arange(n), sizes)[:n]
    stories = int(story.max()) + 1
    # a story leans on two topics in its own proportion (politics and trade, say), so topics
    # blend into each other instead of forming separate balls
    T = directions(max(2, n // (MEAN_STORY * STORIES_PER_TOPIC)))
    first, second = rng.integers(0, len(T), size=(2, stories))
    share = rng.uniform(0.5, 1.0, size=(stories, 1)).astype(np.float32)
    topics = np.sqrt(share) * T[first] + np.sqrt(1 - share) * T[second]
    topics /= np.linalg.norm(topics, axis=1, keepdims=True)
    X = (
        np.sqrt(SHARED) * directions(1)
        + np.sqrt(TOPIC) * topics[story]
        + np.sqrt(STORY) * directions(stories)[story]
        + np.sqrt(OWN) * directions(n)
    )
    # in no particular order, as articles arrive
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    return X[rng.permutation(n)].astype(np.float32)
