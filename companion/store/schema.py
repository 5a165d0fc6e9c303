"""The store's schema, as a list of migrations: `MIGRATIONS[i]` takes a database from version i
to i + 1 (version 0: an empty file). `PRAGMA user_version` holds the version; each migration
runs in the same transaction as the version bump, so a crash leaves the old version whole.

v1: corrections (digest, labels, optional text), author rules, settings, daily label counts.
v2: corrections keep hashed n-gram features for the learner; the daily counts become daily
    aggregates of several kinds (labels, undisclosed-tie kinds, the extension's actions) and
    carry the number of posts seen, so shares can be drawn.
"""
from __future__ import annotations

import json
import sqlite3

from companion.store.features import features, pack

V1 = """
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    site TEXT NOT NULL DEFAULT '',
    digest TEXT NOT NULL,
    labels TEXT NOT NULL,
    text TEXT
);
CREATE INDEX corrections_digest ON corrections(digest);
CREATE TABLE author_rules (
    site TEXT NOT NULL,
    author TEXT NOT NULL,
    rule TEXT NOT NULL CHECK (rule IN ('never_label', 'always_hide')),
    created TEXT NOT NULL,
    PRIMARY KEY (site, author)
);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE daily_counts (
    day TEXT NOT NULL, site TEXT NOT NULL, label TEXT NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (day, site, label)
);
"""


def _v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE corrections ADD COLUMN features TEXT")
    # Corrections stored with their text get features now; the others stay digest-only.
    rows = conn.execute("SELECT id, text FROM corrections WHERE text IS NOT NULL").fetchall()
    for row_id, text in rows:
        conn.execute("UPDATE corrections SET features = ? WHERE id = ?",
                     (json.dumps(pack(features(text))), row_id))
    conn.execute("""CREATE TABLE daily (
        day TEXT NOT NULL, site TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
        count INTEGER NOT NULL, PRIMARY KEY (day, site, kind, name))""")
    conn.execute("""INSERT INTO daily (day, site, kind, name, count)
                    SELECT day, site, 'label', label, count FROM daily_counts""")
    conn.execute("DROP TABLE daily_counts")


def _v1(conn: sqlite3.Connection) -> None:
    # One statement at a time: executescript() would commit in the middle of the migration.
    for statement in V1.split(";"):
        if statement.strip():
            conn.execute(statement)


MIGRATIONS = [_v1, _v2]
VERSION = len(MIGRATIONS)


class SchemaError(RuntimeError):
    """The file was written by a newer Campfire: left untouched."""


def check_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > VERSION:
        raise SchemaError(f"the store is schema version {version}, newer than this Campfire "
                          f"knows ({VERSION}); update Campfire")
    return version


def migrate(conn: sqlite3.Connection, target: int = VERSION) -> int:
    """Brings the database up to `target`, one version per transaction; returns the version
    it started from."""
    start = check_version(conn)
    for version in range(start, target):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return start
