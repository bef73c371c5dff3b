/**
 * @module Drives headless Debian chromium through the dashboard (run as a child process: playwright-core
 * probes /proc paths that Deno only opens under --allow-all, which the test runner does not grant).
 *
 * `deno run -A dashboard_driver.ts <gateway url> <token> <screenshot path>` prints one JSON line:
 * `{ ok, steps, problems, error? }`.
 */
import { chromium } from "playwright-core";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const [url, token, shot] = Deno.args;
const steps: Record<string, unknown> = {};
const problems: string[] = [];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
let error: string | undefined;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 503/.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  await page.goto(`${url}/`);
  await page.waitForSelector("#notice:not(.hidden)");
  steps.noticeWithoutToken = await page.textContent("#notice");
  await page.fill("#token", token!);
  await page.click("#token-form button[type=submit]");
  const cell = 'tr[data-tag="sim.temp"] td.value';
  // Functions, not strings: the dashboard's CSP forbids eval, and Playwright evaluates strings with it.
  const textOf = ([sel, before]: (string | null)[]) => {
    const doc =
      (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } })
        .document;
    const now = doc.querySelector(sel!)?.textContent ?? "";
    return now !== "" && now !== before;
  };
  await page.waitForFunction(textOf, [cell, ""], { timeout: 10_000 });
  steps.firstValue = await page.textContent(cell);
  await page.waitForFunction(textOf, [cell, steps.firstValue as string], { timeout: 10_000 });
  steps.laterValue = await page.textContent(cell);
  steps.quality = await page.textContent('tr[data-tag="sim.temp"] td:nth-child(4)');
  await page.click('tr[data-tag="sim.temp"]');
  await page.waitForSelector("#trend canvas", { timeout: 10_000 });
  steps.trendLabel = await page.textContent("#trend-tag");
  steps.trendCanvases = await page.locator("#trend canvas").count();
  await page.waitForSelector('#health [data-component="sim"] .pill.connected', { timeout: 10_000 });
  steps.storeShown = await page.locator('#health [data-component="store"]').count();
  steps.sessionToken = await page.evaluate(() =>
    (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage
      .getItem(
        "gateway.token",
      )
  );
  await page.waitForTimeout(1500);
  await page.screenshot({ path: shot!, fullPage: true });
  steps.screenshot = shot;
} catch (e) {
  error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify({ ok: error === undefined, steps, problems, ...(error ? { error } : {}) }));
