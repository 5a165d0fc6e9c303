// Reddit: www.reddit.com ("shreddit" web components) and old.reddit.com (classic "thing"
// markup), checked 2026-11-22 and 2026-12-05 against public extension/scraper code and
// ad-block rules (see sites/NOTES.md). Promoted posts are Reddit's ads, never posts.
(() => {
  // shreddit: posts, promoted posts and comments keep their data in attributes; their slotted
  // children (title, body) are direct children, so :scope > skips nested replies.
  const SHREDDIT = "shreddit-post, shreddit-comment";
  // Reddit's own ads: the promoted post elements and old Reddit's promoted "thing".
  const ADS = "shreddit-ad-post, shreddit-comments-page-ad, .thing.promoted, .thing.promotedlink";
  const SHREDDIT_TITLE = ':scope > [slot="title"]';
  // A feed card's body may itself be a link to the post (<a slot="text-body">); it is read as
  // text, never as a link (its label, a clamped preview, can end in "…").
  const SHREDDIT_BODY = ':scope > [slot="text-body"], :scope > [slot="comment"]';
  // old.reddit: every post and comment is div.thing[data-fullname]; its own text sits in
  // .entry, its replies in the sibling .child.
  const OLD_THING = ".thing.link[data-fullname], .thing.comment[data-fullname]";
  const OLD_TITLE = ":scope > .entry a.title";
  const OLD_BODY = ":scope > .entry .usertext-body > .md";
  // A feed card's row: shreddit-feed holds one <article> (or a bare ad) per post.
  const SHREDDIT_FEED_ROW = "shreddit-feed > article";
  const DELETED = new Set(["[deleted]", "[removed]"]);
  const REDDIT_HOST = /(^|\.)(reddit\.com|redd\.it|redditmedia\.com)$/;

  // A link post's target (often a shortener or affiliate link) is part of what it says.
  function destination(href) {
    if (!href) return "";
    const url = new URL(CampfirePostText.unwrapUrl(href), location.href);
    return REDDIT_HOST.test(url.hostname) ? "" : url.href;
  }

  function post(id, author, permalink, text) {
    if (!id || !author || DELETED.has(author) || !text || DELETED.has(text)) return null;
    const url = permalink ? new URL(permalink, location.origin).href : "";
    return { id, text, author: `u/${author}`, permalink: url };
  }

  function withLink(text, href) {
    const link = destination(href);
    return link && !text.includes(link) ? `${text}\n\n${link}` : text;
  }

  function fromShreddit(el) {
    if (el.hasAttribute("is-comment-deleted")) return null;
    const title = el.querySelector(SHREDDIT_TITLE);
    const text = [
      title ? CampfirePostText.read(title) : el.getAttribute("post-title") ?? "",
      CampfirePostText.read(el.querySelector(SHREDDIT_BODY)),
    ].filter(Boolean).join("\n\n");
    return post(el.getAttribute("thingid") ?? el.id, el.getAttribute("author"),
      el.getAttribute("permalink"), withLink(text, el.getAttribute("content-href")));
  }

  function fromOld(el) {
    const text = CampfirePostText.read(el.querySelector(OLD_TITLE), el.querySelector(OLD_BODY));
    return post(el.dataset.fullname, el.dataset.author, el.dataset.permalink,
      withLink(text, el.dataset.url));
  }

  CampfireSites.register({
    id: "reddit",
    name: "Reddit",
    hosts: ["reddit.com"],
    strategies: [
      { name: "ads", posts: ADS, ads: true },
      { name: "shreddit elements", posts: SHREDDIT, extract: fromShreddit },
      { name: "old reddit things", posts: OLD_THING, extract: fromOld },
    ],
    // What a reader sees as the feed's items on either Reddit.
    articles: `${SHREDDIT_FEED_ROW}, #siteTable > .thing, ${CampfireSites.ARTICLES}`,
    feedItem: (el) => el.closest(SHREDDIT_FEED_ROW) ?? el,
  });
})();
