// Finds the posts of a page through its site adapter, sends the new ones to the service
// worker in batches and keeps each result by post id, so a post the site re-renders (a
// virtualized feed recreates rows as you scroll) gets its labels back without a new request.
// The scanner only reads the page; what is shown is up to `onScan`. The platform's own ads
// (the adapter tells them apart) are never sent: they are handed to `onScan` on their own.
//
// Posts on screen go first, on their own: a feed opened with fifty posts shows its first
// badges after a small request, and the rest follow in one larger one (the companion reads a
// large batch faster per post). One request at a time keeps that order (two could reach the
// companion in either order, and it would run them as one); the next leaves as soon as an
// answer is in.
(() => {
  const BATCH_SIZE = 64;
  const BATCH_DELAY_MS = 0;
  const SCAN_DELAY_MS = 30;
  const RETRY_MS = 15000;
  const MAX_RESULTS = 5000;

  // classify(posts) -> {results}; onScan([{el, post}], [ad elements]) after every scan and
  // every result;
  // onError(error) when the service worker could not classify.
  function createScanner({ adapter, classify, onScan, onError }) {
    const results = new Map();
    const refused = new Set(); // ids the companion would not take: asking again changes nothing
    const queued = new Map(); // id -> {post, el}
    const inflight = new Set();
    let observer = null;
    let scanTimer = null;
    let flushTimer = null;
    let retryTimer = null;
    let blocked = false; // unpaired or wrong token: wait for new settings rather than a timer
    let lastScan = [];
    let lastAds = [];
    let lastStrategies = [];

    function scan(flushDelay = BATCH_DELAY_MS) {
      scanTimer = null;
      const found = CampfireSites.find(adapter);
      lastScan = found.items.filter((item) => item.post);
      lastAds = found.items.filter((item) => item.ad).map((item) => item.el);
      lastStrategies = found.strategies;
      for (const { el, post } of lastScan) {
        if (!results.has(post.id) && !inflight.has(post.id) && !refused.has(post.id)) queued.set(post.id, { post, el });
      }
      onScan(lastScan, lastAds);
      if (queued.size && !flushTimer && !inflight.size && !retryTimer && !blocked) flushTimer = setTimeout(flush, flushDelay);
    }

    // 0 on screen, then by distance below it; posts above it (already scrolled past) and
    // posts no longer in the page last.
    function priority(el) {
      if (!el.isConnected) return Infinity;
      const { top, bottom } = el.getBoundingClientRect();
      if (bottom >= 0 && top <= innerHeight) return 0;
      return top > innerHeight ? top - innerHeight : 1e7 - bottom;
    }

    // The queued posts on screen if there are any, else the nearest ones below and above it.
    function nextBatch() {
      const ranked = [...queued.values()].map((entry) => ({ entry, rank: priority(entry.el) }));
      ranked.sort((a, b) => a.rank - b.rank);
      const onScreen = ranked.findIndex(({ rank }) => rank > 0);
      const count = onScreen > 0 ? Math.min(onScreen, BATCH_SIZE) : BATCH_SIZE;
      return ranked.slice(0, count).map(({ entry }) => entry);
    }

    function remember(result) {
      results.delete(result.id);
      results.set(result.id, result);
      if (results.size > MAX_RESULTS) results.delete(results.keys().next().value);
    }

    async function flush() {
      flushTimer = null;
      if (inflight.size || !queued.size || retryTimer || blocked) return;
      const entries = nextBatch();
      const batch = entries.map((entry) => entry.post);
      for (const post of batch) {
        queued.delete(post.id);
        inflight.add(post.id);
      }
      try {
        const answer = await classify(batch.map((p) => ({
          id: p.id, text: p.text, site: adapter.id, author: p.author || null, url: p.permalink || null,
        })));
        // A post the companion did not finish in time comes back with `error`, not labels.
        answer.results.filter((result) => result.labels).forEach(remember);
        for (const post of batch) if (!results.has(post.id)) refuse(post.id);
      } catch (error) {
        for (const entry of entries) if (!queued.has(entry.post.id)) queued.set(entry.post.id, entry);
        onError(error);
        // Unpaired waits for new settings (main.js calls retryNow); anything else may pass.
        if (CampfireStatusText.NEEDS_PAIRING.has(error.state)) blocked = true;
        else retryTimer = setTimeout(retry, RETRY_MS);
        return;
      } finally {
        for (const post of batch) inflight.delete(post.id);
      }
      schedule(0, 0); // show these results; send the rest now
    }

    function refuse(id) {
      refused.add(id);
      if (refused.size > MAX_RESULTS) refused.delete(refused.values().next().value);
    }

    function retry() {
      retryTimer = null;
      schedule(0);
    }

    // Only while started: an answer that arrives after stop() shows nothing.
    function schedule(delay = SCAN_DELAY_MS, flushDelay = BATCH_DELAY_MS) {
      if (observer && !scanTimer) scanTimer = setTimeout(() => scan(flushDelay), delay);
    }

    function start() {
      if (observer) return;
      observer = new MutationObserver(() => schedule());
      observer.observe(document.body, { childList: true, subtree: true });
      schedule(0);
    }

    function stop() {
      observer?.disconnect();
      observer = null;
      for (const timer of [scanTimer, flushTimer, retryTimer]) clearTimeout(timer);
      scanTimer = flushTimer = retryTimer = null;
      lastScan = [];
      lastAds = [];
    }

    // New settings (token, address) may fix what failed: try again now.
    function retryNow() {
      clearTimeout(retryTimer);
      retryTimer = null;
      blocked = false;
      schedule(0);
    }

    // Ask again for every post on the page, keeping the results shown until the new ones come
    // (the user's corrections and author rules change answers the companion gave before).
    function refresh() {
      for (const entry of lastScan) if (!inflight.has(entry.post.id)) queued.set(entry.post.id, entry);
      schedule(0);
    }

    return {
      start, stop, retryNow, refresh,
      result: (id) => results.get(id) ?? null,
      found: () => lastScan,
      ads: () => lastAds,
      strategies: () => lastStrategies,
    };
  }

  globalThis.CampfireScanner = { createScanner };
})();
