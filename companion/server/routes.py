"""The route table: every endpoint declared once, feeding the router, the OpenAPI document
(/v1/openapi.json), the token guard and the docs test.

Each module named in ROUTE_MODULES has `ROUTES`, a list of `Route`, and may have
`request_schemas(limits) -> {name: schema}` and `response_schemas() -> {name: schema}` for
the schema names its routes use. A module adds endpoints by listing them there and adding
its name to ROUTE_MODULES; nothing else needs to know.
"""
from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from companion.server.settings import Limits

ROUTE_MODULES = ("companion.server.handlers", "companion.server.user_data")


@dataclass(frozen=True)
class Route:
    method: str                                   # "GET", "POST" or "DELETE" (GET also answers HEAD)
    path: str
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    summary: str
    request: str | None = None                    # request body schema (a component name)
    response: str | None = None                   # 200 answer schema; None: any object
    errors: tuple[int, ...] = ()                  # error statuses it documents
    public: bool = False                          # True: no token needed
    path_params: dict | None = None               # {name: schema} of the path's {name} parts
    query_params: dict | None = None              # {name: schema} of required ?name= parts

    @property
    def methods(self) -> tuple[str, ...]:
        return (self.method, "HEAD") if self.method == "GET" else (self.method,)


def _modules():
    return [importlib.import_module(name) for name in ROUTE_MODULES]


def all_routes() -> list[Route]:
    return [route for module in _modules() for route in module.ROUTES]


def components(limits: Limits) -> tuple[dict[str, dict], dict[str, dict]]:
    """(request schemas, response schemas) of every route module, by component name."""
    requests: dict[str, dict] = {}
    responses: dict[str, dict] = {}
    for module in _modules():
        if hasattr(module, "request_schemas"):
            requests.update(module.request_schemas(limits))
        if hasattr(module, "response_schemas"):
            responses.update(module.response_schemas())
    return requests, responses


def public_routes(routes: list[Route]) -> frozenset[tuple[str, str]]:
    return frozenset((method, route.path) for route in routes if route.public
                     for method in route.methods)


def add_routes(app: web.Application, routes: list[Route]) -> None:
    for route in routes:
        if route.method == "GET":
            app.router.add_get(route.path, route.handler)  # and HEAD
        else:
            app.router.add_route(route.method, route.path, route.handler)
