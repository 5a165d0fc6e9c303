"""Every rejection is JSON `{"error": {"code", "message"}}` with its status; no text in logs."""
import logging

import pytest

from companion_harness import CompanionTestServer, OpenApi, raw_exchange
from companion.server import Limits, keys
from companion.server.schemas import openapi_document

SCHEMAS = OpenApi(openapi_document(Limits()))
LIMITS = Limits()


async def error_of(response, status: int, code: str, path: str = "/v1/classify", method="post") -> str:
    body = await response.json()
    assert response.status == status, body
    assert response.content_type == "application/json"
    SCHEMAS.check(path, method, status, body)
    assert body["error"]["code"] == code
    return body["error"]["message"]


def posts(n, text="hello"):
    return [{"id": f"p{i}", "text": text} for i in range(n)]


async def send(api, body, path="/v1/classify"):
    return await api.client.post(path, json=body, headers=api.auth)


@pytest.mark.parametrize("raw, reason", [
    (b'{"posts": [', "line 1 column 12"),
    (b'\xff\xfe{"posts": []}', "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
])
async def test_malformed_json_is_400(api, raw, reason):
    response = await api.client.post("/v1/classify", data=raw,
                                     headers={**api.auth, "Content-Type": "application/json"})
    assert reason in await error_of(response, 400, "invalid_json")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
async def test_a_body_that_is_not_json_is_415(api, content_type):
    headers = {**api.auth, **({"Content-Type": content_type} if content_type else {})}
    response = await api.client.post("/v1/classify", data=b'{"posts": []}', headers=headers)
    await error_of(response, 415, "unsupported_media_type")


async def test_json_with_a_charset_is_accepted(api):
    response = await api.client.post("/v1/classify", data=b'{"posts": []}', headers={
        **api.auth, "Content-Type": "application/json; charset=utf-8"})
    assert response.status == 200


@pytest.mark.parametrize("body, status, code, message", [
    ([], 422, "invalid_field", "body must be an object"),
    ({}, 422, "invalid_field", "posts is required"),
    ({"posts": {}}, 422, "invalid_field", "posts must be an array"),
    ({"posts": [*posts(3), {"id": "x"}]}, 422, "invalid_field", "posts[3].text is required"),
    ({"posts": [*posts(3), {"id": "x", "text": 5}]}, 422, "invalid_field", "posts[3].text must be a string"),
    ({"posts": [{"id": 7, "text": "hi"}]}, 422, "invalid_field", "posts[0].id must be a string"),
    ({"posts": [{"id": "", "text": "hi"}]}, 422, "invalid_field", "posts[0].id must not be empty"),
    ({"posts": [{"id": "a", "text": "hi", "permalink": "x"}]}, 422, "invalid_field",
     "posts[0].permalink is not a known field"),
    ({"posts": [{"id": "a", "text": "hi", "site": 3}]}, 422, "invalid_field",
     "posts[0].site must be a string or null"),
    ({"posts": posts(LIMITS.max_posts + 1)}, 413, "too_many_posts",
     f"posts has more than {LIMITS.max_posts} items"),
    ({"posts": posts(2, "x" * (LIMITS.max_text_chars + 1))}, 413, "text_too_long",
     f"posts[0].text is longer than {LIMITS.max_text_chars} characters"),
])
async def test_invalid_classify_bodies_name_the_field(api, body, status, code, message):
    assert await error_of(await send(api, body), status, code) == message


async def test_limits_are_inclusive(api):
    body = {"posts": posts(LIMITS.max_posts - 1) + [{"id": "long", "text": "x" * LIMITS.max_text_chars}]}
    assert (await send(api, body)).status == 200


@pytest.mark.parametrize("options, message", [
    ({"sink": ["spam"]}, "options.sink[0] must be one of: self_promotion, missing_disclosure, conversational"),
    ({"sink": ["self_promotion", "self_promotion"]}, "options.sink must not repeat a value"),
    ({"sink": "self_promotion"}, "options.sink must be an array"),
    ({"order": "new"}, "options.order is not a known field"),
])
async def test_invalid_rank_options_name_the_field(api, options, message):
    response = await send(api, {"posts": posts(2), "options": options}, "/v1/rank")
    assert await error_of(response, 422, "invalid_field", "/v1/rank") == message


@pytest.mark.parametrize("body, status, code, message", [
    ({}, 422, "invalid_field", "text is required"),
    ({"text": None}, 422, "invalid_field", "text must be a string"),
    ({"text": "x" * (LIMITS.max_text_chars + 1)}, 413, "text_too_long",
     f"text is longer than {LIMITS.max_text_chars} characters"),
])
async def test_invalid_drafts_name_the_field(api, body, status, code, message):
    assert await error_of(await send(api, body, "/v1/check"), status, code, "/v1/check") == message


async def test_a_body_over_the_byte_limit_is_413(api):
    data = b'{"posts": [], "pad": "' + b"x" * LIMITS.max_body_bytes + b'"}'
    response = await api.client.post("/v1/classify", data=data,
                                     headers={**api.auth, "Content-Type": "application/json"})
    await error_of(response, 413, "body_too_large")


async def test_a_chunked_body_over_the_byte_limit_is_413(api):
    async def chunks():
        yield b'{"posts": [], "pad": "'
        for _ in range(LIMITS.max_body_bytes // 65536 + 1):
            yield b"x" * 65536
        yield b'"}'
    response = await api.client.post("/v1/classify", data=chunks(),
                                     headers={**api.auth, "Content-Type": "application/json"})
    assert "Content-Length" not in response.request_info.headers
    await error_of(response, 413, "body_too_large")


async def test_unknown_paths_and_methods_answer_json(api):
    await error_of(await api.client.get("/v1/nothing", headers=api.auth), 404, "not_found",
                   "/v1/health", "get")
    response = await api.client.get("/v1/classify", headers=api.auth)
    await error_of(response, 405, "method_not_allowed", "/v1/classify", "post")
    assert response.headers["Allow"] == "POST"


@pytest.mark.parametrize("authorization, code", [
    (None, "bad_token"),
    ("Bearer wrong-token", "bad_token"),
    ("Basic dXNlcjpwYXNz", "bad_token"),
    ("Bearer ünïcode", "bad_token"),
])
async def test_calls_without_the_right_token_are_401(api, authorization, code):
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in (("GET", "/v1/labels"), ("POST", "/v1/classify"), ("POST", "/v1/rank"),
                         ("POST", "/v1/check"), ("GET", "/v1/openapi.json")):
        response = await api.client.request(method, path, json={"posts": []}, headers=headers)
        await error_of(response, 401, code, path, method)
        assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_without_a_token_file_nobody_is_paired(api):
    api.app[keys.TOKENS].path.unlink()
    response = await api.client.get("/v1/labels", headers=api.auth)
    await error_of(response, 401, "not_paired", "/v1/labels", "get")


MARKER = "zq7-MARKER-do-not-log-4f1c"


async def test_an_unexpected_failure_is_a_500_without_details(make_app, aiohttp_client, caplog):
    async def broken(request):
        raise ValueError(f"failed while reading {MARKER}")
    app = make_app()
    app.router.add_post("/v1/broken", broken)
    client = await aiohttp_client(CompanionTestServer(app))
    auth = {"Authorization": f"Bearer {app[keys.TOKENS].current()}"}
    caplog.set_level(logging.DEBUG)
    response = await client.post("/v1/broken", json={}, headers=auth)
    message = await error_of(response, 500, "internal_error", "/v1/classify")
    assert MARKER not in message and "Traceback" not in await response.text()
    assert "ValueError" in caplog.text
    assert MARKER not in caplog.text


async def test_post_text_never_reaches_the_logs(api, caplog):
    caplog.set_level(logging.DEBUG)
    text = f"Has anyone tried {MARKER}? Use my code {MARKER} amzn.to/{MARKER}"
    for path, body in (
        ("/v1/classify", {"posts": [{"id": "a", "text": text}]}),
        ("/v1/classify", {"posts": [{"id": "a", "text": text}]}),  # cached path
        ("/v1/rank", {"posts": [{"id": "a", "text": text}], "options": {"sink": ["self_promotion"]}}),
        ("/v1/check", {"text": text}),
        ("/v1/classify", {"posts": [{"id": "a", "text": text * 2000}]}),  # too long
        ("/v1/classify", {"posts": [{"id": "a", "text": text, "extra": text}]}),  # invalid
        ("/v1/corrections", {"text": text, "labels": {"conversational": True}, "site": MARKER}),
        ("/v1/classify", {"posts": [{"id": "a", "text": text, "site": MARKER, "author": MARKER}]}),
        ("/v1/authors", {"site": MARKER, "author": MARKER, "rule": "always_hide"}),
        ("/v1/classify", {"posts": [{"id": "a", "text": text, "site": MARKER, "author": MARKER}]}),
        ("/v1/corrections", {"text": text, "labels": {"spam": True}}),  # invalid
    ):
        await send(api, body, path)
    await api.client.post("/v1/classify", data=f'{{"posts": [{{"id": "{MARKER}'.encode(),
                          headers={**api.auth, "Content-Type": "application/json"})
    await api.client.get(f"/v1/{MARKER}", headers=api.auth)                      # a bad path
    port = api.client.server.port
    for malformed in (f"GET /v1/health HTTP/1.1\r\nX-{MARKER}\x01: {MARKER}\r\n\r\n",  # invalid header
                      f"GET /v1/health HTTP/1.1\r\nX-A: {MARKER}{'a' * 9000}\r\n\r\n",  # over-long
                      f"POST /v1/classify HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"        # bad chunk
                      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                      f'zz\r\n{{"text": "{MARKER}"}}\r\n0\r\n\r\n'):
        assert (await raw_exchange(port, malformed.encode())).status == 400
    assert "/v1/classify" in caplog.text  # the access log was captured
    assert MARKER not in caplog.text
