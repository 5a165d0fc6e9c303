// Selector health: does the page give the posts its site adapter should find? A site that
// changes its markup silently breaks every feed-reading extension; this says so instead.
// The content script judges each scan, keeps the last state per site in chrome.storage.local
// (no network), the popup says it in words and the options page lists each site's state.
(() => {
  const STORAGE_KEY = "siteHealth";
  // Below this many visible articles a page is not a feed (a settings page, a profile header).
  const MIN_ARTICLES = 2;
  // "Far fewer": under a third of the visible articles recognised, posts and ads together.
  const FEW_RATIO = 1 / 3;

  // counts: {posts, ads, articles (visible top-level articles)} -> "ok" | "none" | "few" | "no_feed"
  function assess({ posts, ads, articles }) {
    const found = posts + ads;
    if (found === 0) return articles >= MIN_ARTICLES ? "none" : "no_feed";
    if (articles >= 2 * MIN_ARTICLES && found < articles * FEW_RATIO) return "few";
    return "ok";
  }

  function describe(siteName, report) {
    const { t } = CampfireI18n;
    switch (report?.state) {
      case "none":
        return t("health_none", siteName);
      case "few":
        return t("health_few", siteName, report.posts + report.ads, report.articles);
      case "ok":
        return t("health_ok", siteName);
      case "no_feed":
        return t("health_no_feed", siteName);
      default:
        return t("health_unseen", siteName);
    }
  }

  const warns = (report) => report?.state === "none" || report?.state === "few";

  // Near the screen: within one screen above or below it. Feeds that keep far-away items as
  // empty placeholders (Mastodon) are judged by what is rendered around the reader.
  function nearScreen(el) {
    const { top, bottom, height } = el.getBoundingClientRect();
    return height > 0 && bottom >= -innerHeight && top <= 2 * innerHeight;
  }

  // The outermost articles near the screen (what a reader would call its posts). The matches
  // come in document order, so one inside an article already counted follows it.
  function visibleArticles(selector, root = document) {
    let n = 0;
    let outer = null;
    for (const el of root.querySelectorAll(selector)) {
      if (outer?.contains(el) || !nearScreen(el)) continue;
      outer = el;
      n += 1;
    }
    return n;
  }

  async function loadAll() {
    const stored = (await chrome.storage.local.get(STORAGE_KEY))[STORAGE_KEY];
    return stored && typeof stored === "object" && !Array.isArray(stored) ? stored : {};
  }

  // Only a change of state is written: a scan runs on every page mutation.
  async function record(site, report) {
    const all = await loadAll();
    const before = all[site];
    if (before && before.state === report.state && before.strategy === report.strategy) return false;
    all[site] = { ...report, at: new Date().toISOString() };
    await chrome.storage.local.set({ [STORAGE_KEY]: all });
    return true;
  }

  globalThis.CampfireHealth = { STORAGE_KEY, assess, describe, warns, nearScreen, visibleArticles, loadAll, record };
})();
