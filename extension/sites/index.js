// The site registry: each sites/<id>.js registers one adapter; the content scripts, the
// popup and the options page look adapters up here. Loaded before every adapter.
//
// An adapter finds posts through an ordered list of `strategies`, one per generation of the
// site's markup (stable attributes first: test ids, roles, custom elements; then structure).
// Each strategy is {name, posts: selector, extract(el) -> post | null, ads?: true}; a
// strategy marked `ads` finds only the platform's own ads. An adapter's `isAd(el)` tells an
// ad that a post strategy found. `find()` runs them in order; an element inside (or around)
// one an earlier strategy claimed is left to that strategy, so a page served in two
// generations at once never yields a post twice.
(() => {
  const REQUIRED = { id: "string", name: "string", strategies: "object" };
  const OPTIONAL = { feedItem: "function", badgeParent: "function",
                     isAd: "function", articles: "string" };
  // What a reader sees as the items of a feed, whatever the markup generation: the page's
  // top-level articles. The health check compares the posts found with these.
  const ARTICLES = ':is(article, [role="article"]):not(:is(article, [role="article"]) *)';
  const adapters = new Map();

  function checkStrategies(list) {
    if (!Array.isArray(list) || !list.length) return ["strategies must be a non-empty list"];
    return list.flatMap((s, i) => {
      const ok = typeof s?.name === "string" && typeof s.posts === "string" &&
        (s.ads === true || typeof s.extract === "function");
      return ok ? [] : [`strategy ${i} needs a name, a posts selector and extract (or ads: true)`];
    });
  }

  function check(adapter) {
    const problems = [];
    for (const [key, type] of Object.entries(REQUIRED)) {
      if (typeof adapter?.[key] !== type) problems.push(`${key} must be a ${type === "object" ? "list" : type}`);
    }
    for (const [key, type] of Object.entries(OPTIONAL)) {
      if (adapter && key in adapter && typeof adapter[key] !== type) {
        problems.push(`${key} must be a ${type}`);
      }
    }
    if (adapter?.strategies) problems.push(...checkStrategies(adapter.strategies));
    const hostsOk = Array.isArray(adapter?.hosts) &&
      adapter.hosts.every((h) => typeof h === "string" && /^[a-z0-9.-]+$/.test(h));
    if (!hostsOk) problems.push("hosts must be a list of bare hostnames");
    if (adapter && !/^[a-z][a-z0-9_]*$/.test(adapter.id ?? "")) problems.push("id must be lowercase");
    if (problems.length) {
      throw new Error(`Campfire site adapter ${adapter?.id ?? "?"}: ${problems.join("; ")}`);
    }
  }

  function register(adapter) {
    check(adapter);
    if (adapters.has(adapter.id)) throw new Error(`Campfire site ${adapter.id} registered twice`);
    adapters.set(adapter.id, Object.freeze({
      ...adapter,
      strategies: Object.freeze(adapter.strategies.map((s) => Object.freeze({ ...s }))),
      articles: adapter.articles ?? ARTICLES,
    }));
  }

  function coversHost(adapter, hostname) {
    return adapter.hosts.some((host) => hostname === host || hostname.endsWith(`.${host}`));
  }

  function forHost(hostname, extraHosts = {}) {
    for (const adapter of adapters.values()) {
      if (coversHost(adapter, hostname)) return adapter;
    }
    return adapters.get(extraHosts[hostname]) ?? null;
  }

  // -> {items: [{el, post} | {el, ad: true}] in page order, strategies: names that found any,
  //     failures: posts whose extract threw}
  function find(adapter, root = document) {
    const claimed = [];
    const taken = new Set(); // the same elements, for the common case: two strategies, one element
    const items = [];
    const used = [];
    let failures = 0;
    for (const strategy of adapter.strategies) {
      const mine = [];
      for (const el of root.querySelectorAll(strategy.posts)) {
        if (taken.has(el) || claimed.some((other) => other.contains(el) || el.contains(other))) continue;
        if (strategy.ads && mine.some((ad) => ad.contains(el))) continue; // an ad's inner layout
        let item = null;
        try {
          if (strategy.ads || adapter.isAd?.(el)) item = { el, ad: true };
          else {
            const post = strategy.extract(el);
            if (post) item = { el, post };
          }
        } catch (error) {
          failures += 1;
          console.warn(`Campfire: the ${adapter.id} adapter (${strategy.name}) failed on a post`, error);
        }
        if (item) {
          mine.push(el);
          items.push(item);
        }
      }
      if (mine.length) used.push(strategy.name);
      claimed.push(...mine);
      for (const el of mine) taken.add(el);
    }
    const order = (a, b) => (a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
    return { items: used.length > 1 ? items.sort(order) : items, strategies: used, failures };
  }

  // Does the element show one of `words` as a whole label (a text of its own, such as X's "Ad"
  // or LinkedIn's "Promoted")? Text inside `except` (the post's own text) never counts. One
  // walk over the element's text nodes.
  function labelled(el, words, except = null) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.data.trim();
      if (!words.has(text) || node.parentElement.textContent.trim() !== text) continue;
      if (!except || !node.parentElement.closest(except)) return true;
    }
    return false;
  }

  globalThis.CampfireSites = {
    register,
    forHost,
    find,
    labelled,
    ARTICLES,
    all: () => [...adapters.values()],
  };
})();
