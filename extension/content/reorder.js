// "Conversation first" (LABELS.md, Ranking): rows of a feed ordered by conversational
// probability, highest first, stable, with sunk labels below the rest. Only the CSS `order`
// of each row changes, so the site's DOM (and React's idea of it) stays as it was, and
// restoring is removing what we set.
(() => {
  const ORDER_ATTR = "data-campfire-order";
  const saved = new Map(); // row -> {order, style}: its own inline order and style attribute

  function standing(entry, settings) {
    const sunk = !entry.allowed && settings.sinkLabels.some((name) =>
      CampfireLabels.passes(name, entry.result, settings));
    return [sunk ? 1 : 0, -entry.result.labels.conversational.score];
  }

  function compare(a, b) {
    return a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.index - b.index;
  }

  function setOrder(row, value) {
    if (!saved.has(row)) {
      saved.set(row, { order: row.style.getPropertyValue("order"), style: row.getAttribute("style") });
    }
    row.style.setProperty("order", String(value));
  }

  function forgetDetached() {
    for (const row of saved.keys()) if (!row.isConnected) saved.delete(row);
  }

  // entries: [{row, result, allowed}] for the posts on the page, in the site's order.
  // Rows still waiting for a result, and rows that are not posts, go after the ranked ones
  // in the site's order until their result comes.
  function apply(entries, settings) {
    forgetDetached();
    const ranked = new Map();
    entries.forEach((entry, index) => {
      if (entry.result) ranked.set(entry.row, { index, key: standing(entry, settings) });
    });
    const lists = new Set(entries.map((entry) => entry.row.parentElement).filter(Boolean));
    for (const list of lists) {
      const rows = [...list.children];
      const sorted = rows.filter((row) => ranked.has(row))
        .sort((a, b) => compare(ranked.get(a), ranked.get(b)));
      sorted.forEach((row, i) => setOrder(row, i + 1));
      rows.filter((row) => !ranked.has(row)).forEach((row, i) => setOrder(row, sorted.length + 1 + i));
      list.setAttribute(ORDER_ATTR, "");
    }
  }

  function restore() {
    for (const [row, own] of saved) {
      if (own.order) row.style.setProperty("order", own.order);
      else row.style.removeProperty("order");
      if (own.style === null && !row.getAttribute("style")) row.removeAttribute("style");
    }
    saved.clear();
    for (const list of document.querySelectorAll(`[${ORDER_ATTR}]`)) list.removeAttribute(ORDER_ATTR);
  }

  globalThis.CampfireReorder = { ORDER_ATTR, apply, restore };
})();
