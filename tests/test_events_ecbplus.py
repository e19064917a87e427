"""Event grouping with the real pipeline (spaCy, MiniLM, FAISS, SQLite) on the seeds and on a
32-document ECB+ slice: batch equals incremental, and `dedupe eval events` keeps its floors."""

import dataclasses
import json
from itertools import combinations

import numpy as np
import pytest
from click.testing import CliRunner

from dedupe.claims.extract import extract_claims
from dedupe.cli import cli
from dedupe.events.grouping import (
    article_time,
    events_of,
    group_events,
    pair_score,
    update_events,
)
from dedupe.events.profiles import build_profiles, pair_features, profile_row, stored_profile
from dedupe.pipeline import ingest

from .conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

SLICE = ROOT / "tests" / "data" / "ecbplus" / "ecbplus_docs.jsonl"
KEYS = {
    "b3_precision",
    "b3_recall",
    "b3_f1",
    "pairwise_f1",
    "ari",
    "sibling_merge",
    "n_pred",
    "n_gold",
}


@pytest.fixture(scope="module")
def seed_corpus(nlp, minilm, settings):
    articles, failures = ingest([str(SEEDS)], settings, None)
    assert not failures
    claims = [c for _, cs in extract_claims(articles, nlp) for c in cs]
    return articles, claims, minilm.embed([c.text for c in claims])


def seed_names(articles, groups):
    path = {a.id: a.path.rsplit("/", 1)[-1][:3] for a in articles}
    return sorted(sorted(path[a] for a in g) for g in groups)


def test_seeds_batch_and_incremental_give_the_same_three_events(seed_corpus, settings):
    articles, claims, X = seed_corpus
    profiles = {p.article.id: p for p in build_profiles(articles, claims, X)}
    batch = update_events(None, list(profiles.values()), settings)
    assert seed_names(articles, batch.groups) == [["000", "001", "004"], ["002"], ["003"]]
    # three nightly runs: the 2024 visit first, then 2022 with one 2025 story, then the rest
    by_seed = {a.path.rsplit("/", 1)[-1][:3]: a.id for a in articles}
    state = None
    for night in (["003"], ["000", "002"], ["001", "004"]):
        state = update_events(state, [profiles[by_seed[s]] for s in night], settings)
    assert state is not None and state.groups == batch.groups
    events = events_of(state, claims)
    assert events == group_events(articles, claims, X, settings)
    label = next(e.label for e in events if len(e.article_ids) == 3)
    assert "Zelensky" in label and "2025-10-15 to 2025-10-18" in label


def test_a_profile_rebuilt_from_its_stored_row_scores_bit_for_bit_the_same(seed_corpus, settings):
    """What lets a night score a stored article without reading its claims: the row that
    `profile_row` gives, through JSON as the store keeps it, with the article's claim
    vectors and time, makes a profile whose every pair feature and score equals, to the last
    bit, that of the profile read from its claims (weights in their order, floats exact).
    The articles are given without their text: the text weights come from the row."""
    articles, claims, X = seed_corpus
    profiles = build_profiles(articles, claims, X)
    rebuilt = [
        stored_profile(
            dataclasses.replace(p.article, title="", text=""),
            json.loads(json.dumps(profile_row(p))),
            p.claim_vectors.copy(),
            article_time(p),
        )
        for p in profiles
    ]
    for (a, b), (ra, rb) in zip(combinations(profiles, 2), combinations(rebuilt, 2), strict=True):
        assert pair_features(a, b).tobytes() == pair_features(ra, rb).tobytes()
        assert pair_score(a, b, settings) == pair_score(ra, rb, settings)
    assert [(r.window, r.written_after, r.vector.tobytes()) for r in rebuilt] == [
        (p.window, p.written_after, p.vector.tobytes()) for p in profiles
    ]


@pytest.fixture(scope="module")
def slice_run(tmp_path_factory, nlp, minilm):
    """`dedupe eval events` on the slice, once as JSON (filling a claim and vector cache)
    and once as the printed table from that cache."""
    store = str(tmp_path_factory.mktemp("eval") / "eval.db")
    runner = CliRunner()
    as_json = runner.invoke(
        cli, ["eval", "events", str(SLICE), "--json", "--store", store, "--quiet"]
    )
    assert as_json.exit_code == 0, as_json.output
    table = runner.invoke(cli, ["eval", "events", str(SLICE), "--store", store, "--quiet"])
    assert table.exit_code == 0, table.output
    return json.loads(as_json.output), table.output, store


def test_eval_json_has_exactly_the_documented_keys(slice_run):
    scores, _, _ = slice_run
    assert set(scores) == {"dedupe", "baselines"}
    assert set(scores["baselines"]) == {"tfidf", "minilm_doc"}
    assert set(scores["dedupe"]) == KEYS | {"claims_b3_f1", "claims_conll_f1"}
    assert all(set(b) == KEYS for b in scores["baselines"].values())


def test_eval_floors_on_the_slice(slice_run):
    """Floors a few points under what the slice gives today: B³ F1 0.879, sibling-merge
    0.031 (0.842 and 0.312 with the weights fitted on ECB+ alone and one linkage threshold),
    claims CoNLL F1 0.871 (0.685 when claims were matched by near-duplicate group, not by
    happening: the floor fails if matching falls back to that). The slice holds the four
    dev topics 2, 21, 23 and 35 with four documents per subtopic, so each pair of sibling
    documents put in one event adds 1/64 to sibling-merge (see README "Event grouping" for
    the full dev numbers)."""
    scores, _, _ = slice_run
    ours = scores["dedupe"]
    assert ours["b3_f1"] >= 0.85
    assert ours["sibling_merge"] <= 0.1
    assert ours["claims_conll_f1"] >= 0.83
    assert ours["n_gold"] == 8


def test_eval_table_prints_both_baselines_and_the_claim_scores(slice_run):
    _, table, _ = slice_run
    for text in ("dedupe", "tfidf baseline", "minilm_doc baseline", "sibling-merge", "claims:"):
        assert text in table


def test_slice_batch_and_incremental_give_the_same_events(slice_run, settings):
    from dedupe.evaluate.events import load_corpus

    _, _, store = slice_run
    corpus = load_corpus(SLICE, None, settings, store)  # every claim and vector cached
    articles = corpus.articles
    profiles = build_profiles(articles, corpus.analysed.claims, corpus.analysed.X)
    batch = update_events(None, profiles, settings)
    order = np.random.default_rng(4).permutation(len(profiles))
    state = None
    for night in np.array_split(order, 4):
        state = update_events(state, [profiles[i] for i in night], settings)
    assert state is not None and state.groups == batch.groups
    assert len(batch.groups) > 1
