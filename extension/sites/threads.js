// Threads (www.threads.com, formerly www.threads.net): Meta's React app, checked 2026-12-05
// against public automation notes and userscripts (see sites/NOTES.md). Class names are
// generated per build; every post and reply is a [data-pressable-container="true"] block,
// and /@user and /@user/post/<code> links name its author and the post.
(() => {
  const POST = '[data-pressable-container="true"]:not([data-pressable-container="true"] *)';
  const POST_LINK = 'a[href*="/post/"]';
  const POST_PATH = /^\/@([\w.]+)\/post\/([\w-]+)/;
  // The post's text: direction-marked text blocks outside links (names and the timestamp are
  // links) and outside a quoted post (a nested pressable block).
  const TEXT = 'span[dir="auto"]:not(a *):not(span[dir="auto"] *)';
  const QUOTE = '[data-pressable-container="true"] [data-pressable-container="true"]';
  const AD_LABELS = new Set(["Sponsored"]);

  // The permalink is the timestamp's link (the one holding <time>), else the first post link.
  function postOf(el) {
    const own = [...el.querySelectorAll(POST_LINK)].filter((a) => !a.closest(QUOTE));
    const link = own.find((a) => a.querySelector("time")) ?? own[0];
    const path = link && POST_PATH.exec(new URL(link.getAttribute("href"), location.origin).pathname);
    return path && { author: `@${path[1]}`, id: `${path[1]}/${path[2]}`, permalink: `${location.origin}${path[0]}` };
  }

  function extract(el) {
    const post = postOf(el);
    if (!post) return null;
    const blocks = [...el.querySelectorAll(TEXT)].filter((span) => !span.closest(QUOTE) &&
      span.textContent.trim() !== post.author.slice(1) && !AD_LABELS.has(span.textContent.trim()));
    const text = CampfirePostText.read(...blocks);
    return text ? { ...post, text } : null;
  }

  CampfireSites.register({
    id: "threads",
    name: "Threads",
    hosts: ["www.threads.com", "www.threads.net"],
    strategies: [{ name: "pressable containers", posts: POST, extract }],
    isAd: (el) => CampfireSites.labelled(el, AD_LABELS, QUOTE),
    articles: `${POST}, ${CampfireSites.ARTICLES}`,
  });
})();
