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

  // When the companion is down or does not know our token (none yet, or it was rotated), the
  // native host (if installed) says where it is and what its token is, starting it if need be.
  const NATIVE_FIXES = new Set(["down", "unpaired", "wrong_token"]);

  async function fromNativeHost(settings) {
    const { patch } = await CampfireNative.connect();
    if (!patch || (patch.companionUrl === settings.companionUrl && patch.token === settings.token)) return null;
    return CampfireSettings.save(patch);
  }

  // A call to the companion, tried once more with what the native host says if it fails so.
  async function withCompanion(call) {
    const settings = await CampfireSettings.load();
    try {
      return await call(settings);
    } catch (error) {
      if (!NATIVE_FIXES.has(error?.state)) throw error;
      const fresh = await fromNativeHost(settings);
      if (!fresh) throw error;
      return call(fresh);
    }
  }

  async function status() {
    const settings = await CampfireSettings.load();
    const first = await companion.status(settings);
    if (!NATIVE_FIXES.has(first.state)) return first;
    const fresh = await fromNativeHost(settings);
    return fresh ? companion.status(fresh) : first;
  }

  // The welcome page's first step: is the native host registered (it starts nothing).
  async function setup() {
    const [native, { os }] = await Promise.all([CampfireNative.status(), chrome.runtime.getPlatformInfo()]);
    return { os, native };
  }

  const handlers = {
    [MSG.CLASSIFY]: async ({ posts }) => withCompanion((settings) => companion.classify(settings, posts)),
    [MSG.STATUS]: status,
    [MSG.SETUP]: setup,
    [MSG.LABELS]: async () => withCompanion(companion.labels),
    [MSG.PAIR]: pair,
    [MSG.CHECK_DRAFT]: async ({ text }) =>
      withCompanion((settings) => companion.checkDraft(settings, String(text ?? ""))),
  };

  chrome.runtime.onMessage.addListener(listen(handlers));
  // A new install cannot label anything until it is set up: open the page that walks it.
  chrome.runtime.onInstalled.addListener(async ({ reason }) => {
    await CampfireSettings.load();
    if (reason === "install") chrome.tabs.create({ url: chrome.runtime.getURL("welcome/welcome.html") });
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
