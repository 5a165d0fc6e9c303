// The only code that talks to the companion. Every failure becomes a CompanionError whose
// `state` says what the user should do: start it, pair, wait, or read the message.
(() => {
  const START_COMMAND = "campfire serve";
  const TIMEOUT_MS = 15000;
  const HEALTH_TIMEOUT_MS = 3000;
  // Well under the companion's own limit (256), so one slow page never makes a huge request.
  const CHUNK = 64;

  class CompanionError extends Error {
    constructor(state, code, message) {
      super(message);
      this.state = state;
      this.code = code;
    }
  }

  const STATE_OF_STATUS = { 401: "unpaired", 503: "loading" };

  async function request(settings, path, { body, auth = true, timeout = TIMEOUT_MS } = {}) {
    const headers = {};
    if (auth) headers.Authorization = `Bearer ${settings.token}`;
    if (body) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(`${settings.companionUrl}${path}`, {
        method: body ? "POST" : "GET",
        headers,
        body: body ? JSON.stringify(body) : undefined,
        credentials: "omit",
        cache: "no-store",
        signal: AbortSignal.timeout(timeout),
      });
    } catch {
      throw new CompanionError("down", "not_running",
        `The companion is not running at ${settings.companionUrl}. Start it with: ${START_COMMAND}`);
    }
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      const error = answer?.error ?? {};
      throw new CompanionError(STATE_OF_STATUS[response.status] ?? "error",
        error.code ?? `http_${response.status}`, error.message ?? `HTTP ${response.status}`);
    }
    return answer;
  }

  async function health(settings) {
    return request(settings, "/v1/health", { auth: false, timeout: HEALTH_TIMEOUT_MS });
  }

  // connected | unpaired | loading | down | error, with what to tell the user.
  async function status(settings) {
    const base = { companionUrl: settings.companionUrl, startCommand: START_COMMAND };
    try {
      const healthy = await health(settings);
      if (healthy.status === "loading") {
        return { ...base, state: "loading", message: "The companion is still loading its model." };
      }
      if (healthy.status !== "ok") {
        return { ...base, state: "error", message: "The companion could not load its model: see its log." };
      }
      if (!settings.token) {
        return { ...base, state: "unpaired", model: healthy.model,
                 message: `Not paired: paste the token that ${START_COMMAND} printed.` };
      }
      const { labels } = await request(settings, "/v1/labels");
      return { ...base, state: "connected", model: healthy.model, labels, message: "Connected." };
    } catch (error) {
      if (!(error instanceof CompanionError)) throw error;
      return { ...base, state: error.state, code: error.code, message: error.message };
    }
  }

  async function classify(settings, posts) {
    if (!settings.token) {
      throw new CompanionError("unpaired", "not_paired", "Campfire is not paired with the companion.");
    }
    const results = [];
    let model = null;
    for (let start = 0; start < posts.length; start += CHUNK) {
      const answer = await request(settings, "/v1/classify", { body: { posts: posts.slice(start, start + CHUNK) } });
      results.push(...answer.results);
      model = answer.model;
    }
    return { model, results };
  }

  async function labels(settings) {
    return (await request(settings, "/v1/labels")).labels;
  }

  async function checkDraft(settings, text) {
    if (!settings.token) {
      throw new CompanionError("unpaired", "not_paired", "Campfire is not paired with the companion.");
    }
    return request(settings, "/v1/check", { body: { text } });
  }

  globalThis.CampfireCompanion = { CompanionError, START_COMMAND, status, classify, labels, checkDraft };
})();
