// Mastodon: the web app of any instance (the user adds instances, so nothing here depends on
// the host), checked 2026-11-22 against mastodon/mastodon's source: the default ("legacy")
// status markup in app/javascript/mastodon/components/status/legacy/.
(() => {
  // One status; a boost renders the boosted status with its own data-id. A quoted status
  // (4.5 quote posts) is nested inside the quoting one and belongs to it.
  const STATUS = ".status[data-id]:not(.status--is-quote)";
  // The status's own parts are direct children, which keeps the quoted status's parts out.
  const TEXT = ":scope > .status__content > .status__content__text";
  const SPOILER = ":scope > .content-warning:not(.content-warning--filter) > p";
  // Trailing hashtags move out of the text into this bar (hashtag_bar.tsx): #ad can live here.
  const HASHTAG_BAR = ":scope > .hashtag-bar";
  const PERMALINK = ":scope > .status__info > a.status__relative-time";
  const AUTHOR = ":scope > .status__info > a.status__display-name";
  const ACCOUNT_PATH = /^\/@([^/@]+)(@[^/]+)?\/?$/;

  // "/@alice" is local to the instance; "/@dave@indie.example" names the home instance.
  function authorOf(link) {
    const match = ACCOUNT_PATH.exec(new URL(link.getAttribute("href"), location.href).pathname);
    return match ? `@${match[1]}${match[2] ?? `@${location.hostname}`}` : null;
  }

  function hashtags(bar) {
    return [...(bar?.querySelectorAll("a") ?? [])].map((a) => a.textContent.trim()).join(" ");
  }

  function extract(el) {
    const id = el.dataset.id;
    const link = el.querySelector(PERMALINK);
    const authorLink = el.querySelector(AUTHOR);
    if (!id || !link || !authorLink) return null;
    const text = [
      CampfirePostText.read(el.querySelector(SPOILER), el.querySelector(TEXT)),
      hashtags(el.querySelector(HASHTAG_BAR)),
    ].filter(Boolean).join("\n\n");
    const author = authorOf(authorLink);
    if (!text || !author) return null;
    return { id, text, author, permalink: new URL(link.getAttribute("href"), location.href).href };
  }

  CampfireSites.register({
    id: "mastodon",
    name: "Mastodon",
    hosts: ["mastodon.social"],
    strategies: [{ name: "statuses", posts: STATUS, extract }],
    // The scrollable list's <article> is the feed item; it keeps its place while the status
    // inside it is un-rendered off screen.
    feedItem: (el) => el.closest("article[data-id]") ?? el,
  });
})();
