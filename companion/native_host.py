"""`campfire native-host`: the native messaging host the browser starts for the extension.

Protocol (the browsers' own): each message is a 4-byte length in native byte order, then
that many bytes of UTF-8 JSON, on stdin; each answer the same on stdout. Messages:

- `{"type": "connect"}`: find the running companion (its `companion.json`, else the default
  port), start `campfire serve` detached when none answers, and reply
  `{"ok": true, "port", "token", "started", "version"}`.
- `{"type": "status"}`: the same without starting anything: `{"ok": true, "running": false}`
  when none answers.

Anything else: `{"ok": false, "error": {"code", "message"}}`. The host serves messages until
stdin closes (one for `sendNativeMessage`, many for `connectNative`). The browser starts it
only for the extension ids its manifest allows (`campfire native install`); the host checks
the caller the browser names against the same ids (`--allow`) before it answers.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from companion import __version__, runstate
from companion.pairing import TokenStore, config_dir
from companion.server.settings import DEFAULT_PORT, HOST

MAX_MESSAGE_BYTES = 1024 * 1024  # what Chrome allows from a host; requests are far smaller
START_TIMEOUT_S = 30
LOG_FILE = "companion.log"


class HostError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def read_message(stream) -> dict | None:
    """The next message, or None at end of input."""
    header = stream.read(4)
    if len(header) < 4:
        return None
    (length,) = struct.unpack("=I", header)
    if length > MAX_MESSAGE_BYTES:
        raise HostError("too_large", f"a message may be at most {MAX_MESSAGE_BYTES} bytes")
    body = stream.read(length)
    if len(body) < length:
        return None
    try:
        message = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise HostError("bad_json", "the message is not UTF-8 JSON") from None
    if not isinstance(message, dict):
        raise HostError("bad_message", "a message must be a JSON object")
    return message


def write_message(stream, message: dict) -> None:
    body = json.dumps(message).encode("utf-8")
    stream.write(struct.pack("=I", len(body)) + body)
    stream.flush()


def health(port: int, timeout: float = 2.0) -> dict | None:
    """The companion's /v1/health answer on `port`, or None if nothing Campfire answers there."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://{HOST}:{port}/v1/health", timeout=timeout) as response:
            answer = json.loads(response.read())
    except (OSError, ValueError, urllib.error.URLError):
        return None
    return answer if isinstance(answer, dict) and "status" in answer else None


def find_running(directory: Path, preferred: int = DEFAULT_PORT) -> tuple[int, dict] | None:
    """(port, health) of the companion that answers: the one companion.json names, else the
    preferred port (0: none)."""
    state = runstate.read(directory)
    ports = [state["port"]] if state else []
    ports += [preferred] if preferred and preferred not in ports else []
    for port in ports:
        answer = health(port)
        if answer is not None:
            return port, answer
    return None


def _spawn(directory: Path, port: int) -> subprocess.Popen:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    log = open(directory / LOG_FILE, "w", encoding="utf-8")  # the last run's log; no post text is logged
    options: dict = {"start_new_session": True}
    if os.name == "nt":
        options = {"creationflags": subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP}
    with log:
        return subprocess.Popen([sys.executable, "-m", "companion", "serve", "--port", str(port)],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "CAMPFIRE_CONFIG_DIR": str(directory)},
                                close_fds=True, **options)


def start(directory: Path, preferred: int = DEFAULT_PORT) -> tuple[int, dict]:
    """Start `campfire serve` detached (preferred port, else any free one) and wait until it
    answers with its model loaded (an extension told about it sooner would get 503s)."""
    for port in dict.fromkeys((preferred, 0)):
        process = _spawn(directory, port)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and process.poll() is None:
            state = runstate.read(directory)
            if state and state["pid"] == process.pid:
                answer = health(state["port"])
                if answer is not None and answer["status"] != "loading":  # its model is in
                    return state["port"], answer
            time.sleep(0.1)
        if process.poll() is None:
            process.terminate()
            raise HostError("start_timeout", f"the companion did not answer within {START_TIMEOUT_S} s; "
                                             f"see {directory / LOG_FILE}")
    raise HostError("start_failed", f"the companion could not start; see {directory / LOG_FILE}")


@contextlib.contextmanager
def _start_lock(directory: Path):
    """One host at a time decides whether to start a companion (two tabs, two messages)."""
    try:
        import fcntl
    except ImportError:  # Windows: the extension sends one connect at a time
        yield
        return
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(directory / ".native-host.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def answer(message: dict, directory: Path, preferred: int = DEFAULT_PORT) -> dict:
    kind = message.get("type")
    if kind not in ("connect", "status"):
        raise HostError("unknown_type", f"unknown message type: {kind!r}")
    with _start_lock(directory):
        found = find_running(directory, preferred)
        started = False
        if found is None:
            if kind == "status":
                return {"ok": True, "running": False, "version": __version__}
            found, started = start(directory, preferred), True
    port, healthy = found
    token = TokenStore(directory).load_or_create()
    return {"ok": True, "running": True, "port": port, "token": token, "started": started,
            "status": healthy.get("status"), "version": __version__}


def caller(argv: list[str]) -> str | None:
    """The extension id the browser says started us: Chrome passes `chrome-extension://ID/`,
    Firefox the manifest path and then the add-on id."""
    for arg in argv:
        if arg.startswith("chrome-extension://"):
            return arg[len("chrome-extension://"):].strip("/")
    named = [arg for arg in argv if not arg.startswith("-")]
    return named[1] if len(named) >= 2 else None


def serve(stdin, stdout, allowed: list[str], browser_args: list[str], preferred: int = DEFAULT_PORT) -> int:
    directory = config_dir()
    who = caller(browser_args)
    while True:
        message = None
        try:
            message = read_message(stdin)
            if message is None:
                return 0
            if allowed and who not in allowed:
                raise HostError("forbidden_caller", "this host answers the Campfire extension only")
            reply = answer(message, directory, preferred)
        except HostError as error:
            reply = {"ok": False, "error": {"code": error.code, "message": str(error)}}
        if "id" in (message or {}):
            reply["id"] = message["id"]
        write_message(stdout, reply)


def register(commands) -> None:
    cmd = commands.add_parser("native-host", help=argparse.SUPPRESS,
                              description="The native messaging host (started by the browser).")
    cmd.add_argument("--allow", action="append", default=[], help="an extension id allowed to call")
    cmd.add_argument("--port", type=int, default=DEFAULT_PORT,
                     help="port to start the companion on (0: any free one)")
    cmd.add_argument("browser_args", nargs=argparse.REMAINDER, help="what the browser passes (caller origin or manifest and id)")
    cmd.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return serve(sys.stdin.buffer, sys.stdout.buffer, args.allow, args.browser_args, args.port)
