// Chromium's service worker entry; Firefox loads the same files as background.scripts.
importScripts(
  "/shared/messages.js",
  "/shared/settings.js",
  "/shared/content-files.js",
  "/background/companion.js",
  "/background/extra-hosts.js",
  "/background/handlers.js",
);
