// Bluesky (bsky.app): the React Native Web app, checked 2026-11-22 against the testIDs in
// bluesky-social/social-app (PostFeedItem.tsx, the thread view, RichText, quote embeds).
(() => {
  // Feeds and profiles render feedItem-by-<handle>, a post page postThreadItem-by-<handle>.
  const POST = '[data-testid^="feedItem-by-"], [data-testid^="postThreadItem-by-"]';
  const TESTID_HANDLE = /^(?:feedItem|postThreadItem)-by-(.+)$/;
  // Only the post's own RichText has this testID; a quoted post's text has none, and
  // "Show More" is a sibling button, the whole text being in the DOM under a line clamp.
  const TEXT = '[data-testid="postText"]';
  // The timestamp link; reposts, replies and quotes link elsewhere or to other authors.
  const POST_LINK = 'a[href*="/post/"]';
  const POST_PATH = /^\/profile\/([^/]+)\/post\/([^/?#]+)/;

  function postPath(href) {
    const match = POST_PATH.exec(new URL(href, location.origin).pathname);
    return match && { handle: decodeURIComponent(match[1]), rkey: match[2], path: match[0] };
  }

  // A thread's focused post shows its date without linking to itself: the page is its link.
  function ownPost(el, handle) {
    for (const link of el.querySelectorAll(POST_LINK)) {
      const post = postPath(link.getAttribute("href"));
      if (post?.handle === handle) return post;
    }
    const here = postPath(location.pathname);
    return here?.handle === handle ? here : null;
  }

  function extract(el) {
    const handle = TESTID_HANDLE.exec(el.dataset.testid ?? "")?.[1];
    const textEl = el.querySelector(TEXT);
    const post = handle && textEl && ownPost(el, handle);
    const text = post ? CampfirePostText.read(textEl) : "";
    if (!text) return null;
    return {
      id: `${post.handle}/${post.rkey}`,
      text,
      author: `@${handle}`,
      permalink: new URL(post.path, location.origin).href,
    };
  }

  CampfireSites.register({
    id: "bluesky",
    name: "Bluesky",
    hosts: ["bsky.app"],
    strategies: [{ name: "post test ids", posts: POST, extract }],
  });
})();
