"""The HTTP connection itself: errors before any handler runs, time limits, a connection cap.

aiohttp answers a request it cannot parse (bad chunking, an invalid or over-long header line)
with text/plain and logs the parser's message, which quotes the offending bytes: header
values, even the body. Here such a request gets the API's JSON error and the log names only
the error's type. A connection may take `headers_timeout_s` from its first byte to its last
header, may stay idle `idle_timeout_s` between requests, and at most `max_connections` are
open at once; the body's own time limit is in companion.server.validation.

aiohttp has no public hook for its protocol class, so `CompanionRunner` swaps in a `Server`
that makes `CompanionProtocol`s; everything else is aiohttp's own.
"""
from __future__ import annotations

import asyncio
import json
import logging
from http import HTTPStatus

from aiohttp import http_exceptions, web
from aiohttp.web_protocol import RequestHandler, RequestPayloadError, _ErrInfo

from companion.server import keys
from companion.server.accesslog import PathOnlyAccessLogger
from companion.server.errors import ERROR_STATUS, error_response
from companion.server.settings import Connections

log = logging.getLogger("companion.server")

# What went wrong, in our words: the parser's own message quotes the request's bytes.
_PARSER_WORDS = (
    (http_exceptions.LineTooLong, "a header line is too long"),
    (http_exceptions.InvalidHeader, "a header is not valid"),
    (http_exceptions.BadStatusLine, "the request line is not valid HTTP"),
    (http_exceptions.TransferEncodingError, "the chunked body is not valid"),
    (http_exceptions.ContentLengthError, "the body does not match its Content-Length"),
    (http_exceptions.ContentEncodingError, "the body does not match its Content-Encoding"),
)


def parser_words(exc: BaseException | None) -> str:
    return next((words for kind, words in _PARSER_WORDS if isinstance(exc, kind)),
                "the request is not valid HTTP")


def raw_error(code: str, message: str) -> bytes:
    """A whole HTTP/1.1 error answer as bytes, for a connection that has no request object."""
    status = ERROR_STATUS[code]
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("ascii") + body


class CompanionProtocol(RequestHandler):
    """aiohttp's request handler with JSON parser errors, redacted logs and time limits."""

    def __init__(self, manager: web.Server, limits: Connections, **kwargs):
        super().__init__(manager, **kwargs)
        self.limits = limits
        self._headers_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        over = len(self._manager.connections) >= self.limits.max_connections
        super().connection_made(transport)
        if over:
            log.warning("refused a connection: %d are open", self.limits.max_connections)
            self._refuse("too_many_connections",
                         f"the companion has {self.limits.max_connections} connections open; retry")

    def connection_lost(self, exc) -> None:
        self._stop_headers_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        waiting = self._waiting_for_request()
        super().data_received(data)
        current = self._current_request
        if current is not None and self._messages and isinstance(self._messages[-1][0], _ErrInfo):
            # The parser failed inside the body of the request being handled: aiohttp queues
            # an error for a next request and leaves this body waiting for ever.
            current.content.set_exception(RequestPayloadError("invalid body"))
        if not self._waiting_for_request():
            self._stop_headers_timer()     # the request's headers are complete
        elif data and waiting and self._headers_timer is None:
            self._headers_timer = self._loop.call_later(self.limits.headers_timeout_s,
                                                        self._headers_expired)

    def _waiting_for_request(self) -> bool:
        """Between requests, and another may come: none queued or being handled, and the last
        answer kept the connection open (after one that closes it, aiohttp only drains the
        rest of the body, for at most its lingering time)."""
        return (not self._messages and not self._request_in_progress and self._keepalive
                and not self._close)

    def _stop_headers_timer(self) -> None:
        if self._headers_timer is not None:
            self._headers_timer.cancel()
            self._headers_timer = None

    def _headers_expired(self) -> None:
        self._headers_timer = None
        if self._waiting_for_request() and self.transport is not None:
            self._refuse("request_timeout",
                         f"the request's headers took over {self.limits.headers_timeout_s:g} s")

    def drop_rest_of_body(self) -> None:
        """After an answer that closes the connection, close it at once: aiohttp would
        otherwise keep reading what is left of the body for its lingering time."""
        self._lingering_time = 0.0

    def _refuse(self, code: str, message: str) -> None:
        if self.transport is not None:
            self.transport.write(raw_error(code, message))
        self.force_close()

    def handle_error(self, request, status: int = 500, exc: BaseException | None = None,
                     message: str | None = None) -> web.StreamResponse:
        """A request aiohttp could not parse (400), or a failure outside our middlewares."""
        log.warning("refused a malformed request: %s", type(exc).__name__ if exc else status)
        if request.writer.output_size > 0:
            raise ConnectionError("an answer was already under way")
        if status == 500:
            response = error_response("internal_error", "the companion failed on this request")
        else:
            response = error_response("bad_request", f"malformed request: {parser_words(exc)}")
        response.force_close()
        return response

    def log_exception(self, *args, **kwargs) -> None:
        """aiohttp's own error lines, with the exception's type only: its message and
        traceback can quote the request."""
        exc = kwargs.get("exc_info")
        kind = type(exc).__name__ if isinstance(exc, BaseException) else "error"
        self.logger.error("%s (%s)", args[0] if args else "connection error", kind)


class CompanionServer(web.Server):
    """aiohttp's Server, making CompanionProtocols."""

    def __init__(self, server: web.Server, limits: Connections):
        super().__init__(server.request_handler, request_factory=server.request_factory,
                         handler_cancellation=server.handler_cancellation, loop=server._loop,
                         **server._kwargs)
        self.limits = limits

    def __call__(self) -> RequestHandler:
        return CompanionProtocol(self, self.limits, loop=self._loop, **self._kwargs)


class CompanionRunner(web.AppRunner):
    """The runner for `campfire serve` and the tests: the access log, the idle timeout and
    CompanionProtocol on every connection."""

    def __init__(self, app: web.Application, **kwargs):
        self.limits = app[keys.CONFIG].connections
        kwargs.setdefault("access_log_class", PathOnlyAccessLogger)
        super().__init__(app, keepalive_timeout=self.limits.idle_timeout_s, **kwargs)

    async def _make_server(self) -> web.Server:
        return CompanionServer(await super()._make_server(), self.limits)
