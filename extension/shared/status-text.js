// What Campfire tells people about the companion, in one place for the popup, the options
// page, the draft box and the compose panel. Each state has a short headline and a hint that
// says what to do; the hint's command is kept apart so pages can show it as code.
(() => {
  const { t } = CampfireI18n;
  // With the native messaging host registered, the browser starts and pairs the companion.
  const SETUP_COMMAND = "campfire native install";
  const PAIR_COMMAND = "campfire pair";
  const MARK = "%%COMMAND%%"; // where the command goes in a hint
  // state -> [headline, hint with MARK where the command goes, command]
  const TEXTS = {
    checking: () => [t("status_checking"), "", ""],
    connected: () => [t("status_connected"), "", ""],
    down: () => [t("status_down"), t("status_down_hint", MARK), SETUP_COMMAND],
    unpaired: () => [t("status_unpaired"), t("status_unpaired_hint", MARK), SETUP_COMMAND],
    wrong_token: () => [t("status_wrong_token"), t("status_wrong_token_hint", MARK), PAIR_COMMAND],
    loading: () => [t("status_loading"), t("status_loading_hint"), ""],
    error: () => [t("status_error"), t("status_error_hint"), ""],
  };
  // States where Campfire cannot label anything until the user pairs it.
  const NEEDS_PAIRING = new Set(["unpaired", "wrong_token"]);

  function parts(state) {
    const [headline, hint, command] = (TEXTS[state] ?? TEXTS.error)();
    const [before, after = ""] = hint.split(MARK);
    return { headline, before, command: hint.includes(MARK) ? command : "", after };
  }

  // One plain line, e.g. for a draft box's status or an aria-label.
  function line(state) {
    const { headline, before, command, after } = parts(state);
    return [headline, `${before}${command}${after}`].filter(Boolean).join(" ");
  }

  // Fill `node` with the headline in bold and the hint, the command as <code>.
  function render(node, state) {
    const { headline, before, command, after } = parts(state);
    const strong = document.createElement("strong");
    strong.textContent = headline;
    const nodes = [strong];
    if (before || command) nodes.push(` ${before}`);
    if (command) {
      const code = document.createElement("code");
      code.textContent = command;
      nodes.push(code, after);
    }
    node.replaceChildren(...nodes);
    node.dataset.state = state;
  }

  globalThis.CampfireStatusText = { SETUP_COMMAND, NEEDS_PAIRING, parts, line, render };
})();
