"""Posts over the companion's request limits, with real Chromium, the real extension and a
real `campfire serve`.

The companion refuses a whole /v1/classify request for one post over a limit. These tests
read what the service worker sends (a spy on its `fetch` that passes every call on) and what
the page then shows: a 60,000-character Reddit self-post is sent as its head and tail, an
over-long id as a hash of it, and no post loses its labels to a neighbour.
"""
from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest

from conftest import post_states, wait_for_posts

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "limits" / "reddit_long_post.html"
URL = "https://www.reddit.com/r/BuyItForLife/comments/1gzz9k0/eleven_kettles_in_twelve_years/"
POSTS = "shreddit-post, shreddit-comment"
LONG_POST = "t3_1gzz9k0"
OPENING = "Eleven kettles in twelve years: my complete notes\n\nI have owned eleven kettles since 2014"
ENDING = ("Full disclosure: BrewRight pays me for every kettle sold through my link "
          "https://brewright.example/?ref=kettlenotes")
LABELS = ("self_promotion", "missing_disclosure", "conversational")

SPY = """() => {
  const log = globalThis.__limitsLog = { given: [], requests: [], warnings: [] };
  const fetch0 = globalThis.fetch, warn0 = console.warn, classify0 = CampfireCompanion.classify;
  globalThis.fetch = async (url, init) => {
    const response = await fetch0(url, init);
    if (String(url).endsWith("/v1/classify")) {
      log.requests.push({ posts: JSON.parse(init.body).posts, status: response.status,
                          bytes: new TextEncoder().encode(init.body).length });
    }
    return response;
  };
  console.warn = (...args) => { log.warnings.push(args.join(" ")); warn0(...args); };
  CampfireCompanion.classify = (settings, posts) => { log.given.push(...posts); return classify0(settings, posts); };
  globalThis.__unspyLimits = () => {
    globalThis.fetch = fetch0; console.warn = warn0; CampfireCompanion.classify = classify0;
  };
}"""
SPIED = """() => ({
  given: __limitsLog.given,
  warnings: __limitsLog.warnings,
  requests: __limitsLog.requests.map((r) => ({ count: r.posts.length, bytes: r.bytes, status: r.status })),
  reached: __limitsLog.requests.filter((r) => r.status === 200).flatMap((r) => r.posts),
})"""
# Worker-side: classify `posts` through the extension's own companion client.
CLASSIFY = "async (posts) => CampfireCompanion.classify(await CampfireSettings.load(), posts)"


@pytest.fixture
def spied(paired):
    """The paired browser with a spy in its service worker; `spied.log()` reads it."""
    paired.worker.evaluate(SPY)
    paired.log = lambda: paired.worker.evaluate(SPIED)
    yield paired
    paired.worker.evaluate("() => globalThis.__unspyLimits()")


@pytest.fixture(scope="module")
def limits(browser) -> dict:
    return browser.worker.evaluate("() => CampfireLimits")


def companion_results(companion, posts: list[dict]) -> dict[str, dict]:
    status, _, body = companion.request("POST", "/v1/classify", {"posts": posts}, companion.auth)
    assert status == 200, body
    return {result["id"]: result for result in body["results"]}


def test_a_long_post_is_sent_as_its_head_and_tail_and_every_post_is_labelled(spied, companion_server, limits):
    spied.context.route(lambda url: url == URL,
                        lambda route: route.fulfill(path=str(FIXTURE), content_type="text/html; charset=utf-8"))
    page = spied.open(URL)
    wait_for_posts(page, 5)
    log = spied.log()
    given = {post["id"]: post for post in log["given"]}
    reached = log["reached"]
    assert {r["status"] for r in log["requests"]} == {200} and log["warnings"] == []  # nothing refused

    full = given[LONG_POST]["text"]
    assert len(full) >= 60_000 and full.isascii()  # ASCII: Python slices count UTF-16 units here
    long_post = next(post for post in reached if post["id"] == LONG_POST)
    head, tail = limits["TEXT_HEAD_CHARS"], limits["TEXT_TAIL_CHARS"]
    assert long_post["text"] == full[:head] + limits["CUT_MARK"] + full[-tail:]
    assert len(long_post["text"]) <= limits["MAX_TEXT_CHARS"]
    assert long_post["text"].startswith(OPENING) and long_post["text"].endswith(ENDING)

    # The comment whose id, author and permalink are all over the field limit.
    long_id = next(i for i in given if len(i) > limits["MAX_FIELD_CHARS"])
    hashed = "sha256:" + hashlib.sha256(long_id.encode()).hexdigest()
    sent_for = {post["id"]: post for post in reached}
    assert sent_for[hashed]["author"] is None and sent_for[hashed]["url"] is None
    assert sorted(sent_for) == sorted(hashed if i == long_id else i for i in given)

    truth = companion_results(companion_server, [{"id": p["id"], "text": p["text"]} for p in reached])
    states = post_states(page, POSTS)
    assert [s["seen"] for s in states] == list(given)
    for state in states:
        result = truth[hashed if state["seen"] == long_id else state["seen"]]
        flagged = [name for name in LABELS if result["labels"][name]["flag"]]
        assert [b["label"] for b in state["badges"]] == flagged, state["seen"][:40]
        for badge in state["badges"]:
            assert f"{int(result['labels'][badge['label']]['score'] * 100 + 0.5)}%" in badge["text"]


def test_a_post_the_companion_still_refuses_leaves_the_rest_of_its_batch_labelled(spied, companion_server):
    posts = [{"id": f"p{i}", "text": f"Post {i}: anyone else still using a stovetop kettle?"} for i in range(40)]
    bad = posts[17] = {"id": "", "text": "A post with no id, so the companion refuses it: secret words"}
    answer = spied.worker.evaluate(CLASSIFY, posts)
    log = spied.log()

    good = [post for post in posts if post is not bad]
    assert [result["id"] for result in answer["results"]] == [post["id"] for post in good]
    truth = companion_results(companion_server, good)
    assert [r["labels"] for r in answer["results"]] == [truth[p["id"]]["labels"] for p in good]
    # Halving finds the one bad post in about 2 log2(n) requests, not one per post.
    assert len(log["requests"]) <= 2 * math.ceil(math.log2(len(posts))) + 1
    assert {r["status"] for r in log["requests"]} == {200, 422}
    assert len(log["warnings"]) == 1
    assert "invalid_field" in log["warnings"][0] and "secret words" not in log["warnings"][0]


def test_requests_stay_under_the_post_count_and_body_size_limits(spied, limits):
    # Japanese is three UTF-8 bytes a character: 36 texts at the text limit are 2.16 MB.
    line = "深夜の台所でやかんが鳴る。"
    japanese = [{"id": f"ja{i}", "text": (f"{i} " + line * 2000)[:limits["MAX_TEXT_CHARS"]]} for i in range(36)]
    short = [{"id": f"en{i}", "text": f"Short post number {i} about kettles."} for i in range(230)]
    answer = spied.worker.evaluate(CLASSIFY, japanese + short)
    log = spied.log()

    assert [r["id"] for r in answer["results"]] == [p["id"] for p in japanese + short]
    assert {r["status"] for r in log["requests"]} == {200} and log["warnings"] == []
    assert all(r["count"] <= limits["POSTS_PER_REQUEST"] for r in log["requests"])
    assert all(r["bytes"] <= limits["MAX_BODY_BYTES"] for r in log["requests"])
    assert sum(r["count"] for r in log["requests"]) == 266


FIT_TEXT = "(text) => { const fitted = CampfireFit.fitText(text); return [fitted, fitted.isWellFormed()]; }"


def test_a_shortened_text_never_splits_a_surrogate_pair(browser, limits):
    head, tail, mark = limits["TEXT_HEAD_CHARS"], limits["TEXT_TAIL_CHARS"], limits["CUT_MARK"]
    # Each emoji is two UTF-16 units, placed so that a plain cut would split it.
    text = "a" * (head - 1) + "😀" + "b" * 30_000 + "😀" + "c" * (tail - 1)
    fitted, well_formed = browser.worker.evaluate(FIT_TEXT, text)
    assert well_formed and fitted == "a" * (head - 1) + mark + "c" * (tail - 1)
    # One unit earlier, each emoji fits whole on its side of the cut.
    text = "a" * (head - 2) + "😀" + "b" * 30_000 + "😀" + "c" * (tail - 2)
    fitted, well_formed = browser.worker.evaluate(FIT_TEXT, text)
    assert well_formed and fitted == "a" * (head - 2) + "😀" + mark + "😀" + "c" * (tail - 2)
    at_limit = "é" * limits["MAX_TEXT_CHARS"]
    assert browser.worker.evaluate(FIT_TEXT, at_limit) == [at_limit, True]
