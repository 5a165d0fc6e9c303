// Keyboard shortcuts (the manifest's `commands`; people change the keys at
// chrome://extensions/shortcuts or in Firefox's add-on manager): Campfire on/off for the
// site in the current tab, and "Conversation first" on/off. Both change the settings the
// content scripts follow live, as the popup's switches do.
(() => {
  const { MSG, sendToTab } = CampfireMessages;

  // The site of a tab, as its content script knows it (no "tabs" permission needed); null
  // where no content script runs.
  async function siteOf(tabId) {
    if (tabId === undefined || tabId === null) return null;
    try {
      return (await sendToTab(tabId, MSG.PAGE_COUNTS)).site;
    } catch {
      return null;
    }
  }

  async function activeTabId() {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    return tab?.id ?? null;
  }

  const COMMANDS = {
    "toggle-site": async (tabId) => {
      const site = await siteOf(tabId);
      if (!site) return null;
      const { disabledSites } = await CampfireSettings.load();
      const others = disabledSites.filter((id) => id !== site);
      const off = !disabledSites.includes(site);
      await CampfireSettings.save({ disabledSites: off ? [...others, site] : others });
      return { site, enabled: !off };
    },
    "conversation-first": async () => {
      const { conversationFirst } = await CampfireSettings.load();
      await CampfireSettings.save({ conversationFirst: !conversationFirst });
      return { conversationFirst: !conversationFirst };
    },
  };

  // -> what changed, or null when the command had nothing to act on.
  async function run(command, tabId) {
    const action = COMMANDS[command];
    if (!action) return null;
    return action(tabId ?? await activeTabId());
  }

  chrome.commands?.onCommand.addListener((command, tab) => { run(command, tab?.id); });

  globalThis.CampfireCommands = { NAMES: Object.keys(COMMANDS), run };
})();
