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
import { parseCsp } from "@bascule/core/csp";
import { buildStatic } from "../../scripts/tools/build-static.js";
import { OUT, step, type Suite } from "./harness.js";

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
  const gateway = Fastify({ logger: false, forceCloseConnections: true });
  // One release under two prefixes: a gateway's path and a sub-path of an ordinary site.
  await gateway.register(fastifyStatic, { root: out, prefix: `/ipfs/${cid}/`, decorateReply: false });
  await gateway.register(fastifyStatic, { root: out, prefix: "/bascule/", decorateReply: false });
  const origin = await gateway.listen({ port: 0, host: "127.0.0.1" });
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
  } finally {
    await gateway.close();
    rmSync(work, { recursive: true, force: true });
  }
};
