"""The native messaging host, spoken to the way a browser does: length-prefixed JSON over a
real `campfire native-host` subprocess. It finds a running companion through companion.json,
starts one (detached, so it outlives the host) when none answers, and answers only the ids
it was told to allow."""
from __future__ import annotations

import io
import json
import os
import signal
import struct
import subprocess
import sys
import time

import pytest

from companion import native_host, runstate
from companion.pairing import CONFIG_DIR_ENV, TokenStore
from companion_harness import REPO, running_companion

CHROMIUM_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/"


def frame(message) -> bytes:
    body = json.dumps(message).encode()
    return struct.pack("=I", len(body)) + body


def replies(raw: bytes) -> list[dict]:
    out, stream = [], io.BytesIO(raw)
    while (message := native_host.read_message(stream)) is not None:
        out.append(message)
    return out


def run_host(config_dir, messages, *browser_args, allow=("abcdefghijklmnopabcdefghijklmnop",), raw=b""):
    env = {**os.environ, CONFIG_DIR_ENV: str(config_dir), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "companion", "native-host", "--port=0",
               *[f"--allow={a}" for a in allow], *browser_args]
    done = subprocess.run(command, input=b"".join(map(frame, messages)) + raw, env=env,
                          capture_output=True, timeout=90, cwd=REPO)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return replies(done.stdout)


def test_frames_round_trip_and_bad_frames_get_errors_not_crashes(tmp_path):
    out = io.BytesIO()
    native_host.write_message(out, {"type": "status", "text": "héllo"})
    assert native_host.read_message(io.BytesIO(out.getvalue())) == {"type": "status", "text": "héllo"}
    assert native_host.read_message(io.BytesIO(b"\x01\x00")) is None  # cut short: end of input
    with pytest.raises(native_host.HostError, match="UTF-8 JSON"):
        native_host.read_message(io.BytesIO(struct.pack("=I", 3) + b"{x}"))
    with pytest.raises(native_host.HostError, match="at most"):
        native_host.read_message(io.BytesIO(struct.pack("=I", 50_000_000)))
    answers = run_host(tmp_path, [{"type": "launch-missiles", "id": 7}, ["not", "an", "object"]],
                       CHROMIUM_ORIGIN)
    assert answers == [
        {"ok": False, "error": {"code": "unknown_type", "message": "unknown message type: 'launch-missiles'"}, "id": 7},
        {"ok": False, "error": {"code": "bad_message", "message": "a message must be a JSON object"}},
    ]


def test_a_caller_the_host_was_not_told_to_allow_gets_nothing(tmp_path):
    TokenStore(tmp_path).load_or_create()
    for args in (["chrome-extension://pppppppppppppppppppppppppppppppp/"],
                 [str(tmp_path / "host.json"), "someone-else@example.org"]):
        [answer] = run_host(tmp_path, [{"type": "status"}], *args)
        assert answer["ok"] is False and answer["error"]["code"] == "forbidden_caller"
        assert "token" not in json.dumps(answer)


def test_status_finds_the_running_companion_and_connect_does_not_start_a_second(tmp_path):
    assert run_host(tmp_path, [{"type": "status"}], CHROMIUM_ORIGIN)[0]["running"] is False
    with running_companion(tmp_path) as companion:
        assert runstate.read(tmp_path)["port"] == companion.port
        # Firefox names the manifest and the add-on id instead of an origin
        answers = run_host(tmp_path, [{"type": "status"}, {"type": "connect"}],
                           str(tmp_path / "campfire.companion.json"), "campfire@campfire.local",
                           allow=("campfire@campfire.local",))
        for answer in answers:
            assert answer["ok"] and answer["running"]
            assert (answer["port"], answer["token"]) == (companion.port, companion.token)
            assert answer["started"] is False
    assert not runstate.path(tmp_path).exists()  # removed at exit


def test_connect_starts_a_companion_that_outlives_the_host_and_restarts_it_after_a_kill(tmp_path):
    started = []
    try:
        for _ in range(2):
            [answer] = run_host(tmp_path, [{"type": "connect"}], CHROMIUM_ORIGIN)
            assert answer["ok"] and answer["started"] is True
            state = runstate.read(tmp_path)
            started.append(state["pid"])
            assert state["port"] == answer["port"]
            assert answer["token"] == TokenStore(tmp_path).current() != ""
            # the host has exited; the companion it started still answers
            assert native_host.health(answer["port"]) is not None
            os.kill(state["pid"], signal.SIGKILL)  # a crash: companion.json is left behind, stale
            deadline = time.monotonic() + 10
            while runstate.pid_alive(state["pid"]) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert runstate.read(tmp_path) is None  # a stale file reads as no companion
        assert started[0] != started[1]
    finally:
        for pid in started:
            if runstate.pid_alive(pid):
                os.kill(pid, signal.SIGTERM)


def test_the_caller_is_read_the_way_each_browser_names_it():
    chrome_on_windows = ["chrome-extension://abcdefghijklmnopabcdefghijklmnop/", "--parent-window=0"]
    assert native_host.caller(chrome_on_windows) == "abcdefghijklmnopabcdefghijklmnop"
    assert native_host.caller(["/home/u/.mozilla/native-messaging-hosts/campfire.companion.json",
                               "campfire@campfire.local"]) == "campfire@campfire.local"
    assert native_host.caller([]) is None
