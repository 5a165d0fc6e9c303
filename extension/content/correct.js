// "Not right?": the small control under every labelled post (flagged or clean) that lets the
// user tell Campfire a label is wrong or missing, or that an author is never to be labelled
// or always hidden on this site. What the user says goes to the companion's store (through
// the service worker) and applies from the next answer on; a toast offers one-click undo, and
// a post corrected earlier says so, with its own undo.
(() => {
  const { MSG } = CampfireMessages;
  const { t } = CampfireI18n;
  const { button } = CampfireDom;
  const HOST_ATTR = "data-campfire-correct";
  const TOAST_ATTR = "data-campfire-toast";
  const TOAST_MS = 15000;
  // Colours: shared/palette.js, light or dark as the system is.
  const CSS = `
    :host { all: initial; display: block; }
    ${CampfirePalette.css(":host")}
    .row { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 2px 0 4px;
           font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--cf-muted); }
    button { font: inherit; cursor: pointer; padding: 0 8px; border-radius: 999px; color: var(--cf-text);
             border: 1px solid var(--cf-border); background: var(--cf-bg-soft); }
    button.open { border-color: transparent; background: none; color: var(--cf-muted); text-decoration: underline; }
    button:hover { background: var(--cf-bg-hover); }
    button:focus-visible { outline: 2px solid var(--cf-focus); outline-offset: 1px; }
    .menu { display: flex; flex-wrap: wrap; gap: 4px; }
    .menu[hidden] { display: none; }
    .toast { position: fixed; left: 16px; bottom: 16px; z-index: 2147483647; display: flex; gap: 10px;
             align-items: center; padding: 8px 12px; border-radius: 8px; background: var(--cf-bg);
             color: var(--cf-text); border: 1px solid var(--cf-border-strong);
             font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
             box-shadow: 0 4px 12px var(--cf-shadow); }
  `;

  const SHIELDED_EVENTS = ["click", "auxclick", "mousedown", "mouseup", "pointerdown", "pointerup",
                           "touchstart", "touchend", "keydown", "keyup"];
  const states = new WeakMap(); // post element -> {host, root, signature}

  function shadowHost(attr) {
    const host = document.createElement("span");
    host.setAttribute(attr, "");
    const root = host.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    for (const type of SHIELDED_EVENTS) host.addEventListener(type, (e) => e.stopPropagation());
    return { host, root };
  }

  function toast(message, undo) {
    document.querySelector(`[${TOAST_ATTR}]`)?.remove();
    const { host, root } = shadowHost(TOAST_ATTR);
    const box = document.createElement("div");
    box.className = "toast";
    box.setAttribute("role", "status");
    const text = document.createElement("span");
    text.textContent = message;
    box.append(text);
    if (undo) {
      box.append(button(t("correct_undo"), "undo", async () => {
        host.remove();
        await undo();
      }));
    }
    root.append(box);
    document.documentElement.append(host);
    setTimeout(() => host.remove(), TOAST_MS);
  }

  async function send(type, payload, done, failed) {
    try {
      const value = await CampfireMessages.send(type, payload);
      await done(value);
    } catch (error) {
      toast(t("correct_failed", error.message));
      failed?.();
    }
  }

  // ctx: {result, decision, site, author, text, titles: name -> words, onChanged()}
  function menuItems(ctx, close) {
    const raised = new Set(ctx.decision.raised.map((label) => label.name));
    const items = CampfireSettings.LABEL_NAMES.map((name) => {
      const has = raised.has(name);
      const title = ctx.titles(name).toLowerCase();
      const words = has ? t("correct_not_label", title) : t("correct_is_label", title);
      return button(words, "label", () => {
        close();
        send(MSG.CORRECT, { text: ctx.text, site: ctx.site, labels: { [name]: !has } }, async (saved) => {
          await ctx.onChanged();
          toast(t("correct_saved_label", words), async () =>
            send(MSG.UNDO_CORRECTIONS, { ids: [saved.id] }, ctx.onChanged));
        });
      });
    });
    if (ctx.author) {
      for (const [rule, words, saved] of [
        ["never_label", t("correct_never_label", ctx.author), t("correct_saved_never_label", ctx.author)],
        ["always_hide", t("correct_always_hide", ctx.author), t("correct_saved_always_hide", ctx.author)]]) {
        items.push(button(words, "rule", () => {
          close();
          send(MSG.AUTHOR_RULE, { site: ctx.site, author: ctx.author, rule }, async () => {
            await ctx.onChanged();
            toast(saved, async () =>
              send(MSG.AUTHOR_RULE, { site: ctx.site, author: ctx.author, rule: null }, ctx.onChanged));
          });
        }));
      }
    }
    return items;
  }

  function build(root, ctx) {
    const row = document.createElement("div");
    row.className = "row";
    const personal = ctx.result.personal ?? {};
    if (personal.source === "corrected") {
      const note = document.createElement("span");
      note.textContent = t("correct_by_you");
      row.append(note, button(t("correct_undo"), "undo-correction", () =>
        send(MSG.UNDO_CORRECTIONS, { ids: personal.corrections ?? [] }, ctx.onChanged)));
    }
    const menu = document.createElement("div");
    menu.className = "menu";
    menu.hidden = true;
    menu.setAttribute("role", "group");
    menu.setAttribute("aria-label", t("correct_menu"));
    const open = button(t("correct_open"), "open", () => {
      menu.hidden = !menu.hidden;
      open.setAttribute("aria-expanded", String(!menu.hidden));
      if (!menu.hidden) menu.querySelector("button")?.focus();
    });
    open.setAttribute("aria-expanded", "false");
    const close = () => { menu.hidden = true; open.setAttribute("aria-expanded", "false"); };
    menu.append(...menuItems(ctx, close), button(t("correct_cancel"), "cancel", () => { close(); open.focus(); }));
    row.append(open, menu);
    root.replaceChildren(row);
  }

  function render(post, parent, ctx) {
    const signature = JSON.stringify([ctx.result.labels, ctx.result.personal ?? null,
                                      ctx.decision.raised.map((l) => l.name), ctx.author, ctx.text]);
    let state = states.get(post);
    if (!state || !state.host.isConnected || state.host.parentElement !== parent) {
      post.querySelectorAll(`[${HOST_ATTR}]`).forEach((old) => old.remove());
      state = { ...shadowHost(HOST_ATTR), signature: null };
      states.set(post, state);
      const badges = CampfireBadges.hostOf(post);
      if (badges && badges.parentElement === parent) badges.after(state.host);
      else parent.prepend(state.host);
    }
    const menuOpen = state.root.querySelector(".menu:not([hidden])");
    if (state.signature === signature || menuOpen) return;
    state.signature = signature;
    build(state.root, ctx);
  }

  function remove(post) {
    post.querySelectorAll(`[${HOST_ATTR}]`).forEach((host) => host.remove());
    states.delete(post);
  }

  globalThis.CampfireCorrect = { HOST_ATTR, TOAST_ATTR, render, remove, toast };
})();
