"""Fixtures shared by the whole suite. Expensive things are made once per session.

Model and in-process companion (pytest-aiohttp):
- `classifier` (session): the real `Classifier` loaded once from models/.
- `config_dir` (function): an empty config folder; CAMPFIRE_CONFIG_DIR points at it.
- `make_app(**config)` (function): `create_app(ServerConfig(config_dir=..., **config),
  classifier)`, sharing the session's model. Start it with pytest-aiohttp's `aiohttp_client`.
- `api` (function): a started in-process companion with its model ready: `api.client`
  (aiohttp TestClient), `api.app`, `api.token`, `api.auth` (headers with the token),
  `api.stats` (cache and batching counters).

A real `campfire serve` process (over HTTP, like the extension sees it):
- `companion_server` (session): one `campfire serve --port 0` for the whole session, with its
  own config folder. A `RunningCompanion`: `.port`, `.base_url`, `.token`, `.auth`,
  `.request(method, path, body=None, headers=None) -> (status, headers, json)`, `.output()`
  (everything it printed so far, stdout and stderr), `.process`.
- `start_companion(config_dir, *args, command=None)` (a context manager, import it from conftest) for a
  test that needs a process of its own (shutdown, bad arguments).

The API's own document:
- `OpenApi(document)`: `.check(path, method, status, body)` validates a real response body
  against /v1/openapi.json (import it from conftest).
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from companion.config import CONFIG_DIR_ENV, TokenStore
from companion.model import Classifier
from companion.server import ServerConfig, create_app
from companion.server import keys

REPO = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
READY = "ready."
START_TIMEOUT_S = 60


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier.load()


@pytest.fixture
def config_dir(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "config"
    monkeypatch.setenv(CONFIG_DIR_ENV, str(path))
    return path


@pytest.fixture
def make_app(config_dir, classifier):
    def make(**config):
        return create_app(ServerConfig(config_dir=config_dir, **config), classifier)
    return make


@dataclass
class InProcessCompanion:
    client: object
    app: object

    @property
    def token(self) -> str:
        return self.app[keys.TOKENS].current()

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def stats(self):
        return self.app[keys.STATS]


@pytest.fixture
async def api(make_app, aiohttp_client) -> InProcessCompanion:
    app = make_app()
    client = await aiohttp_client(app)
    await app[keys.LOADER].done.wait()
    return InProcessCompanion(client, app)


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


@pytest.fixture(scope="session")
def companion_server(tmp_path_factory) -> RunningCompanion:
    config_dir = tmp_path_factory.mktemp("companion-config")
    with start_companion(config_dir) as running:
        if not running.port or READY not in running.output():
            pytest.fail(f"campfire serve did not start:\n{running.output()}")
        yield running
    shutil.rmtree(config_dir, ignore_errors=True)


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
