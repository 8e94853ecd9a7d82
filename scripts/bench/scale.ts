/**
 * `npm run bench:scale -- [--sizes 3125,100000] [--playwright-too] [--no-indexer] [--keep]`: reading
 * the chain at scale, not in `npm test`. `--keep` leaves the chain and the dApp up after
 * the figures, to look at the seeded campaigns by hand.
 *
 * For each size, a campaign with a 1-2-5 ladder of 17 levels receives that many pledges (fresh
 * pledge keys, signed here, recorded with `pledgeBatch` straight to the node: the log is real),
 * spread over many blocks. Then, with the dApp, relayer-free, behind the limiting proxy (1,000
 * blocks and 10,000 results per eth_getLogs, 10 MiB per answer), in Debian Chromium:
 *  - campaign page: time to the rendered chart, RPC requests and bytes;
 *  - verify page, in Chromium driven over the bare DevTools protocol (scripts/bench/cdp.ts: no
 *    Network domain, so no response body is kept for an inspector, as in a user's browser): time to
 *    the tally verdict and to the end of the full replay (budget 10 s at 100,000), renderer memory
 *    peak (VmHWM of the renderer processes, which include the worker; budget 300 MB) and the page's
 *    JS heap peak, RPC requests and bytes; with `--playwright-too`, the same page under Playwright;
 *  - `npm run verify:campaign` through the same proxy: wall time and pages;
 *  - hooks of scripts/bench/scale-hooks.ts: the indexer's cold catch-up time (`--no-indexer` skips it).
 * Prints a table and writes test-results/bench-scale.json; exits 1 when a budget is exceeded.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import type { Address } from "viem";
import { appUrl, campaignUrl, verifyPath } from "@bascule/core/routes";
import { buildFrontend, ROOT, type Stack, startStack } from "../demo/stack.js";
import { spawnNode } from "../lib/children.js";
import { launchBareChromium, type ProcessInfo, rendererMemoryOf } from "./cdp.js";
import { scaleHooks } from "./scale-hooks.js";
import { seedBenchCampaign } from "./seed.js";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../lib/chromium.js";

const LADDER = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000];
/** Empty blocks mined after each batch, so the campaign spans thousands of blocks as on a real chain. */
const GAP = 20;
const REPLAY_BUDGET_MS = 10_000;
const MEMORY_BUDGET_MB = 300;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const sizes = (arg("--sizes") ?? process.env.SCALE_SIZES ?? "3125,100000")
  .split(",")
  .map((s) => Number(s.replace(/_/g, "")));
const log = (line: string) => console.log(`[bench:scale] ${line}`);
const fmt = (n: number) => n.toLocaleString("en-US");
const mb = (bytes: number) => bytes / 1024 / 1024;

async function rendererMemory(browser: Browser): Promise<{ peakMb: number; rssMb: number }> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    return rendererMemoryOf(
      ((await cdp.send("SystemInfo.getProcessInfo")) as { processInfo: ProcessInfo[] }).processInfo,
    );
  } finally {
    await cdp.detach();
  }
}

interface PageFigures {
  ms: number;
  tallyMs?: number;
  requests: number;
  getLogs: number;
  refused: number;
  bytesOut: number;
  peakRendererMb?: number;
  peakHeapMb?: number;
  peakWorkerHeapMb?: number;
  events?: number;
  state?: string;
}

async function measureCampaignPage(stack: Stack, campaign: Address, pledges: number): Promise<PageFigures> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
    stack.rpcProxy!.resetStats();
    await page.goto(campaignUrl(stack.url, campaign));
    // The chart drawn with the campaign's real count (not the empty chart shown while loading).
    await page
      .locator('[data-testid="rung"]')
      .nth(LADDER.length - 1)
      .waitFor({ timeout: 60_000 });
    await page
      .locator('[data-testid="chart-visual"] .crowd-total', { hasText: fmt(pledges) })
      .waitFor({ timeout: 60_000 });
    const ms = await page.evaluate(() => performance.now());
    const s = stack.rpcProxy!.stats;
    return { ms, requests: s.requests, getLogs: s.byMethod.eth_getLogs ?? 0, refused: s.refused, bytesOut: s.bytesOut };
  } finally {
    await browser.close();
  }
}

/**
 * The verify page in a browser as a user has it: bare Chromium over the DevTools protocol, without
 * the Network domain Playwright turns on (which makes the renderer keep every response body).
 */
async function measureVerifyPage(stack: Stack, campaign: Address): Promise<PageFigures> {
  const browser = await launchBareChromium({ width: 1000, height: 900 });
  try {
    stack.rpcProxy!.resetStats();
    const tab = await browser.open(appUrl(stack.url, verifyPath(campaign)));
    let peakHeap = 0;
    let peakWorkerHeap = 0;
    let peakRenderer = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakHeap = Math.max(peakHeap, await tab.heapUsed().catch(() => 0));
        peakWorkerHeap = Math.max(
          peakWorkerHeap,
          (await tab.workerHeaps()).reduce((a, h) => a + h.used, 0),
        );
        peakRenderer = Math.max(peakRenderer, (await browser.rendererMemory()).peakMb);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const tallyMs = await tab.waitFor<number>(
      `document.querySelector('[data-testid="tally-verdict"]') && performance.now()`,
      { timeoutMs: 60_000 },
    );
    const done = await tab.waitFor<{ ms: number; state: string; text: string }>(
      `(() => { const v = document.querySelector('[data-testid="verify-result"][data-state]'); return v && { ms: performance.now(), state: v.dataset.state, text: v.innerText }; })()`,
      { timeoutMs: 3_600_000 },
    );
    const s = { ...stack.rpcProxy!.stats };
    sampling = false;
    await sampler;
    peakRenderer = Math.max(peakRenderer, (await browser.rendererMemory()).peakMb);
    const events = Number((/the ([\d,]+) events/.exec(done.text)?.[1] ?? "0").replace(/,/g, ""));
    return {
      ms: done.ms,
      tallyMs,
      requests: s.requests,
      getLogs: s.byMethod.eth_getLogs ?? 0,
      refused: s.refused,
      bytesOut: s.bytesOut,
      peakRendererMb: peakRenderer,
      peakHeapMb: mb(peakHeap),
      peakWorkerHeapMb: mb(peakWorkerHeap),
      events,
      state: done.state,
    };
  } finally {
    await browser.close();
  }
}

/** The same page driven by Playwright (DevTools Network domain on): the renderer's peak only, to show the difference. */
async function measureVerifyPageUnderPlaywright(
  stack: Stack,
  campaign: Address,
): Promise<{ ms: number; peakRendererMb: number }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, (await rendererMemory(browser).catch(() => ({ peakMb: 0 }))).peakMb);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await page.goto(appUrl(stack.url, verifyPath(campaign)));
    await page.locator('[data-testid="verify-result"][data-state]').waitFor({ timeout: 3_600_000 });
    const ms = await page.evaluate(() => performance.now());
    sampling = false;
    await sampler;
    return { ms, peakRendererMb: Math.max(peak, (await rendererMemory(browser)).peakMb) };
  } finally {
    await browser.close();
  }
}

async function measureCli(
  stack: Stack,
  campaign: Address,
): Promise<{ seconds: number; verified: boolean; pages: number; output: string }> {
  const started = performance.now();
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawnNode(
      [
        "--import",
        "tsx",
        "scripts/verify/replay.ts",
        campaign,
        "--rpc",
        stack.rpcProxy!.url,
        "--factory",
        stack.factory,
      ],
      {
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    let out = "";
    child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    child.on("exit", (c) => resolve({ code: c, out }));
  });
  const pages = Number((/in ([\d,]+) pages?\b/.exec(out)?.[1] ?? "0").replace(/,/g, ""));
  return {
    seconds: (performance.now() - started) / 1000,
    verified: code === 0 && /\bVERIFIED\b/.test(out) && !/NOT VERIFIED/.test(out),
    pages,
    output: out,
  };
}

await buildFrontend(log);
// Only the chain, the limiting proxy and the dApp: an indexer or notifier following the seeding
// would compete for the same cores as the measured browser (the indexer is timed on its own below).
const stack = await startStack({
  port: 0,
  chainPort: 0,
  build: false,
  seed: false,
  relayer: false,
  keeper: false,
  indexer: false,
  notifier: false,
  attester: false,
  rpcLimits: true,
  log,
});
const report: Record<string, unknown>[] = [];
let over = false;
try {
  for (const pledges of sizes) {
    log(`seeding ${fmt(pledges)} pledges…`);
    const seeded = await seedBenchCampaign({
      rpcUrl: stack.rpcUrl,
      factory: stack.factory,
      pledges,
      ladder: LADDER,
      gap: GAP,
      log,
    });
    log(
      `seeded in ${seeded.seconds.toFixed(1)} s (${fmt(Math.round(pledges / seeded.seconds))}/s), campaign spans ${fmt(Number(seeded.blocks))} blocks`,
    );
    const campaignPage = await measureCampaignPage(stack, seeded.campaign, pledges);
    const verifyPage = await measureVerifyPage(stack, seeded.campaign);
    const underPlaywright = process.argv.includes("--playwright-too")
      ? await measureVerifyPageUnderPlaywright(stack, seeded.campaign)
      : null;
    const cli = await measureCli(stack, seeded.campaign);
    const hooks: Record<string, string> = {};
    for (const hook of scaleHooks) Object.assign(hooks, await hook({ stack, campaign: seeded.campaign, pledges }));
    const row = {
      pledges,
      campaign: seeded.campaign,
      blocks: Number(seeded.blocks),
      seedSeconds: seeded.seconds,
      campaignPage,
      verifyPage,
      underPlaywright,
      cli: { seconds: cli.seconds, verified: cli.verified, pages: cli.pages },
      hooks,
    };
    report.push(row);
    const replayOk =
      verifyPage.state === "match" &&
      verifyPage.events === pledges &&
      (pledges > 100_000 || verifyPage.ms <= REPLAY_BUDGET_MS);
    const memoryOk = (verifyPage.peakRendererMb ?? 0) <= MEMORY_BUDGET_MB || pledges > 100_000;
    if (!replayOk || !memoryOk || !cli.verified) over = true;
    console.log(
      `\n${fmt(pledges)} pledges, campaign spanning ${fmt(Number(seeded.blocks))} blocks, behind the limiting proxy:`,
    );
    console.log(
      `  campaign page to chart          ${fmt(Math.round(campaignPage.ms)).padStart(8)} ms   ${campaignPage.requests} requests (${campaignPage.getLogs} eth_getLogs, ${campaignPage.refused} refused), ${mb(campaignPage.bytesOut).toFixed(2)} MB`,
    );
    console.log(`  verify page to tally verdict    ${fmt(Math.round(verifyPage.tallyMs!)).padStart(8)} ms`);
    console.log(
      `  verify page to replay verdict   ${fmt(Math.round(verifyPage.ms)).padStart(8)} ms   ${verifyPage.state}, ${fmt(verifyPage.events ?? 0)} events   budget ${fmt(REPLAY_BUDGET_MS)} ms at 100,000`,
    );
    console.log(
      `    RPC: ${fmt(verifyPage.requests)} requests (${fmt(verifyPage.getLogs)} eth_getLogs, ${verifyPage.refused} refused), ${mb(verifyPage.bytesOut).toFixed(1)} MB`,
    );
    console.log(
      `    renderer memory peak (VmHWM)  ${verifyPage.peakRendererMb!.toFixed(0).padStart(8)} MB   budget ${MEMORY_BUDGET_MB} MB; JS heap peaks: page ${verifyPage.peakHeapMb!.toFixed(0)} MB, replay worker ${verifyPage.peakWorkerHeapMb!.toFixed(0)} MB`,
    );
    if (underPlaywright)
      console.log(
        `    the same page under Playwright  ${fmt(Math.round(underPlaywright.ms)).padStart(8)} ms   renderer peak ${underPlaywright.peakRendererMb.toFixed(0)} MB (DevTools Network domain on: response bodies kept)`,
      );
    console.log(
      `  npm run verify:campaign         ${cli.seconds.toFixed(1).padStart(8)} s    ${cli.verified ? "VERIFIED" : "NOT VERIFIED"}, ${fmt(cli.pages)} ${cli.pages === 1 ? "page" : "pages"} (incl. Node + tsx start-up)`,
    );
    for (const [k, v] of Object.entries(hooks)) console.log(`  ${k.padEnd(32)} ${v}`);
    mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
    writeFileSync(
      path.join(ROOT, "test-results/bench-scale.json"),
      JSON.stringify(report, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2),
    );
  }
  if (process.argv.includes("--keep")) {
    log(
      `the chain and the dApp stay up: ${stack.url} (chain ${stack.rpcUrl}, limiting proxy ${stack.rpcProxy!.url}); Ctrl-C stops them`,
    );
    for (const row of report)
      log(`  ${fmt(row.pledges as number)} pledges: ${campaignUrl(stack.url, row.campaign as Address)}`);
    await new Promise((r) => process.once("SIGINT", r));
  }
} finally {
  await stack.close();
}
process.exit(over ? 1 : 0);
