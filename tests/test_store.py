"""The SQLite store: migrations, lock, atomic writes, round trips."""

import datetime as dt
import sqlite3

import numpy as np
import pytest

from dedupe.errors import StoreError
from dedupe.records import Article, Claim, Event, RunStats, Span
from dedupe.store.database import Store
from dedupe.store.migrations import MIGRATIONS

NOW = dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC)


def article(n, text="Body text here."):
    return Article(
        id=f"art-{n}",
        title=f"T{n}",
        text=text,
        source="s",
        path=f"p{n}",
        content_hash=f"h{n}-{len(text)}",
    )


def claim(n, article_id):
    return Claim(id=f"clm-{n}", article_id=article_id, sentence=Span(0, 4, "Body"), predicate="say")


def test_migrations_run_once_and_record_the_version(tmp_path):
    path = tmp_path / "s.db"
    with Store.open(path):
        pass
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_store_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "s.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer dedupe"):
        Store(path)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "s.db"
    path.write_text("this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable dedupe store"):
        Store(path)


def test_second_lock_is_refused_until_released(tmp_path):
    path = tmp_path / "s.db"
    with Store.open(path) as first, Store.open(path) as second:
        first.lock()
        with pytest.raises(StoreError, match="in use by another dedupe run"):
            second.lock()
        first.unlock()
        second.lock()


def test_article_and_claims_replace_atomically(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        run = store.begin_run(NOW, {})
        store.save_article(article(1), [claim(1, "art-1"), claim(2, "art-1")], run, "fp")
        store.save_article(article(1, "New body."), [claim(3, "art-1")], run, "fp")
        assert [c.id for c in store.load_claims()] == ["clm-3"]
        assert store.article_states() == {"art-1": ("h1-9", "fp")}
        with pytest.raises(sqlite3.IntegrityError):
            # a duplicate claim id fails the whole write: the old article and claim stay
            store.save_article(
                article(1, "Third."), [claim(4, "art-1"), claim(4, "art-1")], run, "fp"
            )
        assert [c.id for c in store.load_claims()] == ["clm-3"]
        assert store.load_articles()[0].text == "New body."


def test_vectors_round_trip_by_fingerprint(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        v = np.arange(4, dtype=np.float32)
        store.put_vectors({"k": v}, "fp")
        assert np.array_equal(store.get_vectors(["k", "missing"], "fp")["k"], v)
        assert store.get_vectors(["k"], "other") == {}


def test_results_of_a_run_are_saved_together(tmp_path):
    with Store.open(tmp_path / "s.db") as store:
        run = store.begin_run(NOW, {})
        event = Event("evt-1", "label", ("art-1",), (), None, None)
        store.save_results(run, [event], [], [], [], RunStats(), NOW)
        assert store.load_events(run) == [event]
        assert store.last_finished_run() == run
        nxt = store.begin_run(NOW, {})
        assert store.previous_run(nxt) == run


def test_a_store_from_the_first_schema_is_upgraded_in_place(tmp_path):
    path = tmp_path / "s.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO runs (started_at, settings) VALUES ('2025-10-19T06:00:00', '{}')")
    db.commit()
    db.close()
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        indexes = {
            r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        assert {"findings_by_id", "events_by_id"} <= indexes
        assert store.run_started(1) == "2025-10-19T06:00:00"


def test_grouping_state_is_read_only_where_new_articles_reach(tmp_path):
    """A nightly run reads of the grouping state only what its new articles can change: the
    articles not grouped under their current key, the components of the pairs at the
    threshold that its articles are in (as `linked_to` finds them in memory), and their
    pairs and times; every grouped vector for candidate search, in one array."""
    from dedupe.events.grouping import linked_to
    from dedupe.store.database import GroupingUpdate

    rng = np.random.default_rng(0)
    ids = [f"art-{n}" for n in range(40)]
    pairs = {}
    for _ in range(40):  # scores both sides of the threshold, every pair stored a < b
        a, b = sorted(rng.choice(ids, 2, replace=False))
        pairs[(str(a), str(b))] = float(rng.random())
    day = dt.date(2025, 1, 1)
    times = {a: ((day, day + dt.timedelta(days=n % 3)), None) for n, a in enumerate(ids)}
    vectors = {a: rng.standard_normal(4).astype(np.float32) for a in ids}
    with Store.open(tmp_path / "s.db") as store:
        run = store.begin_run(NOW, {})
        for n in range(40):  # the last one is new: stored, never grouped
            store.save_article(article(n), [], run, "fp")
        update = GroupingUpdate(
            fingerprint="g",
            reset=True,
            keys={a: f"h{n}-15/fp" for n, a in enumerate(ids[:-1])},
            times={a: times[a] for a in ids[:-1]},
            vectors={a: vectors[a] for a in ids[:-1]},
            reports={a: {"id": a} for a in ids[:-1]},
            pairs=pairs,
        )
        store.save_results(run, [], [], [], [], RunStats(), NOW, update)
        store.save_article(article(3, "Changed body text."), [], run, "fp")  # changed

        assert store.ungrouped() == ({"art-3": "h3-18/fp", "art-39": "h39-15/fp"}, {"art-3"})
        state = store.load_grouping()
        assert state.ids == sorted(ids[:-1])
        assert np.array_equal(state.V, np.vstack([vectors[a] for a in sorted(ids[:-1])]))
        for seeds in ({"art-3"}, {"art-0", "art-39"}, {"art-7", "art-20", "art-33"}):
            reach = store.reach(seeds, 0.5)
            assert reach == seeds | linked_to(pairs, seeds, 0.5)
            assert store.pairs(reach) == {
                k: s for k, s in pairs.items() if k[0] in reach and k[1] in reach
            }
            assert store.times(sorted(reach)) == {a: times[a] for a in reach if a != "art-39"}


def test_profile_rows_go_with_the_grouping_of_their_article(tmp_path):
    """A store from before profile rows (schema 4) gains the table, empty: its articles are
    read in full until a run saves their rows. A row is saved with the grouping; regrouping
    the article without a new one (it changed) drops it; a reset or `forget_grouping` drops
    them all."""
    from dedupe.store.database import GroupingUpdate, ProfileRow

    path = tmp_path / "s.db"
    db = sqlite3.connect(path)
    for migration in MIGRATIONS[:4]:
        db.executescript(migration)
    db.execute("PRAGMA user_version = 4")
    db.commit()
    db.close()
    day = dt.date(2025, 1, 1)
    rows = {
        a: ProfileRow([f"hash-{a}"], {"length": n, "words": {"Kyiv": 0.5}})
        for n, a in enumerate("ab")
    }

    def update(ids, profiles, reset=False):
        return GroupingUpdate(
            fingerprint="g",
            reset=reset,
            keys={a: "k" for a in ids},
            times={a: ((day, day), None) for a in ids},
            vectors={a: np.ones(2, np.float32) for a in ids},
            reports={a: {"id": a} for a in ids},
            pairs={},
            profiles=profiles,
        )

    with Store.open(path) as store:
        assert store.profiles(["a", "b"]) == {}
        run = store.begin_run(NOW, {})
        store.save_results(run, [], [], [], [], RunStats(), NOW, update("ab", rows, reset=True))
        assert store.profiles(["a", "b", "c"]) == rows
        store.save_results(run, [], [], [], [], RunStats(), NOW, update("a", {}))
        assert store.profiles(["a", "b"]) == {"b": rows["b"]}
        store.save_results(run, [], [], [], [], RunStats(), NOW, update("a", rows))
        store.forget_grouping()
        assert store.profiles(["a", "b"]) == {}
        store.save_results(run, [], [], [], [], RunStats(), NOW, update("ab", rows))
        store.save_results(run, [], [], [], [], RunStats(), NOW, update("c", {}, reset=True))
        assert store.profiles(["a", "b"]) == {}
