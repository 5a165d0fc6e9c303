"""Every failure leaves the companion as `{"error": {"code", "message"}}` with a fitting status.

The catch-all logs only the exception's type: an exception message can quote post text, and
no post text may reach a log or a client.
"""
from __future__ import annotations

import logging

from aiohttp import web

log = logging.getLogger("companion.server")

# aiohttp raises these itself (routing, body size); each gets a stable code of ours.
_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status,
                             headers=headers)


def _from_http_exception(exc: web.HTTPException) -> web.Response:
    status = exc.status
    code = _HTTP_CODES.get(status, "http_error")
    if status == 404:
        message = "no such endpoint; see /v1/openapi.json"
    elif status == 405:
        message = f"method not allowed; this endpoint takes {exc.headers.get('Allow', '')}"
    elif status == 413:
        message = exc.text or "request body too large"
    else:
        message = exc.reason
    headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
    return error_response(status, code, message, headers)


@web.middleware
async def error_middleware(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, exc.headers)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _from_http_exception(exc)
    except Exception as exc:  # the last line of defence: never a stack trace to the client
        log.error("internal error on %s %s: %s", request.method, request.path, type(exc).__name__)
        return error_response(500, "internal_error", "the companion failed on this request")
