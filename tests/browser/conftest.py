"""Real headless Chromium with the unpacked extension, one browser per test module.

Saved site pages are served at their real URLs through `context.route`, so the manifest's
own match patterns decide where the content scripts run; nothing reaches a live site. The
companion is the real `campfire serve` process (`companion_server`, tests/conftest.py).

- `launch(playwright, profile)`: the same for a profile folder the caller prepared.
- `browser` (module): a `Browser` — `.context`, `.worker` (the service worker),
  `.extension_id`, `.reset_settings(**patch)`, `.open(url)`, `.extension_page(path)`,
  `.tab_id(url)`, `.wait_until_idle()`.
- `feed(page)` helpers: `post_states(page)` reads what Campfire did to each post
  (seen id, action, badges in its shadow root); `wait_for_posts(page, n)`.
- `FIXTURES`, `expected(site)`, `ARTIFACTS` (screenshots for people to look at).
"""
from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Worker, sync_playwright

from companion.extension_files import extension_ids

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "extension"
FIXTURES = REPO / "tests" / "fixtures" / "sites"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Pages served here are the same fixture files at a host no content script matches: what the
# page looks like without Campfire.
CONTROL_ORIGIN = "https://control.campfire.test"
STAND_IN_IMAGE = (b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
                  b'<rect width="40" height="40" fill="#cfd9de"/></svg>')
STAND_IN_EMOJI = (b'<svg xmlns="http://www.w3.org/2000/svg" width="36" height="36">'
                  b'<circle cx="18" cy="18" r="17" fill="#ffcc4d"/></svg>')
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


def extension_id() -> str:
    """Chromium's id for the manifest's `key` (as the companion's native host allows it)."""
    return extension_ids(EXTENSION)["chromium"]


def expected(site: str) -> dict:
    return json.loads((FIXTURES / site / "expected.json").read_text(encoding="utf-8"))


def fixture_pages() -> dict[str, Path]:
    """Every fixture page with a `url` in its site's expected.json, by that URL."""
    pages = {}
    for listing in FIXTURES.glob("*/expected.json"):
        for name, info in json.loads(listing.read_text(encoding="utf-8")).items():
            if "url" in info:
                pages[info["url"]] = listing.parent / name
    return pages


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(route, pages: dict[str, Path]) -> None:
    request = route.request
    url = request.url.split("#")[0]
    if url in pages:
        route.fulfill(path=str(pages[url]), content_type="text/html; charset=utf-8")
    elif url.startswith(CONTROL_ORIGIN + "/"):
        path = FIXTURES / url[len(CONTROL_ORIGIN) + 1:]
        route.fulfill(path=str(path), content_type="text/html; charset=utf-8")
    elif request.resource_type == "image":
        body = STAND_IN_EMOJI if "/emoji/" in url else STAND_IN_IMAGE
        route.fulfill(body=body, content_type="image/svg+xml")
    else:
        route.abort()


@dataclass
class Browser:
    context: BrowserContext
    worker: Worker
    extension_id: str

    def reset_settings(self, **patch) -> dict:
        """Fresh defaults plus `patch`, saved through the extension's own settings code."""
        return self.worker.evaluate(
            "async (patch) => { await chrome.storage.local.clear();"
            " return CampfireSettings.save(patch); }", patch)

    def save_settings(self, **patch) -> dict:
        return self.worker.evaluate("(patch) => CampfireSettings.save(patch)", patch)

    def open(self, url: str) -> Page:
        page = self.context.new_page()
        page.goto(url)
        return page

    def extension_url(self, path: str) -> str:
        return f"chrome-extension://{self.extension_id}/{path}"

    def extension_page(self, path: str) -> Page:
        return self.open(self.extension_url(path))

    def tab_id(self, site: str) -> int:
        """The tab whose content script reads `site` (the extension may not see tab URLs)."""
        return self.worker.evaluate("""async (site) => {
            for (let i = 0; i < 50; i++) {
                for (const tab of await chrome.tabs.query({})) {
                    const answer = await chrome.tabs.sendMessage(tab.id,
                        {type: CampfireMessages.MSG.PAGE_COUNTS}).catch(() => null);
                    if (answer?.value?.site === site) return tab.id;
                }
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            throw new Error(`no tab reads ${site}`);
        }""", site)

    def close_pages(self) -> None:
        for page in self.context.pages:
            page.close()


@pytest.fixture(scope="session")
def playwright():
    with sync_playwright() as pw:
        yield pw


def launch(playwright, profile: Path) -> Browser:
    """Chromium with the extension on `profile` (a user-data-dir the caller may have prepared,
    e.g. with a NativeMessagingHosts/ folder); close it with `.context.close()`."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True,
        viewport={"width": 1000, "height": 1600},
        args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}",
              "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run"])
    context.set_default_timeout(TIMEOUT_MS)
    pages = fixture_pages()
    context.route("https://**/*", lambda route: _serve(route, pages))
    worker = context.service_workers[0] if context.service_workers else \
        context.wait_for_event("serviceworker")
    assert worker.url == f"chrome-extension://{extension_id()}/background/worker.js"
    return Browser(context, worker, extension_id())


@pytest.fixture(scope="module")
def browser(playwright, tmp_path_factory) -> Browser:
    launched = launch(playwright, tmp_path_factory.mktemp("chromium-profile"))
    yield launched
    launched.context.close()


@pytest.fixture
def clean_browser(browser):
    """The module's browser with default settings and no pages left from the last test."""
    browser.close_pages()
    browser.reset_settings()
    yield browser
    browser.close_pages()


@pytest.fixture
def paired(clean_browser, companion_server) -> Browser:
    clean_browser.reset_settings(companionUrl=companion_server.base_url, token=companion_server.token)
    return clean_browser


POST_STATES_JS = """
(selector) => [...document.querySelectorAll(selector)].map((post) => {
  const host = post.querySelector('[data-campfire-badges]');
  const root = host && host.shadowRoot;
  const badges = root ? [...root.querySelectorAll('.badge')].map((b) => ({
    label: b.dataset.label, text: b.textContent })) : [];
  const toggle = root && root.querySelector('button.toggle');
  const rect = post.getBoundingClientRect();
  return {
    seen: post.getAttribute('data-campfire-seen'),
    action: post.getAttribute('data-campfire-action'),
    badges,
    toggle: toggle ? toggle.textContent : null,
    note: root && root.querySelector('.note') ? root.querySelector('.note').textContent : null,
    visible: rect.height > 0 && getComputedStyle(post).display !== 'none',
    opacity: Number(getComputedStyle(post).opacity),
    top: rect.top + window.scrollY,
  };
})
"""


def post_states(page: Page, selector: str) -> list[dict]:
    return page.evaluate(POST_STATES_JS, selector)


def wait_for_posts(page: Page, count: int) -> None:
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-campfire-seen]').length >= n", arg=count)
