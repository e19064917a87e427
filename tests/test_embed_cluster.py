"""Embedding (real MiniLM + cache) and FAISS grouping checked against numpy brute force."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.events.cluster import (
    connected_components,
    group_claims,
    ivf_index,
    similar_pairs,
    top_neighbours,
)
from dedupe.events.embed import PADDED_CHARS_PER_TEXT, embed_texts, length_batches, normalize
from dedupe.settings import Settings

from .vectors import clustered_vectors


class DictCache:
    def __init__(self):
        self.data = {}

    def get_vectors(self, keys, fingerprint):
        return {k: self.data[(k, fingerprint)] for k in keys if (k, fingerprint) in self.data}

    def put_vectors(self, items, fingerprint):
        self.data.update({(k, fingerprint): v for k, v in items.items()})


def unit_rows(n, d=8, seed=0):
    return normalize(np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32))


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.6])
def test_similar_pairs_equal_brute_force(threshold):
    X = unit_rows(60)
    i, j, sim = similar_pairs(X, threshold)
    S = X @ X.T
    expected = {(a, b) for a in range(60) for b in range(a + 1, 60) if S[a, b] >= threshold}
    assert set(zip(i.tolist(), j.tolist(), strict=False)) == expected
    assert np.allclose(sim, S[i, j], atol=1e-5)


def test_similar_pairs_between_two_sets():
    X, Y = unit_rows(30, seed=1), unit_rows(10, seed=2)
    i, j, _ = similar_pairs(X, 0.2, Y)
    S = Y @ X.T
    expected = {(a, b) for a in range(10) for b in range(30) if S[a, b] >= 0.2}
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == expected


def test_top_neighbours_first_is_self():
    X = unit_rows(20)
    D, I = top_neighbours(X, 3)
    assert I[:, 0].tolist() == list(range(20)) and np.allclose(D[:, 0], 1, atol=1e-5)


def test_top_neighbours_below_the_limit_are_the_exact_ones():
    X = clustered_vectors(3000, d=64)
    D, I = top_neighbours(X, 10, X[:500])
    S = X[:500] @ X.T
    assert I.tolist() == np.argsort(-S, axis=1, kind="stable")[:, :10].tolist()
    assert np.allclose(D, np.take_along_axis(S, I, axis=1), atol=1e-5)
    # one row short of the limit on either side: still the exact index, the same arrays
    for limit in (501, 3001):
        same = top_neighbours(X, 10, X[:500], exact_limit=limit)
        assert np.array_equal(same[0], D) and np.array_equal(same[1], I)


@pytest.mark.slow
def test_approximate_candidates_from_the_limit_on_find_98_percent_and_never_change():
    import faiss

    # the smallest input searched approximately: its lists are trained on the fewest vectors,
    # so recall is lowest here (scripts/bench_ann.py measures 20k to 300k)
    defaults = Settings()
    n, k, bar = defaults.exact_search_limit, defaults.event_candidates + 1, 0.4
    X = clustered_vectors(n)
    Y = X[: n // 10]
    exact = top_neighbours(X, k, Y)
    D, I = top_neighbours(X, k, Y, exact_limit=len(Y))
    assert not np.array_equal(I, exact[1])  # it really was the approximate index
    wanted = found = 0
    for de, ie, d, i in zip(*exact, D, I, strict=True):
        want = set(ie[de >= bar].tolist())  # exact candidates, as grouping cuts them
        wanted += len(want)
        found += len(want & set(i[d >= bar].tolist()))
    # the floor: a missed candidate is an article pair never scored, which can keep
    # two articles of one event apart (never merge two events); measured 0.99 here
    assert wanted > 10 * len(Y) and found / wanted >= 0.98
    # the same input gives the same candidates, whatever the number of threads
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        again = ivf_index(X).search(Y, k)
    finally:
        faiss.omp_set_num_threads(threads)
    assert np.array_equal(again[1], I) and np.array_equal(again[0], D)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), max_size=40),
    st.randoms(use_true_random=False),
)
def test_components_are_a_partition_independent_of_edge_order(edges, rnd):
    i = np.array([a for a, _ in edges], dtype=np.int64)
    j = np.array([b for _, b in edges], dtype=np.int64)
    labels = connected_components(20, i, j)
    shuffled = list(edges)
    rnd.shuffle(shuffled)
    again = connected_components(
        20,
        np.array([a for a, _ in shuffled], dtype=np.int64),
        np.array([b for _, b in shuffled], dtype=np.int64),
    )
    assert labels.tolist() == again.tolist()
    for a, b in edges:
        assert labels[a] == labels[b]


def test_group_claims_does_not_depend_on_input_order():
    X = unit_rows(40, d=4, seed=3)
    ids = [f"c{n}" for n in range(40)]
    perm = np.random.default_rng(0).permutation(40)
    a = group_claims(ids, X, 0.8)
    b = group_claims([ids[p] for p in perm], X[perm], 0.8)
    assert a == b and all(len(g.claim_ids) > 1 for g in a)


def test_cache_skips_known_texts_and_never_loads_the_model_when_all_are_known(fake_embedder):
    cache = DictCache()
    texts = ["a claim", "another claim", "a claim"]
    X, new = embed_texts(texts, lambda: fake_embedder, cache, "fp")
    assert new == 2 and fake_embedder.texts == 2 and np.allclose(X[0], X[2])

    def must_not_load():
        raise AssertionError("the model was loaded although every text was cached")

    Y, new = embed_texts(texts, must_not_load, cache, "fp")
    assert new == 0 and np.array_equal(X, Y)
    _, new = embed_texts(texts, lambda: fake_embedder, cache, "other-model")
    assert new == 2


def test_long_texts_go_in_smaller_batches():
    """Short texts fill batches of `batch_size`; a batch never pads past its budget of
    characters (texts x the longest), and a text over the whole budget is a batch alone."""
    budget = 4 * PADDED_CHARS_PER_TEXT
    lengths = [10] * 6 + [budget // 2] * 4 + [budget + 1]
    keys = [f"t{n}" for n in range(len(lengths))]
    batches = length_batches(keys, lengths, batch_size=4)
    assert [len(b) for b in batches] == [4, 2, 2, 2, 1]
    assert [k for b in batches for k in b] == keys
    for batch in batches[:-1]:
        assert len(batch) * max(lengths[keys.index(k)] for k in batch) <= budget


@pytest.mark.slow
def test_minilm_gives_unit_vectors_that_rank_a_paraphrase_first(minilm):
    texts = [
        "Trump declined to approve the transfer of Tomahawk missiles to Ukraine.",
        "The president refused to send Tomahawk missiles to Kyiv.",
        "The council approved a new budget for the city's schools.",
    ]
    X = minilm.embed(texts)
    assert X.shape == (3, 384) and X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X, axis=1), 1, atol=1e-4)
    # a real paraphrase must be closer than an unrelated sentence (MiniLM puts paraphrases
    # at 0.6-0.8 and unrelated news below 0.2, see DEPENDENCIES.md)
    assert X[0] @ X[1] > 0.5 > X[0] @ X[2]
