// Which labels a post raises under the user's settings, and how to say so in words.
// Shared by the content scripts (badges, actions, counts) and the options page.
(() => {
  const { LABEL_NAMES } = CampfireSettings;
  // The shipped model's thresholds (models/labels.json is the one declaration; a test keeps
  // this copy equal), used until the companion's /v1/labels answers: the options page shows
  // the real defaults from the first run on. Titles and descriptions come from _locales.
  const SHIPPED = [
    { name: "self_promotion", threshold: 0.32 },
    { name: "missing_disclosure", threshold: 0.23 },
    { name: "conversational", threshold: 0.55 },
  ];
  // Titles and descriptions in the browser's language (_locales); the companion's own only
  // for a label this version of the extension does not know.
  const { t } = CampfireI18n;
  const TITLES = {
    self_promotion: t("label_self_promotion"),
    missing_disclosure: t("label_missing_disclosure"),
    conversational: t("label_conversational"),
  };
  const DESCRIPTIONS = {
    self_promotion: t("label_self_promotion_description"),
    missing_disclosure: t("label_missing_disclosure_description"),
    conversational: t("label_conversational_description"),
  };
  const ACTION_STRENGTH = { off: 0, badge: 1, dim: 2, collapse: 3, hide: 4 };
  const MAX_REASONS = 2;

  // The companion's label infos by name, over the shipped ones.
  function byName(labelInfos = []) {
    return Object.fromEntries([...SHIPPED, ...labelInfos].map((info) => [info.name, info]));
  }

  function title(name, infos) {
    return TITLES[name] || infos[name]?.title || name;
  }

  function description(name, infos) {
    return DESCRIPTIONS[name] || infos[name]?.description || "";
  }

  function threshold(name, settings, infos) {
    return settings.labels[name].threshold ?? infos[name]?.threshold ?? byName()[name].threshold;
  }

  // With no threshold of the user's own, the companion's flag (the model's threshold) decides;
  // so does it where its rules decided (decided_by "rules": a clear disclosure covers every tie),
  // whatever threshold the user set, as on every other surface.
  function passes(name, result, settings) {
    const label = result.labels[name];
    const own = settings.labels[name].threshold;
    if (!label) return false;
    return own === null || label.decided_by === "rules" ? label.flag : label.score >= own;
  }

  // The companion's evidence items (ties, disclosures, pitches) for this label, in words.
  function reason(name, result) {
    const words = (result.evidence ?? [])
      .filter((item) => item.label === name)
      .map((item) => item.detail || item.kind.replaceAll("_", " "));
    return [...new Set(words)].slice(0, MAX_REASONS).join(", ");
  }

  function isAllowed(author, settings) {
    return Boolean(author) && settings.allowAuthors.includes(CampfireSettings.normalize.author(author));
  }

  // -> {raised: [{name, title, score, percent, reason, action}], action: strongest or null}
  function decide(result, settings, labelInfos, author) {
    if (isAllowed(author, settings)) return { raised: [], action: null };
    const infos = byName(labelInfos);
    const raised = LABEL_NAMES
      .filter((name) => settings.labels[name].action !== "off")
      .filter((name) => passes(name, result, settings))
      .map((name) => {
        const score = result.labels[name].score;
        return { name, title: title(name, infos), score, percent: Math.round(score * 100),
                 reason: reason(name, result), action: settings.labels[name].action };
      });
    const strongest = raised.reduce((best, label) =>
      (ACTION_STRENGTH[label.action] > ACTION_STRENGTH[best] ? label.action : best), "badge");
    return { raised, action: strongest === "badge" ? null : strongest };
  }

  globalThis.CampfireLabels = { SHIPPED, TITLES, byName, title, description, threshold, passes, isAllowed, decide };
})();
