"""The same extension in Firefox ESR: it installs, pairs through its options page, and
labels posts on a saved X page the way the companion says (puppeteer-core over WebDriver
BiDi, run with node)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "sites"
ARTIFACTS = REPO / "test-artifacts"
FIREFOX = "/usr/bin/firefox-esr"
LABELS = ("self_promotion", "missing_disclosure", "conversational")

pytestmark = pytest.mark.browser


def test_firefox_loads_the_extension_and_labels_a_feed(companion_server):
    assert (HERE / "node_modules" / "puppeteer-core").is_dir(), "run: (cd tests/firefox && npm ci)"
    assert shutil.which("node") and Path(FIREFOX).exists(), "needs node and Debian's firefox-esr"
    feed = json.loads((FIXTURES / "x" / "expected.json").read_text(encoding="utf-8"))["feed.html"]
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "firefox-x-feed.png"
    run = subprocess.run(
        ["node", str(HERE / "smoke.mjs"), str(REPO / "extension"), str(FIXTURES / "x" / "feed.html"),
         feed["url"], str(feed["posts"]), companion_server.base_url, companion_server.token, str(screenshot)],
        cwd=HERE, capture_output=True, text=True, timeout=150)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])

    assert report["installed"] == "campfire@campfire.local"
    assert "Firefox/" in report["userAgent"]
    assert report["status"].startswith("Connected")
    assert [p["id"] for p in report["posts"]] == feed["ids"]

    posts = [{"id": i, "text": t} for i, t in feed["texts"].items()]
    status, _, body = companion_server.request("POST", "/v1/classify", {"posts": posts}, companion_server.auth)
    assert status == 200
    flagged = {r["id"]: [n for n in LABELS if r["labels"][n]["flag"]] for r in body["results"]}
    assert {p["id"]: p["badges"] for p in report["posts"]} == flagged
    assert screenshot.stat().st_size > 10_000
