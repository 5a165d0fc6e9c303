"""When the companion is down or Campfire is not paired, the page stays exactly as the site
made it: no attribute, no node, no style, until the companion answers."""
from __future__ import annotations

import pytest

from conftest import CONTROL_ORIGIN, closed_port, expected, wait_for_posts

FEED = expected("x")["feed.html"]
# Records every change to the page from DOMContentLoaded on (content scripts run after it).
WATCH_MUTATIONS = """
window.__mutations = [];
document.addEventListener('DOMContentLoaded', () => {
  new MutationObserver((records) => window.__mutations.push(...records.map((r) =>
    `${r.type} ${r.target.nodeName} ${r.attributeName || ''}`)))
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
});
"""


def open_watched(browser, url: str):
    page = browser.context.new_page()
    page.add_init_script(WATCH_MUTATIONS)
    page.goto(url)
    return page


def failure_seen_by_content_script(browser) -> dict:
    """Waits until the page's content script has asked for labels and been refused."""
    tab = browser.tab_id("x")
    return browser.worker.evaluate("""async (tab) => {
        for (let i = 0; i < 100; i++) {
            const answer = await chrome.tabs.sendMessage(tab, {type: CampfireMessages.MSG.PAGE_COUNTS})
                .catch(() => null);
            if (answer?.value?.error) return answer.value.error;
            await new Promise((r) => setTimeout(r, 100));
        }
        return null;
    }""", tab)


def assert_untouched(browser, page) -> None:
    control = browser.open(f"{CONTROL_ORIGIN}/x/feed.html")
    assert page.evaluate("window.__mutations") == []
    assert page.evaluate("document.documentElement.outerHTML") == \
        control.evaluate("document.documentElement.outerHTML")


@pytest.mark.parametrize("conversation_first", [False, True])
def test_companion_down_leaves_the_page_as_the_site_made_it(clean_browser, conversation_first):
    clean_browser.reset_settings(companionUrl=f"http://127.0.0.1:{closed_port()}", token="some-token",
                                 conversationFirst=conversation_first)
    page = open_watched(clean_browser, FEED["url"])
    error = failure_seen_by_content_script(clean_browser)
    assert error["state"] == "down"
    assert "campfire serve" in error["message"]
    assert_untouched(clean_browser, page)


@pytest.mark.parametrize("token, state", [("", "unpaired"), ("wrong-token", "wrong_token")])
def test_unpaired_leaves_the_page_alone_until_paired(clean_browser, companion_server, token, state):
    clean_browser.reset_settings(companionUrl=companion_server.base_url, token=token)
    page = open_watched(clean_browser, FEED["url"])
    assert failure_seen_by_content_script(clean_browser)["state"] == state
    assert_untouched(clean_browser, page)

    # Pairing while the page is open labels it without a reload.
    clean_browser.save_settings(token=companion_server.token)
    wait_for_posts(page, FEED["posts"])
