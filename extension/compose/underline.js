// The problem spans underlined inside the compose box itself, where the editor allows it:
// contenteditable boxes get CSS Custom Highlights (styled by content/page.css), which paint
// over the text without touching the editor's DOM. A textarea cannot show one; its badge
// and panel remain the sign there.
(() => {
  const NAMES = { error: "campfire-error", warning: "campfire-warning", info: "campfire-info" };
  const supported = () => typeof Highlight === "function" && Boolean(globalThis.CSS?.highlights);

  function clear() {
    if (!supported()) return;
    for (const name of Object.values(NAMES)) CSS.highlights.delete(name);
  }

  // Underline each match of `result` in `box`, if the box still reads `text`.
  function show(box, text, result) {
    clear();
    if (!supported() || box instanceof HTMLTextAreaElement) return 0;
    const model = CampfireEditors.textModel(box);
    if (model.text !== text) return 0;
    const bySeverity = {};
    for (const match of result.matches) {
      if (!match.length || !NAMES[match.severity]) continue;
      const range = CampfireEditors.rangeAt(box, match.offset, match.offset + match.length, model);
      (bySeverity[match.severity] ??= []).push(range);
    }
    for (const [severity, ranges] of Object.entries(bySeverity)) {
      CSS.highlights.set(NAMES[severity], new Highlight(...ranges));
    }
    return Object.values(bySeverity).flat().length;
  }

  globalThis.CampfireUnderline = { NAMES, show, clear };
})();
