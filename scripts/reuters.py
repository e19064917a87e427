"""Convert Reuters-21578 SGML files to dedupe's JSONL article format (for benchmarks).

Usage: python scripts/reuters.py ../shared/data/reuters21578 OUT.jsonl [--limit N]

Each <REUTERS> document with a body becomes {id, title, text, source, published, url}; the
publish date comes from its <DATE> field (1987).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

_DOC = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _field(doc: str, name: str) -> str:
    match = re.search(rf"<{name}>(.*?)</{name}>", doc, re.DOTALL)
    return _CONTROL.sub("", html.unescape(match.group(1))).strip() if match else ""


def read_reuters(folder: Path) -> Iterator[dict[str, str]]:
    """Reuters documents in file and id order, skipping those without a body."""
    for path in sorted(folder.glob("reut2-*.sgm")):
        raw = path.read_bytes().decode("latin-1")
        for newid, doc in _DOC.findall(raw):
            body = _field(doc, "BODY")
            if not body:
                continue
            body = re.sub(r"\s*Reuter\s*$", "", body)
            # paragraphs are indented lines; re-flow the hard-wrapped lines in between
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s{3,}", body)]
            day = re.search(r"\d{1,2}-[A-Z]{3}-\d{4}", _field(doc, "DATE").upper())
            if day is None:
                continue
            when = dt.datetime.strptime(day.group(0), "%d-%b-%Y").date()
            yield {
                "id": f"reuters-{newid}",
                "title": _field(doc, "TITLE").title(),
                "text": "\n".join(p for p in paragraphs if p),
                "source": "Reuters",
                "published": when.isoformat(),
                "url": f"https://reuters21578.example/{newid}",
            }


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
