// The report page's "What you told Campfire": the author rules (each removable), the user's
// data as one JSON file, and "forget everything". All of it lives in the companion's store.
(() => {
  const { MSG, send } = CampfireMessages;
  const { t } = CampfireI18n;
  const $ = (id) => document.getElementById(id);
  const listRules = () => CampfireAuthorRules.show($("rules"), $("mine-status"));

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
