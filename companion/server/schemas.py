"""One JSON Schema per request and response, and the OpenAPI 3.1 document made of them.

The same dicts validate requests at run time (companion.server.validation) and describe the
API in /v1/openapi.json, and a test validates real responses against that document, so the
document cannot drift from what the server does.
"""
from __future__ import annotations

from companion import __version__
from companion.decision import DECIDED_BY, WHY
from companion.labels import LABEL_NAMES
from companion.server.settings import DEFAULT_PORT, HOST, Limits

# The contract's labels (docs/CONTRACT.md) are the shipped labels.json's (companion.labels);
# the server refuses a model with other labels.

MODEL = {
    "type": "object", "required": ["name", "version"],
    "properties": {"name": {"type": "string"}, "version": {"type": "string"}},
}
# One label's verdict (companion.decision). `score` never contradicts `flag`: it is at or above
# the label's threshold exactly when `flag` is true. missing_disclosure also says who decided
# ("model", or "rules" with `why`: a clear disclosure covers every tie, or a code is for the
# author's own product) and the model's own score.
_SCORE = {"type": "number", "minimum": 0, "maximum": 1}
_VERDICT = {"score": _SCORE, "flag": {"type": "boolean"}}
LABEL_SCORES = {
    "type": "object", "required": list(LABEL_NAMES), "additionalProperties": False,
    "properties": {
        name: {
            "type": "object", "additionalProperties": False,
            **({"required": ["score", "flag", "decided_by", "model_score"],
                "properties": {**_VERDICT, "decided_by": {"enum": list(DECIDED_BY)}, "model_score": _SCORE,
                               "why": {"enum": list(WHY)}}}
               if name == "missing_disclosure" else {"required": ["score", "flag"], "properties": _VERDICT}),
        }
        for name in LABEL_NAMES
    },
}
# Offsets count UTF-16 code units, as JavaScript strings do (companion.rules.evidence, offsets="utf16").
EVIDENCE = {
    "type": "object", "required": ["kind", "label", "start", "end", "text", "detail"],
    "properties": {
        "kind": {"type": "string"},
        "label": {"enum": list(LABEL_NAMES)},
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 0},
        "text": {"type": "string"},
        "detail": {"type": "string"},
    },
}
# LanguageTool's match shape; offset and length in UTF-16 code units (companion.rules.draftcheck).
MATCH = {
    "type": "object", "required": ["rule", "message", "offset", "length", "severity", "replacements"],
    "properties": {
        "rule": {"type": "string"},
        "message": {"type": "string"},
        "offset": {"type": "integer", "minimum": 0},
        "length": {"type": "integer", "minimum": 0},
        "severity": {"enum": ["error", "warning", "info"]},
        "replacements": {"type": "array", "items": {
            "type": "object", "required": ["value"], "properties": {"value": {"type": "string"}}}},
    },
}
# Present only when the user's own data changed this post's answer (companion.server.user_data):
# source "corrected" (a correction of this very text; `corrections`: their ids, to undo them)
# or "learned" (similar corrected posts), author_rule "never_label" (flags cleared) or
# "always_hide" (the extension hides the post).
PERSONAL = {
    "type": "object", "additionalProperties": False,
    "properties": {"source": {"enum": ["corrected", "learned"]},
                   "corrections": {"type": "array", "items": {"type": "integer"}},
                   "author_rule": {"enum": ["never_label", "always_hide"]}},
}
RESULT = {"oneOf": [
    {"type": "object", "required": ["id", "labels", "evidence"], "additionalProperties": False,
     "properties": {"id": {"type": "string"}, "labels": LABEL_SCORES,
                    "evidence": {"type": "array", "items": EVIDENCE}, "personal": PERSONAL}},
    # A post not finished within the request's time budget (docs/API.md, Limits).
    {"type": "object", "required": ["id", "error"], "additionalProperties": False,
     "properties": {"id": {"type": "string"}, "error": {
         "type": "object", "required": ["code", "message"], "additionalProperties": False,
         "properties": {"code": {"enum": ["over_budget"]}, "message": {"type": "string"}}}}},
]}
ERROR = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message"], "additionalProperties": False,
        "properties": {"code": {"type": "string", "pattern": "^[a-z_]+$"},
                       "message": {"type": "string"}},
    }},
}


def _optional_text(limit: int) -> dict:
    return {"type": ["string", "null"], "maxLength": limit}


def post_schema(limits: Limits) -> dict:
    return {
        "type": "object", "required": ["id", "text"], "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "minLength": 1, "maxLength": limits.max_field_chars},
            "text": {"type": "string", "maxLength": limits.max_text_chars},
            "site": _optional_text(limits.max_field_chars),
            "author": _optional_text(limits.max_field_chars),
            "url": _optional_text(limits.max_field_chars),
        },
    }


def request_schemas(limits: Limits) -> dict[str, dict]:
    posts = {"type": "array", "maxItems": limits.max_posts, "items": post_schema(limits)}
    return {
        "ClassifyRequest": {"type": "object", "required": ["posts"], "additionalProperties": False,
                            "properties": {"posts": posts}},
        "RankRequest": {
            "type": "object", "required": ["posts"], "additionalProperties": False,
            "properties": {"posts": posts, "options": {
                "type": "object", "additionalProperties": False,
                "properties": {"sink": {"type": "array", "uniqueItems": True,
                                        "items": {"enum": list(LABEL_NAMES)}}},
            }},
        },
        "CheckRequest": {
            "type": "object", "required": ["text"], "additionalProperties": False,
            "properties": {"text": {"type": "string", "maxLength": limits.max_text_chars}},
        },
    }


def response_schemas() -> dict[str, dict]:
    results = {"type": "array", "items": RESULT}
    elapsed = {"type": "number", "minimum": 0}
    return {
        "Health": {
            "type": "object", "required": ["status", "model", "labels", "uptime_s"],
            "additionalProperties": False,
            "properties": {
                # model is null and labels empty until the model has loaded
                "status": {"enum": ["ok", "loading", "error"]},
                "model": {"oneOf": [MODEL, {"type": "null"}]},
                "labels": {"type": "array", "items": {"enum": list(LABEL_NAMES)}},
                "uptime_s": {"type": "number", "minimum": 0},
            },
        },
        "Labels": {
            "type": "object", "required": ["labels"], "additionalProperties": False,
            "properties": {"labels": {"type": "array", "items": {
                "type": "object", "required": ["name", "title", "description", "threshold"],
                "additionalProperties": False,
                "properties": {"name": {"enum": list(LABEL_NAMES)}, "title": {"type": "string"},
                               "description": {"type": "string"},
                               "threshold": {"type": "number", "minimum": 0, "maximum": 1}},
            }}},
        },
        "ClassifyResponse": {
            "type": "object", "required": ["model", "results", "elapsed_ms"],
            "additionalProperties": False,
            "properties": {"model": MODEL, "results": results, "elapsed_ms": elapsed},
        },
        "RankResponse": {
            "type": "object", "required": ["model", "ranked_ids", "results", "elapsed_ms"],
            "additionalProperties": False,
            "properties": {"model": MODEL, "ranked_ids": {"type": "array", "items": {"type": "string"}},
                           "results": results, "elapsed_ms": elapsed},
        },
        "CheckResponse": {
            "type": "object", "required": ["model", "labels", "matches"], "additionalProperties": False,
            "properties": {"model": MODEL, "labels": LABEL_SCORES,
                           "matches": {"type": "array", "items": MATCH}},
        },
        "Error": ERROR,
    }


_STATUS_WORDS = {400: "Malformed JSON", 401: "Missing or wrong pairing token",
                 403: "Origin or Host refused", 404: "No such item",
                 408: "The body took too long to arrive", 413: "Over a size limit",
                 415: "Body is not application/json", 422: "A field is invalid",
                 503: "The model is still loading, the user's store is locked, or a draft over its time budget"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _operation(route) -> dict:
    ok = {"description": "OK", "content": {"application/json": {
        "schema": _ref(route.response) if route.response else {"type": "object"}}}}
    operation = {"summary": route.summary, "responses": {"200": ok}}
    for status in route.errors:
        operation["responses"][str(status)] = {
            "description": _STATUS_WORDS[status],
            "content": {"application/json": {"schema": _ref("Error")}}}
    if route.request:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _ref(route.request)}}}
    parameters = [{"name": name, "in": place, "required": True, "schema": schema}
                  for place, params in (("path", route.path_params), ("query", route.query_params))
                  for name, schema in (params or {}).items()]
    if parameters:
        operation["parameters"] = parameters
    if route.public:
        operation["security"] = []
    return operation


def openapi_document(limits: Limits) -> dict:
    """Every route of companion.server.routes, with the schemas its modules declare."""
    from companion.server.routes import all_routes, components
    requests, responses = components(limits)
    paths: dict[str, dict] = {}
    for route in all_routes():
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Campfire companion", "version": __version__,
                 "description": "Local API of the Campfire companion. Binds 127.0.0.1 only; "
                                "answers only the paired browser extension."},
        "servers": [{"url": f"http://{HOST}:{DEFAULT_PORT}"}],
        "security": [{"pairingToken": []}],
        "paths": paths,
        "components": {
            "schemas": {**requests, **responses},
            "securitySchemes": {"pairingToken": {
                "type": "http", "scheme": "bearer",
                "description": "The token shown by `campfire pair`."}},
        },
    }
