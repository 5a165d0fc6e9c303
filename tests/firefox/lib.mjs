// Shared by the Firefox scripts: open a saved page at its real URL, read what Campfire did to
// its posts, find a tab the extension opened.
import { readFile } from "node:fs/promises";

export const TIMEOUT_MS = 30000;
const STAND_IN = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#cfd9de"/></svg>';

// The tab's url() can still read about:blank, so ask the page itself.
export async function findExtensionPage(browser, suffix) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => "");
      if (href.endsWith(suffix)) return page;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no tab opened ${suffix}`);
}

// Serves one saved page at its real URL, stand-in images, and nothing else.
export async function openFixture(browser, { fixture, url }) {
  const html = await readFile(fixture, "utf-8");
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 1600 });
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.url() === url) {
      request.respond({ status: 200, contentType: "text/html; charset=utf-8", body: html });
    } else if (/\.(png|jpe?g|svg|gif|webp)(\?|$)|twimg\.com/.test(request.url())) {
      request.respond({ status: 200, contentType: "image/svg+xml", body: STAND_IN });
    } else {
      request.abort();
    }
  });
  await page.goto(url);
  return page;
}

export async function labelledPosts(browser, target) {
  const page = await openFixture(browser, target);
  await page.waitForFunction((n) => document.querySelectorAll("[data-campfire-seen]").length >= n,
                             { timeout: TIMEOUT_MS }, Number(target.posts));
  const posts = await page.evaluate(() => [...document.querySelectorAll("[data-campfire-seen]")].map((post) => ({
    id: post.getAttribute("data-campfire-seen"),
    badges: [...(post.querySelector("[data-campfire-badges]")?.shadowRoot?.querySelectorAll(".badge") ?? [])]
      .map((badge) => badge.dataset.label),
  })));
  return { page, posts };
}
