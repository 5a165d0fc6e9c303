"""The extension in German: a browser whose language is German gets Campfire's words from
_locales/de (the popup's status line, the draft box, the options page), English elsewhere."""
from __future__ import annotations

import json

import pytest

from conftest import CHROMIUM, EXTENSION, TIMEOUT_MS, closed_port, extension_id

GERMAN = json.loads((EXTENSION / "_locales" / "de" / "messages.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def german(playwright, tmp_path_factory):
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-de")), executable_path=CHROMIUM, headless=True, locale="de-DE",
        args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}", "--lang=de",
              "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run"])
    context.set_default_timeout(TIMEOUT_MS)
    worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
    worker.evaluate("(url) => CampfireSettings.save({companionUrl: url})", f"http://127.0.0.1:{closed_port()}")
    yield context
    context.close()


def test_the_popup_speaks_german(german):
    popup = german.new_page()
    popup.goto(f"chrome-extension://{extension_id()}/popup/popup.html")
    popup.wait_for_function("() => document.getElementById('status').dataset.state === 'down'")
    assert popup.evaluate("() => document.documentElement.lang") == "de"
    status = popup.locator("#status").text_content()
    assert status == GERMAN["status_down"]["message"] + " " + \
        GERMAN["status_down_hint"]["message"].replace("$1", "campfire native install")
    assert popup.locator("#draft-title").text_content() == GERMAN["draft_title"]["message"]
    assert popup.locator("#pair-form button").text_content() == GERMAN["pair_button"]["message"]


def test_the_options_page_speaks_german(german):
    options = german.new_page()
    options.goto(f"chrome-extension://{extension_id()}/options/options.html")
    options.wait_for_selector("body[data-ready='true']")
    assert options.title() == GERMAN["options_title"]["message"]
    legend = options.locator('fieldset[data-label="self_promotion"] legend').text_content()
    assert legend == GERMAN["label_self_promotion"]["message"]
    assert options.locator('fieldset[data-label="self_promotion"] option[value="hide"]').text_content() == \
        GERMAN["action_hide"]["message"]
