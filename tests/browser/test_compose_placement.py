"""The compose check stays out of the way: at a 600 px viewport its panel covers neither the
box nor the site's own buttons, the problem span is underlined inside a contenteditable box,
and each fix button says what it does."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS
from test_compose import (BADGE, EDITABLE_URL, PANEL, REACT_URL, TEXTAREA_URL, TIE_DRAFT, WEAK_TAG_DRAFT,  # noqa: F401
                          compose_browser, open_panel, paired_compose, wait_for_result)

BOXES = {
    "textarea": (TEXTAREA_URL, "textarea"),
    "draftjs": (REACT_URL, '[data-testid="tweetTextarea_0"]'),
    "contenteditable": (EDITABLE_URL, "#contenteditable-root"),
}
SITE_BUTTONS_JS = """() => [...document.querySelectorAll('button, [role=button], input[type=submit]')]
  .filter((b) => !b.closest('[data-campfire-compose]'))
  .map((b) => b.getBoundingClientRect()).filter((r) => r.width && r.height)
  .map((r) => ({x: r.x, y: r.y, width: r.width, height: r.height}))"""


def overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def type_draft(browser, name: str, draft: str, size=(600, 600)):
    url, selector = BOXES[name]
    page = browser.context.new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(url)
    box = page.locator(selector)
    box.click()
    box.press_sequentially(draft)
    wait_for_result(page)
    return page, box


@pytest.mark.parametrize("name", list(BOXES))
def test_the_panel_covers_no_site_control_at_600px(paired_compose, name):
    page, box = type_draft(paired_compose, name, TIE_DRAFT)
    open_panel(page)
    panel = page.locator(PANEL).bounding_box()
    buttons = page.evaluate(SITE_BUTTONS_JS)
    assert buttons, "the fixture has its own Publish/Post/Comment button"
    assert [b for b in buttons if overlap(panel, b)] == []
    assert not overlap(panel, box.bounding_box())
    assert panel["y"] >= 0 and panel["y"] + panel["height"] <= 600 and panel["x"] + panel["width"] <= 600
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"compose-600px-{name}.png"))


def test_a_short_window_docks_the_panel_in_the_free_space(paired_compose):
    page, box = type_draft(paired_compose, "textarea", TIE_DRAFT, size=(600, 330))
    open_panel(page)
    panel = page.locator(PANEL).bounding_box()
    assert page.locator(PANEL).get_attribute("data-placement") in ("above", "below", "docked")
    assert [b for b in page.evaluate(SITE_BUTTONS_JS) if overlap(panel, b)] == []


def highlighted(page) -> dict:
    """The CSS Custom Highlights on the page: severity -> the text each range covers."""
    return page.evaluate("""() => Object.fromEntries(['error', 'warning', 'info'].map((s) =>
        [s, [...(CSS.highlights.get('campfire-' + s) ?? [])].map((r) => r.toString())]))""")


def test_the_problem_span_is_underlined_in_a_contenteditable_box(paired_compose):
    page, box = type_draft(paired_compose, "contenteditable", WEAK_TAG_DRAFT)
    assert "#sp" in highlighted(page)["warning"]
    before = box.evaluate("(el) => el.innerHTML")
    box.press("End")
    box.press_sequentially(" more")
    wait_for_result(page)
    # Found again in the new text, and painted over it: the editor's DOM holds only the typing.
    assert "#sp" in highlighted(page)["warning"]
    assert box.evaluate("(el) => el.innerHTML") == before + " more"
    page.screenshot(path=str(ARTIFACTS / "compose-underline.png"))


def test_a_textarea_gets_no_highlight(paired_compose):
    page, _ = type_draft(paired_compose, "textarea", WEAK_TAG_DRAFT)
    assert highlighted(page) == {"error": [], "warning": [], "info": []}


@pytest.mark.parametrize("draft, rule, label", [
    (TIE_DRAFT, "UNDISCLOSED_TIE", "Add #ad at the start"),
    (WEAK_TAG_DRAFT, "WEAK_DISCLOSURE", "Replace #sp with #ad"),
])
def test_fix_buttons_say_what_they_do(paired_compose, draft, rule, label):
    page, _ = type_draft(paired_compose, "draftjs", draft, size=(900, 700))
    open_panel(page)
    expect(page.locator(f'{PANEL} .match[data-rule="{rule}"] button.fix')).to_have_text(label)


SCHEME_COLOURS = {"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}


@pytest.mark.parametrize("scheme", list(SCHEME_COLOURS))
def test_badges_and_the_panel_follow_the_system_scheme(paired_compose, scheme):
    from conftest import expected, wait_for_posts

    feed = expected("x")["feed.html"]
    page = paired_compose.context.new_page()
    page.emulate_media(color_scheme=scheme)
    page.goto(feed["url"])
    wait_for_posts(page, feed["posts"])
    page.wait_for_function("() => [...document.querySelectorAll('[data-campfire-badges]')]"
                           ".some((h) => h.shadowRoot.querySelector('.badge'))")
    text = page.evaluate("""() => { const root = [...document.querySelectorAll('[data-campfire-badges]')]
        .map((h) => h.shadowRoot).find((r) => r.querySelector('.badge'));
        return getComputedStyle(root.querySelector('.bar')).color; }""")
    assert text == {"light": "rgb(31, 35, 40)", "dark": "rgb(230, 237, 243)"}[scheme]
    page.screenshot(path=str(ARTIFACTS / f"feed-labelled-{scheme}.png"))

    compose = paired_compose.context.new_page()
    compose.emulate_media(color_scheme=scheme)
    compose.set_viewport_size({"width": 600, "height": 600})
    compose.goto(TEXTAREA_URL)
    compose.locator("textarea").click()
    compose.locator("textarea").press_sequentially(TIE_DRAFT)
    wait_for_result(compose)
    open_panel(compose)
    background = compose.locator(PANEL).evaluate("(el) => getComputedStyle(el).backgroundColor")
    assert background == SCHEME_COLOURS[scheme]
    compose.screenshot(path=str(ARTIFACTS / f"compose-panel-{scheme}.png"))
