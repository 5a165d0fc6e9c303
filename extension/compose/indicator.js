// The small round badge at the bottom-right corner of the compose box being written in, and
// the panel of findings it opens. Both live in one fixed-position host on <html> with a
// shadow root, placed over the page from the box's on-screen rectangle: the site's layout,
// styles and DOM inside the box stay untouched.
(() => {
  const { t } = CampfireI18n;
  const HOST_ATTR = "data-campfire-compose";
  const SIZE = 22;
  const INSET = 6;
  const PANEL_WIDTH = 320;
  const WATCH_MS = 1000;
  // From the compose box, this key moves the keyboard into the panel (compose/main.js listens).
  const SHORTCUT = { code: "KeyD", label: "Alt+Shift+D" };
  // Companion states where Campfire shows nothing at all (see CONTRACT: page left as it was).
  const SILENT_STATES = new Set(["down", "unpaired", "wrong_token", "loading"]);
  // The site must not see our clicks and keys (X would treat them as outside its dialog).
  const SHIELDED_EVENTS = ["click", "auxclick", "mousedown", "mouseup", "pointerdown", "pointerup",
                           "touchstart", "touchend", "keydown", "keyup", "keypress", "input"];
  // Colours: shared/palette.js, light or dark as the system is.
  const CSS = `
    :host { all: initial; }
    ${CampfirePalette.css(":host")}
    * { box-sizing: border-box; }
    .badge { position: fixed; width: ${SIZE}px; height: ${SIZE}px; border-radius: 50%; padding: 0;
             display: grid; place-items: center; cursor: pointer; border: 2px solid var(--cf-bg);
             font: 700 11px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #fff;
             background: var(--cf-border-strong); box-shadow: 0 1px 3px rgba(0,0,0,.35); transition: opacity .15s; }
    .badge[hidden], .panel[hidden] { display: none; }
    .badge[data-severity="error"] { background: #cf222e; }
    .badge[data-severity="warning"] { background: #bf8700; }
    .badge[data-severity="info"] { background: #0969da; }
    .badge[data-state="done"][data-count="0"] { background: #1a7f37; }
    .badge[data-state="pending"], .badge[data-state="checking"] { opacity: .55; }
    .badge:focus-visible { outline: 2px solid var(--cf-focus); outline-offset: 2px; }
    .panel { position: fixed; width: min(${PANEL_WIDTH}px, calc(100vw - 16px)); max-height: min(380px, 70vh);
             overflow: auto; padding: 10px 12px; border-radius: 10px; border: 1px solid var(--cf-border);
             background: var(--cf-bg); color: var(--cf-text); box-shadow: 0 8px 24px var(--cf-shadow);
             font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; }
    header { display: flex; align-items: center; gap: 6px; margin-bottom: 6px; }
    h2 { flex: 1; font-size: 13px; margin: 0; }
    .close { font: inherit; border: 0; background: none; cursor: pointer; font-size: 16px; line-height: 1;
             color: var(--cf-muted); padding: 2px 4px; }
    .close:focus-visible { outline: 2px solid var(--cf-focus); }
    .note { color: var(--cf-muted); margin: 0 0 6px; }
    .note:empty { display: none; }
    ${CampfireFindings.CSS}
    ${CampfireCorrectDraft.CSS}
  `;

  // A constructed sheet rather than a <style> element, which the page's style-src CSP
  // would judge.
  function styleRoot(root) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  }

  function makeHost() {
    const host = document.createElement("div");
    host.setAttribute(HOST_ATTR, "");
    for (const [name, value] of [["all", "initial"], ["position", "fixed"], ["top", "0"], ["left", "0"],
      ["width", "0"], ["height", "0"], ["z-index", "2147483647"]]) host.style.setProperty(name, value, "important");
    for (const type of SHIELDED_EVENTS) host.addEventListener(type, (e) => e.stopPropagation());
    // Keeps the caret and selection in the compose box while the badge and fixes are clicked.
    host.addEventListener("mousedown", (e) => e.preventDefault());
    const root = host.attachShadow({ mode: "open" });
    styleRoot(root);
    return { host, root };
  }

  function badgeText(update) {
    if (update.state === "error") return "!";
    const matches = update.result?.matches;
    if (!matches) return "";
    return matches.length ? String(matches.length) : "✓";
  }

  function badgeLabel(update) {
    if (update.state === "error") return t("compose_badge_error", update.error.message);
    const n = update.result?.matches.length;
    if (n === undefined) return t("compose_badge_checking");
    if (!n) return t("compose_badge_clean");
    return n === 1 ? t("compose_badge_one") : t("compose_badge_many", n);
  }

  // onApply(match, value) when a fix is clicked; onCorrected() after "Not right?" changed the
  // draft's labels; site: the site's id. One indicator serves the box in use.
  function create({ onApply, onCorrected = () => {}, site = "" }) {
    const { host, root } = makeHost();
    const badge = document.createElement("button");
    badge.type = "button";
    badge.className = "badge";
    badge.hidden = true;
    badge.setAttribute("aria-haspopup", "dialog");
    badge.setAttribute("aria-expanded", "false");
    badge.setAttribute("aria-keyshortcuts", SHORTCUT.label);
    const panel = document.createElement("section");
    panel.className = "panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", t("compose_title"));
    root.append(badge, panel);
    let box = null;
    let update = null;
    let shown = null; // the last finished check, kept while a newer text is checked
    let frame = 0;
    let watch = 0;

    function place() {
      frame = 0;
      if (!box) return;
      if (!box.isConnected) {
        hide();
        return;
      }
      const rect = box.getBoundingClientRect();
      const onScreen = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.top < innerHeight;
      host.style.setProperty("visibility", onScreen ? "visible" : "hidden", "important");
      if (!onScreen) return;
      const x = rect.right - SIZE - INSET;
      const y = rect.bottom - SIZE - INSET;
      badge.style.left = `${x}px`;
      badge.style.top = `${y}px`;
      if (!panel.hidden) placePanel(rect);
    }

    // Beside, below or above the box, never over it or the site's buttons (placement.js).
    function placePanel(boxRect) {
      panel.style.maxHeight = "";
      const size = { width: panel.offsetWidth, height: panel.offsetHeight };
      const controls = CampfirePanelPlacement.siteControls(box, host);
      const spot = CampfirePanelPlacement.place(boxRect, size, controls, { width: innerWidth, height: innerHeight });
      panel.style.left = `${spot.left}px`;
      panel.style.top = `${spot.top}px`;
      if (spot.maxHeight) panel.style.maxHeight = `${spot.maxHeight}px`;
      panel.dataset.placement = spot.placement;
    }

    const schedule = () => { if (!frame && box) frame = requestAnimationFrame(place); };
    const resizes = new ResizeObserver(schedule);

    function renderPanel() {
      const header = document.createElement("header");
      const title = document.createElement("h2");
      title.textContent = t("compose_title");
      const close = document.createElement("button");
      close.type = "button";
      close.className = "close";
      close.textContent = "×";
      close.setAttribute("aria-label", t("compose_close"));
      close.addEventListener("click", closePanel);
      header.append(title, close);
      const note = document.createElement("p");
      note.className = "note";
      note.setAttribute("role", "status");
      const stale = update && shown && update.text !== shown.text;
      if (update?.state === "error") {
        note.textContent = update.error.state ? CampfireStatusText.line(update.error.state) : update.error.message;
      }
      else if (!shown || stale) note.textContent = t("compose_checking");
      const body = shown && !stale ? [...CampfireFindings.render(shown.text, shown.result, onApply),
        ...CampfireCorrectDraft.render(shown.text, shown.result, { site, onChanged: onCorrected })] : [];
      // A re-render (a fix applied from the keyboard) keeps the keyboard in the panel.
      const hadFocus = panel.contains(root.activeElement);
      panel.replaceChildren(header, note, ...body);
      if (hadFocus) focusFirst();
      schedule();
    }

    function openPanel() {
      panel.hidden = false;
      badge.setAttribute("aria-expanded", "true");
      renderPanel();
      place();
    }

    function closePanel() {
      panel.hidden = true;
      badge.setAttribute("aria-expanded", "false");
    }

    function notice(text) {
      if (panel.hidden) openPanel();
      panel.querySelector(".note").textContent = text;
    }

    // The keyboard's way in (SHORTCUT): open the panel and focus its first fix, or its close
    // button. False when there is no badge to open.
    function enter() {
      if (badge.hidden) return false;
      if (panel.hidden) openPanel();
      focusFirst();
      return true;
    }

    function focusFirst() {
      (panel.querySelector("button.fix") ?? panel.querySelector("button.close"))?.focus();
    }

    badge.addEventListener("click", () => (panel.hidden ? openPanel() : closePanel()));
    // Escape closes our panel before the site's dialog around the box hears it, and takes the
    // keyboard back to the box when it was in the panel.
    addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !panel.hidden) {
        e.stopImmediatePropagation();
        const inside = root.activeElement !== null;
        closePanel();
        if (inside) box?.focus();
      }
    }, true);
    document.addEventListener("pointerdown", (e) => {
      if (!panel.hidden && !e.composedPath().includes(host) && !e.composedPath().includes(box)) closePanel();
    }, true);
    addEventListener("scroll", schedule, { capture: true, passive: true });
    addEventListener("resize", schedule, { passive: true });

    function hide() {
      CampfireUnderline.clear();
      badge.hidden = true;
      host.remove();
      closePanel();
      clearInterval(watch);
      watch = 0;
    }

    function show(next) {
      update = next;
      if (next.state === "done") shown = next;
      // Underlines only for the text they were found in; a newer text clears them.
      if (next.state === "done" && box) CampfireUnderline.show(box, next.text, next.result);
      else CampfireUnderline.clear();
      const silent = next.state === "empty" || (next.state === "error" && SILENT_STATES.has(next.error.state));
      if (silent) {
        hide();
        return;
      }
      // Until the companion has answered for this box, nothing appears: it may be down.
      if (badge.hidden && !shown && next.state !== "done" && next.state !== "error") return;
      const current = next.state === "done" || next.state === "error" ? next : shown ?? next;
      badge.dataset.state = next.state;
      badge.dataset.count = String(current.result?.matches.length ?? "");
      badge.dataset.severity = CampfireFindings.worstSeverity(current.result?.matches ?? []) ?? "";
      badge.textContent = badgeText(current);
      badge.setAttribute("aria-label", badgeLabel(current));
      badge.title = `${badgeLabel(current)} (${SHORTCUT.label})`;
      badge.hidden = false;
      if (!host.isConnected) document.documentElement.append(host);
      // The box may be removed or hidden without any event we hear (a dialog closing).
      if (!watch) watch = setInterval(schedule, WATCH_MS);
      if (!panel.hidden) renderPanel();
      schedule();
    }

    // Follow another box, with its own last finished check and latest state, if any.
    function attach(nextBox, done, latest) {
      if (box === nextBox) return;
      if (box) resizes.unobserve(box);
      box = nextBox;
      shown = done;
      hide();
      resizes.observe(box);
      if (latest) show(latest);
    }

    return { attach, show, hide, notice, enter };
  }

  globalThis.CampfireComposeIndicator = { HOST_ATTR, SHORTCUT, create };
})();
