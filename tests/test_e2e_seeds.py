"""Acceptance: `dedupe run seeds/` with the real pipeline (spaCy, MiniLM, FAISS, SQLite)."""

import csv
import datetime as dt
import json
import shutil

import pytest

from dedupe.events.embed import load_embedder
from dedupe.pipeline import run
from dedupe.settings import Settings
from dedupe.store.database import Store

from .conftest import SEEDS, CountingEmbedder

pytestmark = pytest.mark.slow

SEED = {
    n: f"{n}_{h}.txt"
    for n, h in [
        ("000", "ba113746a1dd3e9e"),
        ("001", "932a0eaab0f200d6"),
        ("002", "175622b86f558ee8"),
        ("003", "3b9387eb9ac699c5"),
        ("004", "ac18523f2eaba1b0"),
    ]
}
# text of the ads in 001 and of the "Latest Contents" block in 003: never a claim
BOILERPLATE = [
    "Industrial Monitor Direct",
    "sparkplug",
    "touchscreen",
    "Latest Contents",
    "Liberal Democrats",
    "Gideon Amos",
    "Devolution Deals",
    "Hezbollah",
    "Housing Crisis",
    "Leave a Reply",
    "email address",
]


@pytest.fixture(scope="module")
def report(seed_run):
    return json.loads((seed_run / "report.json").read_text())


def seeds_of(report, event):
    return sorted(a["path"].rsplit("/", 1)[-1][:3] for a in event["articles"])


def test_three_events_2025_together_2022_and_2024_apart(report):
    groups = sorted(seeds_of(report, e) for e in report["events"])
    assert groups == [["000", "001", "004"], ["002"], ["003"]]


def test_trump_title_conflict_in_the_2025_event_with_both_sides_quoted(report):
    event = next(e for e in report["events"] if seeds_of(report, e) == ["000", "001", "004"])
    trump = [
        f
        for f in report["findings"]
        if f["kind"] == "officeholder" and "Trump" in f["subject"] and f["event_id"] == event["id"]
    ]
    assert len(trump) == 1
    f = trump[0]
    by_seed = {e["article_id"]: e for e in f["evidence"]}
    paths = {a["id"]: a["path"].rsplit("/", 1)[-1][:3] for a in report["articles"]}
    values = {paths[a]: e["value"] for a, e in by_seed.items()}
    assert values == {"000": "President", "001": "President", "004": "former U.S. President"}
    for e in f["evidence"]:
        assert e["value"] in e["quote"] and e["end"] > e["start"]
        assert e["source"] and e["published"]


def test_2024_former_president_is_in_no_finding(report):
    article = next(a for a in report["articles"] if a["path"].endswith(SEED["003"]))
    assert all(e["article_id"] != article["id"] for f in report["findings"] for e in f["evidence"])


def test_plan_then_decline_is_a_status_change_not_an_outcome_conflict(report):
    assert not [f for f in report["findings"] if f["kind"] == "outcome"]
    event = next(e for e in report["events"] if seeds_of(report, e) == ["000", "001", "004"])
    changes = [t for t in event["timeline"] if t["kind"] == "status_change"]
    assert changes and all("decline to approve" in t["text"] for t in changes)
    assert all(t["date"] == "2025-10-18" for t in changes)


def test_no_claim_from_ads_or_page_furniture(seed_run):
    with Store.open(seed_run / "dedupe.db") as store:
        claims = store.load_claims()
    assert len(claims) > 100
    for claim in claims:
        for marker in BOILERPLATE:
            assert marker not in claim.text, claim.text


def test_all_four_reports_are_written_and_agree(seed_run, report):
    md = (seed_run / "report.md").read_text()
    assert "former U.S. President" in md and "## Events" in md
    rows = list(csv.DictReader((seed_run / "findings.csv").open()))
    assert {r["finding_id"] for r in rows} == {f["id"] for f in report["findings"]}
    assert (seed_run / "report.html").stat().st_size > 1000


def test_second_run_embeds_nothing_and_keeps_every_id(tmp_path, minilm):
    store, out = tmp_path / "s.db", tmp_path / "out"
    now = dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC)
    counting = CountingEmbedder(load_embedder("all-MiniLM-L6-v2"))
    first = run([str(SEEDS)], Settings(), store, out, now, embedder=lambda: counting)
    embedded = counting.texts
    assert embedded == first.stats.claims_embedded > 100
    second = run([str(SEEDS)], Settings(), store, out, now, embedder=lambda: counting)
    assert counting.texts == embedded, "the second run re-embedded claims"
    assert second.stats.articles_unchanged == 5 and second.stats.articles_new == 0
    for key in ("events", "findings"):
        assert [x["id"] for x in first.report[key]] == [x["id"] for x in second.report[key]]
    assert second.report["since_last_run"]["new_findings"] == []


def test_without_manifest_nothing_breaks(tmp_path, minilm):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in SEED.values():
        shutil.copy(SEEDS / name, folder / name)
    now = dt.datetime(2025, 10, 20, tzinfo=dt.UTC)
    result = run([str(folder)], Settings(), tmp_path / "s.db", tmp_path / "out", now)
    assert result.report["summary"]["articles"] == 5 and not result.failures


def test_a_seed_as_an_html_page_gives_the_same_events_and_title_finding(tmp_path):
    """The seeds with 001 served as a web page (navigation, footer, metadata), through the
    real CLI in a fresh process: HTML goes through trafilatura, which needs lxml_html_clean
    (a fresh install once lacked it and every HTML input crashed)."""
    import subprocess
    import sys
    from html import escape

    from .conftest import ROOT

    folder = tmp_path / "seeds"
    folder.mkdir()
    manifest = json.loads((SEEDS / "manifest.json").read_text())
    for n, name in SEED.items():
        if n != "001":
            shutil.copy(SEEDS / name, folder / name)
    title, *paragraphs = (SEEDS / SEED["001"]).read_text().split("\n\n")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{escape(title)}</h1>"
        + "".join(f"<p>{escape(p.strip())}</p>" for p in paragraphs if p.strip())
        + "</article><footer>© Seed outlet B. All rights reserved.</footer></body></html>"
    )
    html_name = SEED["001"].replace(".txt", ".html")
    (folder / html_name).write_text(page)
    manifest[html_name] = manifest.pop(SEED["001"])
    (folder / "manifest.json").write_text(json.dumps(manifest))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dedupe",
            "run",
            str(folder),
            "--store",
            str(tmp_path / "s.db"),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["failures"] == []
    groups = sorted(seeds_of(report, e) for e in report["events"])
    assert groups == [["000", "001", "004"], ["002"], ["003"]]
    paths = {a["id"]: a["path"].rsplit("/", 1)[-1] for a in report["articles"]}
    trump = [
        f for f in report["findings"] if f["kind"] == "officeholder" and "Trump" in f["subject"]
    ]
    values = {paths[e["article_id"]]: e["value"] for f in trump for e in f["evidence"]}
    assert values[html_name] == "President"
