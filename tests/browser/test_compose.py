"""Draft checking inside compose boxes, with the real companion and model behind it.

The compose fixtures are served at real site URLs, so the manifest's own match patterns load
the content scripts. Each test types a draft the way a person does, waits for the badge,
opens the findings and applies a fix, then reads the draft back from where the site keeps
it: the textarea, the contenteditable DOM, and React's own state (Draft.js and a controlled
textarea), which only changes if the editor saw the edit as input.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, REPO

COMPOSE = REPO / "tests" / "fixtures" / "compose"
VENDOR = COMPOSE / "vendor"
REACT_URL = "https://x.com/compose/post"
TEXTAREA_URL = "https://mastodon.social/publish"
EDITABLE_URL = "https://www.youtube.com/watch?v=campfireCmps"
PAGES = {
    REACT_URL: COMPOSE / "react.html",
    TEXTAREA_URL: COMPOSE / "textarea.html",
    EDITABLE_URL: COMPOSE / "contenteditable.html",
}
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html; charset=utf-8"}
HOST = "[data-campfire-compose]"
BADGE = f"{HOST} .badge"
PANEL = f"{HOST} .panel"
# An emoji is two UTF-16 code units and one Python character: every match after these sits
# two (or four) units further on than its code-point index.
WEAK_TAG_DRAFT = "Loving this serum 😍😍 use my code JANE20 for 20% off https://amzn.to/3abc #sp"
TWO_LINE_DRAFT = "Loving this serum 😍\nuse my code JANE20 for 20% off https://amzn.to/3abc #sp"
TIE_DRAFT = ("Obsessed with my new @lumalash mascara 😍 Link to buy: https://bit.ly/luma-lash "
             "and use code MIA15 for 15% off")


# react.html loads its editors from here (relative "vendor/..." under /compose/).
VENDOR_URL = "https://x.com/compose/vendor/"


def _serve(route) -> None:
    url = route.request.url.split("#")[0]
    if url in PAGES:
        route.fulfill(path=str(PAGES[url]), content_type=CONTENT_TYPES[".html"])
        return
    path = VENDOR / url[len(VENDOR_URL):]
    if path.parent == VENDOR and path.is_file():
        route.fulfill(path=str(path), content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"))
    else:
        route.abort()


def _is_fixture(url: str) -> bool:
    return url.split("#")[0] in PAGES or url.startswith(VENDOR_URL)


@pytest.fixture(scope="module")
def compose_browser(browser):
    browser.context.route(_is_fixture, _serve)
    return browser


@pytest.fixture
def paired_compose(compose_browser, companion_server):
    compose_browser.close_pages()
    compose_browser.reset_settings(companionUrl=companion_server.base_url, token=companion_server.token)
    yield compose_browser
    compose_browser.close_pages()


def utf16_slice(text: str, offset: int, length: int) -> str:
    units = text.encode("utf-16-le")
    return units[2 * offset:2 * (offset + length)].decode("utf-16-le")


def check(companion, text: str) -> dict:
    status, _, body = companion.request("POST", "/v1/check", {"text": text}, companion.auth)
    assert status == 200, body
    return body


def the_match(companion, text: str, rule: str) -> dict:
    matches = [m for m in check(companion, text)["matches"] if m["rule"] == rule]
    assert len(matches) == 1, (rule, check(companion, text)["matches"])
    return matches[0]


def checks_logged(companion) -> int:
    return len(re.findall(r'"POST /v1/check" 200', companion.output()))


RESULT_JS = """([rule, present]) => {
  const root = document.querySelector('[data-campfire-compose]')?.shadowRoot;
  const badge = root?.querySelector('.badge');
  if (!badge || badge.hidden || badge.dataset.state !== 'done') return false;
  return !rule || (root.querySelectorAll(`.panel .match[data-rule="${rule}"]`).length > 0) === present;
}"""


def wait_for_result(page, rule: str | None = None, present: bool = True) -> None:
    """The badge shows a finished check for the text as it is now (and, with `rule`, the
    open panel lists that rule or not). One predicate, so a half-updated panel never passes."""
    page.wait_for_function(RESULT_JS, arg=[rule, present])


def open_panel(page) -> None:
    page.locator(BADGE).click()
    expect(page.locator(PANEL)).to_be_visible()


def apply_fix(page, rule: str, value: str) -> None:
    page.locator(f'{PANEL} .match[data-rule="{rule}"] button.fix[data-value="{value}"]').click()


def fix_weak_tag(page, companion, draft: str) -> None:
    match = the_match(companion, draft, "WEAK_DISCLOSURE")
    assert utf16_slice(draft, match["offset"], match["length"]) == "#sp"
    assert match["offset"] != draft.index("#sp"), "the draft must put astral characters before the match"
    wait_for_result(page)
    open_panel(page)
    item = page.locator(f'{PANEL} .match[data-rule="WEAK_DISCLOSURE"]')
    expect(item.locator("mark")).to_have_text("#sp")
    apply_fix(page, "WEAK_DISCLOSURE", "#ad")
    wait_for_result(page, "WEAK_DISCLOSURE", present=False)


def open_compose(browser, url: str):
    page = browser.context.new_page()
    page.set_viewport_size({"width": 900, "height": 560})
    page.goto(url)
    return page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_textarea_fix_goes_through_an_input_event(paired_compose, companion_server):
    page = open_compose(paired_compose, TEXTAREA_URL)
    box = page.locator("textarea")
    box.click()
    box.press_sequentially(WEAK_TAG_DRAFT)
    wait_for_result(page)
    box_rect, badge_rect = box.bounding_box(), page.locator(BADGE).bounding_box()
    # The badge sits inside the box's bottom-right corner.
    assert box_rect["x"] + box_rect["width"] - 40 < badge_rect["x"] < box_rect["x"] + box_rect["width"]
    assert box_rect["y"] + box_rect["height"] - 40 < badge_rect["y"] < box_rect["y"] + box_rect["height"]
    fix_weak_tag(page, companion_server, WEAK_TAG_DRAFT)
    fixed = WEAK_TAG_DRAFT.replace("#sp", "#ad")
    expect(box).to_have_value(fixed)
    # The page's own 'input' listener ran: its counter counts the fixed draft.
    expect(page.get_by_test_id("counter")).to_have_text(str(500 - len(fixed)))
    shot(page, "compose-textarea.png")


FOCUSED_JS = """() => {
  const el = document.querySelector('[data-campfire-compose]')?.shadowRoot?.activeElement;
  return el ? {cls: el.className, value: el.dataset.value ?? null} : null;
}"""


def test_the_keyboard_goes_from_the_box_into_the_panel_and_back(paired_compose, companion_server):
    """The badge floats over the page, outside the site's Tab order: Alt+Shift+D from the box
    opens the panel on its first fix, Enter applies it and the keyboard stays in the panel,
    Escape returns to the box."""
    page = open_compose(paired_compose, TEXTAREA_URL)
    box = page.locator("textarea")
    box.click()
    box.press_sequentially(WEAK_TAG_DRAFT)
    wait_for_result(page)
    expect(page.locator(BADGE)).to_have_attribute("aria-keyshortcuts", "Alt+Shift+D")
    page.locator("body").click(position={"x": 1, "y": 1})
    page.keyboard.press("Alt+Shift+D")  # not from the box: nothing happens
    expect(page.locator(PANEL)).to_be_hidden()

    box.focus()
    page.keyboard.press("Alt+Shift+D")
    expect(page.locator(PANEL)).to_be_visible()
    focused = page.evaluate(FOCUSED_JS)
    assert focused["cls"] == "fix" and focused["value"], focused
    page.keyboard.press("Enter")
    page.wait_for_function("([draft, value]) => { const v = document.querySelector('textarea').value;"
                           " return v !== draft && v.includes(value); }", arg=[WEAK_TAG_DRAFT, focused["value"]])
    wait_for_result(page)
    page.wait_for_function(FOCUSED_JS)  # the panel's new findings keep the keyboard
    page.keyboard.press("Escape")
    expect(page.locator(PANEL)).to_be_hidden()
    assert page.evaluate("() => document.activeElement === document.querySelector('textarea')")
    before = box.input_value()
    page.keyboard.type("!")
    expect(box).to_have_value(before + "!")


def type_two_lines_and_fix_the_tag(page, editor, companion_server):
    """Types TWO_LINE_DRAFT into `editor` as a person does (Enter between the lines) and applies
    the weak-tag fix."""
    editor.click()
    first, second = TWO_LINE_DRAFT.split("\n")
    editor.press_sequentially(first)
    page.keyboard.press("Enter")
    editor.press_sequentially(second)
    fix_weak_tag(page, companion_server, TWO_LINE_DRAFT)


def test_contenteditable_fix_keeps_offsets_across_emoji_and_lines(paired_compose, companion_server):
    page = open_compose(paired_compose, EDITABLE_URL)
    box = page.locator("#contenteditable-root")
    type_two_lines_and_fix_the_tag(page, box, companion_server)
    expect(box).to_have_js_property("innerText", TWO_LINE_DRAFT.replace("#sp", "#ad"))
    expect(page.locator("#submit-button")).to_be_enabled()
    shot(page, "compose-contenteditable.png")


def test_draft_js_editor_state_takes_the_fix(paired_compose, companion_server):
    page = open_compose(paired_compose, REACT_URL)
    editor = page.get_by_test_id("tweetTextarea_0")
    editor.click()
    editor.press_sequentially(TIE_DRAFT)
    match = the_match(companion_server, TIE_DRAFT, "UNDISCLOSED_TIE")
    value = match["replacements"][0]["value"]
    wait_for_result(page)
    open_panel(page)
    shot(page, "compose-draftjs-findings.png")
    apply_fix(page, "UNDISCLOSED_TIE", value)
    wait_for_result(page, "UNDISCLOSED_TIE", present=False)
    fixed = value + TIE_DRAFT[match["length"]:]
    assert match["offset"] == 0 and fixed.startswith("#ad ")
    assert page.evaluate("composeState.post()") == fixed
    expect(page.get_by_test_id("counter")).to_have_text(str(280 - len(fixed)))
    expect(editor).to_have_js_property("innerText", fixed)
    shot(page, "compose-draftjs-fixed.png")


def test_draft_js_takes_a_fix_on_its_second_line_after_emoji(paired_compose, companion_server):
    page = open_compose(paired_compose, REACT_URL)
    editor = page.get_by_test_id("tweetTextarea_0")
    type_two_lines_and_fix_the_tag(page, editor, companion_server)
    assert page.evaluate("composeState.post()") == TWO_LINE_DRAFT.replace("#sp", "#ad")


def test_react_controlled_textarea_state_takes_the_fix(paired_compose, companion_server):
    page = open_compose(paired_compose, REACT_URL)
    box = page.get_by_test_id("replyTextarea")
    box.click()
    box.press_sequentially(WEAK_TAG_DRAFT)
    fix_weak_tag(page, companion_server, WEAK_TAG_DRAFT)
    fixed = WEAK_TAG_DRAFT.replace("#sp", "#ad")
    assert page.evaluate("composeState.reply()") == fixed
    expect(box).to_have_value(fixed)


def test_the_react_fixture_ignores_changes_that_are_not_input(paired_compose):
    """Guards the fixture itself: were its textarea not controlled, the test above would prove nothing."""
    page = open_compose(paired_compose, REACT_URL)
    box = page.get_by_test_id("replyTextarea")
    box.click()
    box.press_sequentially("typed")
    box.evaluate("(el) => { el.value = 'set without an event'; }")
    assert page.evaluate("composeState.reply()") == "typed"


def test_checks_once_after_typing_stops(paired_compose, companion_server):
    page = open_compose(paired_compose, TEXTAREA_URL)
    box = page.locator("textarea")
    box.click()
    before = checks_logged(companion_server)
    # 40 ms between keys is fast typing; every pause is well under the debounce.
    box.press_sequentially("Has anyone tried a standing desk? Worth it?", delay=40)
    wait_for_result(page)
    page.wait_for_timeout(800)
    assert checks_logged(companion_server) - before == 1


def test_nothing_is_shown_until_paired(compose_browser, companion_server):
    compose_browser.close_pages()
    compose_browser.reset_settings(companionUrl=companion_server.base_url)
    page = open_compose(compose_browser, TEXTAREA_URL)
    box = page.locator("textarea")
    box.click()
    box.press_sequentially(WEAK_TAG_DRAFT)
    page.wait_for_timeout(1200)
    expect(page.locator(HOST)).to_have_count(0)
    compose_browser.save_settings(token=companion_server.token)
    box.press_sequentially(" ")
    wait_for_result(page)
    assert box.input_value() == WEAK_TAG_DRAFT + " "


# The DOM shapes editors make, and the text a writer sees in them. Run against editors.js
# loaded into a blank page, so each shape is read without a site around it.
TEXT_SHAPES = [
    ("Draft.js, empty", '<div data-contents="true"><div data-block="true"><div><span><br data-text="true">'
     '</span></div></div></div>', ""),
    ("Draft.js, empty middle line", '<div data-contents="true"><div data-block="true"><div><span>'
     '<span data-text="true">one 😍</span></span></div></div><div data-block="true"><div><span>'
     '<br data-text="true"></span></div></div><div data-block="true"><div><span><span data-text="true">'
     'two</span></span></div></div></div>', "one 😍\n\ntwo"),
    ("Chrome, Enter", "abc<div>def</div>", "abc\ndef"),
    ("Chrome, blank line", "abc<div><br></div><div>def</div>", "abc\n\ndef"),
    ("Shift+Enter", "abc<br>def", "abc\ndef"),
    ("trailing line", "abc<br><br>", "abc\n"),
    ("Lexical", '<p dir="ltr"><span data-lexical-text="true">Hi 😍</span></p><p><br></p>'
     '<p dir="ltr"><span data-lexical-text="true">#sp</span></p>', "Hi 😍\n\n#sp"),
    ("ProseMirror", '<p>one</p><p><br class="ProseMirror-trailingBreak"></p>', "one\n"),
]


@pytest.fixture
def blank_page(compose_browser):
    page = compose_browser.context.new_page()
    page.set_content('<div id="box" contenteditable="true"></div>')
    page.add_script_tag(path=str(REPO / "extension" / "compose" / "editors.js"))
    yield page
    page.close()


@pytest.mark.parametrize("name, html, text", TEXT_SHAPES, ids=[s[0] for s in TEXT_SHAPES])
def test_text_model_reads_lines_as_the_writer_sees_them(blank_page, name, html, text):
    box = blank_page.locator("#box")
    box.evaluate("(box, html) => { box.innerHTML = html; }", html)
    assert box.evaluate("(box) => CampfireEditors.read(box)") == text


def test_a_replacement_lands_on_its_utf16_offsets_across_blocks(blank_page):
    box = blank_page.locator("#box")
    html = dict((s[0], s[1]) for s in TEXT_SHAPES)["Lexical"]
    box.evaluate("(box, html) => { box.innerHTML = html; }", html)
    text = "Hi 😍\n\n#sp"
    start = len(text.encode("utf-16-le")) // 2 - 3
    done = box.evaluate("(box, start) => CampfireEditors.replace(box, start, start + 3, '#ad')", start)
    assert done
    assert box.evaluate("(box) => CampfireEditors.read(box)") == "Hi 😍\n\n#ad"


def test_a_removal_takes_out_exactly_its_span(blank_page):
    box = blank_page.locator("#box")
    html = dict((s[0], s[1]) for s in TEXT_SHAPES)["Draft.js, empty middle line"]
    box.evaluate("(box, html) => { box.innerHTML = html; }", html)
    # "one 😍\n\ntwo": remove " 😍" (three UTF-16 units from offset 3).
    assert box.evaluate("(box) => CampfireEditors.replace(box, 3, 6, '')")
    assert box.evaluate("(box) => CampfireEditors.read(box)") == "one\n\ntwo"


def test_not_right_in_the_compose_panel_corrects_the_drafts_labels(paired_compose, companion_server):
    companion_server.request("DELETE", "/v1/store", headers=companion_server.auth)
    labels = check(companion_server, TIE_DRAFT)["labels"]
    flagged = [name for name, value in labels.items() if value["flag"]]
    assert flagged, "the draft must carry a label to correct"
    page = open_compose(paired_compose, TEXTAREA_URL)
    box = page.locator("textarea")
    box.click()
    box.fill(TIE_DRAFT)
    wait_for_result(page)
    open_panel(page)
    item = f'{PANEL} .labels li[data-label="{flagged[0]}"]'
    expect(page.locator(item)).to_have_count(1)
    page.locator(f"{PANEL} .correct button.open").click()
    page.locator(f"{PANEL} .correct button.label", has_text="Not ").first.click()
    expect(page.locator(item)).to_have_count(0)
    _, _, stored = companion_server.request("GET", "/v1/corrections", headers=companion_server.auth)
    assert [(c["site"], c["labels"]) for c in stored["corrections"]] == [("mastodon", {flagged[0]: False})]
    page.locator(f"{PANEL} .correct button.undo").click()
    expect(page.locator(item)).to_have_count(1)
