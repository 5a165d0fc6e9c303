// Message names between the content scripts, the popup, the options page and the service
// worker, and the one way to send and answer them: a handler map, never a switch.
(() => {
  const MSG = Object.freeze({
    // -> service worker
    CLASSIFY: "campfire:classify",   // {posts: [{id, text, site, author, url}]} -> classify body
    STATUS: "campfire:status",       // {} -> {state, message, model, companionUrl}
    SETUP: "campfire:setup",         // {} -> {os, native: {ok, running?, code?, message?}}
    PAIR: "campfire:pair",           // {token, companionUrl?} -> status after trying the token
    LABELS: "campfire:labels",       // {} -> [{name, title, description, threshold}]
    CHECK_DRAFT: "campfire:check-draft", // {text} -> /v1/check body {model, labels, matches}
    // The user's own data (background/user-data.js, the companion's /v1 user-data routes)
    CORRECT: "campfire:correct",     // {text, site, labels: {name: bool}} -> the stored correction
    UNDO_CORRECTIONS: "campfire:undo-corrections", // {ids: [id]} -> {deleted: n}
    AUTHOR_RULE: "campfire:author-rule", // {site, author, rule} -> the rule; rule null removes it
    AUTHOR_RULES: "campfire:author-rules", // {} -> [{site, author, rule, created}]
    EXPORT_DATA: "campfire:export-data", // {} -> the /v1/export document
    FORGET_ALL: "campfire:forget-all", // {} -> {deleted: true}
    STATS: "campfire:stats",         // {days} -> /v1/stats body {from, to, rows}
    REPORT_ACTIONS: "campfire:report-actions", // {site, actions: {dimmed, hidden, brought_forward}}
    // -> content script of a tab
    PAGE_COUNTS: "campfire:page-counts", // {} -> {site, enabled, posts, raised: {label: n}}
  });

  // Answers travel as {ok, value} / {ok: false, error} because an exception thrown in a
  // handler never reaches the sender in either browser.
  function listen(handlers) {
    return (message, sender, sendResponse) => {
      const handler = handlers[message?.type];
      if (!handler) return false;
      Promise.resolve()
        .then(() => handler(message, sender))
        .then((value) => sendResponse({ ok: true, value }),
              (error) => sendResponse({ ok: false, error: describe(error) }));
      return true;
    };
  }

  // `state` is the companion's (down, unpaired, ...) when the error came from talking to it.
  function describe(error) {
    return { code: error?.code ?? "internal_error", state: error?.state ?? null,
             message: String(error?.message ?? error) };
  }

  function unwrap(answer, type) {
    if (answer === undefined) throw new MessageError({ code: "no_receiver", message: `nobody answered ${type}` });
    if (!answer.ok) throw new MessageError(answer.error);
    return answer.value;
  }

  class MessageError extends Error {
    constructor({ code, state = null, message }) {
      super(message);
      this.code = code;
      this.state = state;
    }
  }

  async function send(type, payload = {}) {
    return unwrap(await chrome.runtime.sendMessage({ type, ...payload }), type);
  }

  async function sendToTab(tabId, type, payload = {}) {
    return unwrap(await chrome.tabs.sendMessage(tabId, { type, ...payload }), type);
  }

  globalThis.CampfireMessages = { MSG, listen, send, sendToTab, MessageError };
})();
