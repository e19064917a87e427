"""Clustering and coreference scores against hand-computed examples and their definitions."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedupe.evaluate.metrics import (
    adjusted_rand,
    b_cubed,
    ceaf_e,
    conll_f1,
    muc,
    pairwise,
    sibling_merge,
)

# gold {a, b, c} {d, e}; predicted {a, b} {c, d, e}; every number below is worked by hand
GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
PRED = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}


def test_b_cubed_by_hand():
    # precision per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3 -> 11/15
    # recall per item:    a 2/3, b 2/3, c 1/3, d 2/2, e 2/2 -> 11/15
    s = b_cubed(PRED, GOLD)
    assert s.precision == pytest.approx(11 / 15)
    assert s.recall == pytest.approx(11 / 15)
    assert s.f1 == pytest.approx(11 / 15)


def test_pairwise_by_hand():
    # predicted pairs ab cd ce de, gold pairs ab ac bc de: two in common of four each
    s = pairwise(PRED, GOLD)
    assert (s.precision, s.recall) == (0.5, 0.5)


def test_muc_by_hand():
    # recall: {a,b,c} is split in two (1 of 2 links), {d,e} kept (1 of 1) -> 2/3
    # precision: {a,b} is one gold cluster (1 of 1), {c,d,e} spans two (1 of 2) -> 2/3
    s = muc(PRED, GOLD)
    assert s.recall == pytest.approx(2 / 3)
    assert s.precision == pytest.approx(2 / 3)


def test_muc_vilain_example():
    # Vilain et al. 1995: key {A,B,C,D}, response {A,B} {C,D}: recall 2/3, precision 1
    s = muc({"A": 1, "B": 1, "C": 2, "D": 2}, {"A": 0, "B": 0, "C": 0, "D": 0})
    assert s.recall == pytest.approx(2 / 3)
    assert s.precision == 1.0


def test_ceaf_e_by_hand():
    # phi4 = 2|K&R| / (|K|+|R|): {abc}-{ab} 4/5, {de}-{cde} 4/5, the best alignment sums 1.6
    # over 2 predicted and 2 gold clusters
    s = ceaf_e(PRED, GOLD)
    assert s.precision == pytest.approx(0.8)
    assert s.recall == pytest.approx(0.8)


def test_conll_is_the_mean_of_muc_b3_ceaf():
    assert conll_f1(PRED, GOLD) == pytest.approx((2 / 3 + 11 / 15 + 0.8) / 3)


def test_adjusted_rand_by_hand_and_against_sklearn():
    # cells ab(2) c(1) de(2): 2 joint pairs; row pairs 1+3, column pairs 3+1, 10 pairs in all
    # expected 4*4/10 = 1.6, max 4 -> (2 - 1.6) / (4 - 1.6) = 1/6
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand(PRED, GOLD) == pytest.approx(1 / 6)
    items = sorted(GOLD)
    assert adjusted_rand(PRED, GOLD) == pytest.approx(
        adjusted_rand_score([GOLD[i] for i in items], [PRED[i] for i in items])
    )


def test_sibling_merge_by_hand():
    # one topic; 6 pairs across its two gold events (abc x de); c-d and c-e are predicted
    # together -> 2/6. Pairs from different topics are not sibling pairs.
    assert sibling_merge(PRED, GOLD, dict.fromkeys(GOLD, "t")) == pytest.approx(1 / 3)
    topics = {"a": "t", "b": "t", "c": "t", "d": "u", "e": "u"}
    assert sibling_merge(PRED, GOLD, topics) == 0.0


def test_perfect_and_mismatched_clusterings():
    for score in (b_cubed, pairwise, muc, ceaf_e):
        s = score(GOLD, GOLD)
        assert (s.precision, s.recall) == (1.0, 1.0)
    assert adjusted_rand(GOLD, GOLD) == 1.0
    with pytest.raises(ValueError, match="same items"):
        b_cubed({"a": 1}, {"b": 1})


labellings = st.dictionaries(st.integers(0, 12), st.integers(0, 3), min_size=1, max_size=12)


@given(labellings, st.data())
def test_scores_match_their_definitions(gold, data):
    pred = {i: data.draw(st.integers(0, 3)) for i in gold}
    # B3 from its definition, item by item
    same_p = {i: {j for j in pred if pred[j] == pred[i]} for i in pred}
    same_g = {i: {j for j in gold if gold[j] == gold[i]} for i in gold}
    n = len(gold)
    precision = sum(len(same_p[i] & same_g[i]) / len(same_p[i]) for i in gold) / n
    recall = sum(len(same_p[i] & same_g[i]) / len(same_g[i]) for i in gold) / n
    s = b_cubed(pred, gold)
    assert s.precision == pytest.approx(precision)
    assert s.recall == pytest.approx(recall)
    # pairwise from explicit pair sets
    pairs_p = {(i, j) for i, j in itertools.combinations(sorted(pred), 2) if pred[i] == pred[j]}
    pairs_g = {(i, j) for i, j in itertools.combinations(sorted(gold), 2) if gold[i] == gold[j]}
    pw = pairwise(pred, gold)
    assert pw.precision == (len(pairs_p & pairs_g) / len(pairs_p) if pairs_p else 1.0)
    assert pw.recall == (len(pairs_p & pairs_g) / len(pairs_g) if pairs_g else 1.0)
    # swapping prediction and gold swaps precision and recall
    for score in (b_cubed, pairwise, muc, ceaf_e):
        a, b = score(pred, gold), score(gold, pred)
        assert a.precision == pytest.approx(b.recall)
        assert a.recall == pytest.approx(b.precision)
