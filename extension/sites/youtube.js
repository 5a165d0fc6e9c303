// YouTube comments (www.youtube.com watch pages), checked 2026-11-22
// against public extension and scraper code: since 2024 each comment and reply is a
// <ytd-comment-view-model>; the older <ytd-comment-renderer> has the same inner ids.
(() => {
  // Ad renderers named by uBlock Origin's and AdGuard's YouTube cosmetic rules.
  const ADS = ["ytd-ad-slot-renderer", "ytd-in-feed-ad-layout-renderer", "ytd-promoted-sparkles-web-renderer",
    "ytd-promoted-video-renderer", "ytd-display-ad-renderer", "ytd-action-companion-ad-renderer",
    "ytd-banner-promo-renderer"].join(", ");
  // Replies sit beside the comment (in #replies of the thread), never inside it, so these
  // ids (not unique on the page) are the comment's own.
  const TEXT = "#content-text";
  const AUTHOR = "#author-text";
  // The "2 days ago" link is the permalink; its lc= parameter is the comment id
  // ("<parent>.<reply>" for a reply).
  const PERMALINK = "#published-time-text a, .published-time-text a";

  function extract(el) {
    const link = el.querySelector(PERMALINK);
    const textEl = el.querySelector(TEXT);
    const author = el.querySelector(AUTHOR)?.textContent.trim();
    if (!link || !textEl || !author) return null;
    const url = new URL(link.getAttribute("href"), location.origin);
    const id = url.searchParams.get("lc");
    const text = CampfirePostText.read(textEl);
    if (!id || !text) return null;
    return { id, text, author, permalink: url.href };
  }

  CampfireSites.register({
    id: "youtube",
    name: "YouTube comments",
    hosts: ["www.youtube.com"],
    strategies: [
      // YouTube's own ads on a watch page (in the related column and the engagement panels).
      { name: "ad slots", posts: ADS, ads: true },
      { name: "comment view models", posts: "ytd-comment-view-model", extract },
      { name: "comment renderers (before 2024)", posts: "ytd-comment-renderer", extract },
    ],
    articles: `ytd-comment-thread-renderer, ${CampfireSites.ARTICLES}`,
    feedItem: (el) => el.closest("ytd-comment-thread-renderer") ?? el,
  });
})();
