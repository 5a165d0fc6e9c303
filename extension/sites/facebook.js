// Facebook (www.facebook.com feeds, groups, pages): the "Comet" React app, checked 2026-11-22
// and 2026-12-05 against public extension and scraper code. Class names are generated per
// build; the data-ad-* hooks and ARIA roles are what stays. Feeds have been served both with
// and without aria-posinset on their units, so the feed's structure is the fallback.
(() => {
  // A feed unit (posts, ads and modules such as "People you may know" alike).
  const UNIT = "div[aria-posinset]";
  // Without aria-posinset: the children of the feed (role="feed"), or the pagelets that name
  // feed units.
  const FEED_CHILD = '[role="feed"] > div, [data-pagelet^="FeedUnit"]';
  // Facebook scrambles the visible "Sponsored" letters; the ad-preferences link and its
  // aria-label are what public ad hiders key on.
  const AD_LINK = 'a[aria-label="Sponsored"], a[href*="/ads/about"]';
  const AD_LABELS = new Set(["Sponsored"]);
  // The post's own message; comments under it are nested role="article" blocks.
  const MESSAGE = '[data-ad-rendering-role="story_message"], [data-ad-preview="message"], [data-ad-comet-preview="message"]';
  const COMMENT = '[role="article"]';
  const PROFILE = '[data-ad-rendering-role="profile_name"] a[href]';
  // Links that name the post. The timestamp's href is "#" until the pointer rests on it, so
  // a post may have none: it is then known by its author and text.
  const PERMALINK = 'a[href*="/posts/"], a[href*="/permalink.php"], a[href*="story_fbid="], a[href*="/videos/"], a[href*="/reel/"], a[href*="/photo"]';
  const POST_PARAMS = ["story_fbid", "fbid", "id", "v"];

  const inComment = (node, el) => node.parentElement.closest(COMMENT) !== el.closest(COMMENT);

  // The post's path without the tracking parameters ("__cft__", "__tn__") that change per view.
  function postPath(el) {
    const link = [...el.querySelectorAll(PERMALINK)].find((a) => !inComment(a, el));
    if (!link) return "";
    const url = new URL(link.getAttribute("href"), location.origin);
    const kept = POST_PARAMS.filter((p) => url.searchParams.has(p))
      .map((p) => `${p}=${url.searchParams.get(p)}`);
    return `${url.pathname}${kept.length ? `?${kept.join("&")}` : ""}`;
  }

  // "/lena.bakes", "/profile.php?id=1000…" or a group member's "/groups/g/user/1000…/".
  function authorOf(link) {
    if (!link) return null;
    const url = new URL(link.getAttribute("href"), location.origin);
    const member = /\/user\/(\d+)/.exec(url.pathname)?.[1] ?? url.searchParams.get("id");
    return member ? `id:${member}` : url.pathname.split("/")[1] || null;
  }

  function extract(el) {
    const message = el.querySelector(MESSAGE);
    const author = authorOf(el.querySelector(PROFILE));
    const text = message && !inComment(message, el) ? CampfirePostText.read(message) : "";
    if (!text || !author) return null;
    const path = postPath(el);
    const id = path || `${author}:${CampfirePostText.fingerprint(text)}`;
    const permalink = path ? `https://www.facebook.com${path}` : "";
    return { id, text, author, permalink };
  }

  CampfireSites.register({
    id: "facebook",
    name: "Facebook",
    hosts: ["www.facebook.com", "web.facebook.com"],
    strategies: [
      { name: "feed units (aria-posinset)", posts: UNIT, extract },
      { name: "feed children", posts: FEED_CHILD, extract },
    ],
    articles: `[role="feed"] > div, ${CampfireSites.ARTICLES}`,
    isAd: (el) => !!el.querySelector(AD_LINK) || CampfireSites.labelled(el, AD_LABELS, MESSAGE),
  });
})();
