"""The access log: method, path, status, size and time of each request, and nothing else.

aiohttp's default line carries the query string, the Referer and the User-Agent. The query
can name an author (`DELETE /v1/authors?site=…&author=…`), so it is never written.
"""
from __future__ import annotations

from aiohttp.abc import AbstractAccessLogger


class PathOnlyAccessLogger(AbstractAccessLogger):
    def log(self, request, response, time: float) -> None:
        self.logger.info('"%s %s" %s %s %.4fs', request.method, request.path, response.status,
                         response.body_length, time)
