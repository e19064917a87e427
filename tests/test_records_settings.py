import datetime as dt

import pytest

from dedupe.errors import UsageError
from dedupe.records import (
    Article,
    Claim,
    Entity,
    Quantity,
    Role,
    Span,
    TimeRef,
    dumps,
    from_dict,
    stable_id,
    to_dict,
)
from dedupe.settings import Settings, load_settings


def test_stable_id_is_deterministic_and_order_sensitive():
    assert stable_id("x", "a", 1) == stable_id("x", "a", 1)
    assert stable_id("x", "a", 1) != stable_id("x", 1, "a")
    assert stable_id("art", "url", "http://e.com").startswith("art-")


def test_claim_round_trips_through_json_dict():
    span = Span(0, 5, "Hello")
    claim = Claim(
        id="clm-1",
        article_id="art-1",
        sentence=Span(0, 20, "Hello there, friends."),
        predicate="decline approve",
        negated=True,
        modality="planned",
        entities=(Entity(span, "PERSON", "per:hello"),),
        times=(TimeRef(span, dt.date(2024, 1, 1), dt.date(2024, 1, 31), "month"),),
        quantities=(Quantity(span, 2e9, 2e9, 2e9, "USD", head="budget"),),
        roles=(Role(span, "Joe Biden", "per:biden", "President", "president", "USA"),),
        when=(dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
    )
    assert from_dict(Claim, to_dict(claim)) == claim
    assert dumps(claim) == dumps(from_dict(Claim, to_dict(claim)))


def test_article_round_trip_keeps_dates_and_tuples():
    article = Article(
        id="art-1",
        title="T",
        text="T\n\nBody.",
        source="s",
        path="p",
        published=dt.date(2025, 10, 15),
        dropped=("[ad] x",),
    )
    again = from_dict(Article, to_dict(article))
    assert again == article and isinstance(again.dropped, tuple)


def test_settings_overlay_toml_then_overrides(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[dedupe]\nevent_threshold = 0.7\nbatch_size = 16\n")
    s = load_settings(path, batch_size=8)
    assert s.event_threshold == 0.7 and s.batch_size == 8


def test_settings_reject_bad_values_with_a_clear_message(tmp_path):
    with pytest.raises(UsageError, match="event_threshold must be between 0 and 1"):
        load_settings(None, event_threshold=1.5)
    with pytest.raises(UsageError, match="exact_search_limit must be at least 1"):
        load_settings(None, exact_search_limit=0)
    with pytest.raises(UsageError, match="unknown setting"):
        load_settings(None, nonsense=1)
    bad = tmp_path / "bad.toml"
    bad.write_text("batch_size = 'many'\n")
    with pytest.raises(UsageError, match="batch_size"):
        load_settings(bad)


def test_fingerprint_changes_only_with_the_named_settings():
    a, b = Settings(), Settings(event_threshold=0.9)
    assert a.fingerprint("model") == b.fingerprint("model")
    assert a.fingerprint("event_threshold") != b.fingerprint("event_threshold")
    assert a.fingerprint() != b.fingerprint()


def test_event_weights_hold_a_bias_and_one_weight_per_grouping_signal():
    from dedupe.events.profiles import FEATURES
    from dedupe.settings import EVENT_FEATURES

    assert len(FEATURES) == EVENT_FEATURES == len(Settings().event_weights) - 1
