"""One route table feeds the router, the OpenAPI document and the token guard, and another
module can add to it without touching any of them."""
import sys
import types

from aiohttp import web

from companion_harness import CompanionTestServer
from companion.server import keys, routes
from companion.server.routes import Route, all_routes


async def test_the_table_is_what_the_router_the_document_and_the_guard_use(api):
    document = (await (await api.client.get("/v1/openapi.json", headers=api.auth)).json())
    table = all_routes()
    assert {(r.method.lower(), r.path) for r in table} == {
        (method, path) for path, ops in document["paths"].items() for method in ops}
    router = {(route.method, route.resource.canonical) for route in api.app.router.routes()}
    for route in table:
        assert (route.method, route.path) in router
        operation = document["paths"][route.path][route.method.lower()]
        assert (operation.get("security") == []) == route.public
        if route.request:
            assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(route.request)
        answer = await api.client.request(route.method, route.path)  # no token
        assert (answer.status == 401) != route.public, route.path


async def test_another_module_adds_a_route(monkeypatch, make_app, aiohttp_client):
    async def notes(request):
        body = await request.app[keys.BODIES]["NoteRequest"].read(request)
        return web.json_response({"saved": body["note"]})

    module = types.ModuleType("campfire_test_notes")
    module.ROUTES = [Route("POST", "/v1/notes", notes, "Save a note", "NoteRequest", "Saved",
                           (400, 401, 422))]
    module.request_schemas = lambda limits: {"NoteRequest": {
        "type": "object", "required": ["note"], "additionalProperties": False,
        "properties": {"note": {"type": "string", "maxLength": 10}}}}
    module.response_schemas = lambda: {"Saved": {"type": "object"}}
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(routes, "ROUTE_MODULES", (*routes.ROUTE_MODULES, module.__name__))

    app = make_app()
    client = await aiohttp_client(CompanionTestServer(app))
    auth = {"Authorization": f"Bearer {app[keys.TOKENS].current()}"}
    assert (await client.post("/v1/notes", json={"note": "hi"})).status == 401
    response = await client.post("/v1/notes", json={"note": "hi"}, headers=auth)
    assert (response.status, await response.json()) == (200, {"saved": "hi"})
    too_long = await client.post("/v1/notes", json={"note": "x" * 11}, headers=auth)
    assert too_long.status == 422
    document = await (await client.get("/v1/openapi.json", headers=auth)).json()
    assert "post" in document["paths"]["/v1/notes"]
    assert "NoteRequest" in document["components"]["schemas"]
