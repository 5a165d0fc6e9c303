// The first-run page: three steps with live status (companion installed and registered for
// native messaging? running? paired?), the command for this machine, each step turning green
// by itself. Asking the service worker for the status is what makes the native host start
// and pair the companion, so the page needs no button.
(() => {
  const { MSG, send } = CampfireMessages;
  const { t } = CampfireI18n;
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
    const paired = status.state === "connected";
    if (native.ok) {
      show("installed", true, t("welcome_installed"));
    } else if (paired) {
      show("installed", false, t("welcome_installed_no_native"), "campfire native install");
    } else {
      show("installed", false, t("welcome_install_run"), command);
    }
    if (running) {
      show("running", true, status.state === "loading" ? t("welcome_running_loading", status.companionUrl)
        : t("welcome_running", status.companionUrl));
    } else {
      show("running", false, native.ok ? t("welcome_starting") : t("welcome_not_running"));
    }
    if (paired) {
      show("paired", true, t("welcome_paired"));
    } else {
      show("paired", false, native.ok ? t("welcome_pairing") : t("welcome_pairs_itself"));
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
      button.textContent = t("welcome_copied");
    });
  }
  // Until every step is green; then the page has done its job.
  async function poll() {
    await refresh();
    if (document.body.dataset.complete !== "true") setTimeout(poll, POLL_MS);
  }
  poll();
})();
