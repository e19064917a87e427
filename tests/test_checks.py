"""Each consistency check on hand-built claims (no model needed: similarity is set by hand)."""

import dataclasses
import datetime as dt
import tracemalloc

import numpy as np
import pytest

from dedupe.checks import (
    BLOCK_FLOATS,
    EventContext,
    dates,
    numbers,
    officeholders,
    outcomes,
    places,
    similarity_rows,
)
from dedupe.checks.wording import negation_flip, stem
from dedupe.claims.quantities import AGE
from dedupe.records import (
    Article,
    Change,
    Claim,
    Entity,
    Event,
    Finding,
    Quantity,
    Role,
    Span,
    TimeRef,
)
from dedupe.settings import Settings

D1, D2 = dt.date(2025, 10, 15), dt.date(2025, 10, 18)


def art(n, published=D1, source=None):
    return Article(
        id=f"a{n}", title="", text="", source=source or f"Source {n}", path="", published=published
    )


def claim(n, article, text="x", predicate="meet", **kw):
    return Claim(
        id=f"c{n}",
        article_id=article.id,
        sentence=Span(0, len(text), text),
        predicate=predicate,
        **kw,
    )


def context(articles, claims, sim=0.9):
    """Every pair of claims has similarity `sim` (1 on the diagonal)."""
    n = len(claims)
    # unit vectors whose pairwise dot products are all `sim`: shared part + private part
    X = np.zeros((n, n + 1), dtype=np.float32)
    X[:, 0] = np.sqrt(sim)
    X[np.arange(n), np.arange(n) + 1] = np.sqrt(1 - sim)
    event = Event(
        "evt", "label", tuple(a.id for a in articles), tuple(c.id for c in claims), D1, D2
    )
    return EventContext(event, claims, X, {a.id: a for a in articles}, Settings())


def role(title, office="president", qualifier=None, person="Donald Trump"):
    return Role(Span(0, 1, title), person, "per:trump", title, office, None, qualifier)


def findings(items):
    return [x for x in items if isinstance(x, Finding)]


def test_current_vs_former_title_in_one_event_is_a_finding_with_both_sides():
    a, b, c = art(1), art(2, D2), art(3)
    claims = [
        claim(1, a, roles=(role("President"),)),
        claim(2, b, roles=(role("President"),)),
        claim(3, c, roles=(role("former U.S. President", qualifier="former"),)),
    ]
    [f] = findings(officeholders.check(context([a, b, c], claims)))
    assert f.kind == "officeholder" and f.values == ("President", "former U.S. President")
    assert {e.article_id for e in f.evidence} == {"a1", "a2", "a3"}
    assert "Donald Trump" in f.reason


def test_same_title_everywhere_and_historical_titles_are_clean():
    a, b = art(1), art(2)
    same = [claim(1, a, roles=(role("President"),)), claim(2, b, roles=(role("U.S. President"),))]
    assert not list(officeholders.check(context([a, b], same)))
    then = [
        claim(1, a, roles=(role("President"),)),
        claim(2, b, roles=(role("then-President", qualifier="then"),)),
    ]
    assert not list(officeholders.check(context([a, b], then)))
    vice = [
        claim(1, a, roles=(role("President"),)),
        claim(2, b, roles=(role("former Vice President", qualifier="former vice"),)),
    ]
    assert not list(officeholders.check(context([a, b], vice)))


def ent(key, label="PERSON"):
    return Entity(Span(0, 1, key), label, key)


def test_opposite_asserted_outcomes_conflict():
    a, b = art(1), art(2)
    people = (ent("per:trump"),)
    yes = "Trump approved the transfer of Tomahawk missiles to Ukraine on Friday."
    no = "Trump declined to approve the transfer of Tomahawk missiles to Ukraine on Friday."
    claims = [
        claim(1, a, yes, predicate="approve", object="the transfer", entities=people),
        claim(2, b, no, predicate="decline approve", object="the transfer", entities=people),
    ]
    [f] = findings(outcomes.check(context([a, b], claims)))
    assert f.kind == "outcome" and f.severity == "error"
    assert f.values == ("approve the transfer", "decline to approve the transfer")
    # the same verbs in two different statements are two happenings, not a conflict
    other = "Trump declined to approve new sanctions on Russian oil exports, aides said."
    claims[1] = claim(
        2, b, other, predicate="decline approve", object="the transfer", entities=people
    )
    assert not findings(outcomes.check(context([a, b], claims)))


def test_plan_then_outcome_is_a_status_change_not_a_conflict():
    a, b = art(1, D1), art(2, D2)
    people = (ent("per:trump"),)
    claims = [
        claim(
            1,
            a,
            predicate="weigh",
            object="Ukraine 's request",
            modality="planned",
            entities=people,
        ),
        claim(2, b, predicate="decline approve", object="the transfer", entities=people),
    ]
    items = list(outcomes.check(context([a, b], claims)))
    assert not findings(items)
    [change] = items
    assert isinstance(change, Change) and change.kind == "status_change"


def test_negation_flips_an_outcome_and_unrelated_claims_are_not_compared():
    a, b = art(1), art(2)
    people = (ent("per:smith"),)
    yes, no = (
        "Smith won the election in Ohio on Tuesday.",
        "Smith did not win the election in Ohio.",
    )
    won = claim(1, a, yes, predicate="win", object="the election", entities=people)
    lost = claim(2, b, no, predicate="win", object="the election", negated=True, entities=people)
    assert outcomes.outcome(lost) == ("contest", "-")
    assert findings(outcomes.check(context([a, b], [won, lost])))
    text = "Jones did not lose weight over the winter, his trainer said."
    other = claim(3, b, text, predicate="lose", object="weight", entities=(ent("per:jones"),))
    assert not findings(outcomes.check(context([a, b], [won, other])))


def qty(text, value, unit="count", head="drone", low=None, high=None, approximate=False, at=0):
    return Quantity(
        Span(at, at + len(text), text),
        value,
        low if low is not None else value,
        high if high is not None else value,
        unit,
        head,
        approximate,
    )


def counted(n, article, number, value, noun="drones", **kw):
    """A claim "The army ordered NUMBER NOUN from the factory." with its quantity."""
    text = f"The army ordered {number} {noun} from the factory."
    at = text.index(number)
    return claim(n, article, text, quantities=(qty(number, value, at=at, **kw),))


def test_numbers_conflict_only_for_the_same_unit_and_noun():
    a, b = art(1), art(2)
    c1 = counted(1, a, "85,000", 85000)
    c2 = counted(2, b, "50,000", 50000)
    [f] = findings(numbers.check(context([a, b], [c1, c2])))
    assert f.values == ("85,000 count", "50,000 count") and f.subject == "drone"
    assert [e.value for e in f.evidence] == ["85,000", "50,000"]
    c3 = counted(3, b, "50,000", 50000, noun="soldiers", head="soldier")
    assert not findings(numbers.check(context([a, b], [c1, c3])))
    c4 = counted(4, b, "nearly 90,000", 90000, low=81000, approximate=True)
    assert not findings(numbers.check(context([a, b], [c1, c4])))


def test_numbers_in_different_statements_are_not_compared():
    # a season's yards and a game's yards: the same noun, not the same happening (ECB+ dev)
    a, b = art(1), art(2)
    season = "Jackson had his finest season in 2008 with 59 receptions for 1,098 yards."
    game = "In the first meeting with the Steelers, Jackson was held to two catches for 25 yards."
    c1 = claim(
        1, a, season, quantities=(qty("1,098", 1098, head="yard", at=season.index("1,098")),)
    )
    c2 = claim(2, b, game, quantities=(qty("25", 25, head="yard", at=game.index("25")),))
    assert not findings(numbers.check(context([a, b], [c1, c2])))
    # one statement, the numbers written in different units: 60m is not 200 of anything
    m, ft = "He fell about 60m from a ridge.", "He fell about 200ft from a ridge."
    c3 = claim(3, a, m, quantities=(qty("about 60m", 60, head="", at=m.index("about")),))
    c4 = claim(4, b, ft, quantities=(qty("about 200ft", 200, head="", at=ft.index("about")),))
    assert not findings(numbers.check(context([a, b], [c3, c4])))


def test_rising_running_count_in_a_later_article_is_an_update():
    a, b = art(1, D1), art(2, D2)
    c1 = counted(1, a, "12", 12, noun="deaths", head="death")
    c2 = counted(2, b, "30", 30, noun="deaths", head="death")
    [change] = list(numbers.check(context([a, b], [c1, c2])))
    assert isinstance(change, Change) and change.kind == "update"


def tref(start, end=None, granularity="day", text="t", at=0, relative=False):
    return TimeRef(
        Span(at, at + len(text), text), start, end or start, granularity, False, relative
    )


def dated(n, article, when, start, end=None, granularity="day", relative=False):
    text = f"The leaders met in Kyiv on {when} to discuss the accord."
    at = text.index(when)
    return claim(n, article, text, times=(tref(start, end, granularity, when, at, relative),))


def test_dates_respect_granularity():
    a, b = art(1), art(2)
    day = dated(1, a, "26 September", dt.date(2024, 9, 26))
    month = dated(2, b, "September", dt.date(2024, 9, 1), dt.date(2024, 9, 30), "month")
    other = dated(3, b, "27 September", dt.date(2024, 9, 27))
    assert not findings(dates.check(context([a, b], [day, month])))
    [f] = findings(dates.check(context([a, b], [day, other])))
    assert f.values == ("2024-09-26", "2024-09-27") and f.severity == "error"


def test_relative_dates_a_day_apart_agree():
    # "this afternoon" in a paper dated a day later (time zones, wire copy reprinted)
    a, b = art(1), art(2)
    today = dated(1, a, "this afternoon", dt.date(2007, 4, 10), relative=True)
    monday = dated(2, b, "Monday", dt.date(2007, 4, 9), relative=True)
    assert not findings(dates.check(context([a, b], [today, monday])))
    week = dated(3, b, "Monday", dt.date(2007, 4, 2), relative=True)
    assert findings(dates.check(context([a, b], [today, week])))


def undated(n, article, when):
    """A date an undated article gives, which cannot be resolved to a day."""
    text = f"Owner Arte Moreno flew to Las Vegas on {when} and met Scott Boras."
    at = text.index(when)
    return claim(
        n, article, text, times=(TimeRef(Span(at, at + len(when), when), None, None, None),)
    )


def test_unresolved_weekdays_and_months_are_compared_by_wording():
    a, b = art(1, None), art(2, None)
    thursday, tuesday = undated(1, a, "Thursday"), undated(2, b, "Tuesday")
    [f] = findings(dates.check(context([a, b], [thursday, tuesday])))
    assert f.values == ("thursday", "tuesday")
    assert findings(dates.check(context([a, b], [undated(1, a, "May"), undated(2, b, "December")])))
    # a day apart is a time zone, as for resolved dates; the same weekday agrees
    assert not findings(dates.check(context([a, b], [thursday, undated(2, b, "Wednesday")])))
    assert not findings(dates.check(context([a, b], [thursday, undated(2, b, "Thursday")])))


def place(key, text, sentence, label="GPE"):
    start = sentence.index(text)
    return Entity(Span(start, start + len(text), text), label, key)


def located(n, article, key, name):
    text = f"Zelensky met the envoys in {name} on Friday."
    return claim(n, article, text, predicate="meet", places=(place(key, name, text),))


def test_places_conflict_but_containment_does_not():
    a, b = art(1), art(2)
    kyiv = located(1, a, "loc:UKR", "Kyiv")
    ukraine = located(2, b, "loc:UKR", "Ukraine")
    warsaw = located(3, b, "loc:POL", "Warsaw")
    lviv = located(4, b, "gpe:lviv", "Lviv")
    troy, michigan = located(5, a, "gpe:troy", "Troy"), located(6, b, "gpe:mi", "Michigan")
    nowhere = located(7, b, "gpe:x", "Xanadu Heights")
    assert not findings(places.check(context([a, b], [kyiv, ukraine])))
    # GeoNames knows Lviv: two cities of Ukraine, neither inside the other
    assert findings(places.check(context([a, b], [kyiv, lviv])))
    # there is a Troy in Michigan; a place GeoNames does not know is never compared
    assert not findings(places.check(context([a, b], [troy, michigan])))
    assert not findings(places.check(context([a, b], [kyiv, nowhere])))
    [f] = findings(places.check(context([a, b], [kyiv, warsaw])))
    assert f.values == ("Kyiv", "Warsaw")


def test_places_the_recogniser_labels_apart_are_compared():
    # spaCy calls a city GPE in one sentence and LOC in another: both are places
    a, b = art(1), art(2)
    text = "He had a 162-139 record in {}, the fourth-highest win total in Blazers history."
    portland, houston = text.format("Portland"), text.format("Houston")
    x = claim(1, a, portland, places=(place("gpe:portland", "Portland", portland),))
    y = claim(2, b, houston, places=(place("loc:houston", "Houston", houston, "LOC"),))
    [f] = findings(places.check(context([a, b], [x, y])))
    assert f.values == ("Portland", "Houston")


def aged(n, article, text, age):
    written = next(w.strip(",.") for w in text.split() if w.startswith(str(age)))  # "77-year-old"
    at = text.index(written)
    return claim(n, article, text, quantities=(qty(written, age, AGE, AGE, at=at),))


@pytest.mark.parametrize(
    ("text_a", "age_a", "text_b", "age_b"),
    [
        ("Cheeks, 48, an all-star, was fired.", 48, "The Sixers hired Maurice Cheeks, 72.", 72),
        ("Arcade Joseph Comeaux Jr., 49, escaped.", 49, "Comeaux, 74, took two hostages.", 74),
        ("Police named 77-year-old Trooper William Hakim.", 77, "William Hakim, 51, died.", 51),
    ],
)
def test_one_persons_age_given_differently_is_a_number_conflict(text_a, age_a, text_b, age_b):
    # an age belongs to its person, not its sentence: the claims need not be one statement
    a, b = art(1, D1), art(2, D2)
    x, y = aged(1, a, text_a, age_a), aged(2, b, text_b, age_b)
    [f] = findings(numbers.check(context([a, b], [x, y], sim=0.3)))
    assert f.kind == "number" and f.values == (f"{age_a} age", f"{age_b} age")


@pytest.mark.parametrize(
    ("text_a", "age_a", "text_b", "age_b", "published_b"),
    [
        # a birthday between two reports moves an age by one
        ("Cheeks, 48, was fired.", 48, "Maurice Cheeks, 49, was fired.", 49, D2),
        # brothers share a surname: Mark Vinar, 36, fell; Miles Vinar, 39, watched
        ("Mark Vinar, 36, fell to his death.", 36, "Miles Vinar, 39, saw him fall.", 39, D2),
        ("Vinar, 36, fell to his death.", 36, "Miles Vinar, 39, and Mark Vinar climbed.", 39, D2),
        # the same person years apart
        ("Cheeks, 48, was fired.", 48, "Cheeks, 52, was hired.", 52, dt.date(2030, 1, 1)),
        # two surnames: two people
        ("Jackman, 40, will host.", 40, "Benjamin, 52, was named.", 52, D2),
    ],
)
def test_ages_of_maybe_other_people_or_times_are_not_compared(
    text_a, age_a, text_b, age_b, published_b
):
    a, b = art(1, D1), art(2, published_b)
    x, y = aged(1, a, text_a, age_a), aged(2, b, text_b, age_b)
    b = dataclasses.replace(b, text=text_b)
    assert not findings(numbers.check(context([a, b], [x, y], sim=0.3)))


def test_claims_below_the_similarity_bar_are_never_compared():
    a, b = art(1), art(2)
    c1 = claim(1, a, quantities=(qty("85,000", 85000),))
    c2 = claim(2, b, quantities=(qty("50,000", 50000),))
    assert not list(numbers.check(context([a, b], [c1, c2], sim=0.3)))


def unit_rows(n, d, seed=0):
    X = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    return X / np.linalg.norm(X, axis=1, keepdims=True)


@pytest.mark.parametrize("block_floats", [1, 3 * 50, 10 * 50, BLOCK_FLOATS])
def test_similarity_rows_are_the_rows_of_the_dense_product(block_floats):
    X = unit_rows(50, 8)
    rows = list(similarity_rows(X, block_floats))
    assert [r for r, _ in rows] == list(range(50))
    S = np.vstack([row for _, row in rows])
    # a block is a product of another shape, which BLAS may sum in another order: unit vectors
    # then differ by float rounding (~1e-7), far below any similarity bar of the checks
    np.testing.assert_allclose(S, X @ X.T, atol=1e-6)
    if block_floats == BLOCK_FLOATS:
        # 50 rows are one block: the very product the checks took before blocks
        assert np.array_equal(S, X @ X.T)
    with pytest.raises(ValueError, match="at least 1"):
        next(similarity_rows(X, 0))


def test_a_story_of_12000_claims_is_compared_without_its_dense_matrix():
    # 400 articles x 30 claims; claim 2i+1 repeats claim 2i (a tiny change) in the next
    # article, so the near-duplicate pairs are known: 6,000, each across two articles
    n, per = 12_000, 30
    base = unit_rows(n // 2, 64)
    noise = 0.01 * unit_rows(n // 2, 64, seed=1)
    X = np.repeat(base, 2, axis=0)
    X[1::2] += noise
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    articles = [art(a) for a in range(n // per)]
    claims = [
        Claim(
            id=f"c{k}",
            article_id=articles[k % len(articles)].id,
            sentence=Span(100 * (k // len(articles)), 100 * (k // len(articles)) + 1, "x"),
            predicate="meet",
        )
        for k in range(n)
    ]
    event = Event("evt", "label", tuple(a.id for a in articles), (), D1, D2)
    ctx = EventContext(event, claims, X, {a.id: a for a in articles}, Settings())
    expected = {frozenset((f"c{2 * i}", f"c{2 * i + 1}")) for i in range(n // 2)}

    tracemalloc.start()
    # random unit vectors in 64 dimensions have cosines of about +-0.13; a repeat has ~0.9999,
    # so 0.9 separates them
    crossed = [frozenset((a.id, b.id)) for a, b, _ in ctx.cross_pairs(0.9)]
    aligned = [frozenset((a.id, b.id)) for a, b, _ in ctx.aligned_pairs(0.9, top=1)]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(crossed) == len(aligned) == len(expected)  # each pair once
    assert set(crossed) == set(aligned) == expected
    # the dense matrix alone would be 12,000^2 float32 = 576 MB; blocks are 16 MB, and the
    # next is computed while the last row of the one before is still held (32 MB), plus the
    # pair sets: 64 MB bounds that with room and is 9x below the dense matrix
    assert peak < 64 * 2**20


def quantity(claim_text, number, value, head, unit="count"):
    start = claim_text.index(number)
    return Quantity(Span(start, start + len(number), number), value, value, value, unit, head)


@pytest.mark.parametrize(
    "text_a,number_a,text_b,number_b,head,measures,different",
    [
        # what a number measures: the words between it and its noun (issue 10, FNC-1 Netflix)
        (
            "Netflix had 34.9 percent of downstream North American traffic.",
            "34.9 percent",
            "Netflix had 32.39 percent of aggregate traffic.",
            "32.39 percent",
            "traffic",
            ({"downstream", "north", "american"}, {"aggregat"}),
            True,
        ),
        # one side says more: the same measure
        (
            "They seized seven assault rifles.",
            "seven",
            "They seized six rifles.",
            "six",
            "rifle",
            ({"assault"}, set()),
            False,
        ),
        (
            "They cut two undersea cables.",
            "two",
            "They cut three undersea cables.",
            "three",
            "cable",
            ({"undersea"}, {"undersea"}),
            False,
        ),
    ],
)
def test_numbers_measure_what_their_noun_and_its_modifiers_say(
    text_a, number_a, text_b, number_b, head, measures, different
):
    ca, cb = claim(1, art(1), text_a), claim(2, art(2), text_b)
    ma = numbers._measured(ca, quantity(text_a, number_a, 1.0, head))
    mb = numbers._measured(cb, quantity(text_b, number_b, 2.0, head))
    assert (ma, mb) == tuple(frozenset(m) for m in measures)
    assert numbers._different_measures(ma, mb) is different


@pytest.mark.parametrize(
    "text,number,is_final",
    [
        ("But markets reacted with alarm as Greek stocks closed down 3.9 percent.", "3.9", True),
        ("McDermott ended the game with 2,129 points.", "2,129", True),
        ("The index finished at 1,200 on Friday.", "1,200", True),
        ("But markets reacted to the violence as Greek stocks plunged 5.4 per cent.", "5.4", False),
        ("McDermott scored 23 points and grabbed 7 rebounds.", "23", False),
        # an ending far before the number is not what the number measures
        (
            "After the meeting ended, the board said it had cut its staff by 300 people.",
            "300",
            False,
        ),
    ],
)
def test_a_number_after_a_verb_of_ending_is_a_final_figure(text, number, is_final):
    c = claim(1, art(1), text)
    assert numbers.final(c, quantity(text, number, 1.0, "")) is is_final


def test_numbers_of_statements_about_different_times_or_subjects_are_not_compared():
    a, b = art(1), art(2)
    january = TimeRef(Span(11, 18, "January"), dt.date(2025, 1, 1), dt.date(2025, 1, 31), "month")
    last_year = TimeRef(Span(0, 9, "Last year"), dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year")
    text_a, text_b = (
        "Exports in January were 123,000 barrels.",
        "Last year exports were 173,500 barrels.",
    )
    qa, qb = (
        quantity(text_a, "123,000", 123000.0, "barrel"),
        quantity(text_b, "173,500", 173500.0, "barrel"),
    )
    claims = [
        claim(1, a, text_a, quantities=(qa,), times=(january,)),
        claim(2, b, text_b, quantities=(qb,), times=(last_year,)),
    ]
    assert not findings(numbers.check(context([a, b], claims)))
    # the same statements with no time of their own are one statement with a value swapped
    text_b = "Exports in January were 173,500 barrels."
    qb = quantity(text_b, "173,500", 173500.0, "barrel")
    claims = [
        claim(1, a, text_a, quantities=(qa,), times=(january,)),
        claim(2, b, text_b, quantities=(qb,), times=(january,)),
    ]
    [f] = findings(numbers.check(context([a, b], claims)))
    assert f.kind == "number"
    # different companies in each other's place: different contracts
    text_a, text_b = (
        "Lockheed gets an 80 million dollar contract.",
        "Boeing gets a 34 million dollar contract.",
    )
    lockheed = Entity(Span(0, 8, "Lockheed"), "ORG", "org:lockheed")
    boeing = Entity(Span(0, 6, "Boeing"), "ORG", "org:boeing")
    qa = quantity(text_a, "80 million dollar", 8e7, "contract", "USD")
    qb = quantity(text_b, "34 million dollar", 3.4e7, "contract", "USD")
    claims = [
        claim(1, a, text_a, quantities=(qa,), entities=(lockheed,)),
        claim(2, b, text_b, quantities=(qb,), entities=(boeing,)),
    ]
    assert not findings(numbers.check(context([a, b], claims)))
    claims = [claim(1, a, text_a, quantities=(qa,)), claim(2, b, text_b, quantities=(qb,))]
    assert findings(numbers.check(context([a, b], claims)))


def test_an_outcome_of_another_object_is_another_happening():
    a, b = art(1), art(2)
    never = claim(1, a, "Lindsay never checked into Morningside.", "check", object="Morningside")
    back = claim(
        2, b, "Lindsay checked into the Betty Ford Center.", "check", object="the Betty Ford Center"
    )
    assert not outcomes._same_object(never, back)
    assert outcomes._same_object(
        back, claim(3, a, "She checked into the center.", "check", object="the center")
    )
    assert outcomes._same_object(
        back, claim(4, a, "She checked in.", "check")
    )  # no object: may be one
    # the noun of a complex preposition is no object: "in connection with the shooting"
    charged = claim(
        5, a, "He was charged in connection with the shooting.", "charge", object="connection"
    )
    murder = claim(
        6, b, "He was charged with first-degree murder.", "charge", object="first degree murder"
    )
    assert outcomes._same_object(charged, murder)


def test_pled_is_the_past_of_plead():
    # SummEdits dev: "pleaded guilty" / "has pled not guilty" is an inserted negation; the
    # stemmer read "pled" as another verb, so the stretch changed a word of content
    assert stem("pled") == stem("pleaded") == stem("pleads")
    assert negation_flip("He pleaded guilty to murder.", "He pled not guilty to murder.") == "not"


def test_opposite_results_of_one_subject_conflict_however_worded():
    # ECB+ train (seed 0 injection): one article's "died" became "survived"; the sentences
    # are worded too differently to be one statement, but a death is never later survived
    a, b = art(1), art(2)
    felt = (ent("per:felt"),)
    died = claim(
        1,
        a,
        "Felt died at his home in Santa Rosa, California, Thursday, the Press Democrat "
        "newspaper reported, citing Felt's grandson Nick Jones.",
        predicate="die",
        subject="Felt",
        object="his home in Santa Rosa California",
        modality="reported",
        entities=felt,
    )
    survived = claim(
        2,
        b,
        "Felt survived Thursday at his home in Santa Rosa, Calif.",
        predicate="survive",
        subject="Felt",
        object="his home in Santa Rosa Calif.",
        entities=felt,
    )
    [f] = findings(outcomes.check(context([a, b], [died, survived], sim=0.8)))
    assert f.kind == "outcome" and f.subject == "survival"
    # less alike than the antonym check's threshold: not compared without the gate
    assert not findings(outcomes.check(context([a, b], [died, survived], sim=0.65)))
    # a hope is no result ("doctors expect him to survive")
    hoped = dataclasses.replace(survived, modality="planned", id="c6")
    assert not findings(outcomes.check(context([a, b], [died, hoped], sim=0.8)))
    # another subject ("his brother") is another life
    brother = dataclasses.replace(survived, subject="His brother", id="c3")
    assert not findings(outcomes.check(context([a, b], [died, brother], sim=0.8)))
    # a hiring then a firing are two steps of one story, not opposite results
    hired = claim(
        4,
        a,
        "The Sixers hired Ayers in 2003 as head coach.",
        "hire",
        subject="The Sixers",
        object="Ayers",
    )
    fired = claim(
        5,
        b,
        "The Sixers then fired Ayers, who lasted 52 games.",
        "fire",
        subject="The Sixers",
        object="Ayers",
    )
    assert not findings(outcomes.check(context([a, b], [hired, fired], sim=0.8)))
