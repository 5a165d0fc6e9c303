// The toolbar popup: is the companion there and paired, what Campfire found on this tab,
// and the two switches people reach for while reading (this site on/off, conversation first).
(() => {
  const { MSG, send, sendToTab } = CampfireMessages;
  const $ = (id) => document.getElementById(id);
  const REFRESH_MS = 1000;
  const { NEEDS_PAIRING } = CampfireStatusText;
  const { t } = CampfireI18n;

  // Tests (and the options page) open the popup as a tab and name the tab it describes.
  async function targetTabId() {
    const named = Number(new URLSearchParams(location.search).get("tab"));
    if (named) return named;
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    return tab?.id ?? null;
  }

  // One status line; the model and the address only in the About corner. The token field
  // shows while pairing is what is missing (or while the companion is down and no token is kept).
  function showStatus(status) {
    CampfireStatusText.render($("status"), status.state);
    $("pair-form").hidden = !(NEEDS_PAIRING.has(status.state) || (status.state === "down" && !status.hasToken));
    const model = status.model ? `${t("about_model", status.model.name, status.model.version)} ` : "";
    $("about-text").textContent = `${model}${t("about_address", status.companionUrl)}`;
  }

  async function refreshStatus() {
    showStatus(await send(MSG.STATUS));
  }

  async function pair(event) {
    event.preventDefault();
    const message = $("pair-message");
    message.textContent = "";
    delete message.dataset.kind;
    try {
      const status = await send(MSG.PAIR, { token: $("token").value });
      showStatus(status);
      const outcome = pairOutcome(status);
      message.dataset.kind = outcome.kind;
      message.textContent = outcome.text;
      if (status.tokenSaved) $("token").value = "";
      if (status.tokenSaved && !status.tokenChecked) $("pair-form").hidden = false;
    } catch (error) {
      message.dataset.kind = "error";
      message.textContent = error.code === "empty_token" ? t("pair_empty") : error.message;
    }
  }

  function pairOutcome(status) {
    if (!status.tokenSaved) return { kind: "error", text: t("pair_refused") };
    if (status.tokenChecked) return { kind: "ok", text: t("pair_done") };
    return { kind: "warning", text: t("pair_unchecked") };
  }

  function countItem(text, n) {
    const li = document.createElement("li");
    li.dataset.count = text;
    const label = document.createElement("span");
    label.textContent = text;
    const value = document.createElement("span");
    value.className = "n";
    value.textContent = String(n);
    li.append(label, value);
    return li;
  }

  function showCounts(counts, settings) {
    $("page-summary").textContent = counts.enabled
      ? t("popup_checked", counts.siteName, counts.checked, counts.posts)
      : t("popup_site_off", counts.siteName);
    const items = CampfireSettings.LABEL_NAMES.map((name) =>
      countItem(CampfireLabels.TITLES[name], counts.raised[name]));
    for (const [action, text] of [["dim", t("count_dimmed")], ["collapse", t("count_collapsed")], ["hide", t("count_hidden")]]) {
      if (counts.actions[action]) items.push(countItem(text, counts.actions[action]));
    }
    if (counts.ads) items.push(countItem(counts.hidesAds ? t("count_ads_hidden") : t("count_ads_marked"), counts.ads));
    const warn = CampfireHealth.warns(counts.health);
    $("site-health").hidden = !warn;
    $("site-health").textContent = warn ? CampfireHealth.describe(counts.siteName, counts.health) : "";
    $("counts").replaceChildren(...items);
    $("counts").hidden = !counts.enabled;
    $("page-controls").hidden = false;
    $("site-enabled").checked = counts.enabled;
    $("site-enabled").dataset.site = counts.site;
    $("site-enabled-label").textContent = t("popup_label_site", counts.siteName);
    $("conversation-first").checked = settings.conversationFirst;
    $("hide-ads").checked = counts.hidesAds;
    $("hide-ads-label").textContent = t("popup_hide_ads_site", counts.siteName);
  }

  async function refreshCounts(tabId) {
    if (tabId === null) return;
    try {
      const [counts, settings] = await Promise.all([sendToTab(tabId, MSG.PAGE_COUNTS), CampfireSettings.load()]);
      showCounts(counts, settings);
    } catch {
      // No content script on this tab: not a site Campfire reads.
      $("page-controls").hidden = true;
      $("counts").hidden = true;
      $("site-health").hidden = true;
    }
  }

  async function toggleSite() {
    const site = $("site-enabled").dataset.site;
    const { disabledSites } = await CampfireSettings.load();
    const others = disabledSites.filter((id) => id !== site);
    await CampfireSettings.save({ disabledSites: $("site-enabled").checked ? others : [...others, site] });
  }

  // The keys the user set for the switches' shortcuts (none shown where unset).
  async function showShortcuts() {
    const commands = await chrome.commands?.getAll?.() ?? [];
    for (const { name, shortcut } of commands) {
      const hint = document.querySelector(`kbd[data-command="${name}"]`);
      if (!hint) continue;
      hint.textContent = shortcut ?? "";
      hint.closest("label").querySelector("input").setAttribute("aria-keyshortcuts", shortcut ?? "");
    }
  }

  async function toggleAds() {
    const site = $("site-enabled").dataset.site;
    const { hideAds } = await CampfireSettings.load();
    const others = hideAds.filter((id) => id !== site);
    await CampfireSettings.save({ hideAds: $("hide-ads").checked ? [...others, site] : others });
  }

  async function main() {
    const tabId = await targetTabId();
    showShortcuts();
    $("pair-form").addEventListener("submit", pair);
    $("open-options").addEventListener("click", (event) => {
      event.preventDefault();
      chrome.runtime.openOptionsPage();
    });
    $("site-enabled").addEventListener("change", toggleSite);
    $("hide-ads").addEventListener("change", toggleAds);
    $("conversation-first").addEventListener("change", () =>
      CampfireSettings.save({ conversationFirst: $("conversation-first").checked }));
    await Promise.all([refreshStatus(), refreshCounts(tabId)]);
    setInterval(() => refreshCounts(tabId), REFRESH_MS);
  }

  main();
})();
