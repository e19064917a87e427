"""Measure dating and the officeholder checks on Reuters-21578 (1987 newswire, dated).

    python scripts/eval_officeholders.py [REUTERS_DIR] [--first 0] [--files 1] [--today DATE]

Choices were made on file 0 (reut2-000.sgm); files 1 and 2 are the check.

Articles are professionally edited and contemporary, so their titles are right at their
dates: every anachronism or wrong-qualifier finding on them is a false alarm (or a table or
parsing gap) and is printed for inspection. Each article is also dated as if it had no
date, and the window is compared with its real date. Only articles whose body names an
office ("President", "Minister", "Chancellor", "Secretary") are read: the others give no
officeholder clue. Prints counts, not a pass/fail; the numbers go in the change's note.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import html
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedupe.checks import EventContext, officeholders  # noqa: E402
from dedupe.claims.extract import extract_claims  # noqa: E402
from dedupe.claims.nlp import load_nlp  # noqa: E402
from dedupe.events.dating import date_articles  # noqa: E402
from dedupe.events.grouping import article_window  # noqa: E402
from dedupe.knowledge.officeholders import load_officeholders  # noqa: E402
from dedupe.records import Article, Event, Finding, content_hash  # noqa: E402
from dedupe.settings import Settings  # noqa: E402

_DOC = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.DOTALL)
_OFFICE = re.compile(r"\b(President|Minister|Chancellor|Secretary)\b")


def read_reuters(folder: Path, first: int, files: int) -> list[Article]:
    articles = []
    for path in sorted(folder.glob("reut2-*.sgm"))[first : first + files]:
        raw = path.read_bytes().decode("latin-1")
        for newid, doc in _DOC.findall(raw):
            date = re.search(r"<DATE>\s*(\d+-[A-Z]+-\d{4})", doc)
            body = re.search(r"<BODY>(.*?)</BODY>", doc, re.DOTALL)
            if not (date and body) or not _OFFICE.search(body.group(1)):
                continue
            # wire copy: paragraphs start with an indented line, other newlines are wrapping
            text = html.unescape(body.group(1)).replace("\n    ", "\n\n")
            text = re.sub(r"(?<!\n)\n(?!\n)", " ", text).replace(" Reuter\n&#3;", "").strip()
            articles.append(
                Article(
                    id=f"reuters-{newid}",
                    title="",
                    text=text,
                    source="Reuters",
                    path=f"{path.name}#{newid}",
                    published=dt.datetime.strptime(date.group(1), "%d-%b-%Y").date(),
                    content_hash=content_hash(text),
                )
            )
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared/data/reuters21578"))
    parser.add_argument("--first", type=int, default=0, help="first reut2-*.sgm file to read")
    parser.add_argument("--files", type=int, default=1, help="how many files to read")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args()
    articles = read_reuters(Path(args.folder), args.first, args.files)
    kb = load_officeholders()
    settings = Settings()
    nlp = load_nlp(settings.spacy_models)
    by_article = {a.id: cs for a, cs in extract_claims(articles, nlp, settings.batch_size)}
    claims = [c for cs in by_article.values() for c in cs]
    roles = sum(len(c.roles) for c in claims)
    print(
        f"{len(articles)} Reuters articles naming an office, {len(claims)} claims, {roles} titles"
    )

    # dating: every article as if undated
    undated = [dataclasses.replace(a, published=None) for a in articles]
    dated = {a.id: a for a in date_articles(undated, claims, kb, args.today)}
    for name, window_of in (
        ("before (named dates only)", lambda a: article_window(a, by_article[a.id])),
        (
            "after (dedupe.events.dating)",
            lambda a: (e.start, e.end) if (e := dated[a.id].date_estimate) else None,
        ),
        (
            "after, as grouping uses it (else named dates)",
            lambda a: (
                (e.start, e.end)
                if (e := dated[a.id].date_estimate)
                else article_window(a, by_article[a.id])
            ),
        ),
    ):
        windows = {
            a.id: window_of(undated_a) for a, undated_a in zip(articles, undated, strict=True)
        }
        got = [(a, w) for a in articles if (w := windows[a.id])]
        hits = [w for a, w in got if a.published and w[0] <= a.published <= w[1]]
        widths = [(w[1] - w[0]).days + 1 for _, w in got]
        print(
            f"dating {name}: window for {len(got)}/{len(articles)} "
            f"({100 * len(got) / len(articles):.1f}%), true date inside "
            f"{len(hits)}/{len(got)} ({100 * len(hits) / max(1, len(got)):.1f}%), "
            f"median width {statistics.median(widths) if widths else 0:.0f} days, "
            f"within a year {sum(w <= 366 for w in widths)}"
        )

    # checks: each article alone, at its real date
    rules: Counter[str] = Counter()
    unverified: Counter[str] = Counter()
    alarms = []
    for article in articles:
        mine = by_article[article.id]
        event = Event("evt", "", (article.id,), tuple(c.id for c in mine), None, None)
        ctx = EventContext(
            event, mine, np.zeros((len(mine), 1), np.float32), {article.id: article}, settings, kb
        )
        for finding in officeholders.check(ctx):
            if isinstance(finding, Finding):
                rules[finding.rule] += 1
                if finding.rule == "unverified":
                    unverified[finding.values[0]] += 1
                if finding.rule in ("anachronism", "wrong_qualifier", "unknown_person"):
                    alarms.append((article, finding))
    print(f"findings on correctly dated articles by rule: {dict(sorted(rules.items()))}")
    print(f"unverified titles (most frequent): {unverified.most_common(8)}")
    for article, finding in alarms:
        quote = finding.evidence[0].quote.replace("\n", " ")[:160]
        print(f"  {article.published} {article.path} {finding.rule}: {finding.values} | {quote}")


if __name__ == "__main__":
    main()
