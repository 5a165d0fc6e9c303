// The user's settings: defaults, validation and schema migrations over chrome.storage.local.
// Every reader goes through migrate(), so a value written by an older (or newer) version of
// the extension, or edited by hand, never reaches the code unchecked.
(() => {
  const SCHEMA_VERSION = 1;
  const STORAGE_KEY = "settings";
  // The shipped model's label names (models/labels.json, the one declaration; a test keeps the
  // copy equal). Sinkable: the labels a user may sink to the bottom of a feed.
  const LABEL_NAMES = ["self_promotion", "missing_disclosure", "conversational"];
  const SINKABLE = ["self_promotion", "missing_disclosure"];
  const ACTIONS = ["off", "badge", "dim", "collapse", "hide"];
  const DEFAULT_COMPANION_URL = "http://127.0.0.1:47800";
  // The companion must be on this machine: post text may go nowhere else.
  const LOOPBACK = new Set(["127.0.0.1", "localhost"]);
  const HOSTNAME = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

  const DEFAULTS = Object.freeze({
    schemaVersion: SCHEMA_VERSION,
    companionUrl: DEFAULT_COMPANION_URL,
    token: "",
    labels: Object.fromEntries(LABEL_NAMES.map((name) => [name, { action: "badge", threshold: null }])),
    disabledSites: [],
    hideAds: [], // sites whose own ads (promoted, sponsored) are hidden rather than marked
    extraHosts: {},
    allowAuthors: [],
    conversationFirst: false,
    sinkLabels: [],
  });

  // MIGRATIONS[n] turns a version-n object into version n+1. Version 0 is anything stored
  // without a schemaVersion; version 1 only needs the field checks every version gets.
  const MIGRATIONS = {
    0: (old) => ({ ...old, schemaVersion: 1 }),
  };

  class SettingsError extends Error {}

  function companionUrl(input) {
    let url;
    try {
      url = new URL(String(input).trim());
    } catch {
      throw new SettingsError(CampfireI18n.t("settings_not_address", input));
    }
    if (url.protocol !== "http:" || !LOOPBACK.has(url.hostname)) {
      throw new SettingsError(CampfireI18n.t("settings_not_local"));
    }
    return url.origin;
  }

  function author(handle) {
    const bare = String(handle).trim().replace(/^@+/, "").toLowerCase();
    return bare ? `@${bare}` : "";
  }

  // Accepts "fosstodon.org" as well as a pasted "https://fosstodon.org/home".
  function hostname(input) {
    const raw = String(input).trim().toLowerCase();
    let host = raw;
    try {
      if (raw.includes("/")) host = new URL(raw.includes("://") ? raw : `https://${raw}`).hostname;
    } catch {
      host = "";
    }
    if (!HOSTNAME.test(host)) throw new SettingsError(CampfireI18n.t("settings_not_host", input));
    return host;
  }

  function siteId(value) {
    if (typeof value !== "string" || !/^[a-z][a-z0-9_]*$/.test(value)) throw new SettingsError(`not a site: ${value}`);
    return value;
  }

  function orDefault(fn, value, fallback) {
    try {
      return fn(value);
    } catch {
      return fallback;
    }
  }

  function labelSetting(value) {
    const action = ACTIONS.includes(value?.action) ? value.action : "badge";
    const t = value?.threshold;
    const threshold = typeof t === "number" && t >= 0 && t <= 1 ? t : null;
    return { action, threshold };
  }

  function stringList(value, clean) {
    if (!Array.isArray(value)) return [];
    return [...new Set(value.map((v) => orDefault(clean, v, "")).filter(Boolean))];
  }

  function extraHosts(value) {
    const out = {};
    for (const [host, site] of Object.entries(value && typeof value === "object" ? value : {})) {
      const clean = orDefault(hostname, host, "");
      if (clean && typeof site === "string") out[clean] = site;
    }
    return out;
  }

  // Field by field: a bad value falls back to its default without losing the good ones.
  function sanitize(s) {
    return {
      schemaVersion: SCHEMA_VERSION,
      companionUrl: orDefault(companionUrl, s.companionUrl, DEFAULT_COMPANION_URL),
      token: typeof s.token === "string" ? s.token.trim() : "",
      labels: Object.fromEntries(LABEL_NAMES.map((n) => [n, labelSetting(s.labels?.[n])])),
      disabledSites: stringList(s.disabledSites, String),
      hideAds: stringList(s.hideAds, siteId),
      extraHosts: extraHosts(s.extraHosts),
      allowAuthors: stringList(s.allowAuthors, author),
      conversationFirst: s.conversationFirst === true,
      sinkLabels: stringList(s.sinkLabels, String).filter((n) => SINKABLE.includes(n)),
    };
  }

  function migrate(stored, migrations = MIGRATIONS) {
    if (!stored || typeof stored !== "object" || Array.isArray(stored)) {
      return structuredClone(DEFAULTS);
    }
    let value = structuredClone(stored);
    let version = Number.isInteger(value.schemaVersion) ? value.schemaVersion : 0;
    // A newer extension's settings (after a downgrade) keep every field this version knows.
    while (version < SCHEMA_VERSION) {
      value = migrations[version](value);
      version += 1;
    }
    return sanitize(value);
  }

  function merge(current, patch) {
    const labels = { ...current.labels };
    for (const [name, change] of Object.entries(patch.labels ?? {})) {
      labels[name] = { ...labels[name], ...change };
    }
    return { ...current, ...patch, labels };
  }

  async function load() {
    const stored = (await chrome.storage.local.get(STORAGE_KEY))[STORAGE_KEY];
    const settings = migrate(stored);
    // Nothing stored: the defaults need no writing (and writing them could undo a save made
    // between this read and that write, e.g. by a page open beside this one).
    if (stored !== undefined && JSON.stringify(stored) !== JSON.stringify(settings)) {
      await chrome.storage.local.set({ [STORAGE_KEY]: settings });
    }
    return settings;
  }

  // Throws SettingsError for a value the user typed that cannot be kept (address, host),
  // so forms can say so instead of silently falling back to the default.
  async function save(patch) {
    if ("companionUrl" in patch) patch = { ...patch, companionUrl: companionUrl(patch.companionUrl) };
    const settings = sanitize(merge(await load(), patch));
    await chrome.storage.local.set({ [STORAGE_KEY]: settings });
    return settings;
  }

  function onChange(callback) {
    chrome.storage.onChanged.addListener((changes, area) => {
      if (area === "local" && STORAGE_KEY in changes) callback(migrate(changes[STORAGE_KEY].newValue));
    });
  }

  globalThis.CampfireSettings = {
    SCHEMA_VERSION, STORAGE_KEY, LABEL_NAMES, SINKABLE, ACTIONS, DEFAULTS, DEFAULT_COMPANION_URL,
    MIGRATIONS, SettingsError, migrate, sanitize, load, save, onChange,
    normalize: { companionUrl, author, hostname },
  };
})();
