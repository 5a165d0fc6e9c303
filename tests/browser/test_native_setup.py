"""Set-up as a person does it, in real Chromium: a fresh install opens the welcome page; once
the native messaging host is registered for the profile (Chromium reads
<user-data-dir>/NativeMessagingHosts/), the extension starts the companion through it and
pairs itself (no token typed), badges a feed; after the companion is killed, the next page
load brings it back (on another port) through the host, and after `campfire pair --rotate`
the next page load pairs again. Screenshots of the welcome page
at each step go to test-artifacts/."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from companion import runstate
from companion.pairing import CONFIG_DIR_ENV, TokenStore
from conftest import ARTIFACTS, REPO, expected, launch, post_states, wait_for_posts

FEED = expected("x")["feed.html"]
LABELS = json.loads((REPO / "models" / "labels.json").read_text(encoding="utf-8"))["labels"]
POST = 'article[data-testid="tweet"]'
STEP_STATE = """() => Object.fromEntries([...document.querySelectorAll('[data-step]')]
    .map((li) => [li.dataset.step, li.dataset.done === 'true']))"""


def register_host(profile, config_dir) -> dict:
    env = {**os.environ, CONFIG_DIR_ENV: str(config_dir), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "companion", "native", "install", "--browser", "chromium",
                    "--dir", str(profile / "NativeMessagingHosts"), "--port", "0"],
                   env=env, check=True, capture_output=True, cwd=REPO)
    return json.loads((profile / "NativeMessagingHosts" / "campfire.companion.json").read_text())


def wait_for_companion(config_dir, other_than=None, timeout=60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = runstate.read(config_dir)
        if state and state["pid"] != other_than:
            return state
        time.sleep(0.1)
    raise AssertionError("no companion started")


@pytest.fixture
def setup_browser(playwright, tmp_path):
    profile, config_dir = tmp_path / "profile", tmp_path / "config"
    profile.mkdir()
    browser = launch(playwright, profile)
    yield browser, profile, config_dir
    browser.context.close()
    state = runstate.read(config_dir)
    if state:  # the companion the host started is detached: stop it ourselves
        os.kill(state["pid"], signal.SIGTERM)


def welcome_page(browser):
    """The tab the extension opened on install."""
    url = browser.extension_url("welcome/welcome.html")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for page in browser.context.pages:
            if page.url == url:
                return page
        browser.worker.evaluate("() => new Promise((resolve) => setTimeout(resolve, 100))")  # lets Playwright see new tabs
    raise AssertionError("the welcome page did not open on install")


def test_fresh_install_pairs_itself_through_the_native_host_and_restarts_the_companion(setup_browser):
    browser, profile, config_dir = setup_browser
    ARTIFACTS.mkdir(exist_ok=True)
    welcome = welcome_page(browser)
    welcome.bring_to_front()
    welcome.wait_for_selector("body[data-ready='true']")
    welcome.wait_for_function("() => document.querySelector('[data-step=installed] .detail').textContent !== 'Checking…'")
    assert welcome.evaluate(STEP_STATE) == {"installed": False, "running": False, "paired": False}
    command = welcome.text_content("[data-step=installed] code")
    assert command.endswith("campfire native install")
    welcome.screenshot(path=str(ARTIFACTS / "welcome-1-not-installed.png"), full_page=True)
    # with no companion yet, the settings show the shipped model's real thresholds
    options = browser.extension_page("options/options.html")
    options.wait_for_selector("body[data-ready='true']")
    shown = options.eval_on_selector_all(".label", """(sets) => Object.fromEntries(sets.map((s) =>
        [s.dataset.label, [s.querySelector('.threshold-value').textContent, s.querySelector('.threshold').value]]))""")
    assert shown == {label["name"]: [f"{round(label['threshold'] * 100)}% (the model's)",
                                     str(round(label["threshold"] * 100))] for label in LABELS}
    options.close()

    host = register_host(profile, config_dir)
    assert host["allowed_origins"] == [f"chrome-extension://{browser.extension_id}/"]
    welcome.wait_for_function("() => document.querySelector('[data-step=installed]').dataset.done === 'true'",
                              timeout=30_000)
    welcome.screenshot(path=str(ARTIFACTS / "welcome-2-installed.png"), full_page=True)
    welcome.wait_for_selector("body[data-complete='true']", timeout=60_000)
    assert welcome.evaluate(STEP_STATE) == {"installed": True, "running": True, "paired": True}
    welcome.screenshot(path=str(ARTIFACTS / "welcome-3-paired.png"), full_page=True)

    first = wait_for_companion(config_dir)
    settings = browser.worker.evaluate("() => CampfireSettings.load()")
    # nobody typed it: the extension got the companion's own token and port from the host
    assert settings["token"] == TokenStore(config_dir).current() != ""
    assert settings["companionUrl"] == f"http://127.0.0.1:{first['port']}"

    page = browser.open(FEED["url"])
    wait_for_posts(page, FEED["posts"])
    states = post_states(page, POST)
    assert sum(len(s["badges"]) for s in states) > 0, states
    page.screenshot(path=str(ARTIFACTS / "native-paired-x-feed.png"))
    page.close()

    os.kill(first["pid"], signal.SIGKILL)
    while runstate.pid_alive(first["pid"]):
        time.sleep(0.05)
    page = browser.open(FEED["url"])  # the next page load brings it back through the host
    # (a companion to start and load its model: allow for a busy machine)
    page.wait_for_function(f"""() => [...document.querySelectorAll('{POST}')].some((p) =>
        p.querySelector('[data-campfire-badges]')?.shadowRoot?.querySelector('.badge'))""", timeout=60_000)
    second = wait_for_companion(config_dir, other_than=first["pid"])
    assert browser.worker.evaluate("() => CampfireSettings.load()")["companionUrl"] == \
        f"http://127.0.0.1:{second['port']}"

    # `campfire pair --rotate` revokes the kept token; the next page load gets the new one
    env = {**os.environ, CONFIG_DIR_ENV: str(config_dir), "PYTHONPATH": str(REPO)}
    rotated = subprocess.run([sys.executable, "-m", "companion", "pair", "--rotate", "--quiet"], env=env,
                             check=True, capture_output=True, text=True, cwd=REPO).stdout.strip()
    page.close()
    page = browser.open(FEED["url"])
    page.wait_for_function(f"""() => [...document.querySelectorAll('{POST}')].some((p) =>
        p.querySelector('[data-campfire-badges]')?.shadowRoot?.querySelector('.badge'))""", timeout=60_000)
    assert browser.worker.evaluate("() => CampfireSettings.load()")["token"] == rotated
