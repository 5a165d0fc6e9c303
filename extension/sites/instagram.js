// Instagram (www.instagram.com home feed and post pages), checked 2026-11-22 against public
// userscripts and scrapers. Class names are generated per build; <article>, the /p/ and
// /reel/ links and the long-lived "_ap3a _aaco …" text classes are what tools key on.
(() => {
  const POST = "article";
  // The caption: an <h1> on a post page; in the feed the regular-weight text span (_aacu),
  // usernames being the bold one (_aacw). The feed cuts long captions ("… more").
  const CAPTION = 'h1[dir="auto"], span._aacu[dir="auto"]';
  // The timestamp links to the post; ads often have no such link.
  const POST_LINK = 'a[href^="/p/"], a[href^="/reel/"]';
  const POST_PATH = /^\/(p|reel)\/([\w-]+)/;
  const PROFILE_PATH = /^\/([\w.]+)\/$/;
  // Instagram's own branded-content label is a disclosure, so it travels with the caption.
  const PARTNERSHIP = /^Paid partnership\b/;
  // Instagram's own mark on an ad, in the post's header.
  const AD_LABELS = new Set(["Sponsored", "Gesponsert", "Sponsorisé", "Publicidad"]);

  // The first profile link with a visible name is the poster (the avatar link has only an image).
  function authorOf(el) {
    for (const link of el.querySelectorAll('a[href^="/"]')) {
      const name = PROFILE_PATH.exec(link.getAttribute("href"))?.[1];
      if (name && link.textContent.trim() === name) return `@${name}`;
    }
    return null;
  }

  // When the caption's classes change (they are generated per build): the longest
  // direction-marked text block that is not a name, a label or inside a link.
  function captionByStructure(el, author) {
    let best = null;
    for (const span of el.querySelectorAll('span[dir="auto"]:not(a *):not(span[dir="auto"] *)')) {
      const text = span.textContent.trim();
      if (text === author?.slice(1) || AD_LABELS.has(text) || PARTNERSHIP.test(text)) continue;
      if (!best || text.length > best.textContent.trim().length) best = span;
    }
    return best;
  }

  function extract(el) {
    const author = authorOf(el);
    const caption = CampfirePostText.read(el.querySelector(CAPTION) ?? captionByStructure(el, author));
    if (!author || !caption) return null;
    const partnership = [...el.querySelectorAll("span")].find((s) => PARTNERSHIP.test(s.textContent.trim()));
    const text = partnership ? `${CampfirePostText.read(partnership)}\n\n${caption}` : caption;
    const path = POST_PATH.exec(el.querySelector(POST_LINK)?.getAttribute("href") ?? "");
    return {
      id: path ? `${path[1]}/${path[2]}` : `${author}:${CampfirePostText.fingerprint(text)}`,
      text,
      author,
      permalink: path ? `https://www.instagram.com${path[0]}/` : "",
    };
  }

  CampfireSites.register({
    id: "instagram",
    name: "Instagram",
    hosts: ["www.instagram.com"],
    strategies: [
      { name: "articles", posts: POST, extract },
    ],
    isAd: (el) => CampfireSites.labelled(el, AD_LABELS, CAPTION),
  });
})();
