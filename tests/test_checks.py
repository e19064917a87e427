"""Each consistency check on hand-built claims (no model needed: similarity is set by hand)."""

import datetime as dt

import numpy as np

from dedupe.checks import EventContext, dates, numbers, officeholders, outcomes, places
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
    claims = [
        claim(1, a, predicate="approve", object="the transfer", entities=people),
        claim(2, b, predicate="decline approve", object="the transfer", entities=people),
    ]
    [f] = findings(outcomes.check(context([a, b], claims)))
    assert f.kind == "outcome" and f.severity == "error"
    assert f.values == ("approve the transfer", "decline to approve the transfer")


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
    won = claim(1, a, predicate="win", object="the election", entities=people)
    lost = claim(2, b, predicate="win", object="the election", negated=True, entities=people)
    assert outcomes.outcome(lost) == ("contest", "-")
    assert findings(outcomes.check(context([a, b], [won, lost])))
    other = claim(3, b, predicate="lose", object="weight", entities=(ent("per:jones"),))
    assert not findings(outcomes.check(context([a, b], [won, other])))


def qty(text, value, unit="count", head="drone", low=None, high=None, approximate=False):
    return Quantity(
        Span(0, len(text), text),
        value,
        low if low is not None else value,
        high if high is not None else value,
        unit,
        head,
        approximate,
    )


def test_numbers_conflict_only_for_the_same_unit_and_noun():
    a, b = art(1), art(2)
    c1 = claim(1, a, quantities=(qty("85,000", 85000),))
    c2 = claim(2, b, quantities=(qty("50,000", 50000),))
    [f] = findings(numbers.check(context([a, b], [c1, c2])))
    assert f.values == ("85,000 count", "50,000 count") and f.subject == "drone"
    assert [e.value for e in f.evidence] == ["85,000", "50,000"]
    c3 = claim(3, b, quantities=(qty("50,000", 50000, head="soldier"),))
    assert not findings(numbers.check(context([a, b], [c1, c3])))
    c4 = claim(4, b, quantities=(qty("nearly 90,000", 90000, low=81000, approximate=True),))
    assert not findings(numbers.check(context([a, b], [c1, c4])))


def test_rising_running_count_in_a_later_article_is_an_update():
    a, b = art(1, D1), art(2, D2)
    c1 = claim(1, a, quantities=(qty("12", 12, head="death"),))
    c2 = claim(2, b, quantities=(qty("30", 30, head="death"),))
    [change] = list(numbers.check(context([a, b], [c1, c2])))
    assert isinstance(change, Change) and change.kind == "update"


def tref(start, end=None, granularity="day"):
    return TimeRef(Span(0, 1, "t"), start, end or start, granularity)


def test_dates_respect_granularity():
    a, b = art(1), art(2)
    day = claim(1, a, predicate="meet", times=(tref(dt.date(2024, 9, 26)),))
    month = claim(
        2, b, predicate="meet", times=(tref(dt.date(2024, 9, 1), dt.date(2024, 9, 30), "month"),)
    )
    other = claim(3, b, predicate="meet", times=(tref(dt.date(2024, 9, 27)),))
    assert not findings(dates.check(context([a, b], [day, month])))
    [f] = findings(dates.check(context([a, b], [day, other])))
    assert f.values == ("2024-09-26", "2024-09-27") and f.severity == "error"


def place(key, text, sentence):
    start = sentence.index(text)
    return Entity(Span(start, start + len(text), text), "GPE", key)


def located(n, article, key, name):
    text = f"Zelensky met the envoys in {name} on Friday."
    return claim(n, article, text, predicate="meet", places=(place(key, name, text),))


def test_places_conflict_but_containment_does_not():
    a, b = art(1), art(2)
    kyiv = located(1, a, "loc:UKR", "Kyiv")
    ukraine = located(2, b, "loc:UKR", "Ukraine")
    warsaw = located(3, b, "loc:POL", "Warsaw")
    lviv = located(4, b, "gpe:lviv", "Lviv")
    assert not findings(places.check(context([a, b], [kyiv, ukraine])))
    assert not findings(places.check(context([a, b], [kyiv, lviv])))
    [f] = findings(places.check(context([a, b], [kyiv, warsaw])))
    assert f.values == ("Kyiv", "Warsaw")


def test_claims_below_the_similarity_bar_are_never_compared():
    a, b = art(1), art(2)
    c1 = claim(1, a, quantities=(qty("85,000", 85000),))
    c2 = claim(2, b, quantities=(qty("50,000", 50000),))
    assert not list(numbers.check(context([a, b], [c1, c2], sim=0.3)))
