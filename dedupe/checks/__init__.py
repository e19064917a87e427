"""The consistency pass: a family of checks run on each event, gathered in one registry.

Every check has the signature `check(ctx: EventContext) -> Iterable[Finding | Change]`.
A `Finding` is a conflict an editor must look at; a `Change` (a status change, an update, a
correction) goes on the event's timeline instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dedupe.records import Article, Change, Claim, Event, Evidence, Finding, stable_id
from dedupe.settings import Settings


@dataclass
class EventContext:
    """What a check may look at: one event, its claims (with vectors) and their articles."""

    event: Event
    claims: list[Claim]
    vectors: np.ndarray  # rows parallel to `claims`
    articles: dict[str, Article]
    settings: Settings
    # the officeholder table, when one is loaded (see dedupe.officeholders)
    kb: Any = None
    _sims: np.ndarray | None = field(default=None, repr=False)

    @property
    def similarity(self) -> np.ndarray:
        if self._sims is None:
            self._sims = self.vectors @ self.vectors.T
        return self._sims

    def published(self, claim: Claim) -> dt.date | None:
        return self.articles[claim.article_id].published

    def cross_pairs(self, min_similarity: float) -> Iterator[tuple[Claim, Claim, float]]:
        """Claim pairs from different articles at least this similar, earlier article first."""
        S = self.similarity
        rows, cols = np.nonzero(np.triu(min_similarity <= S, k=1))
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = self.claims[r], self.claims[c]
            if a.article_id == b.article_id:
                continue
            if self._order(b) < self._order(a):
                a, b = b, a
            yield a, b, float(S[r, c])

    def _order(self, claim: Claim) -> tuple[dt.date, str]:
        return (self.published(claim) or dt.date.max, claim.article_id)

    def evidence(self, claim: Claim, value: str) -> Evidence:
        article = self.articles[claim.article_id]
        return Evidence(
            claim_id=claim.id,
            article_id=article.id,
            source=article.source,
            url=article.url,
            published=article.published,
            quote=claim.text,
            start=claim.sentence.start,
            end=claim.sentence.end,
            value=value,
        )

    def when(self, claim: Claim) -> str:
        published = self.published(claim)
        return published.isoformat() if published else "undated"


Check = Callable[[EventContext], Iterable[Finding | Change]]


def finding_id(kind: str, subject: str, values: Sequence[str], anchors: Sequence[str]) -> str:
    """Stable across runs: the conflict's kind, subject, values and first claim on each side."""
    return stable_id("fnd", kind, subject, *sorted(values), *sorted(anchors))


def change_id(kind: str, before: Claim, after: Claim) -> str:
    return stable_id("chg", kind, before.id, after.id)


def registry() -> dict[str, Check]:
    """Every check by name (imported here so each stays a small, separate module)."""
    from dedupe.checks import dates, numbers, officeholders, outcomes, places

    return {
        "officeholders": officeholders.check,
        "outcomes": outcomes.check,
        "numbers": numbers.check,
        "dates": dates.check,
        "places": places.check,
    }


def find_conflicts(
    events: Sequence[Event],
    claims_by_id: dict[str, Claim],
    rows_by_claim: dict[str, int],
    X: np.ndarray,
    articles: dict[str, Article],
    settings: Settings,
    kb: Any = None,
    checks: dict[str, Check] | None = None,
) -> tuple[list[Finding], list[Change]]:
    """All findings and changes of all events; findings without evidence are dropped."""
    findings: dict[str, Finding] = {}
    changes: dict[str, Change] = {}
    for event in events:
        claims = [claims_by_id[c] for c in event.claim_ids]
        vectors = X[[rows_by_claim[c.id] for c in claims]] if claims else X[:0]
        ctx = EventContext(event, claims, vectors, articles, settings, kb)
        for check in (checks or registry()).values():
            for item in check(ctx):
                if isinstance(item, Finding):
                    if item.evidence:
                        findings.setdefault(item.id, item)
                else:
                    changes.setdefault(item.id, item)
    return (
        sorted(findings.values(), key=lambda f: (f.event_id, f.kind, f.id)),
        sorted(changes.values(), key=lambda c: (c.event_id, c.id)),
    )
