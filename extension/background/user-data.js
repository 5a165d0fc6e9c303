// The service worker's answers to the "Not right?" control and the "Your feeds" page: the
// companion's user-data routes, which keep corrections, author rules and daily counts in the
// user's own store (never in the browser, never anywhere else).
(() => {
  const { MSG, listen } = CampfireMessages;
  const { userData } = CampfireCompanion;
  const settings = () => CampfireSettings.load();

  async function undoCorrections({ ids }) {
    let deleted = 0;
    for (const id of ids ?? []) {
      try {
        await userData(await settings(), "DELETE", `/v1/corrections/${Number(id)}`);
        deleted += 1;
      } catch (error) {
        if (error.status !== 404) throw error; // already gone: undone all the same
      }
    }
    return { deleted };
  }

  async function authorRule({ site, author, rule }) {
    if (rule) return userData(await settings(), "POST", "/v1/authors", { site, author, rule });
    const query = new URLSearchParams({ site, author });
    try {
      return await userData(await settings(), "DELETE", `/v1/authors?${query}`);
    } catch (error) {
      if (error.status === 404) return { deleted: false };
      throw error;
    }
  }

  const handlers = {
    [MSG.CORRECT]: async ({ text, site, labels }) =>
      // Cut as /v1/classify's posts are (background/fit.js), so the digests meet.
      userData(await settings(), "POST", "/v1/corrections",
        { text: CampfireFit.fitText(String(text ?? "")), site: site ?? "", labels }),
    [MSG.UNDO_CORRECTIONS]: undoCorrections,
    [MSG.AUTHOR_RULE]: authorRule,
    [MSG.AUTHOR_RULES]: async () => (await userData(await settings(), "GET", "/v1/authors")).authors,
    [MSG.EXPORT_DATA]: async () => userData(await settings(), "GET", "/v1/export"),
    [MSG.FORGET_ALL]: async () => userData(await settings(), "DELETE", "/v1/store"),
    [MSG.STATS]: async ({ days = 30 }) => userData(await settings(), "GET", `/v1/stats?days=${Number(days)}`),
    [MSG.REPORT_ACTIONS]: async ({ site, actions }) =>
      userData(await settings(), "POST", "/v1/stats", { site, actions }),
  };

  chrome.runtime.onMessage.addListener(listen(handlers));
})();
