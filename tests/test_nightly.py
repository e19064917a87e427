"""Nightly runs redo only what new articles touch (`dedupe.nightly`), on the real pipeline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import sqlite3

import pytest

from dedupe.pipeline import run
from dedupe.settings import Settings
from dedupe.store.database import Store

from .conftest import SEEDS, CountingEmbedder

pytestmark = pytest.mark.slow

NOW = dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC)
MANIFEST = str(SEEDS / "manifest.json")


def inbox(tmp_path, name, seeds):
    folder = tmp_path / name
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        if path.name[:3] in seeds:
            shutil.copy(path, folder / path.name)
    return str(folder)


def comparable(report):
    """What a report says, less what depends on the run and the store (run ids, timings,
    the store's path in the review commands, the inbox an article was read from)."""
    events = [{k: v for k, v in e.items() if k != "articles"} for e in report["events"]]
    findings = [{k: v for k, v in f.items() if k != "review"} for f in report["findings"]]
    articles = [{k: v for k, v in a.items() if k != "path"} for a in report["articles"]]
    return events, findings, articles


@pytest.fixture(scope="module")
def nights(tmp_path_factory, minilm):
    """Night 1: the 2025 stories 000 and 004; night 2: 001 (the same event) and 002 (2022)."""
    tmp = tmp_path_factory.mktemp("nightly")
    store, out = tmp / "s.db", tmp / "out"
    first = run(
        [inbox(tmp, "n1", {"000", "004"})],
        Settings(),
        store,
        out,
        NOW,
        MANIFEST,
        embedder=lambda: minilm,
    )
    counter = CountingEmbedder(minilm)
    second = run(
        [inbox(tmp, "n2", {"001", "002"})],
        Settings(),
        store,
        out,
        NOW,
        MANIFEST,
        embedder=lambda: counter,
    )
    clean = run(
        [inbox(tmp, "all", {"000", "001", "002", "004"})],
        Settings(),
        tmp / "clean.db",
        tmp / "clean-out",
        NOW,
        MANIFEST,
        embedder=lambda: minilm,
    )
    return first, second, clean, counter, store


def test_a_night_redoes_only_the_events_its_articles_touch(nights):
    first, second, _, counter, _ = nights
    assert first.stats.events == first.stats.events_redone == 1
    # 001 joins the 2025 event (redone), 002 is an event of its own (new): two redone, and
    # every event is in the report
    assert (second.stats.events, second.stats.events_redone) == (2, 2)
    assert len(second.report["events"]) == 2
    # only the new articles' claims were embedded (the 2025 event's stored ones came cached)
    with Store.open(nights[4]) as store:
        ids = [
            a.id for a in store.load_articles() if a.path.rsplit("/", 1)[-1][:3] in {"001", "002"}
        ]
        texts = {c.text for c in store.load_claims(ids)}
    assert counter.texts == len(texts) == second.stats.claims_embedded


def test_a_night_keeps_each_checked_events_pair_findings(nights):
    """What lets the next night compare only new article pairs: a row of pair findings per
    event of the run (officeholder findings, judged on the whole event, left out)."""
    _, second, _, _, store = nights
    with Store.open(store) as opened:
        compared = opened.compared([e["id"] for e in second.report["events"]])
    assert set(compared) == {e["id"] for e in second.report["events"]}
    # the seeds' findings of these four stories are officeholder ones, judged on the whole
    # event each night: no pair finding to carry
    kinds = {f["kind"] for f in second.report["findings"]}
    assert kinds == {"officeholder"}
    assert [f for fs in compared.values() for f in fs] == []


def test_nightly_results_equal_one_clean_run(nights):
    _, second, clean, _, _ = nights
    assert comparable(second.report) == comparable(clean.report)


def test_a_night_with_nothing_new_carries_everything(nights, tmp_path, minilm):
    _, second, _, _, store = nights
    copy = tmp_path / "copy.db"
    shutil.copy(store, copy)
    again = run([], Settings(), copy, tmp_path / "out", NOW, MANIFEST, embedder=lambda: minilm)
    assert (again.stats.events_redone, again.stats.claims_embedded) == (0, 0)
    assert comparable(again.report) == comparable(second.report)
    assert again.report["since_last_run"]["new_events"] == []


def test_a_changed_grouping_setting_regroups_everything(nights, tmp_path, minilm):
    _, second, _, _, store = nights
    copy = tmp_path / "copy.db"
    shutil.copy(store, copy)
    stricter = dataclasses.replace(Settings(), event_threshold=0.9)
    again = run([], stricter, copy, tmp_path / "out", NOW, MANIFEST, embedder=lambda: minilm)
    assert again.stats.events_redone == again.stats.events
    # a stricter threshold never joins more articles: at least as many events
    assert again.stats.events >= second.stats.events
    assert again.stats.claims_embedded == 0
    saved = json.loads((tmp_path / "out" / "report.json").read_text())
    assert saved["run"]["stats"]["events_redone"] == again.stats.events


def test_inputs_read_a_chunk_at_a_time_give_the_same_run(nights, tmp_path, minilm, monkeypatch):
    """Ingest reads, extracts and stores `INGEST_CHUNK` articles at a time: in chunks of 3
    (the 4 seeds in 2 chunks) a run stores, groups and reports the same as the clean run,
    which read them in one chunk."""
    import dedupe.pipeline

    _, _, clean, _, _ = nights
    monkeypatch.setattr(dedupe.pipeline, "INGEST_CHUNK", 3)
    folder = inbox(tmp_path, "all", {"000", "001", "002", "004"})
    chunked = run(
        [folder],
        Settings(),
        tmp_path / "s.db",
        tmp_path / "o",
        NOW,
        MANIFEST,
        embedder=lambda: minilm,
    )
    assert chunked.stats.articles_new == clean.stats.articles_new == 4
    assert comparable(chunked.report) == comparable(clean.report)


@pytest.fixture(scope="module")
def third_nights(nights, tmp_path_factory, minilm):
    """Night 3 over two copies of the store after night 2: 003 (the 2024 visit) arrives and
    002 has changed (a sentence added, as when a corrected article is read again). In one
    copy the stored articles have their profile rows, in the other not (a store from before
    rows): each night, the articles whose claims it read, its result and its store."""
    tmp = tmp_path_factory.mktemp("night3")
    base = tmp / "base.db"
    shutil.copy(nights[4], base)
    with Store.open(base) as store:
        old = next(a for a in store.load_articles() if a.path.rsplit("/", 1)[-1][:3] == "002")
        edited = dataclasses.replace(
            old, text=f"{old.text}\n\nOfficials in Kyiv confirmed it.", content_hash="edited"
        )
        run_id = store.last_finished_run()
        fingerprint = store.article_states([old.id])[old.id][1]
        store.save_article(edited, store.load_claims([old.id]), run_id or 0, fingerprint)
    out = {}
    for name in ("rows", "no rows"):
        copy = tmp / f"{name}.db"
        shutil.copy(base, copy)
        if name == "no rows":
            db = sqlite3.connect(copy)
            db.execute("DELETE FROM profiles")
            db.commit()
            db.close()
        read: list[str] = []
        load_claims = Store.load_claims

        def spy(self, article_ids=None, read=read, load_claims=load_claims):
            read.extend(article_ids if article_ids is not None else ["every article"])
            return load_claims(self, article_ids)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Store, "load_claims", spy)
            result = run(
                [inbox(tmp, f"n3-{name}", {"003"})],
                Settings(),
                copy,
                tmp / f"out-{name}",
                NOW,
                MANIFEST,
                embedder=lambda: minilm,
            )
        out[name] = (set(read), result, copy)
    return out, old, base


def table(store, sql):
    db = sqlite3.connect(store)
    try:
        return sorted(db.execute(sql).fetchall())
    finally:
        db.close()


def test_a_night_scores_stored_articles_from_their_profile_rows_as_from_their_claims(
    third_nights,
):
    """The stored articles that a night only scores (candidates of 003 and of the changed
    002, in no event described again) are built from their rows, their claims never read;
    the night gives the same events, findings and pair scores, to the last bit, as the
    night over the store without rows, which reads them in full and saves their rows, the
    same rows byte for byte."""
    nights, old, _ = third_nights
    (read, with_rows, store), (read_all, without, no_rows_store) = nights.values()
    with Store.open(store) as opened:
        new = next(a.id for a in opened.load_articles() if a.path.rsplit("/", 1)[-1][:3] == "003")
    assert read == {old.id, new}
    scored = read_all - read
    pairs = table(store, "SELECT a, b, score FROM event_pairs")
    assert scored and all(any(x in p and {old.id, new} & set(p) for p in pairs) for x in scored)
    assert comparable(with_rows.report) == comparable(without.report)
    assert pairs == table(no_rows_store, "SELECT a, b, score FROM event_pairs")
    profiles = "SELECT article_id, claims, profile FROM profiles"
    assert table(store, profiles) == table(no_rows_store, profiles)


def test_a_changed_articles_profile_row_is_replaced(third_nights):
    nights, old, base = third_nights
    query = f"SELECT profile FROM profiles WHERE article_id = '{old.id}'"
    ((before,),), ((after,),) = table(base, query), table(nights["rows"][2], query)
    assert "Officials" not in json.loads(before)["words"]  # the sentence the edit added
    assert "Officials" in json.loads(after)["words"]


def test_a_stored_article_whose_vectors_are_gone_is_read_in_full(nights, tmp_path, minilm):
    """Cached vectors are keyed by the embedding settings, some of which do not regroup (the
    device picks the backend): an article whose claim vectors are not cached under the
    current key is read in full (and its claims embedded again), the rest from their rows."""
    from dedupe.events.grouping import pair_score
    from dedupe.nightly import Loaded

    copy = tmp_path / "copy.db"
    shutil.copy(nights[4], copy)
    with Store.open(copy) as store:
        ids = store.load_grouping().ids
        gone = store.profiles(ids[:1])[ids[0]].claims[0]
        store.db.execute("DELETE FROM vectors WHERE text_hash = ?", (gone,))
        loaded = Loaded(store, Settings(), NOW.date(), lambda: minilm, None)
        scored = loaded.load_scored(ids, store.times(ids))
        assert loaded.unsaved == ids[:1] and list(loaded.articles) == ids[:1]
        full = Loaded(store, Settings(), NOW.date(), lambda: minilm, None)
        full.load(ids)
    a, *rest = scored
    assert [pair_score(a, b, Settings()) for b in rest] == [
        pair_score(full.profiles[a.article.id], full.profiles[b.article.id], Settings())
        for b in rest
    ]
