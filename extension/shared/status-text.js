// What Campfire tells people about the companion, in one place for the popup, the options
// page, the draft box and the compose panel. Each state has a short headline and one hint
// that says what to do; `parts` keeps the command apart so pages can show it as code.
(() => {
  const START_COMMAND = "campfire serve";
  const PAIR_COMMAND = "campfire pair";
  // state -> [headline, hint before the command, command, hint after it]
  const TEXTS = {
    checking: ["Checking the companion…", "", "", ""],
    connected: ["Connected.", "", "", ""],
    down: ["Companion not running.", "Start it in a terminal: ", START_COMMAND, ""],
    unpaired: ["Not paired yet.", "Paste the token that ", START_COMMAND, " printed."],
    wrong_token: ["Wrong token.", "The companion refused it. Run ", PAIR_COMMAND, " and paste the token it shows."],
    loading: ["Companion starting.", "It is loading its model; this takes a few seconds.", "", ""],
    error: ["Companion error.", "See the terminal where the companion runs.", "", ""],
  };
  // States where Campfire cannot label anything until the user pairs it.
  const NEEDS_PAIRING = new Set(["unpaired", "wrong_token"]);

  function parts(state) {
    const [headline, before, command, after] = TEXTS[state] ?? TEXTS.error;
    return { headline, before, command, after };
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

  globalThis.CampfireStatusText = { START_COMMAND, NEEDS_PAIRING, parts, line, render };
})();
