// Native messaging: `campfire native-host` (registered by `campfire native install`) hands
// the extension the companion's port and token, and starts the companion when it is not
// running. With it nobody types a token; without it, copy-paste pairing still works.
(() => {
  const HOST = "campfire.companion"; // companion/native_install.py registers this name
  // After a failed try, answer from memory for this long: a feed asks many times a second.
  const RETRY_MS = 5000;
  const NOT_INSTALLED = /not found|no such native application|forbidden/i;
  let pending = {};
  let failed = {};

  // -> {ok: true, running, port?, token?, started?} | {ok: false, code, message}
  async function ask(type) {
    if (!chrome.runtime.sendNativeMessage) {
      return { ok: false, code: "unsupported", message: "This browser has no native messaging." };
    }
    try {
      const answer = await chrome.runtime.sendNativeMessage(HOST, { type });
      if (answer?.ok) return answer;
      return { ok: false, code: answer?.error?.code ?? "bad_answer",
               message: answer?.error?.message ?? "The companion's native host gave no answer." };
    } catch (error) {
      const message = String(error?.message ?? error);
      return { ok: false, code: NOT_INSTALLED.test(message) ? "not_installed" : "host_error", message };
    }
  }

  // One question of each type at a time; a failure is remembered for RETRY_MS.
  function request(type) {
    if (pending[type]) return pending[type];
    const last = failed[type];
    if (last && Date.now() - last.at < RETRY_MS) return Promise.resolve(last.answer);
    pending[type] = ask(type).then((answer) => {
      failed[type] = answer.ok ? null : { at: Date.now(), answer };
      pending[type] = null;
      return answer;
    });
    return pending[type];
  }

  // The settings patch that points the extension at the companion the host found (or started).
  async function connect() {
    const answer = await request("connect");
    if (!answer.ok || !answer.running) return { answer, patch: null };
    return { answer, patch: { companionUrl: `http://127.0.0.1:${answer.port}`, token: answer.token } };
  }

  function forget() {
    failed = {};
  }

  globalThis.CampfireNative = { HOST, RETRY_MS, status: () => request("status"), connect, forget };
})();
