/**
 * `npm run bench:dapp`: the dApp's budgets.
 *  - initial JavaScript (scripts and module preloads of index.html), gzip: budget 250 KB;
 *  - campaign page (3,125 pledges) to rendered chart, against the local node: median of 7 cold
 *    loads in Debian Chromium, budget 2,000 ms.
 * Prints the figures against the budgets; exits 1 if one is exceeded.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { campaignUrl } from "@bascule/core/routes";
import { buildFrontend, DIST, startStack } from "../demo/stack.js";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../lib/chromium.js";

const JS_BUDGET_KB = 250;
const CHART_BUDGET_MS = 2000;
const LOADS = 7;

await buildFrontend();
const html = readFileSync(path.join(DIST, "index.html"), "utf8");
const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map(
  (m) => m[1],
);
let gzipBytes = 0;
let rawBytes = 0;
for (const file of initial) {
  const bytes = readFileSync(path.join(DIST, file));
  rawBytes += bytes.length;
  gzipBytes += gzipSync(bytes, { level: 9 }).length;
}
const jsKb = gzipBytes / 1024;

const stack = await startStack({ port: 0, chainPort: 0, build: false, relayer: false, keeper: false });
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_FLAGS,
});
const times: number[] = [];
try {
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    await page.goto(campaignUrl(stack.url, stack.demo!.open));
    // The chart is drawn only once the campaign's live tallies are in (the page says "Loading…" before).
    await page.locator('[data-testid="chart-visual"] [data-testid="rung"]').first().waitFor();
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
} finally {
  await browser.close();
  await stack.close();
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];

const row = (name: string, value: string, budget: string, ok: boolean) =>
  console.log(`${ok ? "ok  " : "OVER"}  ${name.padEnd(44)} ${value.padStart(12)}   budget ${budget}`);
console.log(`\ndApp budgets (${initial.length} initial script(s), ${(rawBytes / 1024).toFixed(1)} KB raw)`);
row("initial JavaScript, gzip", `${jsKb.toFixed(1)} KB`, `${JS_BUDGET_KB} KB`, jsKb <= JS_BUDGET_KB);
row(
  `campaign page to rendered chart, median of ${LOADS}`,
  `${median.toFixed(0)} ms`,
  `${CHART_BUDGET_MS} ms`,
  median <= CHART_BUDGET_MS,
);
console.log(`  loads (ms): ${times.map((t) => t.toFixed(0)).join(", ")}`);
process.exit(jsKb <= JS_BUDGET_KB && median <= CHART_BUDGET_MS ? 0 : 1);
