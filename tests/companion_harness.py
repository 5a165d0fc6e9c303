"""Helpers for testing the companion, importable from any test folder.

(Import them from here, not from a conftest: with more than one conftest.py in the suite,
`from conftest import ...` picks whichever was loaded last.)

- `start_companion(config_dir, *args, wait_ready=True, command=None)`: a context manager that
  runs `campfire serve --port 0 ARGS` (or `command serve ...`) and yields a
  `RunningCompanion`; SIGTERM when the block ends.
- `RunningCompanion`: `.port`, `.base_url`, `.token`, `.auth`, `.process`,
  `.request(method, path, body=None, headers=None) -> (status, headers, json)` (never raises
  for an HTTP error status), `.output()` (all it printed so far, stdout and stderr).
- `campfire_command()`: the installed `campfire` script, else `python -m companion`.
- `OpenApi(document)`: `.check(path, method, status, body)` validates a real response body
  against the schema that /v1/openapi.json names for it.
- `CompanionTestServer(app)`: pytest-aiohttp's TestServer with the runner `campfire serve`
  uses (JSON parser errors, time limits, connection cap, access log); pass it to
  `aiohttp_client`.
- `raw_exchange(port, data, wait_s)`: bytes sent on a plain socket, then everything the
  server answers until it closes the connection -> `RawAnswer(status, body, closed, seconds)`.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp.test_utils import TestServer
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from companion.pairing import CONFIG_DIR_ENV, TokenStore
from companion.server.protocol import CompanionRunner

REPO = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
READY = "ready."
START_TIMEOUT_S = 60


def campfire_command() -> list[str]:
    """The installed `campfire` script when there is one, else the same entry point via -m."""
    script = Path(sys.executable).with_name("campfire")
    return [str(script)] if script.exists() else [sys.executable, "-m", "companion"]


@dataclass
class RunningCompanion:
    process: subprocess.Popen
    port: int
    token: str
    lines: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def output(self) -> str:
        return "".join(self.lines)

    def request(self, method: str, path: str, body=None, headers=None):
        """(status, headers, parsed JSON body); never raises for an HTTP error status."""
        data = None if body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json"} if body is not None else {}
        all_headers.update(headers or {})
        req = urllib.request.Request(self.base_url + path, data=data, method=method,
                                     headers=all_headers)
        # No proxy: an http_proxy in the environment must not carry loopback traffic.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(req, timeout=30) as resp:
                return resp.status, dict(resp.headers), json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), json.loads(err.read() or b"null")


def _pump(stream, lines: list[str]) -> None:
    for line in iter(stream.readline, ""):
        lines.append(line)


def _wait_for(lines: list[str], process: subprocess.Popen, pattern) -> re.Match | None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        found = pattern.search("".join(lines))
        if found or process.poll() is not None:
            return found
        time.sleep(0.05)
    return None


@contextlib.contextmanager
def start_companion(config_dir: Path, *args: str, wait_ready: bool = True,
                    command: list[str] | None = None):
    """Runs `campfire serve --port 0 ARGS` until the block ends, then SIGTERM.
    `command` replaces `campfire` (e.g. [sys.executable, "-m", "companion"])."""
    env = {**os.environ, CONFIG_DIR_ENV: str(config_dir), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([*(command or campfire_command()), "serve", "--port", "0", *args], cwd=REPO,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, encoding="utf-8")
    lines: list[str] = []
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    try:
        listening = _wait_for(lines, process, LISTENING)
        if wait_ready and listening:
            _wait_for(lines, process, re.compile(re.escape(READY)))
        port = int(listening.group(1)) if listening else 0
        token = TokenStore(config_dir).current()
        yield RunningCompanion(process, port, token, lines)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class OpenApi:
    """Validates response bodies against the schemas the OpenAPI document names for them."""
    BASE = "urn:campfire-openapi"

    def __init__(self, document: dict):
        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(self.BASE, resource)

    def schema_ref(self, path: str, method: str, status: int) -> str:
        responses = self.document["paths"][path][method.lower()]["responses"]
        if str(status) not in responses:
            # 404/405 are the router's, not an endpoint's; they use the shared Error schema
            assert status >= 400, f"{method} {path} -> {status} is not documented"
            return "#/components/schemas/Error"
        return responses[str(status)]["content"]["application/json"]["schema"]["$ref"]

    def check(self, path: str, method: str, status: int, body) -> None:
        ref = self.schema_ref(path, method, status)
        validator = Draft202012Validator({"$ref": self.BASE + ref}, registry=self.registry)
        validator.validate(body)


class CompanionTestServer(TestServer):
    async def _make_runner(self, **kwargs):
        return CompanionRunner(self.app, **kwargs)


@dataclass
class RawAnswer:
    status: int | None       # None: no answer at all
    body: object             # parsed JSON, or the raw bytes when not JSON
    content_type: str
    closed: bool             # the server closed the connection within wait_s
    seconds: float           # until it closed (or wait_s)


async def raw_exchange(port: int, data: bytes, wait_s: float = 5.0, drip=None) -> RawAnswer:
    """Sends `data` (then, while the connection is open, each of `drip`'s (bytes, pause_s)
    pairs) and reads until the server closes the connection or `wait_s` passes."""
    start = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    received = bytearray()

    async def read_all() -> bool:
        try:
            while chunk := await reader.read(65536):
                received.extend(chunk)
            return True
        except ConnectionError:
            return True

    reading = asyncio.create_task(read_all())
    try:
        writer.write(data)
        for chunk, pause_s in drip or ():
            await asyncio.sleep(pause_s)
            if reading.done():
                break
            writer.write(chunk)
        done, _ = await asyncio.wait([reading], timeout=max(0.0, wait_s - (time.monotonic() - start)))
        closed = bool(done)
    except ConnectionError:
        closed = True
    finally:
        reading.cancel()
        writer.close()
    received = bytes(received)
    seconds = time.monotonic() - start
    head, _, body = received.partition(b"\r\n\r\n")
    status = int(head.split()[1]) if head.startswith(b"HTTP/") else None
    content_type = next((line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n")
                         if line.lower().startswith(b"content-type:")), "")
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = body
    return RawAnswer(status, parsed, content_type, closed, seconds)
