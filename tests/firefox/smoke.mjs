// Loads the unpacked extension into Firefox ESR (WebDriver BiDi through puppeteer-core),
// pairs it with a running companion by hand on the options page (the fallback to native
// messaging), opens
// saved pages at their real URLs and prints what Campfire did to their posts as JSON.
// Then it adds a Mastodon instance on the options page and reads a page on that host, which
// only the content scripts the service worker registers for it can label.
// Driven by test_firefox_smoke.py.
//
// Usage: node smoke.mjs CONFIG_JSON
//   {extension, companionUrl, token, screenshot,
//    page: {fixture, url, posts}, instance: {host, fixture, url, posts}}
import puppeteer from "puppeteer-core";
import { TIMEOUT_MS, findExtensionPage, labelledPosts } from "./lib.mjs";

const config = JSON.parse(process.argv[2]);

// A new install opens the welcome page; it opens the settings page as a person would.
// (WebDriver may not navigate a tab to a moz-extension: address itself.)
async function findOptionsPage(browser) {
  const welcome = await findExtensionPage(browser, "/welcome/welcome.html");
  await welcome.evaluate(() => chrome.runtime.openOptionsPage());
  return findExtensionPage(browser, "/options/options.html");
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
    const siteSwitches = await options.$$eval("#sites label:not(.hide-ads) input", (inputs) => inputs.length);
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
