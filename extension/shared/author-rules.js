// The author rules the user set with "Not right?" (never label / always hide, per site), listed
// with a Remove button each, from the companion's store. The report page ("What you told
// Campfire") and the options page show the same list through this one function.
(() => {
  const { MSG, send } = CampfireMessages;
  const { t } = CampfireI18n;

  // Fills `list` (a <ul>) with the rules; an error goes to `status` (a role=status element).
  async function show(list, status) {
    let rules;
    try {
      rules = await send(MSG.AUTHOR_RULES);
    } catch (error) {
      status.textContent = error.message;
      return;
    }
    const words = { never_label: t("mine_rule_never_label"), always_hide: t("mine_rule_always_hide") };
    list.replaceChildren(...rules.map((rule) => {
      const item = document.createElement("li");
      item.dataset.author = rule.author;
      item.textContent = t("mine_rule", rule.author, rule.site, words[rule.rule]);
      const remove = CampfireDom.button(t("mine_remove"), "remove", async () => {
        await send(MSG.AUTHOR_RULE, { site: rule.site, author: rule.author, rule: null });
        show(list, status);
      });
      remove.setAttribute("aria-label", t("mine_remove_label", rule.author, rule.site));
      item.append(remove);
      return item;
    }));
    if (!rules.length) list.replaceChildren(Object.assign(document.createElement("li"), { textContent: t("mine_no_rules") }));
  }

  globalThis.CampfireAuthorRules = { show };
})();
