// LinkedIn (www.linkedin.com feed), checked 2026-11-22 against public extension and scraper
// code. Two layouts are served: the classic Ember feed and the newer server-driven ("SDUI")
// feed with hashed class names; see sites/NOTES.md.
(() => {
  // Classic: one card per update with its URN; off-screen rows ("occludable-update") are
  // emptied and later refilled with the same card.
  const CLASSIC = "div.feed-shared-update-v2[data-urn]";
  // The first commentary is the poster's own; a reshared update's text comes after it.
  // "…more" is a button over text that is already complete in the DOM.
  const CLASSIC_TEXT = ".update-components-text";
  const CLASSIC_ACTOR = "a.update-components-actor__meta-link";
  // SDUI: an update is a top-level listitem of the main feed; only its componentkey names it,
  // and the page holds no link to the update itself. Comments are nested listitems.
  const SDUI = '[data-testid="mainFeed"] div[role="listitem"][componentkey]:not([role="listitem"] *)';
  const SDUI_TEXT = '[data-testid="expandable-text-box"]';
  const SDUI_KEY = /^update-card-focus(.+?)FeedType_/;
  const PROFILE_LINK = 'a[href*="/in/"], a[href*="/company/"], a[href*="/school/"], a[href*="/showcase/"]';
  const PROFILE_PATH = /^\/(in|company|school|showcase)\/([^/?#]+)/;

  // LinkedIn shows names, not handles; the profile path ("in/jane-doe") is the stable name.
  function authorOf(link) {
    const match = link && PROFILE_PATH.exec(new URL(link.getAttribute("href"), location.origin).pathname);
    return match ? `${match[1]}/${decodeURIComponent(match[2])}` : null;
  }

  function post(id, textEl, actor, permalink) {
    const text = CampfirePostText.read(textEl);
    const author = authorOf(actor);
    return id && text && author ? { id, text, author, permalink } : null;
  }

  function fromClassic(el) {
    const urn = el.dataset.urn;
    return post(urn, el.querySelector(CLASSIC_TEXT),
      el.querySelector(CLASSIC_ACTOR) ?? el.querySelector(PROFILE_LINK),
      `https://www.linkedin.com/feed/update/${urn}/`);
  }

  function fromSdui(el) {
    const key = SDUI_KEY.exec(el.getAttribute("componentkey"))?.[1];
    return post(key, el.querySelector(SDUI_TEXT), el.querySelector(PROFILE_LINK), "");
  }

  CampfireSites.register({
    id: "linkedin",
    name: "LinkedIn",
    hosts: ["linkedin.com"],
    postSelector: `${CLASSIC}, ${SDUI}`,
    extract: (el) => (el.matches(CLASSIC) ? fromClassic(el) : fromSdui(el)),
    feedItem: (el) => el.closest("[data-finite-scroll-hotkey-item]") ?? el,
  });
})();
