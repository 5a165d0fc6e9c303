// The visible text of a post, as the site adapters hand it to the classifier. Disclosure and
// promotion live in links and hashtags, so a link whose label is a shortened URL
// ("example.com/very/lo…") is replaced by its full destination, a link with a word label keeps
// the word and gains the destination, and outbound redirectors are unwrapped.
(() => {
  // host -> query parameter that carries the real destination
  const REDIRECTORS = {
    "go.bsky.app": "u",
    "l.facebook.com": "u",
    "lm.facebook.com": "u",
    "l.instagram.com": "u",
    "l.threads.com": "u",
    "l.threads.net": "u",
    "www.youtube.com": "q",
    "m.youtube.com": "q",
    "www.linkedin.com": "url",
    "out.reddit.com": "url",
    "alb.reddit.com": "u",
  };
  const REDIRECT_PATHS = /^\/(redirect|l\.php|safety\/go|cr|t3_\w+)?\/?$/;
  const BLOCKS = new Set(["P", "DIV", "LI", "UL", "OL", "BLOCKQUOTE", "H1", "H2", "H3", "H4", "PRE"]);
  // Screen-reader-only words ("hashtag" before LinkedIn's "#") and "see more" controls are not
  // part of what a reader sees as the post.
  const SKIP = 'button, [role="button"]:not(a), script, style, template, [hidden], .visually-hidden, .sr-only';
  // A label that is itself a URL, maybe cut short ("example.com/very/lo…"); one word only, so
  // prose that ends in "…" (a card whose whole preview is a link to the post) is not one.
  const URL_LABEL = /^(https?:\/\/|www\.)\S+$|^[\w-]+(\.[\w-]+)+(\/\S*)?$/;

  // The destination as the author wrote it: an absolute link keeps its spelling (a host in
  // capitals stays so; URL parsing would lower-case it), a relative one is resolved.
  function unwrapUrl(href) {
    let url;
    try { url = new URL(href, location.href); } catch { return href; }
    const param = REDIRECTORS[url.hostname];
    const target = param && REDIRECT_PATHS.test(url.pathname) && url.searchParams.get(param);
    if (target && /^https?:\/\//i.test(target)) return target;
    return /^https?:\/\//i.test(href) ? href : url.href;
  }

  function linkText(anchor) {
    const raw = read(anchor);
    const label = raw.trim();
    // Whatever replaces the label keeps the spaces the page had around it.
    const keep = (text) => raw.replace(label, () => text);
    const href = anchor.getAttribute("href");
    if (!href || !/^https?:|^\/\//.test(href) && !href.startsWith("/")) return raw;
    const url = unwrapUrl(href);
    if (!/^https?:\/\//i.test(url) || /^[#@]/.test(label)) return raw;
    if (URL_LABEL.test(label.replace(/(…|\.\.\.)$/, ""))) return keep(url);
    if (new URL(url).hostname === location.hostname) return raw;
    return label ? keep(`${label} (${url})`) : url;
  }

  function read(node) {
    let out = "";
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out += child.data;
      else if (child.nodeType !== Node.ELEMENT_NODE || child.matches(SKIP)) continue;
      else if (child.nodeName === "IMG") out += child.getAttribute("alt") ?? "";
      else if (child.nodeName === "BR") out += "\n";
      else if (child.nodeName === "A") out += linkText(child);
      // A paragraph stands apart (Hacker News opens each but the first with a bare <p>).
      else if (child.nodeName === "P") out += `\n\n${read(child)}\n\n`;
      else if (BLOCKS.has(child.nodeName)) out += `\n${read(child)}\n`;
      else out += read(child);
    }
    return out;
  }

  function tidy(text) {
    return text.replace(/[ \t\u00a0]+/g, " ").replace(/ ?\n ?/g, "\n")
      .replace(/\n{3,}/g, "\n\n").trim();
  }

  // A short stable name for a post the page gives no id (FNV-1a of the parts, e.g. its text).
  function fingerprint(...parts) {
    let h = 0x811c9dc5;
    for (const char of parts.join("\n")) h = Math.imul(h ^ char.codePointAt(0), 0x01000193) >>> 0;
    return h.toString(36);
  }

  globalThis.CampfirePostText = {
    // The text of each node, in order, blank ones dropped, separated by blank lines.
    read: (...nodes) => tidy(nodes.filter(Boolean).map(read).map(tidy).filter(Boolean).join("\n\n")),
    unwrapUrl,
    fingerprint,
  };
})();
