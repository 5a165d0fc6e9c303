"""A real `campfire serve` on a free port, for the tests and the benchmarks (one place).

    with running_companion() as companion:          # a temporary config folder
        status, headers, body = companion.request("GET", "/v1/health")

`running_companion(config_dir=None, *args, wait_ready=True, argv=None, env=None)` runs
`campfire serve --port 0 ARGS` (or `argv`, a whole command line that prints the same
"listening on" line; `env` adds to the environment, a None value removes that name), waits for the port (and, with wait_ready, for the model), yields a
`RunningCompanion` and sends SIGTERM when the block ends.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from companion.store.store import DATA_DIR_ENV
from companion.pairing import CONFIG_DIR_ENV, TokenStore

REPO = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
READY = "ready."
START_TIMEOUT_S = 120


def campfire_command() -> list[str]:
    """The installed `campfire` script when there is one, else the same entry point via -m."""
    script = Path(sys.executable).with_name("campfire")
    return [str(script)] if script.exists() else [sys.executable, "-m", "companion"]


@dataclass
class RunningCompanion:
    process: subprocess.Popen
    port: int
    token: str
    config_dir: Path
    started: float                       # time.perf_counter() just before the process began
    listening_s: float                   # from then until it printed its port
    lines: list[str] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def output(self) -> str:
        return "".join(self.lines)

    def memory_mib(self) -> dict[str, float]:
        """VmRSS (now) and VmHWM (peak) from /proc, summed over the companion's process and its
        children (the worker process that runs the rules and the model). A sum of peaks is an
        upper bound of the peak of the sum."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        totals = {"VmRSS": 0, "VmHWM": 0}
        for p in [pid, *map(int, children)]:
            try:
                status = Path(f"/proc/{p}/status").read_text()
            except FileNotFoundError:  # a child that ended meanwhile
                continue
            for key in totals:
                totals[key] += int(re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE).group(1))
        return {key: round(kb / 1024, 1) for key, kb in totals.items()}

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
        time.sleep(0.005)
    return None


@contextlib.contextmanager
def running_companion(config_dir: Path | None = None, *args: str, wait_ready: bool = True,
                      argv: list[str] | None = None, env: dict | None = None):
    """`port` is 0 when it never listened (then `output()` says why)."""
    with contextlib.ExitStack() as stack:
        if config_dir is None:
            config_dir = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "config"
        command = argv or [*campfire_command(), "serve", "--port", "0", *args]
        # The user's store beside the config: a restart on the same config_dir finds it again.
        full_env = {**os.environ, DATA_DIR_ENV: str(Path(config_dir) / "data"), **(env or {}),
                    CONFIG_DIR_ENV: str(config_dir), "PYTHONUNBUFFERED": "1"}
        full_env = {key: value for key, value in full_env.items() if value is not None}
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=full_env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        lines: list[str] = []
        threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
        try:
            listening = _wait_for(lines, process, LISTENING)
            listening_s = time.perf_counter() - started
            if wait_ready and listening:
                _wait_for(lines, process, re.compile(re.escape(READY)))
            port = int(listening.group(1)) if listening else 0
            token = TokenStore(config_dir).current() if port else ""
            yield RunningCompanion(process, port, token, config_dir, started, listening_s, lines)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
