// What a draft check found, as DOM: the labels the model raised, then each match with its
// rule, message, the matched words marked in context, and one button per suggested
// replacement. Shared by the popup's draft box and the panel beside compose boxes.
(() => {
  const { t } = CampfireI18n;
  const RULE_TITLES = {
    UNDISCLOSED_TIE: t("rule_UNDISCLOSED_TIE"),
    WEAK_DISCLOSURE: t("rule_WEAK_DISCLOSURE"),
    BURIED_DISCLOSURE: t("rule_BURIED_DISCLOSURE"),
    MODEL_ENDORSEMENT: t("rule_MODEL_ENDORSEMENT"),
    ENGAGEMENT_BAIT: t("rule_ENGAGEMENT_BAIT"),
    SELF_PROMOTION_NOTE: t("rule_SELF_PROMOTION_NOTE"),
  };
  const SEVERITY_ORDER = ["error", "warning", "info"];
  const FLAGGED_FOR_WRITERS = ["self_promotion", "missing_disclosure"];

  const CSS = `
    .labels { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; margin: 0 0 6px; padding: 0;
              list-style: none; }
    .labels::before { content: ${JSON.stringify(t("findings_reads_as"))}; color: var(--cf-muted); margin-right: 2px; }
    .labels:empty { display: none; }
    .labels li { padding: 0 8px; border-radius: 999px; border: 1px solid var(--cf-border); background: var(--cf-bg-soft); }
    .labels .self_promotion { color: var(--cf-promo-text); border-color: var(--cf-promo-border); background: var(--cf-promo-bg); }
    .labels .missing_disclosure { color: var(--cf-tie-text); border-color: var(--cf-tie-border); background: var(--cf-tie-bg); }
    .labels .conversational { color: var(--cf-talk-text); border-color: var(--cf-talk-border); background: var(--cf-talk-bg); }
    .matches { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
    .match { border-left: 3px solid var(--cf-border-strong); padding: 2px 0 2px 8px; }
    .match[data-severity="error"] { border-color: var(--cf-error); }
    .match[data-severity="warning"] { border-color: var(--cf-warn); }
    .match[data-severity="info"] { border-color: var(--cf-info); }
    .rule { font-weight: 600; margin: 0; }
    .message { margin: 2px 0; color: var(--cf-text); }
    .excerpt { margin: 2px 0; color: var(--cf-muted); white-space: pre-wrap; overflow-wrap: anywhere; }
    .excerpt mark { background: var(--cf-mark-error); color: var(--cf-text); border-bottom: 2px solid var(--cf-error); padding: 0 1px; }
    .match[data-severity="warning"] mark { background: var(--cf-mark-warning); border-color: var(--cf-warn); }
    .match[data-severity="info"] mark { background: var(--cf-mark-info); border-color: var(--cf-info); }
    .fixes { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
    .fix { font: inherit; cursor: pointer; max-width: 100%; overflow: hidden; text-overflow: ellipsis;
           white-space: nowrap; padding: 1px 10px; border-radius: 6px; border: 1px solid var(--cf-button-border);
           background: var(--cf-button); color: var(--cf-button-text); }
    .fix:hover { background: var(--cf-button-hover); }
    .fix:focus-visible { outline: 2px solid var(--cf-focus); outline-offset: 1px; }
    .fix:disabled { opacity: .5; cursor: default; }
    .clean { color: var(--cf-ok); margin: 0; }
  `;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function labelList(labels) {
    const list = el("ul", "labels");
    list.setAttribute("aria-label", t("findings_model_reading"));
    for (const name of FLAGGED_FOR_WRITERS) {
      const label = labels?.[name];
      if (!label?.flag) continue;
      const item = el("li", name, `${CampfireLabels.TITLES[name]} ${Math.round(label.score * 100)}%`);
      item.dataset.label = name;
      list.append(item);
    }
    return list;
  }

  function excerptNode(text, match) {
    const { before, marked, after } = CampfireDraftCheck.excerpt(text, match);
    const node = el("p", "excerpt");
    node.append(before, el("mark", "", marked || "⸱"), after);
    return node;
  }

  const SHORT = 24;

  // What a fix does, in words: "Add #ad at the start", "Replace #sp with #ad", "Remove it".
  function fixLabel(text, match, value) {
    const original = text.slice(match.offset, match.offset + match.length);
    if (value === "") return t("fix_remove");
    if (match.rule === "BURIED_DISCLOSURE") return t("fix_move");
    if (original && value.endsWith(original)) {
      const added = value.slice(0, -original.length).trim();
      return match.offset === 0 ? t("fix_add_start", added) : t("fix_add_before", added, original);
    }
    if (original && value.startsWith(original)) return t("fix_add_after", value.slice(original.length).trim());
    if (original.length <= SHORT && value.length <= SHORT) return t("fix_replace", original, value);
    return t("fix_rewrite");
  }

  function fixButton(text, match, replacement, onApply) {
    const label = fixLabel(text, match, replacement.value);
    const button = el("button", "fix", label);
    button.type = "button";
    button.title = replacement.value === "" ? t("fix_title_remove") : t("fix_title_replace", replacement.value);
    button.dataset.value = replacement.value;
    button.addEventListener("click", () => onApply(match, replacement.value));
    return button;
  }

  function matchItem(text, match, onApply) {
    const item = el("li", "match");
    item.dataset.rule = match.rule;
    item.dataset.severity = match.severity;
    item.append(el("p", "rule", RULE_TITLES[match.rule] ?? match.rule.replaceAll("_", " ").toLowerCase()),
                el("p", "message", match.message), excerptNode(text, match));
    if (match.replacements.length) {
      const fixes = el("div", "fixes");
      fixes.append(...match.replacements.map((r) => fixButton(text, match, r, onApply)));
      item.append(fixes);
    }
    return item;
  }

  // text: the draft the answer is for; answer: /v1/check; onApply(match, value).
  function render(text, answer, onApply) {
    const nodes = [labelList(answer.labels)];
    if (!answer.matches.length) {
      nodes.push(el("p", "clean", t("findings_clean")));
      return nodes;
    }
    const list = el("ul", "matches");
    list.append(...answer.matches.map((m) => matchItem(text, m, onApply)));
    nodes.push(list);
    return nodes;
  }

  function worstSeverity(matches) {
    return SEVERITY_ORDER.find((s) => matches.some((m) => m.severity === s)) ?? null;
  }

  globalThis.CampfireFindings = { CSS, RULE_TITLES, render, worstSeverity, fixLabel };
})();
