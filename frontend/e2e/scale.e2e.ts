/**
 * Reading the chain at scale, in Chromium: the dApp behind an endpoint with public-RPC limits
 * (1,000 blocks and 10,000 results per eth_getLogs, 10 MiB per answer), the chain grown past a
 * thousand blocks so that no page can read "from the start" in one call. The list, campaign and
 * verify pages work; the verify page replays the whole log in a worker, follows new events by
 * reading only new blocks, can be stopped, and never says "matches" behind an endpoint that drops logs.
 *
 * Registered in frontend/e2e/run.ts; also runs alone: `node --import tsx frontend/e2e/scale.e2e.ts`.
 */
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext } from "playwright-core";
import { createPublicClient, createWalletClient, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhatKey } from "../../scripts/demo/accounts.js";
import { seedOpenCampaign } from "../../scripts/demo/seed.js";
import { type Stack, startStack } from "../../scripts/demo/stack.js";
import { chainFor } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { type RpcLimits, type RpcProxy, startRpcProxy } from "../../scripts/lib/rpc-limits.js";
import { encodePledges, signPledge } from "@bascule/core/signing";
import { axe, launchChromium, newContext, OUT, results, shot, step, type SuiteContext } from "./harness.js";

/**
 * A browser context whose dApp (page and replay worker) reads the chain through `proxy`: its
 * same-origin /rpc requests are forwarded there by Playwright, so no CORS or CSP changes.
 */
async function limitedContext(
  browser: Browser,
  stack: Stack,
  proxy: RpcProxy,
  lang = "en-GB",
): Promise<BrowserContext> {
  const ctx = await newContext(browser, stack, { wallet: false, lang });
  await ctx.route(`${stack.url}rpc`, async (route) => {
    try {
      const response = await route.fetch({ url: proxy.url });
      await route.fulfill({ response });
    } catch {
      // the context closed while a request was in flight (the page polls): nothing to answer
      await route.abort().catch(() => {});
    }
  });
  // Closing waits for no in-flight forward.
  const close = ctx.close.bind(ctx);
  ctx.close = async (options) => {
    await ctx.unrouteAll({ behavior: "ignoreErrors" });
    await close(options);
  };
  return ctx;
}

export async function scaleSuite({ browser, stack, timeout }: SuiteContext): Promise<void> {
  const demo = stack.demo!;
  // A campaign of its own, open whatever the clock: the core flow before this suite moves the chain's
  // time past the demo campaigns' deadlines.
  const open = await seedOpenCampaign({
    rpcUrl: stack.rpcUrl,
    factory: stack.factory,
    token: demo.token,
    counts: [3, 4, 5, 2, 6, 1],
  });
  const proxies: RpcProxy[] = [];
  const proxy = async (limits: RpcLimits = {}) => {
    const p = await startRpcProxy(stack.rpcUrl, limits);
    proxies.push(p);
    return p;
  };
  try {
    // Past 1,000 blocks: a scan from block 0 to the latest in one call is now refused. One block at a
    // time: the indexer following this chain (Ponder) takes hardhat_mine's bulk blocks for a reorg.
    for (let i = 0; i < 1_200; i++) await stack.rpc("evm_mine");
    const limited = await proxy();
    const ctx = await limitedContext(browser, stack, limited);
    const page = await ctx.newPage();
    page.setDefaultTimeout(timeout);

    await step("scale: the list page works behind public-RPC limits", async () => {
      await page.goto(stack.url);
      await page.getByTestId("campaign-card").first().waitFor();
      assert.ok((await page.getByTestId("campaign-card").count()) >= 5);
      assert.ok(limited.stats.byMethod.eth_getLogs >= 2, "the factory's log was read in pages");
    });

    await step("scale: the campaign page works behind public-RPC limits", async () => {
      await page.goto(`${stack.url}#/c/${open}`);
      await page.getByTestId("chart-visual").waitFor();
      assert.match(
        await page.getByTestId("headline").innerText(),
        /people (have pledged to strike|are bound to strike)/,
      );
    });

    await step("scale: the verify page checks the tallies at once, then replays the whole log to a match", async () => {
      limited.resetStats();
      await page.goto(`${stack.url}#/v/${open}`);
      await page.getByTestId("tally-verdict").waitFor();
      assert.equal(await page.getByTestId("tally-verdict").getAttribute("data-state"), "match");
      const verdict = page.locator('[data-testid="verify-result"][data-state]');
      await verdict.waitFor();
      assert.equal(await verdict.getAttribute("data-state"), "match");
      assert.match(
        await verdict.innerText(),
        /Matches the contract: the [\d,]+ events up to block [\d,]+ replay to its tallies/,
      );
      assert.ok(limited.stats.byMethod.eth_getLogs >= 1);
      assert.ok(limited.stats.largestLogs <= 10_000);
      await shot(page, "scale-01-verify-limited");
      await axe(page, "verify (replay)");
    });

    await step("scale: a new pledge is replayed by reading only the new blocks", async () => {
      const before = await page.locator('[data-testid="verify-result"]').innerText();
      const events = Number(/the ([\d,]+) events/.exec(before)![1].replace(/,/g, ""));
      const client = createPublicClient({ transport: http(stack.rpcUrl) });
      const wallet = createWalletClient({
        account: privateKeyToAccount(hardhatKey(15)),
        chain: chainFor(stack.chainId, stack.rpcUrl),
        transport: http(stack.rpcUrl),
      });
      const signed = await signPledge(privateKeyToAccount(generatePrivateKey()), open, stack.chainId, {
        level: 1,
        support: 0n,
        nonce: 0,
      });
      await client.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          address: open,
          abi: campaignAbi,
          functionName: "pledgeBatch",
          args: [encodePledges([signed])],
        }),
      });
      limited.resetStats();
      await page.getByText(`the ${(events + 1).toLocaleString("en-GB")} events`, { exact: false }).waitFor();
      // Each follow-up read starts at the first block not yet read: none goes back to the start.
      const logsCalls = limited.stats.byMethod.eth_getLogs ?? 0;
      assert.ok(logsCalls >= 1 && logsCalls <= 12, `eth_getLogs calls after one pledge: ${logsCalls}`);
    });
    await ctx.close();

    await step("scale: the verify page never says 'matches' behind an endpoint that drops logs", async () => {
      const liar = await proxy({ tamper: "drop-last" });
      const lctx = await limitedContext(browser, stack, liar);
      const lpage = await lctx.newPage();
      lpage.setDefaultTimeout(timeout);
      await lpage.goto(`${stack.url}#/v/${open}`);
      const verdict = lpage.locator('[data-testid="verify-result"][data-state]');
      await verdict.waitFor();
      assert.notEqual(await verdict.getAttribute("data-state"), "match");
      assert.match(await verdict.innerText(), /NOT VERIFIED: the RPC endpoint.s history is incomplete or altered/);
      await shot(lpage, "scale-02-verify-lying-endpoint");
      await lctx.close();
    });

    await step("scale: the verify page reports an endpoint that reorders logs, with no verdict (French)", async () => {
      const liar = await proxy({ tamper: "reorder" });
      const lctx = await limitedContext(browser, stack, liar, "fr-FR");
      const lpage = await lctx.newPage();
      lpage.setDefaultTimeout(timeout);
      await lpage.goto(`${stack.url}#/v/${open}`);
      const verdict = lpage.locator('[data-testid="verify-result"][data-state]');
      await verdict.waitFor();
      assert.equal(await verdict.getAttribute("data-state"), "error");
      assert.match(await verdict.innerText(), /incohérents/);
      await lctx.close();
    });

    await step("scale: the replay can be stopped, and then gives no verdict", async () => {
      const slow = await proxy({ delayMs: 400, maxResults: 200 });
      const sctx = await limitedContext(browser, stack, slow);
      const spage = await sctx.newPage();
      spage.setDefaultTimeout(timeout);
      await spage.goto(`${stack.url}#/v/${open}`);
      await spage.getByTestId("replay-progress").locator("progress").waitFor();
      await spage.getByTestId("replay-cancel").click();
      const verdict = spage.locator('[data-testid="verify-result"][data-state]');
      await verdict.waitFor();
      assert.equal(await verdict.getAttribute("data-state"), "cancelled");
      const callsAfterStop = slow.stats.byMethod.eth_getLogs ?? 0;
      await spage.waitForTimeout(1_500);
      assert.equal(slow.stats.byMethod.eth_getLogs ?? 0, callsAfterStop, "the stopped worker still reads");
      await shot(spage, "scale-03-replay-stopped");
      await sctx.close();
    });
  } finally {
    for (const p of proxies) await p.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  const stack = await startStack({ port: 0, chainPort: 0, build: process.env.E2E_NO_BUILD !== "1", keeper: false });
  try {
    await scaleSuite({ browser, stack, timeout: 30_000 });
  } finally {
    await browser.close();
    await stack.close();
  }
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length > 0 ? 1 : 0);
}
