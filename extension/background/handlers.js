// The service worker's answers to messages, and its reactions to settings changes.
(() => {
  const { MSG, listen } = CampfireMessages;
  const companion = CampfireCompanion;

  async function pair({ token }) {
    const settings = await CampfireSettings.load();
    const candidate = String(token ?? "").trim();
    if (!candidate) throw new companion.CompanionError("unpaired", "empty_token", "Paste the token first.");
    const status = await companion.status({ ...settings, token: candidate });
    // A refused token is never stored; one we cannot check yet (companion down) is, so the
    // user pastes it once and it works when the companion starts. `tokenChecked` tells the
    // page which of the two happened, so it can say so.
    if (status.state === "wrong_token") return { ...status, tokenSaved: false, tokenChecked: true };
    await CampfireSettings.save({ token: candidate });
    return { ...status, tokenSaved: true, tokenChecked: status.state === "connected" };
  }

  const handlers = {
    [MSG.CLASSIFY]: async ({ posts }) => companion.classify(await CampfireSettings.load(), posts),
    [MSG.STATUS]: async () => companion.status(await CampfireSettings.load()),
    [MSG.LABELS]: async () => companion.labels(await CampfireSettings.load()),
    [MSG.PAIR]: pair,
    [MSG.CHECK_DRAFT]: async ({ text }) => companion.checkDraft(await CampfireSettings.load(), String(text ?? "")),
  };

  chrome.runtime.onMessage.addListener(listen(handlers));
  // A new install cannot label anything until it is paired: open the page that pairs it.
  chrome.runtime.onInstalled.addListener(async ({ reason }) => {
    await CampfireSettings.load();
    if (reason === "install") chrome.tabs.create({ url: chrome.runtime.getURL("options/options.html") });
  });
  let syncedHosts = null;
  CampfireSettings.onChange((settings) => {
    const hosts = JSON.stringify(settings.extraHosts);
    if (hosts === syncedHosts) return;
    syncedHosts = hosts;
    CampfireExtraHosts.sync(settings);
  });
  chrome.runtime.onStartup.addListener(async () => CampfireExtraHosts.sync(await CampfireSettings.load()));
})();
