// "Your feeds": charts of the companion's daily counts (/v1/stats through the service
// worker), drawn with the vendored Chart.js, in the page's light or dark colours.
(() => {
  const { MSG } = CampfireMessages;
  const { t } = CampfireI18n;
  const D = CampfireReportData;
  const $ = (id) => document.getElementById(id);
  const charts = [];
  let csvUrl = null;

  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const words = (name) => name.replaceAll("_", " ");
  const ACTION_WORDS = { dimmed: t("count_dimmed"), hidden: t("count_hidden"), brought_forward: t("report_brought_forward") };

  function themeChart() {
    Chart.defaults.color = css("--text");
    Chart.defaults.borderColor = css("--line");
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
  }

  function summary(totals) {
    const body = $("summary").tBodies[0];
    body.replaceChildren(...Object.entries(totals).map(([site, total]) => {
      const row = document.createElement("tr");
      row.dataset.site = site;
      const cells = [site, total.posts, ...D.LABELS.map((l) => total[l]), ...D.ACTIONS.map((a) => total[a])];
      cells.forEach((value, i) => {
        const cell = document.createElement(i ? "td" : "th");
        if (!i) cell.scope = "row";
        cell.textContent = String(value);
        if (i >= 2 && i < 2 + D.LABELS.length && total.posts) cell.title = t("report_percent_of_posts", Math.round((100 * value) / total.posts));
        row.append(cell);
      });
      return row;
    }));
  }

  function shareCharts(rows, from, to) {
    const days = D.daysBetween(from, to);
    const box = $("shares");
    box.replaceChildren();
    for (const site of D.sites(rows)) {
      const { shares } = D.shares(rows, site, days);
      const title = document.createElement("h3");
      title.textContent = site;
      const holder = document.createElement("div");
      holder.className = "chart";
      const canvas = document.createElement("canvas");
      canvas.dataset.site = site;
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", t("report_share_chart", site));
      holder.append(canvas);
      box.append(title, holder);
      charts.push(new Chart(canvas, {
        type: "line",
        data: { labels: days, datasets: D.LABELS.map((label) => ({
          label: CampfireLabels.TITLES[label], data: shares[label], spanGaps: true,
          borderColor: css(`--${label}`), backgroundColor: css(`--${label}`), pointRadius: 2 })) },
        options: { scales: { y: { min: 0, max: 100, title: { display: true, text: "% of posts" } } } },
      }));
    }
  }

  function barChart(canvas, labels, values) {
    charts.push(new Chart(canvas, {
      type: "bar",
      data: { labels, datasets: [{ label: t("report_posts"), data: values, backgroundColor: css("--bar") }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } },
                 scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    }));
  }

  function exportLink(rows) {
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = URL.createObjectURL(new Blob([D.csv(rows)], { type: "text/csv" }));
    $("csv").href = csvUrl;
    $("csv").setAttribute("aria-disabled", String(!rows.length));
  }

  async function draw() {
    charts.splice(0).forEach((chart) => chart.destroy());
    let stats;
    try {
      stats = await CampfireMessages.send(MSG.STATS, { days: Number($("days").value) });
    } catch (error) {
      $("status").textContent = t("report_failed", error.message);
      return;
    }
    const { rows } = stats;
    exportLink(rows);
    const has = rows.some((r) => r.kind === "posts");
    $("status").textContent = has ? t("report_range", stats.from, stats.to) : t("report_empty");
    for (const id of ["summary-section", "shares-section", "ties-section", "actions-section"]) $(id).hidden = !has;
    document.body.dataset.ready = "true";
    if (!has) return;
    const totals = D.totals(rows);
    summary(totals);
    shareCharts(rows, stats.from, stats.to);
    const ties = D.topTies(rows);
    barChart($("ties"), ties.map(([kind]) => words(kind)), ties.map(([, n]) => n));
    barChart($("actions"), D.ACTIONS.map((a) => ACTION_WORDS[a]),
             D.ACTIONS.map((a) => Object.values(totals).reduce((sum, total) => sum + total[a], 0)));
  }

  themeChart();
  $("days").addEventListener("change", draw);
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => { themeChart(); draw(); });
  draw();
})();
