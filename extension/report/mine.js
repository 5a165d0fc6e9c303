// The report page's "What you told Campfire": the author rules (each removable), the user's
// data as one JSON file, and "forget everything". All of it lives in the companion's store.
(() => {
  const { MSG, send } = CampfireMessages;
  const { t } = CampfireI18n;
  const $ = (id) => document.getElementById(id);
  const RULE_WORDS = { never_label: t("mine_rule_never_label"), always_hide: t("mine_rule_always_hide") };

  async function listRules() {
    let rules;
    try {
      rules = await send(MSG.AUTHOR_RULES);
    } catch (error) {
      $("mine-status").textContent = error.message;
      return;
    }
    $("rules").replaceChildren(...rules.map((rule) => {
      const item = document.createElement("li");
      item.dataset.author = rule.author;
      item.textContent = t("mine_rule", rule.author, rule.site, RULE_WORDS[rule.rule]);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = t("mine_remove");
      remove.setAttribute("aria-label", t("mine_remove_label", rule.author, rule.site));
      remove.addEventListener("click", async () => {
        await send(MSG.AUTHOR_RULE, { site: rule.site, author: rule.author, rule: null });
        listRules();
      });
      item.append(remove);
      return item;
    }));
    if (!rules.length) $("rules").replaceChildren(Object.assign(document.createElement("li"), { textContent: t("mine_no_rules") }));
  }

  $("export-data").addEventListener("click", async () => {
    const document_ = await send(MSG.EXPORT_DATA);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(document_, null, 2)], { type: "application/json" }));
    link.download = "campfire-user-data.json";
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });

  $("forget").addEventListener("click", async () => {
    if (!confirm(t("mine_forget_confirm"))) return;
    await send(MSG.FORGET_ALL);
    $("mine-status").textContent = t("mine_forgotten");
    listRules();
    $("days").dispatchEvent(new Event("change"));
  });

  listRules();
})();
