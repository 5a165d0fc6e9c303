// What one request to the companion may carry, mirrored from `Limits` in
// companion/server/settings.py (tests/test_extension_limits.py fails when the two drift).
// The companion refuses a whole request for one post over a limit, so the service worker
// makes every post fit before it sends it (background/fit.js).
(() => {
  globalThis.CampfireLimits = Object.freeze({
    MAX_POSTS: 256, // posts per request (413 too_many_posts)
    MAX_TEXT_CHARS: 20_000, // code points per text (413 text_too_long); we count UTF-16 units, never fewer
    MAX_FIELD_CHARS: 2_048, // per id, site, author, url (422 invalid_field)
    MAX_BODY_BYTES: 2_097_152, // 2 MiB of JSON (413 body_too_large)
    MAX_JSON_DEPTH: 32, // nesting of arrays and objects in a body (400 invalid_json)

    // Well under MAX_POSTS, so one slow page never makes a huge request.
    POSTS_PER_REQUEST: 64,
    // A long text keeps its head and its tail, as the model itself reads it: an ad's pitch
    // and its disclosure sit at either end. Head + CUT_MARK + tail fit MAX_TEXT_CHARS.
    TEXT_HEAD_CHARS: 15_000,
    TEXT_TAIL_CHARS: 4_900,
    CUT_MARK: " … ",
  });
})();
