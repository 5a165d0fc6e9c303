// The toolbar popup: is the companion there and paired, what Campfire found on this tab,
// and the two switches people reach for while reading (this site on/off, conversation first).
(() => {
  const { MSG, send, sendToTab } = CampfireMessages;
  const $ = (id) => document.getElementById(id);
  const REFRESH_MS = 1000;
  const HEADLINES = {
    connected: "Connected",
    unpaired: "Not paired",
    down: "Companion not running",
    loading: "Companion starting",
    error: "Companion error",
  };

  // Tests (and the options page) open the popup as a tab and name the tab it describes.
  async function targetTabId() {
    const named = Number(new URLSearchParams(location.search).get("tab"));
    if (named) return named;
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    return tab?.id ?? null;
  }

  function showStatus(status) {
    $("status").dataset.state = status.state;
    const model = status.model ? ` — ${status.model.name} ${status.model.version}` : "";
    $("status").textContent = `${HEADLINES[status.state] ?? status.state}${status.state === "connected" ? model : ""}`;
    $("status-detail").textContent = status.state === "connected" ? status.companionUrl : status.message;
    $("start-command").textContent = status.startCommand;
    $("start-hint").hidden = status.state !== "down";
    $("pair-form").hidden = status.state === "connected";
  }

  async function refreshStatus() {
    showStatus(await send(MSG.STATUS));
  }

  async function pair(event) {
    event.preventDefault();
    $("pair-error").textContent = "";
    try {
      const status = await send(MSG.PAIR, { token: $("token").value });
      showStatus(status);
      if (status.state === "unpaired") $("pair-error").textContent = `That token was not accepted: ${status.message}`;
      else $("token").value = "";
    } catch (error) {
      $("pair-error").textContent = error.message;
    }
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
      ? `${counts.siteName}: ${counts.checked} of ${counts.posts} posts checked.`
      : `${counts.siteName}: Campfire is off on this site.`;
    const items = CampfireSettings.LABEL_NAMES.map((name) =>
      countItem(CampfireLabels.TITLES[name], counts.raised[name]));
    for (const [action, text] of [["dim", "Dimmed"], ["collapse", "Collapsed"], ["hide", "Hidden"]]) {
      if (counts.actions[action]) items.push(countItem(text, counts.actions[action]));
    }
    if (counts.ads) items.push(countItem(counts.hidesAds ? "Site's ads hidden" : "Site's ads marked", counts.ads));
    const warn = CampfireHealth.warns(counts.health);
    $("site-health").hidden = !warn;
    $("site-health").textContent = warn ? CampfireHealth.describe(counts.siteName, counts.health) : "";
    $("counts").replaceChildren(...items);
    $("counts").hidden = !counts.enabled;
    $("page-controls").hidden = false;
    $("site-enabled").checked = counts.enabled;
    $("site-enabled").dataset.site = counts.site;
    $("site-enabled-label").textContent = `Label posts on ${counts.siteName}`;
    $("conversation-first").checked = settings.conversationFirst;
    $("hide-ads").checked = counts.hidesAds;
    $("hide-ads-label").textContent = `Hide ${counts.siteName}'s own ads`;
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

  async function toggleAds() {
    const site = $("site-enabled").dataset.site;
    const { hideAds } = await CampfireSettings.load();
    const others = hideAds.filter((id) => id !== site);
    await CampfireSettings.save({ hideAds: $("hide-ads").checked ? [...others, site] : others });
  }

  async function main() {
    const tabId = await targetTabId();
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
