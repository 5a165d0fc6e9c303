// "Not right?" for a checked draft, in the popup's draft box and the compose panel: tell
// Campfire that a label the model gave the draft is wrong, or one it missed is right. The
// correction is the same as on a post (the companion's store, applied at once to this text);
// "Undo" takes it back. Only the last correction is remembered here, by the text it was for.
(() => {
  const { MSG, send } = CampfireMessages;
  const { button } = CampfireDom;
  // Colours: shared/palette.js (the popup and the compose panel define the --cf-* properties).
  const CSS = `
    .correct { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 6px 0 0;
               font-size: 12px; color: var(--cf-muted); }
    .correct button { font: inherit; cursor: pointer; padding: 0 8px; border-radius: 999px;
                      border: 1px solid var(--cf-border); background: var(--cf-bg-soft); color: var(--cf-text); }
    .correct button.open { border-color: transparent; background: none; color: var(--cf-muted); text-decoration: underline; }
    .correct button:focus-visible { outline: 2px solid var(--cf-focus); outline-offset: 1px; }
    .correct .menu { display: flex; flex-wrap: wrap; gap: 4px; }
    .correct .menu[hidden] { display: none; }
  `;
  let saved = null; // {text, id, words}

  // text: the checked draft; answer: /v1/check; site: the site's id ("" in the popup);
  // onChanged(): check the draft again. -> [element]
  function render(text, answer, { site = "", onChanged = () => {} } = {}) {
    const row = document.createElement("div");
    row.className = "correct";
    const note = document.createElement("span");
    note.setAttribute("role", "status");
    if (saved?.text === text) {
      note.textContent = `Saved: “${saved.words}”.`;
      const { id } = saved;
      row.append(note, button("Undo", "undo", async () => {
        saved = null;
        await send(MSG.UNDO_CORRECTIONS, { ids: [id] }).catch(() => {});
        onChanged();
      }));
      return [row];
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
    for (const name of CampfireSettings.LABEL_NAMES) {
      const has = Boolean(answer.labels?.[name]?.flag);
      const words = `${has ? "Not" : "Is"} ${CampfireLabels.TITLES[name].toLowerCase()}`;
      menu.append(button(words, "label", async () => {
        menu.hidden = true;
        try {
          const correction = await send(MSG.CORRECT, { text, site, labels: { [name]: !has } });
          saved = { text, id: correction.id, words };
        } catch (error) {
          note.textContent = `Campfire could not save that: ${error.message}`;
          return;
        }
        onChanged();
      }));
    }
    row.append(open, menu, note);
    return [row];
  }

  globalThis.CampfireCorrectDraft = { CSS, render };
})();
