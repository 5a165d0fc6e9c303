// The report page's "What you told Campfire": the author rules (each removable), the user's
// data as one JSON file, and "forget everything". All of it lives in the companion's store.
(() => {
  const { MSG, send } = CampfireMessages;
  const $ = (id) => document.getElementById(id);
  const RULE_WORDS = { never_label: "never label", always_hide: "always hide" };

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
      item.textContent = `${rule.author} on ${rule.site}: ${RULE_WORDS[rule.rule]}`;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove the rule for ${rule.author} on ${rule.site}`);
      remove.addEventListener("click", async () => {
        await send(MSG.AUTHOR_RULE, { site: rule.site, author: rule.author, rule: null });
        listRules();
      });
      item.append(remove);
      return item;
    }));
    if (!rules.length) $("rules").replaceChildren(Object.assign(document.createElement("li"), { textContent: "No author rules." }));
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
    if (!confirm("Delete every correction, author rule and count Campfire keeps? This cannot be undone.")) return;
    await send(MSG.FORGET_ALL);
    $("mine-status").textContent = "Forgotten.";
    listRules();
    $("days").dispatchEvent(new Event("change"));
  });

  listRules();
})();
