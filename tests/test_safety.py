"""Safety of nightly runs through the real CLI: the store lock, and SIGKILL at any stage.

Runs are real `python -m dedupe run` processes (spaCy, MiniLM, FAISS, SQLite). The tests
follow a run by its own log lines (`-vv`): the pipeline logs each stage as it starts and the
store logs each commit, so the test knows which stage a run has reached without any test-only
hook in the code. Kills land wherever the process is a few milliseconds after that line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from .conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

# four seeds: the 2025 visit (three outlets, one title conflict) and the 2024 one
SEED_PREFIXES = ("000", "001", "003", "004")
# small batches, so embedding commits several batches a kill can fall between
CONFIG = "batch_size = 16\n"
RUN_LIMIT_S = 600  # a run that takes this long has hung: kill it and fail
NOW = dt.datetime(2025, 10, 20, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("inbox")
    manifest = json.loads((SEEDS / "manifest.json").read_text())
    chosen = {n: m for n, m in manifest.items() if n.startswith(SEED_PREFIXES)}
    assert len(chosen) == len(SEED_PREFIXES)
    for name in chosen:
        shutil.copy(SEEDS / name, folder / name)
    (folder / "manifest.json").write_text(json.dumps(chosen))
    config = folder.parent / "dedupe.toml"
    config.write_text(CONFIG)
    return folder, config


def dedupe_args(inbox: tuple[Path, Path], store: Path, out: Path) -> list[str]:
    folder, config = inbox
    return [
        sys.executable,
        "-m",
        "dedupe",
        "-vv",
        "run",
        str(folder),
        "--store",
        str(store),
        "--out",
        str(out),
        "--config",
        str(config),
        "--quiet",
    ]


def start(args: list[str], stdin: bytes | None = None) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin.decode())
        proc.stdin.close()
    # a hang guard, not a speed check
    guard = threading.Timer(RUN_LIMIT_S, lambda: proc.poll() is None and proc.kill())
    guard.daemon = True
    guard.start()
    return proc


def wait_for(proc: subprocess.Popen[str], pattern: str) -> list[str]:
    """Read the run's log until a line matches `pattern`; return the lines read."""
    assert proc.stderr is not None
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if re.search(pattern, line):
            return lines
    proc.wait()
    raise AssertionError(
        f"the run ended (rc {proc.returncode}) before {pattern!r}:\n" + "".join(lines[-30:])
    )


def finish(proc: subprocess.Popen[str]) -> str:
    assert proc.stderr is not None
    rest = proc.stderr.read()
    proc.wait(RUN_LIMIT_S)
    return rest


# ------------------------------------------------------------ reading a store


def snapshot(store: Path) -> dict:
    """What a store holds, for comparing two stores (read with plain sqlite3)."""
    db = sqlite3.connect(store)
    try:
        last = db.execute("SELECT max(id) FROM runs WHERE finished_at IS NOT NULL").fetchone()[0]
        claims: dict[str, list[str]] = {}
        for cid, aid in db.execute("SELECT id, article_id FROM claims ORDER BY id"):
            claims.setdefault(aid, []).append(cid)
        events = [
            (eid, tuple(json.loads(data)["article_ids"]))
            for eid, data in db.execute(
                "SELECT id, data FROM events WHERE run_id = ? ORDER BY id", (last,)
            )
        ]
        return {
            "articles": dict(db.execute("SELECT id, content_hash FROM articles")),
            "claims": claims,
            "claim_data": dict(db.execute("SELECT id, data FROM claims")),
            "vectors": {
                k: np.frombuffer(v, dtype=np.float32)
                for k, v in db.execute("SELECT text_hash, vector FROM vectors")
            },
            "finished_runs": db.execute(
                "SELECT count(*) FROM runs WHERE finished_at IS NOT NULL"
            ).fetchone()[0],
            "events": events,
            "findings": sorted(
                r[0] for r in db.execute("SELECT id FROM findings WHERE run_id = ?", (last,))
            ),
            "changes": sorted(
                r[0] for r in db.execute("SELECT id FROM changes WHERE run_id = ?", (last,))
            ),
        }
    finally:
        db.close()


def assert_consistent(store: Path, clean: dict) -> dict:
    """A store left by a killed run: sound SQLite, whole articles, no half-saved results."""
    db = sqlite3.connect(store)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        for table in ("events", "findings", "changes", "failures"):
            orphans = db.execute(
                f"SELECT count(*) FROM {table} WHERE run_id NOT IN "
                "(SELECT id FROM runs WHERE finished_at IS NOT NULL)"
            ).fetchone()[0]
            assert orphans == 0, f"{table} holds results of an unfinished run"
    finally:
        db.close()
    state = snapshot(store)
    # every article is there with all of its claims, or not at all
    for article, content in state["articles"].items():
        assert content == clean["articles"][article]
        assert state["claims"].get(article, []) == clean["claims"].get(article, [])
    for key, vector in state["vectors"].items():
        # batch composition can move the last float bits, never more
        assert np.allclose(vector, clean["vectors"][key], atol=1e-5)
    if state["finished_runs"]:
        assert state["events"] == clean["events"] and state["findings"] == clean["findings"]
    return state


@pytest.fixture(scope="module")
def clean_run(inbox, tmp_path_factory, minilm) -> dict:
    """The same input and settings run once without interruption (in this process, where the
    models are already loaded: the store it writes is the same as the CLI's)."""
    from dedupe.pipeline import run
    from dedupe.settings import load_settings

    tmp = tmp_path_factory.mktemp("clean")
    folder, config = inbox
    result = run([str(folder)], load_settings(config), tmp / "s.db", tmp / "out", NOW)
    assert not result.failures
    state = snapshot(tmp / "s.db")
    state["report"] = result.report
    return state


# the stages a run is killed at, by the log line that says it got there
KILL_POINTS = [
    ("ingest", r"dedupe\.pipeline: stage ingest"),
    ("extract, after the first article was saved", r"dedupe\.store\.database: saved article "),
    (
        "embed, after the first batch of vectors was saved",
        r"dedupe\.store\.database: saved \d+ vectors",
    ),
    ("events", r"dedupe\.pipeline: stage events"),
    (
        "writing reports, after the results were saved",
        r"dedupe\.store\.database: saved the results of run",
    ),
]


def test_runs_killed_at_five_stages_leave_a_consistent_store_and_the_next_run_finishes(
    inbox, clean_run, tmp_path
):
    store, out = tmp_path / "s.db", tmp_path / "out"
    args = dedupe_args(inbox, store, out)
    progress = []
    for stage, pattern in KILL_POINTS:
        proc = start(args)
        wait_for(proc, pattern)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(RUN_LIMIT_S)
        assert proc.returncode == -signal.SIGKILL
        state = assert_consistent(store, clean_run)
        progress.append(
            (stage, len(state["articles"]), len(state["vectors"]), state["finished_runs"])
        )
    # each kill left more work done than the one before (articles, then vectors, then a
    # finished run), so the kills really fell in different stages
    print(
        "\n".join(f"killed in {p[0]}: {p[1:]} (articles, vectors, finished runs)" for p in progress)
    )
    assert progress[0][1:] == (0, 0, 0)
    assert progress[1][1] >= 1 and progress[1][2] == 0
    assert progress[2][1] == len(clean_run["articles"]) and progress[2][2] >= 1
    assert progress[3][2] == len(clean_run["vectors"]) and progress[3][3] == 0
    assert progress[4][3] == 1

    proc = start(args)
    log = finish(proc)
    assert proc.returncode == 0, log[-3000:]
    final = snapshot(store)
    for key in ("articles", "claims", "claim_data", "events", "findings", "changes"):
        assert final[key] == clean_run[key], key
    assert final["vectors"].keys() == clean_run["vectors"].keys()
    assert clean_run["findings"] and len(clean_run["events"]) == 2
    report = json.loads((out / "report.json").read_text())
    for key in ("events", "findings"):
        assert [x["id"] for x in report[key]] == [x["id"] for x in clean_run["report"][key]]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")], "temp files left"


def test_a_second_run_on_a_locked_store_exits_1_with_a_clear_message(tmp_path):
    """Run A reads JSON lines from stdin; while it is stopped mid-run (SIGSTOP: it still holds
    the lock), run B on the same store must refuse at once and change nothing."""
    body = "The council approved the budget on Monday after a long debate, officials said."
    lines = [
        json.dumps(
            {
                "title": f"Budget {n}",
                "text": f"{body} Vote {n}.",
                "url": f"https://e.com/{n}",
                "published": "2025-10-13",
                "source": f"Outlet {n}",
            }
        )
        for n in range(3)
    ]
    store, out = tmp_path / "s.db", tmp_path / "out"
    base = [sys.executable, "-m", "dedupe", "-v", "run", "--store", str(store), "--out", str(out)]
    first = start([*base, "-"], stdin="\n".join(lines).encode())
    wait_for(first, r"dedupe\.pipeline: stage extract")
    os.killpg(first.pid, signal.SIGSTOP)
    try:
        second = subprocess.run(
            [*base, str(SEEDS)], cwd=ROOT, capture_output=True, text=True, timeout=RUN_LIMIT_S
        )
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    assert second.returncode == 1
    assert re.search(
        rf"dedupe: error: .*s\.db is in use by another dedupe run \(pid {first.pid}\); "
        "wait for it to finish",
        second.stderr,
    ), second.stderr
    log = finish(first)
    assert first.returncode == 0, log[-3000:]
    report = json.loads((out / "report.json").read_text())
    # the stdin articles were read, and the refused run left no trace (one run, no seeds)
    assert sorted(a["title"] for a in report["articles"]) == ["Budget 0", "Budget 1", "Budget 2"]
    db = sqlite3.connect(store)
    assert db.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    db.close()
