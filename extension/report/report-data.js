// The "Your feeds" page's arithmetic, apart from the drawing: /v1/stats rows (day, site, kind,
// name, count) into per-site daily shares, totals, and CSV.
(() => {
  const LABELS = CampfireSettings.LABEL_NAMES;
  const ACTIONS = ["dimmed", "hidden", "brought_forward"];

  function sites(rows) {
    return [...new Set(rows.map((r) => r.site))].sort();
  }

  // -> {site: {posts, self_promotion, ..., dimmed, ..., ties: {kind: n}}}
  function totals(rows) {
    const out = {};
    for (const { site, kind, name, count } of rows) {
      const t = (out[site] ??= { posts: 0, ...Object.fromEntries([...LABELS, ...ACTIONS].map((k) => [k, 0])), ties: {} });
      if (kind === "posts") t.posts += count;
      else if (kind === "label" || kind === "action") t[name] = (t[name] ?? 0) + count;
      else if (kind === "tie") t.ties[name] = (t.ties[name] ?? 0) + count;
    }
    return out;
  }

  // Every day from `from` to `to` (YYYY-MM-DD), so a day with no posts shows as a gap.
  function daysBetween(from, to) {
    const days = [];
    for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
      days.push(d.toISOString().slice(0, 10));
    }
    return days;
  }

  // -> {days, shares: {label: [percent | null per day]}} for one site
  function shares(rows, site, days) {
    const posts = {};
    const flagged = Object.fromEntries(LABELS.map((l) => [l, {}]));
    for (const r of rows) {
      if (r.site !== site) continue;
      if (r.kind === "posts") posts[r.day] = (posts[r.day] ?? 0) + r.count;
      if (r.kind === "label" && flagged[r.name]) flagged[r.name][r.day] = (flagged[r.name][r.day] ?? 0) + r.count;
    }
    const pct = (n, d) => (d ? Math.round((1000 * (n ?? 0)) / d) / 10 : null);
    return { days, shares: Object.fromEntries(LABELS.map((l) => [l, days.map((d) => pct(flagged[l][d], posts[d]))])) };
  }

  function topTies(rows, limit = 8) {
    const ties = {};
    for (const r of rows) if (r.kind === "tie") ties[r.name] = (ties[r.name] ?? 0) + r.count;
    return Object.entries(ties).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
  }

  function csv(rows) {
    const quote = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
    return ["day,site,kind,name,count", ...rows.map((r) => [r.day, r.site, r.kind, r.name, r.count].map(quote).join(","))]
      .join("\n") + "\n";
  }

  globalThis.CampfireReportData = { LABELS, ACTIONS, sites, totals, daysBetween, shares, topTies, csv };
})();
