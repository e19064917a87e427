"""Write labelled story files (JSONL, one article a line with a gold `story`) for
`dedupe eval events`, from FNC-1 train or from ECB+ cut to short items.

Usage:
    python scripts/stories.py fnc1 ../shared/data/fnc1-train OUT.jsonl [--max-stories N]
    python scripts/stories.py fnc1 ../shared/data/fnc1-train OUT.jsonl --headlines-only
    python scripts/stories.py ecbplus ../shared/data/ecbplus/ecbplus_docs.jsonl OUT.jsonl \
        [--cut first|title+first] [--split dev]

FNC-1: headlines and bodies linked by agree/discuss/disagree pairs form a story (connected
components); each distinct headline and each body is one item, with no date; the split is
`dev` for about 30% of stories by a hash of the story label. ECB+: each document cut to its
first sentence, or title plus first sentence, with its gold subtopic, topic and split.
`--max-stories` keeps whole stories, those whose label hashes lowest (after `--split`).
Items dedupe cannot read as articles are left out, each named. Prints how many items and
stories the file has.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dedupe.errors import InputError
from dedupe.evaluate.ecbplus import read_documents
from dedupe.evaluate.stories import CUTS, describe, ecbplus_cut, fnc1_stories, sample_stories
from dedupe.ingest.read import article_from_record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["fnc1", "ecbplus"])
    parser.add_argument("source", type=Path, help="FNC-1 folder or ECB+ docs file")
    parser.add_argument("out", type=Path)
    parser.add_argument("--cut", choices=CUTS, default="first")
    parser.add_argument("--split", help="keep only this split (train or dev)")
    parser.add_argument("--max-stories", type=int, default=0, help="0: all")
    parser.add_argument("--headlines-only", action="store_true", help="FNC-1: drop the bodies")
    args = parser.parse_args()
    if args.kind == "fnc1":
        records = fnc1_stories(args.source / "train_stances.csv", args.source / "train_bodies.csv")
        if args.headlines_only:
            records = [r for r in records if r["id"].startswith("fnc1-h")]
    else:
        records = ecbplus_cut(read_documents(args.source), args.cut)
    if args.split:
        records = [r for r in records if r.get("split") == args.split]
    if args.max_stories:
        records = sample_stories(records, args.max_stories)
    records = [r for r in records if readable(r)]
    with args.out.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{args.out}: {describe(records)}", file=sys.stderr)


def readable(record: dict) -> bool:
    """Whether dedupe reads the record as an article; an item it cannot read (an FNC-1 body
    that is one "Video: ..." line, which ingest drops as boilerplate) is left out, with why."""
    try:
        article_from_record(record, record["id"])
    except InputError as exc:
        print(f"left out {exc}", file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    main()
