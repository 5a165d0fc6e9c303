"""The extension on a saved X timeline, with the real companion and model behind it.

What a post shows is compared with what the companion itself answers for the same text, so
these tests hold for any trained model; only the fixture's extraction is fixed.
"""
from __future__ import annotations

import pytest

from conftest import ARTIFACTS, CONTROL_ORIGIN, FIXTURES, closed_port, expected, post_states, wait_for_posts

POST = 'article[data-testid="tweet"]'
FEED = expected("x")["feed.html"]
MORE = expected("x")["feed-more.html"]
LABELS = ("self_promotion", "missing_disclosure", "conversational")
TIMELINE = '[aria-label="Timeline: Your Home Timeline"] > div'


def classify(companion, texts: dict[str, str]) -> dict[str, dict]:
    posts = [{"id": i, "text": t} for i, t in texts.items()]
    status, _, body = companion.request("POST", "/v1/classify", {"posts": posts}, companion.auth)
    assert status == 200, body
    return {r["id"]: r for r in body["results"]}


def rank(companion, texts: dict[str, str], sink=()) -> list[str]:
    body = {"posts": [{"id": i, "text": t} for i, t in texts.items()], "options": {"sink": list(sink)}}
    status, _, answer = companion.request("POST", "/v1/rank", body, companion.auth)
    assert status == 200, answer
    return answer["ranked_ids"]


@pytest.fixture(scope="module")
def truth(companion_server) -> dict[str, dict]:
    return classify(companion_server, {**FEED["texts"], **MORE["texts"]})


def percent(score: float) -> int:
    """As the badge rounds (JavaScript's Math.round: halves up, not to even)."""
    return int(score * 100 + 0.5)


def by_id(page) -> dict[str, dict]:
    return {s["seen"]: s for s in post_states(page, POST) if s["seen"]}


def open_feed(browser, count=FEED["posts"]):
    page = browser.open(FEED["url"])
    wait_for_posts(page, count)
    return page


def split_threshold(truth, label, ids=FEED["ids"]) -> float:
    """A threshold with posts of this page on both sides of it."""
    scores = sorted({truth[i]["labels"][label]["score"] for i in ids})
    assert len(scores) > 1, f"every post has the same {label} score"
    middle = len(scores) // 2
    return round((scores[middle - 1] + scores[middle]) / 2, 6)


def above(truth, label, threshold, ids=FEED["ids"]) -> set[str]:
    return {i for i in ids if truth[i]["labels"][label]["score"] >= threshold}


def test_finds_every_post_the_fixture_holds_in_page_order(paired):
    page = open_feed(paired)
    seen = [s["seen"] for s in post_states(page, POST)]
    assert [s for s in seen if s] == FEED["ids"]
    # The photo-only post has no text to read; the promoted post is X's ad, not a post.
    assert seen.count(None) == 1 + FEED["ads"]


def test_badges_say_what_the_companion_says(paired, truth):
    page = open_feed(paired)
    for post_id, state in by_id(page).items():
        result = truth[post_id]
        flagged = [name for name in LABELS if result["labels"][name]["flag"]]
        assert [b["label"] for b in state["badges"]] == flagged, post_id
        for badge in state["badges"]:
            score = result["labels"][badge["label"]]["score"]
            assert f"{percent(score)}%" in badge["text"], (post_id, badge)
            reasons = [e["detail"] or e["kind"].replace("_", " ")
                       for e in result["evidence"] if e["label"] == badge["label"]]
            if reasons:
                assert f"— {reasons[0]}" in badge["text"], (post_id, badge)


SPY_ON_CLASSIFY = """() => {
  globalThis.__sent = [];
  const classify = CampfireCompanion.classify;
  CampfireCompanion.classify = (settings, posts) => {
    globalThis.__sent.push(...posts);
    return classify(settings, posts);
  };
  return () => { CampfireCompanion.classify = classify; };
}"""


def test_each_post_goes_to_the_companion_with_its_text_author_and_permalink(paired):
    paired.worker.evaluate(f"() => {{ globalThis.__unspy = ({SPY_ON_CLASSIFY})(); }}")
    try:
        open_feed(paired)
        sent = paired.worker.evaluate("() => globalThis.__sent")
    finally:
        paired.worker.evaluate("() => globalThis.__unspy()")
    assert [p["id"] for p in sent] == FEED["ids"]
    for post in sent:
        assert post["site"] == "x"
        assert post["text"] == FEED["texts"][post["id"]]
        assert post["author"] == FEED["authors"][post["id"]]
        assert post["url"] == FEED["permalinks"][post["id"]]


def test_unambiguous_posts_get_their_labels(paired):
    page = open_feed(paired)
    append_more_posts(page)
    wait_for_posts(page, FEED["posts"] + MORE["posts"])
    states = by_id(page)
    for post_id, want in {**FEED["labels"], **MORE["labels"]}.items():
        shown = {b["label"] for b in states[post_id]["badges"]}
        assert set(want["yes"]) <= shown and not set(want["no"]) & shown, (post_id, shown, want)


def test_badges_use_the_companions_titles(paired, companion_server):
    page = open_feed(paired)
    _, _, body = companion_server.request("GET", "/v1/labels", headers=companion_server.auth)
    titles = {label["name"]: label["title"] for label in body["labels"]}
    badges = [b for s in by_id(page).values() for b in s["badges"]]
    assert badges
    for badge in badges:
        assert badge["text"].startswith(f"{titles[badge['label']]} "), badge


SITE_PARTS_JS = """(sel) => [...document.querySelectorAll(sel)].map((post) =>
    [...post.querySelectorAll('[data-testid=tweetText], [data-testid=User-Name], [role=group], [data-testid=tweetPhoto]')]
        .map((el) => { const r = el.getBoundingClientRect(); return [el.dataset.testid || el.getAttribute('role'),
                                                                       r.left, r.width, r.height]; }))"""


def test_labelled_posts_keep_the_sites_layout_and_links(paired):
    labelled = open_feed(paired)
    control = paired.open(f"{CONTROL_ORIGIN}/x/feed.html")
    # Badges push a post's content down; they change no part's size or horizontal place.
    assert labelled.evaluate(SITE_PARTS_JS, POST) == control.evaluate(SITE_PARTS_JS, POST)
    mention = labelled.locator(f'{POST}[data-campfire-seen="1861000000000000001"] a[href="/glowskin"]')
    with labelled.expect_request("https://x.com/glowskin"):
        mention.click()


def test_allow_listed_authors_are_never_labelled_but_still_read(paired, truth):
    paired.save_settings(allowAuthors=["JaneGlow", "@SAM_READS"])
    page = open_feed(paired)
    states = by_id(page)
    allowed = {i for i, a in FEED["authors"].items() if a.lower() in ("@janeglow", "@sam_reads")}
    assert len(allowed) == 2
    for post_id in allowed:
        assert states[post_id]["badges"] == [] and states[post_id]["action"] is None
    for post_id in set(states) - allowed:
        flagged = [n for n in LABELS if truth[post_id]["labels"][n]["flag"]]
        assert [b["label"] for b in states[post_id]["badges"]] == flagged


def test_each_action_applies_to_the_posts_over_the_threshold_only(paired, truth):
    threshold = split_threshold(truth, "missing_disclosure")
    flagged = above(truth, "missing_disclosure", threshold)
    paired.save_settings(labels={"self_promotion": {"action": "off"}, "conversational": {"action": "off"},
                                 "missing_disclosure": {"action": "badge", "threshold": threshold}})
    page = open_feed(paired)
    for action, check in [("badge", _shows_badge), ("dim", _is_dimmed), ("hide", _is_hidden),
                          ("collapse", _is_collapsed), ("off", _untouched)]:
        paired.save_settings(labels={"missing_disclosure": {"action": action}})
        attr = action if action in ("dim", "hide", "collapse") else None
        page.wait_for_function(
            "([sel, ids, attr, host]) => ids.every((id) => {"
            " const p = document.querySelector(`${sel}[data-campfire-seen='${id}']`);"
            " return p && p.getAttribute('data-campfire-action') === attr"
            " && Boolean(p.querySelector('[data-campfire-badges]')) === host; })",
            arg=[POST, sorted(flagged), attr, action != "off"])
        page.wait_for_function("() => document.getAnimations().length === 0")  # dim fades
        for post_id, state in by_id(page).items():
            if post_id in flagged:
                check(state)
            else:
                _untouched(state)


def _shows_badge(state):
    assert [b["label"] for b in state["badges"]] == ["missing_disclosure"]
    assert state["action"] is None and state["visible"] and state["opacity"] == 1


def _is_dimmed(state):
    assert state["action"] == "dim" and state["visible"] and state["opacity"] < 0.5
    assert state["badges"]


def _is_hidden(state):
    assert state["action"] == "hide" and not state["visible"]


def _is_collapsed(state):
    assert state["action"] == "collapse" and state["visible"] and state["toggle"] == "Show post"
    assert state["note"].startswith("Campfire collapsed a post by @")


def _untouched(state):
    assert state["badges"] == [] and state["action"] is None
    assert state["visible"] and state["opacity"] == 1


def test_collapse_reveals_on_one_click_and_hides_again_without_the_site_seeing_it(paired):
    paired.save_settings(labels={"missing_disclosure": {"action": "collapse", "threshold": 0},
                                 "self_promotion": {"action": "off"}, "conversational": {"action": "off"}})
    page = open_feed(paired)
    # X opens a post on any click inside its article; record what reaches the site.
    page.evaluate("window.__siteClicks = 0; document.addEventListener('click', () => window.__siteClicks++)")
    post = page.locator(f'{POST}[data-campfire-seen="1861000000000000001"]')
    text = post.locator('[data-testid="tweetText"]')
    button = post.locator("[data-campfire-badges] >> button.toggle")
    page.wait_for_function("(sel) => document.querySelector(sel)?.getAttribute('data-campfire-action') === 'collapse'",
                           arg=f'{POST}[data-campfire-seen="1861000000000000001"]')
    assert not text.is_visible()
    assert button.get_attribute("aria-expanded") == "false"

    button.click()
    assert post.get_attribute("data-campfire-action") == "revealed"
    assert text.is_visible()
    assert button.text_content() == "Hide again" and button.get_attribute("aria-expanded") == "true"
    # Focus stays on the button (inside the badge host) for keyboard users.
    assert post.locator("[data-campfire-badges]").evaluate("(host) => document.activeElement === host")

    button.click()
    assert post.get_attribute("data-campfire-action") == "collapse"
    assert not text.is_visible()
    assert page.evaluate("window.__siteClicks") == 0


def test_moving_a_threshold_on_the_options_page_changes_which_badges_show(paired, truth):
    label = "self_promotion"
    scores = sorted(truth[i]["labels"][label]["score"] for i in FEED["ids"])
    # A whole percent (the slider's step) with posts on both sides.
    percent = next((p for p in range(1, 100) if scores[0] < p / 100 <= scores[-1]), None)
    assert percent is not None, f"every {label} score rounds to one percent: {scores}"
    feed = open_feed(paired)
    options = paired.extension_page("options/options.html")
    options.wait_for_selector("body[data-ready='true']")
    slider = options.locator(f'fieldset[data-label="{label}"] input.threshold')

    for value, expect in [(percent, above(truth, label, percent / 100)), (0, set(FEED["ids"])), (100, set())]:
        slider.fill(str(value))
        assert options.locator(f'fieldset[data-label="{label}"] output').text_content() == f"{value}%"
        feed.wait_for_function(
            "([sel, label, ids]) => JSON.stringify([...document.querySelectorAll(sel)].filter((p) => {"
            " const h = p.querySelector('[data-campfire-badges]');"
            " return h && h.shadowRoot.querySelector(`.badge[data-label=${label}]`); })"
            ".map((p) => p.dataset.campfireSeen).sort()) === JSON.stringify(ids)",
            arg=[POST, label, sorted(expect)])
        shown = {i for i, s in by_id(feed).items() if label in [b["label"] for b in s["badges"]]}
        assert shown == expect, value


def visual_order(page) -> list[str]:
    states = [s for s in post_states(page, POST) if s["seen"]]
    return [s["seen"] for s in sorted(states, key=lambda s: s["top"])]


def test_conversation_first_matches_the_companions_rank_and_restores_the_sites_order(paired, companion_server):
    page = open_feed(paired)
    rows_before = page.eval_on_selector(TIMELINE, "(list) => [...list.children].map((row) => row.getAttribute('style'))")
    assert visual_order(page) == FEED["ids"]

    paired.save_settings(conversationFirst=True)
    expect = rank(companion_server, FEED["texts"])
    page.wait_for_function("(sel) => document.querySelector(sel)?.hasAttribute('data-campfire-order')", arg=TIMELINE)
    assert expect != FEED["ids"]
    assert visual_order(page) == expect
    # Rows that are not posts (the "Who to follow" module, the photo) come after the posts.
    last_post_top = max(s["top"] for s in post_states(page, POST) if s["seen"])
    assert page.locator("h2:has-text('Who to follow')").bounding_box()["y"] > last_post_top

    sink = ["self_promotion", "missing_disclosure"]
    paired.save_settings(sinkLabels=sink)
    sunk = rank(companion_server, FEED["texts"], sink)
    page.wait_for_function("([sel, ids]) => { const tops = ids.map((id) => document.querySelector("
                           "`${sel}[data-campfire-seen='${id}']`).getBoundingClientRect().top);"
                           " return tops.every((t, i) => i === 0 || tops[i - 1] <= t); }", arg=[POST, sunk])
    assert visual_order(page) == sunk

    paired.save_settings(conversationFirst=False)
    page.wait_for_function("(sel) => !document.querySelector(sel).hasAttribute('data-campfire-order')", arg=TIMELINE)
    assert visual_order(page) == FEED["ids"]
    rows_after = page.eval_on_selector(TIMELINE, "(list) => [...list.children].map((row) => row.getAttribute('style'))")
    assert rows_after == rows_before


def append_more_posts(page) -> None:
    cells = (FIXTURES / "x" / "feed-more.html").read_text(encoding="utf-8")
    page.eval_on_selector(TIMELINE, "(list, html) => list.insertAdjacentHTML('beforeend', html)", cells)


def test_posts_added_by_infinite_scroll_are_labelled_and_slotted_in(paired, companion_server, truth):
    paired.save_settings(conversationFirst=True)
    page = open_feed(paired)
    append_more_posts(page)
    wait_for_posts(page, FEED["posts"] + MORE["posts"])
    states = by_id(page)
    for post_id in MORE["ids"]:
        flagged = [n for n in LABELS if truth[post_id]["labels"][n]["flag"]]
        assert [b["label"] for b in states[post_id]["badges"]] == flagged
    everything = {**FEED["texts"], **MORE["texts"]}
    expect = rank(companion_server, everything)
    page.wait_for_function(
        "(ids) => ids.every((id) => document.querySelector(`[data-campfire-seen='${id}']`)?.closest("
        "'[data-testid=cellInnerDiv]').style.order !== '')", arg=MORE["ids"])
    assert visual_order(page) == expect


def test_a_post_the_site_renders_again_gets_its_labels_back_from_the_cache(paired):
    page = open_feed(paired)
    before = by_id(page)["1861000000000000004"]
    assert before["badges"]
    # From here on the companion is unreachable: only remembered results can label a post.
    paired.save_settings(companionUrl=f"http://127.0.0.1:{closed_port()}")
    # A virtualized feed drops a row as it scrolls away and renders a fresh one on the way back.
    page.evaluate("""(sel) => {
        const row = document.querySelector(sel).closest('[data-testid=cellInnerDiv]');
        const fresh = row.cloneNode(true);
        fresh.querySelectorAll('[data-campfire-badges]').forEach((h) => h.remove());
        fresh.querySelectorAll('[data-campfire-seen]').forEach((p) => p.removeAttribute('data-campfire-seen'));
        row.replaceWith(fresh);
    }""", f'{POST}[data-campfire-seen="1861000000000000004"]')
    append_more_posts(page)
    page.wait_for_function("(sel) => document.querySelector(sel)?.querySelector('[data-campfire-badges]')",
                           arg=f'{POST}[data-campfire-seen="1861000000000000004"]')
    after = by_id(page)
    assert after["1861000000000000004"]["badges"] == before["badges"]
    assert not set(MORE["ids"]) & set(after)


def test_an_element_the_site_reuses_for_another_post_is_labelled_for_that_post(paired, truth):
    page = open_feed(paired)
    reused, newcomer = "1861000000000000001", MORE["ids"][0]
    # React updates a recycled row in place: same article, new text and links.
    page.evaluate("""([sel, html]) => {
        const incoming = new DOMParser().parseFromString(html, 'text/html').querySelector(sel);
        const article = document.querySelector(`${sel}[data-campfire-seen='1861000000000000001']`);
        article.querySelector('[data-testid=tweetText]').innerHTML =
            incoming.querySelector('[data-testid=tweetText]').innerHTML;
        const href = incoming.querySelector('a[href*="/status/"]').getAttribute('href');
        article.querySelectorAll('a[href*="/status/"]').forEach((a) => a.setAttribute('href', href));
    }""", [POST, (FIXTURES / "x" / "feed-more.html").read_text(encoding="utf-8")])
    page.wait_for_function("(sel) => document.querySelector(sel)", arg=f'{POST}[data-campfire-seen="{newcomer}"]')
    states = by_id(page)
    assert reused not in states
    flagged = [n for n in LABELS if truth[newcomer]["labels"][n]["flag"]]
    assert [b["label"] for b in states[newcomer]["badges"]] == flagged
    assert page.locator(f'{POST}[data-campfire-seen="{newcomer}"] [data-campfire-badges]').count() == (1 if flagged else 0)


BATCHES_SPY = """() => {
  const classify = CampfireCompanion.classify;
  globalThis.__batches = [];
  CampfireCompanion.classify = (settings, posts) => {
    globalThis.__batches.push(posts.map((p) => p.id));
    return classify(settings, posts);
  };
}"""
# Sixty new posts at once, the view scrolled to the middle of them before Campfire looks.
ADD_AND_SCROLL = """([sel, timeline]) => {
  const template = document.querySelector(sel).closest('[data-testid=cellInnerDiv]');
  const cells = [];
  for (let i = 0; i < 60; i++) {
    const cell = template.cloneNode(true);
    cell.querySelectorAll('[data-campfire-badges]').forEach((h) => h.remove());
    for (const el of [cell, ...cell.querySelectorAll('*')]) {
      el.removeAttribute('data-campfire-seen');
      el.removeAttribute('data-campfire-action');
    }
    const id = `18620000000000000${String(i).padStart(2, '0')}`;
    cell.querySelectorAll('a[href*="/status/"]').forEach((a) => a.setAttribute('href', `/someone/status/${id}`));
    cell.querySelector('[data-testid=tweetText]').textContent = `Post ${i}: what did everyone think of the game last night?`;
    cell.dataset.benchId = id;
    cells.push(cell);
  }
  document.querySelector(timeline).append(...cells);
  cells[30].scrollIntoView({block: 'start'});
  // The post inside each cell, as the scanner measures it (a cell whose edge sits exactly on
  // the screen's edge may hold a post just off it).
  const visible = cells.filter((c) => { const r = (c.querySelector('article') ?? c).getBoundingClientRect(); return r.bottom >= 0 && r.top <= innerHeight; });
  return {visible: visible.map((c) => c.dataset.benchId), above: cells.slice(0, 25).map((c) => c.dataset.benchId)};
}"""


def test_posts_on_screen_go_to_the_companion_first(paired):
    page = open_feed(paired)
    paired.worker.evaluate(BATCHES_SPY)
    view = page.evaluate(ADD_AND_SCROLL, [POST, TIMELINE])
    wait_for_posts(page, FEED["posts"] + 60)
    batches = paired.worker.evaluate("() => globalThis.__batches")
    assert 0 < len(view["visible"]) < 60
    assert set(batches[0]) == set(view["visible"])  # on their own, for a quick answer
    # Then the rest, nearest first: below the screen before what was scrolled past.
    rest = batches[1]
    below = [rest.index(i) for i in rest if i not in view["above"]]
    assert below and max(below) < min(rest.index(i) for i in view["above"])
    assert sorted(i for b in batches for i in b) == sorted(f"18620000000000000{i:02d}" for i in range(60))


def test_screenshot_of_a_labelled_feed(paired):
    ARTIFACTS.mkdir(exist_ok=True)
    # The model's own thresholds: what a user sees who only picked the actions.
    paired.save_settings(labels={"self_promotion": {"action": "dim"}, "missing_disclosure": {"action": "collapse"}})
    page = open_feed(paired)
    page.wait_for_timeout(200)
    page.screenshot(path=str(ARTIFACTS / "x-feed-labelled.png"), full_page=True)
    assert (ARTIFACTS / "x-feed-labelled.png").stat().st_size > 10_000
