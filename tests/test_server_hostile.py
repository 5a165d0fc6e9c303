"""Hostile and broken requests, sent as raw bytes to a real socket: every answer is the API's
JSON error with a 4xx status, and nothing the client sent reaches the log."""
import asyncio
import json
import logging

import pytest

from companion.server import Connections, keys
from companion_harness import CompanionTestServer, raw_exchange

MARKER = "hq5-HOSTILE-MARKER-not-for-logs"


def request_bytes(port, method="GET", path="/v1/health", headers=(), body=b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
             *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def json_error(answer, status, code):
    assert answer.status == status, answer
    assert answer.content_type.startswith("application/json"), answer
    assert answer.body["error"]["code"] == code, answer.body
    assert MARKER not in answer.body["error"]["message"]
    return answer.body["error"]["message"]


@pytest.fixture
def port(api):
    return api.client.server.port


def auth_headers(api, *more):
    return [f"Authorization: Bearer {api.token}", "Content-Type: application/json", *more]


async def test_an_authorization_header_that_is_not_utf8_is_401(api, port):
    data = request_bytes(port, path="/v1/labels").replace(
        b"Connection: close", b"Connection: close\r\nAuthorization: Bearer \xff\xfe\xfd")
    await json_error(await raw_exchange(port, data), 401, "bad_token")


async def test_a_body_marked_gzip_that_is_not_gzip_is_400(api, port):
    body = json.dumps({"posts": [{"id": "a", "text": MARKER}]}).encode()
    data = request_bytes(port, "POST", "/v1/classify", auth_headers(
        api, "Content-Encoding: gzip", f"Content-Length: {len(body)}"), body)
    message = await json_error(await raw_exchange(port, data), 400, "bad_request")
    assert "Content-Encoding" in message


@pytest.mark.parametrize("name, data", [
    ("bad chunk size", lambda api, port: request_bytes(
        port, "POST", "/v1/classify", auth_headers(api, "Transfer-Encoding: chunked"),
        f'ZZ\r\n{{"text": "{MARKER}"}}\r\n0\r\n\r\n'.encode())),
    ("invalid header", lambda api, port: request_bytes(
        port, headers=[f"X-{MARKER}\x01: {MARKER}\x01"])),
    ("over-long header", lambda api, port: request_bytes(
        port, headers=[f"X-Long: {MARKER}" + "a" * 10_000])),
    ("invalid request line", lambda api, port: f"GET /{MARKER} \x01HTTP/1.1\r\n\r\n".encode()),
])
async def test_requests_the_parser_refuses_answer_json(api, port, caplog, name, data):
    caplog.set_level(logging.DEBUG)
    message = await json_error(await raw_exchange(port, data(api, port)), 400, "bad_request")
    assert message.startswith("malformed request")
    assert "refused a malformed request" in caplog.text
    assert MARKER not in caplog.text


async def test_a_bad_chunk_after_the_headers_is_400(api, port):
    """The headers arrive and the handler starts reading; then the chunking goes wrong."""
    head = request_bytes(port, "POST", "/v1/classify", auth_headers(api, "Transfer-Encoding: chunked"))
    answer = await raw_exchange(port, head, drip=[(b"5\r\n{\"pos\r\nZZ\r\n" + MARKER.encode(), 0.2)])
    await json_error(answer, 400, "bad_request")


async def test_unknown_paths_and_methods_are_logged_without_their_text(api, port, caplog):
    caplog.set_level(logging.DEBUG)
    for data in (request_bytes(port, path=f"/v1/{MARKER}", headers=[f"Authorization: Bearer {api.token}"]),
                 request_bytes(port, path=f"/{MARKER}?{MARKER}"),
                 request_bytes(port, method=MARKER.upper().replace("-", ""), path="/v1/health")):
        answer = await raw_exchange(port, data)
        assert answer.status in (400, 401, 404) and answer.body["error"]["code"]
    assert '"GET -" 404' in caplog.text
    assert MARKER not in caplog.text and MARKER.upper().replace("-", "") not in caplog.text


def deep(levels: int, leaf="1"):
    return json.loads("[" * levels + leaf + "]" * levels)


@pytest.mark.parametrize("path, body", [
    ("/v1/rank", {"posts": [], "options": {"sink": [deep(400, ""), deep(400)]}}),
    ("/v1/classify", {"posts": [{"id": "a", "text": "hi", "extra": deep(400)}]}),
    ("/v1/check", {"text": "hi", "x": {"y": deep(200)}}),
])
async def test_deep_nesting_anywhere_is_400(api, path, body):
    response = await api.client.post(path, json=body, headers=api.auth)
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["code"] == "invalid_json" and "nested too deeply" in error["message"]


async def test_a_number_of_5000_digits_is_named_as_such(api):
    response = await api.client.post("/v1/classify", data=b'{"posts": [], "n": ' + b"7" * 5000 + b"}",
                                     headers={**api.auth, "Content-Type": "application/json"})
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["code"] == "invalid_json" and "digits" in error["message"]


@pytest.mark.parametrize("content", [b"t\xc3\xb6ken\n", b"\xff\xfe\x00\n", b"\n"])
async def test_a_damaged_token_file_is_401_with_what_to_do(api, content, caplog):
    path = api.app[keys.TOKENS].path
    path.write_bytes(content)
    response = await api.client.get("/v1/labels", headers={"Authorization": "Bearer x"})
    assert response.status == 401
    error = (await response.json())["error"]
    assert error["code"] == "not_paired" and "campfire pair --rotate" in error["message"]
    assert str(path) in caplog.text  # the companion's own log names the file
    assert (await api.client.get("/v1/health")).status == 200


# Time limits and the connection cap, made small so that the tests take a second or two.
QUICK = Connections(headers_timeout_s=0.5, body_timeout_s=0.5, idle_timeout_s=0.8, max_connections=4)
SLACK_S = 1.0  # on top of each limit, for a loaded machine


@pytest.fixture
async def quick(make_app, aiohttp_client):
    app = make_app(connections=QUICK)
    client = await aiohttp_client(CompanionTestServer(app))
    await app[keys.LOADER].done.wait()
    return client.server.port, {"Authorization": f"Bearer {app[keys.TOKENS].current()}"}


async def test_a_silent_connection_is_closed(quick):
    port, _ = quick
    answer = await raw_exchange(port, b"", wait_s=QUICK.idle_timeout_s + SLACK_S + 2)
    assert answer.closed and answer.seconds < QUICK.idle_timeout_s + SLACK_S


async def test_a_connection_dripping_its_headers_gets_408_and_is_closed(quick):
    port, _ = quick
    drip = [(b"X-Drip: a\r\n", 0.1)] * 40  # 4 s of headers, never finished
    answer = await raw_exchange(port, f"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode(),
                                wait_s=5, drip=drip)
    await json_error(answer, 408, "request_timeout")
    assert answer.closed and answer.seconds < QUICK.headers_timeout_s + SLACK_S


@pytest.mark.parametrize("framing, chunk", [
    ("Content-Length: 1000", b"{"),                            # a body that never completes
    ("Transfer-Encoding: chunked", b"1\r\n \r\n"),             # chunks without end
])
async def test_a_body_that_drips_gets_408_and_is_closed(quick, framing, chunk):
    port, auth = quick
    head = request_bytes(port, "POST", "/v1/classify", [f"Authorization: {auth['Authorization']}",
                                                        "Content-Type: application/json", framing])
    answer = await raw_exchange(port, head, wait_s=5, drip=[(chunk, 0.1)] * 40)
    await json_error(answer, 408, "request_timeout")
    assert answer.closed and answer.seconds < QUICK.body_timeout_s + SLACK_S


async def test_an_idle_kept_alive_connection_is_closed(quick):
    port, _ = quick
    data = request_bytes(port).replace(b"Connection: close", b"Connection: keep-alive")
    answer = await raw_exchange(port, data, wait_s=QUICK.idle_timeout_s + SLACK_S + 2)
    assert answer.status == 200
    assert answer.closed and answer.seconds < QUICK.idle_timeout_s + SLACK_S


async def test_connections_over_the_cap_get_503(quick):
    port, _ = quick
    held = [await asyncio.open_connection("127.0.0.1", port) for _ in range(QUICK.max_connections)]
    try:
        answer = await raw_exchange(port, request_bytes(port), wait_s=2)
        await json_error(answer, 503, "too_many_connections")
        assert answer.closed
    finally:
        for _, writer in held:
            writer.close()
    await asyncio.sleep(0.1)
    assert (await raw_exchange(port, request_bytes(port), wait_s=2)).status == 200
