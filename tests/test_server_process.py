"""`campfire serve` and `campfire pair` as real processes, talked to over real HTTP."""
import asyncio
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from companion_harness import REPO, campfire_command, raw_exchange, running_companion
from companion.pairing import CONFIG_DIR_ENV
from companion.decision import judge

MARKER = "xk3-PROCESS-MARKER-never-logged-99a"


def test_health_over_http_without_a_token(companion_server, classifier):
    status, headers, body = companion_server.request("GET", "/v1/health")
    assert status == 200
    assert body["status"] == "ok"
    assert body["model"] == {"name": classifier.name, "version": classifier.version}


def test_curl_with_the_token_gets_labels_from_the_real_model(companion_server, classifier):
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    text = "Has anyone tried switching to a standing desk? Worth it?"
    out = subprocess.run(
        [curl, "-sS", "--noproxy", "*", "-H", f"Authorization: Bearer {companion_server.token}",
         "-H", "Content-Type: application/json",
         "-d", json.dumps({"posts": [{"id": "desk", "text": text}]}),
         f"{companion_server.base_url}/v1/classify"],
        capture_output=True, text=True, timeout=30, check=True)
    body = json.loads(out.stdout)
    assert body["results"][0]["id"] == "desk"
    assert body["results"][0]["labels"] == judge(classifier, [text])[0]


def test_every_endpoint_over_http(companion_server):
    auth = companion_server.auth
    posts = {"posts": [{"id": "a", "text": "hello there, how was your weekend?"}]}
    assert companion_server.request("GET", "/v1/labels", headers=auth)[0] == 200
    assert companion_server.request("GET", "/v1/openapi.json", headers=auth)[0] == 200
    assert companion_server.request("POST", "/v1/classify", posts, auth)[0] == 200
    status, _, ranked = companion_server.request("POST", "/v1/rank", posts, auth)
    assert (status, ranked["ranked_ids"]) == (200, ["a"])
    assert companion_server.request("POST", "/v1/check", {"text": "use my code X"}, auth)[0] == 200
    assert companion_server.request("POST", "/v1/classify", posts)[0] == 401
    assert companion_server.request("GET", "/v1/health", headers={"Origin": "https://a.b"})[0] == 403


def test_post_text_stays_out_of_the_process_output(companion_server):
    text = f"Use my code {MARKER} for 20% off"
    status, _, _ = companion_server.request(
        "POST", "/v1/classify", {"posts": [{"id": "m", "text": text}]}, companion_server.auth)
    assert status == 200
    companion_server.request("POST", "/v1/classify", {"posts": [{"id": "m", "text": 1, MARKER: text}]},
                             companion_server.auth)
    companion_server.request("POST", "/v1/check", {"text": text}, companion_server.auth)
    companion_server.request("GET", f"/v1/health?q={MARKER}")
    companion_server.request("GET", f"/v1/{MARKER}", headers=companion_server.auth)  # a bad path
    for malformed in (f"GET /v1/health HTTP/1.1\r\nX-{MARKER}\x01: {MARKER}\r\n\r\n",
                      f"GET /v1/health HTTP/1.1\r\nX-A: {MARKER}{'a' * 9000}\r\n\r\n",
                      "POST /v1/classify HTTP/1.1\r\nContent-Type: application/json\r\n"
                      f'Transfer-Encoding: chunked\r\n\r\nzz\r\n{{"text": "{MARKER}"}}\r\n0\r\n\r\n'):
        answer = asyncio.run(raw_exchange(companion_server.port, malformed.encode()))
        assert answer.status == 400 and answer.body["error"]["code"] == "bad_request"
    time.sleep(0.2)  # the output is read by a thread
    output = companion_server.output()
    assert '"POST /v1/classify" 200' in output  # the access log is there...
    assert '"GET -" 404' in output              # ...an unknown path is logged as "-"
    assert MARKER not in output                          # ...and carries no post text


def test_it_listens_on_loopback_only(companion_server):
    tcp = Path("/proc/net/tcp")
    if not tcp.exists():
        pytest.skip("needs Linux's /proc/net/tcp")
    port_hex = f"{companion_server.port:04X}"
    listening = [line.split()[1] for line in tcp.read_text().splitlines()[1:]
                 if line.split()[3] == "0A" and line.split()[1].endswith(":" + port_hex)]
    assert listening == [f"0100007F:{port_hex}"]  # 127.0.0.1, little-endian


def test_start_up_tells_a_person_what_to_do(companion_server):
    output = companion_server.output()
    assert f"listening on http://127.0.0.1:{companion_server.port}" in output
    for step in ("chrome://extensions", "Developer mode", "Load unpacked",
                 "about:debugging", "manifest.json", companion_server.token):
        assert step in output
    # the real folder to pick, and the one command that makes pairing automatic
    assert f'"Load unpacked" and pick {REPO / "extension"}\n' in output
    assert "campfire native install" in output


# SIGINT is Ctrl-C; that run also starts it as `python -m companion serve`.
@pytest.mark.parametrize("signum, argv", [
    (signal.SIGTERM, None), (signal.SIGINT, [sys.executable, "-m", "companion", "serve", "--port", "0"])])
def test_it_shuts_down_cleanly_on_a_signal(tmp_path, signum, argv):
    with running_companion(tmp_path, argv=argv) as running:
        assert running.request("GET", "/v1/health")[0] == 200
        running.process.send_signal(signum)
        assert running.process.wait(timeout=15) == 0
    assert "stopped" in running.output()
    assert "Traceback" not in running.output()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", running.port)) != 0


def run_pair(config_dir, *args):
    return subprocess.run([*campfire_command(), "pair", *args], cwd=REPO, text=True,
                          capture_output=True, timeout=60, check=True,
                          env={**os.environ, CONFIG_DIR_ENV: str(config_dir)}).stdout


def test_pair_shows_and_rotates_the_token(tmp_path):
    token_file = tmp_path / "token"
    shown = run_pair(tmp_path)
    token = token_file.read_text().strip()
    assert token in shown and "popup" in shown
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert run_pair(tmp_path, "--quiet") == token + "\n"
    rotated = run_pair(tmp_path, "--rotate", "-q").strip()
    assert rotated != token and token_file.read_text().strip() == rotated

