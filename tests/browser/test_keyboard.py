"""Keyboard: the manifest's shortcuts ("Campfire on/off for this site", "Conversation first")
act through the service worker, and every control of the popup and the options page is
reached with Tab and shows where the focus is."""
from __future__ import annotations

import json

import pytest

from conftest import CONTROL_ORIGIN, EXTENSION, expected, wait_for_posts

MANIFEST = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
FEED = expected("x")["feed.html"]


def test_the_manifest_declares_both_commands_and_the_worker_handles_each(browser):
    commands = MANIFEST["commands"]
    # The descriptions people see in the browser's shortcut settings, in its language.
    shown = browser.worker.evaluate("async () => Object.fromEntries((await chrome.commands.getAll())"
                                    ".map((c) => [c.name, c.description]))")
    assert shown["toggle-site"] == "Campfire on/off for this site"
    assert shown["conversation-first"] == "Conversation first on/off"
    assert all(c["suggested_key"]["default"] for c in commands.values())
    assert sorted(browser.worker.evaluate("() => CampfireCommands.NAMES")) == sorted(commands)


def run_command(browser, name: str, tab_id: int):
    return browser.worker.evaluate("([name, tab]) => CampfireCommands.run(name, tab)", [name, tab_id])


def test_the_shortcuts_switch_the_site_and_conversation_first(paired):
    page = paired.open(FEED["url"])
    wait_for_posts(page, FEED["posts"])
    tab = paired.tab_id("x")
    assert run_command(paired, "conversation-first", tab) == {"conversationFirst": True}
    page.wait_for_selector("[data-campfire-order]", state="attached")

    assert run_command(paired, "toggle-site", tab) == {"site": "x", "enabled": False}
    page.wait_for_function("() => !document.querySelector('[data-campfire-seen], [data-campfire-order]')")
    control = paired.open(f"{CONTROL_ORIGIN}/x/feed.html")
    assert page.evaluate("document.documentElement.outerHTML") == \
        control.evaluate("document.documentElement.outerHTML")

    assert run_command(paired, "toggle-site", tab) == {"site": "x", "enabled": True}
    wait_for_posts(page, FEED["posts"])
    assert paired.worker.evaluate("async () => (await CampfireSettings.load()).disabledSites") == []


def test_a_shortcut_on_a_tab_campfire_does_not_read_does_nothing(paired):
    paired.open(f"{CONTROL_ORIGIN}/x/feed.html")
    tab = paired.worker.evaluate("async () => (await chrome.tabs.query({}))"
                                 ".find((t) => !t.url || t.url.includes('control')).id")
    assert run_command(paired, "toggle-site", tab) is None
    assert paired.worker.evaluate("async () => (await CampfireSettings.load()).disabledSites") == []


WALK_JS = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {id: el.id || el.className || el.tagName, key: el.dataset.walkKey,
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0};
}"""
MARK_JS = """() => {
  const all = [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
    .filter((el) => !el.disabled && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
  all.forEach((el, i) => { el.dataset.walkKey = String(i); });
  return all.length;
}"""


def walk(page, steps: int) -> list[dict]:
    page.locator("body").click(position={"x": 1, "y": 1})
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(WALK_JS))
    return [s for s in seen if s]


@pytest.mark.parametrize("path", ["popup/popup.html", "options/options.html"])
def test_every_control_is_reached_by_tab_and_shows_its_focus(paired, path):
    page = paired.open(FEED["url"])
    wait_for_posts(page, FEED["posts"])
    query = f"?tab={paired.tab_id('x')}" if path.startswith("popup") else ""
    ui = paired.extension_page(path + query)
    ui.wait_for_function("() => document.getElementById('status').dataset.state === 'connected'")
    if path.startswith("popup"):
        ui.wait_for_selector("#page-controls:not([hidden])")
    else:
        ui.wait_for_selector("body[data-ready='true']")
    total = ui.evaluate(MARK_JS)
    seen = walk(ui, total + 3)
    reached = {s["key"] for s in seen if s["key"] is not None}
    assert reached == {str(i) for i in range(total)}
    assert [s["id"] for s in seen if not s["outline"]] == []
