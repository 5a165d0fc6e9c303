"""What people read: the popup's one status line in each companion state, the options page's
paired state and its single way of saving, in light and dark mode, with screenshots of each
in test-artifacts/ (the tests read the status text; the pictures are for people)."""
from __future__ import annotations

import pytest

from conftest import ARTIFACTS, closed_port

SCHEMES = ["light", "dark"]
STATUS_LINES = {
    "connected": "Connected.",
    "down": "Companion not running. Run campfire native install once and your browser starts it by itself (or start it in a terminal: campfire serve).",
    "unpaired": "Not paired yet. Run campfire native install once and Campfire pairs by itself (or paste the token that campfire pair shows).",
    "wrong_token": "Wrong token. The companion refused it. Run campfire pair and paste the token it shows.",
}


def open_in(browser, path: str, scheme: str):
    page = browser.context.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(browser.extension_url(path))
    page.wait_for_function("() => document.getElementById('status').dataset.state !== 'checking'")
    return page


def background(page, selector: str = "body") -> str:
    return page.locator(selector).evaluate("(el) => getComputedStyle(el).backgroundColor")


def settings_for(state: str, companion) -> dict:
    if state == "down":
        return {"companionUrl": f"http://127.0.0.1:{closed_port()}"}
    token = {"connected": companion.token, "unpaired": "", "wrong_token": "stale-token"}[state]
    return {"companionUrl": companion.base_url, "token": token}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("state", list(STATUS_LINES))
def test_popup_says_each_state_in_one_line(clean_browser, companion_server, state, scheme):
    clean_browser.reset_settings(**settings_for(state, companion_server))
    popup = open_in(clean_browser, "popup/popup.html", scheme)
    status = popup.locator("#status")
    assert status.get_attribute("data-state") == state
    assert status.text_content() == STATUS_LINES[state]
    # The model's name is only in the About corner, closed until asked for.
    assert "minilm" not in popup.locator("body").inner_text().lower()
    assert popup.locator("#pair-form").is_visible() == (state in ("unpaired", "wrong_token", "down"))
    dark = scheme == "dark"
    assert (background(popup) == "rgb(13, 17, 23)") == dark
    ARTIFACTS.mkdir(exist_ok=True)
    popup.locator("body").screenshot(path=str(ARTIFACTS / f"popup-{state}-{scheme}.png"))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_options_show_the_paired_state_and_save_on_change(clean_browser, companion_server, scheme):
    clean_browser.reset_settings(**settings_for("connected", companion_server))
    options = open_in(clean_browser, "options/options.html", scheme)
    options.wait_for_selector("body[data-ready='true']")
    assert options.locator("#status").text_content() == "Connected."
    assert options.locator("#paired").is_visible() and not options.locator("#pair-form").is_visible()
    assert options.locator("#paired-text").text_content().startswith("Paired")
    # One way of saving: no save buttons; the note says a change was kept.
    assert options.locator("button", has_text="Save").count() == 0
    options.select_option('fieldset[data-label="conversational"] select.action', "dim")
    options.wait_for_function("() => document.getElementById('saved').textContent === 'Saved'")
    stored = clean_browser.worker.evaluate("async () => (await CampfireSettings.load()).labels.conversational.action")
    assert stored == "dim"
    assert (background(options, "section >> nth=0") == "rgb(13, 17, 23)") == (scheme == "dark")
    options.screenshot(path=str(ARTIFACTS / f"options-{scheme}.png"), full_page=True)

    options.click("#replace-token")
    assert options.locator("#pair-form").is_visible()
    assert options.evaluate("() => document.activeElement.id") == "token"
