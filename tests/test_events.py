"""Event grouping on hand-built inputs: average linkage, time gating, incremental updates,
labels. The real pipeline on the seeds and on ECB+ is in test_events_ecbplus.py."""

import dataclasses
import datetime as dt
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.events.cluster import average_link
from dedupe.events.grouping import (
    EventState,
    TimeBounds,
    add_timelines,
    cluster_articles,
    pair_score,
    time_compatible,
    update_events,
)
from dedupe.events.labels import display_names, event_label, main_action, main_participants
from dedupe.events.profiles import (
    FOLLOW_UP_DAYS,
    Profile,
    article_window,
    keywords,
    lead_names,
    near_in_time,
    other_names,
    pair_features,
    recalled,
    shortness,
    written_after,
)
from dedupe.records import Article, Claim, Entity, Event, Span, TimeRef
from dedupe.settings import Settings

from .conftest import ROOT

D = dt.date


def scipy_average(S: np.ndarray, threshold: float) -> list[set[int]]:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    D_ = 1.0 - S
    np.fill_diagonal(D_, 0.0)
    labels = fcluster(linkage(squareform(D_), "average"), 1.0 - threshold, "distance")
    return partition(labels)


def partition(labels) -> list[set[int]]:
    groups: dict = {}
    for n, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(n)
    return sorted(groups.values(), key=min)


def dense_pairs(S: np.ndarray):
    i, j = np.triu_indices(len(S), 1)
    return i, j, S[i, j]


@pytest.mark.parametrize("seed", range(20))
def test_average_link_equals_scipy_average_linkage(seed):
    rng = np.random.default_rng(seed)
    # 3 loose blobs of unit vectors, so merges happen at many different heights
    centres = rng.standard_normal((3, 8))
    X = centres[rng.integers(0, 3, 15)] + 0.8 * rng.standard_normal((15, 8))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    S = X @ X.T
    for threshold in (0.2, 0.5, 0.7):
        ours = average_link(len(S), *dense_pairs(S), threshold)
        assert partition(ours) == scipy_average(S, threshold)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000), st.randoms(use_true_random=False))
def test_average_link_does_not_depend_on_pair_order(seed, shuffler):
    rng = np.random.default_rng(seed)
    S = rng.random((9, 9))
    S = (S + S.T) / 2
    i, j, s = dense_pairs(S)
    order = list(range(len(i)))
    shuffler.shuffle(order)
    # sparse input: drop the weakest pairs, as candidate search does
    keep = [k for k in order if s[k] > 0.3]
    shuffled = average_link(9, i[keep], j[keep], s[keep], 0.5)
    ordered = average_link(9, i[sorted(keep)], j[sorted(keep)], s[sorted(keep)], 0.5)
    assert shuffled.tolist() == ordered.tolist()


def test_average_link_respects_a_veto():
    S = np.array([[1.0, 0.9, 0.8], [0.9, 1.0, 0.85], [0.8, 0.85, 1.0]])
    assert partition(average_link(3, *dense_pairs(S), 0.5)) == [{0, 1, 2}]
    # node 2 may never join a cluster holding node 0
    vetoed = average_link(3, *dense_pairs(S), 0.5, lambda a, b, mean: not ({0, 2} <= set(a + b)))
    assert partition(vetoed) == [{0, 1}, {2}]
    # the veto sees the mean similarity: {0, 1} (0.9) may merge, {0, 1} + {2} (0.825) not
    strict = average_link(3, *dense_pairs(S), 0.5, lambda a, b, mean: mean >= 0.88)
    assert partition(strict) == [{0, 1}, {2}]


def test_average_link_with_a_link_threshold_needs_one_strong_pair():
    # 0 and 1 are one story; 2 is weakly like both (0.25 each): its mean reaches 0.2
    weak = np.array([[1.0, 0.9, 0.25], [0.9, 1.0, 0.25], [0.25, 0.25, 1.0]])
    assert partition(average_link(3, *dense_pairs(weak), 0.2)) == [{0, 1, 2}]
    assert partition(average_link(3, *dense_pairs(weak), 0.2, link=0.3)) == [{0, 1}, {2}]
    # one pair of 0.35 (with 2's other pair at 0.15, the same mean) is a confident link
    linked = np.array([[1.0, 0.9, 0.15], [0.9, 1.0, 0.35], [0.15, 0.35, 1.0]])
    assert partition(average_link(3, *dense_pairs(linked), 0.2, link=0.3)) == [{0, 1, 2}]


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000))
def test_average_link_clusters_each_component_of_strong_pairs_on_its_own(seed):
    """What nightly regrouping relies on: with a link threshold, clustering the components of
    pairs reaching it one by one gives the clusters of clustering everything at once."""
    from dedupe.events.cluster import connected_components

    rng = np.random.default_rng(seed)
    S = rng.random((12, 12)) ** 2  # mostly weak pairs, a few strong ones
    S = (S + S.T) / 2
    i, j, s = dense_pairs(S)
    whole = partition(average_link(12, i, j, s, 0.2, link=0.5))
    strong = s >= 0.5
    components = connected_components(12, i[strong], j[strong])
    parts: list[set[int]] = []
    for label in set(components.tolist()):
        nodes = np.flatnonzero(components == label)
        sub = S[np.ix_(nodes, nodes)]
        labels = average_link(len(nodes), *dense_pairs(sub), 0.2, link=0.5)
        parts += [{int(nodes[n]) for n in group} for group in partition(labels)]
    assert whole == sorted(parts, key=min)


def test_an_undated_article_joins_a_dated_event_only_on_stronger_evidence():
    times = {"a": ((D(2025, 10, 15),) * 2, None), "b": ((D(2025, 10, 16),) * 2, None)}
    times["u"] = (None, None)
    base = Settings(event_threshold=0.4, event_undated_threshold=0.5)

    def groups(p_undated: float) -> list[tuple[str, ...]]:
        scores = {("a", "b"): 0.9, ("a", "u"): p_undated, ("b", "u"): p_undated}
        return cluster_articles(["a", "b", "u"], times, scores, base)

    # 0.45 would link two dated articles, but time cannot vouch for the undated one
    assert groups(0.45) == [("a", "b"), ("u",)]
    assert groups(0.55) == [("a", "b", "u")]
    # two undated articles need only the ordinary threshold
    undated = {a: (None, None) for a in "abu"}
    scores = {("a", "b"): 0.9, ("a", "u"): 0.45, ("b", "u"): 0.45}
    assert cluster_articles(["a", "b", "u"], undated, scores, base) == [("a", "b", "u")]


# ------------------------------------------------------------------ profiles by hand


def profile(name: str, day: dt.date | None, vector, words=("Kyiv",), people=("zelensky",)):
    article = Article(id=name, title=name, text=" ".join(words), source="s", path=name)
    v = np.asarray(vector, dtype=np.float32)
    v = v / np.linalg.norm(v)
    people_w = {p: 1.0 for p in people}
    return Profile(
        article=dataclasses.replace(article, published=day),
        window=(day, day) if day else None,
        participants={f"per:{p}": 1.0 for p in people},
        names=people_w,
        salience={p: 1 / np.sqrt(len(people)) for p in people},
        length=len(words),
        claim_vectors=v[None, :],
        vector=v,
    )


def test_same_story_links_and_the_same_story_a_year_later_does_not():
    base = Settings()
    a = profile("a", D(2025, 10, 15), [1, 0.1, 0])
    b = profile("b", D(2025, 10, 17), [1, 0.12, 0])
    later = profile("c", D(2024, 9, 19), [1, 0.11, 0])
    # identical text and people: only time tells the 2024 visit apart
    assert pair_score(a, later, base) > base.event_threshold
    state = update_events(None, [a, b, later], base)
    assert state.groups == (("a", "b"), ("c",))


def test_unknown_dates_never_block_but_written_after_does():
    assert time_compatible(None, (D(2020, 1, 1), D(2020, 1, 1)), 10)
    day = (D(2004, 7, 28), D(2004, 7, 28))
    # an undated obituary naming December 2008 cannot be about a death reported in 2004 ...
    assert not TimeBounds(None, D(2008, 12, 18)).agrees(TimeBounds(day, None), 10)
    # ... but may be about one reported in 2009, and never blocks another undated story
    assert TimeBounds(None, D(2008, 12, 18)).agrees(TimeBounds((D(2009, 1, 2),) * 2, None), 10)
    assert TimeBounds(None, D(2008, 12, 18)).agrees(TimeBounds(None, None), 10)
    claims = [
        claim("c1", "x", "Felt died on Thursday, December 18, 2008.", (D(2008, 12, 18), "day")),
        claim("c2", "x", "The film opens in May 2030.", (D(2030, 5, 1), "month"), "planned"),
    ]
    assert written_after(claims) == D(2008, 12, 18)  # the planned 2030 release does not count


def test_near_in_time_falls_with_the_gap():
    a = profile("a", D(2025, 1, 1), [1, 0])
    assert near_in_time(a, profile("b", D(2025, 1, 1), [1, 0])) == 1.0
    assert near_in_time(a, profile("b", D(2025, 1, 15), [1, 0])) == pytest.approx(np.exp(-1))
    assert near_in_time(a, profile("b", None, [1, 0])) == 0.0


def test_pair_features_are_symmetric_and_bounded():
    a = profile("a", D(2025, 1, 1), [1, 0.3, 0], words=("Reid", "Promises", "33"))
    b = profile("b", None, [0.8, 0.5, 0.1], words=("Reid", "Malibu"), people=("reid", "ketsoyan"))
    f = pair_features(a, b)
    assert np.allclose(f, pair_features(b, a))
    assert ((f >= 0) & (f <= 1 + 1e-6)).all()
    assert pair_score(a, b, Settings()) == pair_score(b, a, Settings())


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 4))
def test_incremental_updates_equal_one_batch(seed, runs):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((4, 6))
    days = [D(2025, 1, 1), D(2025, 1, 3), D(2025, 6, 1), None]
    profiles = []
    for n in range(16):
        k = int(rng.integers(0, 4))
        vector = centres[k] + 0.5 * rng.standard_normal(6)
        day = days[int(rng.integers(0, 4))]
        words = [f"Name{k}", f"Place{int(rng.integers(0, 3))}"]
        profiles.append(profile(f"art{n:02d}", day, vector, words, people=(f"p{k}",)))
    base = Settings(event_candidate_similarity=0.0)
    batch = update_events(None, profiles, base)
    order = rng.permutation(len(profiles))
    state: EventState | None = None
    for chunk in np.array_split(order, runs):
        state = update_events(state, [profiles[i] for i in chunk], base)
    assert state is not None
    assert state.groups == batch.groups
    assert state.scores == batch.scores


def test_replacing_an_article_regroups_what_it_held_together():
    base = Settings(event_candidate_similarity=0.0)
    a = profile("a", D(2025, 1, 1), [1, 0, 0])
    b = profile("b", D(2025, 1, 2), [1, 0.05, 0])
    first = update_events(None, [a, b], base)
    assert first.groups == (("a", "b"),)
    # b is re-read with a date a year later: it leaves a's event
    moved = dataclasses.replace(b, window=(D(2026, 1, 2), D(2026, 1, 2)))
    again = update_events(first, [moved], base)
    assert again.groups == (("a",), ("b",))
    assert again.groups == update_events(None, [a, moved], base).groups


# ------------------------------------------------------------------ labels


def claim(
    cid, article, text, when=None, modality="asserted", predicate="", headline=False, ents=()
):
    times = ()
    if when:
        day, granularity = when
        times = (TimeRef(Span(0, 1, "x"), day, day, granularity),)
    entities = tuple(Entity(Span(0, len(t), t), "PERSON", k) for k, t in ents)
    return Claim(
        id=cid,
        article_id=article,
        sentence=Span(len(cid), len(cid) + len(text), text),
        predicate=predicate,
        modality=modality,
        times=times,
        is_headline=headline,
        entities=entities,
    )


def test_main_action_prefers_what_the_articles_lead_with():
    zel = [("per:zelensky", "Volodymyr Zelensky")]
    claims = [
        claim("a1", "a", "Zelensky meets Trump", predicate="meet", headline=True, ents=zel),
        claim("a2", "a", "He said the talks were good.", predicate="say", ents=zel),
        # one article that discusses drones at length cannot outvote the headlines
        *[claim(f"b{n}", "b", "Drones were discussed.", predicate="discuss") for n in range(9)],
        claim("b9", "b", "Zelensky met Trump on Friday.", predicate="meet", ents=zel),
        claim("c1", "c", "Zelensky will not meet Putin.", predicate="meet", ents=zel),
        claim(
            "d1",
            "d",
            "Jim O'Brien out as coach",
            predicate="o'brien",
            headline=True,
            ents=[("per:obrien", "Jim O'Brien")],
        ),
        claim("e1", "e", "Zelensky Heads To White House", predicate="heads", headline=True),
    ]
    assert main_action(claims[:-2], {"per:zelensky"}) == "meet"
    # a name parsed as the root is not an action; a title-case verb parsed as a plural is
    assert main_action(claims[-2:-1], set()) == ""
    assert main_action(claims[-1:], set()) == "head"


def test_label_names_people_action_and_dates():
    claims = [
        claim("a1", "a", "Zelensky", ents=[("per:zelensky", "Volodymyr Zelensky")]),
        claim("a2", "a", "Trump", ents=[("per:trump", "Donald Trump"), ("per:trump", "Trump")]),
    ]
    names = display_names(claims)
    assert names == {"per:zelensky": "Zelensky", "per:trump": "Trump"}
    from collections import Counter

    main = main_participants(Counter({"per:zelensky": 9, "per:trump": 6, "per:rutte": 1}))
    assert main == ["per:zelensky", "per:trump"]  # Rutte is mentioned in passing only
    label = event_label(["Zelensky", "Trump"], "meet", D(2025, 10, 15), D(2025, 10, 18))
    assert label == "Zelensky, Trump · meet · 2025-10-15 to 2025-10-18"
    assert event_label([], "", None, None) == "unlabelled event"


# ------------------------------------------------------------------ short items and follow-ups


def test_keywords_weigh_words_by_rarity_whatever_their_case():
    title_case = keywords("Powerful Quake Hits Nepal, Officials Said")
    assert title_case == keywords("powerful quake hits nepal, officials said")
    # "said" is among English's commonest words (Zipf 6.0), "Nepal" and "quake" are not
    # (about 3.5 to 4): their weight is several times its weight
    assert min(title_case["nepal"], title_case["quake"]) > 2 * title_case["said"]
    assert "the" not in keywords("the quake")  # stop words never count
    assert sum(v * v for v in title_case.values()) == pytest.approx(1.0)


def test_a_headline_pair_is_short_and_a_pair_of_full_articles_is_not():
    line = profile("a", None, [1, 0], words=("Quake", "hits", "Nepal"))
    story = profile("b", None, [1, 0], words=("word",) * 400)
    assert shortness(line, line) > 0.85  # 3 words: exp(-3/20)
    assert shortness(line, story) == shortness(line, line)  # the shorter article decides
    assert shortness(story, story) < 1e-6  # 400 words: exp(-20)


def lead(text: str, day: dt.date, granularity: str = "day", headline: bool = False) -> Claim:
    return claim("c" + text[:8], "x", text, (day, granularity), headline=headline)


def test_a_lead_about_a_past_happening_dates_a_follow_up():
    published = D(2007, 9, 20)
    shooting = lead("Five months after the April 2007 shooting, ...", D(2007, 4, 1), "month")
    assert recalled(published, [shooting]) == (D(2007, 4, 1), D(2007, 4, 1))
    # a lead naming last Friday reports news of its own week: the publish date stays
    friday = lead("On Friday, a gunman ...", published - dt.timedelta(days=FOLLOW_UP_DAYS))
    assert recalled(published, [friday]) is None
    assert recalled(published, [shooting, friday]) is None  # the recent date wins
    # only the title and first sentence count: a later sentence names history
    later = dataclasses.replace(shooting, sentence=Span(500, 540, "Police recalled April."))
    first = claim("first", "x", "A memorial opened.")
    assert recalled(published, [first, later]) is None
    article = Article(id="x", title="t", text="x", source="s", path="x", published=published)
    assert article_window(article, [shooting]) == (D(2007, 4, 1), D(2007, 4, 1))
    assert article_window(article, [friday]) == (published, published)


def test_a_follow_up_joins_its_event_and_says_so_on_the_timeline():
    base = Settings()
    a = profile("a", D(2007, 4, 16), [1, 0.1, 0])
    b = profile("b", D(2007, 4, 17), [1, 0.12, 0])
    late = profile("c", D(2007, 9, 20), [1, 0.11, 0])
    # published five months later about the same happening: time alone keeps it apart ...
    assert update_events(None, [a, b, late], base).groups == (("a", "b"), ("c",))
    # ... unless its lead dates it in April (its window is the happening's, not its own)
    follow_up = dataclasses.replace(late, window=(D(2007, 4, 16), D(2007, 4, 16)))
    state = update_events(None, [a, b, follow_up], base)
    assert state.groups == (("a", "b", "c"),)
    event = Event(
        id="e", label="l", article_ids=("a", "b", "c"), claim_ids=(),
        start=D(2007, 4, 16), end=D(2007, 4, 17),
    )  # fmt: skip
    articles = {p.article.id: p.article for p in (a, b, follow_up)}
    timeline = add_timelines([event], articles, [])[0].timeline
    assert [t.kind for t in timeline] == ["article", "article", "follow_up"]
    assert "156 days after the event" in timeline[-1].text  # April 17 to September 20


def test_participant_weights_do_not_depend_on_the_process_string_hashing():
    # 20 people named once each: the 12 kept are a tie, which a frozenset's order (it changes
    # with PYTHONHASHSEED) used to break, so two runs of one input labelled and grouped apart
    code = (
        "from dedupe.events.profiles import participant_weights\n"
        "from dedupe.records import Claim, Entity, Span\n"
        "names = 'abcdefghijklmnopqrst'\n"
        "people = tuple(Entity(Span(0, 1, n), 'PERSON', 'per:' + n) for n in names)\n"
        "claim = Claim('c', 'a', Span(0, 1, 'x'), 'meet', entities=people)\n"
        "print(list(participant_weights([claim])))\n"
    )
    kept = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=os.environ | {"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert kept == {f"{[f'per:{n}' for n in 'abcdefghijkl']}\n"}


# ------------------------------------------------------------------ who leads: other_names


def led_by(name: str, title: str, text: str, entities: list[tuple[str, str]]) -> Profile:
    """A profile whose title claim names `entities` ((label, text) pairs)."""
    article = Article(id=name, title=title, text=f"{title}\n\n{text}", source="s", path=name)
    ents = tuple(Entity(Span(0, len(t), t), label, t.lower()) for label, t in entities)
    head = dataclasses.replace(claim(name + "h", name, title, headline=True), entities=ents)
    return dataclasses.replace(
        profile(name, D(1987, 3, 2), [1, 0]),
        article=article,
        lead_names=lead_names([head]),
    )  # its text words come from the new article


def test_lead_names_take_each_actor_by_its_rarest_word_and_leave_places_out():
    head = claim("h", "a", "t", headline=True)
    ents = (
        Entity(Span(0, 18, "Apple Computer Inc"), "ORG", "org:aple computer inc"),
        Entity(Span(0, 12, "Lockheed's"), "ORG", "org:lockheed"),
        Entity(Span(0, 5, "Texas"), "GPE", "gpe:texas"),  # a place, not an actor
    )
    # "Inc" is a legal form, "Computer" commoner than "Apple" (Zipf 5.0 and 4.8)
    assert lead_names([dataclasses.replace(head, entities=ents)]) == {"aple", "lockhed"}
    # past the first sentence, names do not lead
    later = dataclasses.replace(
        head, is_headline=False, sentence=Span(900, 910, "x"), entities=ents
    )
    first = claim("f", "a", "A first sentence.")
    assert lead_names([first, later]) == frozenset()


def test_other_names_tells_two_companies_look_alike_reports_apart():
    lockheed = led_by(
        "a",
        "Lockheed Gets 80.0 Mln Dlr Contract",
        "Lockheed Corp said the Air Force ...",
        [("ORG", "Lockheed")],
    )
    boeing = led_by(
        "b",
        "Boeing Gets 34.6 Mln Dlr Contract",
        "Boeing Co said the Navy ...",
        [("ORG", "Boeing")],
    )
    again = led_by(
        "c",
        "Lockheed Wins Navy Work",
        "The Navy awarded Lockheed Corp ...",
        [("ORG", "Lockheed Corp"), ("ORG", "Navy")],
    )
    assert other_names(lockheed, boeing) == other_names(boeing, lockheed) == 1.0
    # one report of the same company names it, the other also the Navy, which the first
    # never names: half of one lead is missing from the other, none of the other's
    assert other_names(lockheed, again) == 0.0
    nobody = led_by("d", "Contract Awarded", "A contract was awarded.", [])
    assert other_names(lockheed, nobody) == 0.0  # a lead naming nobody tells nothing
    assert pair_features(lockheed, boeing)[-1] == 1.0
