"""Group articles and their claims into events, aware of time and participants.

Each article gets a `Profile`: its date window, its participants, the names and numbers its
text uses, and its claim vectors. A pair of articles gets a same-event probability from eight
signals (`FEATURES`) weighed by a small logistic model fitted on ECB+ train (the weights are
`Settings.event_weights`; see README). Events are the clusters of average linkage over those
probabilities, and two clusters whose known dates are more than `event_max_gap_days` apart
never merge: two real events of the same kind with the same people stay apart.

A pair's probability depends on the two articles alone, and average linkage only merges
clusters joined by a pair above the threshold, so each connected component of such pairs is
clustered on its own. `update_events` therefore re-clusters only the components that new
articles touch, and gives the same events as grouping everything in one batch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dedupe.cluster import average_link, similar_pairs
from dedupe.embed import normalize
from dedupe.event_labels import describe_event
from dedupe.records import Article, Change, Claim, Event, TimelineEntry
from dedupe.settings import Settings
from dedupe.stopwords import stopwords
from dedupe.times import gap_days

DateWindow = tuple[dt.date, dt.date]
PairKey = tuple[str, str]  # two article ids, the smaller first

# the signals of `pair_features`, in the order of `Settings.event_weights[1:]`
FEATURES = (
    "claims",
    "participants",
    "names",
    "salience",
    "lede",
    "near",
    "vocabulary",
    "contained",
)
_TOP_PARTICIPANTS = 12
_LEDE_PARAGRAPHS = 3
# the best-matched claims that `claim_alignment` averages
_ALIGNED_CLAIMS = 5
# publication gap (days) at which the "near" signal falls to 1/e
_NEAR_DAYS = 14.0
# names and numbers: capitalised words and digit runs, the lexical trace of who, where, how many
_NAME_TOKEN = re.compile(r"\b[A-Z][a-z]+\b|\b\d+\b")
_NAME_STOPWORDS = frozenset({"the", "of", "and", "a", "an", "in", "for", "on", "at", "to"})
_WORD = re.compile(r"[a-z]{3,}")
_WRITTEN_AFTER_GRANULARITIES = ("day", "month")


@dataclass(frozen=True)
class Profile:
    """What event grouping knows of one article; enough to score it against any other."""

    article: Article
    window: DateWindow | None  # the dates it reports on (publish date or inferred)
    participants: dict[str, float]  # entity key -> mention weight (headline counts twice)
    names: dict[str, float]  # entity name words -> mention weight
    salience: dict[str, float]  # entity name words weighted by position, unit length
    words: dict[str, float]  # names and numbers of the whole text, unit length
    lede: dict[str, float]  # names and numbers of the headline and first paragraphs
    vocabulary: dict[str, float]  # content words of the whole text, unit length
    claim_vectors: np.ndarray  # unit vectors of its claims
    vector: np.ndarray  # normalised mean of its claim vectors
    written_after: dt.date | None = None  # latest past date its text names (undated only)


@dataclass(frozen=True)
class EventState:
    """What grouping keeps between runs: profiles, scored candidate pairs and the groups."""

    profiles: dict[str, Profile]
    scores: dict[PairKey, float]
    groups: tuple[tuple[str, ...], ...]


# ------------------------------------------------------------------ profiles


def article_window(article: Article) -> DateWindow | None:
    """The dates an article reports on: its publish date when known."""
    if article.published is None:
        return None
    return article.published, article.published


def written_after(claims: Sequence[Claim]) -> dt.date | None:
    """The latest absolute day or month an article names in a claim about the past or
    present: the article was written after it (plans and hypotheticals do not count)."""
    ends = [
        t.end
        for c in claims
        if c.modality not in ("planned", "hypothetical")
        for t in c.times
        if t.end and not t.relative and t.granularity in _WRITTEN_AFTER_GRANULARITIES
    ]
    return max(ends) if ends else None


def participant_weights(claims: Sequence[Claim]) -> dict[str, float]:
    """Participants by salience: mentions counted, headline mentions twice; top ones kept."""
    counts: Counter[str] = Counter()
    for claim in claims:
        for key in claim.participants:
            counts[key] += 2 if claim.is_headline else 1
    return {k: float(v) for k, v in counts.most_common(_TOP_PARTICIPANTS)}


def name_words(claims: Sequence[Claim]) -> tuple[dict[str, float], dict[str, float]]:
    """Entity name words ("tara", "reid", "promises") by mention count and by position.

    Words rather than whole keys, so "Betty Ford Center" (ORG) and "Ford" (PERSON) meet;
    each sentence counts once however many claims it holds. Position weight falls with the
    sentence's rank, so the lede's participants dominate the salience vector.
    """
    counts: dict[str, float] = {}
    salience: dict[str, float] = {}
    rank = {s: n for n, s in enumerate(sorted({c.sentence.start for c in claims}))}
    seen: set[int] = set()
    for claim in claims:
        if claim.sentence.start in seen:
            continue
        seen.add(claim.sentence.start)
        weight = 2.0 if claim.is_headline else 1.0
        position = weight / (1.0 + rank[claim.sentence.start] / 3.0)
        for entity in claim.entities:
            for word in entity.key.split(":", 1)[-1].split():
                if word not in _NAME_STOPWORDS:
                    counts[word] = counts.get(word, 0.0) + weight
                    salience[word] = salience.get(word, 0.0) + position
    return counts, unit(salience)


def name_tokens(text: str) -> dict[str, float]:
    """Capitalised words and numbers of a text, log-scaled counts, unit length."""
    counts = Counter(_NAME_TOKEN.findall(text))
    return unit({k: 1.0 + math.log(v) for k, v in counts.items()})


def content_words(text: str) -> dict[str, float]:
    """Lowercase words of a text minus stop words, log-scaled counts, unit length."""
    stop = stopwords()
    counts = Counter(w for w in _WORD.findall(text.lower()) if w not in stop)
    return unit({k: 1.0 + math.log(v) for k, v in counts.items()})


def unit(weights: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in weights.values()))
    return {k: v / norm for k, v in weights.items()} if norm else {}


def build_profile(
    article: Article, claims: Sequence[Claim], vectors: np.ndarray, window: DateWindow | None
) -> Profile:
    """The profile of one article from its claims and their unit vectors (rows parallel)."""
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    mean = (
        normalize(vectors.mean(axis=0, keepdims=True))[0]
        if len(vectors)
        else np.zeros(dim, np.float32)
    )
    names, salience = name_words(claims)
    lede = "\n\n".join(article.text.split("\n\n")[:_LEDE_PARAGRAPHS])
    window = window or article_window(article)
    return Profile(
        article=article,
        window=window,
        participants=participant_weights(claims),
        names=names,
        salience=salience,
        words=name_tokens(article.text),
        lede=name_tokens(lede),
        vocabulary=content_words(article.text),
        claim_vectors=np.asarray(vectors, dtype=np.float32),
        vector=mean,
        written_after=None if window else written_after(claims),
    )


def build_profiles(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    X: np.ndarray,
    windows: Mapping[str, DateWindow] | None = None,
) -> list[Profile]:
    """One profile per article; `X` holds one unit vector per claim, parallel to `claims`;
    `windows` gives the date window of the articles it names (dates inferred elsewhere, e.g.
    from the officeholders an undated article mentions)."""
    rows: dict[str, list[int]] = {}
    for n, claim in enumerate(claims):
        rows.setdefault(claim.article_id, []).append(n)
    profiles = []
    for article in articles:
        mine = rows.get(article.id, [])
        profiles.append(
            build_profile(
                article,
                [claims[n] for n in mine],
                X[mine] if len(X) else np.zeros((0, 0), np.float32),
                (windows or {}).get(article.id),
            )
        )
    return profiles


# ------------------------------------------------------------------ pair scores


def weighted_jaccard(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    keys = set(a) | set(b)
    if not keys:
        return 0.0
    low = sum(min(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    high = sum(max(a.get(k, 0.0), b.get(k, 0.0)) for k in keys)
    return low / high


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def containment(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """How much of the smaller of two unit vectors' weight falls on terms the other has: a
    short report names a subset of what a long one names."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(v * v for k, v in small.items() if k in large)


def claim_alignment(A: np.ndarray, B: np.ndarray, k: int = _ALIGNED_CLAIMS) -> float:
    """Mean of the k best matches of either article's claims in the other."""
    if not len(A) or not len(B):
        return 0.0
    S = A @ B.T
    best = np.concatenate([S.max(axis=1), S.max(axis=0)])
    return float(np.sort(best)[-k:].mean())


def near_in_time(a: Profile, b: Profile) -> float:
    """1 for articles on the same dates, falling with the gap; 0 when a date is unknown."""
    if a.window is None or b.window is None:
        return 0.0
    return math.exp(-gap_days(a.window, b.window) / _NEAR_DAYS)


def pair_features(a: Profile, b: Profile) -> np.ndarray:
    """The `FEATURES` of a pair of articles, each in [0, 1]."""
    return np.array(
        [
            claim_alignment(a.claim_vectors, b.claim_vectors),
            weighted_jaccard(a.names, b.names),
            cosine(a.words, b.words),
            cosine(a.salience, b.salience),
            cosine(a.lede, b.lede),
            near_in_time(a, b),
            cosine(a.vocabulary, b.vocabulary),
            containment(a.words, b.words),
        ]
    )


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
    def of(profiles: Iterable[Profile]) -> TimeBounds:
        windows = [p.window for p in profiles if p.window]
        afters = [p.written_after for p in profiles if p.written_after]
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


def score_pairs(
    new: Sequence[Profile], known: Sequence[Profile], settings: Settings
) -> dict[PairKey, float]:
    """Probabilities of the candidate pairs among `new` and between `new` and `known`.

    Candidates are pairs whose mean claim vectors reach `event_candidate_similarity` (a
    FAISS range search, so a pair is a candidate or not whatever else is in the store).
    """
    scores: dict[PairKey, float] = {}
    if not new:
        return scores
    V = np.vstack([p.vector for p in new])
    pools: list[tuple[Sequence[Profile], np.ndarray | None]] = [(new, None)]
    if known:
        pools.append((known, np.vstack([p.vector for p in known])))
    for pool, W in pools:
        if W is None:
            i, j, _ = similar_pairs(V, settings.event_candidate_similarity)
        else:
            i, j, _ = similar_pairs(W, settings.event_candidate_similarity, Y=V)
        for a, b in zip(i.tolist(), j.tolist(), strict=True):
            first, second = new[a], pool[b]
            key = _key(first.article.id, second.article.id)
            if key[0] != key[1] and key not in scores:
                scores[key] = pair_score(first, second, settings)
    return scores


def _key(a: str, b: str) -> PairKey:
    return (a, b) if a <= b else (b, a)


# ------------------------------------------------------------------ clustering


def cluster_articles(
    ids: Sequence[str],
    profiles: Mapping[str, Profile],
    scores: Mapping[PairKey, float],
    settings: Settings,
) -> list[tuple[str, ...]]:
    """Average-linkage groups of the given articles (sorted ids), never merging clusters
    whose known dates are more than `event_max_gap_days` apart."""
    ordered = sorted(ids)
    index = {a: n for n, a in enumerate(ordered)}
    pairs = [(index[a], index[b], s) for (a, b), s in scores.items() if a in index and b in index]
    members = [profiles[a] for a in ordered]

    def can_merge(left: list[int], right: list[int]) -> bool:
        a = TimeBounds.of(members[n] for n in left)
        b = TimeBounds.of(members[n] for n in right)
        return a.agrees(b, settings.event_max_gap_days)

    labels = average_link(
        len(ordered),
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.int64),
        np.array([p[2] for p in pairs], dtype=np.float64),
        settings.event_threshold,
        can_merge,
    )
    groups: dict[int, list[str]] = {}
    for article, label in zip(ordered, labels.tolist(), strict=True):
        groups.setdefault(label, []).append(article)
    return sorted(tuple(g) for g in groups.values())


def update_events(
    state: EventState | None, profiles: Sequence[Profile], settings: Settings
) -> EventState:
    """Add (or replace) article profiles and re-cluster only what they touch.

    Pairs among the stored articles keep their scores; the connected components (of pairs
    scoring at least `event_threshold`) that hold a new or replaced article are clustered
    again from scratch, and every other group is kept as it was.
    """
    state = state or EventState({}, {}, ())
    new_ids = {p.article.id for p in profiles}
    replaced = new_ids & set(state.profiles)
    # a replaced article's old links may have held a component together: redo all of it
    stale = _component_members(state.profiles, state.scores, replaced, settings)
    kept_scores = {k: s for k, s in state.scores.items() if not (set(k) & replaced)}
    known = [p for a, p in sorted(state.profiles.items()) if a not in new_ids]
    ordered = sorted(profiles, key=lambda p: p.article.id)
    scores = kept_scores | score_pairs(ordered, known, settings)
    all_profiles = {a: p for a, p in state.profiles.items() if a not in new_ids}
    all_profiles.update((p.article.id, p) for p in ordered)
    redo = _component_members(all_profiles, scores, new_ids | stale, settings)
    groups = [g for g in state.groups if not set(g) & (redo | replaced)]
    groups += cluster_articles(sorted(redo), all_profiles, scores, settings)
    return EventState(all_profiles, scores, tuple(sorted(groups)))


def _component_members(
    profiles: Mapping[str, Profile],
    scores: Mapping[PairKey, float],
    seeds: set[str],
    settings: Settings,
) -> set[str]:
    """Every article connected to one of `seeds` by pairs scoring at least the threshold."""
    if not seeds:
        return set()
    neighbours: dict[str, list[str]] = {}
    for (a, b), s in scores.items():
        if s >= settings.event_threshold:
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)
    found = {s for s in seeds if s in profiles}
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
