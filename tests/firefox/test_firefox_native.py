"""Firefox ESR with the built .xpi and the native messaging host registered in a temporary
HOME (~/.mozilla/native-messaging-hosts/): the add-on loads from the .xpi, the welcome page
turns green by itself (the host starts the companion and hands over its port and token:
nothing typed), and a saved X feed gets badges."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from companion import runstate
from companion.pairing import CONFIG_DIR_ENV, TokenStore

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "sites"
ARTIFACTS = REPO / "test-artifacts"
FIREFOX = "/usr/bin/firefox-esr"

pytestmark = pytest.mark.browser
sys.path.insert(0, str(REPO / "scripts"))
import build_extension  # noqa: E402


def test_the_xpi_installs_and_pairs_itself_through_the_native_host(tmp_path):
    assert (HERE / "node_modules" / "puppeteer-core").is_dir(), "run: (cd tests/firefox && npm ci)"
    assert shutil.which("node") and Path(FIREFOX).exists(), "needs node and Debian's firefox-esr"
    xpi = build_extension.build(tmp_path / "dist")["firefox"]
    home, config_dir = tmp_path / "home", tmp_path / "config"
    env = {**os.environ, "HOME": str(home), CONFIG_DIR_ENV: str(config_dir), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "companion", "native", "install", "--browser", "firefox",
                    "--port", "0"], env=env, check=True, capture_output=True, cwd=REPO)
    host = json.loads((home / ".mozilla/native-messaging-hosts/campfire.companion.json").read_text())
    assert host["allowed_extensions"] == ["campfire@campfire.local"]
    feed = json.loads((FIXTURES / "x" / "expected.json").read_text(encoding="utf-8"))["feed.html"]
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "firefox-welcome-paired.png"
    config = {"xpi": str(xpi), "home": str(home), "screenshot": str(screenshot),
              "page": {"fixture": str(FIXTURES / "x" / "feed.html"), "url": feed["url"],
                       "posts": feed["posts"]}}
    try:
        run = subprocess.run(["node", str(HERE / "native.mjs"), json.dumps(config)],
                             cwd=HERE, capture_output=True, text=True, timeout=180)
        assert run.returncode == 0, run.stderr[-3000:]
        report = json.loads(run.stdout.strip().splitlines()[-1])
        assert report["installed"] == "campfire@campfire.local"
        assert report["steps"] == {"installed": True, "running": True, "paired": True}
        assert [p["id"] for p in report["posts"]] == feed["ids"]
        assert any(p["badges"] for p in report["posts"])
        assert TokenStore(config_dir).current()  # made by the companion the host started
        assert screenshot.stat().st_size > 10_000
    finally:
        state = runstate.read(config_dir)
        if state:
            os.kill(state["pid"], signal.SIGTERM)
