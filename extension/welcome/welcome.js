// The first-run page: three steps with live status (companion installed and registered for
// native messaging? running? paired?), the command for this machine, each step turning green
// by itself. Asking the service worker for the status is what makes the native host start
// and pair the companion, so the page needs no button.
(() => {
  const { MSG, send } = CampfireMessages;
  const POLL_MS = 2000;
  // From a folder with Campfire's source (README: "Run Campfire").
  const COMMANDS = {
    win: String.raw`py -m venv .venv && .venv\Scripts\pip install . && .venv\Scripts\campfire native install`,
    other: "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/campfire native install",
  };

  const step = (name) => document.querySelector(`[data-step="${name}"]`);

  function show(name, done, text, command = null) {
    const node = step(name);
    node.dataset.done = String(done);
    node.querySelector(".detail").textContent = text;
    const box = node.querySelector(".command");
    if (box) {
      box.hidden = !command;
      box.querySelector("code").textContent = command ?? "";
    }
  }

  function render({ os, native }, status) {
    const command = COMMANDS[os] ?? COMMANDS.other;
    const running = !["down", "checking"].includes(status.state);
    const url = status.companionUrl ? ` at ${status.companionUrl}` : "";
    const paired = status.state === "connected";
    if (native.ok) {
      show("installed", true, "Installed: the browser can start the companion and pair with it.");
    } else if (paired) {
      show("installed", false, "The companion is installed, but the browser cannot start it by itself. "
        + "Run this once in Campfire's folder so it can:", "campfire native install");
    } else {
      show("installed", false, "In a terminal, in the folder of Campfire's source, run:", command);
    }
    if (running) {
      show("running", true, status.state === "loading" ? `Running${url}, loading its model…` : `Running${url}.`);
    } else {
      show("running", false, native.ok ? "Starting it…"
        : "Not running yet. Once step 1 is done the browser starts it (or run: campfire serve).");
    }
    if (paired) {
      const model = status.model ? ` with ${status.model.name} ${status.model.version}` : "";
      show("paired", true, `Paired${model}.`);
    } else {
      show("paired", false, native.ok ? "Pairing…"
        : "Pairs itself once step 1 is done. (Or paste the token that campfire pair prints into the settings.)");
    }
    document.getElementById("done").hidden = !(running && paired);
    document.body.dataset.complete = String(native.ok && running && paired);
  }

  // The native host's answer shows first; the status (which may start the companion through
  // it, a few seconds) follows.
  async function refresh() {
    try {
      const setup = await send(MSG.SETUP);
      render(setup, { state: setup.native.running ? "running" : "checking" });
      document.body.dataset.ready = "true";
      render(setup, await send(MSG.STATUS));
    } catch (error) {
      show("installed", false, error.message);
    }
    document.body.dataset.ready = "true";
  }

  for (const button of document.querySelectorAll(".copy")) {
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(button.parentElement.querySelector("code").textContent);
      button.textContent = "Copied";
    });
  }
  refresh();
  setInterval(refresh, POLL_MS);
})();
