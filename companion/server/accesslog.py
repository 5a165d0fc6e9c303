"""The access log: method, path, status, size and time of each request, and nothing else.

aiohttp's default line carries the query string, the Referer and the User-Agent. The query
can name an author (`DELETE /v1/authors?site=…&author=…`), so it is never written. A path
that is not one of ours is logged as `-` (a client can put anything in it), and so is the
method of a request that is not a standard one or could not be parsed.
"""
from __future__ import annotations

from aiohttp.abc import AbstractAccessLogger

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _route_known(request) -> bool:
    match_info = getattr(request, "_match_info", None)  # None: never routed (a parser error)
    return match_info is not None and getattr(match_info.route, "resource", None) is not None


class PathOnlyAccessLogger(AbstractAccessLogger):
    def log(self, request, response, time: float) -> None:
        routed = getattr(request, "_match_info", None) is not None
        method = request.method if routed and request.method in METHODS else "-"
        self.logger.info('"%s %s" %s %s %.4fs', method,
                         request.path if _route_known(request) else "-", response.status,
                         response.body_length, time)
