// X (x.com, formerly twitter.com): the React web app's timeline, where every post is
// <article data-testid="tweet"> inside a virtualized <div data-testid="cellInnerDiv"> row.
// The first User-Name block and the first tweetText in an article are the post's own; a
// quoted post follows them inside div[role="link"]. See sites/NOTES.md for the markup
// generations and when they were checked.
(() => {
  const TEXT = '[data-testid="tweetText"]';
  // Without its test id, the post's text is the block X marks with the language it detected.
  const TEXT_BY_LANG = 'div[lang][dir="auto"]';
  const USER_NAME = '[data-testid="User-Name"]';
  const QUOTE = 'div[role="link"]';
  // The timestamp link is the permalink. Promoted posts have none; their media links
  // (/<handle>/status/<id>/photo/1) still name the post.
  const TIME_LINK = 'a[href*="/status/"] > time';
  const STATUS_LINK = 'a[href*="/status/"]';
  const FEED_ROW = '[data-testid="cellInnerDiv"]';
  // The article lays out in a row; its only child is the column that holds the whole post.
  const POST_COLUMN = ":scope > div";
  const STATUS_PATH = /^\/([^/]+)\/status\/(\d+)/;
  // X's own mark on a promoted post, in the languages public ad hiders list.
  const AD_LABELS = new Set(["Ad", "Promoted", "Gesponsert", "Sponsorisé", "Promocionado", "Promovido", "Sponsorizzato"]);

  // textContent keeps the "https://" X hides inside shortened links; emoji are <img alt>;
  // a lone "…" inside a link is X's mark on a cut-off URL, not the author's (an author's own
  // "…" after a hashtag is a lone text node too, outside any link, and is kept).
  function readText(node) {
    let out = "";
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out += child.data === "…" && child.parentElement.closest("a") ? "" : child.data;
      else if (child.nodeName === "IMG") out += child.getAttribute("alt") ?? "";
      else if (child.nodeName === "BR") out += "\n";
      else if (child.nodeType === Node.ELEMENT_NODE) out += readText(child);
    }
    return out;
  }

  const ownPart = (el, selector) =>
    [...el.querySelectorAll(selector)].find((node) => !node.closest(QUOTE)) ?? null;

  function statusOf(el) {
    const link = ownPart(el, TIME_LINK)?.parentElement ?? ownPart(el, STATUS_LINK);
    if (!link) return null;
    const url = new URL(link.getAttribute("href"), location.origin);
    const path = STATUS_PATH.exec(url.pathname);
    return path && { handle: path[1], id: path[2], permalink: `${url.origin}${path[0]}` };
  }

  function authorOf(userName, status) {
    for (const span of userName?.querySelectorAll("span") ?? []) {
      const text = span.textContent.trim();
      if (/^@\w+$/.test(text)) return text;
    }
    return `@${status.handle}`;
  }

  const extractWith = (textSelector) => (el) => {
    const status = statusOf(el);
    const textEl = ownPart(el, textSelector);
    const text = textEl ? readText(textEl).trim() : "";
    if (!status || !text) return null;
    return { id: status.id, text, author: authorOf(ownPart(el, USER_NAME), status), permalink: status.permalink };
  };

  CampfireSites.register({
    id: "x",
    name: "X",
    hosts: ["x.com", "twitter.com"],
    strategies: [
      { name: "tweet test id", posts: 'article[data-testid="tweet"]', extract: extractWith(TEXT) },
      // Structure: the articles of the timeline's rows, text found by its language mark.
      { name: "timeline articles", posts: `${FEED_ROW} article`, extract: extractWith(`${TEXT}, ${TEXT_BY_LANG}`) },
    ],
    isAd: (el) => CampfireSites.labelled(el, AD_LABELS, `${TEXT}, ${TEXT_BY_LANG}, ${QUOTE}`),
    feedItem: (el) => el.closest(FEED_ROW) ?? el,
    badgeParent: (el) => el.querySelector(POST_COLUMN) ?? el,
  });
})();
