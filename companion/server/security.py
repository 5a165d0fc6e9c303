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

from aiohttp import web

from companion.server.errors import ApiError

EXTENSION_SCHEMES = ("chrome-extension://", "moz-extension://")
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost"})
PUBLIC_ROUTES = frozenset({("GET", "/v1/health"), ("HEAD", "/v1/health")})
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


def check_token(request: web.Request, expected: str) -> None:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected:
        raise ApiError("not_paired", "no pairing token on this machine; run `campfire pair`",
                       {"WWW-Authenticate": "Bearer"})
    # Bytes, not str: compare_digest refuses non-ASCII str, and a header may carry any.
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
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


def guard_middleware(current_token):
    """Gates 1-3; `current_token()` gives the token now on disk (rotation applies at once)."""
    @web.middleware
    async def guard(request: web.Request, handler) -> web.StreamResponse:
        check_host(request)
        check_origin(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            return preflight_response(request)
        if (request.method, request.path) not in PUBLIC_ROUTES:
            check_token(request, current_token())
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
