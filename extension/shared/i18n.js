// The extension's words in the browser's language (_locales/<lang>/messages.json; English
// when there is no translation). `t(key, ...values)` for scripts; in HTML, a data-i18n key
// fills an element's text and `data-i18n-placeholder|-aria-label|-title` an attribute. The
// companion's own messages (findings, evidence) stay English.
(() => {
  const ATTRIBUTES = { i18nPlaceholder: "placeholder", i18nAriaLabel: "aria-label", i18nTitle: "title" };

  function t(key, ...values) {
    const text = chrome.i18n.getMessage(key, values.map(String));
    if (!text) console.warn(`Campfire: no message "${key}"`);
    return text || key;
  }

  // Fill every marked element under `root` (a document, an element or a template's clone).
  function fill(root) {
    const selector = "[data-i18n], [data-i18n-placeholder], [data-i18n-aria-label], [data-i18n-title]";
    const nodes = root.querySelectorAll(selector);
    for (const el of [...(root.matches?.(selector) ? [root] : []), ...nodes]) {
      if (el.dataset.i18n) el.textContent = t(el.dataset.i18n);
      for (const [data, attribute] of Object.entries(ATTRIBUTES)) {
        if (el.dataset[data]) el.setAttribute(attribute, t(el.dataset[data]));
      }
    }
  }

  // Campfire's own pages load this before their scripts, at the end of <body>.
  if (typeof document !== "undefined" && /^(chrome|moz)-extension:$/.test(location.protocol)) {
    document.documentElement.lang = t("html_lang");
    fill(document);
  }

  globalThis.CampfireI18n = { t, fill };
})();
