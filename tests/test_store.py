"""The user's store on disk: migrations from every earlier schema version, a corrupt file, a
locked file, and a kill -9 of the companion in the middle of a burst of corrections."""
import json
import signal
import sqlite3
import threading

import pytest

from companion_harness import running_companion
from companion.store import schema, store as store_module
from companion.store.schema import SchemaError
from companion.store.store import Store, StoreLocked

TEXT = "Show HN: a tiny tool I made for my own feed"


def database_at(path, version: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, target=version)
    return conn


def test_a_new_store_starts_at_the_latest_version(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    assert store.corrections() == []
    assert store.status()["schema_version"] == schema.VERSION == len(schema.MIGRATIONS)
    assert store.read("PRAGMA user_version")[0][0] == schema.VERSION
    assert store.read("PRAGMA journal_mode")[0][0] == "wal"


@pytest.mark.parametrize("version", range(1, schema.VERSION))
def test_every_earlier_version_migrates_without_losing_rows(tmp_path, version):
    path = tmp_path / "s.sqlite3"
    conn = database_at(path, version)
    assert version == 1, "add this version's rows below when a migration is added"
    conn.execute("INSERT INTO corrections (created, site, digest, labels, text) VALUES "
                 "('2026-01-01T00:00:00Z', 'x', 'ab', '{\"conversational\": true}', ?)", (TEXT,))
    conn.execute("INSERT INTO corrections (created, site, digest, labels) VALUES "
                 "('2026-01-02T00:00:00Z', '', 'cd', '{\"self_promotion\": false}')")
    conn.execute("INSERT INTO author_rules VALUES ('x', '@a', 'always_hide', '2026-01-01T00:00:00Z')")
    conn.execute("INSERT INTO settings VALUES ('keep_text', 'true')")
    conn.execute("INSERT INTO daily_counts VALUES ('2026-01-01', 'x', 'self_promotion', 7)")
    conn.close()
    store = Store(path)
    corrections = store.corrections()
    assert [(c["digest"], c["labels"], c.get("text")) for c in corrections] == [
        ("ab", {"conversational": True}, TEXT), ("cd", {"self_promotion": False}, None)]
    rows = store.learning_rows()
    assert rows[0][2] and rows[1][2] is None   # features made from the kept text only
    assert store.author_rules()[0]["rule"] == "always_hide"
    assert store.settings()["keep_text"] is True
    assert store.daily() == [{"day": "2026-01-01", "site": "x", "kind": "label",
                              "name": "self_promotion", "count": 7}]
    assert store.status()["schema_version"] == schema.VERSION


def test_a_failed_migration_leaves_the_old_version_whole(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite3"
    database_at(path, 1).close()

    def broken(conn):
        conn.execute("ALTER TABLE corrections ADD COLUMN features TEXT")
        raise RuntimeError("power cut")
    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError):
        schema.migrate(sqlite3.connect(path, isolation_level=None))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "features" not in [r[1] for r in conn.execute("PRAGMA table_info(corrections)")]


def test_a_store_from_a_newer_campfire_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "s.sqlite3"
    conn = database_at(path, schema.VERSION)
    conn.execute(f"PRAGMA user_version = {schema.VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaError, match="newer"):
        Store(path).corrections()
    assert path.read_bytes() == before


def test_a_corrupt_file_is_kept_aside_and_a_fresh_store_started(tmp_path):
    path = tmp_path / "s.sqlite3"
    garbage = b"this is not a database" * 500
    path.write_bytes(garbage)
    store = Store(path)
    assert store.corrections() == []
    assert "could not be read" in store.status()["problem"]
    aside = list(tmp_path.glob("s.sqlite3.corrupt-*"))
    assert [p.read_bytes() for p in aside] == [garbage]
    store.add_correction(TEXT, {"conversational": True})
    assert len(Store(path).corrections()) == 1


def test_a_locked_store_is_reported_and_nothing_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.1)
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    store.add_correction(TEXT, {"conversational": True})
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreLocked, match="locked"):
            store.add_correction("another post", {"conversational": True})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(store.corrections()) == 1


async def test_the_api_answers_503_store_locked(api, monkeypatch):
    from companion.server.user_data import PERSONAL
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.1)
    path = api.app[PERSONAL].store.path
    response = await api.client.get("/v1/corrections", headers=api.auth)
    assert response.status == 200  # opened before the lock
    other = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    other.execute("BEGIN EXCLUSIVE")
    try:
        response = await api.client.post("/v1/corrections", headers=api.auth,
                                         json={"text": TEXT, "labels": {"conversational": True}})
        body = await response.json()
        assert response.status == 503 and body["error"]["code"] == "store_locked"
        # Labelling goes on with the model's own labels.
        response = await api.client.post("/v1/classify", headers=api.auth,
                                         json={"posts": [{"id": "1", "text": TEXT, "site": "x"}]})
        assert response.status == 200
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_kill_9_during_a_burst_of_corrections_loses_no_committed_one(tmp_path):
    config = tmp_path / "config"
    acknowledged: list[int] = []
    with running_companion(config) as running:
        stop = threading.Event()

        def writer(worker: int) -> None:
            n = 0
            while not stop.is_set():
                try:
                    status, _, body = running.request(
                        "POST", "/v1/corrections", {"text": f"post {worker}-{n}", "labels": {"conversational": True}},
                        running.auth)
                except OSError:
                    return   # the companion is gone
                if status == 200:
                    acknowledged.append(body["id"])
                n += 1

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        while len(acknowledged) < 40:
            threading.Event().wait(0.01)
        running.process.send_signal(signal.SIGKILL)
        running.process.wait()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    with running_companion(config) as restarted:
        status, _, body = restarted.request("GET", "/v1/corrections", headers=restarted.auth)
    stored = {c["id"] for c in body["corrections"]}
    assert status == 200 and len(acknowledged) >= 40
    assert set(acknowledged) <= stored
