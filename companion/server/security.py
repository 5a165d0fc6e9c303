"""Who may talk to the companion: the paired extension, and the user's own tools.

Three gates, in order (docs/SECURITY.md explains the threat each one stops):
1. Host must name loopback on the port we actually listen on: a DNS-rebinding page reaches us
   under its own host name, so it fails here.
2. An Origin, when sent, must be a browser extension's: every web page's fetch carries its
   page's origin (or `null` from sandboxed frames and file URLs), so pages fail here.
3. Every call but GET /v1/health carries `Authorization: Bearer <token>`, compared in
   constant time.
CORS headers go only to extension origins; a preflight never carries the token, so it passes
gates 1-2 only.
"""
from __future__ import annotations

import hmac
import logging

from aiohttp import web

from companion.pairing import TokenFileError, TokenStore
from companion.server.errors import ApiError

log = logging.getLogger("companion.server")
EXTENSION_SCHEMES = ("chrome-extension://", "moz-extension://")
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost"})
ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS"
ALLOWED_HEADERS = "Authorization, Content-Type"
PREFLIGHT_MAX_AGE_S = "600"


def is_extension_origin(origin: str) -> bool:
    return origin.startswith(EXTENSION_SCHEMES) and len(origin) > len("moz-extension://")


def _listening_port(request: web.Request) -> int | None:
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    return sockname[1] if sockname else None


def check_host(request: web.Request) -> None:
    host = request.headers.get("Host", "")
    name, _, port = host.partition(":")
    port = port or "80"  # browsers leave out the scheme's default port
    if not port.isdigit() or name.lower() not in LOOPBACK_NAMES or int(port) != _listening_port(request):
        raise ApiError("forbidden_host",
                       "Host must be 127.0.0.1 or localhost with the companion's port")


def check_origin(request: web.Request) -> None:
    origin = request.headers.get("Origin")
    if origin is not None and not is_extension_origin(origin):
        raise ApiError("forbidden_origin",
                       "web pages may not use the companion; only the Campfire extension may")


def check_token(request: web.Request, tokens: TokenStore) -> None:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    try:
        expected = tokens.current()
    except TokenFileError as exc:  # the log says which file and what to do; the client less
        log.error("%s", exc)
        raise ApiError("not_paired", "the pairing token on this machine is unusable; run "
                                     "`campfire pair --rotate`", {"WWW-Authenticate": "Bearer"})
    if not expected:
        raise ApiError("not_paired", "no pairing token on this machine; run `campfire pair`",
                       {"WWW-Authenticate": "Bearer"})
    # Bytes, not str: compare_digest refuses non-ASCII str, and a header may carry any bytes
    # (aiohttp keeps those that are not UTF-8 as surrogates).
    given_bytes = given.strip().encode("utf-8", "surrogateescape")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given_bytes, expected.encode()):
        raise ApiError("bad_token",
                       "missing or wrong pairing token; paste the token from `campfire pair` "
                       "into the extension", {"WWW-Authenticate": "Bearer"})


def cors_headers(origin: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def preflight_response(request: web.Request) -> web.Response:
    headers = cors_headers(request.headers["Origin"]) if "Origin" in request.headers else {}
    headers.update({
        "Access-Control-Allow-Methods": ALLOWED_METHODS,
        "Access-Control-Allow-Headers": ALLOWED_HEADERS,
        "Access-Control-Max-Age": PREFLIGHT_MAX_AGE_S,
    })
    return web.Response(status=204, headers=headers)


def guard_middleware(tokens: TokenStore, public: frozenset[tuple[str, str]]):
    """Gates 1-3; the token is the one now on disk (rotation applies at once). `public`:
    the (method, path) pairs that need no token (companion.server.routes)."""
    @web.middleware
    async def guard(request: web.Request, handler) -> web.StreamResponse:
        check_host(request)
        check_origin(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return preflight_response(request)
        if (request.method, request.path) not in public:
            check_token(request, tokens)
        return await handler(request)
    return guard


@web.middleware
async def cors_middleware(request: web.Request, handler) -> web.StreamResponse:
    """Outermost, so that error answers reach the extension readable too."""
    response = await handler(request)
    origin = request.headers.get("Origin", "")
    if is_extension_origin(origin):
        response.headers.update(cors_headers(origin))
    return response
