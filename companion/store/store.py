"""The user's store: one SQLite file (the standard library's sqlite3) in WAL mode.

Every write is one transaction, committed with `synchronous=FULL` before the caller hears
back, so a crash (even kill -9) loses nothing that was answered as stored. A file that is not
a readable database is moved aside (`<name>.corrupt-<time>`, never deleted) and a fresh store
is started, with `problem` saying so; a database another process holds locked is reported as
`StoreLocked` (the API answers 503 store_locked) and nothing is changed.
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import platformdirs

from companion.store import schema
from companion.store.features import digest, features, pack

log = logging.getLogger("companion.store")

DATA_DIR_ENV = "CAMPFIRE_DATA_DIR"
STORE_FILE = "store.sqlite3"
BUSY_TIMEOUT_S = 2.0
# The user's settings, with their defaults (the API's schema is made from this too).
SETTINGS = {
    "keep_text": False,   # keep the text of corrected posts (else: digest and features only)
    "learning": True,     # let corrections shape the labels of similar posts
}
AUTHOR_RULES = ("never_label", "always_hide")


class StoreLocked(RuntimeError):
    """Another process holds the database locked."""


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("campfire", appauthor=False))


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_lock(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower()


class Store:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else data_dir() / STORE_FILE
        self.problem: str | None = None
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    # -- opening ---------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)
        try:
            schema.check_version(conn)   # before anything writes to a newer Campfire's file
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            schema.migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _set_aside(self, reason: str) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.path) + suffix)
            if part.exists():
                part.replace(Path(str(aside) + suffix))
        self.problem = (f"the store at {self.path} could not be read ({reason}); it was moved "
                        f"to {aside.name} and a new, empty store was started")
        log.error("%s", self.problem)

    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                self._conn = self._connect()
            except sqlite3.Error as exc:
                if _is_lock(exc):
                    raise StoreLocked(f"the store at {self.path} is locked by another program") from None
                self._set_aside(type(exc).__name__ + ": " + str(exc).split("\n")[0][:120])
                self._conn = self._connect()
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def read(self, sql: str, args=()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self.conn().execute(sql, args).fetchall()
            except sqlite3.OperationalError as exc:
                if _is_lock(exc):
                    raise StoreLocked(f"the store at {self.path} is locked by another program") from None
                raise

    def transaction(self, work):
        """Runs `work(conn)` in one IMMEDIATE transaction: all of it is stored, or none."""
        with self._lock:
            conn = self.conn()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if _is_lock(exc):
                    raise StoreLocked(f"the store at {self.path} is locked by another program") from None
                raise
            try:
                result = work(conn)
                conn.execute("COMMIT")
                return result
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    # -- corrections -----------------------------------------------------------------------
    def add_correction(self, text: str, labels: dict[str, bool], site: str = "") -> dict:
        keep = self.settings()["keep_text"]
        row = (now(), site or "", digest(text), json.dumps(labels, sort_keys=True),
               text if keep else None, json.dumps(pack(features(text))))

        def work(conn):
            cur = conn.execute("INSERT INTO corrections (created, site, digest, labels, text, features)"
                               " VALUES (?, ?, ?, ?, ?, ?)", row)
            return cur.lastrowid
        return self.correction(self.transaction(work))

    @staticmethod
    def _correction(row) -> dict:
        out = {"id": row[0], "created": row[1], "site": row[2], "digest": row[3],
               "labels": json.loads(row[4]), "text_kept": row[5] is not None}
        if row[5] is not None:
            out["text"] = row[5]
        return out

    def correction(self, correction_id: int) -> dict | None:
        rows = self.read("SELECT id, created, site, digest, labels, text FROM corrections"
                          " WHERE id = ?", (correction_id,))
        return self._correction(rows[0]) if rows else None

    def corrections(self) -> list[dict]:
        return [self._correction(r) for r in self.read(
            "SELECT id, created, site, digest, labels, text FROM corrections ORDER BY id")]

    def delete_correction(self, correction_id: int) -> bool:
        return self.transaction(lambda c: c.execute(
            "DELETE FROM corrections WHERE id = ?", (correction_id,)).rowcount) > 0

    def learning_rows(self) -> list[tuple[str, dict, list | None, int]]:
        """(digest, labels, packed features or None, id), oldest first: what the learner reads."""
        return [(r[0], json.loads(r[1]), json.loads(r[2]) if r[2] else None, r[3]) for r in self.read(
            "SELECT digest, labels, features, id FROM corrections ORDER BY id")]

    # -- author rules ----------------------------------------------------------------------
    def set_author_rule(self, site: str, author: str, rule: str) -> dict:
        self.transaction(lambda c: c.execute(
            "INSERT INTO author_rules (site, author, rule, created) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (site, author) DO UPDATE SET rule = excluded.rule, created = excluded.created",
            (site, author, rule, now())))
        return {"site": site, "author": author, "rule": rule}

    def delete_author_rule(self, site: str, author: str) -> bool:
        return self.transaction(lambda c: c.execute(
            "DELETE FROM author_rules WHERE site = ? AND author = ?", (site, author)).rowcount) > 0

    def author_rules(self) -> list[dict]:
        return [{"site": r[0], "author": r[1], "rule": r[2], "created": r[3]} for r in self.read(
            "SELECT site, author, rule, created FROM author_rules ORDER BY site, author")]

    # -- settings --------------------------------------------------------------------------
    def settings(self) -> dict:
        stored = {k: json.loads(v) for k, v in self.read("SELECT key, value FROM settings")}
        return {key: stored.get(key, default) for key, default in SETTINGS.items()}

    def update_settings(self, changes: dict) -> dict:
        def work(conn):
            for key, value in changes.items():
                conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key)"
                             " DO UPDATE SET value = excluded.value", (key, json.dumps(value)))
        self.transaction(work)
        return self.settings()

    # -- daily aggregates ------------------------------------------------------------------
    def add_daily(self, day: str, site: str, counts: dict[tuple[str, str], int]) -> None:
        def work(conn):
            conn.executemany(
                "INSERT INTO daily (day, site, kind, name, count) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (day, site, kind, name) DO UPDATE SET count = count + excluded.count",
                [(day, site, kind, name, n) for (kind, name), n in counts.items() if n])
        self.transaction(work)

    def daily(self, since: str = "", site: str | None = None) -> list[dict]:
        sql = "SELECT day, site, kind, name, count FROM daily WHERE day >= ?"
        args: list = [since]
        if site is not None:
            sql += " AND site = ?"
            args.append(site)
        return [{"day": r[0], "site": r[1], "kind": r[2], "name": r[3], "count": r[4]}
                for r in self.read(sql + " ORDER BY day, site, kind, name", args)]

    # -- everything --------------------------------------------------------------------------
    def forget(self) -> None:
        """Deletes every row, then rewrites the file and its journal so nothing lingers."""
        def work(conn):
            for table in ("corrections", "author_rules", "settings", "daily"):
                conn.execute(f"DELETE FROM {table}")
        self.transaction(work)
        with self._lock:
            self.conn().execute("VACUUM")
            self.conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def status(self) -> dict:
        counts = {table: self.read(f"SELECT COUNT(*) FROM {table}")[0][0]
                  for table in ("corrections", "author_rules", "daily")}
        return {"path": str(self.path), "schema_version": schema.VERSION,
                "problem": self.problem, "counts": counts}
