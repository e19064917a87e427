"""The SQLite store: articles, claims, cached vectors, and each run's events and findings.

Every write that must stand together is one transaction (an article with its claims; a run's
results), so a run killed at any moment leaves the store consistent, and the next run finishes
the work. A run holds an exclusive lock file beside the database.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from dedupe.errors import StoreError
from dedupe.records import (
    Article,
    Change,
    Claim,
    Event,
    Finding,
    IngestFailure,
    RunStats,
    dumps,
    from_dict,
    to_dict,
)
from dedupe.store.migrations import MIGRATIONS

_CHUNK = 500  # ids per `IN (...)` query, below SQLite's variable limit

log = logging.getLogger(__name__)


def evidence_hash(finding: Finding) -> str:
    """Hash of what a finding rests on; a dismissal stands while this stays the same."""
    parts = sorted(f"{e.claim_id}|{e.value}|{e.quote}" for e in finding.evidence)
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class GroupingState:
    """The mean claim vector of every grouped article (rows of `V`, in `ids` order): what
    candidate search needs of the whole store. Keys, times and pair scores stay in the store,
    asked for only where a run's new articles reach (`pending`, `reach`, `times`, `pairs`)."""

    ids: list[str]
    V: np.ndarray


@dataclass(frozen=True)
class ProfileRow:
    """What scoring needs of a grouped article without reading its claims: the text hashes of
    its claims in claim order (the keys of their cached vectors) and the rest of its profile
    (`events.profiles.profile_row`)."""

    claims: list[str]
    profile: dict[str, Any]


@dataclass(frozen=True)
class GroupingUpdate:
    """What a run adds to the grouping state: the articles it grouped (their key, time, mean
    vector and report entry) and the pairs it scored; `reset` starts the state afresh (the
    settings it was built with changed)."""

    fingerprint: str
    reset: bool
    keys: dict[str, str]
    times: dict[str, Any]
    vectors: dict[str, np.ndarray]
    reports: dict[str, dict[str, Any]]
    pairs: dict[tuple[str, str], float]
    # the profile rows of articles grouped this run, or read in full for want of one
    # (`Store.profiles`); a regrouped article without one here loses its old one
    profiles: dict[str, ProfileRow] = field(default_factory=dict)
    # the pair findings of each event checked this run, and the events whose stored pair
    # findings go (those of the last run that were regrouped or are checked again)
    compared: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    uncompared: tuple[str, ...] = ()


def _time_json(time: Any) -> list[str | None]:
    window, after = time
    return [
        window[0].isoformat() if window else None,
        window[1].isoformat() if window else None,
        after.isoformat() if after else None,
    ]


class Store:
    """One SQLite file; open with `Store.open(path)` as a context manager."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock_file: Any = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
            missing = sorted(_schema_tables() - self._tables())
        except (sqlite3.Error, OSError) as exc:
            raise self.unusable(exc) from exc
        if missing:
            self.db.close()
            raise StoreError(
                f"{self.path} is not a usable dedupe store: tables {', '.join(missing)} are "
                "missing (was it edited by hand?); move it aside and run again to start afresh"
            )

    @classmethod
    @contextmanager
    def open(cls, path: str | Path) -> Iterator[Store]:
        """The store at `path`; a SQLite or file error inside the block becomes a StoreError
        (the transaction it broke is rolled back, so the store stays as it was)."""
        store = cls(path)
        try:
            yield store
        except sqlite3.Error as exc:
            raise store.unusable(exc) from exc
        finally:
            store.close()

    def unusable(self, exc: Exception) -> StoreError:
        """The error to raise when the store's file cannot be read or written."""
        if "readonly" in str(exc) or isinstance(exc, PermissionError):
            return StoreError(f"{self.path} cannot be written ({exc}); check its permissions")
        return StoreError(f"{self.path} is not a usable dedupe store: {exc}")

    def _tables(self) -> set[str]:
        rows = self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {r[0] for r in rows}

    def close(self) -> None:
        self.unlock()
        self.db.close()

    # ------------------------------------------------------------ schema, lock, transactions

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was written by a newer dedupe (schema {version}, "
                f"this version knows {len(MIGRATIONS)}); upgrade dedupe"
            )
        for number in range(version, len(MIGRATIONS)):
            with self.transaction():
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def lock(self) -> None:
        """Take the store's run lock, or raise StoreError if another run holds it."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            handle = open(lock_path, "a+")  # noqa: SIM115 - held until unlock()
        except OSError as exc:
            raise self.unusable(exc) from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StoreError(
                f"{self.path} is in use by another dedupe run ({holder}); wait for it to finish"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._lock_file = handle

    def unlock(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    # ------------------------------------------------------------ runs

    def begin_run(self, now: dt.datetime, settings: dict[str, Any]) -> int:
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO runs (started_at, settings) VALUES (?, ?)",
                (now.isoformat(), json.dumps(settings, sort_keys=True, default=str)),
            )
        return int(cur.lastrowid or 0)

    def previous_run(self, run_id: int) -> int | None:
        """The last finished run before `run_id`."""
        row = self.db.execute(
            "SELECT max(id) FROM runs WHERE id < ? AND finished_at IS NOT NULL", (run_id,)
        ).fetchone()
        return row[0]

    def last_finished_run(self) -> int | None:
        row = self.db.execute("SELECT max(id) FROM runs WHERE finished_at IS NOT NULL").fetchone()
        return row[0]

    def run_started(self, run_id: int) -> str:
        """When a run started (ISO time, as injected into `begin_run`)."""
        row = self.db.execute("SELECT started_at FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path} has no run {run_id}")
        return str(row[0])

    # ------------------------------------------------------------ articles and claims

    def article_states(self, ids: Sequence[str] | None = None) -> dict[str, tuple[str, str]]:
        """(content hash, claims fingerprint) of every stored article (those with `ids`, when
        given), by id."""
        rows = self._rows("SELECT id, content_hash, claims_fingerprint FROM articles", "id IN", ids)
        return {r[0]: (r[1], r[2]) for r in rows}

    def save_article(
        self, article: Article, claims: Sequence[Claim], run_id: int, fingerprint: str
    ) -> None:
        """Insert or replace an article and its claims (old claims retired) in one go."""
        with self.transaction():
            exists = self.db.execute(
                "SELECT 1 FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            self.db.execute("DELETE FROM claims WHERE article_id = ?", (article.id,))
            if exists:
                self.db.execute(
                    "UPDATE articles SET content_hash = ?, claims_fingerprint = ?, data = ?, "
                    "changed_run = ?, seen_run = ? WHERE id = ?",
                    (article.content_hash, fingerprint, dumps(article), run_id, run_id, article.id),
                )
            else:
                self.db.execute(
                    "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.content_hash,
                        fingerprint,
                        dumps(article),
                        run_id,
                        run_id,
                        run_id,
                    ),
                )
            self.db.executemany(
                "INSERT INTO claims VALUES (?, ?, ?)",
                [(c.id, c.article_id, dumps(c)) for c in claims],
            )
        log.debug("saved article %s with %d claims", article.id, len(claims))

    def mark_seen(self, article_ids: Sequence[str], run_id: int) -> None:
        with self.transaction():
            self.db.executemany(
                "UPDATE articles SET seen_run = ? WHERE id = ?", [(run_id, a) for a in article_ids]
            )

    def load_articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """The stored articles (those with `ids`, when given), by id."""
        rows = self._rows("SELECT id, data FROM articles", "id IN", ids)
        return [from_dict(Article, json.loads(r[-1])) for r in sorted(rows)]

    def load_claims(self, article_ids: Sequence[str] | None = None) -> list[Claim]:
        """The stored claims (of the articles with `article_ids`, when given), an article's
        claims together."""
        rows = self._rows("SELECT article_id, id, data FROM claims", "article_id IN", article_ids)
        return [from_dict(Claim, json.loads(r[-1])) for r in sorted(rows)]

    def _rows(
        self, query: str, where: str, values: Sequence[str] | None, *params: Any
    ) -> list[tuple[Any, ...]]:
        """Rows of `query` whose `where` ("col IN", after any `params` conditions) holds one of
        `values`, asked in chunks under SQLite's variable limit; all rows when `values` is None."""
        if values is None:
            return list(self.db.execute(query))
        rows: list[tuple[Any, ...]] = []
        for i in range(0, len(values), _CHUNK):
            chunk = list(values[i : i + _CHUNK])
            marks = ",".join("?" * len(chunk))
            rows += self.db.execute(f"{query} WHERE {where} ({marks})", [*params, *chunk])
        return rows

    def count_claims(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM claims").fetchone()[0])

    def article_keys(self) -> dict[str, str]:
        """What each stored article was last read as (content hash and claims fingerprint)."""
        rows = self.db.execute("SELECT id, content_hash || '/' || claims_fingerprint FROM articles")
        return {r[0]: r[1] for r in rows}

    # ------------------------------------------------------------ grouping state

    def grouping_fingerprint(self) -> str | None:
        row = self.db.execute("SELECT fingerprint FROM grouping").fetchone()
        return row[0] if row else None

    def forget_grouping(self) -> None:
        """Drop the grouping state, so that the next run groups and checks every article
        afresh (claims and vectors stay cached); for evaluations, which must not carry
        findings over from a run made with other code."""
        with self.transaction():
            self.db.execute("DELETE FROM grouping")
            self.db.execute("DELETE FROM compared")
            self.db.execute("DELETE FROM profiles")

    def load_grouping(self) -> GroupingState:
        """Every grouped article's mean vector, read into one array (no copy of each row)."""
        count = int(self.db.execute("SELECT count(*) FROM grouped").fetchone()[0])
        ids: list[str] = []
        V = np.zeros((0, 0), np.float32)
        for n, (article_id, blob) in enumerate(
            self.db.execute("SELECT article_id, vector FROM grouped ORDER BY article_id")
        ):
            row = np.frombuffer(blob, dtype=np.float32)
            if not n:
                V = np.empty((count, len(row)), np.float32)
            V[n] = row
            ids.append(article_id)
        return GroupingState(ids, V[: len(ids)])

    def ungrouped(self) -> tuple[dict[str, str], set[str]]:
        """The articles grouped under another key than the one they are stored with now (new
        or changed), each with its current key (content hash and claims fingerprint), and
        which of them were grouped before (changed)."""
        rows = self.db.execute(
            "SELECT a.id, a.content_hash || '/' || a.claims_fingerprint, g.state IS NOT NULL "
            "FROM articles a LEFT JOIN grouped g ON g.article_id = a.id "
            "WHERE g.state IS NULL OR g.state != a.content_hash || '/' || a.claims_fingerprint"
        )
        keys: dict[str, str] = {}
        replaced: set[str] = set()
        for article_id, key, grouped in rows:
            keys[article_id] = key
            if grouped:
                replaced.add(article_id)
        return keys, replaced

    def reach(self, ids: set[str], threshold: float) -> set[str]:
        """`ids` and every grouped article linked to them by stored pairs scoring at least
        `threshold` (the components of the threshold graph they are in)."""
        found = set(ids)
        frontier = sorted(ids)
        while frontier:
            linked = set()
            for column, other in (("a", "b"), ("b", "a")):
                for (article_id,) in self._rows(
                    f"SELECT {other} FROM event_pairs",
                    f"score >= ? AND {column} IN",
                    frontier,
                    threshold,
                ):
                    linked.add(article_id)
            frontier = sorted(linked - found)
            found |= linked
        return found

    def times(self, ids: Sequence[str]) -> dict[str, Any]:
        """The grouping time (date window, written after) of the grouped articles `ids`."""
        times: dict[str, Any] = {}
        for article_id, time in self._rows(
            "SELECT article_id, time FROM grouped", "article_id IN", ids
        ):
            window_start, window_end, after = json.loads(time)
            times[article_id] = (
                (dt.date.fromisoformat(window_start), dt.date.fromisoformat(window_end))
                if window_start
                else None,
                dt.date.fromisoformat(after) if after else None,
            )
        return times

    def pairs(self, ids: set[str]) -> dict[tuple[str, str], float]:
        """The scores of the stored pairs between two of `ids`, read row by row into keys
        that share the id strings of `ids` (a night can read hundreds of thousands of them:
        about 400 bytes a pair as rows, half that this way)."""
        own = {a: a for a in ids}
        pairs: dict[tuple[str, str], float] = {}
        ordered = sorted(ids)
        for i in range(0, len(ordered), _CHUNK):
            chunk = ordered[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT a, b, score FROM event_pairs WHERE a IN ({marks})"
            for a, b, score in self.db.execute(query, chunk):
                if b in own:
                    pairs[(own[a], own[b])] = score
        return pairs

    def profiles(self, ids: Sequence[str]) -> dict[str, ProfileRow]:
        """The profile rows of the grouped articles `ids` that have one, as a run saved them
        (`GroupingUpdate.profiles`)."""
        rows = self._rows("SELECT article_id, claims, profile FROM profiles", "article_id IN", ids)
        return {a: ProfileRow(json.loads(claims), json.loads(row)) for a, claims, row in rows}

    def grouped_reports(self) -> list[dict[str, Any]]:
        """Each grouped article's report entry, as `GroupingUpdate.reports` saved it."""
        rows = self.db.execute("SELECT report FROM grouped ORDER BY article_id")
        return [json.loads(r[0]) for r in rows]

    def _save_grouping(self, update: GroupingUpdate) -> None:
        if update.reset:
            self.db.execute("DELETE FROM grouped")
            self.db.execute("DELETE FROM event_pairs")
            self.db.execute("DELETE FROM grouping")
            self.db.execute("DELETE FROM compared")
            self.db.execute("DELETE FROM profiles")
            self.db.execute("INSERT INTO grouping VALUES (?)", (update.fingerprint,))
        replaced = [(a,) for a in update.reports]
        self.db.executemany("DELETE FROM event_pairs WHERE a = ?", replaced)
        self.db.executemany("DELETE FROM event_pairs WHERE b = ?", replaced)
        self.db.executemany("DELETE FROM profiles WHERE article_id = ?", replaced)
        self.db.executemany(
            "INSERT OR REPLACE INTO profiles VALUES (?, ?, ?)",
            [
                (a, json.dumps(row.claims), json.dumps(row.profile))
                for a, row in update.profiles.items()
            ],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO grouped VALUES (?, ?, ?, ?, ?)",
            [
                (
                    a,
                    update.keys[a],
                    json.dumps(_time_json(update.times[a])),
                    np.asarray(update.vectors[a], dtype=np.float32).tobytes(),
                    json.dumps(report),
                )
                for a, report in update.reports.items()
            ],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO event_pairs VALUES (?, ?, ?)",
            [(a, b, s) for (a, b), s in update.pairs.items()],
        )
        self.db.executemany(
            "DELETE FROM compared WHERE event_id = ?", [(e,) for e in update.uncompared]
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO compared VALUES (?, ?)",
            [(e, dumps(found)) for e, found in update.compared.items()],
        )

    def compared(self, event_ids: Sequence[str]) -> dict[str, list[Finding]]:
        """The pair findings of these events (those the last run checked), by event id."""
        rows = self._rows("SELECT event_id, findings FROM compared", "event_id IN", event_ids)
        return {e: [from_dict(Finding, f) for f in json.loads(data)] for e, data in rows}

    # ------------------------------------------------------------ vectors (a VectorCache)

    def get_vectors(self, keys: Sequence[str], fingerprint: str) -> dict[str, np.ndarray]:
        rows = self._rows(
            "SELECT text_hash, vector FROM vectors",
            "fingerprint = ? AND text_hash IN",
            keys,
            fingerprint,
        )
        return {key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows}

    def put_vectors(self, items: dict[str, np.ndarray], fingerprint: str) -> None:
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [
                    (k, fingerprint, np.asarray(v, dtype=np.float32).tobytes())
                    for k, v in items.items()
                ],
            )
        log.debug("saved %d vectors", len(items))

    # ------------------------------------------------------------ results of a run

    def save_results(
        self,
        run_id: int,
        events: Sequence[Event],
        findings: Sequence[Finding],
        changes: Sequence[Change],
        failures: Sequence[IngestFailure],
        stats: RunStats,
        now: dt.datetime,
        grouping: GroupingUpdate | None = None,
    ) -> None:
        """A run's results, the grouping state they rest on, and its end, all in one
        transaction."""
        with self.transaction():
            if grouping is not None:
                self._save_grouping(grouping)
            self.db.executemany(
                "INSERT INTO events VALUES (?, ?, ?)", [(run_id, e.id, dumps(e)) for e in events]
            )
            self.db.executemany(
                "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (run_id, f.id, f.event_id, f.kind, f.severity, evidence_hash(f), dumps(f))
                    for f in findings
                ],
            )
            self.db.executemany(
                "INSERT INTO changes VALUES (?, ?, ?, ?)",
                [(run_id, c.id, c.event_id, dumps(c)) for c in changes],
            )
            self.db.executemany(
                "INSERT INTO failures VALUES (?, ?, ?)",
                [(run_id, f.path, f.reason) for f in failures],
            )
            self.db.execute(
                "UPDATE runs SET finished_at = ?, stats = ? WHERE id = ?",
                (now.isoformat(), json.dumps(to_dict(stats)), run_id),
            )
        log.info("saved the results of run %d", run_id)

    def load_events(self, run_id: int) -> list[Event]:
        rows = self.db.execute("SELECT data FROM events WHERE run_id = ? ORDER BY id", (run_id,))
        return [from_dict(Event, json.loads(r[0])) for r in rows]

    def load_findings(self, run_id: int) -> list[Finding]:
        rows = self.db.execute("SELECT data FROM findings WHERE run_id = ? ORDER BY id", (run_id,))
        return [from_dict(Finding, json.loads(r[0])) for r in rows]

    def load_changes(self, run_id: int) -> list[Change]:
        rows = self.db.execute("SELECT data FROM changes WHERE run_id = ? ORDER BY id", (run_id,))
        return [from_dict(Change, json.loads(r[0])) for r in rows]

    def find_finding(self, finding_id: str) -> Finding | None:
        """The finding with this id as the latest finished run that reported it saw it."""
        row = self.db.execute(
            "SELECT f.data FROM findings f JOIN runs r ON r.id = f.run_id "
            "WHERE f.id = ? AND r.finished_at IS NOT NULL ORDER BY f.run_id DESC LIMIT 1",
            (finding_id,),
        ).fetchone()
        return from_dict(Finding, json.loads(row[0])) if row else None

    def first_seen(self) -> dict[str, str]:
        """When each finding was first reported: the start time of its first finished run."""
        rows = self.db.execute(
            "SELECT f.id, min(r.started_at) FROM findings f JOIN runs r ON r.id = f.run_id "
            "WHERE r.finished_at IS NOT NULL GROUP BY f.id"
        )
        return {r[0]: r[1] for r in rows}

    # ------------------------------------------------------------ editors' decisions

    def save_decision(
        self,
        finding: Finding,
        decision: str,
        note: str | None,
        by: str | None,
        now: dt.datetime,
    ) -> None:
        """Record an editor's decision on a finding, with the evidence it was made on."""
        with self.transaction():
            self.db.execute(
                "INSERT INTO decisions (finding_id, decision, note, decided_by, decided_at, "
                "evidence_hash) VALUES (?, ?, ?, ?, ?, ?)",
                (finding.id, decision, note, by, now.isoformat(), evidence_hash(finding)),
            )

    def latest_decisions(self) -> dict[str, dict[str, Any]]:
        """The last decision on each finding: decision, note, by, at, evidence_hash."""
        rows = self.db.execute(
            "SELECT finding_id, decision, note, decided_by, decided_at, evidence_hash "
            "FROM decisions WHERE id IN (SELECT max(id) FROM decisions GROUP BY finding_id)"
        )
        return {
            r[0]: {"decision": r[1], "note": r[2], "by": r[3], "at": r[4], "evidence_hash": r[5]}
            for r in rows
        }


@cache
def _schema_tables() -> frozenset[str]:
    """The tables that all migrations together create (applied to an empty in-memory store)."""
    db = sqlite3.connect(":memory:")
    for migration in MIGRATIONS:
        db.executescript(migration)
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    tables = frozenset(r[0] for r in rows)
    db.close()
    return tables
