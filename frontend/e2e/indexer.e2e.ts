/**
 * The indexer in the browser, through the campaign list: the list reads its counts from the
 * indexer and says they are not a trustless check; with the indexer down it reads the chain and
 * shows the same figures; the campaign and verify pages never ask the indexer.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { type Address, createPublicClient, http } from "viem";
import { campaignAbi } from "@bascule/core/generated/abis";
import { resolve } from "@bascule/core/model";
import { axe, newContext, shot, step, type Suite } from "./harness.js";

/** Every request the page makes: URL and body (JSON-RPC method names are in the body). */
function recordRequests(page: Page) {
  const seen: { url: string; body: string }[] = [];
  page.on("request", (r) => seen.push({ url: r.url(), body: r.postData() ?? "" }));
  return seen;
}

export const indexerSuite: Suite = async ({ browser, stack, timeout }) => {
  const client = createPublicClient({ transport: http(stack.rpcUrl) });
  const open = stack.demo!.open;

  /** People ready and would act now for a campaign, from levelTallies and the reference model. */
  const fromChain = async (campaign: Address) => {
    const [[params], [counts], status] = await Promise.all([
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "status" }),
    ]);
    const r = resolve(params.ladder.map(Number), { counts: counts.map(BigInt), requested: [], donated: [] });
    const n = (x: bigint | number) => new Intl.NumberFormat("en-GB").format(x);
    // The core flow may have resolved it by now: the list then shows the contract's result.
    const actNow =
      status.phase === 2 ? `${n(status.committed)} people bound to strike` : `${n(r.committed)} would act now`;
    return { ready: `${n(counts.reduce((a, c) => a + c, 0))} people pledged`, actNow };
  };
  const card = (page: Page, campaign: Address) =>
    page.getByTestId("campaign-card").filter({ has: page.locator(`a[href="#/c/${campaign}"]`) });

  await step("indexer: caught up with the chain", async () => {
    assert.ok(stack.indexerUrl, "npm start runs the indexer");
    const latest = Number(BigInt((await stack.rpc("eth_blockNumber")) as string));
    const deadline = Date.now() + timeout;
    for (;;) {
      const status = (await (await fetch(`${stack.indexerUrl}/status`)).json()) as Record<
        string,
        { block: { number: number } }
      >;
      if (Object.values(status)[0]?.block.number >= latest) break;
      assert.ok(Date.now() < deadline, "the indexer did not catch up");
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  await step("indexer: the dApp's server forwards reads only", async () => {
    assert.equal((await fetch(`${stack.url}indexer/campaigns`)).status, 200);
    const write = await fetch(`${stack.url}indexer/campaigns`, { method: "POST", body: "{}" });
    assert.equal(write.status, 405);
    assert.equal(((await write.json()) as { error: { code: string } }).error.code, "METHOD_NOT_ALLOWED");
  });

  let listedWithIndexer = 0;
  await step(
    "list: counts from the indexer, marked as not a trustless check, no scan of the chain's logs",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: false });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      const requests = recordRequests(page);
      await page.goto(stack.url);
      await page.getByTestId("campaign-card").first().waitFor();
      assert.equal(await page.getByTestId("list-source").getAttribute("data-source"), "indexer");
      assert.match(await page.getByTestId("list-source").innerText(), /not a trustless check/);
      const expected = await fromChain(open);
      assert.equal(await card(page, open).getByTestId("card-ready").innerText(), expected.ready);
      assert.equal(await card(page, open).getByTestId("card-act-now").innerText(), expected.actNow);
      listedWithIndexer = await page.getByTestId("campaign-card").count();
      assert.ok(
        requests.some((r) => r.url.includes("/indexer/campaigns")),
        "the list asked the indexer",
      );
      assert.ok(
        !requests.some((r) => r.body.includes("eth_getLogs")),
        "the list scanned the chain's logs although the indexer is up",
      );
      await shot(page, "indexer-01-list");
      await axe(page, "list (indexer)");
      await ctx.close();
    },
  );

  await step("list: read from the chain, with the same figures, when the indexer is down", async () => {
    const ctx = await newContext(browser, stack, { wallet: false, lang: "fr-FR" });
    // What the dApp's server answers when the indexer process is gone.
    await ctx.route("**/indexer/**", (route) =>
      route.fulfill({
        status: 502,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "UPSTREAM_DOWN" } }),
      }),
    );
    const page = await ctx.newPage();
    page.setDefaultTimeout(timeout);
    const requests = recordRequests(page);
    await page.goto(stack.url);
    await page.getByTestId("list-source").waitFor();
    assert.equal(await page.getByTestId("list-source").getAttribute("data-source"), "chain");
    assert.equal(await page.getByTestId("campaign-card").count(), listedWithIndexer);
    const expected = await fromChain(open);
    const nnbsp = (s: string) => s.replace(/,/g, "\u202f");
    assert.equal(
      await card(page, open).getByTestId("card-ready").innerText(),
      nnbsp(expected.ready.replace("people pledged", "personnes engagées")),
    );
    assert.ok(
      requests.some((r) => r.body.includes("eth_getLogs")),
      "the list did not read the chain",
    );
    await shot(page, "indexer-02-list-chain-fr");
    await ctx.close();
  });

  await step("campaign and verify pages never ask the indexer", async () => {
    const ctx = await newContext(browser, stack, { wallet: false });
    const page = await ctx.newPage();
    page.setDefaultTimeout(timeout);
    const requests = recordRequests(page);
    await page.goto(`${stack.url}#/c/${open}`);
    await page.getByTestId("chart-visual").waitFor();
    await page.goto(`${stack.url}#/v/${open}`);
    await page.getByTestId("verify-result").waitFor();
    assert.deepEqual(
      requests.filter((r) => r.url.includes("/indexer")).map((r) => r.url),
      [],
    );
    await ctx.close();
  });
};
