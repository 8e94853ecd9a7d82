/**
 * End-to-end tests of the dApp in Debian Chromium (playwright-core), against a real local chain,
 * relayer and dApp server started by scripts/demo/stack.ts: the core flow (core.e2e.ts) first, then
 * the feature suites below, one browser and one stack for all. Installs nothing; fails (never skips)
 * when Chromium is missing. Screenshots and the accessibility report go to test-results/e2e/.
 *
 *   npm run test:e2e
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, startStack } from "../../scripts/demo/stack.js";
import { coreSuite } from "./core.e2e.js";
import { unionSuite } from "./union.e2e.js";
import { officerSuite } from "./officer.e2e.js";
import { strikerSuite } from "./striker.e2e.js";
import { scaleSuite } from "./scale.e2e.js";
import { indexerSuite } from "./indexer.e2e.js";
import { notifySuite } from "./notify.e2e.js";
import { federationSuite } from "./federation.e2e.js";
import { conditionsSuite } from "./conditions.e2e.js";
import { cspSuite } from "./csp.e2e.js";
import { hostileSuite } from "./hostile.e2e.js";
import { staticSuite } from "./static.e2e.js";
import { axeReport, launchChromium, OUT, results, step, type Suite, thirdParty } from "./harness.js";
import { verifyCode } from "./verify-code.e2e.js";
import { journeySuite } from "./journey.e2e.js";

/**
 * Feature suites, run after the core flow against the same stack, in this order. Each lives in its
 * own file (frontend/e2e/<feature>.e2e.ts) and exports a `Suite`.
 */
const SUITES: [string, Suite][] = [
  ["verify-code", verifyCode],
  ["static release", staticSuite],
  ["union", unionSuite],
  ["officer", officerSuite],
  ["indexer", indexerSuite],
  ["scale", scaleSuite],
  ["notifications, feeds, sharing, how it works", notifySuite],
  // The organiser's announcement at a follower instance (the federation, https with the demo CA).
  ["federation", federationSuite],
  ["striker", strikerSuite],
  ["journey", journeySuite],
  // Last: it moves the chain's clock two minutes on, into its own campaign's final lock.
  ["conditions", conditionsSuite],
  // After every other suite: its hostile campaigns join the list.
  ["hostile", hostileSuite],
];

async function main() {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  console.log("starting the local stack…");
  // Every page and service reads the chain through the proxy with public-RPC limits (1,000 blocks and
  // 10,000 results per eth_getLogs, 10 MiB per answer), as against a public endpoint.
  const stack = await startStack({
    port: 0,
    chainPort: 0,
    build: process.env.E2E_NO_BUILD !== "1",
    keeperPollMs: 1000,
    insecurePushHosts: ["localhost"],
    rpcLimits: true,
    // Any free port: the handles' host is https://localhost:<port>, the CA the stack's own.
    federationPort: 0,
  });
  console.log(`stack up at ${stack.url}`);
  const timeout = 30_000;
  try {
    // The policy on every page first, while the seeded open campaign still takes pledges: the core
    // flow moves the chain's clock past its deadline.
    console.log("suite: csp");
    await step("suite csp ran to its end", () => cspSuite({ browser, stack, timeout }));
    await coreSuite({ browser, stack, timeout });

    for (const [name, suite] of SUITES) {
      console.log(`suite: ${name}`);
      await step(`suite ${name} ran to its end`, () => suite({ browser, stack, timeout }));
    }
    if (SUITES.length > 0) {
      await step("no third-party request was made by the suites", async () => {
        assert.deepEqual(thirdParty, []);
      });
    }
  } finally {
    await browser.close();
    await stack.close();
    writeFileSync(path.join(OUT, "axe.json"), JSON.stringify(axeReport, null, 2));
  }
  const failed = results.filter((r) => !r.ok);
  console.log(
    `\n${results.length - failed.length} passed, ${failed.length} failed; screenshots in ${path.relative(ROOT, OUT)}/`,
  );
  process.exit(failed.length > 0 ? 1 : 0);
}

await main().catch((e) => {
  console.error(e);
  process.exit(1);
});
