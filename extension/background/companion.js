// The only code that talks to the companion. Every failure becomes a CompanionError whose
// `state` says what the user should do: start it, pair, wait, or read the message.
(() => {
  const START_COMMAND = "campfire serve";
  const TIMEOUT_MS = 15000;
  const HEALTH_TIMEOUT_MS = 3000;
  // The companion refuses the whole request for one post it cannot take.
  const REFUSED = new Set([413, 422]);

  class CompanionError extends Error {
    constructor(state, code, message, status = null) {
      super(message);
      this.state = state;
      this.code = code;
      this.status = status;
    }
  }

  // A 401 means a token was sent (requests without one never leave: see classify) and refused.
  const STATE_OF_STATUS = { 401: "wrong_token", 503: "loading" };

  async function request(settings, path, { body, method, auth = true, timeout = TIMEOUT_MS } = {}) {
    const headers = {};
    if (auth) headers.Authorization = `Bearer ${settings.token}`;
    if (body) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(`${settings.companionUrl}${path}`, {
        method: method ?? (body ? "POST" : "GET"),
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
        error.code ?? `http_${response.status}`, error.message ?? `HTTP ${response.status}`, response.status);
    }
    return answer;
  }

  async function health(settings) {
    return request(settings, "/v1/health", { auth: false, timeout: HEALTH_TIMEOUT_MS });
  }

  // connected | unpaired | wrong_token | loading | down | error; `hasToken`: a token is kept
  // (it may be unchecked while the companion is down). CampfireStatusText says it in words.
  async function status(settings) {
    const base = { companionUrl: settings.companionUrl, startCommand: START_COMMAND, hasToken: Boolean(settings.token) };
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
    const fitted = await Promise.all(posts.map(CampfireFit.fitPost));
    const originalId = new Map(fitted.map((post, i) => [post.id, posts[i].id]));
    const results = [];
    let model = null;
    for (const batch of CampfireFit.requestBatches(fitted)) {
      const answer = await classifyBatch(settings, batch);
      results.push(...answer.results);
      model = answer.model ?? model;
    }
    return { model, results: results.map((result) => ({ ...result, id: originalId.get(result.id) })) };
  }

  // A post the companion still refuses must not leave the rest of its batch unlabelled:
  // halve the batch until that post is alone and leave it out, at most 2n - 1 requests for
  // n posts (about 2 log2 n for one bad post). The log names the post, never its text.
  async function classifyBatch(settings, batch) {
    try {
      return await request(settings, "/v1/classify", { body: { posts: batch } });
    } catch (error) {
      if (!REFUSED.has(error.status)) throw error;
      if (batch.length === 1) {
        console.warn(`Campfire: the companion refused post ${batch[0].id} (${error.code}: ${error.message})`);
        return { model: null, results: [] };
      }
      const middle = Math.ceil(batch.length / 2);
      const first = await classifyBatch(settings, batch.slice(0, middle));
      const second = await classifyBatch(settings, batch.slice(middle));
      return { model: first.model ?? second.model, results: [...first.results, ...second.results] };
    }
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

  // The user-data routes (background/user-data.js): any method, the token required.
  async function userData(settings, method, path, body) {
    if (!settings.token) {
      throw new CompanionError("unpaired", "not_paired", "Campfire is not paired with the companion.");
    }
    return request(settings, path, { method, body });
  }

  globalThis.CampfireCompanion = { CompanionError, START_COMMAND, status, classify, labels, checkDraft, userData };
})();
