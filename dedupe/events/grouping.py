"""Group articles and their claims into events, aware of time and participants.

Each article gets a `Profile`: its date window, its participants, the names and numbers its
text uses, and its claim vectors. A pair of articles gets a same-event probability from the
signals of `FEATURES` weighed by a small logistic model fitted on the train parts of ECB+,
its short cuts and FNC-1, and on Reuters reports of different companies (the weights are
`Settings.event_weights`; see docs/events.md).
Events are the clusters of average linkage over those probabilities (a merge also needs one
pair reaching `event_link_threshold`), and two clusters whose known dates are more than
`event_max_gap_days` apart never merge: two real events of the same kind with the same
people stay apart. Where one side has no known date, time cannot
keep such events apart, so that merge needs the higher `event_undated_threshold`.

A pair's probability depends on the two articles alone, and average linkage only merges
clusters joined by a pair reaching the link threshold (`link_threshold`), so each connected
component of such pairs is clustered on its own. `add_articles` therefore re-clusters only
the components that new articles touch, and gives the same events as grouping everything in
one batch (as long as no article has more than `event_candidates` candidates, the cap on
pairs scored per article).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dedupe.claims.times import gap_days
from dedupe.events.cluster import average_link, group_claims, top_neighbours
from dedupe.events.labels import describe_event
from dedupe.events.profiles import (
    FOLLOW_UP_DAYS,
    ArticleTime,
    DateWindow,
    Profile,
    build_profiles,
    pair_features,
)
from dedupe.records import Article, Change, Claim, Event, RepeatedClaim, TimelineEntry
from dedupe.settings import Settings

PairKey = tuple[str, str]  # two article ids, the smaller first
# the repeated statements an event keeps for its report
_MAX_REPEATED = 8
_ARTICLE_KINDS = ("article", "follow_up")


@dataclass(frozen=True)
class Grouping:
    """What grouping keeps between runs: each grouped article's time, the scores of the
    candidate pairs, and the groups. `dedupe run` keeps it in the store (`nightly`),
    `update_events` in memory with the profiles beside it; `add_articles` updates either."""

    times: Mapping[str, ArticleTime]
    scores: Mapping[PairKey, float]
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class EventState(Grouping):
    """A grouping in memory, with every grouped article's profile."""

    profiles: Mapping[str, Profile]


def pair_score(a: Profile, b: Profile, settings: Settings) -> float:
    """Probability that two articles report the same event (time gating is separate)."""
    if b.article.id < a.article.id:
        a, b = b, a  # the same float either way round
    bias, *weights = settings.event_weights
    z = bias + float(np.dot(weights, pair_features(a, b)))
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class TimeBounds:
    """What is known of when a cluster of articles happened: the span of its known dates,
    and the latest date its undated articles must come after."""

    window: DateWindow | None
    after: dt.date | None

    @staticmethod
    def of(times: Iterable[ArticleTime]) -> TimeBounds:
        known = list(times)
        windows = [w for w, _ in known if w]
        afters = [a for _, a in known if a]
        return TimeBounds(
            (min(w[0] for w in windows), max(w[1] for w in windows)) if windows else None,
            max(afters) if afters else None,
        )

    def agrees(self, other: TimeBounds, max_gap_days: int) -> bool:
        """Whether both can be one event: known spans within `max_gap_days`, and no span
        ending more than that before what the other side was written after."""
        if not time_compatible(self.window, other.window, max_gap_days):
            return False
        slack = dt.timedelta(days=max_gap_days)
        for bounds, after in ((self, other.after), (other, self.after)):
            if bounds.window and after and bounds.window[1] + slack < after:
                return False
        return True


def time_compatible(a: DateWindow | None, b: DateWindow | None, max_gap_days: int) -> bool:
    """Unknown dates never block a link; known ones must be within `max_gap_days`."""
    if a is None or b is None:
        return True
    return gap_days(a, b) <= max_gap_days


def article_time(profile: Profile) -> ArticleTime:
    return profile.window, profile.written_after


def score_pairs(
    new: Sequence[Profile], known: Sequence[Profile], settings: Settings
) -> dict[PairKey, float]:
    """Probabilities of the candidate pairs among `new` and between `new` and `known`."""
    return {
        pair_key(a.article.id, b.article.id): pair_score(a, b, settings)
        for a, b in candidate_pairs(new, known, settings)
    }


def candidate_pairs(
    new: Sequence[Profile], known: Sequence[Profile], settings: Settings
) -> list[tuple[Profile, Profile]]:
    """The pairs among `new` and between `new` and `known` that grouping scores, each once.

    Each new article's candidates are its `event_candidates` most similar articles (mean
    claim vectors, FAISS: exact, or HNSW from `exact_search_limit` articles on) reaching
    `event_candidate_similarity`: a bounded number per article, so scoring costs what the
    new articles cost however many articles are stored (with the cap above the size of an
    event, it rarely binds).
    """
    pairs: dict[PairKey, tuple[Profile, Profile]] = {}
    if not new:
        return []
    pool = [*new, *known]
    W = np.vstack([p.vector for p in pool])
    # one more than the cap: the article finds itself
    D, I = top_neighbours(
        W, settings.event_candidates + 1, W[: len(new)], settings.exact_search_limit
    )
    for a, (sims, rows) in enumerate(zip(D.tolist(), I.tolist(), strict=True)):
        first, taken = new[a], 0
        for sim, b in zip(sims, rows, strict=True):
            if taken == settings.event_candidates or sim < settings.event_candidate_similarity:
                break
            if b < 0 or b == a:
                continue
            second, taken = pool[b], taken + 1
            key = pair_key(first.article.id, second.article.id)
            if key[0] != key[1] and key not in pairs:
                pairs[key] = (first, second)
    return list(pairs.values())


def pair_key(a: str, b: str) -> PairKey:
    return (a, b) if a <= b else (b, a)


# ------------------------------------------------------------------ clustering


def cluster_articles(
    ids: Sequence[str],
    times: Mapping[str, ArticleTime],
    scores: Mapping[PairKey, float],
    settings: Settings,
) -> list[tuple[str, ...]]:
    """Average-linkage groups of the given articles (sorted ids), merging two clusters only
    when one pair of their articles reaches `event_link_threshold`, never when their known
    dates are more than `event_max_gap_days` apart, and joining a cluster with no known date
    to a dated one only at `event_undated_threshold`."""
    ordered = sorted(ids)
    index = {a: n for n, a in enumerate(ordered)}
    # in one order whatever order the scores came in (batch or night by night), so float sums
    # in average linkage come out bit for bit the same
    pairs = sorted(
        (index[a], index[b], s) for (a, b), s in scores.items() if a in index and b in index
    )
    members = [times[a] for a in ordered]

    def can_merge(left: list[int], right: list[int], mean: float) -> bool:
        a = TimeBounds.of(members[n] for n in left)
        b = TimeBounds.of(members[n] for n in right)
        if not a.agrees(b, settings.event_max_gap_days):
            return False
        # time cannot rule out that an undated side reports another occurrence of the same
        # kind of event (the same leaders meeting again), so joining it takes more evidence
        dated = (a.window is not None) + (b.window is not None)
        return dated != 1 or mean >= settings.event_undated_threshold

    labels = average_link(
        len(ordered),
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.int64),
        np.array([p[2] for p in pairs], dtype=np.float64),
        settings.event_threshold,
        can_merge,
        link=settings.event_link_threshold,
    )
    groups: dict[int, list[str]] = {}
    for article, label in zip(ordered, labels.tolist(), strict=True):
        groups.setdefault(label, []).append(article)
    return sorted(tuple(g) for g in groups.values())


def update_events(
    state: EventState | None, profiles: Sequence[Profile], settings: Settings
) -> EventState:
    """Add (or replace) article profiles, comparing them with every profile kept."""
    state = state or EventState({}, {}, (), {})
    new_ids = {p.article.id for p in profiles}
    known = [p for a, p in sorted(state.profiles.items()) if a not in new_ids]
    grouping, _ = add_articles(state, profiles, known, settings)
    kept = {a: p for a, p in state.profiles.items() if a not in new_ids}
    kept.update((p.article.id, p) for p in profiles)
    return EventState(grouping.times, grouping.scores, grouping.groups, kept)


def add_articles(
    state: Grouping, new: Sequence[Profile], known: Sequence[Profile], settings: Settings
) -> tuple[Grouping, dict[PairKey, float]]:
    """The grouping after `new` profiles (new or changed articles) join it, and the pairs it
    scored: their candidates among themselves and `known`; a changed article's old pairs are
    dropped, and only the components they touch are clustered again (`regroup`)."""
    ordered = sorted(new, key=lambda p: p.article.id)
    new_ids = {p.article.id for p in ordered}
    replaced = new_ids & set(state.times)
    scored = score_pairs(ordered, known, settings)
    scores = {
        (a, b): s for (a, b), s in state.scores.items() if a not in replaced and b not in replaced
    } | scored
    times = {a: t for a, t in state.times.items() if a not in new_ids}
    times.update((p.article.id, article_time(p)) for p in ordered)
    # a replaced article's old links may have held a component together: redo all of it
    seeds = new_ids | linked_to(state.scores, replaced, link_threshold(settings))
    groups = regroup(state.groups, times, scores, seeds, settings)
    return Grouping(times, scores, groups), scored


def regroup(
    groups: Iterable[tuple[str, ...]],
    times: Mapping[str, ArticleTime],
    scores: Mapping[PairKey, float],
    seeds: set[str],
    settings: Settings,
) -> tuple[tuple[str, ...], ...]:
    """The groups after `seeds` (new, replaced or unlinked articles) changed: the connected
    components (of pairs scoring at least `link_threshold`) that hold a seed are clustered
    again from scratch, every other group is kept as it was."""
    redo = linked_to(scores, seeds, link_threshold(settings)) | (seeds & set(times))
    kept = [g for g in groups if not set(g) & (redo | seeds)]
    return tuple(sorted(kept + cluster_articles(sorted(redo), times, scores, settings)))


def link_threshold(settings: Settings) -> float:
    """The score of the weakest pair that can join two clusters: the components of pairs
    reaching it are clustered independently."""
    return max(settings.event_threshold, settings.event_link_threshold)


def linked_to(scores: Mapping[PairKey, float], seeds: set[str], threshold: float) -> set[str]:
    """Every article connected to one of `seeds` by pairs scoring at least the threshold
    (a seed without such a pair is not included)."""
    neighbours: dict[str, list[str]] = {}
    for (a, b), s in scores.items():
        if s >= threshold:
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)
    found = {s for s in seeds if s in neighbours}
    todo = list(found)
    while todo:
        for other in neighbours.get(todo.pop(), []):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


# ------------------------------------------------------------------ events


def group_events(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    X: np.ndarray,
    settings: Settings,
    windows: Mapping[str, DateWindow] | None = None,
) -> list[Event]:
    """Events over the articles in one batch; `X` holds one unit vector per claim, parallel
    to `claims`; `windows` gives date windows for articles whose publish date is unknown."""
    profiles = build_profiles(articles, claims, X, windows)
    state = update_events(None, profiles, settings)
    return events_of(state, claims)


def events_of(state: EventState, claims: Iterable[Claim]) -> list[Event]:
    """The `Event` records of a state's groups, in date order."""
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    events = [
        describe_event([state.profiles[a] for a in group], by_article) for group in state.groups
    ]
    return sorted(events, key=lambda e: (e.start or dt.date.max, e.id))


def add_timelines(
    events: Sequence[Event], articles: dict[str, Article], changes: Sequence[Change]
) -> list[Event]:
    """Events with their timelines: each article's publication and each status change or
    update, in date order."""
    out = []
    for event in events:
        entries = [_article_entry(articles[a], event) for a in event.article_ids]
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
        entries.sort(key=lambda t: (t.date or dt.date.max, t.kind not in _ARTICLE_KINDS, t.text))
        out.append(dataclasses.replace(event, timeline=tuple(entries)))
    return out


def add_repeated(
    events: Sequence[Event],
    claims: Mapping[str, Claim],
    rows: Mapping[str, int],
    X: np.ndarray,
    articles: Mapping[str, Article],
    settings: Settings,
) -> list[Event]:
    """Events with the statements that several of their articles make (near-duplicate
    claims, FAISS over the event's own claims), most-repeated first."""
    out = []
    for event in events:
        ids = list(event.claim_ids)
        vectors = X[[rows[c] for c in ids]] if ids else X[:0]
        repeated = []
        for group in group_claims(ids, vectors, settings.duplicate_threshold):
            inside = [claims[c] for c in group.claim_ids]
            article_ids = tuple(sorted({c.article_id for c in inside}))
            if len(article_ids) > 1:
                sources = tuple(sorted({articles[a].source for a in article_ids}))
                repeated.append(
                    RepeatedClaim(group.id, inside[0].text, group.claim_ids, article_ids, sources)
                )
        repeated.sort(key=lambda r: (-len(r.article_ids), -len(r.claim_ids), r.id))
        out.append(dataclasses.replace(event, repeated=tuple(repeated[:_MAX_REPEATED])))
    return out


def _article_entry(article: Article, event: Event) -> TimelineEntry:
    """An article's line on its event's timeline; a follow-up (published more than
    `FOLLOW_UP_DAYS` after the event's last date, which its lead names) says so."""
    text = f"{article.source}: {_title(article)}"
    late = (article.published - event.end).days if article.published and event.end else 0
    if late <= FOLLOW_UP_DAYS:
        return TimelineEntry(article.published, "article", text, article_id=article.id)
    reason = f"{text} (published {late} days after the event; its lead dates what it reports"
    reason += f" inside the event's dates, {event.start} to {event.end})"
    return TimelineEntry(article.published, "follow_up", reason, article_id=article.id)


def _title(article: Article) -> str:
    return article.title or article.text[:80]
