// LinkedIn (www.linkedin.com feed). Three generations of markup are served, and which one an
// account gets varies: the classic Ember feed, the server-driven ("SDUI") feed of 2026 with
// hashed class names, and the same feed once its list items lost their componentkey (the
// update is then named by data-view-name). See sites/NOTES.md for sources and dates.
(() => {
  // Classic: one card per update with its URN; off-screen rows ("occludable-update") are
  // emptied and later refilled with the same card.
  const CLASSIC = "div.feed-shared-update-v2[data-urn]";
  // The first commentary is the poster's own; a reshared update's text comes after it.
  // "…more" is a button over text that is already complete in the DOM.
  const CLASSIC_TEXT = ".update-components-text";
  const CLASSIC_ACTOR = "a.update-components-actor__meta-link";
  const FEED = '[data-testid="mainFeed"]';
  // SDUI: an update is a top-level listitem of the main feed, named by its componentkey; the
  // page holds no link to the update itself. Comments are nested listitems.
  const SDUI = `${FEED} div[role="listitem"][componentkey]:not([role="listitem"] *)`;
  // Late 2026: the update is the element LinkedIn's analytics name "feed-full-update"; its
  // key, if any, sits on an inner element.
  const FULL_UPDATE = '[data-view-name="feed-full-update"]';
  const SDUI_TEXT = '[data-testid="expandable-text-box"], [data-view-name="feed-commentary"]';
  const SDUI_ACTOR = 'a[data-view-name="feed-actor-image"]';
  const KEY_ATTR = "[componentkey]";
  const SDUI_KEY = /^(?:update-card-focus|expanded)(.+?)FeedType_/;
  const PROFILE_LINK = 'a[href*="/in/"], a[href*="/company/"], a[href*="/school/"], a[href*="/showcase/"]';
  const PROFILE_PATH = /^\/(in|company|school|showcase)\/([^/?#]+)/;
  // LinkedIn's own mark on a paid update (classic and SDUI alike).
  const AD_LABELS = new Set(["Promoted", "Promoted by", "Gesponsert", "Sponsorisé", "Promocionado"]);

  // LinkedIn shows names, not handles; the profile path ("in/jane-doe") is the stable name.
  function authorOf(link) {
    const match = link && PROFILE_PATH.exec(new URL(link.getAttribute("href"), location.origin).pathname);
    return match ? `${match[1]}/${decodeURIComponent(match[2])}` : null;
  }

  function post(id, textEl, actor, permalink) {
    const text = CampfirePostText.read(textEl);
    const author = authorOf(actor);
    if (!text || !author) return null;
    return { id: id || `${author}:${CampfirePostText.fingerprint(text)}`, text, author, permalink };
  }

  function fromClassic(el) {
    const urn = el.dataset.urn;
    return urn ? post(urn, el.querySelector(CLASSIC_TEXT),
      el.querySelector(CLASSIC_ACTOR) ?? el.querySelector(PROFILE_LINK),
      `https://www.linkedin.com/feed/update/${urn}/`) : null;
  }

  // The update's key: on the element itself or the first inner element that has one.
  function keyOf(el) {
    for (const node of [el, ...el.querySelectorAll(KEY_ATTR)]) {
      const key = SDUI_KEY.exec(node.getAttribute("componentkey") ?? "")?.[1];
      if (key) return key;
    }
    return "";
  }

  function fromSdui(el) {
    return post(keyOf(el), el.querySelector(SDUI_TEXT),
      el.querySelector(SDUI_ACTOR) ?? el.querySelector(PROFILE_LINK), "");
  }

  CampfireSites.register({
    id: "linkedin",
    name: "LinkedIn",
    hosts: ["linkedin.com"],
    strategies: [
      { name: "classic update cards", posts: CLASSIC, extract: fromClassic },
      { name: "feed-full-update", posts: FULL_UPDATE, extract: fromSdui },
      { name: "main feed list items", posts: SDUI, extract: fromSdui },
      // Structure: the main feed's top-level list items, whatever they carry.
      { name: "main feed structure", posts: `${FEED} [role="listitem"]:not([role="listitem"] *)`, extract: fromSdui },
    ],
    isAd: (el) => CampfireSites.labelled(el, AD_LABELS, `${CLASSIC_TEXT}, ${SDUI_TEXT}`),
    // A feed's updates are list items in the SDUI layouts; classic cards are articles too.
    articles: `${FEED} [role="listitem"]:not([role="listitem"] *), ${CampfireSites.ARTICLES}`,
    feedItem: (el) => el.closest("[data-finite-scroll-hotkey-item]") ?? el,
  });
})();
