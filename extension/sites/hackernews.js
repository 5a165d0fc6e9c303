// Hacker News (news.ycombinator.com): the front page, "new" and the other story lists, and
// comment threads (item?id=), where Show HN and comment pitches live. Server-rendered tables
// whose class names have stayed for a decade; the story link's class changed in 2022
// (a.storylink → span.titleline > a). See sites/NOTES.md.
(() => {
  // A story or a comment: a row of class "athing" whose id is the item id.
  const STORY = "tr.athing:not(.comtr)";
  const COMMENT = "tr.athing.comtr";
  const TITLE_LINK = "span.titleline > a, a.storylink";
  // On an item page the story's own text (Ask HN, Show HN) follows in the same table.
  const STORY_TEXT = ".toptext";
  const COMMENT_TEXT = ".commtext";
  const AUTHOR = "a.hnuser";
  const ORIGIN = "https://news.ycombinator.com";

  const permalink = (id) => `${ORIGIN}/item?id=${id}`;

  // The story's byline is in the next row ("subtext"); job ads there have no author.
  function fromStory(el) {
    const link = el.querySelector(TITLE_LINK);
    const byline = el.nextElementSibling;
    const author = byline?.querySelector(AUTHOR)?.textContent.trim();
    if (!link || !author || !/^\d+$/.test(el.id)) return null;
    const title = link.textContent.trim();
    const href = link.getAttribute("href") ?? "";
    // "item?id=…" is the story itself (Ask HN); anything else is where it points.
    const target = /^item\?id=/.test(href) ? "" : CampfirePostText.unwrapUrl(href);
    const body = el.closest("table")?.querySelector(STORY_TEXT);
    const text = [title, target, body ? CampfirePostText.read(body) : ""].filter(Boolean).join("\n\n");
    return { id: el.id, text, author, permalink: permalink(el.id) };
  }

  function fromComment(el) {
    const textEl = el.querySelector(COMMENT_TEXT);
    const author = el.querySelector(AUTHOR)?.textContent.trim();
    const text = textEl ? CampfirePostText.read(textEl) : "";
    if (!author || !text || !/^\d+$/.test(el.id)) return null;
    return { id: el.id, text, author, permalink: permalink(el.id) };
  }

  CampfireSites.register({
    id: "hackernews",
    name: "Hacker News",
    hosts: ["news.ycombinator.com"],
    strategies: [
      { name: "story rows", posts: STORY, extract: fromStory },
      { name: "comment rows", posts: COMMENT, extract: fromComment },
    ],
    articles: `tr.athing, ${CampfireSites.ARTICLES}`,
    // The badge goes in the title cell of a story, above the text of a comment.
    badgeParent: (el) => el.querySelector("td.title:last-child") ?? el.querySelector(".comment") ?? el,
  });
})();
