"""Hostile-input run: generated folders of hostile files beside good articles, read through
the real ingest layer into a real store; prints how many cases crashed (goal 0).

Usage: python scripts/hostile.py [--cases 10000] [--seed 0]

A case is one hostile file (a name of any bytes, content in any encoding: JSON shapes and
depths, dates at the calendar's edge, HTML nesting, feed XML, raw bytes). Folders of up to six
cases are checked together (`tests/hostile.py`): no exception, the good articles read, every
hostile file reported as an article or a failure, the store passing PRAGMA integrity_check.
"""

from __future__ import annotations

import argparse
import collections
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the generators live beside the tests

from tests.hostile import check_folder, hostile_file, write_folder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # each reported file is logged; the counts are what matter
    work = Path(tempfile.mkdtemp(prefix="dedupe-hostile-"))
    counts: collections.Counter[str] = collections.Counter()
    problems: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()

    def folders(round_: int, examples: int) -> None:
        @seed(args.seed + round_)
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(files=st.lists(hostile_file(), min_size=1, max_size=6))
        def one_folder(files: list[tuple[bytes, bytes]]) -> None:
            if counts["cases"] >= args.cases:
                return
            folder = work / str(counts["folders"])
            bad = write_folder(folder / "in", files)
            found = check_folder(folder / "in", bad, folder / "s.db")
            counts["folders"] += 1
            counts["cases"] += len(bad)
            counts["failed folders"] += bool(found)
            for problem in found:
                problems[problem] += 1
                print(f"folder {folder}: {problem}", file=sys.stderr)
            if not found:
                shutil.rmtree(folder)  # a failed folder stays, to be looked at
            if counts["folders"] % 200 == 0:
                print(
                    f"{counts['cases']:,} cases, {counts['failed folders']} failed folders",
                    file=sys.stderr,
                )

        one_folder()

    # a folder holds 1 to 6 cases: ask for a third of what is left, round after round
    round_ = 0
    while counts["cases"] < args.cases:
        folders(round_, max(1, (args.cases - counts["cases"]) // 3))
        round_ += 1
    seconds = time.perf_counter() - start
    crashes = sum(n for p, n in problems.items() if p.startswith("crash"))
    print(f"cases {counts['cases']:,} in {counts['folders']:,} folders, {seconds:.0f} s")
    print(f"crashes {crashes}")
    print(f"other problems {sum(problems.values()) - crashes}")
    for problem, n in problems.most_common(10):
        print(f"  {n:5d}  {problem[:160]}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
