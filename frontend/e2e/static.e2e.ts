/**
 * The dApp as a static release (npm run build:static) served from another origin than its RPC, as
 * an IPFS gateway or a static host would: under `/ipfs/<cid>/` and under a plain sub-path, with
 * no header at all (the built index.html carries the policy). The release reads the local chain
 * directly (an absolute endpoint, so its connect-src names that origin); the list and a campaign page
 * work, nothing breaks the policy, and no request leaves the two origins.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import Fastify from "fastify";
import { createPublicClient, http, keccak256, toHex } from "viem";
import { campaignAbi } from "@bascule/core/generated/abis";
import { parseCsp } from "@bascule/core/csp";
import { embedMetadata } from "@bascule/core/metadata";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { hardhatKey, ROLES } from "../../scripts/demo/accounts.js";
import { freePort } from "../../scripts/lib/hardhat-node.js";
import { startRelayer } from "../../scripts/relayer/server.js";
import { buildStatic } from "../../scripts/tools/build-static.js";
import { campaignParams } from "../../test/helpers/campaign.js";
import { OUT, shot, step, type Suite } from "./harness.js";

export const staticSuite: Suite = async ({ browser, stack, timeout }) => {
  const work = mkdtempSync(path.join(tmpdir(), "bascule-release-"));
  const out = path.join(work, "release");
  const configFile = path.join(work, "config.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      chainId: stack.chainId,
      chainName: "Hardhat (local)",
      rpcUrl: stack.rpcUrl,
      factory: stack.factory,
      fromBlock: "0",
      relayerUrl: "",
      listMinPledges: 3,
    }),
  );
  const { cid } = await buildStatic({ configFile, out });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const fallback = await fallbackRelease(stack, work, origin);
  const gateway = Fastify({ logger: false, forceCloseConnections: true });
  // One release under two prefixes: a gateway's path and a sub-path of an ordinary site.
  await gateway.register(fastifyStatic, { root: out, prefix: `/ipfs/${cid}/`, decorateReply: false });
  await gateway.register(fastifyStatic, { root: out, prefix: "/bascule/", decorateReply: false });
  await gateway.register(fastifyStatic, { root: fallback.out, prefix: "/failover/", decorateReply: false });
  await gateway.listen({ port, host: "127.0.0.1" });
  const rpcOrigin = new URL(stack.rpcUrl).origin;
  const elsewhere: string[] = [];
  try {
    for (const base of [`${origin}/ipfs/${cid}/`, `${origin}/bascule/`]) {
      await step(
        `static release at ${base.replace(origin, "")}: the list and a campaign page, under its own policy`,
        async () => {
          const ctx = await browser.newContext({ locale: "fr-FR", viewport: { width: 360, height: 800 } });
          await ctx.route("**/*", (route) => {
            const u = route.request().url();
            if (u.startsWith(origin) || u.startsWith(rpcOrigin) || u.startsWith("data:") || u.startsWith("blob:"))
              return route.continue();
            elsewhere.push(u);
            return route.abort();
          });
          await ctx.addInitScript(() => {
            const w = window as unknown as { __csp: string[] };
            w.__csp = [];
            document.addEventListener("securitypolicyviolation", (e) =>
              w.__csp.push(`${e.effectiveDirective} ${e.blockedURI}`),
            );
          });
          const page = await ctx.newPage();
          page.setDefaultTimeout(timeout);
          try {
            const answer = await page.goto(base);
            assert.equal(
              answer?.headers()["content-security-policy"],
              undefined,
              "the test server sends no policy header",
            );
            const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
            assert.ok(meta, "the release's index.html carries its policy");
            assert.deepEqual(parseCsp(meta)["connect-src"], ["'self'", rpcOrigin]);
            await page.getByTestId("campaign-card").first().waitFor();
            const open = stack.demo?.open;
            assert.ok(open, "the demo campaigns are seeded");
            await page.locator(`a[href="#/c/${open}"]`).first().click();
            await page.getByTestId("chart-visual").waitFor();
            assert.ok(page.url().startsWith(base), `the campaign page stays under ${base}: ${page.url()}`);
            await page.screenshot({
              path: path.join(OUT, `static-${base.includes("/ipfs/") ? "ipfs" : "subpath"}-fr-360.png`),
            });
            const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(scrollWidth <= 360, `no sideways scroll at 360 px (${scrollWidth})`);
            assert.deepEqual(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), []);
          } finally {
            await ctx.close();
          }
        },
      );
    }
    assert.deepEqual(elsewhere, [], "the release asks only its own origin and its RPC");
    await fallback.run({ browser, stack, timeout });
  } finally {
    await gateway.close();
    await fallback.close();
    rmSync(work, { recursive: true, force: true });
  }
};

/**
 * Two relayers for one dApp, each with its own key and store (docs/operator-guide.md, "Several
 * relayers"): the release's first relayer is down (nothing listens on its port), the second one
 * takes the walletless pledge, and the pledge is on-chain.
 */
async function fallbackRelease(stack: Parameters<Suite>[0]["stack"], work: string, origin: string) {
  const DAY = 86_400n;
  const dead = `http://127.0.0.1:${await freePort()}`;
  const second = await startRelayer({
    rpcUrl: stack.rpcUrl,
    privateKey: hardhatKey(17),
    port: 0,
    dbPath: ":memory:",
    corsOrigins: [origin],
    batchSize: 10,
    batchLatencyMs: 200,
    factory: stack.factory,
    log: () => {},
  });
  const configFile = path.join(work, "failover.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      chainId: stack.chainId,
      chainName: "Hardhat (local)",
      rpcUrl: stack.rpcUrl,
      factory: stack.factory,
      fromBlock: "0",
      relayerUrl: dead,
      relayerUrls: [second.url],
      listMinPledges: 3,
    }),
  );
  const out = path.join(work, "failover");
  await buildStatic({ configFile, out });
  const rpc = createPublicClient({ transport: http(stack.rpcUrl) });
  const now = (await rpc.getBlock()).timestamp;
  const { uri, hash } = embedMetadata({
    title: "Relais de secours / Fallback relayer",
    text: "Une campagne pour le relais de secours. / A campaign for the fallback relayer.",
    actionDate: new Date(Number(now + 20n * DAY) * 1000).toISOString().slice(0, 10),
    place: "Lille",
    languages: ["fr", "en"],
  });
  const { campaign } = await createCampaign({
    rpcUrl: stack.rpcUrl,
    privateKey: hardhatKey(ROLES.organiser),
    factory: stack.factory,
    params: campaignParams(now, { pledgeDeadline: now + 10n * DAY, actionDate: now + 20n * DAY, metadataHash: hash }),
    metadataURI: uri,
    salt: keccak256(toHex(`failover-e2e-${now}`)),
  });
  const run: Suite = async ({ browser, timeout }) =>
    step("the dApp moves to the next relayer when its first one is down, and the pledge is on-chain", async () => {
      const ctx = await browser.newContext({ locale: "en-GB", viewport: { width: 1280, height: 900 } });
      const asked: string[] = [];
      ctx.on("request", (r) => asked.push(new URL(r.url()).origin));
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      try {
        await page.goto(`${origin}/failover/#/c/${campaign}`);
        await page.getByTestId("pledge-level").selectOption("1");
        await page.getByTestId("pledge-button").click();
        await page.getByTestId("recap-confirm").click();
        await page.getByTestId("saved-confirm").check();
        await page.getByTestId("submit-pledge").click();
        await page.waitForURL(/#\/my\/[0-9a-f]{16}$/);
        const logs = () =>
          rpc.getContractEvents({ address: campaign, abi: campaignAbi, eventName: "Pledged", fromBlock: 0n });
        for (let i = 0; (await logs()).length === 0; i++) {
          assert.ok(i < 120, "the pledge reached the chain within 30 s");
          await new Promise((r) => setTimeout(r, 250));
        }
        assert.ok(asked.includes(dead), "the first relayer was asked first");
        assert.ok(asked.includes(new URL(second.url).origin), "the second relayer was asked");
        await page.getByTestId("pledge-status").waitFor();
        await shot(page, "static-failover-en-1280");
      } finally {
        await ctx.close();
      }
    });
  return { out, run, close: () => second.close() };
}
