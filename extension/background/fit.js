// Makes posts fit what one companion request may carry (shared/limits.js), because the
// companion refuses a whole request for one post over a limit: a long text keeps its head
// and its tail, an over-long id becomes a stable hash of itself, an over-long optional field
// is dropped (a cut URL or handle would be a wrong one), and posts travel in requests under
// the count and body-size limits.
(() => {
  const L = CampfireLimits;
  const OPTIONAL_FIELDS = ["site", "author", "url"];
  const EMPTY_BODY_BYTES = '{"posts":[]}'.length;
  const encoder = new TextEncoder();

  const isHighSurrogate = (unit) => unit >= 0xd800 && unit <= 0xdbff;
  const isLowSurrogate = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

  // Counts UTF-16 units, as JS strings do, and never cuts between the halves of a pair.
  function fitText(text) {
    if (text.length <= L.MAX_TEXT_CHARS) return text;
    let headEnd = L.TEXT_HEAD_CHARS;
    if (isHighSurrogate(text.charCodeAt(headEnd - 1))) headEnd -= 1;
    let tailStart = text.length - L.TEXT_TAIL_CHARS;
    if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart += 1;
    return text.slice(0, headEnd) + L.CUT_MARK + text.slice(tailStart);
  }

  // The same id always gives the same name, so the answer still maps back to its post.
  async function hashId(id) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(id)));
    return `sha256:${[...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
  }

  async function fitPost(post) {
    const fitted = { ...post, text: fitText(post.text) };
    if (post.id.length > L.MAX_FIELD_CHARS) fitted.id = await hashId(post.id);
    for (const field of OPTIONAL_FIELDS) {
      if (typeof post[field] === "string" && post[field].length > L.MAX_FIELD_CHARS) fitted[field] = null;
    }
    return fitted;
  }

  // JSON text is up to three UTF-8 bytes per UTF-16 unit (six for an escaped control
  // character), so 64 long posts in a non-Latin script can go over the body limit.
  function requestBatches(posts) {
    const batches = [];
    let batch = [];
    let bytes = EMPTY_BODY_BYTES;
    for (const post of posts) {
      const size = encoder.encode(JSON.stringify(post)).length + 1; // and its comma
      if (batch.length === L.POSTS_PER_REQUEST || (batch.length && bytes + size > L.MAX_BODY_BYTES)) {
        batches.push(batch);
        batch = [];
        bytes = EMPTY_BODY_BYTES;
      }
      batch.push(post);
      bytes += size;
    }
    if (batch.length) batches.push(batch);
    return batches;
  }

  globalThis.CampfireFit = { fitText, fitPost, requestBatches };
})();
