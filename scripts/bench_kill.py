"""Kill benchmark: runs killed with SIGKILL at random moments must resume to the same store.

Usage: python scripts/bench_kill.py [--articles 200] [--kills 20] [--seed 0]
                                    [--spread time|stages] [--reuters DIR]
                                    [--run-limit 1800]

Builds an inbox of N distinct articles as `scripts/bench.py` does (Reuters-21578 up to its
19,000 or so, then ECB+ and FNC-1), runs
`dedupe run` on it once without interruption into store A, and times that run (T) and its
stages. Then, in chains, each into a fresh store B: start `dedupe run` as a process, kill
its process group with SIGKILL at a seeded random moment, check the store it left
(`PRAGMA integrity_check`), start it again, and so on until a run completes; then compare B
with A. Chains go on until `--kills` kills have landed (a last chain runs to completion).

`--spread time` draws the moment uniformly from [0, T] after the start, as a power cut
would; most kills then land in the longest stage. `--spread stages` draws a stage (ingest,
extract, embed, events, checks, report, or writing reports after the results were saved)
and kills a uniform [0, its seconds in run A] after the run announces it, so every stage is
hit.

Where a kill landed is read from the run's own log (`-vv`): the last stage it announced, how
many articles and vector batches it had saved, and whether it had saved its results (it
then dies while writing reports). B matches A when every table holds the same rows, leaving
out run ids and timestamps: articles, claims, vectors (floats within 1e-5: a resumed run
embeds in other batches, which can move the last bits), events, findings, changes and
failures of the last finished run, and the grouping state (grouped articles, pair scores,
fingerprint, each event's pair findings, each grouped article's profile row). This is a
benchmark, not a test: it takes minutes and prints what it saw.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # the inbox is built as the throughput benchmark builds it

from bench import DATA, build_corpus, write_inbox  # noqa: E402

FLOAT_TOLERANCE = 1e-5


@dataclass
class Attempt:
    """One `dedupe run` process and what its log said before it ended; `reached` is set
    when a line matches `target` (at once without one) or when the log ends."""

    target: re.Pattern[str] | None
    lines: list[str] = field(default_factory=list)
    reached: threading.Event = field(default_factory=threading.Event)

    def read(self, stream: Any) -> None:
        for line in stream:
            self.lines.append(line)
            if self.target is not None and self.target.search(line):
                self.reached.set()
        self.reached.set()

    def where(self) -> str:
        stages = [m.group(1) for m in map(_STAGE.search, self.lines) if m]
        stage = stages[-1] if stages else "starting (models, imports)"
        if any(_RESULTS.search(line) for line in self.lines):
            return "writing reports (results saved)"
        articles = sum(bool(_ARTICLE.search(line)) for line in self.lines)
        batches = sum(bool(_VECTORS.search(line)) for line in self.lines)
        detail = {"extract": f", {articles} articles saved", "embed": f", {batches} batches saved"}
        return stage + detail.get(stage, "")


_STAGE = re.compile(r"dedupe\.pipeline: stage (\w+)")
_ARTICLE = re.compile(r"dedupe\.store\.database: saved article ")
_VECTORS = re.compile(r"dedupe\.store\.database: saved \d+ vectors")
_RESULTS = re.compile(r"dedupe\.store\.database: saved the results of run")


def run_args(inbox: Path, store: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "dedupe", "-vv", "run", str(inbox), "--store", str(store),
            "--out", str(out), "--quiet"]  # fmt: skip


def launch(
    args: list[str], target: re.Pattern[str] | None
) -> tuple[subprocess.Popen[str], Attempt, threading.Thread]:
    """Start a run in its own process group; a thread reads its log so the pipe never fills
    (a run blocked on a full pipe would not be where its clock says)."""
    proc = subprocess.Popen(
        args,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    attempt = Attempt(target)
    if target is None:
        attempt.reached.set()
    reader = threading.Thread(target=attempt.read, args=(proc.stderr,), daemon=True)
    reader.start()
    return proc, attempt, reader


def snapshot(store: Path) -> dict[str, Any]:
    """Every table's rows without run ids or times (see the module doc)."""
    db = sqlite3.connect(store)
    try:
        last = db.execute("SELECT max(id) FROM runs WHERE finished_at IS NOT NULL").fetchone()[0]

        def rows(sql: str, *params: Any) -> list[tuple[Any, ...]]:
            return sorted(db.execute(sql, params).fetchall())

        def blobs(sql: str) -> dict[str, np.ndarray]:
            return {k: np.frombuffer(v, dtype=np.float32) for k, v in db.execute(sql)}

        return {
            "articles": rows("SELECT id, content_hash, claims_fingerprint, data FROM articles"),
            "claims": rows("SELECT id, article_id, data FROM claims"),
            "vectors": blobs("SELECT text_hash || '/' || fingerprint, vector FROM vectors"),
            "events": rows("SELECT id, data FROM events WHERE run_id = ?", last),
            "findings": rows(
                "SELECT id, event_id, kind, severity, evidence_hash, data FROM findings "
                "WHERE run_id = ?",
                last,
            ),
            "changes": rows("SELECT id, event_id, data FROM changes WHERE run_id = ?", last),
            "failures": rows("SELECT path, reason FROM failures WHERE run_id = ?", last),
            "grouped": rows("SELECT article_id, state, time, report FROM grouped"),
            "grouped vectors": blobs("SELECT article_id, vector FROM grouped"),
            "event pairs": {(a, b): s for a, b, s in db.execute("SELECT * FROM event_pairs")},
            "grouping": rows("SELECT fingerprint FROM grouping"),
            "compared": rows("SELECT event_id, findings FROM compared"),
            "profiles": rows("SELECT article_id, claims, profile FROM profiles"),
        }
    finally:
        db.close()


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The tables in which two snapshots differ (floats compared within the tolerance)."""
    out = []
    for table, left in a.items():
        right = b[table]
        if isinstance(left, dict):
            same = left.keys() == right.keys() and all(
                np.allclose(left[k], right[k], atol=FLOAT_TOLERANCE, rtol=0) for k in left
            )
        else:
            same = left == right
        if not same:
            out.append(table)
    return out


def kill_points(store: Path, full: float) -> dict[str, tuple[re.Pattern[str] | None, float]]:
    """Where `--spread stages` may kill: each stage's log line and its seconds in run A."""
    db = sqlite3.connect(store)
    try:
        seconds = json.loads(db.execute("SELECT stats FROM runs").fetchone()[0])["seconds"]
    finally:
        db.close()
    points: dict[str, tuple[re.Pattern[str] | None, float]] = {
        stage: (re.compile(rf"dedupe\.pipeline: stage {stage}\b"), seconds.get(stage, 0.0))
        for stage in ("ingest", "extract", "embed", "events", "checks", "report")
    }
    points["writing reports"] = (_RESULTS, seconds.get("report", 0.0))
    points["anywhere"] = (None, full)
    return points


def integrity(store: Path) -> str:
    if not store.exists():
        return "no store yet"
    db = sqlite3.connect(store)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--spread", choices=("time", "stages"), default="time")
    parser.add_argument("--reuters", type=Path, default=DATA / "reuters21578")
    parser.add_argument(
        "--run-limit",
        type=float,
        default=1800.0,
        help="seconds after which a run counts as hung (raise it for 10k on a busy machine)",
    )
    args = parser.parse_args()
    if args.articles < 1 or args.kills < 1:
        parser.error("--articles and --kills must be at least 1")
    records = build_corpus(
        args.articles, args.reuters, DATA / "ecbplus/ecbplus_docs.jsonl", DATA / "fnc1-train"
    )
    with tempfile.TemporaryDirectory(prefix="dedupe-kill-") as tmp:
        measure(args, records, Path(tmp))


def measure(args: argparse.Namespace, records: list[dict[str, str]], work: Path) -> None:
    inbox = write_inbox(records, work / "inbox")

    start = time.perf_counter()
    done = subprocess.run(
        run_args(inbox, work / "a.db", work / "a-out"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=args.run_limit,
    )
    full = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"the uninterrupted run failed:\n{done.stderr[-3000:]}")
    clean = snapshot(work / "a.db")
    print(
        f"store A: {len(records)} articles, {len(clean['claims'])} claims, "
        f"{len(clean['events'])} events, {len(clean['findings'])} findings; "
        f"uninterrupted run {full:.1f} s; kills spread over {args.spread}\n"
    )
    points = kill_points(work / "a.db", full)
    stages = [p for p in points if p != "anywhere"]

    rng = random.Random(args.seed)
    kills, chain, matched = 0, 0, 0
    print("| kill | chain | run | killed at s | where it landed | store after |")
    print("| --- | --- | --- | --- | --- | --- |")
    summaries = []
    while kills < args.kills:
        chain += 1
        store = work / f"b{chain}.db"
        attempts = 0
        while True:
            attempts += 1
            last = kills == args.kills  # enough kills: this run must complete
            point = "anywhere" if args.spread == "time" or last else rng.choice(stages)
            target, seconds = points[point]
            delay = args.run_limit if last else rng.uniform(0, seconds)
            started = time.perf_counter()
            proc, attempt, reader = launch(run_args(inbox, store, work / f"b{chain}-out"), target)
            try:
                attempt.reached.wait(args.run_limit)
                proc.wait(delay)
            except subprocess.TimeoutExpired:
                killed_at = time.perf_counter() - started
                os.killpg(proc.pid, signal.SIGKILL)
                if last:
                    sys.exit(f"chain {chain}: run {attempts} hung for {args.run_limit:.0f} s")
                proc.wait()
                reader.join()
                kills += 1
                drawn = "" if point == "anywhere" else f" (drawn: {point} + {delay:.1f} s)"
                print(
                    f"| {kills} | {chain} | {attempts} | {killed_at:.1f} | "
                    f"{attempt.where()}{drawn} | {integrity(store)} |",
                    flush=True,
                )
                continue
            reader.join()
            if proc.returncode != 0:
                sys.exit(f"chain {chain}: run {attempts} failed:\n{''.join(attempt.lines[-40:])}")
            break
        diff = differences(clean, snapshot(store))
        matched += not diff
        summaries.append(
            f"chain {chain}: {attempts - 1} kill(s), run {attempts} completed; "
            + ("store B = store A" if not diff else f"DIFFERS in {', '.join(diff)}")
        )
        print(f"| | {chain} | {attempts} | completed | {summaries[-1]} | |", flush=True)
    print()
    print("\n".join(summaries))
    print(f"\n{kills} kills in {chain} chains; {matched} of {chain} final stores match store A")
    print(json.dumps({"kills": kills, "chains": chain, "matched": matched}))


if __name__ == "__main__":
    main()
