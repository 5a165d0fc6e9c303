// Checks a draft while it is written, for the popup's draft box and for compose boxes on
// sites: one check some time after the last change, never more than the newest text's
// answer shown, and the LanguageTool-style matches of POST /v1/check applied to text.
// Match offsets count UTF-16 code units, as JavaScript strings do, so they slice directly.
(() => {
  const DELAY_MS = 600;

  // read() -> the draft now; check(text) -> /v1/check answer; onUpdate({state, text, result,
  // error}) with state "empty" | "pending" | "checking" | "done" | "error".
  function createChecker({ read, check, onUpdate, delayMs = DELAY_MS }) {
    let timer = null;
    let sent = 0;
    let shown = null;

    // An answer is kept only if no newer text was sent meanwhile and the draft still reads
    // the same: otherwise its offsets point into a text that is gone.
    const current = (seq, text) => seq === sent && read() === text;

    async function run() {
      clearTimeout(timer);
      timer = null;
      const text = read();
      if (!text.trim()) {
        sent += 1;
        shown = null;
        onUpdate({ state: "empty", text });
        return;
      }
      if (shown?.text === text) {
        onUpdate(shown);
        return;
      }
      const seq = ++sent;
      onUpdate({ state: "checking", text });
      try {
        const result = await check(text);
        if (!current(seq, text)) return;
        shown = { state: "done", text, result };
        onUpdate(shown);
      } catch (error) {
        if (current(seq, text)) onUpdate({ state: "error", text, error });
      }
    }

    function changed() {
      clearTimeout(timer);
      if (shown?.text !== read()) onUpdate({ state: "pending", text: read() });
      timer = setTimeout(run, delayMs);
    }

    return {
      changed,
      now: run,
      // The same text again: its answer changed (the user corrected its labels).
      recheck: () => { shown = null; return run(); },
      last: () => shown,
      stop: () => clearTimeout(timer),
    };
  }

  function applyReplacement(text, match, value) {
    return text.slice(0, match.offset) + value + text.slice(match.offset + match.length);
  }

  // Cuts never split a surrogate pair: an emoji is two code units.
  function safeCut(text, index, forward) {
    const code = text.charCodeAt(index);
    const low = code >= 0xdc00 && code <= 0xdfff;
    return low ? index + (forward ? 1 : -1) : index;
  }

  // The matched span with a little context, for showing a match without the whole draft.
  function excerpt(text, match, context = 32, longest = 90) {
    const start = match.offset;
    const end = match.offset + match.length;
    const from = safeCut(text, Math.max(0, start - context), false);
    const to = safeCut(text, Math.min(text.length, end + context), true);
    let marked = text.slice(start, end);
    if (marked.length > longest) {
      const head = safeCut(text, start + longest - 20, false);
      const tail = safeCut(text, end - 12, true);
      marked = `${text.slice(start, head)}…${text.slice(tail, end)}`;
    }
    return {
      before: (from > 0 ? "…" : "") + text.slice(from, start),
      marked,
      after: text.slice(end, to) + (to < text.length ? "…" : ""),
    };
  }

  globalThis.CampfireDraftCheck = { DELAY_MS, createChecker, applyReplacement, excerpt };
})();
