"""The toolbar popup, opened as a page in the extension's origin: companion status (not
running, not paired, connected), pairing with the token, this page's counts and switches."""
from __future__ import annotations

from conftest import ARTIFACTS, CONTROL_ORIGIN, closed_port, expected, post_states, wait_for_posts

FEED = expected("x")["feed.html"]
POST = 'article[data-testid="tweet"]'


def open_popup(browser, site: str | None = None):
    query = f"?tab={browser.tab_id(site)}" if site else ""
    popup = browser.extension_page(f"popup/popup.html{query}")
    # Arrow functions: an extension page's CSP refuses the eval a string predicate needs.
    popup.wait_for_function("() => document.getElementById('status').dataset.state !== 'checking'")
    return popup


def screenshot(popup, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    popup.locator("body").screenshot(path=str(ARTIFACTS / name))


def stored_token(browser) -> str:
    return browser.worker.evaluate("async () => (await CampfireSettings.load()).token")


def test_not_running_names_the_command_that_starts_the_companion(clean_browser):
    clean_browser.reset_settings(companionUrl=f"http://127.0.0.1:{closed_port()}")
    popup = open_popup(clean_browser)
    assert popup.locator("#status").get_attribute("data-state") == "down"
    assert popup.locator("#status").text_content() == "Companion not running. Run campfire native install once and your browser starts it by itself (or start it in a terminal: campfire serve)."
    assert popup.locator("#status code").text_content() == "campfire native install"
    assert popup.locator("#pair-form").is_visible()  # no token yet: it can be pasted now
    screenshot(popup, "popup-not-running.png")


def test_a_token_pasted_while_the_companion_is_down_is_kept_and_said_to_be_unchecked(clean_browser):
    clean_browser.reset_settings(companionUrl=f"http://127.0.0.1:{closed_port()}")
    popup = open_popup(clean_browser)
    popup.fill("#token", "made-up-token")
    popup.click("#pair-form button")
    popup.wait_for_function("() => document.getElementById('pair-message').textContent !== ''")
    assert popup.locator("#pair-message").text_content().startswith("Token kept, but not checked")
    assert popup.locator("#status").text_content().startswith("Companion not running.")
    assert stored_token(clean_browser) == "made-up-token"


def test_a_wrong_token_is_told_apart_from_not_paired_and_not_running(clean_browser, companion_server):
    clean_browser.reset_settings(companionUrl=companion_server.base_url, token="stale-token")
    popup = open_popup(clean_browser)
    assert popup.locator("#status").get_attribute("data-state") == "wrong_token"
    assert popup.locator("#status").text_content() == \
        "Wrong token. The companion refused it. Run campfire pair and paste the token it shows."
    assert popup.locator("#pair-form").is_visible()
    popup.locator("#draft-text").fill("Has anyone tried a standing desk?")
    popup.wait_for_function("() => document.getElementById('draft-status').dataset.state === 'error'")
    assert popup.locator("#draft-status").text_content().startswith("Wrong token.")
    screenshot(popup, "popup-wrong-token.png")


def test_pairing_takes_the_token_campfire_serve_printed_and_refuses_another(clean_browser, companion_server):
    clean_browser.reset_settings(companionUrl=companion_server.base_url)
    popup = open_popup(clean_browser)
    assert popup.locator("#status").text_content() == "Not paired yet. Run campfire native install once and Campfire pairs by itself (or paste the token that campfire pair shows)."
    screenshot(popup, "popup-not-paired.png")

    popup.fill("#token", "not-the-token")
    popup.click("#pair-form button")
    popup.wait_for_function("() => document.getElementById('pair-message').textContent !== ''")
    assert "refused this token" in popup.locator("#pair-message").text_content()
    assert stored_token(clean_browser) == ""

    popup.fill("#token", f"  {companion_server.token}\n")
    popup.click("#pair-form button")
    popup.wait_for_function("() => document.getElementById('status').dataset.state === 'connected'")
    _, _, health = companion_server.request("GET", "/v1/health")
    model = health["model"]
    assert popup.locator("#status").text_content() == "Connected."  # one line, no model name...
    assert model["name"] in popup.locator("#about-text").text_content()  # ...which is in About
    assert popup.locator("#pair-message").text_content() == "Paired."
    assert not popup.locator("#pair-form").is_visible()
    assert stored_token(clean_browser) == companion_server.token


def page_dom(page) -> str:
    return page.evaluate("document.documentElement.outerHTML")


def test_counts_and_switches_for_the_current_tab(paired):
    page = paired.open(FEED["url"])
    wait_for_posts(page, FEED["posts"])
    popup = open_popup(paired, "x")
    popup.wait_for_selector("#page-controls:not([hidden])")
    assert popup.locator("#page-summary").text_content() == \
        f"X: {FEED['posts']} of {FEED['posts']} posts checked."
    badges = [b["label"] for s in post_states(page, POST) for b in s["badges"]]
    for name, title in [("self_promotion", "Self-promotion"), ("missing_disclosure", "Endorsement without disclosure"),
                        ("conversational", "Conversation")]:
        shown = popup.locator(f'#counts li[data-count="{title}"] .n').text_content()
        assert shown == str(badges.count(name)), name
    screenshot(popup, "popup-connected.png")

    popup.check("#conversation-first")
    page.wait_for_selector("[data-campfire-order]", state="attached")

    popup.uncheck("#site-enabled")
    page.wait_for_function("() => !document.querySelector('[data-campfire-seen], [data-campfire-order]')")
    control = paired.open(f"{CONTROL_ORIGIN}/x/feed.html")
    assert page_dom(page) == page_dom(control)
    popup.wait_for_function("() => document.getElementById('page-summary').textContent.includes('off')")

    popup.check("#site-enabled")
    wait_for_posts(page, FEED["posts"])
    assert [b["label"] for s in post_states(page, POST) for b in s["badges"]] == badges
