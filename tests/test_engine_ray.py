"""`dedupe run --engine ray` against the local engine: a Ray cluster started here (2 CPUs,
its own temp folder) must give the same claims, vectors, events and findings on the seeds and
300 Reuters-21578 articles; and its errors are one line."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from dedupe.cli import cli
from dedupe.engines import open_engine
from dedupe.errors import EngineError
from dedupe.evaluate.reuters import read_reuters
from dedupe.pipeline import run
from dedupe.settings import Settings

from .conftest import ROOT, SEEDS

REUTERS = ROOT / "../shared/data/reuters21578"
NOW = dt.datetime(2025, 11, 1, tzinfo=dt.UTC)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def ray_address() -> Iterator[str]:
    """A one-node Ray cluster with 2 CPUs and a 200 MB object store, in a temp folder of its
    own (so no other Ray user finds it), stopped with its processes at the end."""
    pytest.importorskip("ray", reason="the ray engine needs ray: pip install -e '.[ray]'")
    port = free_port()
    temp = Path(tempfile.mkdtemp(prefix="ray-", dir="/tmp"))  # sockets need a short path
    # `ray start --block` stops the processes it started when it is terminated
    head = subprocess.Popen(
        [str(Path(sys.executable).parent / "ray"), "start", "--head", "--block"]
        + ["--port", str(port), "--num-cpus", "2", "--object-store-memory", "200000000"]
        + ["--include-dashboard", "false", "--disable-usage-stats", "--temp-dir", str(temp)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while head.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.2)
        assert head.poll() is None, "ray start --head exited"
        yield f"127.0.0.1:{port}"
    finally:
        head.send_signal(signal.SIGTERM)
        head.wait(60)
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The seeds and the first 300 Reuters-21578 articles (1987: never grouped with them)."""
    folder = tmp_path_factory.mktemp("reuters")
    with (folder / "reuters.jsonl").open("w") as out:
        for record in islice(read_reuters(REUTERS), 300):
            out.write(json.dumps(record) + "\n")
    return [str(SEEDS), str(folder)]


def comparable(out: Path, store: Path) -> dict[str, object]:
    """report.json without what differs between two runs of the same input into two stores:
    stage seconds and the store's path (also in each finding's review commands)."""
    report = json.loads((out / "report.json").read_text().replace(str(store.resolve()), "STORE"))
    report["run"]["stats"].pop("seconds")
    return report


def rows(store: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(store) as db:
        return db.execute(query).fetchall()


@pytest.mark.slow
def test_ray_engine_gives_the_local_engines_results(
    ray_address: str, inbox: list[str], tmp_path: Path
) -> None:
    local = run(inbox, Settings(), tmp_path / "local.db", tmp_path / "local", NOW)
    with open_engine("ray", ray_address) as engine:
        on_ray = run(inbox, Settings(), tmp_path / "ray.db", tmp_path / "ray", NOW, engine=engine)

    # both read the 5 seeds and the 300 articles, and the seeds' 3 findings are among them
    assert local.stats.articles_new == on_ray.stats.articles_new == 305
    assert local.stats.findings >= 3
    assert comparable(tmp_path / "ray", tmp_path / "ray.db") == comparable(
        tmp_path / "local", tmp_path / "local.db"
    )
    claims = "SELECT id, article_id, data FROM claims ORDER BY id"
    assert rows(tmp_path / "ray.db", claims) == rows(tmp_path / "local.db", claims)
    vectors = "SELECT text_hash, fingerprint, vector FROM vectors ORDER BY text_hash, fingerprint"
    ours, theirs = rows(tmp_path / "ray.db", vectors), rows(tmp_path / "local.db", vectors)
    assert [r[:2] for r in ours] == [r[:2] for r in theirs]
    X, Y = (np.vstack([np.frombuffer(r[2], np.float32) for r in t]) for t in (ours, theirs))
    # the same backend embeds the same batches in the actors, so the same bytes here
    # (measured); the tolerance allows only for another thread count's summation order
    assert np.abs(X - Y).max() <= 1e-6


def test_unreachable_address_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="the ray engine needs ray: pip install -e '.[ray]'")
    port = free_port()  # closed again: nothing listens there
    args = ["run", str(SEEDS), "--store", str(tmp_path / "s.db"), "--out", str(tmp_path)]
    result = CliRunner().invoke(cli, [*args, "--engine", "ray", "--address", f"127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"dedupe: error: cannot reach a Ray cluster at 127.0.0.1:{port}"
    )
    assert result.output.count("\n") == 1
    assert not (tmp_path / "s.db").exists()  # refused before the store was opened


def test_address_needs_the_ray_engine(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "--address", "127.0.0.1:6379"])
    assert result.exit_code == 2
    assert "--address is for --engine ray" in result.output


def test_bad_address() -> None:
    pytest.importorskip("ray", reason="the ray engine needs ray: pip install -e '.[ray]'")
    with pytest.raises(EngineError, match="is not host:port"), open_engine("ray", "nowhere"):
        pass


def test_without_ray_the_engine_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray raises ImportError
    expected = r"pip install 'news-dedupe\[ray\]'"
    with pytest.raises(EngineError, match=expected), open_engine("ray"):
        pass


@pytest.mark.slow
def test_ray_usage_reports_stay_off_unless_asked_for(
    ray_address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newsroom's runs report nothing to Ray's makers unless the user opts in."""
    monkeypatch.delenv("RAY_USAGE_STATS_ENABLED", raising=False)
    with open_engine("ray", ray_address):
        assert os.environ["RAY_USAGE_STATS_ENABLED"] == "0"
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "1")
    with open_engine("ray", ray_address):
        assert os.environ["RAY_USAGE_STATS_ENABLED"] == "1"
