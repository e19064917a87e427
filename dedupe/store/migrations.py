"""Numbered, append-only schema migrations; `PRAGMA user_version` records how many ran.

Never edit a migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        settings TEXT NOT NULL,
        stats TEXT
    );
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        claims_fingerprint TEXT NOT NULL,
        data TEXT NOT NULL,
        first_run INTEGER NOT NULL,
        changed_run INTEGER NOT NULL,
        seen_run INTEGER NOT NULL
    );
    CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        data TEXT NOT NULL
    );
    CREATE INDEX claims_article ON claims(article_id);
    CREATE TABLE vectors (
        text_hash TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (text_hash, fingerprint)
    );
    CREATE TABLE events (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        id TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, id)
    );
    CREATE TABLE findings (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        evidence_hash TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, id)
    );
    CREATE TABLE changes (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, id)
    );
    CREATE TABLE failures (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        path TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        finding_id TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
        note TEXT,
        decided_by TEXT,
        decided_at TEXT NOT NULL,
        evidence_hash TEXT
    );
    CREATE INDEX decisions_finding ON decisions(finding_id);
    """,
    # 2: look findings and events up by id across runs (`dedupe review`, `dedupe findings`,
    # event ids carried from one run to the next)
    """
    CREATE INDEX findings_by_id ON findings(id);
    CREATE INDEX events_by_id ON events(id);
    """,
    # 3: what event grouping keeps between runs, so a nightly run only scores and re-clusters
    # what its new articles touch (`dedupe.nightly`)
    """
    CREATE TABLE grouped (
        article_id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        time TEXT NOT NULL,
        vector BLOB NOT NULL,
        report TEXT NOT NULL
    );
    CREATE TABLE event_pairs (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        score REAL NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX event_pairs_b ON event_pairs(b);
    CREATE TABLE grouping (fingerprint TEXT NOT NULL);
    """,
    # 4: each event's pair findings as the last run checked it, so a nightly run compares
    # only the article pairs no earlier run compared (`dedupe.checks.Settled`)
    """
    CREATE TABLE compared (event_id TEXT PRIMARY KEY, findings TEXT NOT NULL);
    """,
    # 5: what scoring needs of each grouped article's profile, so a nightly run scores its
    # stored candidates without reading their claims (`events.profiles.stored_profile`); an
    # article grouped before has none and is read in full, as before
    """
    CREATE TABLE profiles (
        article_id TEXT PRIMARY KEY,
        claims TEXT NOT NULL,
        profile TEXT NOT NULL
    );
    """,
]
