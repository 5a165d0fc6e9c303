// Sites on hosts the user adds (Mastodon instances): the manifest cannot list them, so the
// manifest's own content scripts are registered for each host the user granted.
(() => {
  const SCRIPT_ID = "campfire-extra-hosts";

  async function grantedPatterns(extraHosts) {
    const patterns = Object.keys(extraHosts).map((host) => `https://${host}/*`);
    const granted = await Promise.all(
      patterns.map((origin) => chrome.permissions.contains({ origins: [origin] })));
    return patterns.filter((_, i) => granted[i]);
  }

  async function sync(settings) {
    const registered = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
    if (registered.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
    const matches = await grantedPatterns(settings.extraHosts);
    if (!matches.length) return [];
    await chrome.scripting.registerContentScripts([{
      id: SCRIPT_ID, matches, js: CampfireContentFiles.js, css: CampfireContentFiles.css, runAt: "document_idle",
    }]);
    return matches;
  }

  globalThis.CampfireExtraHosts = { SCRIPT_ID, sync };
})();
