// Compose boxes: which element is one, its text as the writer sees it, and how to change a
// span of it so that the site notices. Sites keep their own copy of the draft (React state,
// a Draft.js or Lexical model) and ignore DOM changes that do not come through input events,
// so every edit goes through the events a person's typing would make.
(() => {
  const BLOCK_TAGS = new Set(["ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DIV", "DL", "DT",
    "FIGCAPTION", "FIGURE", "FOOTER", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI",
    "MAIN", "NAV", "OL", "P", "PRE", "SECTION", "TABLE", "TR", "UL"]);
  const SKIPPED_TAGS = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"]);
  // Editors update their DOM from their model after the input event; give them a moment.
  const SETTLE_MS = 400;

  function isTextarea(box) {
    return box instanceof HTMLTextAreaElement;
  }

  // The compose box an event target belongs to: a writable textarea, or the outermost
  // contenteditable element around it (rich editors nest editable children).
  function find(target) {
    if (isTextarea(target)) return target.readOnly || target.disabled ? null : target;
    if (!(target instanceof HTMLElement) || !target.isContentEditable) return null;
    let root = target;
    while (root.parentElement?.isContentEditable) root = root.parentElement;
    return root;
  }

  // A <br> that ends its block only keeps an empty line open (Chrome, Draft.js and Lexical
  // put one in every empty paragraph); it is no line break of its own.
  function endsBlock(br, root) {
    for (let node = br; node !== root && !BLOCK_TAGS.has(node.tagName); node = node.parentNode) {
      for (let next = node.nextSibling; next; next = next.nextSibling) {
        if (next.nodeType === Node.ELEMENT_NODE || (next.nodeType === Node.TEXT_NODE && next.data)) return false;
      }
    }
    return true;
  }

  // The text of a contenteditable element as the writer sees it: one line per block, "\n"
  // for a <br>, and where each text node starts in that text (in UTF-16 units, as the
  // check's offsets are).
  function textModel(root) {
    const segments = [];
    let text = "";
    let started = false;
    let pendingBreak = false;
    const emit = (piece, node) => {
      if (pendingBreak) text += "\n";
      pendingBreak = false;
      started = true;
      if (node) segments.push({ node, start: text.length, end: text.length + piece.length });
      text += piece;
    };
    const walk = (parent) => {
      for (const child of parent.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          if (child.data) emit(child.data, child);
        }
        else if (child.nodeType !== Node.ELEMENT_NODE || SKIPPED_TAGS.has(child.tagName)) continue;
        else if (child.tagName === "BR") emit(endsBlock(child, root) ? "" : "\n", null);
        else {
          const block = BLOCK_TAGS.has(child.tagName);
          pendingBreak ||= block && started;
          walk(child);
          pendingBreak ||= block && started;
        }
      }
    };
    walk(root);
    return { text, segments };
  }

  function read(box) {
    return isTextarea(box) ? box.value : textModel(box).text;
  }

  // A DOM point for a text offset. A start point sits in the text node holding the next
  // character; an end point in the one holding the previous character.
  function pointAt(root, { segments }, offset, isEnd) {
    const inside = segments.find((s) => (isEnd ? s.start < offset && offset <= s.end
                                               : s.start <= offset && offset < s.end));
    if (inside) return [inside.node, offset - inside.start];
    const before = segments.filter((s) => s.end <= offset).at(-1);
    if (before) return [before.node, before.node.length];
    return [root, 0];
  }

  // A Range over [start, end) of a contenteditable box's text (UTF-16 offsets), from one
  // reading of its text model; null for a textarea, whose text has no DOM to point into.
  function rangeAt(box, start, end, model = textModel(box)) {
    if (isTextarea(box)) return null;
    const range = document.createRange();
    range.setStart(...pointAt(box, model, start, false));
    range.setEnd(...pointAt(box, model, end, true));
    return range;
  }

  const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function until(predicate, ms) {
    const deadline = performance.now() + ms;
    while (!predicate() && performance.now() < deadline) await settle(20);
    return predicate();
  }

  // The prototype's setter: a page may wrap an element's `value` (React does, to tell its own
  // changes from the user's), and only the native setter makes the change look typed.
  function setTextareaValue(box, value) {
    Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set.call(box, value);
  }

  function replaceInTextarea(box, start, end, value) {
    const next = box.value.slice(0, start) + value + box.value.slice(end);
    setTextareaValue(box, next);
    box.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertReplacementText", data: value }));
    box.setSelectionRange(start + value.length, start + value.length);
    return next;
  }

  // Selects the span and lets the browser replace it as if the user typed: the editor sees
  // beforeinput/textInput/input events and updates its own model. Rich editors read the
  // selection on `selectionchange`, which fires after a task, so wait for it first.
  async function replaceInEditable(box, start, end, value) {
    const model = textModel(box);
    const next = model.text.slice(0, start) + value + model.text.slice(end);
    box.focus();
    const range = rangeAt(box, start, end, model);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    await settle(0);
    if (value) document.execCommand("insertText", false, value);
    else document.execCommand("delete");
    return next;
  }

  // -> whether the box now reads as the replacement should make it.
  async function replace(box, start, end, value) {
    if (isTextarea(box)) return replaceInTextarea(box, start, end, value) === box.value;
    const expected = await replaceInEditable(box, start, end, value);
    return until(() => read(box) === expected, SETTLE_MS);
  }

  globalThis.CampfireEditors = { find, read, replace, textModel, rangeAt };
})();
