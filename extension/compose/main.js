// Draft checking in the compose boxes of supported sites: the box the writer focuses gets a
// checker (through the service worker, some time after the last keystroke) and the badge;
// a fix clicked in the badge's panel edits the draft through the editor's input events.
(async () => {
  const { MSG, send } = CampfireMessages;
  let settings = await CampfireSettings.load();
  const adapter = CampfireSites.forHost(location.hostname, settings.extraHosts);
  if (!adapter) return;
  const enabled = () => !settings.disabledSites.includes(adapter.id);
  const sessions = new WeakMap();
  let active = null;
  const indicator = CampfireComposeIndicator.create(
    { onApply: apply, onCorrected: () => active?.checker.recheck(), site: adapter.id });

  function startSession(box) {
    const session = { box, latest: null };
    session.checker = CampfireDraftCheck.createChecker({
      read: () => CampfireEditors.read(box),
      check: (text) => send(MSG.CHECK_DRAFT, { text }),
      onUpdate: (update) => {
        session.latest = update;
        if (active === session) indicator.show(update);
      },
    });
    const changed = () => { if (enabled()) session.checker.changed(); };
    box.addEventListener("input", changed);
    // Rich editors that cancel the browser's own input and re-render from their model
    // (Draft.js, Lexical) send no input event: their DOM changes are the signal.
    if (!(box instanceof HTMLTextAreaElement)) {
      new MutationObserver(changed).observe(box, { subtree: true, childList: true, characterData: true });
    }
    sessions.set(box, session);
    return session;
  }

  function follow(target) {
    if (!enabled()) return;
    const box = CampfireEditors.find(target);
    if (!box) return;
    const session = sessions.get(box) ?? startSession(box);
    if (active !== session) {
      active = session;
      indicator.attach(box, session.checker.last(), session.latest);
    }
    // A reply box may open with text in it already.
    if (!session.latest) session.checker.changed();
  }

  async function apply(match, value) {
    const session = active;
    const checked = session?.checker.last();
    if (!checked || CampfireEditors.read(session.box) !== checked.text) {
      session?.checker.now();
      return;
    }
    const done = await CampfireEditors.replace(session.box, match.offset, match.offset + match.length, value);
    await session.checker.now();
    if (!done) indicator.notice(CampfireI18n.t("compose_not_taken"));
  }

  function onSettings(next) {
    settings = next;
    if (!enabled()) {
      indicator.hide();
      active?.checker.stop();
      active = null;
    }
  }

  // The innermost focused element, through open shadow roots (sites built of web components).
  function focusedElement() {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el;
  }

  // Alt+Shift+D in the box being written in takes the keyboard into Campfire's panel (the
  // badge sits over the page, outside the site's Tab order); Escape there comes back.
  const { SHORTCUT } = CampfireComposeIndicator;
  addEventListener("keydown", (e) => {
    if (e.code !== SHORTCUT.code || !e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return;
    if (!active || !e.composedPath().includes(active.box)) return;
    if (indicator.enter()) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("focusin", (event) => follow(event.composedPath()[0]), true);
  // The page may have focused its compose box before this script ran (document_idle).
  follow(focusedElement());
  CampfireSettings.onChange(onSettings);
})();
