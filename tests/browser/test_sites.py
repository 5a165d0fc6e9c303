"""Every site adapter on its saved pages, in real Chromium with the real extension and companion.

Each page is served at its real URL, so the manifest's own match patterns decide that the
content scripts run there. What the adapter extracted is read twice: the ids Campfire marks on
the page (in page order) and the posts the service worker hands to the companion, seen by a
spy that passes every call on unchanged. Every site has pages for at least two generations of
its markup where one was found (see extension/sites/NOTES.md); the platform's own ads on them
are marked, never sent, and hidden when the user asks.
"""
from __future__ import annotations

import pytest

from conftest import EXTENSION, FIXTURES, expected, wait_for_posts

SITES = sorted(p.parent.name for p in FIXTURES.glob("*/expected.json"))
PAGES = [(site, name) for site in SITES for name, info in expected(site).items() if "url" in info]
ELSEWHERE = [(site, name, url) for site, name in PAGES for url in expected(site)[name].get("also_at", [])]
# One page per site for the health check: its first page with posts.
FIRST_PAGES = [next((s, n) for s, n in PAGES if s == site) for site in SITES]
AD_TEXT = "Ad — marked by the site"

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
# The ads Campfire marked: their mark's text and whether the ad is on screen.
ADS = """() => [...document.querySelectorAll('[data-campfire-ad]')].map((ad) => {
  const host = ad.querySelector('[data-campfire-badges]');
  return {mark: host?.shadowRoot?.textContent ?? null,
          shown: ad.getBoundingClientRect().height > 0 && ad.checkVisibility()};
})"""
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
# The site changes its layout: every post and ad Campfire found becomes a plain <article> with
# the same words and none of the markup the adapter knew.
CHANGE_LAYOUT = """(keep = 0) => {
  let n = 0;
  for (const el of [...document.querySelectorAll('[data-campfire-seen], [data-campfire-ad]')].slice(keep)) {
    if (!el.isConnected) continue;
    el.querySelectorAll('[data-campfire-badges]').forEach((host) => host.remove());
    const article = document.createElement('article');
    article.textContent = el.textContent;
    el.replaceWith(article);
    n += 1;
  }
  return n;
}"""


def page_counts(browser, site: str) -> dict:
    return browser.worker.evaluate(
        "async (tab) => (await chrome.tabs.sendMessage(tab, {type: CampfireMessages.MSG.PAGE_COUNTS})).value",
        browser.tab_id(site))


@pytest.fixture
def sent(paired):
    """Reads the posts the content scripts have sent for classification since the test began."""
    paired.worker.evaluate(SPY)
    return lambda: paired.worker.evaluate("() => globalThis.__sent")


@pytest.mark.parametrize("site,name", PAGES, ids=[f"{s}/{n}" for s, n in PAGES])
def test_the_adapter_reads_each_post_and_marks_each_ad(paired, sent, site, name):
    page_info = expected(site)[name]
    ads = page_info.get("ads", 0)
    page = paired.open(page_info["url"])
    wait_for_posts(page, page_info["posts"])
    page.wait_for_function("(n) => document.querySelectorAll('[data-campfire-ad]').length >= n", arg=ads)

    assert page.evaluate(SEEN) == page_info["ids"]
    posts = {post["id"]: post for post in sent()}
    assert sorted(posts) == sorted(page_info["ids"])  # exactly once each; no ad, no module
    for post_id, post in posts.items():
        assert post["site"] == site
        assert post["text"] == page_info["texts"][post_id], post_id
        assert post["author"] == page_info["authors"][post_id], post_id
        assert (post["url"] or "") == page_info["permalinks"][post_id], post_id
    assert page.evaluate(ADS) == [{"mark": AD_TEXT, "shown": True}] * ads
    counts = page_counts(paired, site)  # what the popup is told: no false alarm on a known layout
    assert (counts["posts"], counts["ads"], counts["health"]["state"]) == (page_info["posts"], ads, "ok")

    if ads:  # the per-site setting hides them; the posts stay
        paired.save_settings(hideAds=[site])
        page.wait_for_function(f"() => ({ADS})().every((ad) => !ad.shown)")
        assert page.evaluate(f"() => ({ADS})().length") == ads
        assert page.evaluate(SEEN) == page_info["ids"]
        paired.save_settings(hideAds=[])
        page.wait_for_function(f"() => ({ADS})().every((ad) => ad.shown)")
    assert len(sent()) == len(page_info["ids"])


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


@pytest.mark.parametrize("site,name", FIRST_PAGES, ids=[f"{s}/{n}" for s, n in FIRST_PAGES])
def test_a_changed_layout_is_reported_in_the_popup_and_the_options(paired, site, name):
    page_info = expected(site)[name]
    page = paired.open(page_info["url"])
    wait_for_posts(page, page_info["posts"])
    tab = paired.tab_id(site)
    popup = paired.extension_page(f"popup/popup.html?tab={tab}")
    popup.wait_for_selector("#page-controls:not([hidden])")
    assert popup.locator("#site-health").is_hidden()  # the page as the adapter knows it

    assert page.evaluate(CHANGE_LAYOUT) >= 2
    warning = popup.locator("#site-health")
    warning.wait_for(state="visible")

    options = paired.extension_page("options/options.html")
    options.wait_for_selector("body[data-ready=true]")
    site_name, words = options.evaluate(
        "(id) => { const { name } = CampfireSites.all().find((a) => a.id === id);"
        "  return [name, CampfireHealth.describe(name, {state: 'none'})]; }",
        site)
    assert words == f"{site_name}: no posts recognised on this page — the site may have changed its layout."
    assert warning.text_content() == words
    entry = options.locator(f"#site-health li[data-site={site}]")
    assert entry.get_attribute("data-state") == "none"
    assert entry.text_content().startswith(words)


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
          return CampfireSites.find(adapter).items.filter((item) => item.post).map((item) => item.post);
        }""", [host, site])

    default_host = page_info["url"].split("/")[2]
    assert [p["id"] for p in posts] == page_info["ids"]
    for post in posts:
        assert post["text"] == page_info["texts"][post["id"]]
        assert post["author"] == page_info["authors"][post["id"]].replace(default_host, host)
        assert post["permalink"] == page_info["permalinks"][post["id"]].replace(default_host, host)


def test_the_hide_ads_switches_of_the_options_and_the_popup_save_the_setting(paired):
    options = paired.extension_page("options/options.html")
    options.wait_for_selector("body[data-ready=true]")
    options.get_by_label("Hide Reddit's own ads").check()
    options.wait_for_function("async () => (await CampfireSettings.load()).hideAds.join() === 'reddit'")

    page_info = expected("reddit")["feed_2026.html"]
    page = paired.open(page_info["url"])
    wait_for_posts(page, page_info["posts"])
    page.wait_for_function(f"() => ({ADS})().length === {page_info['ads']} && ({ADS})().every((ad) => !ad.shown)")
    popup = paired.extension_page(f"popup/popup.html?tab={paired.tab_id('reddit')}")
    switch = popup.locator("#hide-ads")
    switch.wait_for(state="visible")
    popup.wait_for_function("() => document.querySelector('#hide-ads').checked")
    switch.uncheck()
    page.wait_for_function(f"() => ({ADS})().every((ad) => ad.shown)")
    assert paired.worker.evaluate("async () => (await CampfireSettings.load()).hideAds") == []


def test_a_page_where_most_posts_are_no_longer_recognised_is_reported(paired):
    page_info = expected("x")["feed.html"]
    page = paired.open(page_info["url"])
    wait_for_posts(page, page_info["posts"])
    popup = paired.extension_page(f"popup/popup.html?tab={paired.tab_id('x')}")
    popup.wait_for_selector("#page-controls:not([hidden])")

    changed = page.evaluate(CHANGE_LAYOUT, 1)  # one post keeps the markup X had
    warning = popup.locator("#site-health")
    warning.wait_for(state="visible")
    articles = page.evaluate("() => document.querySelectorAll('article').length")
    assert changed >= 2 * 3 and articles == changed + 1 + 1  # + the kept post + the photo post
    assert warning.text_content() == (f"X: only 1 of {articles} posts on this page recognised — "
                                      "the site may have changed its layout.")
