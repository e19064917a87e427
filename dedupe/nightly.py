"""What a run redoes, and what it carries over from the last run.

The store keeps, for each grouped article, its time and mean claim vector, and the scores of
the article pairs already compared (`store.GroupingState`). A run profiles only the articles
not grouped yet (new or changed), scores them against their nearest stored articles,
re-clusters the components they touch (`events.grouping.add_articles`, the same step as in
memory), and describes and checks only the events whose articles changed; every other event
keeps its description, timeline and findings from the last run. Within an event checked
again, two unchanged articles that the last run checked in one event are not compared again:
their pair findings and changes are carried (`settled`, `checks.Settled`). When a setting
that grouping or checks depend on changes, everything is grouped and checked afresh. So a
run costs what its new articles touch, not what the store holds.

A stored article that is only scored (a candidate of a new one, in no event described and
checked again) is not profiled again: the store keeps each grouped article's profile row
(`store.ProfileRow`: its text weights and the keys of its claim vectors, saved when it was
grouped), and its profile is rebuilt from that, its article record, its cached claim vectors
and the time it was grouped with (`events.profiles.stored_profile`), reading no claims and
dating nothing. It scores bit for bit as the profile read from its claims, but for a window
that runs to the day of the run: the stored one, which clustering uses too, stays as it was
grouped. A candidate without a row (a store from before rows) is read in full, and its row
saved with the run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from dedupe import __version__
from dedupe.checks import Settled, find_conflicts
from dedupe.claims.extract import Progress
from dedupe.events.cluster import top_neighbours
from dedupe.events.dating import date_articles, inferred_windows
from dedupe.events.embed import Embedder, embed_texts
from dedupe.events.grouping import (
    Grouping,
    add_articles,
    add_repeated,
    add_timelines,
    article_time,
    link_threshold,
)
from dedupe.events.ids import carry_event_ids
from dedupe.events.labels import describe_event
from dedupe.events.profiles import (
    ArticleTime,
    Profile,
    build_profiles,
    profile_row,
    stored_profile,
)
from dedupe.knowledge.officeholders import Officeholders, load_officeholders
from dedupe.records import (
    Article,
    Change,
    Claim,
    Event,
    Evidence,
    Finding,
    IngestFailure,
    content_hash,
)
from dedupe.report import article_entry
from dedupe.settings import Settings
from dedupe.store.database import GroupingState, GroupingUpdate, ProfileRow, Store

log = logging.getLogger(__name__)
R = TypeVar("R", Finding, Change)
# settings that only change how inputs are read, how fast, or how much of the results the
# reports show: everything else regroups
_NOT_GROUPING = (
    "batch_size",
    "max_file_bytes",
    "feed_timeout",
    "device",
    "model_cache",
    "spacy_processes",
    "report_max_findings",
    "report_max_events",
)


@dataclass
class Outcome:
    """A run's events (all of them, carried or redone), findings and timeline changes, the
    grouping state to save with them, and what it cost."""

    events: list[Event]
    findings: list[Finding]
    changes: list[Change]
    grouping: GroupingUpdate
    embedded: int  # claim texts newly embedded
    redone: int  # events described and checked this run
    failures: list[IngestFailure]  # events whose checks failed


def grouping_fingerprint(settings: Settings) -> str:
    names = [f.name for f in dataclasses.fields(settings) if f.name not in _NOT_GROUPING]
    return f"{__version__}/{settings.fingerprint(*names, 'extractor', 'embed_recipe')}"


def officeholder_table(claims: Sequence[Claim], settings: Settings) -> Officeholders | None:
    """The officeholder table with the user's CSVs, loaded only when some claim gives a title
    (the bundled part is parsed once per process)."""
    if not any(c.roles for c in claims):
        return None
    return load_officeholders(settings.officeholders)


class Loaded:
    """The articles (dated), claims, claim vectors and profiles a run has read so far, and the
    profiles of stored articles that it only scores (`load_scored`)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        today: dt.date,
        get_embedder: Callable[[], Embedder],
        progress: Progress,
    ) -> None:
        self.store, self.settings, self.today = store, settings, today
        self.get_embedder, self.progress = get_embedder, progress
        self.articles: dict[str, Article] = {}
        self.claims: dict[str, Claim] = {}
        self.by_article: dict[str, list[Claim]] = {}
        self.profiles: dict[str, Profile] = {}
        self.kb: Officeholders | None = None
        self.embedded = 0
        self.unsaved: list[str] = []  # stored articles read in full for want of a profile row
        self._blocks: list[np.ndarray] = []

    def load(self, ids: Sequence[str]) -> None:
        """Read, date and profile the articles with `ids` not read yet; embed what is new."""
        todo = sorted(set(ids) - set(self.articles))
        if not todo:
            return
        claims = self.store.load_claims(todo)
        X, embedded = embed_texts(
            [c.text for c in claims],
            self.get_embedder,
            self.store,
            self.settings.vector_fingerprint(),
            self.settings.batch_size,
            self.progress,
        )
        self.embedded += embedded
        self.kb = self.kb or officeholder_table(claims, self.settings)
        articles = date_articles(self.store.load_articles(todo), claims, self.kb, self.today)
        for profile in build_profiles(articles, claims, X, inferred_windows(articles)):
            self.profiles[profile.article.id] = profile
        self.articles.update((a.id, a) for a in articles)
        for claim in claims:
            self.claims[claim.id] = claim
            self.by_article.setdefault(claim.article_id, []).append(claim)
        self._blocks.append(X)

    def load_scored(self, ids: Sequence[str], times: Mapping[str, ArticleTime]) -> list[Profile]:
        """The profiles of the grouped articles `ids` (with their stored `times`), which are
        only scored: rebuilt from their profile rows and cached claim vectors, reading no
        claims; one without a row, or with a vector no longer cached, is read in full."""
        rows = self.store.profiles([a for a in ids if a not in self.profiles])
        found = self.store.get_vectors(
            sorted({k for row in rows.values() for k in row.claims}),
            self.settings.vector_fingerprint(),
        )
        rows = {a: row for a, row in rows.items() if all(k in found for k in row.claims)}
        for article in self.store.load_articles(sorted(rows)):
            claims = rows[article.id].claims
            X = np.vstack([found[k] for k in claims]) if claims else np.zeros((0, 0), np.float32)
            profile = stored_profile(article, rows[article.id].profile, X, times[article.id])
            self.profiles[article.id] = profile
        self.unsaved += [a for a in ids if a not in self.profiles]
        self.load(self.unsaved)
        return [self.profiles[a] for a in ids]

    def row(self, article_id: str) -> ProfileRow:
        """The profile row of an article read in full."""
        claims = [content_hash(c.text) for c in self.by_article.get(article_id, [])]
        return ProfileRow(claims, profile_row(self.profiles[article_id]))

    def matrix(self) -> tuple[np.ndarray, dict[str, int]]:
        """Every loaded claim vector, and the row of each claim (in load order)."""
        rows = {c: n for n, c in enumerate(self.claims)}
        blocks = [b for b in self._blocks if len(b)]
        return (np.vstack(blocks) if blocks else np.zeros((0, 0), np.float32)), rows


def update(
    store: Store,
    settings: Settings,
    today: dt.date,
    previous: tuple[Sequence[Event], Sequence[Finding], Sequence[Change]],
    get_embedder: Callable[[], Embedder],
    progress: Progress,
    timer: Callable[[str], AbstractContextManager[None]],
) -> Outcome:
    """Group the articles not grouped yet into the last run's events, then describe and check
    the events they changed; `previous` holds the last run's events, findings and changes."""
    previous_events, previous_findings, previous_changes = previous
    fingerprint = grouping_fingerprint(settings)
    reset = store.grouping_fingerprint() != fingerprint
    if reset:
        state = GroupingState([], np.zeros((0, 0), np.float32))
        current, replaced = store.article_keys(), set[str]()
    else:
        state = store.load_grouping()
        current, replaced = store.ungrouped()
    pending = sorted(current)
    loaded = Loaded(store, settings, today, get_embedder, progress)
    with timer("embed"):
        loaded.load(pending)
    new = [loaded.profiles[a] for a in pending]
    with timer("events"):
        candidates = _candidates(new, state, replaced, settings)
        before = {} if reset else {tuple(sorted(e.article_ids)): e for e in previous_events}
        # what grouping can change: the stored components that the new articles, the ones
        # they replace and their candidates are in; pairs and times of the rest stay stored
        reach = set() if reset else store.reach({*pending, *candidates}, link_threshold(settings))
        times = store.times(sorted(reach))
        regrouped, scored = add_articles(
            Grouping(times, store.pairs(reach), tuple(before)),
            new,
            loaded.load_scored(candidates, times),
            settings,
        )
        # an event is described and checked again when its articles, or their texts, changed
        redo = [g for g in regrouped.groups if g not in before or set(g) & replaced]
        loaded.load(sorted({a for g in redo for a in g}))
        fresh = [describe_event([loaded.profiles[a] for a in g], loaded.by_article) for g in redo]
        kept = [before[g] for g in regrouped.groups if g in before and not set(g) & replaced]
        events = carry_event_ids(fresh + kept, previous_events)
        fresh, kept = events[: len(fresh)], events[len(fresh) :]
    failures: list[IngestFailure] = []

    def check_failed(event: Event, exc: Exception) -> None:
        log.debug("checks of event %s failed", event.id, exc_info=True)
        reason = f"checks failed ({type(exc).__name__}: {exc}); its findings are missing"
        failures.append(IngestFailure(f"event {event.id} ({event.label})", reason))

    with timer("checks"):
        X, rows = loaded.matrix()
        checked = find_conflicts(
            fresh,
            loaded.claims,
            rows,
            X,
            loaded.articles,
            settings,
            kb=loaded.kb,
            on_error=check_failed,
            settled={}
            if reset
            else settled(store, fresh, previous_events, previous_changes, set(pending)),
        )
        findings, changes = checked.findings, checked.changes
        fresh = add_timelines(fresh, loaded.articles, changes)
        fresh = add_repeated(fresh, loaded.claims, rows, X, loaded.articles, settings)
    kept_ids = {e.id for e in kept}
    grouping = GroupingUpdate(
        fingerprint=fingerprint,
        reset=reset,
        keys={a: current[a] for a in pending},
        times={p.article.id: article_time(p) for p in new},
        vectors={p.article.id: p.vector for p in new},
        reports={a: article_entry(loaded.articles[a]) for a in pending},
        pairs=scored,
        profiles={a: loaded.row(a) for a in (*pending, *loaded.unsaved)},
        compared=checked.compared,
        uncompared=tuple(sorted({e.id for e in (*previous_events, *fresh)} - kept_ids)),
    )
    return Outcome(
        events=sorted(fresh + kept, key=lambda e: (e.start or dt.date.max, e.id)),
        findings=sorted(
            findings + [f for f in previous_findings if f.event_id in kept_ids],
            key=lambda f: (f.event_id, f.kind, f.id),
        ),
        changes=sorted(
            changes + [c for c in previous_changes if c.event_id in kept_ids],
            key=lambda c: (c.event_id, c.id),
        ),
        grouping=grouping,
        embedded=loaded.embedded,
        redone=len(fresh),
        failures=failures,
    )


def settled(
    store: Store,
    events: Sequence[Event],
    previous_events: Sequence[Event],
    previous_changes: Sequence[Change],
    changed: set[str],
) -> dict[str, Settled]:
    """What the last run compared of each event checked again: the last event of each of its
    unchanged articles (when that event was checked), and the pair findings and changes of
    the articles of one such last event, moved to this one."""
    last = {a: e.id for e in previous_events for a in e.article_ids if a not in changed}
    stored = store.compared(sorted({last[a] for e in events for a in e.article_ids if a in last}))
    changes_of: dict[str, list[Change]] = {}
    for change in previous_changes:
        changes_of.setdefault(change.event_id, []).append(change)
    out = {}
    for event in events:
        groups = {a: last[a] for a in event.article_ids if last.get(a) in stored}
        out[event.id] = Settled(
            groups, _carried(stored, groups, event.id), _carried(changes_of, groups, event.id)
        )
    return out


def _carried(
    items_of: Mapping[str, Sequence[R]], groups: dict[str, str], event_id: str
) -> tuple[R, ...]:
    """The findings or changes of the last events in `groups` whose sides all lie in articles
    of one of them, moved to the event `event_id`."""
    return tuple(
        dataclasses.replace(item, event_id=event_id)
        for g in sorted(set(groups.values()))
        for item in items_of.get(g, ())
        if _one_group(groups, item.evidence)
    )


def _one_group(groups: dict[str, str], evidence: Sequence[Evidence]) -> bool:
    """Whether every side of a finding or change is in articles of one last event."""
    found = {groups.get(e.article_id) for e in evidence}
    return len(found) == 1 and None not in found


def _candidates(
    new: Sequence[Profile], state: GroupingState, replaced: set[str], settings: Settings
) -> list[str]:
    """The stored articles nearest to the new ones (mean claim vectors), among which
    `score_pairs` picks each new article's candidates."""
    keep = [n for n, a in enumerate(state.ids) if a not in replaced]
    if not new or not keep:
        return []
    V = np.vstack([p.vector for p in new])
    stored = state.V if len(keep) == len(state.ids) else state.V[keep]  # no copy of all
    D, I = top_neighbours(stored, settings.event_candidates, V, settings.exact_search_limit)
    found = {
        state.ids[keep[j]]
        for sims, rows in zip(D.tolist(), I.tolist(), strict=True)
        for sim, j in zip(sims, rows, strict=True)
        if j >= 0 and sim >= settings.event_candidate_similarity
    }
    return sorted(found)


def report_articles(store: Store, grouping: GroupingUpdate) -> list[dict[str, object]]:
    """Every article's report entry: the stored ones, updated by this run's."""
    stored = [] if grouping.reset else store.grouped_reports()
    entries = {str(e["id"]): e for e in stored}
    entries.update(grouping.reports)
    return list(entries.values())
