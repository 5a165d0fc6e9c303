// Applies one post's decision to the page: the `data-campfire-*` attributes that page.css
// styles (dim, collapse, hide) and the badge bar. Nothing of the site's is moved or removed.
(() => {
  const SEEN_ATTR = "data-campfire-seen";
  const ACTION_ATTR = "data-campfire-action";
  // The platform's own ads: marked on the ad, hidden (when the user asks) on its feed row.
  const AD_ATTR = "data-campfire-ad";
  const AD_HIDDEN_ATTR = "data-campfire-ad-hidden";
  const applied = new WeakMap();

  function actionAttr(decision, revealed) {
    if (decision.action === "collapse" && revealed) return "revealed";
    return decision.action;
  }

  // parent: where the badge bar goes; author: the post's; revealed: the user opened this
  // collapsed post; onToggle flips that.
  function apply(post, id, decision, { parent, author, revealed, onToggle }) {
    const signature = JSON.stringify([id, decision, revealed]);
    if (applied.get(post) === signature && post.getAttribute(SEEN_ATTR) === id &&
        (!decision.raised.length || CampfireBadges.hostOf(post))) {
      return;
    }
    applied.set(post, signature);
    post.setAttribute(SEEN_ATTR, id);
    const action = actionAttr(decision, revealed);
    if (action) post.setAttribute(ACTION_ATTR, action);
    else post.removeAttribute(ACTION_ATTR);
    if (decision.raised.length) {
      CampfireBadges.render(post, decision,
        { parent, author, collapsible: decision.action === "collapse", revealed, onToggle });
    } else {
      CampfireBadges.remove(post);
    }
  }

  function clear(post) {
    applied.delete(post);
    post.removeAttribute(SEEN_ATTR);
    post.removeAttribute(ACTION_ATTR);
    CampfireBadges.remove(post);
  }

  function markAd(ad, { parent, row, hidden }) {
    ad.setAttribute(AD_ATTR, "");
    if (ad.hasAttribute(SEEN_ATTR)) clear(ad); // the site reused a post's element for an ad
    CampfireBadges.renderAd(ad, parent);
    if (hidden) row.setAttribute(AD_HIDDEN_ATTR, "");
    else row.removeAttribute(AD_HIDDEN_ATTR);
  }

  function clearAd(ad) {
    ad.removeAttribute(AD_ATTR);
    CampfireBadges.remove(ad);
  }

  function clearAll() {
    for (const post of document.querySelectorAll(`[${SEEN_ATTR}]`)) clear(post);
    for (const ad of document.querySelectorAll(`[${AD_ATTR}]`)) clearAd(ad);
    for (const row of document.querySelectorAll(`[${AD_HIDDEN_ATTR}]`)) row.removeAttribute(AD_HIDDEN_ATTR);
  }

  globalThis.CampfireActions = { SEEN_ATTR, ACTION_ATTR, AD_ATTR, AD_HIDDEN_ATTR, apply, clear, markAd, clearAd, clearAll };
})();
