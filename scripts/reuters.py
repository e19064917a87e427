"""Convert Reuters-21578 SGML files to dedupe's JSONL article format (for benchmarks).

Usage: python scripts/reuters.py ../shared/data/reuters21578 OUT.jsonl [--limit N]

Each <REUTERS> document with a body becomes {id, title, text, source, published, url}; the
publish date comes from its <DATE> field (1987).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dedupe.evaluate.reuters import read_reuters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    n = 0
    with args.out.open("w", encoding="utf-8") as out:
        for record in read_reuters(args.folder):
            out.write(json.dumps(record) + "\n")
            n += 1
            if n == args.limit:
                break
    print(f"wrote {n} articles to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
