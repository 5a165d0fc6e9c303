// "Not right?": the small control under every labelled post (flagged or clean) that lets the
// user tell Campfire a label is wrong or missing, or that an author is never to be labelled
// or always hidden on this site. What the user says goes to the companion's store (through
// the service worker) and applies from the next answer on; a toast offers one-click undo, and
// a post corrected earlier says so, with its own undo.
(() => {
  const { MSG } = CampfireMessages;
  const HOST_ATTR = "data-campfire-correct";
  const TOAST_ATTR = "data-campfire-toast";
  const TOAST_MS = 15000;
  const CSS = `
    :host { all: initial; display: block; }
    .row { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 2px 0 4px;
           font: 12px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #59636e; }
    button { font: inherit; cursor: pointer; padding: 0 8px; border-radius: 999px; color: #1f2328;
             border: 1px solid #d1d9e0; background: #f6f8fa; }
    button.open { border-color: transparent; background: none; color: #59636e; text-decoration: underline; }
    button:hover { background: #eaeef2; }
    button:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
    .menu { display: flex; flex-wrap: wrap; gap: 4px; }
    .menu[hidden] { display: none; }
    .toast { position: fixed; left: 16px; bottom: 16px; z-index: 2147483647; display: flex; gap: 10px;
             align-items: center; padding: 8px 12px; border-radius: 8px; background: #1f2328; color: #fff;
             font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
             box-shadow: 0 4px 12px rgba(0,0,0,.3); }
    .toast button { color: #fff; background: #424a53; border-color: #6e7781; }
    @media (prefers-color-scheme: dark) {
      .row { color: #9198a1; }
      button { color: #f0f6fc; background: #212830; border-color: #3d444d; }
      button.open { color: #9198a1; }
      button:hover { background: #2a313c; }
    }
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

  function button(text, className, onClick) {
    const el = document.createElement("button");
    el.type = "button";
    el.className = className;
    el.textContent = text;
    el.addEventListener("click", onClick);
    return el;
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
      box.append(button("Undo", "undo", async () => {
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
      toast(`Campfire could not save that: ${error.message}`);
      failed?.();
    }
  }

  // ctx: {result, decision, site, author, text, titles: name -> words, onChanged()}
  function menuItems(ctx, close) {
    const raised = new Set(ctx.decision.raised.map((label) => label.name));
    const items = CampfireSettings.LABEL_NAMES.map((name) => {
      const has = raised.has(name);
      const words = has ? `Not ${ctx.titles(name).toLowerCase()}` : `Is ${ctx.titles(name).toLowerCase()}`;
      return button(words, "label", () => {
        close();
        send(MSG.CORRECT, { text: ctx.text, site: ctx.site, labels: { [name]: !has } }, async (saved) => {
          await ctx.onChanged();
          toast(`Saved: “${words}”. Campfire will remember.`, async () =>
            send(MSG.UNDO_CORRECTIONS, { ids: [saved.id] }, ctx.onChanged));
        });
      });
    });
    if (ctx.author) {
      for (const [rule, words] of [["never_label", `Never label ${ctx.author} here`],
                                   ["always_hide", `Always hide ${ctx.author} here`]]) {
        items.push(button(words, "rule", () => {
          close();
          send(MSG.AUTHOR_RULE, { site: ctx.site, author: ctx.author, rule }, async () => {
            await ctx.onChanged();
            toast(`Saved: ${words.charAt(0).toLowerCase()}${words.slice(1)}.`, async () =>
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
      note.textContent = "Corrected by you";
      row.append(note, button("Undo", "undo-correction", () =>
        send(MSG.UNDO_CORRECTIONS, { ids: personal.corrections ?? [] }, ctx.onChanged)));
    }
    const menu = document.createElement("div");
    menu.className = "menu";
    menu.hidden = true;
    menu.setAttribute("role", "group");
    menu.setAttribute("aria-label", "Tell Campfire what is right");
    const open = button("Not right?", "open", () => {
      menu.hidden = !menu.hidden;
      open.setAttribute("aria-expanded", String(!menu.hidden));
      if (!menu.hidden) menu.querySelector("button")?.focus();
    });
    open.setAttribute("aria-expanded", "false");
    const close = () => { menu.hidden = true; open.setAttribute("aria-expanded", "false"); };
    menu.append(...menuItems(ctx, close), button("Cancel", "cancel", () => { close(); open.focus(); }));
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
