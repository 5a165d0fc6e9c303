"""The user's corrections and the "Your feeds" report in real Chromium, with the real
companion and model: "Not right?" on a badge holds across a reload and undoes; author rules
hide and unhide; the report shows what the companion counted for a scripted feed session."""
from __future__ import annotations

import json

import pytest

from conftest import ARTIFACTS, expected, post_states, wait_for_posts

POST = 'article[data-testid="tweet"]'
FEED = expected("x")["feed.html"]
LABELS = ("self_promotion", "missing_disclosure", "conversational")


@pytest.fixture
def fresh(paired, companion_server):
    """A paired browser and a companion whose store is empty."""
    status, _, _ = companion_server.request("DELETE", "/v1/store", headers=companion_server.auth)
    assert status == 200
    yield paired
    companion_server.request("DELETE", "/v1/store", headers=companion_server.auth)


def truth(companion) -> dict[str, dict]:
    posts = [{"id": i, "text": t, "site": "x", "author": FEED["authors"][i]} for i, t in FEED["texts"].items()]
    status, _, body = companion.request("POST", "/v1/classify", {"posts": posts}, companion.auth)
    assert status == 200
    return {r["id"]: r for r in body["results"]}


def open_feed(browser):
    page = browser.open(FEED["url"])
    wait_for_posts(page, FEED["posts"])
    return page


def post(page, post_id):
    return page.locator(f'{POST}[data-campfire-seen="{post_id}"]')


def badges(page, post_id) -> list[str]:
    return next(s["badges"] for s in post_states(page, POST) if s["seen"] == post_id)


def wait_badges(page, post_id, present: bool, label: str) -> None:
    page.wait_for_function(
        "([sel, label, present]) => { const p = document.querySelector(sel);"
        " const root = p && p.querySelector('[data-campfire-badges]')?.shadowRoot;"
        " return Boolean(root && root.querySelector(`.badge[data-label=${label}]`)) === present; }",
        arg=[f'{POST}[data-campfire-seen="{post_id}"]', label, present])


def test_a_corrected_badge_holds_after_reload_and_undoes(fresh, companion_server):
    results = truth(companion_server)
    post_id, label = next((i, name) for i in FEED["ids"] for name in LABELS if results[i]["labels"][name]["flag"])
    page = open_feed(fresh)
    assert label in [b["label"] for b in badges(page, post_id)]
    control = post(page, post_id).locator("[data-campfire-correct]")
    control.locator("button.open").focus()
    page.keyboard.press("Enter")                      # keyboard reachable
    control.locator("button.label", has_text="Not ").first.wait_for()
    control.locator(f"button.label:text-matches('^Not', 'i')").nth(
        [n for n in LABELS if results[post_id]["labels"][n]["flag"]].index(label)).click()
    wait_badges(page, post_id, False, label)
    page.reload()
    wait_for_posts(page, FEED["posts"])
    wait_badges(page, post_id, False, label)
    control = post(page, post_id).locator("[data-campfire-correct]")
    assert control.locator(".row").inner_text().startswith("Corrected by you")
    # Other posts keep the companion's labels.
    for other in FEED["ids"]:
        if other != post_id and FEED["texts"][other] != FEED["texts"][post_id]:
            flagged = [n for n in LABELS if results[other]["labels"][n]["flag"]]
            assert [b["label"] for b in badges(page, other)] == flagged, other
    control.locator("button.undo-correction").click()
    wait_badges(page, post_id, True, label)
    status, _, body = companion_server.request("GET", "/v1/corrections", headers=companion_server.auth)
    assert body["corrections"] == []


def test_author_rules_hide_and_unhide(fresh, companion_server):
    page = open_feed(fresh)
    post_id = FEED["ids"][1]
    author = FEED["authors"][post_id]
    target = post(page, post_id)
    target.locator("[data-campfire-correct] button.open").click()
    target.locator("[data-campfire-correct] button.rule", has_text="Always hide").click()
    page.wait_for_function("(sel) => getComputedStyle(document.querySelector(sel)).display === 'none'",
                           arg=f'{POST}[data-campfire-seen="{post_id}"]')
    assert target.get_attribute("data-campfire-action") == "hide"
    _, _, rules = companion_server.request("GET", "/v1/authors", headers=companion_server.auth)
    assert [(r["site"], r["author"], r["rule"]) for r in rules["authors"]] == [("x", author, "always_hide")]
    # Other authors' posts stay.
    assert post(page, FEED["ids"][0]).is_visible()
    page.locator("[data-campfire-toast] button.undo").click()
    target.wait_for(state="visible")
    assert target.get_attribute("data-campfire-action") != "hide"
    _, _, rules = companion_server.request("GET", "/v1/authors", headers=companion_server.auth)
    assert rules["authors"] == []
    # A rule set is listed on the report page and the options page alike, and removed from
    # either (here: the options page, then the report page for a second rule).
    target.locator("[data-campfire-correct] button.open").click()
    target.locator("[data-campfire-correct] button.rule", has_text="Always hide").click()
    target.wait_for(state="hidden")
    report = fresh.extension_page("report/report.html")
    rule = report.locator(f'#rules li[data-author="{author}"]')
    assert rule.inner_text().startswith(f"{author} on x: always hide")
    options = fresh.extension_page("options/options.html")
    listed = options.locator(f'#rules li[data-author="{author}"]')
    assert listed.inner_text().startswith(f"{author} on x: always hide")
    listed.locator("button").click()
    options.locator("#rules li", has_text="No author rules.").wait_for()
    _, _, rules = companion_server.request("GET", "/v1/authors", headers=companion_server.auth)
    assert rules["authors"] == []
    page.bring_to_front()
    page.reload()
    wait_for_posts(page, FEED["posts"])
    target = post(page, post_id)
    target.locator("[data-campfire-correct] button.open").click()
    target.locator("[data-campfire-correct] button.rule", has_text="Always hide").click()
    target.wait_for(state="hidden")
    report.reload()
    report.locator(f'#rules li[data-author="{author}"] button').click()
    report.locator("#rules li", has_text="No author rules.").wait_for()
    page.bring_to_front()
    page.reload()
    wait_for_posts(page, FEED["posts"])
    assert post(page, post_id).is_visible()
    # Never label: the author's badges go, and come back on undo.
    flagged_id = next(i for i in FEED["ids"] if badges(page, i))
    flagged = post(page, flagged_id)
    flagged.locator("[data-campfire-correct] button.open").click()
    flagged.locator("[data-campfire-correct] button.rule", has_text="Never label").click()
    page.wait_for_function("(sel) => !document.querySelector(sel).querySelector('[data-campfire-badges]')",
                           arg=f'{POST}[data-campfire-seen="{flagged_id}"]')
    page.locator("[data-campfire-toast] button.undo").click()
    page.wait_for_function("(sel) => document.querySelector(sel).querySelector('[data-campfire-badges]')",
                           arg=f'{POST}[data-campfire-seen="{flagged_id}"]')


def test_the_report_shows_the_counts_of_a_feed_session(fresh, companion_server):
    fresh.save_settings(labels={"self_promotion": {"action": "dim", "threshold": None},
                                "missing_disclosure": {"action": "hide", "threshold": None},
                                "conversational": {"action": "badge", "threshold": None}},
                        conversationFirst=True)
    results = truth(companion_server)
    page = open_feed(fresh)
    texts = {FEED["texts"][i]: results[i] for i in FEED["ids"]}
    want = {name: sum(r["labels"][name]["flag"] for r in texts.values()) for name in LABELS}
    hidden = sum(r["labels"]["missing_disclosure"]["flag"] for r in texts.values())
    dimmed = sum(r["labels"]["self_promotion"]["flag"] and not r["labels"]["missing_disclosure"]["flag"]
                 for r in texts.values())

    def counted():
        _, _, stats = companion_server.request("GET", "/v1/stats?site=x", headers=companion_server.auth)
        return {(r["kind"], r["name"]): r["count"] for r in stats["rows"]}
    page.wait_for_timeout(200)
    for _ in range(50):   # the extension reports what it did a moment after doing it
        if counted().get(("action", "hidden"), 0) >= hidden:
            break
        page.wait_for_timeout(200)
    report = fresh.extension_page("report/report.html")
    report.wait_for_selector("body[data-ready=true]")
    row = report.locator('#summary tr[data-site="x"]')
    cells = [int(c) for c in row.locator("td").all_inner_texts()]
    assert cells[:4] == [len(texts), want["self_promotion"], want["missing_disclosure"], want["conversational"]]
    assert cells[4:] == [dimmed, hidden, want["conversational"]]
    assert report.locator('#shares canvas[data-site="x"]').count() == 1
    csv = report.evaluate("async () => (await fetch(document.getElementById('csv').href)).text()")
    assert csv.startswith("day,site,kind,name,count\n") and f",x,posts,all,{len(texts)}\n" in csv
    ARTIFACTS.mkdir(exist_ok=True)
    report.screenshot(path=str(ARTIFACTS / "report-your-feeds.png"), full_page=True)
    report.emulate_media(color_scheme="dark")   # the page redraws in the dark colours
    report.wait_for_function("getComputedStyle(document.body).backgroundColor === 'rgb(22, 27, 34)'")
    report.wait_for_timeout(300)
    report.screenshot(path=str(ARTIFACTS / "report-your-feeds-dark.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "corrections-feed.png"))
