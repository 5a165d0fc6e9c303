"""axe-core in real Chromium on what Campfire shows: the popup (in each companion state worth
seeing), the options page, the badges on a labelled feed and the compose panel, in light and
dark mode. No serious or critical violation. On the site pages only Campfire's own elements
are checked (the saved pages are the sites' markup, not ours to fix)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, closed_port, expected, wait_for_posts
from test_compose import (PANEL, TEXTAREA_URL, TIE_DRAFT, compose_browser, open_panel,  # noqa: F401
                          paired_compose, wait_for_result)

AXE = REPO / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
FEED = expected("x")["feed.html"]
SERIOUS = ("serious", "critical")
SCHEMES = ["light", "dark"]

RUN_AXE = """async (scope) => {
  const context = scope ? { include: [...document.querySelectorAll(scope)] } : document;
  const result = await axe.run(context, { resultTypes: ['violations'] });
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => [n.target.join(' >>> '), n.failureSummary]) }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE.is_file(), "run: (cd tests/a11y && npm ci)  (scripts/test.sh does)"
    return AXE.read_text(encoding="utf-8")


def serious(page, axe_source: str, scope: str | None = None) -> list[dict]:
    page.evaluate(axe_source)  # through DevTools, so the page's script policy does not apply
    found = page.evaluate(RUN_AXE, scope)
    found = [v for v in found if v["impact"] in SERIOUS]
    for v in found:  # shown when a test fails
        print(v["id"], v["help"], *v["nodes"], sep="\n  ")
    return found


def new_page(browser, scheme: str):
    page = browser.context.new_page()
    page.emulate_media(color_scheme=scheme)
    return page


@pytest.mark.parametrize("scheme", SCHEMES)
def test_popup_and_options_when_connected(paired_compose, axe_source, scheme):
    feed = new_page(paired_compose, scheme)
    feed.goto(FEED["url"])
    wait_for_posts(feed, FEED["posts"])
    tab = paired_compose.tab_id("x")
    popup = new_page(paired_compose, scheme)
    popup.goto(paired_compose.extension_url(f"popup/popup.html?tab={tab}"))
    popup.wait_for_selector("#page-controls:not([hidden])")
    popup.locator("#draft-text").fill(TIE_DRAFT)
    popup.wait_for_function("() => document.getElementById('draft-status').dataset.state === 'done'")
    popup.locator("#about summary").click()
    assert serious(popup, axe_source) == []

    options = new_page(paired_compose, scheme)
    options.goto(paired_compose.extension_url("options/options.html"))
    options.wait_for_selector("body[data-ready='true']")
    options.wait_for_function("() => document.getElementById('status').dataset.state === 'connected'")
    assert serious(options, axe_source) == []


@pytest.mark.parametrize("state", ["down", "unpaired"])
def test_popup_when_it_asks_for_something(compose_browser, companion_server, axe_source, state):
    compose_browser.close_pages()
    url = f"http://127.0.0.1:{closed_port()}" if state == "down" else companion_server.base_url
    compose_browser.reset_settings(companionUrl=url)
    popup = compose_browser.extension_page("popup/popup.html")
    popup.wait_for_function("(s) => document.getElementById('status').dataset.state === s", arg=state)
    popup.fill("#token", "made-up")
    popup.click("#pair-form button")
    popup.wait_for_function("() => document.getElementById('pair-message').textContent !== ''")
    assert serious(popup, axe_source) == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_badges_on_a_labelled_feed(paired_compose, axe_source, scheme):
    page = new_page(paired_compose, scheme)
    page.goto(FEED["url"])
    wait_for_posts(page, FEED["posts"])
    page.wait_for_function("() => [...document.querySelectorAll('[data-campfire-badges]')]"
                           ".some((h) => h.shadowRoot.querySelector('.badge'))")
    assert page.locator("[data-campfire-badges]").count() > 0
    assert serious(page, axe_source, "[data-campfire-badges]") == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_compose_badge_and_panel(paired_compose, axe_source, scheme):
    page = new_page(paired_compose, scheme)
    page.set_viewport_size({"width": 900, "height": 700})
    page.goto(TEXTAREA_URL)
    page.locator("textarea").click()
    page.locator("textarea").press_sequentially(TIE_DRAFT)
    wait_for_result(page)
    open_panel(page)
    assert serious(page, axe_source, "[data-campfire-compose]") == []
    # The check does look inside the shadow root: a nameless button there is caught.
    page.evaluate("() => document.querySelector('[data-campfire-compose]').shadowRoot"
                  ".querySelector('.panel').append(document.createElement('button'))")
    assert "button-name" in [v["id"] for v in serious(page, axe_source, "[data-campfire-compose]")]
