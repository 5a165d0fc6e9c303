"""Every site adapter on its saved pages, in real Chromium with the real extension and companion.

Each page is served at its real URL, so the manifest's own match patterns decide that the
content scripts run there. What the adapter extracted is read twice: the ids Campfire marks on
the page (in page order) and the posts the service worker hands to the companion, seen by a
spy that passes every call on unchanged. X has its own tests (test_extension_feed.py).
"""
from __future__ import annotations

import pytest

from conftest import EXTENSION, FIXTURES, expected, wait_for_posts

SITES = sorted(p.parent.name for p in FIXTURES.glob("*/expected.json") if p.parent.name != "x")
PAGES = [(site, name) for site in SITES for name, info in expected(site).items() if "url" in info]
ELSEWHERE = [(site, name, url) for site, name in PAGES for url in expected(site)[name].get("also_at", [])]

SPY = """() => {
  if (!globalThis.__sent) {
    const classify = CampfireCompanion.classify;
    globalThis.__sent = [];
    CampfireCompanion.classify = (settings, posts) => {
      globalThis.__sent.push(...posts);
      return classify(settings, posts);
    };
  }
  globalThis.__sent.length = 0;
}"""
SEEN = "() => [...document.querySelectorAll('[data-campfire-seen]')].map((el) => el.dataset.campfireSeen)"
# A virtualized feed drops a post and renders it again as a new element.
RERENDER_FIRST = """() => {
  const post = document.querySelector('[data-campfire-seen]');
  const copy = post.cloneNode(true);
  copy.querySelectorAll('[data-campfire-badges]').forEach((host) => host.remove());
  for (const el of [copy, ...copy.querySelectorAll('*')]) {
    el.removeAttribute('data-campfire-seen');
    el.removeAttribute('data-campfire-action');
  }
  post.replaceWith(copy);
  return copy.isConnected;
}"""


@pytest.fixture
def sent(paired):
    """Reads the posts the content scripts have sent for classification since the test began."""
    paired.worker.evaluate(SPY)
    return lambda: paired.worker.evaluate("() => globalThis.__sent")


@pytest.mark.parametrize("site,name", PAGES, ids=[f"{s}/{n}" for s, n in PAGES])
def test_the_adapter_reads_each_post_of_the_page(paired, sent, site, name):
    page_info = expected(site)[name]
    page = paired.open(page_info["url"])
    wait_for_posts(page, page_info["posts"])

    assert page.evaluate(SEEN) == page_info["ids"]
    posts = {post["id"]: post for post in sent()}
    assert sorted(posts) == sorted(page_info["ids"])
    for post_id, post in posts.items():
        assert post["site"] == site
        assert post["text"] == page_info["texts"][post_id], post_id
        assert post["author"] == page_info["authors"][post_id], post_id
        assert (post["url"] or "") == page_info["permalinks"][post_id], post_id


@pytest.mark.parametrize("site,name", PAGES, ids=[f"{s}/{n}" for s, n in PAGES])
def test_a_post_rendered_again_keeps_its_id_and_its_labels(paired, sent, site, name):
    page_info = expected(site)[name]
    page = paired.open(page_info["url"])
    wait_for_posts(page, page_info["posts"])
    asked = len(sent())

    assert page.evaluate(RERENDER_FIRST)
    page.wait_for_function("(n) => document.querySelectorAll('[data-campfire-seen]').length === n",
                           arg=page_info["posts"])
    assert page.evaluate(SEEN) == page_info["ids"]
    assert len(sent()) == asked  # answered from the scanner's cache, not asked again


@pytest.mark.parametrize("site,name,url", ELSEWHERE, ids=[f"{s}/{n}@{u}" for s, n, u in ELSEWHERE])
def test_the_adapter_does_not_depend_on_the_host(clean_browser, site, name, url):
    """A Mastodon instance the user adds: the adapter is looked up the way the content script
    does for added hosts (`forHost` with `extraHosts`), using the extension's own files.

    Granting the host permission that makes the browser inject them needs a person's click,
    so the manifest's site files are added to the page here instead."""
    page_info = expected(site)[name]
    host = url.split("/")[2]
    page = clean_browser.context.new_page()
    page.route(url, lambda route: route.fulfill(path=str(FIXTURES / site / name),
                                                content_type="text/html; charset=utf-8"))
    page.goto(url)
    manifest_js = clean_browser.worker.evaluate("() => chrome.runtime.getManifest().content_scripts[0].js")
    for script in manifest_js:
        if script.startswith(("sites/", "shared/post-text")):
            page.add_script_tag(content=(EXTENSION / script).read_text(encoding="utf-8"))
    posts = page.evaluate(
        """([host, site]) => {
          const adapter = CampfireSites.forHost(location.hostname, {[host]: site});
          return [...document.querySelectorAll(adapter.postSelector)].map((el) => adapter.extract(el))
            .filter(Boolean);
        }""", [host, site])

    default_host = page_info["url"].split("/")[2]
    assert [p["id"] for p in posts] == page_info["ids"]
    for post in posts:
        assert post["text"] == page_info["texts"][post["id"]]
        assert post["author"] == page_info["authors"][post["id"]].replace(default_host, host)
        assert post["permalink"] == page_info["permalinks"][post["id"]].replace(default_host, host)
