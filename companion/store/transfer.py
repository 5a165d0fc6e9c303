"""The whole store as one JSON document, and back: `export_document(store)` and
`import_document(store, document)` (one transaction: all of it is taken, or none).

Import merges: corrections already present (same digest, labels and time) are skipped, author
rules and settings from the file win, and a day's count keeps the larger of the two (importing
the same file twice counts nothing twice).
"""
from __future__ import annotations

import json

from companion.store.store import AUTHOR_RULES, SETTINGS, Store, now

FORMAT = "campfire-user-data"
FORMAT_VERSION = 1
_LABELS = {"type": "object", "additionalProperties": {"type": "boolean"}}
_TEXT = {"type": "string", "maxLength": 20_000}


def document_schema(label_names) -> dict:
    """The export file's JSON Schema (also the body of POST /v1/import)."""
    labels = {"type": "object", "minProperties": 1, "additionalProperties": False,
              "properties": {name: {"type": "boolean"} for name in label_names}}
    short = {"type": "string", "maxLength": 2048}
    return {
        "type": "object", "required": ["format", "version"], "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": FORMAT_VERSION},
            "exported": {"type": "string"},
            "settings": {"type": "object", "additionalProperties": False,
                         "properties": {k: {"type": type(v).__name__.replace("bool", "boolean")}
                                        for k, v in SETTINGS.items()}},
            "corrections": {"type": "array", "maxItems": 100_000, "items": {
                "type": "object", "required": ["created", "digest", "labels"],
                "additionalProperties": False,
                "properties": {"created": short, "site": short,
                               "digest": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                               "labels": labels, "text": _TEXT,
                               "features": {"type": "array", "maxItems": 4096, "items": {
                                   "type": "array", "minItems": 2, "maxItems": 2,
                                   "items": {"type": "number"}}}}}},
            "authors": {"type": "array", "maxItems": 100_000, "items": {
                "type": "object", "required": ["site", "author", "rule"], "additionalProperties": False,
                "properties": {"site": short, "author": {**short, "minLength": 1},
                               "rule": {"enum": list(AUTHOR_RULES)}, "created": short}}},
            "daily": {"type": "array", "maxItems": 1_000_000, "items": {
                "type": "object", "required": ["day", "site", "kind", "name", "count"],
                "additionalProperties": False,
                "properties": {"day": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                               "site": short, "kind": short, "name": short,
                               "count": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}}}},  # SQLite INTEGER
        },
    }


def export_document(store: Store) -> dict:
    corrections = []
    for created, site, digest, labels, text, features in store.read(
            "SELECT created, site, digest, labels, text, features FROM corrections ORDER BY id"):
        row = {"created": created, "site": site, "digest": digest, "labels": json.loads(labels)}
        if text is not None:
            row["text"] = text
        if features:
            row["features"] = json.loads(features)
        corrections.append(row)
    return {
        "format": FORMAT, "version": FORMAT_VERSION, "exported": now(),
        "settings": store.settings(),
        "corrections": corrections,
        "authors": store.author_rules(),
        "daily": store.daily(),
    }


def import_document(store: Store, document: dict) -> dict:
    """Merges a validated document; returns how many rows of each kind were added."""
    keep_text = document.get("settings", store.settings()).get("keep_text", False)

    def work(conn):
        added = {"corrections": 0, "authors": 0, "daily": 0}
        for row in document.get("corrections", []):
            labels = json.dumps(row["labels"], sort_keys=True)
            if conn.execute("SELECT 1 FROM corrections WHERE digest = ? AND labels = ? AND created = ?",
                            (row["digest"], labels, row["created"])).fetchone():
                continue
            conn.execute(
                "INSERT INTO corrections (created, site, digest, labels, text, features)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (row["created"], row.get("site", ""), row["digest"], labels,
                 row.get("text") if keep_text else None,
                 json.dumps(row["features"]) if row.get("features") else None))
            added["corrections"] += 1
        for rule in document.get("authors", []):
            conn.execute(
                "INSERT INTO author_rules (site, author, rule, created) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (site, author) DO UPDATE SET rule = excluded.rule",
                (rule["site"], rule["author"], rule["rule"], rule.get("created") or now()))
            added["authors"] += 1
        for day in document.get("daily", []):
            conn.execute(
                "INSERT INTO daily (day, site, kind, name, count) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (day, site, kind, name) DO UPDATE SET count = max(count, excluded.count)",
                (day["day"], day["site"], day["kind"], day["name"], day["count"]))
            added["daily"] += 1
        for key, value in document.get("settings", {}).items():
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key)"
                         " DO UPDATE SET value = excluded.value", (key, json.dumps(value)))
        return added
    return store.transaction(work)
