// X (x.com, formerly twitter.com): the React web app's timeline, checked 2025 against the
// layout where every post is <article data-testid="tweet"> inside a virtualized
// <div data-testid="cellInnerDiv"> row. The first User-Name block and the first tweetText in
// an article belong to the post itself; a quoted post follows them inside div[role="link"].
(() => {
  const POST = 'article[data-testid="tweet"]';
  const TEXT = '[data-testid="tweetText"]';
  const USER_NAME = '[data-testid="User-Name"]';
  // The timestamp link is the post's permalink; other /status/ links (analytics, photos,
  // quoted posts) carry no <time>.
  const PERMALINK = 'a[href*="/status/"] > time';
  const FEED_ROW = '[data-testid="cellInnerDiv"]';
  const STATUS_PATH = /^\/([^/]+)\/status\/(\d+)/;

  // textContent keeps the "https://" X hides inside shortened links; emoji are <img alt>.
  function readText(node) {
    let out = "";
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out += child.data === "…" ? "" : child.data;
      else if (child.nodeName === "IMG") out += child.getAttribute("alt") ?? "";
      else if (child.nodeName === "BR") out += "\n";
      else if (child.nodeType === Node.ELEMENT_NODE) out += readText(child);
    }
    return out;
  }

  function authorOf(userName, path) {
    for (const span of userName?.querySelectorAll("span") ?? []) {
      const text = span.textContent.trim();
      if (/^@\w+$/.test(text)) return text;
    }
    return `@${path[1]}`;
  }

  function extract(el) {
    const userName = el.querySelector(USER_NAME);
    const time = userName?.querySelector(PERMALINK) ?? el.querySelector(PERMALINK);
    const link = time?.parentElement;
    if (!link) return null;
    const url = new URL(link.getAttribute("href"), location.origin);
    const path = STATUS_PATH.exec(url.pathname);
    const textEl = el.querySelector(TEXT);
    if (!path || !textEl) return null;
    const text = readText(textEl).trim();
    if (!text) return null;
    return { id: path[2], text, author: authorOf(userName, path), permalink: url.href };
  }

  CampfireSites.register({
    id: "x",
    name: "X",
    hosts: ["x.com", "twitter.com"],
    postSelector: POST,
    extract,
    feedItem: (el) => el.closest(FEED_ROW) ?? el,
  });
})();
