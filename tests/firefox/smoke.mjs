// Loads the unpacked extension into Firefox ESR (WebDriver BiDi through puppeteer-core),
// pairs it with a running companion through the options page a new install opens, opens
// saved pages at their real URLs and prints what Campfire did to their posts as JSON.
// Then it adds a Mastodon instance on the options page and reads a page on that host, which
// only the content scripts the service worker registers for it can label.
// Driven by test_firefox_smoke.py.
//
// Usage: node smoke.mjs CONFIG_JSON
//   {extension, companionUrl, token, screenshot,
//    page: {fixture, url, posts}, instance: {host, fixture, url, posts}}
import { readFile } from "node:fs/promises";
import puppeteer from "puppeteer-core";

const config = JSON.parse(process.argv[2]);
const TIMEOUT_MS = 30000;
const STAND_IN = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#cfd9de"/></svg>';

// The tab's url() can still read about:blank, so ask the page itself.
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

async function pair(options) {
  await options.waitForSelector("body[data-ready='true']");
  await options.$eval("#companion-url", (el) => { el.value = ""; });
  await options.type("#companion-url", config.companionUrl);
  await options.keyboard.press("Tab"); // every setting saves on change
  await options.waitForFunction((url) => document.getElementById("companion-url").value === url, {},
                                config.companionUrl);
  await options.type("#token", config.token);
  await options.click("#pair-form button");
  await options.waitForFunction(() => document.getElementById("status").dataset.state === "connected");
  return options.$eval("#status", (el) => el.textContent);
}

async function addInstance(options, host) {
  await options.type("#instance", host);
  await options.click("#instance-form button");
  await options.waitForFunction((h) => [...document.querySelectorAll("#instances li")]
    .some((li) => li.textContent.startsWith(h)), { timeout: TIMEOUT_MS }, host);
}

// Serves one saved page at its real URL, stand-in images, and nothing else.
async function openFixture(browser, { fixture, url }) {
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

async function labelledPosts(browser, target) {
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

async function main() {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    protocolTimeout: TIMEOUT_MS,
    // Grants optional permissions without the prompt a person would answer.
    extraPrefsFirefox: { "extensions.webextOptionalPermissionPrompts": false },
  });
  try {
    const installed = await browser.installExtension(config.extension);
    const options = await findOptionsPage(browser);
    const status = await pair(options);
    const siteSwitches = await options.$$eval("#sites input", (inputs) => inputs.length);
    const feed = await labelledPosts(browser, config.page);
    await feed.page.screenshot({ path: config.screenshot, fullPage: true });
    await addInstance(options, config.instance.host);
    const instance = await labelledPosts(browser, config.instance);
    const userAgent = await browser.userAgent();
    console.log(JSON.stringify({ installed, status, userAgent, siteSwitches, posts: feed.posts,
                                 instancePosts: instance.posts }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
