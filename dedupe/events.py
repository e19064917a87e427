"""Group articles and their claims into events, aware of time and participants.

Each article gets a profile: its date window, its weighted participants and its claim vectors.
A pair of articles is linked when they are close in time and their score (document similarity,
claim alignment and shared participants) reaches the threshold; events are the connected
components of those links. A pair's decision depends on the two articles alone, so the events
are the same whether articles arrive in one batch or over several nightly runs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dedupe.cluster import connected_components, top_neighbours
from dedupe.embed import normalize
from dedupe.records import Article, Change, Claim, Event, TimelineEntry, stable_id
from dedupe.settings import Settings
from dedupe.times import gap_days

DateWindow = tuple[dt.date, dt.date]
# candidates per article from the document-vector index before exact pair scoring
_CANDIDATES = 50
_TOP_PARTICIPANTS = 12
# predicates that say nothing about what happened (reporting and copular verbs)
LIGHT_PREDICATES = frozenset(
    {
        "be",
        "have",
        "say",
        "tell",
        "note",
        "explain",
        "add",
        "state",
        "report",
        "write",
        "describe",
        "suggest",
        "indicate",
        "reflect",
        "highlight",
        "underscore",
        "remain",
        "become",
        "seem",
        "appear",
        "emphasize",
        "stress",
        "observe",
        "acknowledge",
        "come",
        "include",
        "make",
        "take",
        "do",
        "get",
        "go",
        "see",
        "watch",
        "continue",
        "begin",
        "start",
        "mark",
        "represent",
        "involve",
        "demonstrate",
        "raise",
        "create",
        "unfold",
        "focus",
        "need",
        "face",
        "show",
        "give",
        "find",
        "know",
        "think",
        "believe",
        "want",
        "use",
        "keep",
        "let",
        "put",
    }
)


@dataclass(frozen=True)
class Profile:
    """What event grouping knows of one article."""

    article: Article
    window: DateWindow | None
    participants: dict[str, float]
    rows: np.ndarray  # indices of the article's claims in the claim matrix
    vector: np.ndarray  # normalised mean of its claim vectors


def article_window(article: Article, claims: Sequence[Claim]) -> DateWindow | None:
    """The dates an article reports on: its publish date, else the span of absolute dates it
    names at day or month granularity."""
    if article.published is not None:
        return article.published, article.published
    dated = [
        t
        for c in claims
        for t in c.times
        if t.start and t.end and not t.relative and t.granularity in ("day", "month")
    ]
    if not dated:
        return None
    return min(t.start for t in dated if t.start), max(t.end for t in dated if t.end)


def participant_weights(claims: Sequence[Claim]) -> dict[str, float]:
    """Participants by salience: mentions counted, headline mentions twice; top ones kept."""
    counts: Counter[str] = Counter()
    for claim in claims:
        for key in claim.participants:
            counts[key] += 2 if claim.is_headline else 1
    return {k: float(v) for k, v in counts.most_common(_TOP_PARTICIPANTS)}


def build_profiles(
    articles: Sequence[Article],
    claims_by_article: dict[str, list[Claim]],
    rows_by_claim: dict[str, int],
    X: np.ndarray,
    windows: Mapping[str, DateWindow] | None = None,
) -> list[Profile]:
    """One profile per article; `windows` overrides the date window of the articles it names
    (dates inferred elsewhere, e.g. from the officeholders an undated article mentions)."""
    profiles = []
    for article in articles:
        claims = claims_by_article.get(article.id, [])
        rows = np.array([rows_by_claim[c.id] for c in claims], dtype=np.int64)
        vector = (
            normalize(X[rows].mean(axis=0, keepdims=True))[0]
            if len(rows)
            else np.zeros(X.shape[1], dtype=np.float32)
        )
        window = (windows or {}).get(article.id) or article_window(article, claims)
        profiles.append(Profile(article, window, participant_weights(claims), rows, vector))
    return profiles


def weighted_jaccard(a: dict[str, float], b: dict[str, float]) -> float:
    keys = set(a) | set(b)
    if not keys:
        return 0.0
    low = sum(min(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    high = sum(max(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    return low / high


def claim_alignment(X: np.ndarray, rows_a: np.ndarray, rows_b: np.ndarray, k: int = 5) -> float:
    """Mean of the k best matches of either article's claims in the other."""
    if not len(rows_a) or not len(rows_b):
        return 0.0
    S = X[rows_a] @ X[rows_b].T
    best = np.concatenate([S.max(axis=1), S.max(axis=0)])
    return float(np.sort(best)[-k:].mean())


def pair_score(a: Profile, b: Profile, X: np.ndarray) -> float:
    """How likely two articles report the same event, in [0, 1] (time gating is separate)."""
    doc = float(a.vector @ b.vector)
    align = claim_alignment(X, a.rows, b.rows)
    people = weighted_jaccard(a.participants, b.participants)
    return 0.35 * doc + 0.35 * align + 0.30 * people


def time_compatible(a: Profile, b: Profile, max_gap_days: int) -> bool:
    """Unknown dates never block a link; known ones must be within `max_gap_days`."""
    if a.window is None or b.window is None:
        return True
    return gap_days(a.window, b.window) <= max_gap_days


def link_articles(
    profiles: Sequence[Profile], X: np.ndarray, settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """Linked article pairs (i, j) among the profiles."""
    if len(profiles) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    V = np.vstack([p.vector for p in profiles])
    _, I = top_neighbours(V, _CANDIDATES)
    pairs = {
        (min(a, int(b)), max(a, int(b)))
        for a in range(len(profiles))
        for b in I[a]
        if b >= 0 and b != a
    }
    links = [
        (a, b)
        for a, b in sorted(pairs)
        if time_compatible(profiles[a], profiles[b], settings.event_max_gap_days)
        and pair_score(profiles[a], profiles[b], X) >= settings.event_threshold
    ]
    i = np.array([a for a, _ in links], dtype=np.int64)
    j = np.array([b for _, b in links], dtype=np.int64)
    return i, j


def group_events(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    X: np.ndarray,
    settings: Settings,
    windows: Mapping[str, DateWindow] | None = None,
) -> list[Event]:
    """Events over the articles; `X` holds one unit vector per claim, parallel to `claims`;
    `windows` gives date windows for articles whose publish date is unknown."""
    rows_by_claim = {c.id: n for n, c in enumerate(claims)}
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    ordered = sorted(articles, key=lambda a: a.id)
    profiles = build_profiles(ordered, by_article, rows_by_claim, X, windows)
    i, j = link_articles(profiles, X, settings)
    labels = connected_components(len(profiles), i, j)
    members: dict[int, list[Profile]] = {}
    for profile, label in zip(profiles, labels.tolist(), strict=True):
        members.setdefault(label, []).append(profile)
    events = [_event(group, by_article) for group in members.values()]
    return sorted(events, key=lambda e: (e.start or dt.date.max, e.id))


def _event(group: list[Profile], by_article: dict[str, list[Claim]]) -> Event:
    group = sorted(group, key=lambda p: (p.window[0] if p.window else dt.date.max, p.article.id))
    claims = [c for p in group for c in by_article.get(p.article.id, [])]
    windows = [p.window for p in group if p.window]
    weights: Counter[str] = Counter()
    for p in group:
        weights.update(p.participants)
    names = display_names(claims)
    top = [k for k, _ in weights.most_common(10) if k.startswith("per:")][:3] or [
        k for k, _ in weights.most_common(3)
    ]
    start = min(w[0] for w in windows) if windows else None
    end = max(w[1] for w in windows) if windows else None
    people = tuple(names.get(k, k.split(":", 1)[-1]) for k in top)
    return Event(
        id=stable_id("evt", group[0].article.id),
        label=event_label(people, main_action(claims), start, end),
        article_ids=tuple(p.article.id for p in group),
        claim_ids=tuple(c.id for c in claims),
        start=start,
        end=end,
        participants=people,
    )


def display_names(claims: Iterable[Claim]) -> dict[str, str]:
    """The most frequent surface form of each participant key (full names preferred)."""
    forms: dict[str, Counter[str]] = {}
    for claim in claims:
        for e in claim.entities:
            forms.setdefault(e.key, Counter())[e.span.text] += 1 + len(e.span.text.split())
    return {k: c.most_common(1)[0][0] for k, c in forms.items()}


def main_action(claims: Sequence[Claim]) -> str:
    """The non-light predicate used by the most articles (then most often) among the claims
    that name a participant."""
    articles: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for c in claims:
        verbs = [v for v in c.predicate.split() if v not in LIGHT_PREDICATES]
        if c.participants and verbs:
            articles.setdefault(verbs[-1], set()).add(c.article_id)
            counts[verbs[-1]] += 1
    if not counts:
        return ""
    return max(counts, key=lambda v: (len(articles[v]), counts[v], v))


def event_label(
    people: Sequence[str], action: str, start: dt.date | None, end: dt.date | None
) -> str:
    when = ""
    if start and end:
        when = start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"
    parts = [", ".join(people[:3]), action, when]
    return " · ".join(p for p in parts if p) or "unlabelled event"


def add_timelines(
    events: Sequence[Event], articles: dict[str, Article], changes: Sequence[Change]
) -> list[Event]:
    """Events with their timelines: each article's publication and each status change or
    update, in date order."""
    out = []
    for event in events:
        entries = [
            TimelineEntry(
                articles[a].published,
                "article",
                f"{articles[a].source}: {_title(articles[a])}",
                article_id=a,
            )
            for a in event.article_ids
        ]
        for change in changes:
            if change.event_id == event.id:
                last = change.evidence[-1]
                entries.append(
                    TimelineEntry(
                        last.published,
                        change.kind,
                        change.reason,
                        article_id=last.article_id,
                        claim_ids=tuple(e.claim_id for e in change.evidence),
                    )
                )
        entries.sort(key=lambda t: (t.date or dt.date.max, t.kind != "article", t.text))
        out.append(dataclasses.replace(event, timeline=tuple(entries)))
    return out


def _title(article: Article) -> str:
    return article.title or article.text[:80]
