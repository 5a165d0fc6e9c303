// The options page: companion address and pairing, per-label action and threshold, sites
// (with Mastodon instances), and the authors Campfire never labels. Every control saves
// on change through `save` (CampfireSettings, which the content scripts follow live), and
// a "Saved" note says so: there is no save button.
(() => {
  const { MSG, send } = CampfireMessages;
  const { NEEDS_PAIRING } = CampfireStatusText;
  const { t } = CampfireI18n;
  const $ = (id) => document.getElementById(id);
  const MASTODON = "mastodon";
  const SAVED_NOTE_MS = 2500;
  let settings;
  let labelInfos = CampfireLabels.byName(); // the shipped defaults until the companion answers
  let savedTimer = 0;

  async function save(patch) {
    settings = await CampfireSettings.save(patch);
    $("saved").textContent = t("options_saved");
    clearTimeout(savedTimer);
    savedTimer = setTimeout(() => { $("saved").textContent = ""; }, SAVED_NOTE_MS);
    return settings;
  }

  // The adapters are listed once, in the manifest's content script; load the same files here.
  async function loadSiteAdapters() {
    const files = CampfireContentFiles.js
      .filter((file) => file.startsWith("sites/") && file !== "sites/index.js");
    await Promise.all(files.map((file) => new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = `/${file}`;
      script.async = false; // run in the manifest's order, as content scripts do
      script.onload = resolve;
      script.onerror = () => reject(new Error(`cannot load ${file}`));
      document.body.append(script);
    })));
  }

  // The status line, then either the paired state or the token field: never an empty field
  // and a Pair button once a token works.
  async function showStatus() {
    const status = await send(MSG.STATUS);
    CampfireStatusText.render($("status"), status.state);
    const paired = status.hasToken && !NEEDS_PAIRING.has(status.state);
    $("paired").hidden = !paired;
    $("paired-text").textContent = status.state === "connected"
      ? t("options_paired") : t("options_token_kept");
    if (paired) $("pair-form").hidden = true;
    else if (status.state !== "checking") $("pair-form").hidden = false;
    const model = status.model ? `${t("about_model", status.model.name, status.model.version)} ` : "";
    $("about-text").textContent = `${model}${t("about_version", chrome.runtime.getManifest().version)}`;
    if (status.labels) labelInfos = CampfireLabels.byName(status.labels);
    return status;
  }

  async function saveAddress() {
    $("address-error").textContent = "";
    try {
      await save({ companionUrl: $("companion-url").value });
    } catch (error) {
      $("address-error").textContent = error.message;
      return;
    }
    $("companion-url").value = settings.companionUrl;
    await showStatus();
  }

  async function pair(event) {
    event.preventDefault();
    const message = $("pair-message");
    message.textContent = "";
    try {
      const status = await send(MSG.PAIR, { token: $("token").value });
      if (!status.tokenSaved) {
        message.dataset.kind = "error";
        message.textContent = t("pair_refused");
        return;
      }
      $("token").value = "";
      await showStatus();
      message.dataset.kind = status.tokenChecked ? "ok" : "warning";
      message.textContent = status.tokenChecked ? t("pair_done") : t("options_token_unchecked");
    } catch (error) {
      message.dataset.kind = "error";
      message.textContent = error.code === "empty_token" ? t("pair_empty") : error.message;
    }
  }

  function percent(value) {
    return `${Math.round(value * 100)}%`;
  }

  function labelControls(name) {
    const node = $("label-template").content.firstElementChild.cloneNode(true);
    node.dataset.label = name;
    CampfireI18n.fill(node);
    node.querySelector("legend").textContent = CampfireLabels.title(name, labelInfos);
    node.querySelector(".description").textContent = CampfireLabels.description(name, labelInfos);
    const action = node.querySelector(".action");
    const slider = node.querySelector(".threshold");
    const output = node.querySelector(".threshold-value");
    const show = () => {
      const value = CampfireLabels.threshold(name, settings, labelInfos);
      action.value = settings.labels[name].action;
      slider.value = String(Math.round(value * 100));
      const own = settings.labels[name].threshold !== null;
      const known = own || labelInfos[name]?.threshold !== undefined;
      output.textContent = own ? percent(value)
        : known ? t("options_threshold_models", percent(value)) : t("options_threshold_unknown");
      slider.setAttribute("aria-valuetext", percent(value));
    };
    action.addEventListener("change", async () => {
      await save({ labels: { [name]: { action: action.value } } });
    });
    slider.addEventListener("input", () => { output.textContent = `${slider.value}%`; });
    slider.addEventListener("change", async () => {
      await save({ labels: { [name]: { threshold: Number(slider.value) / 100 } } });
      show();
    });
    node.querySelector(".threshold-reset").addEventListener("click", async () => {
      await save({ labels: { [name]: { threshold: null } } });
      show();
    });
    show();
    return node;
  }

  function checkbox(text, checked, onChange) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.checked = checked;
    input.addEventListener("change", () => onChange(input.checked));
    label.append(input, ` ${text}`);
    return label;
  }

  function showLabels() {
    $("labels").replaceChildren(...CampfireSettings.LABEL_NAMES.map(labelControls));
    const sinks = CampfireSettings.SINKABLE.map((name) =>
      checkbox(CampfireLabels.title(name, labelInfos), settings.sinkLabels.includes(name), async (on) => {
        const others = settings.sinkLabels.filter((n) => n !== name);
        await save({ sinkLabels: on ? [...others, name] : others });
      }));
    $("sink").replaceChildren($("sink").querySelector("legend"), ...sinks);
  }

  function showSites() {
    $("sites").replaceChildren(...CampfireSites.all().flatMap((site) => [
      checkbox(t("popup_label_site", site.name), !settings.disabledSites.includes(site.id), async (on) => {
        const others = settings.disabledSites.filter((id) => id !== site.id);
        await save({ disabledSites: on ? others : [...others, site.id] });
      }),
      Object.assign(checkbox(t("options_hide_ads", site.name), settings.hideAds.includes(site.id),
        async (on) => {
          const others = settings.hideAds.filter((id) => id !== site.id);
          await save({ hideAds: on ? [...others, site.id] : others });
        }), { className: "hide-ads" }),
    ]));
    $("instances").replaceChildren(...Object.keys(settings.extraHosts).map((host) => {
      const li = document.createElement("li");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = t("options_remove");
      remove.addEventListener("click", () => removeInstance(host));
      li.append(host, remove);
      return li;
    }));
  }

  // permissions.request must run inside the click itself: no await before it.
  function addInstance(event) {
    event.preventDefault();
    $("instance-error").textContent = "";
    let host;
    try {
      host = CampfireSettings.normalize.hostname($("instance").value);
    } catch (error) {
      $("instance-error").textContent = error.message;
      return;
    }
    const builtIn = CampfireSites.forHost(host);
    if (builtIn) {
      $("instance-error").textContent = t("options_already_supported", host, builtIn.name);
      return;
    }
    chrome.permissions.request({ origins: [`https://${host}/*`] }).then(async (granted) => {
      if (!granted) throw new Error(t("options_permission_needed", host));
      await save({ extraHosts: { ...settings.extraHosts, [host]: MASTODON } });
      $("instance").value = "";
      showSites();
    }).catch((error) => { $("instance-error").textContent = error.message; });
  }

  async function removeInstance(host) {
    const { [host]: _, ...rest } = settings.extraHosts;
    await save({ extraHosts: rest });
    await chrome.permissions.remove({ origins: [`https://${host}/*`] });
    showSites();
  }

  // Each site's last-seen state, as its content script recorded it (chrome.storage, no network).
  async function showHealth() {
    const reports = await CampfireHealth.loadAll();
    $("site-health").replaceChildren(...CampfireSites.all().map((site) => {
      const li = document.createElement("li");
      const report = reports[site.id];
      li.dataset.site = site.id;
      li.dataset.state = report?.state ?? "unseen";
      const when = report?.at ? ` (${new Date(report.at).toLocaleString()})` : "";
      li.textContent = `${CampfireHealth.describe(site.name, report)}${when}`;
      return li;
    }));
  }

  async function saveAllowList() {
    const handles = $("allow-authors").value.split(/[\s,]+/).filter(Boolean);
    await save({ allowAuthors: handles });
    $("allow-authors").value = settings.allowAuthors.join("\n");
  }

  async function main() {
    settings = await CampfireSettings.load();
    await Promise.all([loadSiteAdapters(), showStatus().catch(() => null)]);
    $("companion-url").value = settings.companionUrl;
    $("allow-authors").value = settings.allowAuthors.join("\n");
    showLabels();
    showSites();
    await Promise.all([showHealth(), CampfireAuthorRules.show($("rules"), $("rules-status"))]);
    chrome.storage.onChanged.addListener((changes) => {
      if (CampfireHealth.STORAGE_KEY in changes) showHealth();
    });
    $("companion-url").addEventListener("change", saveAddress);
    $("pair-form").addEventListener("submit", pair);
    $("replace-token").addEventListener("click", () => {
      $("pair-form").hidden = false;
      $("token").focus();
    });
    $("instance-form").addEventListener("submit", addInstance);
    $("allow-authors").addEventListener("change", saveAllowList);
    document.body.dataset.ready = "true";
  }

  main();
})();
