"""Every failure leaves the companion as `{"error": {"code", "message"}}` with a fitting status.

The catch-all logs only the exception's type: an exception message can quote post text, and
no post text may reach a log or a client.
"""
from __future__ import annotations

import logging

from aiohttp import web

log = logging.getLogger("companion.server")

# Every error code the API can answer, with its status: one table for the code, docs/API.md
# and the test that keeps the two in step.
ERROR_STATUS = {
    "invalid_json": 400,
    "bad_request": 400,
    "not_paired": 401,
    "bad_token": 401,
    "forbidden_origin": 403,
    "forbidden_host": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "request_timeout": 408,
    "body_too_large": 413,
    "too_many_posts": 413,
    "text_too_long": 413,
    "unsupported_media_type": 415,
    "invalid_field": 422,
    "internal_error": 500,
    "model_loading": 503,
    "model_unavailable": 503,
    "store_locked": 503,
    "store_unavailable": 503,
    "over_budget": 503,
    "too_many_connections": 503,
}
# The router raises 404 and 405 itself; anything else aiohttp raises is the client's fault.
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


class ApiError(Exception):
    def __init__(self, code: str, message: str, headers: dict | None = None, close: bool = False):
        super().__init__(message)
        self.status = ERROR_STATUS[code]
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.close = close  # the connection cannot carry another request (e.g. half a body)


def error_response(code: str, message: str, headers: dict | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}},
                             status=ERROR_STATUS[code], headers=headers)


def _from_http_exception(exc: web.HTTPException) -> web.Response:
    code = _HTTP_CODES.get(exc.status, "bad_request")
    if code == "not_found":
        message = "no such endpoint; see /v1/openapi.json"
    elif code == "method_not_allowed":
        message = f"method not allowed; this endpoint takes {exc.headers.get('Allow', '')}"
    else:
        message = exc.reason
    headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
    return error_response(code, message, headers)


@web.middleware
async def error_middleware(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        response = error_response(exc.code, exc.message, exc.headers)
        if exc.close:
            response.force_close()
            getattr(request.protocol, "drop_rest_of_body", lambda: None)()
        return response
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _from_http_exception(exc)
    except Exception as exc:  # the last line of defence: never a stack trace to the client
        log.error("internal error on %s %s: %s", request.method, request.path, type(exc).__name__)
        return error_response("internal_error", "the companion failed on this request")
