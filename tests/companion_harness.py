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
"""
from __future__ import annotations

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

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from companion.config import CONFIG_DIR_ENV, TokenStore
from companion.store.store import DATA_DIR_ENV

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
    # The user's store beside the config: a restart on the same config_dir finds it again.
    env = {**os.environ, CONFIG_DIR_ENV: str(config_dir), DATA_DIR_ENV: str(Path(config_dir) / "data"),
           "PYTHONUNBUFFERED": "1"}
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
