// The badge bar Campfire puts at the top of a post: one badge per raised label, in words,
// and the show/hide button of a collapsed post. It lives in a shadow root, so the site's
// styles cannot reach it and ours cannot leak into the site.
(() => {
  const HOST_ATTR = "data-campfire-badges";
  // Colours: shared/palette.js, light or dark as the system is.
  const CSS = `
    :host { all: initial; display: block; }
    ${CampfirePalette.css(":host")}
    .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 6px 0 2px;
           font: 500 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--cf-text); }
    .note { color: var(--cf-muted); }
    .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; border: 1px solid; background: var(--cf-bg); }
    .badge::before { content: ""; display: inline-block; width: 7px; height: 7px; margin: 0 5px 1px 0;
                     border-radius: 50%; background: currentColor; vertical-align: middle; }
    .self_promotion { color: var(--cf-promo-text); border-color: var(--cf-promo-border); background: var(--cf-promo-bg); }
    .missing_disclosure { color: var(--cf-tie-text); border-color: var(--cf-tie-border); background: var(--cf-tie-bg); }
    .conversational { color: var(--cf-talk-text); border-color: var(--cf-talk-border); background: var(--cf-talk-bg); }
    .ad { color: var(--cf-muted); border-color: var(--cf-border-strong); background: var(--cf-bg-soft); }
    .badge span { color: var(--cf-text); font-weight: 400; }
    button { font: inherit; cursor: pointer; padding: 1px 10px; border-radius: 999px;
             border: 1px solid var(--cf-border-strong); background: var(--cf-bg-soft); color: var(--cf-text); }
    button:hover { background: var(--cf-bg-hover); }
    button:focus-visible { outline: 2px solid var(--cf-focus); outline-offset: 1px; }
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
    button.textContent = revealed ? CampfireI18n.t("badge_hide_again") : CampfireI18n.t("badge_show");
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
    bar.setAttribute("aria-label", CampfireI18n.t("badges_group"));
    if (collapsible && !revealed) {
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = author ? CampfireI18n.t("badge_collapsed_by", author) : CampfireI18n.t("badge_collapsed");
      bar.append(note);
    }
    bar.append(...decision.raised.map(badge));
    if (collapsible) bar.append(toggleButton(revealed, onToggle));
    root.lastChild.replaceWith(bar);
  }

  // The platform's own ad: one neutral mark, no label (the site's "Ad" is its disclosure).
  const AD_TEXT = CampfireI18n.t("badge_ad");

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
