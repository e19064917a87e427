"""Event ids carried across runs: by hand on small events, then the real pipeline on the seeds."""

import datetime as dt
import shutil

import pytest

from dedupe.events.ids import carry_event_ids
from dedupe.pipeline import run
from dedupe.records import Event, stable_id
from dedupe.settings import Settings

from .conftest import SEEDS


def ev(eid, *articles):
    return Event(eid, f"label {eid}", tuple(articles), (), None, None)


def carried(events, previous):
    return [(e.id, e.article_ids) for e in carry_event_ids(events, previous)]


def test_without_a_previous_run_ids_stay():
    assert carried([ev("evt-a", "a"), ev("evt-b", "b")], []) == [
        ("evt-a", ("a",)),
        ("evt-b", ("b",)),
    ]


def test_an_event_keeps_its_id_when_an_earlier_article_joins():
    # grouping names the grown event after its new earliest article "z"
    assert carried([ev("evt-z", "z", "a", "b")], [ev("evt-a", "a", "b")]) == [
        ("evt-a", ("z", "a", "b"))
    ]


def test_merged_events_keep_the_id_of_the_larger_part():
    events = [ev("evt-a", "a", "b", "c")]
    assert carried(events, [ev("evt-a", "a"), ev("evt-b", "b", "c")])[0][0] == "evt-b"


def test_on_a_tie_the_event_keeps_the_id_it_would_get_anyway():
    events = [ev("evt-b", "a", "b")]
    assert carried(events, [ev("evt-a", "a"), ev("evt-b", "b")])[0][0] == "evt-b"


def test_a_split_gives_the_old_id_to_the_larger_part_and_a_fresh_one_to_the_other():
    events = [ev("evt-a", "a"), ev("evt-b", "b", "c")]
    out = carried(events, [ev("evt-a", "a", "b", "c")])
    assert out[1] == ("evt-a", ("b", "c"))
    # "a" would be named evt-a, which the larger part now carries: it is named by its members
    assert out[0] == (stable_id("evt", "a"), ("a",))
    assert len({i for i, _ in out}) == 2


def test_a_split_off_singleton_whose_own_id_is_taken_gets_a_free_one():
    # real ids: an event is named after its earliest article, so the old event {a, b} is
    # stable_id("evt", "a"); when "a" splits off alone, its own name and its member name are
    # both that id, which the larger part keeps
    own = stable_id("evt", "a")
    events = [Event(own, "", ("a",), (), None, None), ev("evt-b", "b", "c")]
    out = carried(events, [Event(own, "", ("a", "b", "c"), (), None, None)])
    assert out[1] == (own, ("b", "c"))
    assert out[0][0] != own and len({i for i, _ in out}) == 2


def test_new_events_keep_their_own_ids_and_order_is_kept():
    events = [ev("evt-n", "n"), ev("evt-z", "z", "a")]
    assert [i for i, _ in carried(events, [ev("evt-a", "a")])] == ["evt-n", "evt-a"]


@pytest.mark.slow
def test_real_runs_keep_an_event_id_when_earlier_articles_join(tmp_path, minilm):
    """Night 1 has only seed 001 (2025-10-18); night 2 brings 000 and 004 (2025-10-15), which
    join its event and are earlier, so a fresh grouping would rename it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SEEDS / "manifest.json", inbox / "manifest.json")
    names = {p.name[:3]: p.name for p in SEEDS.glob("00*.txt")}
    store, out = tmp_path / "s.db", tmp_path / "out"
    now = dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC)
    shutil.copy(SEEDS / names["001"], inbox)
    first = run([str(inbox)], Settings(), store, out, now)
    [night1] = first.report["events"]
    for n in ("000", "004"):
        shutil.copy(SEEDS / names[n], inbox)
    second = run([str(inbox)], Settings(), store, out, now + dt.timedelta(days=1))
    [night2] = second.report["events"]
    assert len(night2["articles"]) == 3
    assert night2["id"] == night1["id"]
    # a fresh grouping names the event after its earliest article, which is no longer 001
    assert not night2["articles"][0]["path"].endswith(names["001"])
    since = second.report["since_last_run"]
    assert since["new_events"] == [] and [e["id"] for e in since["grown_events"]] == [night1["id"]]
    assert len(since["grown_events"][0]["new_articles"]) == 2
    # the findings of the grown event (the Trump title conflict) point at the carried id
    assert second.report["findings"]
    assert all(f["event_id"] == night1["id"] for f in second.report["findings"])
