// The manifest's content-script files as paths from the extension root: what
// scripting.registerContentScripts takes. Firefox's getManifest() gives them as full
// moz-extension:// URLs, Chromium as written in the manifest.
(() => {
  const root = chrome.runtime.getURL("");
  const relative = (path) => (path.startsWith(root) ? path.slice(root.length) : path.replace(/^\//, ""));
  const [entry] = chrome.runtime.getManifest().content_scripts;
  globalThis.CampfireContentFiles = Object.freeze({
    js: entry.js.map(relative),
    css: (entry.css ?? []).map(relative),
  });
})();
