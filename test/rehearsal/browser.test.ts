/**
 * The production rehearsal through the dApp's pages (issue 21): the world of test/rehearsal/world.ts
 * (chain 84532 behind the public-RPC limits proxy, Ignition with CREATE2, the launcher per service
 * from a production config with no seeding, nginx with TLS) serving the dApp's static release
 * (scripts/tools/build-static.ts, its config.json naming the https origin's relative paths), driven
 * in Debian's Chromium (playwright-core), which trusts the server's key alone
 * (`--ignore-certificate-errors-spki-list`, the SHA-256 of its public key: not "ignore every error"):
 *
 *   1. an organiser (injected wallet) creates a union campaign on the create page, with invite
 *      codes and a payout desk, and prints three codes;
 *   2. three people redeem a code each and pledge without a wallet (the relayer, through nginx);
 *   3. a donor (injected wallet) donates on the campaign page;
 *   4. the chain's clock passes the deadline; the launched keeper resolves; the page shows it;
 *   5. a beneficiary claims to the desk from the receipt and makes a desk slip; the desk page
 *      checks the slip, says what to pay, and the clerk marks it paid.
 *
 * Why a mocha file beside production.test.ts and not a suite of frontend/e2e/run.ts: run.ts starts
 * the demo stack (chain 31337, seeded campaigns, its own server) for all its suites; this needs
 * none of it and a world of its own (another chain id, the launcher, nginx). The world is shared
 * with production.test.ts through world.ts, the browser launch with the e2e harness.
 *
 * Each step's time is printed at the end and written to test-results/e2e/rehearsal-timings.json;
 * screenshots at 360 and 1280 px go to test-results/e2e/rehearsal-*.png.
 */
import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type Address, createPublicClient, getAddress, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { campaignAbi } from "@bascule/core/generated/abis";
import { defaultFactory } from "@bascule/core/deployments";
import { buildStatic } from "../../scripts/tools/build-static.js";
import { launchChromium, OUT } from "../../frontend/e2e/harness.js";
import { injectedWalletScript } from "../../frontend/e2e/wallet.js";
import { TEST_KEYS } from "../helpers/node.js";
import { CHAIN_ID, type Rehearsal, startRehearsal } from "./world.js";

const DAY = 86_400;

describe("production rehearsal in the browser: the dApp's static release over nginx with TLS, on chain 84532", function () {
  this.timeout(900_000);
  let world: Rehearsal;
  let browser: Browser;
  let work: string;
  const timings: { step: string; ms: number }[] = [];
  const contexts: BrowserContext[] = [];
  const elsewhere: string[] = [];
  const consoleErrors: string[] = [];
  const failedAnswers: string[] = [];
  const timeout = 60_000;
  const organiser = privateKeyToAccount(TEST_KEYS[4]!).address;
  const donor = privateKeyToAccount(TEST_KEYS[5]!).address;
  const desk = privateKeyToAccount(TEST_KEYS[6]!).address;
  const client = () => createPublicClient({ transport: http(world.proxy.url) });

  async function timed(step: string, fn: () => Promise<void>) {
    const t0 = Date.now();
    await fn();
    timings.push({ step, ms: Date.now() - t0 });
  }

  /** A browser context that reaches the rehearsal's origin only, with an injected wallet if asked. */
  async function context(opts: { wallet?: Address; lang: string; width: number }): Promise<Page> {
    const ctx = await browser.newContext({
      locale: opts.lang,
      viewport: { width: opts.width, height: 900 },
      // The page keeps its own policy (the release's meta tag and nginx's header both apply).
      bypassCSP: false,
    });
    contexts.push(ctx);
    await ctx.route("**/*", (route) => {
      const u = route.request().url();
      if (u.startsWith(`${world.origin}/`) || u.startsWith("data:") || u.startsWith("blob:")) return route.continue();
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
    if (opts.wallet) await ctx.addInitScript(injectedWalletScript(opts.wallet, `0x${CHAIN_ID.toString(16)}`));
    const page = await ctx.newPage();
    page.setDefaultTimeout(timeout);
    page.on("response", (r) => {
      if (r.status() >= 400) failedAnswers.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text().slice(0, 300));
    });
    return page;
  }
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(OUT, `rehearsal-${name}.png`), fullPage: true });
  /** The same page seen by a reader at 360 px (French) and 1280 px (English): screenshots, no sideways scroll. */
  async function shots(url: string, name: string, ready: (p: Page) => Promise<unknown>) {
    for (const [lang, width] of [
      ["fr-FR", 360],
      ["en-GB", 1280],
    ] as const) {
      const page = await context({ lang, width });
      await page.goto(url);
      await ready(page);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      // What sticks out, named, when something does.
      const wide = await page.evaluate(
        (w) =>
          Array.from(document.querySelectorAll("body *"))
            .filter((e) => e.getBoundingClientRect().right > w + 0.5)
            .filter((e) => {
              // Not what a scrolling box (a wide table's wrapper) holds: that scrolls on its own.
              for (let p = e.parentElement; p; p = p.parentElement)
                if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return false;
              return true;
            })
            .slice(0, 5)
            .map(
              (e) =>
                `${e.tagName.toLowerCase()}.${e.className} ${e.getAttribute("data-testid") ?? ""} → ${Math.round(e.getBoundingClientRect().right)}`,
            ),
        width,
      );
      expect(scroll, `${name} at ${width} px: no sideways scroll (${wide.join("; ")})`).to.be.at.most(width);
      await shot(page, `${name}-${width}-${lang.slice(0, 2)}`);
      await page.context().close();
    }
  }

  before(async function () {
    mkdirSync(OUT, { recursive: true });
    work = mkdtempSync(path.join(tmpdir(), "bascule-rehearsal-release-"));
    const release = path.join(work, "release");
    const configFile = path.join(work, "config.json");
    // The release's config: every endpoint a relative path of the https origin (nginx proxies them).
    // The factory's address is known before it is deployed: CREATE2, the same on every chain.
    writeFileSync(
      configFile,
      JSON.stringify({
        chainId: CHAIN_ID,
        chainName: "Base Sepolia (rehearsal)",
        rpcUrl: "./rpc",
        factory: defaultFactory(CHAIN_ID),
        fromBlock: "0",
        relayerUrl: "./relayer",
        notifierUrl: "./notifier",
        attesterUrl: "./attester",
        listMinPledges: 0,
      }),
    );
    const t0 = Date.now();
    const built = buildStatic({ configFile, out: release }).then((r) => {
      timings.push({ step: "static release built (vite, in parallel with the world)", ms: Date.now() - t0 });
      return r;
    });
    const [{ cid }, started] = await Promise.all([
      built,
      startRehearsal({
        dist: release,
        relayer: { batchSize: 20, batchLatencyMs: 500, trustProxy: ["127.0.0.1"] },
        timing: (step, ms) => timings.push({ step, ms }),
        // The release's config.json names no indexer: the pages read the chain (production.test.ts runs it).
        services: ["relayer", "keeper", "notifier", "attester"],
      }),
    ]);
    world = started;
    timings.push({ step: `world up (release CID ${cid})`, ms: Date.now() - t0 });
    expect(getAddress(world.factory)).to.equal(getAddress(defaultFactory(CHAIN_ID)));
    // Chromium trusts this server's key and no other: the SHA-256 of its SubjectPublicKeyInfo.
    const spki = createHash("sha256")
      .update(createPublicKey(readFileSync(world.ca.key)).export({ type: "spki", format: "der" }))
      .digest("base64");
    browser = await launchChromium([`--ignore-certificate-errors-spki-list=${spki}`]);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== "failed") return;
    for (const [i, ctx] of contexts.entries())
      for (const [j, page] of ctx.pages().entries())
        await page
          .screenshot({ path: path.join(OUT, `rehearsal-failed-${i}-${j}.png`), fullPage: true })
          .catch(() => {});
  });

  after(async function () {
    for (const ctx of contexts) await ctx.close().catch(() => {});
    await browser?.close();
    await world?.close();
    if (work) rmSync(work, { recursive: true, force: true });
    if (timings.length > 0) {
      const width = Math.max(...timings.map((t) => t.step.length));
      console.log("\n    rehearsal timings:");
      for (const t of timings) console.log(`      ${t.step.padEnd(width)}  ${(t.ms / 1000).toFixed(1)} s`);
      writeFileSync(path.join(OUT, "rehearsal-timings.json"), JSON.stringify(timings, null, 2));
    }
  });

  let campaign: Address;
  let codes: string[] = [];
  const receipts: string[] = [];

  it("the organiser creates a union campaign with invite codes and a payout desk on the create page, over https", async function () {
    const page = await context({ wallet: organiser, lang: "en-GB", width: 1280 });
    await timed("1. organiser: create page → campaign on-chain", async () => {
      const answer = await page.goto(`${world.origin}/#/create`);
      // nginx's headers on the release's page.
      expect(answer?.headers()["strict-transport-security"]).to.equal("max-age=63072000; includeSubDomains");
      expect(answer?.headers()["content-security-policy"]).to.contain("connect-src 'self'");
      await page
        .getByRole("button", { name: /Connect a wallet/ })
        .first()
        .click();
      await page.getByRole("button", { name: "Create the campaign" }).waitFor();
      const now = Number((await client().getBlock()).timestamp);
      // The chain's clock, in the browser's time zone (this process's: Chromium inherits it).
      const at = new Date((now + 3 * DAY) * 1000);
      const pad = (n: number) => String(n).padStart(2, "0");
      const dayOf = (x: Date) => `${x.getFullYear()}-${pad(x.getMonth() + 1)}-${pad(x.getDate())}`;
      await page.locator("#f-title").fill("Grève de répétition / Rehearsal strike");
      await page.locator("#f-preset").selectOption("custom");
      await page.locator("#f-ladderCustom").fill("1, 3, 10");
      await page.locator("#f-deadline").fill(`${dayOf(at)}T${pad(at.getHours())}:${pad(at.getMinutes())}`);
      await page.locator("#f-actionDate").fill(dayOf(new Date(at.getTime() + DAY * 1000)));
      await page.locator("#f-cap").fill("0.01");
      await page.getByTestId("union-organiser-name").fill("Syndicat de répétition");
      await page.getByTestId("union-invite-codes").check();
      expect(await page.getByTestId("union-attester-url").inputValue()).to.equal("./attester");
      await page.getByTestId("union-token").fill(world.secrets.ATTESTER_TOKEN!);
      await page.getByTestId("union-desk-add").click();
      await page.getByTestId("union-desk-name").fill("Caisse de grève");
      await page.getByTestId("union-desk-contact").fill("caisse@bascule.test");
      await page.getByTestId("union-desk-instructions").fill("Bring your desk slip. / Apportez votre bon.");
      await page.getByTestId("union-desk-address").fill(desk);
      await shot(page, "01-create-1280-en");
      await page.getByRole("button", { name: "Create the campaign" }).click();
      await page.waitForURL(/#\/union\/0x/, { timeout: 120_000 });
      campaign = getAddress(page.url().split("/").pop()!);
    });
    await timed("1b. organiser: three invite codes printed", async () => {
      await page.getByTestId("invite-count").fill("3");
      await page.getByTestId("create-codes").click();
      await page.getByTestId("invite-card").nth(2).waitFor();
      codes = await page.getByTestId("invite-code").allInnerTexts();
      await shot(page, "02-codes-1280-en");
    });
    expect(codes).to.have.length(3);
    const [params] = await client().readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" });
    expect(params.supportCap).to.equal(10n ** 16n);
  });

  it("three people redeem a code each and pledge without a wallet, relayed through nginx", async function () {
    await timed("2. three walletless pledges, code → receipt → on-chain", async () => {
      for (const [i, code] of codes.entries()) {
        const [lang, width, support] = i === 0 ? (["fr-FR", 360, "0,01"] as const) : (["en-GB", 1280, "0.01"] as const);
        const page = await context({ lang, width });
        await page.goto(`${world.origin}/#/c/${campaign}/invite/${code}`);
        await page.getByTestId("pledge-level").selectOption("1");
        await page.getByTestId("pledge-support").fill(support);
        await page.getByTestId("pledge-button").click();
        await page.getByTestId("recap-confirm").click();
        receipts.push(await page.getByTestId("receipt-link").inputValue());
        await page.getByTestId("saved-confirm").check();
        await page.getByTestId("submit-pledge").click();
        await page.getByTestId("pledge-status").waitFor();
        if (i === 0) await shot(page, "03-pledged-360-fr");
      }
      for (let i = 0; ; i++) {
        const [counts] = await client().readContract({
          address: campaign,
          abi: campaignAbi,
          functionName: "levelTallies",
        });
        if (counts.reduce((a: bigint, c) => a + BigInt(c), 0n) === 3n) break;
        expect(i, "the three pledges reach the chain").to.be.below(240);
        await new Promise((r) => setTimeout(r, 250));
      }
    });
    for (const link of receipts) expect(link.startsWith(`${world.origin}/`), link).to.equal(true);
  });

  it("a donor donates with an injected wallet on the campaign page", async function () {
    const page = await context({ wallet: donor, lang: "en-GB", width: 1280 });
    await timed("3. donor: connect, donate 0.05 ETH → on-chain", async () => {
      await page.goto(`${world.origin}/#/c/${campaign}`);
      await page
        .getByRole("button", { name: /Connect a wallet/ })
        .first()
        .click();
      await page.getByTestId("wallet-address").waitFor();
      await page.getByTestId("donate-level").selectOption("1");
      await page.getByTestId("donate-amount").fill("0.05");
      await page.getByTestId("donate-submit").click();
      await page.locator('[data-testid^="donation-"]').first().waitFor();
    });
    const donated = await client().getContractEvents({
      address: campaign,
      abi: campaignAbi,
      eventName: "Donated",
      fromBlock: 0n,
    });
    expect(donated).to.have.length(1);
    await shots(`${world.origin}/#/c/${campaign}`, "04-campaign", (p) => p.getByTestId("chart-visual").waitFor());
  });

  it("time passes the deadline; the launched keeper resolves the campaign and the page shows the result", async function () {
    const page = await context({ lang: "en-GB", width: 1280 });
    await timed("4. deadline passed → keeper resolves → the page shows the outcome", async () => {
      const [params] = await client().readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" });
      const now = (await client().getBlock()).timestamp;
      await world.node.rpc("evm_increaseTime", [Number(params.pledgeDeadline - now) + 60]);
      await world.node.rpc("evm_mine", []);
      for (let i = 0; ; i++) {
        const resolved = await client().getContractEvents({
          address: campaign,
          abi: campaignAbi,
          eventName: "CampaignResolved",
          fromBlock: 0n,
        });
        if (resolved.length > 0) {
          // The keeper's account sent it: no one clicked "resolve".
          const tx = await client().getTransaction({ hash: resolved[0]!.transactionHash });
          expect(getAddress(tx.from)).to.equal(
            privateKeyToAccount(world.secrets.KEEPER_PRIVATE_KEY as `0x${string}`).address,
          );
          break;
        }
        expect(i, "the keeper resolves within 60 s").to.be.below(240);
        await new Promise((r) => setTimeout(r, 250));
      }
      await page.goto(`${world.origin}/#/c/${campaign}`);
      await page.getByTestId("outcome").waitFor();
    });
    expect(await page.getByTestId("headline").innerText()).to.match(/^3 people are bound to strike on /);
    await shots(`${world.origin}/#/c/${campaign}`, "05-resolved", (p) => p.getByTestId("outcome").waitFor());
  });

  it("a beneficiary claims to the payout desk from the receipt; the desk page checks the slip and marks it paid", async function () {
    const before = await client().getBalance({ address: desk });
    const member = await context({ lang: "fr-FR", width: 360 });
    let slip = "";
    const bank = { iban: "FR76 3000 6000 0112 3456 7890 189", holder: "Élise Durand" };
    await timed("5a. beneficiary: claim to the desk (relayed) and desk slip", async () => {
      await member.goto(receipts[0]!);
      await member.getByTestId("claim-desk").click();
      await member.getByTestId("claimed").waitFor();
      await member.getByTestId("slip-iban").fill(bank.iban);
      await member.getByTestId("slip-holder").fill(bank.holder);
      await member.getByTestId("slip-make").click();
      slip = (await member.getByTestId("slip-text").innerText()).trim();
    });
    expect(slip).to.match(/^BDS1[A-Za-z0-9_-]{222}$/);
    await shot(member, "06-slip-360-fr");
    expect(await client().getBalance({ address: desk })).to.equal(before + 10n ** 16n);

    const clerk = await context({ lang: "en-GB", width: 1280 });
    await timed("5b. desk page: slip checked, amount shown, marked paid", async () => {
      await clerk.goto(`${world.origin}/#/desk/${campaign}/${desk}`);
      await clerk.getByTestId("desk-token").fill(world.secrets.ATTESTER_DESK_TOKEN!);
      await clerk.getByTestId("desk-clerk").fill("Guichet 1");
      await clerk.locator('[data-testid="desk-ledger"][data-state="ok"]').waitFor();
      await clerk.getByTestId("desk-slip").fill(slip);
      await clerk.getByTestId("desk-iban").fill(bank.iban);
      await clerk.getByTestId("desk-holder").fill(bank.holder);
      await clerk.getByTestId("desk-check").click();
      expect(await clerk.getByTestId("desk-pay").innerText()).to.match(/0\.01\sETH/);
      await shot(clerk, "07-desk-pay-1280-en");
      await clerk.getByTestId("desk-mark").click();
      await clerk.getByTestId("desk-marked").waitFor();
    });
    await shot(clerk, "08-desk-paid-1280-en");
    await shots(`${world.origin}/#/desk/${campaign}/${desk}`, "09-desk", (p) => p.locator("#desk-title").waitFor());
    // The attester's ledger, behind nginx, has it.
    const ledger = await clerk.evaluate(
      async ([url, token]) => (await fetch(url!, { headers: { authorization: `Bearer ${token}` } })).json(),
      [
        `${world.origin}/attester/desks/${desk}/chains/${CHAIN_ID}/campaigns/${campaign}/paid`,
        world.secrets.ATTESTER_DESK_TOKEN,
      ],
    );
    expect((ledger as { paid: { clerk: string }[] }).paid.map((p) => p.clerk)).to.deep.equal(["Guichet 1"]);
  });

  it("a Chromium trusting another key's hash, or none, refuses the site: the flag pins this key, it does not ignore errors", async function () {
    const other = createHash("sha256")
      .update(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "der" }))
      .digest("base64");
    for (const args of [[`--ignore-certificate-errors-spki-list=${other}`], []]) {
      const b = await launchChromium(args);
      try {
        const page = await (await b.newContext()).newPage();
        const error = await page.goto(`${world.origin}/`).then(
          () => null,
          (e: Error) => e.message,
        );
        expect(error, String(args)).to.match(/ERR_CERT_AUTHORITY_INVALID/);
      } finally {
        await b.close();
      }
    }
  });

  it("no page asked another origin, broke the policy, or logged an error", async function () {
    expect(elsewhere).to.deep.equal([]);
    for (const ctx of contexts)
      for (const page of ctx.pages())
        expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).to.deep.equal([]);
    // The one refusal a page may meet: the notifier's 404 for a campaign its watcher has not yet
    // seen (it polls every 5 s and waits a confirmation); the pages take it as "no announcement".
    // Since then it has seen it. Any other answer of 400 or more, or a script error, fails.
    const announcements = new RegExp(`^404 GET ${world.origin}/notifier/v1/campaigns/${campaign}/announcements\\?`);
    expect(failedAnswers.filter((a) => !announcements.test(a))).to.deep.equal([]);
    expect(
      consoleErrors.filter((e) => !e.startsWith("Failed to load resource: the server responded with a status of 404")),
    ).to.deep.equal([]);
    expect(consoleErrors.length).to.equal(failedAnswers.length);
    const page = await context({ lang: "en-GB", width: 1280 });
    await page.goto(`${world.origin}/`);
    const seen = await page.evaluate(
      async (u) => (await fetch(u)).status,
      `${world.origin}/notifier/v1/campaigns/${campaign}/announcements?limit=50`,
    );
    expect(seen).to.equal(200);
  });
});
