// Chromium's service worker entry; Firefox loads the same files as background.scripts.
importScripts(
  "/shared/messages.js",
  "/shared/i18n.js",
  "/shared/settings.js",
  "/shared/content-files.js",
  "/shared/limits.js",
  "/background/fit.js",
  "/background/companion.js",
  "/background/native.js",
  "/background/extra-hosts.js",
  "/background/handlers.js",
  "/background/commands.js",
  "/background/user-data.js",
);
