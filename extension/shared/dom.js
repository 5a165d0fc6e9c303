// Small DOM helpers shared by the "Not right?" controls of posts (content/correct.js) and of
// drafts (compose/correct-draft.js), and the author-rule lists (shared/author-rules.js).
(() => {
  // A <button type="button"> with its text, class and click handler.
  function button(text, className, onClick) {
    const el = document.createElement("button");
    el.type = "button";
    el.className = className;
    el.textContent = text;
    el.addEventListener("click", onClick);
    return el;
  }

  globalThis.CampfireDom = { button };
})();
