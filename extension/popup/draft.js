// The popup's draft box: paste or type a post before publishing it, see how the model reads
// it and what the draft rules found, and apply a suggested fix with one click.
(() => {
  const { MSG, send } = CampfireMessages;
  const { createChecker, applyReplacement } = CampfireDraftCheck;
  const { t } = CampfireI18n;
  // The popup closes on every click outside it; the draft survives that, in memory only.
  const SAVED_KEY = "popupDraft";

  function build() {
    const style = document.createElement("style");
    style.textContent = CampfireFindings.CSS + CampfireCorrectDraft.CSS;
    document.head.append(style);
    const section = document.createElement("section");
    section.id = "draft";
    section.setAttribute("aria-labelledby", "draft-title");
    section.innerHTML = `
      <h2 id="draft-title" data-i18n="draft_title"></h2>
      <textarea id="draft-text" rows="4" spellcheck="true" aria-labelledby="draft-title" aria-describedby="draft-status"
                data-i18n-placeholder="draft_placeholder"></textarea>
      <p id="draft-status" role="status"></p>
      <div id="draft-results"></div>`;
    CampfireI18n.fill(section);
    document.body.insertBefore(section, document.querySelector("body > footer") ?? document.querySelector("body > script"));
    return {
      input: section.querySelector("#draft-text"),
      status: section.querySelector("#draft-status"),
      results: section.querySelector("#draft-results"),
    };
  }

  function statusText(update) {
    // Down, not paired and a wrong token each say so, in the popup's own words.
    if (update.state === "error") {
      return update.error.state ? CampfireStatusText.line(update.error.state) : update.error.message;
    }
    if (update.state === "checking") return t("draft_checking");
    const n = update.state === "done" ? update.result.matches.length : 0;
    if (!n) return "";
    return n === 1 ? t("draft_one_suggestion") : t("draft_suggestions", n);
  }

  function main() {
    const { input, status, results } = build();
    const checker = createChecker({
      read: () => input.value,
      check: (text) => send(MSG.CHECK_DRAFT, { text }),
      onUpdate: show,
    });

    function show(update) {
      status.dataset.state = update.state;
      const stale = update.state !== "done";
      results.classList.toggle("stale", stale);
      results.inert = stale;
      if (update.state === "empty") results.replaceChildren();
      if (update.state === "done") {
        results.replaceChildren(...CampfireFindings.render(update.text, update.result, apply),
          ...CampfireCorrectDraft.render(update.text, update.result, { onChanged: () => checker.recheck() }));
      }
      status.textContent = statusText(update);
    }

    function apply(match, value) {
      const checked = checker.last();
      if (!checked || checked.text !== input.value) return;
      input.value = applyReplacement(input.value, match, value);
      const caret = match.offset + value.length;
      input.focus();
      input.setSelectionRange(caret, caret);
      remember();
      checker.now();
    }

    const remember = () => chrome.storage.session.set({ [SAVED_KEY]: input.value });

    input.addEventListener("input", () => {
      remember();
      checker.changed();
    });
    chrome.storage.session.get(SAVED_KEY).then((saved) => {
      if (!saved[SAVED_KEY] || input.value) return;
      input.value = saved[SAVED_KEY];
      checker.now();
    });
  }

  main();
})();
