// The badge bar Campfire puts at the top of a post: one badge per raised label, in words,
// and the show/hide button of a collapsed post. It lives in a shadow root, so the site's
// styles cannot reach it and ours cannot leak into the site.
(() => {
  const HOST_ATTR = "data-campfire-badges";
  const CSS = `
    :host { all: initial; display: block; }
    .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 6px 0 2px;
           font: 500 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; }
    .note { color: #59636e; }
    .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; border: 1px solid; background: #fff; }
    .badge::before { content: ""; display: inline-block; width: 7px; height: 7px; margin: 0 5px 1px 0;
                     border-radius: 50%; background: currentColor; vertical-align: middle; }
    .self_promotion { color: #8a4b00; border-color: #e3b341; background: #fff8e5; }
    .missing_disclosure { color: #a40e26; border-color: #ff8182; background: #fff0f0; }
    .conversational { color: #116329; border-color: #4ac26b; background: #effff3; }
    .ad { color: #424a53; border-color: #afb8c1; background: #f6f8fa; }
    .badge span { color: #1f2328; font-weight: 400; }
    button { font: inherit; cursor: pointer; padding: 1px 10px; border-radius: 999px;
             border: 1px solid #8c959f; background: #f6f8fa; color: #1f2328; }
    button:hover { background: #eaeef2; }
    button:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
  `;
  // The site's own handlers (X opens a post on any click inside it) must not see clicks on
  // our badges and buttons.
  const SHIELDED_EVENTS = ["click", "auxclick", "mousedown", "mouseup", "pointerdown", "pointerup",
                           "touchstart", "touchend", "keydown", "keyup"];
  const roots = new WeakMap();

  // A constructed sheet rather than a <style> element, which the page's style-src CSP
  // would judge.
  function styleRoot(root) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  }

  function hostOf(post) {
    return post.querySelector(`[${HOST_ATTR}]`);
  }

  function ensureHost(post, parent) {
    let host = hostOf(post);
    if (host && roots.has(host) && host.parentElement === parent) return host;
    host?.remove();
    host = document.createElement("span");
    host.setAttribute(HOST_ATTR, "");
    const root = host.attachShadow({ mode: "open" });
    styleRoot(root);
    root.append(document.createElement("div"));
    for (const type of SHIELDED_EVENTS) host.addEventListener(type, (e) => e.stopPropagation());
    roots.set(host, root);
    parent.prepend(host);
    return host;
  }

  function badge(label) {
    const el = document.createElement("span");
    el.className = `badge ${label.name}`;
    el.dataset.label = label.name;
    el.textContent = `${label.title} ${label.percent}%`;
    if (label.reason) {
      const reason = document.createElement("span");
      reason.textContent = ` — ${label.reason}`;
      el.append(reason);
    }
    return el;
  }

  function toggleButton(revealed, onToggle) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "toggle";
    button.textContent = revealed ? "Hide again" : "Show post";
    button.setAttribute("aria-expanded", String(revealed));
    button.addEventListener("click", onToggle);
    return button;
  }

  // decision: CampfireLabels.decide(); parent: where the bar goes (the adapter's badgeParent);
  // author: named on a collapsed post; collapsible: the post is collapsed or was revealed.
  function render(post, decision, { parent, author, collapsible, revealed, onToggle }) {
    const root = roots.get(ensureHost(post, parent));
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Campfire labels");
    if (collapsible && !revealed) {
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = author ? `Campfire collapsed a post by ${author}:` : "Campfire collapsed a post:";
      bar.append(note);
    }
    bar.append(...decision.raised.map(badge));
    if (collapsible) bar.append(toggleButton(revealed, onToggle));
    root.lastChild.replaceWith(bar);
  }

  // The platform's own ad: one neutral mark, no label (the site's "Ad" is its disclosure).
  const AD_TEXT = "Ad — marked by the site";

  function renderAd(post, parent) {
    const root = roots.get(ensureHost(post, parent));
    if (root.lastChild.dataset.ad === "") return;
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.dataset.ad = "";
    const mark = document.createElement("span");
    mark.className = "badge ad";
    mark.textContent = AD_TEXT;
    bar.append(mark);
    root.lastChild.replaceWith(bar);
  }

  function focusToggle(post) {
    const host = hostOf(post);
    roots.get(host)?.querySelector("button.toggle")?.focus();
  }

  function remove(post) {
    hostOf(post)?.remove();
  }

  globalThis.CampfireBadges = { HOST_ATTR, AD_TEXT, render, renderAd, remove, focusToggle, hostOf };
})();
