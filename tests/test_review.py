"""The editor's loop: decisions that stick, the findings list, and both CLI commands (real
SQLite stores built with the store's own writes)."""

import dataclasses
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from dedupe.cli import cli
from dedupe.errors import UsageError
from dedupe.records import Event, Evidence, Finding, RunStats
from dedupe.store.database import Store
from dedupe.store.review import (
    FindingFilter,
    findings_table,
    list_findings,
    record_decision,
    review_command,
    review_state,
)

from .conftest import embedded

DAY1 = dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC)
DAY2 = dt.datetime(2025, 10, 21, 6, 0, tzinfo=dt.UTC)
DAY3 = dt.datetime(2025, 10, 22, 6, 0, tzinfo=dt.UTC)


def evidence(n, value, quote=None):
    return Evidence(
        claim_id=f"clm-{n}",
        article_id=f"art-{n}",
        source=f"Outlet {n}",
        url=f"https://example.com/{n}",
        published=dt.date(2025, 10, 15),
        quote=quote or f"Quote {n} says {value}.",
        start=0,
        end=20,
        value=value,
    )


def finding(fid, kind="officeholder", severity="warning", event_id="evt-1", subject="Trump"):
    return Finding(
        id=fid,
        kind=kind,
        severity=severity,
        confidence=0.8,
        event_id=event_id,
        values=("President", "former President"),
        reason="They disagree.",
        evidence=(evidence(1, "President"), evidence(2, "former President")),
        subject=subject,
    )


def save_run(store, now, findings, events=None):
    run = store.begin_run(now, {})
    events = events or [Event("evt-1", "Trump visit", ("art-1", "art-2"), (), None, None)]
    store.save_results(run, events, findings, [], [], RunStats(), now)
    return run


@pytest.fixture
def store_path(tmp_path):
    """A store whose first run (DAY1) found an error and a warning, and whose second run
    (DAY2) found those two and a new info finding in another event."""
    path = tmp_path / "news.db"
    events = [
        Event("evt-1", "Trump visit", ("art-1", "art-2"), (), None, None),
        Event("evt-2", "Budget vote", ("art-3",), (), None, None),
    ]
    with Store.open(path) as store:
        save_run(store, DAY1, [finding("fnd-a", severity="error"), finding("fnd-b")], events)
        save_run(
            store,
            DAY2,
            [
                finding("fnd-a", severity="error"),
                finding("fnd-b"),
                finding("fnd-c", kind="number", severity="info", event_id="evt-2"),
            ],
            events,
        )
    return path


# ------------------------------------------------------------ review_state


def test_without_a_decision_a_finding_is_open():
    state = review_state(finding("fnd-a"), None)
    assert state["status"] == "open" and state["decision"] is None


def test_a_dismissal_holds_while_the_evidence_is_the_same_and_lapses_when_it_changes(tmp_path):
    f = finding("fnd-a")
    with Store.open(tmp_path / "s.db") as store:
        save_run(store, DAY1, [f])
        store.save_decision(f, "dismiss", "not a conflict", "ana", DAY2)
        decision = store.latest_decisions()["fnd-a"]
    assert review_state(f, decision)["status"] == "dismissed"
    # a third article joins with the same conflict: same id, more evidence
    grown = dataclasses.replace(f, evidence=(*f.evidence, evidence(3, "President")))
    state = review_state(grown, decision)
    assert state["status"] == "open" and state["evidence_changed"]
    assert state["note"] == "not a conflict" and state["by"] == "ana"
    # a changed quote on one side is changed evidence too
    requoted = dataclasses.replace(
        f, evidence=(f.evidence[0], evidence(2, "former President", "A new sentence."))
    )
    assert review_state(requoted, decision)["status"] == "open"


def test_a_confirmation_stays_and_says_when_the_evidence_changed(tmp_path):
    f = finding("fnd-a")
    with Store.open(tmp_path / "s.db") as store:
        save_run(store, DAY1, [f])
        store.save_decision(f, "confirm", None, None, DAY2)
        decision = store.latest_decisions()["fnd-a"]
    assert review_state(f, decision)["status"] == "confirmed"
    grown = dataclasses.replace(f, evidence=(*f.evidence, evidence(3, "President")))
    state = review_state(grown, decision)
    assert state["status"] == "confirmed" and state["evidence_changed"]


def test_review_command_is_exact_and_quotes_the_store_path():
    assert review_command("fnd-a", "dismiss") == "dedupe review fnd-a --dismiss"
    assert (
        review_command("fnd-a", "confirm", "/tmp/my news.db")
        == "dedupe review fnd-a --confirm --store '/tmp/my news.db'"
    )


# ------------------------------------------------------------ record_decision


def test_record_decision_stores_the_injected_time_and_the_last_decision_counts(store_path):
    state = record_decision(store_path, "fnd-b", "dismiss", DAY2, note="same person", by="ana")
    assert state["status"] == "dismissed" and state["at"] == DAY2.isoformat()
    assert state["kind"] == "officeholder" and state["subject"] == "Trump"
    state = record_decision(store_path, " fnd-b ", "confirm", DAY3)
    assert state["status"] == "confirmed" and state["at"] == DAY3.isoformat()
    with Store.open(store_path) as store:
        rows = store.db.execute(
            "SELECT decision, note, decided_by, decided_at FROM decisions ORDER BY id"
        ).fetchall()
    assert rows == [
        ("dismiss", "same person", "ana", DAY2.isoformat()),
        ("confirm", None, None, DAY3.isoformat()),
    ]


def test_unknown_finding_id_and_missing_store_are_clear_errors(store_path, tmp_path):
    with pytest.raises(UsageError, match="unknown finding id 'fnd-zzz'.*dedupe findings"):
        record_decision(store_path, "fnd-zzz", "dismiss", DAY2)
    with pytest.raises(UsageError, match="no dedupe store at"):
        record_decision(tmp_path / "nope.db", "fnd-a", "dismiss", DAY2)
    assert not (tmp_path / "nope.db").exists(), "review must not create an empty store"
    with pytest.raises(UsageError, match="decision must be"):
        record_decision(store_path, "fnd-a", "maybe", DAY2)


def test_a_finding_only_an_unfinished_run_saw_is_unknown(tmp_path):
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        run = store.begin_run(DAY1, {})
        store.db.execute(
            "INSERT INTO findings VALUES (?, 'fnd-x', 'evt-1', 'date', 'info', 'h', '{}')",
            (run,),
        )
    with pytest.raises(UsageError, match="unknown finding id"):
        record_decision(path, "fnd-x", "dismiss", DAY2)


# ------------------------------------------------------------ list_findings


def ids(rows):
    return [r["id"] for r in rows]


def test_findings_lists_the_last_run_open_first_by_severity(store_path):
    rows = list_findings(store_path, FindingFilter())
    assert ids(rows) == ["fnd-a", "fnd-b", "fnd-c"]  # error, warning, info
    assert rows[2]["event_label"] == "Budget vote"
    assert rows[0]["first_seen"] == DAY1.isoformat() and rows[2]["first_seen"] == DAY2.isoformat()


def test_findings_filters(store_path):
    assert ids(list_findings(store_path, FindingFilter(kinds=("number",)))) == ["fnd-c"]
    assert ids(list_findings(store_path, FindingFilter(severities=("error", "info")))) == [
        "fnd-a",
        "fnd-c",
    ]
    assert ids(list_findings(store_path, FindingFilter(event_id="evt-1"))) == ["fnd-a", "fnd-b"]
    assert ids(list_findings(store_path, FindingFilter(since=DAY2.date()))) == ["fnd-c"]
    record_decision(store_path, "fnd-a", "dismiss", DAY3)
    record_decision(store_path, "fnd-b", "confirm", DAY3)
    assert ids(list_findings(store_path, FindingFilter())) == ["fnd-b", "fnd-c"]
    assert ids(list_findings(store_path, FindingFilter(statuses=("dismissed",)))) == ["fnd-a"]
    assert ids(list_findings(store_path, FindingFilter(statuses=("open",)))) == ["fnd-c"]


def test_findings_on_a_store_without_a_finished_run_is_a_clear_error(tmp_path):
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        store.begin_run(DAY1, {})
    with pytest.raises(UsageError, match="no finished run yet"):
        list_findings(path, FindingFilter())


def test_findings_table_has_a_header_and_one_line_per_finding(store_path):
    table = findings_table(list_findings(store_path, FindingFilter())).splitlines()
    assert table[0].split() == [
        "id",
        "severity",
        "kind",
        "status",
        "first",
        "seen",
        "subject",
        "values",
    ]
    assert [line.split()[0] for line in table[1:]] == ["fnd-a", "fnd-b", "fnd-c"]
    assert "2025-10-20" in table[1] and "President vs former President" in table[1]


# ------------------------------------------------------------ the CLI


def test_cli_review_and_findings(store_path):
    runner = CliRunner()
    store = ["--store", str(store_path)]
    result = runner.invoke(
        cli, ["review", "fnd-a", "--dismiss", "--note", "fine", "--by", "ana", *store]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("fnd-a (officeholder: Trump) is now dismissed by ana at ")
    result = runner.invoke(cli, ["findings", *store, "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["fnd-b", "fnd-c"]
    assert rows[0]["evidence"][0]["quote"] == "Quote 1 says President."
    result = runner.invoke(cli, ["findings", *store, "--status", "dismissed"])
    assert result.output.splitlines()[1].split()[:4] == [
        "fnd-a",
        "error",
        "officeholder",
        "dismissed",
    ]


@pytest.mark.parametrize(
    "args,message",
    [
        (["review", "fnd-zzz", "--dismiss"], "unknown finding id 'fnd-zzz'"),
        (["review", "fnd-a"], "say either --confirm or --dismiss"),
        (["findings", "--since", "yesterday"], "Invalid value for '--since'"),
    ],
)
def test_cli_errors_exit_2_with_a_message(store_path, args, message):
    result = CliRunner().invoke(cli, [*args, "--store", str(store_path)])
    assert result.exit_code == 2 and message in result.output, result.output


def test_cli_review_without_a_store_exits_2(tmp_path):
    result = CliRunner().invoke(
        cli, ["review", "fnd-a", "--confirm", "--store", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 2 and "no dedupe store at" in result.output


# ------------------------------------------------------------ the loop on the real seeds


@pytest.mark.slow
def test_a_dismissal_sticks_through_the_next_real_run(seed_run, tmp_path):
    """Seeds store from the real CLI run; an editor dismisses its finding; the next nightly
    run (nothing new) reports it only in the dismissed section and the list leaves it out."""
    import sqlite3

    from dedupe.pipeline import run
    from dedupe.settings import Settings

    from .conftest import SEEDS

    store = tmp_path / "news.db"
    source, copy = sqlite3.connect(seed_run / "dedupe.db"), sqlite3.connect(store)
    source.backup(copy)
    source.close()
    copy.close()
    runner = CliRunner()
    listed = json.loads(
        runner.invoke(cli, ["findings", "--store", str(store), "--format", "json"]).output
    )
    [trump] = [f for f in listed if f["subject"] == "Donald Trump"]
    result = runner.invoke(
        cli,
        [
            "review",
            trump["id"],
            "--dismiss",
            "--note",
            "style",
            "--by",
            "ana",
            "--store",
            str(store),
        ],
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    night2 = run([str(SEEDS)], Settings(), store, out, DAY3).report
    [f] = [x for x in night2["findings"] if x["id"] == trump["id"]]
    assert f["review"]["status"] == "dismissed" and f["review"]["note"] == "style"
    assert night2["summary"]["dismissed"] == 1
    assert night2["since_last_run"]["resolved_findings"] == []
    html = (out / "report.html").read_text()
    # off the page's first page, in its data for the status filter
    assert f'id="{trump["id"]}"' not in html
    [shown] = [x for x in embedded(html)["findings"] if x["id"] == trump["id"]]
    assert shown["review"]["status"] == "dismissed"
    listed = json.loads(
        runner.invoke(cli, ["findings", "--store", str(store), "--format", "json"]).output
    )
    assert trump["id"] not in [x["id"] for x in listed]
