"""Candidate labels for evaluation/findings/labels.jsonl: every finding one checkout of dedupe
reports on a collection, in the shape of a label with `conflict` and `cause` left to fill.

Usage: python scripts/findings_candidates.py CHECKOUT OUT/ COLLECTION.jsonl... [--stores DIR]
           [--labels evaluation/findings/labels.jsonl]

CHECKOUT is a tree of any dedupe commit (`git worktree add /tmp/old COMMIT`). Its pipeline
runs in a subprocess (PYTHONPATH=CHECKOUT) over each collection's articles, written as this
tree reads them (so article ids and character offsets are this tree's; ingest gives the same
text at every commit since the ids became content-based), with the run date `dedupe eval
findings` uses. Each finding of its report.json becomes one line of OUT/NAME.jsonl: the first
quote of each value it disputes is a side (`_sides`), with the gold event of its article; the
pair's part (`evaluate.labels.part_of`), the collection, and the commit in `origin`. Findings
of one kind on the same quotes become one line. With `--labels` it also prints the scores of
the checkout's findings on all the collections against the labels, as `dedupe eval findings
--labels` prints them (how an old commit's checks did, for a before/after).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from dedupe.evaluate.findings import format_part
from dedupe.evaluate.labels import part_of, read_labels, score_labels
from dedupe.evaluate.runs import Documents, read_labelled, run_date
from dedupe.records import Finding, from_dict

# runs in the checkout (its folder is the working directory, which `python -c` puts first on
# the path): `pipeline.run` has taken (inputs, settings, store, out, now) since the store
# became content-keyed
DRIVER = """
import datetime as dt, sys
import dedupe
print("running", dedupe.__file__, file=sys.stderr)
from dedupe.pipeline import run
from dedupe.settings import load_settings
run([sys.argv[1]], load_settings(None), sys.argv[2], sys.argv[3],
    dt.datetime.fromisoformat(sys.argv[4]), formats=("json",))
"""


def candidates(
    report: dict[str, Any], gold: dict[str, str], collection: str, origin: str
) -> list[dict[str, Any]]:
    """One candidate label per kind and pair of quotes among the report's findings."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for finding in report["findings"]:
        sides = _sides(finding)
        evidence = [
            {
                "article_id": e["article_id"],
                "start": e["start"],
                "end": e["end"],
                "gold_event": gold[e["article_id"]],
            }
            for e in sides
        ]
        key = (finding["kind"], *sorted((e["article_id"], e["start"]) for e in evidence))
        if key in out:
            out[key]["values"] += [v for v in finding["values"] if v not in out[key]["values"]]
            continue
        out[key] = {
            "kind": finding["kind"],
            "severity": finding["severity"],
            "conflict": None,
            "cause": None,
            "part": part_of(e["gold_event"] for e in evidence),
            "collection": collection,
            "evidence": evidence,
            "quotes": [e["quote"] for e in sides],
            "values": list(finding["values"]),
            "reason": finding["reason"],
            "origin": origin,
            "note": "",
        }
    return list(out.values())


def _sides(finding: dict[str, Any]) -> list[dict[str, Any]]:
    """The first quote of each disputed value; when quotes spell a value otherwise than the
    finding ("AJ Butler" merged into "A.J. Butler") or give one value twice (normalised alike),
    the first quotes of distinct values, else the first two; a title checked against the
    officeholder table has one quote."""
    evidence = finding["evidence"]
    exact = [next((e for e in evidence if e["value"] == v), None) for v in finding["values"]]
    if all(exact) and len({id(e) for e in exact}) == len(exact) > 1:
        return [e for e in exact if e]
    by_value: dict[str, dict[str, Any]] = {}
    for e in evidence:
        by_value.setdefault(e["value"], e)
    return list(by_value.values()) if len(by_value) > 1 else evidence[:2]


def run_checkout(checkout: Path, docs: Documents, store: Path | None) -> dict[str, Any]:
    """The report.json of one run of the checkout's pipeline over the documents."""
    with tempfile.TemporaryDirectory(prefix="dedupe-candidates-") as tmp:
        inputs = Path(tmp) / "articles.jsonl"
        inputs.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in docs.records),
            encoding="utf-8",
        )
        db = (store or Path(tmp) / "store.db").resolve()
        env = os.environ | {"PYTHONPATH": str(checkout)}
        command = [sys.executable, "-c", DRIVER, str(inputs), str(db), tmp]
        subprocess.run([*command, run_date(docs).isoformat()], env=env, cwd=checkout, check=True)
        return json.loads((Path(tmp) / "report.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("out", type=Path, help="folder for one NAME.jsonl per collection")
    parser.add_argument("collections", type=Path, nargs="+")
    parser.add_argument("--stores", type=Path, help="folder to keep the stores in (NAME.db)")
    parser.add_argument("--labels", type=Path, help="score the findings against these labels")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    commit = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    args.out.mkdir(parents=True, exist_ok=True)
    findings: list[Finding] = []
    gold: dict[str, str] = {}
    fields = set(Finding.__dataclass_fields__)
    for path in args.collections:
        docs = read_labelled(path, None)
        store = args.stores / f"{path.stem}.db" if args.stores else None
        report = run_checkout(checkout, docs, store)
        lines = candidates(report, docs.gold, path.stem, commit)
        out = args.out / f"{path.stem}.jsonl"
        out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
        print(
            f"{out}: {len(lines)} candidates from {len(report['findings'])} findings "
            f"on {len(docs.articles)} articles ({commit})",
            file=sys.stderr,
        )
        findings += [
            from_dict(Finding, {k: v for k, v in f.items() if k in fields})
            for f in report["findings"]
        ]
        gold |= docs.gold
    if args.labels:
        scores = score_labels(findings, read_labels(args.labels), gold)
        for part, part_scores in scores.items():
            print("\n".join(["", *format_part(part, part_scores)]))


if __name__ == "__main__":
    main()
