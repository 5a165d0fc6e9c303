"""Pairing, and the Origin and Host gates that keep web pages away from the companion."""
import stat

import pytest

from companion import pairing
from companion.pairing import TokenStore

WEB_ORIGINS = ["https://evil.example", "http://localhost:3000", "http://127.0.0.1:47800", "null",
               "file://", "https://x.com"]
EXTENSION_ORIGINS = ["chrome-extension://abcdefghijklmnopabcdefghijklmnop",
                     "moz-extension://6f1f1c4e-0000-4c1e-9c1e-1234567890ab"]


def test_the_token_is_made_once_and_kept_private(config_dir):
    token = TokenStore().load_or_create()
    path = config_dir / "token"
    assert len(token) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    assert TokenStore().load_or_create() == token


def test_the_config_dir_follows_the_environment(config_dir, monkeypatch):
    assert pairing.config_dir() == config_dir
    monkeypatch.delenv(pairing.CONFIG_DIR_ENV)
    assert pairing.config_dir().name == "campfire"


def test_a_loosened_token_file_is_made_private_again(config_dir):
    store = TokenStore()
    store.load_or_create()
    store.path.chmod(0o644)
    store.load_or_create()
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


async def test_rotating_the_token_revokes_the_old_one_at_once(api):
    old = api.auth
    assert (await api.client.get("/v1/labels", headers=old)).status == 200
    new_token = TokenStore().rotate()
    assert (await api.client.get("/v1/labels", headers=old)).status == 401
    response = await api.client.get("/v1/labels", headers={"Authorization": f"Bearer {new_token}"})
    assert response.status == 200


async def code_of(response) -> str:
    return (await response.json())["error"]["code"]


@pytest.mark.parametrize("origin", WEB_ORIGINS)
async def test_web_pages_are_refused_even_with_the_token(api, origin):
    for method, path in (("GET", "/v1/health"), ("POST", "/v1/classify")):
        response = await api.client.request(method, path, json={"posts": []},
                                            headers={**api.auth, "Origin": origin})
        assert response.status == 403
        assert await code_of(response) == "forbidden_origin"
        assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("origin", WEB_ORIGINS)
async def test_web_pages_get_no_preflight(api, origin):
    response = await api.client.options("/v1/classify", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status == 403
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("origin", EXTENSION_ORIGINS)
async def test_the_extension_gets_cors_answers(api, origin):
    preflight = await api.client.options("/v1/classify", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert {"authorization", "content-type"} <= {
        h.strip().lower() for h in preflight.headers["Access-Control-Allow-Headers"].split(",")}
    response = await api.client.post("/v1/classify", json={"posts": [{"id": "a", "text": "hi"}]},
                                     headers={**api.auth, "Origin": origin})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert response.headers["Vary"] == "Origin"


async def test_the_extension_can_read_errors_too(api):
    origin = EXTENSION_ORIGINS[0]
    response = await api.client.get("/v1/labels", headers={"Origin": origin})
    assert response.status == 401
    assert response.headers["Access-Control-Allow-Origin"] == origin


async def test_the_extension_still_needs_the_token(api):
    response = await api.client.post("/v1/classify", json={"posts": []},
                                     headers={"Origin": EXTENSION_ORIGINS[0]})
    assert response.status == 401


async def test_tools_without_an_origin_may_call_with_the_token(api):
    response = await api.client.post("/v1/classify", json={"posts": []}, headers=api.auth)
    assert response.status == 200
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("host", [
    "evil.example:{port}",          # DNS rebinding: the page's own name resolving to 127.0.0.1
    "evil.example",
    "127.0.0.1:{other}",            # the right address but another port
    "localhost.evil.example:{port}",
    "0.0.0.0:{port}",
    "[::1]:{port}",
    "127.0.0.1",                    # no port means 80
])
async def test_a_foreign_host_header_is_refused(api, host):
    port = api.client.server.port
    headers = {**api.auth, "Host": host.format(port=port, other=port + 1)}
    for path in ("/v1/health", "/v1/labels"):
        response = await api.client.get(path, headers=headers)
        assert response.status == 403
        assert await code_of(response) == "forbidden_host"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST"])
async def test_loopback_host_names_on_our_port_are_accepted(api, name):
    response = await api.client.get("/v1/labels",
                                    headers={**api.auth, "Host": f"{name}:{api.client.server.port}"})
    assert response.status == 200
