"""Read a JSON request body and check it against its schema, naming the field at fault.

Why jsonschema at run time: the schemas in companion.server.schemas already exist for the
OpenAPI document, so validating with them keeps one definition of each request instead of a
second, hand-written one that could drift. jsonschema is pure Python (plus its small
`referencing`/`rpds` helpers), already what the docs test uses, and far lighter than pydantic.

Error messages are written here, never copied from jsonschema: its messages quote the
offending value, which may be post text.
"""
from __future__ import annotations

import asyncio
import json

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestPayloadError
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from companion.server.errors import ApiError
from companion.server.settings import Connections, Limits

_TYPE_WORDS = {"string": "a string", "object": "an object", "array": "an array",
               "integer": "an integer", "number": "a number", "boolean": "true or false",
               "null": "null"}
# A broken size limit is 413, like an oversized body; other schema failures are 422.
_LIMIT_CODES = {("maxItems", "posts"): "too_many_posts", ("maxLength", "text"): "text_too_long"}
_NAME_LIMIT = 64


def field_path(parts) -> str:
    """`posts[3].text` from jsonschema's ("posts", 3, "text"); `body` for the whole document."""
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def _name(key: str) -> str:
    return key if len(key) <= _NAME_LIMIT else key[:_NAME_LIMIT] + "…"


def _describe(error: ValidationError) -> tuple[str, str]:
    """(field path, what is wrong) for one schema failure, without quoting the value."""
    path = list(error.absolute_path)
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = next(f for f in value if f not in error.instance)
        return field_path([*path, missing]), "is required"
    if kind == "additionalProperties":
        known = error.schema.get("properties", {})
        extra = sorted(k for k in error.instance if k not in known)[0]
        return field_path([*path, _name(extra)]), "is not a known field"
    words = {
        "type": lambda: "must be " + " or ".join(_TYPE_WORDS[t] for t in
                                                 (value if isinstance(value, list) else [value])),
        "maxLength": lambda: f"is longer than {value} characters",
        "minLength": lambda: "must not be empty",
        "maxItems": lambda: f"has more than {value} items",
        "enum": lambda: "must be one of: " + ", ".join(map(str, value)),
        "uniqueItems": lambda: "must not repeat a value",
    }
    return field_path(path), words.get(kind, lambda: f"is invalid ({kind})")()


def schema_error(error: ValidationError) -> ApiError:
    where, what = _describe(error)
    last = next((p for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    code = _LIMIT_CODES.get((error.validator, last))
    if code:
        return ApiError(code, f"{where} {what}")
    return ApiError("invalid_field", f"{where} {what}")


class JsonBody:
    """Reads and validates one request type."""

    def __init__(self, schema: dict, limits: Limits, connections: Connections):
        Draft202012Validator.check_schema(schema)
        self.validator = Draft202012Validator(schema)
        self.limits = limits
        self.timeout_s = connections.body_timeout_s

    async def read(self, request: web.Request) -> dict:
        if request.content_type != "application/json":
            raise ApiError("unsupported_media_type", "send the body as application/json")
        too_large = ApiError("body_too_large",
                             f"request body is over {self.limits.max_body_bytes} bytes")
        if (request.content_length or 0) > self.limits.max_body_bytes:
            raise too_large
        try:
            async with asyncio.timeout(self.timeout_s):
                raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise too_large from None
        except TimeoutError:
            raise ApiError("request_timeout", f"the body took over {self.timeout_s:g} s to arrive",
                           close=True) from None
        except (RequestPayloadError, HttpProcessingError):  # bad chunks, "gzip" that is not
            raise ApiError("bad_request", "malformed request: the body does not match its "
                                          "Transfer-Encoding or Content-Encoding", close=True) from None
        try:
            document = json.loads(raw, parse_int=_parse_int)
        except (ValueError, RecursionError) as exc:  # also UnicodeDecodeError, deep nesting
            raise ApiError("invalid_json", f"body is not valid JSON: {_json_reason(exc)}") from None
        if _depth(document) > self.limits.max_json_depth:
            # Before the schema: its checks recurse into whatever they are given.
            raise ApiError("invalid_json", "body is not valid JSON: nested too deeply "
                                           f"(over {self.limits.max_json_depth} levels)")
        document = _without_lone_surrogates(document)
        # The first failure in document order: posts[0] before posts[1], as a person reads.
        error = next(self.validator.iter_errors(document), None)
        if error is not None:
            raise schema_error(error)
        return document


class _TooManyDigits(ValueError):
    pass


_MAX_DIGITS = 1000


def _parse_int(digits: str) -> int:
    # Python refuses int() of over 4,300 digits with a ValueError of its own.
    if len(digits) > _MAX_DIGITS:
        raise _TooManyDigits
    return int(digits)


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, _TooManyDigits):
        return f"a number has over {_MAX_DIGITS} digits"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8"
    return "unreadable"


def _depth(document) -> int:
    """How deeply arrays and objects nest (a scalar: 0), without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, level)
        stack.extend((item, level + 1) for item in value)
    return deepest


def _without_lone_surrogates(value):
    """Every string of a document with clean_text applied (JSON may escape half a UTF-16
    pair; nothing downstream, SQLite included, can store it)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            return clean_text(value)
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


def clean_text(text: str) -> str:
    """Lone surrogates (a JS string cut mid-pair, sent as a \\ud83d escape) become U+FFFD."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
