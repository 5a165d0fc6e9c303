// Loads the unpacked extension into Firefox ESR (WebDriver BiDi through puppeteer-core),
// pairs it with a running companion through the options page, opens a saved X page at its
// real URL and prints what Campfire did to its posts as JSON. Driven by test_firefox_smoke.py.
//
// Usage: node smoke.mjs EXTENSION_DIR FIXTURE_HTML PAGE_URL POSTS COMPANION_URL TOKEN SCREENSHOT
// (POSTS: how many posts the page holds; the script waits until Campfire has read them all.)
import { readFile } from "node:fs/promises";
import puppeteer from "puppeteer-core";

const [extensionDir, fixture, pageUrl, posts, companionUrl, token, screenshot] = process.argv.slice(2);
const TIMEOUT_MS = 30000;
const STAND_IN = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#cfd9de"/></svg>';

// A fresh install opens its options page in a tab (WebDriver BiDi may not navigate to an
// extension page itself). The tab's url() can still read about:blank, so ask the page.
async function findOptionsPage(browser) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => "");
      if (href.endsWith("/options/options.html")) return page;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the options page did not open on install");
}

async function pair(browser) {
  const options = await findOptionsPage(browser);
  await options.waitForSelector("body[data-ready='true']");
  await options.$eval("#companion-url", (el) => { el.value = ""; });
  await options.type("#companion-url", companionUrl);
  await options.click("#address-form button");
  await options.waitForFunction((url) => document.getElementById("companion-url").value === url, {}, companionUrl);
  await options.type("#token", token);
  await options.click("#pair-form button");
  await options.waitForFunction(() => document.getElementById("status").dataset.state === "connected");
  return options.$eval("#status", (el) => el.textContent);
}

async function openFixture(browser) {
  const html = await readFile(fixture, "utf-8");
  const page = await browser.newPage();
  await page.setViewport({ width: 1000, height: 1600 });
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.url() === pageUrl) {
      request.respond({ status: 200, contentType: "text/html; charset=utf-8", body: html });
    } else if (new URL(request.url()).hostname.endsWith(".twimg.com")) {
      request.respond({ status: 200, contentType: "image/svg+xml", body: STAND_IN });
    } else {
      request.abort();
    }
  });
  await page.goto(pageUrl);
  return page;
}

function readPosts() {
  return [...document.querySelectorAll('article[data-testid="tweet"][data-campfire-seen]')].map((post) => ({
    id: post.getAttribute("data-campfire-seen"),
    badges: [...(post.querySelector("[data-campfire-badges]")?.shadowRoot?.querySelectorAll(".badge") ?? [])]
      .map((badge) => badge.dataset.label),
  }));
}

async function main() {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    protocolTimeout: TIMEOUT_MS,
  });
  try {
    const installed = await browser.installExtension(extensionDir);
    const status = await pair(browser);
    const page = await openFixture(browser);
    await page.waitForFunction(
      (n) => document.querySelectorAll("[data-campfire-seen]").length >= n,
      { timeout: TIMEOUT_MS }, Number(posts));
    await page.screenshot({ path: screenshot, fullPage: true });
    const userAgent = await browser.userAgent();
    console.log(JSON.stringify({ installed, status, userAgent, posts: await page.evaluate(readPosts) }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
