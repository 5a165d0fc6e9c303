"""JSON Schemas of the user-data endpoints (companion.server.user_data): requests are validated
with them and the OpenAPI document is made of them, like companion.server.schemas."""
from __future__ import annotations

from companion.labels import LABEL_NAMES
from companion.server.settings import Limits
from companion.store.store import AUTHOR_RULES, SETTINGS
from companion.store.transfer import document_schema

ACTIONS = ("dimmed", "hidden", "brought_forward")
_JSON_TYPES = {bool: "boolean", int: "integer", str: "string"}


def _short(limits: Limits, **extra) -> dict:
    return {"type": "string", "maxLength": limits.max_field_chars, **extra}


def _object(required, properties, **extra) -> dict:
    return {"type": "object", "required": list(required), "additionalProperties": False,
            "properties": properties, **extra}


def _verdicts() -> dict:
    # A correction names, per label, whether the post has it (true: missing, false: wrong).
    return {"type": "object", "minProperties": 1, "additionalProperties": False,
            "properties": {name: {"type": "boolean"} for name in LABEL_NAMES}}


def request_schemas(limits: Limits) -> dict[str, dict]:
    return {
        "CorrectionRequest": _object(["text", "labels"], {
            "text": {"type": "string", "minLength": 1, "maxLength": limits.max_text_chars},
            "labels": _verdicts(), "site": _short(limits)}),
        "AuthorRuleRequest": _object(["site", "author", "rule"], {
            "site": _short(limits), "author": _short(limits, minLength=1),
            "rule": {"enum": list(AUTHOR_RULES)}}),
        "SettingsRequest": _object([], {key: {"type": _JSON_TYPES[type(value)]}
                                        for key, value in SETTINGS.items()}),
        "ActionsRequest": _object(["site", "actions"], {
            "site": _short(limits, minLength=1),
            "actions": _object([], {a: {"type": "integer", "minimum": 0, "maximum": 100_000}
                                    for a in ACTIONS})}),
        "ImportRequest": document_schema(LABEL_NAMES),
    }


def response_schemas() -> dict[str, dict]:
    correction = _object(["id", "created", "site", "digest", "labels", "text_kept"], {
        "id": {"type": "integer"}, "created": {"type": "string"}, "site": {"type": "string"},
        "digest": {"type": "string"}, "labels": _verdicts(), "text_kept": {"type": "boolean"},
        "text": {"type": "string"}})
    rule = _object(["site", "author", "rule"], {
        "site": {"type": "string"}, "author": {"type": "string"},
        "rule": {"enum": list(AUTHOR_RULES)}, "created": {"type": "string"}})
    settings = _object(list(SETTINGS), {key: {"type": _JSON_TYPES[type(value)]}
                                        for key, value in SETTINGS.items()})
    count = {"type": "integer", "minimum": 0}
    return {
        "Correction": correction,
        "Corrections": _object(["corrections"], {"corrections": {"type": "array", "items": correction}}),
        "AuthorRule": rule,
        "AuthorRules": _object(["authors"], {"authors": {"type": "array", "items": rule}}),
        "Settings": settings,
        "Stats": _object(["from", "to", "rows"], {
            "from": {"type": "string"}, "to": {"type": "string"},
            "rows": {"type": "array", "items": _object(["day", "site", "kind", "name", "count"], {
                "day": {"type": "string"}, "site": {"type": "string"},
                "kind": {"enum": ["posts", "label", "tie", "action"]}, "name": {"type": "string"},
                "count": count})}}),
        "Deleted": _object(["deleted"], {"deleted": {"type": "boolean"}}),
        "Imported": _object(["added"], {"added": _object(["corrections", "authors", "daily"], {
            "corrections": count, "authors": count, "daily": count})}),
        "StoreStatus": _object(["path", "schema_version", "problem", "counts"], {
            "path": {"type": "string"}, "schema_version": {"type": "integer"},
            "problem": {"type": ["string", "null"]},
            "counts": _object(["corrections", "author_rules", "daily"],
                              {"corrections": count, "author_rules": count, "daily": count})}),
        "ActionsCounted": _object(["counted"], {"counted": _object([], {a: count for a in ACTIONS})}),
        "Export": document_schema(LABEL_NAMES),
    }
