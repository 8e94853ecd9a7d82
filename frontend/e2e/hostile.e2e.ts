/**
 * The campaign list with hostile campaigns, in Chromium against the real stack: campaigns whose
 * description is an object where the title should be, an array, a title of 10,000 characters,
 * numbers, and a valid 200-character title with no space, each created on the chain with enough
 * pledges to be listed, among the demo's honest ones. The list renders every campaign, at 360 px and
 * 1280 px, in French and English (screenshots test-results/e2e/hostile-*.png), without horizontal
 * scrolling; a hostile campaign's own page shows what was left out. Last in run.ts: its campaigns
 * join the list every later suite would see.
 */
import assert from "node:assert/strict";
import { type Address, createPublicClient, createWalletClient, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhatKey, ROLES } from "../../scripts/demo/accounts.js";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { chainFor } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { encodePledges, signPledge } from "@bascule/core/signing";
import { campaignParams } from "../../test/helpers/campaign.js";
import { axe, newContext, shot, step, type Suite, until } from "./harness.js";

const DAY = 86_400n;
// Account 16 sends the pledges: no other suite uses it.
const LONG_WORD = "Grève".repeat(40); // 200 characters, no space: the schema's longest title

/** What each hostile campaign's description is, as anyone can put it on the chain. */
const HOSTILE: [string, unknown][] = [
  ["object title", { title: { $$typeof: "react.element", type: "img", props: { src: "x" } }, place: "Lyon" }],
  ["array document", ["Grève", "générale"]],
  ["huge title", { title: "A".repeat(10_000), text: "" }],
  ["numbers", { title: 42, text: 1e308, place: -1, languages: [1, 2] }],
  ["long word", { title: LONG_WORD, text: "", place: "Brest" }],
];

export const hostileSuite: Suite = async ({ browser, stack, timeout }) => {
  const rpc = createPublicClient({ transport: http(stack.rpcUrl) });
  const submitter = createWalletClient({
    account: privateKeyToAccount(hardhatKey(16)),
    chain: chainFor(stack.chainId, stack.rpcUrl),
    transport: http(stack.rpcUrl),
  });
  const now = (await rpc.getBlock()).timestamp;
  const made: Record<string, Address> = {};
  for (const [name, doc] of HOSTILE) {
    const json = JSON.stringify(doc);
    const { campaign } = await createCampaign({
      rpcUrl: stack.rpcUrl,
      privateKey: hardhatKey(ROLES.organiser),
      factory: stack.factory,
      params: campaignParams(now, {
        pledgeDeadline: now + 10n * DAY,
        actionDate: now + 20n * DAY,
        metadataHash: keccak256(toHex(json)),
      }),
      metadataURI: `data:application/json;base64,${Buffer.from(json).toString("base64")}`,
      salt: keccak256(toHex(`hostile-e2e-${name}-${now}`)),
    });
    // Three pledges: enough to be listed (listMinPledges).
    const signed = await Promise.all(
      [1, 1, 2].map((level) =>
        signPledge(privateKeyToAccount(generatePrivateKey()), campaign, stack.chainId, {
          level,
          support: 0n,
          nonce: 0,
        }),
      ),
    );
    const hash = await submitter.writeContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges(signed)],
    });
    await rpc.waitForTransactionReceipt({ hash });
    made[name] = campaign;
  }
  const card = (page: import("playwright-core").Page, campaign: Address) =>
    page.locator("[data-testid=campaign-card]", { has: page.locator(`a[href="#/c/${campaign}"]`) });

  for (const [lang, locale] of [
    ["fr", "fr-FR"],
    ["en", "en-GB"],
  ] as const) {
    for (const width of [360, 1280]) {
      await step(`hostile: the list renders every campaign among hostile ones, ${width} px, ${lang}`, async () => {
        const ctx = await newContext(browser, stack, { wallet: false, lang: locale, width });
        const page = await ctx.newPage();
        page.setDefaultTimeout(timeout);
        await page.goto(`${stack.url}#/`);
        // the list (indexer or chain) catches up with the new campaigns within a refresh or two
        await until("the hostile campaigns are listed", async () => {
          for (const c of Object.values(made)) if ((await card(page, c).count()) === 0) return false;
          return true;
        });
        const untitled = lang === "fr" ? /^Campagne sans titre 0x/ : /^Untitled campaign 0x/;
        for (const name of ["object title", "array document", "huge title", "numbers"]) {
          const c = card(page, made[name]);
          assert.match(await c.locator("a").first().innerText(), untitled, name);
          await c.getByTestId("metadata-note").waitFor();
        }
        assert.equal(await card(page, made["long word"]).locator("a").first().innerText(), LONG_WORD);
        assert.equal(await page.getByTestId("card-failed").count(), 0);
        // the demo's honest campaigns are all there, with their titles
        const demo = stack.demo!;
        for (const c of [demo.open, demo.succeeded, demo.failed, demo.tokenCampaign]) {
          assert.doesNotMatch(await card(page, c).locator("a").first().innerText(), untitled);
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
        assert.equal(overflow, false, `no horizontal scrolling at ${width} px`);
        await shot(page, `hostile-list-${width}-${lang}`);
        await axe(page, `hostile-list-${width}-${lang}`);
        await ctx.close();
      });
    }
  }

  await step(
    "hostile: a hostile campaign's page shows the rest of its description and says what it left out",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: false, lang: "fr-FR", width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/c/${made["object title"]}`);
      await page.getByTestId("chart-visual").waitFor();
      assert.equal(await page.getByRole("heading", { level: 1 }).innerText(), "Campagne sans titre");
      assert.match(await page.getByTestId("metadata-note").innerText(), /son titre\.$/);
      assert.equal(await page.getByText("Lyon").count(), 1);
      assert.equal(await page.getByTestId("part-failed").count(), 0);
      await shot(page, "hostile-campaign-360-fr");
      await ctx.close();
    },
  );
};
