"""A report input of any size, generated from the real record types (no pipeline run).

`synthetic_input(articles)` gives what a run of that many articles would hand `build_report`:
about 0.3 events and 0.5 findings per article, as the 6,366-headline run of issue 12 had (1,754
events, 4,226 findings), event sizes skewed (most events one article, a few hundreds), findings
of every kind and severity with two or three quotes, and some reviewed. The browser tests
render it at 10,000 articles; `scripts/bench_report.py` at 1k, 10k and 100k.
"""

from __future__ import annotations

import datetime as dt
import random

from dedupe.records import (
    Article,
    Event,
    Evidence,
    Finding,
    RepeatedClaim,
    RunStats,
    TimelineEntry,
    stable_id,
)
from dedupe.report import ReportInput, article_entry
from dedupe.store.database import evidence_hash

NOW = dt.datetime(2025, 10, 21, 6, 0, tzinfo=dt.UTC)
KINDS = ("officeholder", "outcome", "number", "date", "place", "name", "antonym")
# the words generated titles, quotes, subjects and reasons are made of
VOCABULARY = (
    "council minister vote budget storm border talks ceasefire port strike court ruling "
    "election rally market shares exports drought harvest bridge airport summit treaty "
    "missile drone parliament senate governor protest flood wildfire vaccine hospital"
)
WORDS = tuple(VOCABULARY.split())
SOURCES = [f"Outlet {n}" for n in range(60)]


def synthetic_input(articles: int, seed: int = 0) -> ReportInput:
    """A deterministic `ReportInput` with `articles` articles (see the module docstring)."""
    rng = random.Random(seed)
    start = dt.date(2025, 1, 1)
    arts = [
        _article(rng, n, start + dt.timedelta(days=rng.randrange(300))) for n in range(articles)
    ]
    events, at = [], 0
    while at < len(arts):
        # Pareto-distributed sizes: ~60% single articles, a long tail up to a few hundred
        size = min(int(rng.paretovariate(1.3)), 300, len(arts) - at)
        events.append(_event(rng, arts[at : at + size]))
        at += size
    multi = [e for e in events if len(e.article_ids) > 1] or events
    by_id = {a.id: a for a in arts}
    findings = [_finding(rng, n, rng.choice(multi), by_id) for n in range(articles // 2)]
    decisions = {
        f.id: {
            "decision": rng.choice(("confirm", "dismiss")),
            "note": "checked",
            "by": "ana",
            "at": "2025-10-20T09:00:00+00:00",
            "evidence_hash": evidence_hash(f),
        }
        for f in rng.sample(findings, len(findings) // 20)
    }
    return ReportInput(
        articles=[article_entry(a) for a in arts],
        events=events,
        findings=findings,
        changes=[],
        failures=[],
        stats=RunStats(
            articles_new=articles,
            claims=articles * 12,
            events=len(events),
            findings=len(findings),
            seconds={"report": 1.0},
        ),
        run_id=1,
        decisions=decisions,
        store_path="/data/news.db",
    )


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _article(rng: random.Random, n: int, published: dt.date) -> Article:
    return Article(
        id=stable_id("art", n),
        title=_sentence(rng, rng.randint(6, 14))[:-1],
        text="",
        source=rng.choice(SOURCES),
        path=f"inbox/{n:06d}.json",
        url=f"https://news.example.com/{published:%Y/%m/%d}/story-{n}",
        published=published,
        date_origin="input",
    )


def _event(rng: random.Random, arts: list[Article]) -> Event:
    ids = tuple(a.id for a in arts)
    dates = sorted(a.published for a in arts if a.published)
    timeline = tuple(
        TimelineEntry(a.published, "article", f"{a.source}: {a.title}", a.id) for a in arts
    )
    repeated = tuple(
        RepeatedClaim(
            stable_id("grp", ids[0], r),
            _sentence(rng, 18),
            (),
            ids[: rng.randint(2, len(ids))],
            tuple(sorted({a.source for a in arts[:3]})),
        )
        for r in range(min(3, len(arts) - 1))
    )
    label = " · ".join((" ".join(rng.sample(WORDS, 2)).title(), rng.choice(WORDS), str(dates[0])))
    return Event(
        stable_id("evt", *ids), label, ids, (), dates[0], dates[-1], (), timeline, repeated
    )


def _finding(rng: random.Random, n: int, event: Event, by_id: dict[str, Article]) -> Finding:
    sides = rng.sample(event.article_ids, min(len(event.article_ids), rng.choice((2, 2, 3))))
    values = tuple(f"{rng.choice(WORDS)} {v}" for v in rng.sample(range(1000), len(sides)))
    evidence = []
    for article_id, value in zip(sides, values, strict=True):
        a = by_id[article_id]
        quote = f"{_sentence(rng, rng.randint(8, 16))[:-1]} {value} {_sentence(rng, 6).lower()}"
        evidence.append(
            Evidence(
                stable_id("clm", n, article_id),
                a.id,
                a.source,
                a.url,
                a.published,
                quote,
                rng.randrange(2000),
                rng.randrange(2000, 4000),
                value,
            )
        )
    return Finding(
        id=stable_id("fnd", n),
        kind=rng.choice(KINDS),
        severity=rng.choice(("error", "warning", "warning", "info")),
        confidence=round(rng.uniform(0.3, 0.95), 2),
        event_id=event.id,
        values=values,
        reason=" ".join(_sentence(rng, 12) for _ in range(rng.randint(1, 3))),
        evidence=tuple(evidence),
        subject=" ".join(rng.sample(WORDS, 2)).title(),
    )
