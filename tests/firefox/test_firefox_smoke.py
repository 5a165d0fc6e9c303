"""The same extension in Firefox ESR: it installs, pairs through its options page, labels
posts on a saved X page the way the companion says, and labels a Mastodon instance the user
adds on the options page (puppeteer-core over WebDriver BiDi, run with node)."""
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


def page_info(site: str, name: str) -> dict:
    return json.loads((FIXTURES / site / "expected.json").read_text(encoding="utf-8"))[name]


def flags(companion, texts: dict[str, str]) -> dict[str, list[str]]:
    posts = [{"id": i, "text": t} for i, t in texts.items()]
    status, _, body = companion.request("POST", "/v1/classify", {"posts": posts}, companion.auth)
    assert status == 200, body
    return {r["id"]: [n for n in LABELS if r["labels"][n]["flag"]] for r in body["results"]}


def test_firefox_loads_the_extension_labels_a_feed_and_an_added_instance(companion_server):
    assert (HERE / "node_modules" / "puppeteer-core").is_dir(), "run: (cd tests/firefox && npm ci)"
    assert shutil.which("node") and Path(FIREFOX).exists(), "needs node and Debian's firefox-esr"
    feed = page_info("x", "feed.html")
    mastodon = page_info("mastodon", "feed.html")
    instance_url = mastodon["also_at"][0]
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "firefox-x-feed.png"
    config = {
        "extension": str(REPO / "extension"), "companionUrl": companion_server.base_url,
        "token": companion_server.token, "screenshot": str(screenshot),
        "page": {"fixture": str(FIXTURES / "x" / "feed.html"), "url": feed["url"], "posts": feed["posts"]},
        "instance": {"host": instance_url.split("/")[2], "fixture": str(FIXTURES / "mastodon" / "feed.html"),
                     "url": instance_url, "posts": mastodon["posts"]},
    }
    run = subprocess.run(["node", str(HERE / "smoke.mjs"), json.dumps(config)],
                         cwd=HERE, capture_output=True, text=True, timeout=150)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])

    assert report["installed"] == "campfire@campfire.local"
    assert "Firefox/" in report["userAgent"]
    assert report["status"].startswith("Connected")
    assert report["siteSwitches"] == len([p for p in (REPO / "extension" / "sites").glob("*.js") if p.name != "index.js"])
    assert [p["id"] for p in report["posts"]] == feed["ids"]
    assert {p["id"]: p["badges"] for p in report["posts"]} == flags(companion_server, feed["texts"])
    assert [p["id"] for p in report["instancePosts"]] == mastodon["ids"]
    assert screenshot.stat().st_size > 10_000
