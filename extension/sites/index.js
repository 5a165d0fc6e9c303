// The site registry: each sites/<id>.js registers one adapter; the content scripts, the
// popup and the options page look adapters up here. Loaded before every adapter.
(() => {
  const REQUIRED = { id: "string", name: "string", postSelector: "string", extract: "function" };
  const OPTIONAL = { feedItem: "function", badgeParent: "function", dynamicHosts: "boolean" };
  const adapters = new Map();

  function check(adapter) {
    const problems = [];
    for (const [key, type] of Object.entries(REQUIRED)) {
      if (typeof adapter?.[key] !== type) problems.push(`${key} must be a ${type}`);
    }
    for (const [key, type] of Object.entries(OPTIONAL)) {
      if (adapter && key in adapter && typeof adapter[key] !== type) {
        problems.push(`${key} must be a ${type}`);
      }
    }
    const hostsOk = Array.isArray(adapter?.hosts) &&
      adapter.hosts.every((h) => typeof h === "string" && /^[a-z0-9.-]+$/.test(h));
    if (!hostsOk) problems.push("hosts must be a list of bare hostnames");
    if (adapter && !/^[a-z][a-z0-9_]*$/.test(adapter.id ?? "")) problems.push("id must be lowercase");
    if (problems.length) {
      throw new Error(`Campfire site adapter ${adapter?.id ?? "?"}: ${problems.join("; ")}`);
    }
  }

  function register(adapter) {
    check(adapter);
    if (adapters.has(adapter.id)) throw new Error(`Campfire site ${adapter.id} registered twice`);
    adapters.set(adapter.id, Object.freeze({ ...adapter }));
  }

  function coversHost(adapter, hostname) {
    return adapter.hosts.some((host) => hostname === host || hostname.endsWith(`.${host}`));
  }

  function forHost(hostname, extraHosts = {}) {
    for (const adapter of adapters.values()) {
      if (coversHost(adapter, hostname)) return adapter;
    }
    return adapters.get(extraHosts[hostname]) ?? null;
  }

  globalThis.CampfireSites = {
    register,
    forHost,
    all: () => [...adapters.values()],
    byId: (id) => adapters.get(id) ?? null,
  };
})();
