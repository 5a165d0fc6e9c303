// The content script's entry: picks this site's adapter, runs the scanner, shows results
// under the current settings and answers the popup's questions about this page.
(async () => {
  // A host the user added may also be listed in the manifest: run once per page.
  if (globalThis.campfireContentStarted) return;
  globalThis.campfireContentStarted = true;
  const { MSG } = CampfireMessages;
  const ACTIONS_REPORT_MS = 2000;
  let settings = await CampfireSettings.load();
  const adapter = CampfireSites.forHost(location.hostname, settings.extraHosts);
  if (!adapter) return;
  const rowOf = (el) => adapter.feedItem?.(el) ?? el;
  const badgeParentOf = (el) => adapter.badgeParent?.(el) ?? el;
  const revealed = new Set();
  let labelInfos = [];
  let labelInfosAsked = false;
  let lastError = null;
  // Until the companion has answered, the page stays as the site made it: ads are marked too.
  let answered = false;

  const scanner = CampfireScanner.createScanner({
    adapter,
    classify: async (posts) => {
      const answer = await CampfireMessages.send(MSG.CLASSIFY, { posts });
      lastError = null;
      answered = true;
      if (!labelInfosAsked) fetchLabelInfos();
      return answer;
    },
    onScan: render,
    onError: (error) => { lastError = error; },
  });

  async function fetchLabelInfos() {
    labelInfosAsked = true;
    try {
      labelInfos = await CampfireMessages.send(MSG.LABELS);
      render(scanner.found());
    } catch {
      labelInfosAsked = false; // badges keep the built-in titles until the next answer
    }
  }

  function decisionFor(post) {
    const result = scanner.result(post.id);
    const decision = result && CampfireLabels.decide(result, settings, labelInfos, post.author);
    // The user's rules for this author, kept by the companion per site: "always hide", and
    // "never label" (the companion clears the flags; the user's own thresholds must not
    // raise them again from the scores).
    const rule = result?.personal?.author_rule;
    if (decision && rule === "always_hide") return { ...decision, action: "hide" };
    if (decision && rule === "never_label") return { ...decision, raised: [], action: null };
    return decision;
  }

  // What the user told Campfire ("Not right?") and what Campfire did, counted per day.
  function correctionContext(post, decision) {
    const infos = CampfireLabels.byName(labelInfos);
    return { result: scanner.result(post.id), decision, site: adapter.id, author: post.author,
             text: post.text, titles: (name) => CampfireLabels.title(name, infos),
             onChanged: async () => scanner.refresh() };
  }

  const reported = new Set();
  let pendingActions = null;
  function countAction(post, decision) {
    if (reported.has(post.id)) return;
    const result = scanner.result(post.id);
    const action = { dim: "dimmed", collapse: "hidden", hide: "hidden" }[decision.action];
    const forward = settings.conversationFirst && result.labels.conversational?.flag;
    if (!action && !forward) return;
    reported.add(post.id);
    pendingActions ??= { dimmed: 0, hidden: 0, brought_forward: 0 };
    if (action) pendingActions[action] += 1;
    if (forward) pendingActions.brought_forward += 1;
    setTimeout(reportActions, ACTIONS_REPORT_MS);
  }
  function reportActions() {
    if (!pendingActions) return;
    const actions = pendingActions;
    pendingActions = null;
    CampfireMessages.send(MSG.REPORT_ACTIONS, { site: adapter.id, actions }).catch(() => {});
  }

  function toggle(el, id) {
    if (revealed.has(id)) revealed.delete(id);
    else revealed.add(id);
    render(scanner.found());
    CampfireBadges.focusToggle(el);
  }

  const hidesAds = () => settings.hideAds.includes(adapter.id);

  function render(found, ads = scanner.ads()) {
    for (const ad of answered ? ads : []) {
      CampfireActions.markAd(ad, { parent: badgeParentOf(ad), row: rowOf(ad), hidden: hidesAds() });
    }
    scheduleHealth();
    const entries = [];
    for (const { el, post } of found) {
      if (el.hasAttribute(CampfireActions.AD_ATTR)) CampfireActions.clearAd(el);
      const decision = decisionFor(post);
      if (decision) {
        CampfireActions.apply(el, post.id, decision,
          { parent: badgeParentOf(el), author: post.author, revealed: revealed.has(post.id),
            onToggle: () => toggle(el, post.id) });
        CampfireCorrect.render(el, badgeParentOf(el), correctionContext(post, decision));
        countAction(post, decision);
      } else if (el.hasAttribute(CampfireActions.SEEN_ATTR)) {
        CampfireActions.clear(el); // the site reused this element for a post not labelled yet
        CampfireCorrect.remove(el);
      }
      entries.push({ row: rowOf(el), result: scanner.result(post.id),
                     allowed: CampfireLabels.isAllowed(post.author, settings) });
    }
    if (settings.conversationFirst && entries.some((e) => e.result)) CampfireReorder.apply(entries, settings);
    else CampfireReorder.restore();
  }

  const enabled = () => !settings.disabledSites.includes(adapter.id);

  // Selector health, judged at most once a second (it measures the page's articles).
  const HEALTH_MS = 1000;
  let health = null;
  let healthTimer = null;

  function checkHealth() {
    healthTimer = null;
    if (!enabled()) return;
    const report = { posts: scanner.found().filter(({ el }) => CampfireHealth.nearScreen(el)).length,
                     ads: scanner.ads().filter(CampfireHealth.nearScreen).length,
                     articles: CampfireHealth.visibleArticles(adapter.articles),
                     strategy: scanner.strategies().join(", ") };
    health = { ...report, state: CampfireHealth.assess(report) };
    CampfireHealth.record(adapter.id, health).catch(() => {});
  }

  function scheduleHealth() {
    if (!healthTimer) healthTimer = setTimeout(checkHealth, health ? HEALTH_MS : 0);
  }

  function counts() {
    const raised = Object.fromEntries(CampfireSettings.LABEL_NAMES.map((name) => [name, 0]));
    const actions = { dim: 0, collapse: 0, hide: 0 };
    let checked = 0;
    for (const { post } of scanner.found()) {
      const decision = decisionFor(post);
      if (!decision) continue;
      checked += 1;
      for (const label of decision.raised) raised[label.name] += 1;
      if (decision.action) actions[decision.action] += 1;
    }
    const error = lastError && { state: lastError.state, message: lastError.message };
    if (enabled() && !healthTimer) checkHealth();
    return { site: adapter.id, siteName: adapter.name, enabled: enabled(),
             posts: scanner.found().length, ads: scanner.ads().length, hidesAds: hidesAds(),
             checked, raised, actions, error, health: enabled() ? health : null };
  }

  function onSettings(next) {
    const reconnect = next.token !== settings.token || next.companionUrl !== settings.companionUrl;
    settings = next;
    if (!enabled()) {
      scanner.stop();
      CampfireReorder.restore();
      CampfireActions.clearAll();
      document.querySelectorAll(`[${CampfireCorrect.HOST_ATTR}]`).forEach((host) => host.remove());
      return;
    }
    scanner.start();
    render(scanner.found());
    if (reconnect) scanner.retryNow();
  }

  chrome.runtime.onMessage.addListener(CampfireMessages.listen({ [MSG.PAGE_COUNTS]: counts }));
  CampfireSettings.onChange(onSettings);
  if (enabled()) scanner.start();
})();
