"""Acceptance for issue 3 on the seeds, with the manifest (through the CLI) and without it
(the five .txt files alone, dated from what they state)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from dedupe.pipeline import run
from dedupe.settings import Settings

from .conftest import SEEDS

pytestmark = pytest.mark.slow


def seed_of(report):
    paths = {a["id"]: a["path"].rsplit("/", 1)[-1][:3] for a in report["articles"]}
    return lambda article_id: paths[article_id]


def officeholder_findings(report):
    seed = seed_of(report)
    return {
        f["subject"]: (f, sorted(seed(e["article_id"]) for e in f["evidence"]))
        for f in report["findings"]
        if f["kind"] == "officeholder"
    }


@pytest.fixture(scope="module")
def with_manifest(seed_run):
    return json.loads((seed_run / "report.json").read_text())


@pytest.fixture(scope="module")
def without_manifest(tmp_path_factory, minilm):
    folder = tmp_path_factory.mktemp("no-manifest")
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    out = tmp_path_factory.mktemp("no-manifest-run")
    # the run's day bounds every inferred window: the seeds' own week
    now = dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC)
    result = run([str(folder)], Settings(), out / "s.db", out, now, embedder=lambda: minilm)
    return result.report, out


def test_with_manifest_three_officeholder_findings(with_manifest):
    found = officeholder_findings(with_manifest)
    assert set(found) == {"Olaf Scholz", "Donald Trump", "Mika Virtanen"}
    scholz, seeds = found["Olaf Scholz"]
    assert (scholz["rule"], scholz["severity"], seeds) == ("anachronism", "error", ["000"])
    assert scholz["values"][0] == "German Chancellor"
    assert [r["person"] for r in scholz["reference"]] == ["Olaf Scholz", "Friedrich Merz"]
    trump, seeds = found["Donald Trump"]
    # the sources' disagreement and the table's verdict on 004 are one finding, an error
    assert (trump["rule"], trump["severity"], seeds) == (
        "disagreement",
        "error",
        ["000", "001", "004"],
    )
    assert "The officeholder table supports 'President'" in trump["reason"]
    assert any(r["start"] == "2025-01-20" and r["end_scheduled"] for r in trump["reference"])
    virtanen, seeds = found["Mika Virtanen"]
    assert (virtanen["rule"], virtanen["severity"], seeds) == ("unverified", "info", ["000"])


def test_titles_right_at_their_time_stay_clean(with_manifest, without_manifest):
    # 003: "Donald Trump, the former U.S. President" (2024) and "President Joe Biden";
    # 002: "President Joe Biden" (2022)
    for report in (with_manifest, without_manifest[0]):
        seed = seed_of(report)
        cited = {seed(e["article_id"]) for f in report["findings"] for e in f["evidence"]}
        assert not cited & {"002", "003"}


def test_without_manifest_the_same_events_and_findings(without_manifest):
    report, _ = without_manifest
    seed = seed_of(report)
    events = sorted(sorted(seed(a["id"]) for a in e["articles"]) for e in report["events"])
    assert events == [["000", "001", "004"], ["002"], ["003"]]
    found = officeholder_findings(report)
    assert set(found) == {"Olaf Scholz", "Donald Trump", "Mika Virtanen"}
    scholz, seeds = found["Olaf Scholz"]
    # undated: judged on the window 000's other clues and its event give it, so a warning
    assert (scholz["rule"], scholz["severity"], seeds) == ("anachronism", "warning", ["000"])
    trump, seeds = found["Donald Trump"]
    assert (trump["rule"], seeds) == ("disagreement", ["000", "001", "004"])
    assert "The officeholder table supports 'President'" in trump["reason"]
    virtanen, _ = found["Mika Virtanen"]
    assert virtanen["rule"] == "unverified"


def test_without_manifest_each_undated_article_has_a_window_and_its_clues(without_manifest):
    report, out = without_manifest
    seed = seed_of(report)
    dates = {seed(a["id"]): a for a in report["articles"]}
    assert dates["003"]["published"] == "2024-09-19" and dates["003"]["date_origin"] == "text"
    windows = {
        n: (
            dt.date.fromisoformat(a["date_estimate"]["start"]),
            dt.date.fromisoformat(a["date_estimate"]["end"]),
        )
        for n, a in dates.items()
        if a["date_estimate"]
    }
    assert set(windows) == {"000", "001", "002", "004"}
    # 002 was published on 2022-12-21: "nearly 300 days" after the invasion, under Biden
    assert windows["002"][0] <= dt.date(2022, 12, 21) <= windows["002"][1]
    assert windows["002"][0].year == windows["002"][1].year == 2022
    # 000, 001 and 004 (October 2025) all fall in Trump's second term
    for n in ("000", "001", "004"):
        assert windows[n][0] >= dt.date(2025, 1, 20), n
    clues = {c["text"]: c for c in dates["004"]["date_estimate"]["clues"]}
    assert clues["enters its fourth year"]["agrees"]
    assert not clues["former U.S. President"]["agrees"]  # outvoted by the other titles
    md = (out / "report.md").read_text()
    assert "inferred 2022-11-21 to 2022-12-24" in md
    assert "inferred" in (out / "report.html").read_text()
