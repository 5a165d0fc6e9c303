// Installs the built .xpi into Firefox ESR (WebDriver BiDi through puppeteer-core) with HOME
// pointing at a folder where `campfire native install` registered the native messaging host
// (Firefox reads ~/.mozilla/native-messaging-hosts/). Nobody types a token: the welcome page
// the install opens must turn green by itself, then a saved feed must get badges.
// Driven by test_firefox_native.py; prints one JSON line.
//
// Usage: node native.mjs CONFIG_JSON
//   {xpi, home, screenshot, page: {fixture, url, posts}}
import puppeteer from "puppeteer-core";
import { TIMEOUT_MS, findExtensionPage, labelledPosts } from "./lib.mjs";

const config = JSON.parse(process.argv[2]);

async function main() {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    protocolTimeout: TIMEOUT_MS * 3,
    env: { ...process.env, HOME: config.home },
  });
  try {
    const installed = await browser.installExtension(config.xpi);
    const welcome = await findExtensionPage(browser, "/welcome/welcome.html");
    await welcome.setViewport({ width: 1000, height: 900 });
    await welcome.waitForSelector("body[data-complete='true']", { timeout: TIMEOUT_MS * 2 });
    const steps = await welcome.$$eval("[data-step]", (items) =>
      Object.fromEntries(items.map((li) => [li.dataset.step, li.dataset.done === "true"])));
    await welcome.screenshot({ path: config.screenshot, fullPage: true });
    const feed = await labelledPosts(browser, config.page);
    console.log(JSON.stringify({ installed, steps, posts: feed.posts }));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
