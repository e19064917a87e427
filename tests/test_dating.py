"""Dating undated articles: clues from stated durations, named dates and titles, and how they
are weighed against each other."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedupe.events.dating import anchor_clues, date_articles, inferred_windows, title_clues
from dedupe.knowledge import daysets
from dedupe.knowledge.officeholders import load_officeholders
from dedupe.knowledge.windows import combine, event_window
from dedupe.records import Article, Claim, DateClue, Role, Span

D = dt.date
TODAY = D(2025, 10, 20)


def sentence_claim(text, article_id="a", **kw):
    return Claim(
        id=f"c-{hash(text)}",
        article_id=article_id,
        sentence=Span(0, len(text), text),
        predicate="x",
        **kw,
    )


def clue(first, last, weight=1.0, key="", name="c"):
    return DateClue("officeholder", name, 0, 0, daysets.span(first, last), name, weight, key)


def test_nearly_300_days_after_the_invasion_is_late_2022():
    [c] = anchor_clues(
        [
            sentence_claim(
                "Zelensky makes his first trip since Russia invaded Ukraine nearly 300 days ago."
            )
        ],
        TODAY,
    )
    [(first, last)] = c.intervals
    # "nearly 300" is 270 to 300 days after 2022-02-24, plus 3 days' publishing slack; the
    # seed article was published on 2022-12-21, day 300
    assert (first, last) == (D(2022, 11, 21), D(2022, 12, 24))
    assert c.kind == "anchor" and c.text == "nearly 300 days ago" and c.weight == 2.0


@pytest.mark.parametrize(
    "text,first,last",
    [
        # the fourth year of the war began on 2025-02-24; capped at the day of the run
        ("As the war in Ukraine enters its fourth year, NATO met.", D(2025, 2, 24), TODAY),
        # 2025-02-24 give or take two weeks, plus 3 days' slack
        (
            "On the third anniversary of Russia's invasion, leaders met.",
            D(2025, 2, 10),
            D(2025, 3, 13),
        ),
        # ten to eleven months (304 to 334 days) after 2023-10-07, plus 3 days' slack
        ("Ten months after the October 7 attack, talks resumed.", D(2024, 8, 6), D(2024, 9, 8)),
    ],
)
def test_durations_counted_from_named_events(text, first, last):
    [c] = anchor_clues([sentence_claim(text)], TODAY)
    assert c.intervals == ((first, last),)


def test_no_clue_without_a_named_event_in_the_same_sentence():
    assert not anchor_clues([sentence_claim("Drone warfare, now in its fourth year, grew.")], TODAY)
    assert not anchor_clues([sentence_claim("The war has lasted 30 months.")], TODAY)


def test_title_clues_come_from_the_table():
    kb = load_officeholders()
    biden = Role(Span(0, 9, "President"), "Joe Biden", "per:biden", "President", "president")
    former = Role(
        Span(0, 21, "former U.S. President"),
        "Donald Trump",
        "per:trump",
        "former U.S. President",
        "president",
        "USA",
        "former",
    )
    clues = title_clues([sentence_claim("x", roles=(biden, former))], kb, TODAY)
    by_text = {c.text: c.intervals for c in clues}
    assert by_text["President"] == ((D(2021, 1, 20), D(2025, 1, 20)),)
    # "former" is right only between his terms (both end days belong to the terms)
    assert by_text["former U.S. President"] == ((D(2021, 1, 21), D(2025, 1, 19)),)


def test_a_title_outside_the_window_is_outvoted():
    trump = clue(D(2025, 1, 20), TODAY, name="trump")
    hegseth = clue(D(2025, 1, 25), TODAY, name="hegseth")
    anchor = clue(D(2025, 2, 24), TODAY, weight=2.0, name="fourth year")
    former_trump = clue(D(2021, 1, 21), D(2025, 1, 19), name="former trump")
    estimate = combine([trump, hegseth, anchor, former_trump])
    assert (estimate.start, estimate.end) == (D(2025, 2, 24), TODAY)
    agrees = {c.text: c.agrees for c in estimate.clues}
    assert agrees == {"trump": True, "hegseth": True, "fourth year": True, "former trump": False}
    # a title that fits part of the window narrows it: the article alone cannot tell that
    # Scholz is the wrong one (the check leaves him out and asks the event instead)
    scholz = clue(D(2021, 12, 8), D(2025, 5, 6), name="scholz")
    estimate = combine([trump, hegseth, anchor, former_trump, scholz])
    assert (estimate.start, estimate.end) == (D(2025, 2, 24), D(2025, 5, 6))


def test_tied_periods_choose_the_latest_and_keep_the_others():
    two_terms = DateClue(
        "officeholder",
        "President Trump",
        0,
        0,
        ((D(2017, 1, 20), D(2021, 1, 20)), (D(2025, 1, 20), TODAY)),
        "",
    )
    estimate = combine([two_terms])
    assert (estimate.start, estimate.end) == (D(2025, 1, 20), TODAY)
    assert estimate.alternatives == ((D(2017, 1, 20), D(2021, 1, 20)),)
    assert combine([]) is None


day_numbers = st.integers(0, 40)


@given(st.lists(st.tuples(day_numbers, day_numbers, st.sampled_from([1.0, 2.0])), max_size=6))
def test_the_window_has_the_most_weight_and_ignores_clue_order(raw):
    base = D(2024, 1, 1)
    clues = [
        clue(
            base + dt.timedelta(days=min(a, b)), base + dt.timedelta(days=max(a, b)), w, name=str(i)
        )
        for i, (a, b, w) in enumerate(raw)
    ]
    estimate = combine(clues)
    if not clues:
        assert estimate is None
        return
    assert (estimate.start, estimate.end) == (
        (e := combine(list(reversed(clues)))).start,
        e.end,
    )

    def weight(day):
        return sum(
            c.weight for c in clues if daysets.intersect(c.intervals, daysets.span(day, day))
        )

    best = max(weight(base + dt.timedelta(days=n)) for n in range(41))
    day = estimate.start
    while day <= estimate.end:
        assert weight(day) == best
        day += dt.timedelta(days=1)


def test_event_window_leaves_out_the_title_under_test_and_uses_dated_neighbours():
    scholz = clue(D(2021, 12, 8), D(2025, 5, 6), key="per:scholz|head of government")
    trump = clue(D(2025, 1, 20), TODAY, key="per:trump|head of state")
    undated = Article("u", "", "", "Outlet U", "u.txt", date_estimate=combine([scholz, trump]))
    dated = Article("d", "", "", "Outlet D", "d.txt", published=D(2025, 10, 15))
    alone = event_window(undated, [undated], "per:scholz|head of government", 10)
    assert alone == (D(2025, 1, 20), TODAY)
    with_neighbour = event_window(undated, [undated, dated], "per:scholz|head of government", 10)
    # the neighbour's date, give or take the event gap, outweighs the titles
    assert with_neighbour == (D(2025, 10, 5), TODAY)


def test_only_undated_articles_get_an_estimate():
    dated = Article("d", "", "", "s", "d.txt", published=D(2024, 9, 19))
    undated = Article("u", "", "", "s", "u.txt")
    claims = [
        sentence_claim("Zelensky visits, nearly 300 days after Russia invaded Ukraine.", "u"),
        sentence_claim("Zelensky visits, nearly 300 days after Russia invaded Ukraine.", "d"),
    ]
    out = date_articles([dated, undated], claims, None, TODAY)
    assert out[0] is dated and out[1].date_estimate is not None
    assert inferred_windows(out) == {"u": (D(2022, 11, 21), D(2022, 12, 24))}


def test_event_window_ignores_a_neighbours_outvoted_title():
    # the seeds' case: 004 calls Trump "former U.S. President" in October 2025, a clue its own
    # other clues outvote; widened by the event gap it must not drag 000's window back to
    # early 2025, where 000's "German Chancellor Olaf Scholz" would look right
    scholz = clue(D(2021, 12, 8), D(2025, 5, 6), key="per:scholz|head of government")
    trump = clue(D(2025, 1, 20), TODAY, key="per:trump|head of state")
    undated = Article("u", "", "", "Outlet U", "u.txt", date_estimate=combine([scholz, trump]))
    anchor = clue(D(2025, 2, 24), TODAY, weight=2.0, name="enters its fourth year")
    former = clue(D(2021, 1, 21), D(2025, 1, 19), key="per:trump|head of state", name="former")
    hegseth = clue(D(2025, 1, 25), TODAY, key="per:hegseth|defense minister")
    neighbour = Article(
        "n", "", "", "Outlet N", "n.txt", date_estimate=combine([anchor, former, hegseth])
    )
    assert not [c for c in neighbour.date_estimate.clues if c.text == "former"][0].agrees
    window = event_window(undated, [undated, neighbour], "per:scholz|head of government", 30)
    # the agreeing clues widened by 30 days overlap from 2025-01-25 (the anchor's start less
    # the gap) to the run's day
    assert window == (D(2025, 1, 25), TODAY)
