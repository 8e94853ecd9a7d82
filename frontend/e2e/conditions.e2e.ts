/**
 * Support-conditional pledges end to end (MECHANISM.md, "Support-conditional pledges", "Resolution
 * with conditions", "The final lock"), on the local chain: a striker pledges "at least half" of a
 * day's pay on a phone in French and its receipt says it counts now with the coverage; another
 * pledges "all" and is told how much more donated would let their group in, until a donor gives it;
 * the campaign page shows per condition how many count and the coverage, and each group's slack;
 * during the final lock a new pledge cannot take a condition and a conditional one may only lower its
 * support. Screenshots at 360 px and 1280 px, French and English: test-results/e2e/conditions-*.png.
 *
 * The campaign (a euro stablecoin stand-in, ladder 2, 5, 10, 20, conditions half and all) starts with
 * two "all" pledges asking €75 each at threshold 2, four without condition at threshold 5 (two asking
 * €50), one "at least half" asking €80 at threshold 5, and €150 donated at threshold 2. The model's
 * result: j* = 2 with the block and the half group (150 · 10,000 ≥ 5,000 · 180), the "all" group of
 * threshold 2 out (150 < 330): P = 5, coverage 150 / 180.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { type Abi, type Address, createPublicClient, createWalletClient, type Hex, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { campaignAbi } from "@bascule/core/generated/abis";
import { embedMetadata } from "@bascule/core/metadata";
import { encodePledges, signPledge } from "@bascule/core/signing";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { hardhatKey, ROLES } from "../../scripts/demo/accounts.js";
import { ROOT } from "../../scripts/demo/stack.js";
import { chainFor } from "../../scripts/lib/deployment.js";
import { campaignParams } from "../../test/helpers/campaign.js";
import { axe, newContext, shot, step, type SuiteContext } from "./harness.js";

const DAY = 86_400n;
const HOUR = 3_600n;
const EUR = (n: number) => BigInt(Math.round(n * 100)) * 10_000n;
const NB = "\u202f";
const NBSP = "\u00a0";
/** A no-break space, narrow or not (before % in French, as the browser's ICU data has it). */
const SP = "[\\u00a0\\u202f]";

async function noOverflow(page: Page, what: string, width: number) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  assert.equal(overflow, false, `${what}: no horizontal scrolling at ${width} px`);
}

/**
 * Sends the pledge the flow signed: through the relayer, or, if the relayer cannot take it, with the
 * connected test wallet (the dApp's own fallback); then waits for the receipt page.
 */
async function sendFromFlow(page: Page) {
  await page.getByTestId("saved-confirm").check();
  await page.getByTestId("submit-pledge").click();
  const done = page.waitForURL(/#\/my\/[0-9a-f]{16}$/).then(() => "sent" as const);
  // the flow's own fallback panel (the page has other wallet buttons: the donation's)
  const panel = page.locator(".pledge-flow .panel", {
    hasText: /The relayer is unavailable|Le relais est indisponible/,
  });
  const fallback = panel.waitFor().then(() => "fallback" as const);
  if ((await Promise.race([done, fallback])) === "fallback") {
    const connect = panel.getByRole("button", { name: /Connect a wallet|Connecter un portefeuille/ }).first();
    if (await connect.isVisible().catch(() => false)) await connect.click();
    await page.getByTestId("submit-wallet").click();
    await done;
  }
}

export async function conditionsSuite({ browser, stack, timeout }: SuiteContext) {
  const chain = chainFor(stack.chainId, stack.rpcUrl);
  const client = createPublicClient({ chain, transport: http(stack.rpcUrl) });
  const walletOf = (index: number) =>
    createWalletClient({ account: privateKeyToAccount(hardhatKey(index)), chain, transport: http(stack.rpcUrl) });
  const send = async (hash: Hex) => {
    const receipt = await client.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success", `transaction ${hash}`);
    return receipt;
  };
  const organiser = walletOf(ROLES.organiser);
  const donor = walletOf(ROLES.firstDonor);

  // A euro stablecoin stand-in (6 decimals), minted to the donor.
  const artifact = JSON.parse(
    readFileSync(path.join(ROOT, "artifacts/contracts/test/TestTokens.sol/TestStablecoin.json"), "utf8"),
  ) as { abi: Abi; bytecode: Hex };
  const deployer = walletOf(ROLES.deployer);
  const token = (await send(await deployer.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode })))
    .contractAddress!;
  await send(
    await deployer.writeContract({
      address: token,
      abi: artifact.abi,
      functionName: "mint",
      args: [donor.account.address, EUR(10_000)],
    }),
  );
  const oracle = privateKeyToAccount(hardhatKey(ROLES.keeper)).address;
  const now = (await client.getBlock({ blockTag: "latest" })).timestamp;

  async function campaign(title: string, deadline: bigint, finalLock: bigint, salt: string): Promise<Address> {
    const actionDate = deadline + 2n * DAY;
    const { uri, hash } = embedMetadata({
      title,
      text: "Une journée de grève, soutenue par la caisse. / One day of strike, supported by the fund.",
      actionDate: new Date(Number(actionDate) * 1000).toISOString().slice(0, 10),
      place: "Lyon",
      languages: ["fr", "en"],
    });
    const { campaign } = await createCampaign({
      rpcUrl: stack.rpcUrl,
      privateKey: hardhatKey(ROLES.organiser),
      factory: stack.factory,
      params: campaignParams(now, {
        token,
        pledgeDeadline: deadline,
        finalLock,
        actionDate,
        oracleWindow: 3n * DAY,
        claimWindow: 30n * DAY,
        supportCap: EUR(100),
        conditions: [5_000, 10_000],
        oracle,
        metadataHash: hash,
        ladder: [2, 5, 10, 20],
      }),
      metadataURI: uri,
      salt: keccak256(toHex(salt)),
    });
    return campaign;
  }

  /** Pledges [level, support in euros, condition] with fresh keys (or the ones given), in one batch. */
  async function pledge(campaign: Address, items: [number, number, number, Hex?][]) {
    const signed = await Promise.all(
      items.map(([level, support, condition, key]) =>
        signPledge(privateKeyToAccount(key ?? generatePrivateKey()), campaign, stack.chainId, {
          level,
          support: EUR(support),
          condition,
          nonce: 0,
        }),
      ),
    );
    const receipt = await send(
      await organiser.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "pledgeBatch",
        args: [encodePledges(signed)],
      }),
    );
    const [counts] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" });
    assert.ok(receipt.logs.length >= items.length, "every pledge recorded");
    return counts;
  }

  async function donate(campaign: Address, level: number, euros: number) {
    await send(
      await donor.writeContract({
        address: token,
        abi: artifact.abi,
        functionName: "approve",
        args: [campaign, EUR(euros)],
      }),
    );
    await send(
      await donor.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "donate",
        args: [BigInt(level), EUR(euros)],
      }),
    );
  }

  await step(
    "conditions: the organiser offers none / at least half / all to a campaign with support, checked before the wallet opens (360 px, fr)",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: true, lang: "fr-FR", width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/create`);
      await page.getByTestId("who-needs-wallet").waitFor();
      // no support cap: nothing to cover, no condition offered
      assert.equal(await page.getByTestId("create-conditions").count(), 0);
      await page.locator("#f-cap").fill("0,02");
      assert.equal(await page.getByTestId("create-conditions").inputValue(), "proposed");
      await page.getByTestId("create-conditions").selectOption("custom");
      await page.locator("#f-conditionsCustom").fill("50, 25");
      await page
        .getByRole("button", { name: /Connecter un portefeuille/ })
        .first()
        .click();
      await page.getByRole("button", { name: "Créer la campagne" }).click();
      assert.equal(
        await page.locator("#e-conditionsCustom").innerText(),
        "Deux pourcentages au plus, croissants, chacun au-dessus de 0 et au plus 100, par exemple 50, 100.",
      );
      await noOverflow(page, "create page with conditions", 360);
      await shot(page, "conditions-create-360-fr");
      await page.locator("#f-conditionsCustom").fill("50, 100");
      await page.getByRole("button", { name: "Créer la campagne" }).click();
      // checked again: the conditions are right now, the title still missing
      await page.locator("#e-conditionsCustom").waitFor({ state: "detached" });
      assert.equal(await page.locator("#e-title").innerText(), "Il faut un titre.");
      await ctx.close();
    },
  );

  const open = await campaign(
    "Grève des soignantes / Care workers' strike",
    now + 10n * DAY,
    DAY,
    `conditions-e2e-open-${now}`,
  );
  const counts = await pledge(open, [
    [1, 75, 2],
    [1, 75, 2],
    [2, 50, 0],
    [2, 50, 0],
    [2, 0, 0],
    [2, 0, 0],
    [2, 80, 1],
  ]);
  assert.deepEqual(counts, [2, 5, 0, 0]);
  await donate(open, 1, 150);

  let halfReceipt = "";
  await step(
    "conditions: a striker pledges 'at least half' of a day's pay on a phone in French; the receipt says it counts now, with the coverage",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: true, lang: "fr-FR", width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/c/${open}`);
      await page.getByTestId("chart-visual").waitFor();
      // C(5) = 7, but the two "all" pledges at threshold 2 are out: 5 would strike now
      assert.equal(await page.getByTestId("crowd-committed").innerText(), "5 feraient grève maintenant");
      assert.equal(await page.getByTestId("crowd-uncovered").innerText(), "2 attendent que leur soutien soit couvert");
      await page.getByTestId("pledge-level").selectOption("2");
      // no support asked: no condition offered
      assert.equal(await page.getByTestId("condition-picker").count(), 0);
      await page.getByTestId("pledge-support").fill("75");
      await page.getByTestId("condition-picker").waitFor();
      assert.ok(await page.getByTestId("condition-0").isChecked());
      // a tired person's "at least" amounts: explained, never taken
      for (const bad of ["trente-sept", "-5", "1e9"]) {
        await page.getByTestId("condition-at-least").fill(bad);
        assert.equal(
          await page.getByTestId("condition-at-least-said").innerText(),
          "Saisissez un montant en chiffres, par exemple 37,50.",
        );
      }
      await page.getByTestId("condition-at-least").fill("1000000000");
      assert.equal(
        await page.getByTestId("condition-at-least-said").innerText(),
        `Ce ne peut pas être plus que votre demande (75,00${NBSP}€)${NB}: baissez-le, ou demandez plus de soutien.`,
      );
      await page.getByTestId("condition-at-least").fill("37,5");
      assert.ok(await page.getByTestId("condition-1").isChecked(), "37,50 € is at least half of 75 €");
      assert.equal(
        await page.getByTestId("condition-at-least-said").innerText(),
        `Choisi${NB}: «${NB}Au moins la moitié couverte${NB}». Si votre engagement compte, vous recevez au moins 37,50${NBSP}€.`,
      );
      assert.match(
        await page.getByTestId("condition-sentence").innerText(),
        new RegExp(
          `^Je fais grève le \\d+ \\S+ \\d{4} si 5 personnes font de même et si au moins la moitié de ma journée de salaire \\(75,00${NBSP}€\\) est couverte\\.$`,
        ),
      );
      assert.equal(
        await page.getByTestId("condition-beneath").innerText(),
        `Si la caisse ne peut pas couvrir autant, mon engagement ne compte pas et je ne suis pas tenu·e. S’il compte, je reçois la même part de ma demande que chaque gréviste soutenu·e${NB}: au moins la moitié.`,
      );
      await noOverflow(page, "pledge flow with a condition", 360);
      await shot(page, "conditions-pledge-choose-360-fr");
      await axe(page, "conditions-pledge-choose-360-fr");
      await page.getByTestId("pledge-button").click();
      await page.getByTestId("recap-condition").waitFor();
      // with this pledge the half group asks 155 of 150 donated, at least half covered: 150 / 255
      assert.match(
        await page.getByTestId("recap-prospect").innerText(),
        new RegExp(`^Si vous vous engagez maintenant${NB}: votre engagement compterait, couverture 58,8${SP}%\\.$`),
      );
      await noOverflow(page, "recap with a condition", 360);
      await shot(page, "conditions-pledge-recap-360-fr");
      await page.getByTestId("recap-confirm").click();
      halfReceipt = await page.getByTestId("receipt-link").inputValue();
      await sendFromFlow(page);
      await page.getByTestId("pledge-standing").waitFor();
      assert.equal(
        await page.getByTestId("pledge-status").innerText(),
        `Mon engagement${NB}: si au moins 5 personnes font grève.`,
      );
      assert.equal(
        await page.getByTestId("pledge-condition").innerText(),
        `Condition${NB}: Au moins la moitié couverte.`,
      );
      assert.equal(await page.getByTestId("pledge-standing").getAttribute("data-counted"), "yes");
      // floor(75 · 150 / 255) = 44.117647 €, shown rounded down
      assert.match(
        await page.getByTestId("pledge-standing").innerText(),
        new RegExp(
          `^Compté en ce moment, couverture 58,8${SP}%${NB}: 44,11${NBSP}€ de votre demande si cela reste ainsi\\.$`,
        ),
      );
      await noOverflow(page, "receipt with a condition", 360);
      await shot(page, "conditions-receipt-counted-360-fr");
      await axe(page, "conditions-receipt-counted-360-fr");
      await ctx.close();
    },
  );

  let allReceipt = "";
  await step(
    "conditions: a pledge with 'all' does not count yet; its receipt says how much more donated would let its group in",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: true, lang: "en-GB", width: 1280 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/c/${open}`);
      await page.getByTestId("chart-visual").waitFor();
      await page.getByTestId("pledge-level").selectOption("2");
      await page.getByTestId("pledge-support").fill("75");
      await page.getByTestId("condition-2").check();
      assert.match(
        await page.getByTestId("condition-sentence").innerText(),
        /^I strike on \d+ \S+ \d{4} if 5 people do and if all of my day’s pay \(€75\.00\) is covered\.$/,
      );
      await shot(page, "conditions-pledge-choose-1280-en");
      await page.getByTestId("pledge-button").click();
      assert.equal(
        await page.getByTestId("recap-prospect").innerText(),
        "If you pledge now: your pledge would not count yet.",
      );
      await page.getByTestId("recap-confirm").click();
      allReceipt = await page.getByTestId("receipt-link").inputValue();
      await sendFromFlow(page);
      await page.getByTestId("pledge-standing").waitFor();
      assert.equal(await page.getByTestId("pledge-standing").getAttribute("data-counted"), "no");
      // every request of the groups up to it (100 + 155 + 150 + 75 = 480) against 150 donated
      assert.equal(
        await page.getByTestId("pledge-standing").innerText(),
        "Not counted yet: €330.00 more donated at a threshold of 5 people or less would let your group in.",
      );
      assert.equal(
        await page.getByTestId("pledge-outcome").innerText(),
        "Right now your pledge would not be triggered.",
      );
      await shot(page, "conditions-receipt-not-counted-1280-en");
      await axe(page, "conditions-receipt-not-counted-1280-en");
      await ctx.close();
    },
  );

  await step("conditions: the not-counted receipt on a phone in French", async () => {
    const ctx = await newContext(browser, stack, { wallet: false, lang: "fr-FR", width: 360 });
    const page = await ctx.newPage();
    page.setDefaultTimeout(timeout);
    await page.goto(allReceipt);
    await page.getByTestId("pledge-standing").waitFor();
    assert.equal(
      await page.getByTestId("pledge-standing").innerText(),
      `Pas encore compté${NB}: 330,00${NBSP}€ de dons en plus à un seuil de 5 personnes ou moins feraient entrer votre groupe.`,
    );
    await noOverflow(page, "receipt not counted", 360);
    await shot(page, "conditions-receipt-not-counted-360-fr");
    await ctx.close();
  });

  const panelWant = {
    en: {
      coverage: "Coverage now: every counted request is covered at 58.8%.",
      rows: [
        "No condition — 4 count now, of 4 pledges.",
        "At least half covered — 2 count now, of 2 pledges.",
        "All covered — none counts now, of 3 pledges.",
      ],
      half: "At least half covered, threshold 5: 2 pledges, €155.00 requested. This group can take €45.00 more requests before it stops counting.",
      all2: "All covered, threshold 2: 2 pledges, €150.00 requested. Does not count now.",
    },
    fr: {
      coverage: new RegExp(`^Couverture en ce moment${NB}: chaque demande comptée est couverte à 58,8${SP}%\\.$`),
      rows: [
        "Sans condition — 4 comptent en ce moment, sur 4 engagements.",
        "Au moins la moitié couverte — 2 comptent en ce moment, sur 2 engagements.",
        "Toute la demande couverte — aucun ne compte en ce moment, sur 3 engagements.",
      ],
      half: `Au moins la moitié couverte, seuil 5${NB}: 2 engagements, 155,00${NBSP}€ demandés. Ce groupe peut encore recevoir 45,00${NBSP}€ de demandes avant de ne plus compter.`,
      all2: `Toute la demande couverte, seuil 2${NB}: 2 engagements, 150,00${NBSP}€ demandés. Ne compte pas en ce moment.`,
    },
  };
  for (const [lang, locale] of [
    ["fr", "fr-FR"],
    ["en", "en-GB"],
  ] as const) {
    for (const width of [360, 1280]) {
      await step(
        `conditions: the campaign page shows per condition how many count and the coverage, and each group's slack (${width} px, ${lang})`,
        async () => {
          const ctx = await newContext(browser, stack, { wallet: false, lang: locale, width });
          const page = await ctx.newPage();
          page.setDefaultTimeout(timeout);
          await page.goto(`${stack.url}#/c/${open}`);
          await page.getByTestId("conditions-panel").waitFor();
          const want = panelWant[lang];
          const coverage = await page.getByTestId("conditions-coverage").innerText();
          if (typeof want.coverage === "string") assert.equal(coverage, want.coverage);
          else assert.match(coverage, want.coverage);
          for (const [k, row] of want.rows.entries())
            assert.equal(await page.getByTestId(`condition-row-${k}`).innerText(), row);
          // the slack comes from a worker (a binary search over resolutions per group)
          await page.getByTestId("bucket-2-1").getByTestId("bucket-slack").waitFor();
          assert.equal(await page.getByTestId("bucket-2-1").innerText(), want.half);
          assert.equal(await page.getByTestId("bucket-1-2").innerText(), want.all2);
          assert.equal(await page.getByTestId("bucket-2-2").getAttribute("data-binds"), "no");
          await noOverflow(page, "campaign page with conditions", width);
          await page.getByTestId("conditions-panel").scrollIntoViewIfNeeded();
          await shot(page, `conditions-campaign-${width}-${lang}`);
          await axe(page, `conditions-campaign-${width}-${lang}`);
          await ctx.close();
        },
      );
    }
  }

  await step(
    "conditions: a donation of what the receipt asked lets the group in; the receipt and the page follow",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: false, lang: "en-GB", width: 1280 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(allReceipt);
      await page.getByTestId("pledge-standing").waitFor();
      await donate(open, 2, 330);
      await page.locator("[data-testid=pledge-standing][data-counted=yes]").waitFor();
      assert.equal(
        await page.getByTestId("pledge-standing").innerText(),
        "Counted now, coverage 100%: €75.00 of your request if it stays so.",
      );
      await page.goto(`${stack.url}#/c/${open}`);
      await page.getByTestId("conditions-panel").waitFor();
      assert.equal(
        await page.getByTestId("conditions-coverage").innerText(),
        "Coverage now: every counted request is covered at 100%.",
      );
      assert.equal(await page.getByTestId("condition-row-2").innerText(), "All covered — 3 count now, of 3 pledges.");
      await page.getByTestId("bucket-2-2").getByTestId("bucket-slack").waitFor();
      assert.match(
        await page.getByTestId("bucket-2-2").innerText(),
        /This group can take no more request: one more would stop it counting\.$/,
      );
      await shot(page, "conditions-campaign-covered-1280-en");
      await ctx.close();
      // the first receipt follows too: everyone supported is fully covered now
      const fr = await newContext(browser, stack, { wallet: false, lang: "fr-FR", width: 360 });
      const p2 = await fr.newPage();
      p2.setDefaultTimeout(timeout);
      await p2.goto(halfReceipt);
      await p2.locator("[data-testid=pledge-standing][data-counted=yes]").waitFor();
      assert.match(
        await p2.getByTestId("pledge-standing").innerText(),
        new RegExp(
          `^Compté en ce moment, couverture 100${SP}%${NB}: 75,00${NBSP}€ de votre demande si cela reste ainsi\\.$`,
        ),
      );
      await fr.close();
    },
  );

  // The final lock: a campaign whose lock starts 90 s after its creation (chain time), with one
  // conditional pledge made before it, whose key we keep.
  const lockNow = (await client.getBlock({ blockTag: "latest" })).timestamp;
  const locked = await campaign(
    "Grève du rail, verrou final / Rail strike, final lock",
    lockNow + 2n * HOUR,
    2n * HOUR - 90n,
    `conditions-e2e-lock-${lockNow}`,
  );
  const lockedKey = generatePrivateKey();
  const plainKey = generatePrivateKey();
  await pledge(locked, [
    [2, 60, 1, lockedKey],
    [1, 0, 0],
    [2, 40, 0, plainKey],
  ]);
  await donate(locked, 1, 100);
  // The browser wallet's account holds €50 of the token, to donate during the lock.
  const walletAccount = privateKeyToAccount(hardhatKey(ROLES.wallet)).address;
  await send(
    await deployer.writeContract({
      address: token,
      abi: artifact.abi,
      functionName: "mint",
      args: [walletAccount, EUR(50)],
    }),
  );

  await step(
    "conditions: before the final lock, the receipt gives its date and what it will refuse (360 px, en)",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: false, width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/r/${stack.chainId}/${locked}/${plainKey}`);
      await page.getByTestId("pledge-lock-ahead").waitFor();
      assert.match(
        await page.getByTestId("pledge-lock-ahead").innerText(),
        /^Final lock from .+: from then until the deadline, this pledge can no longer be withdrawn nor raised, only lowered\.$/,
      );
      assert.equal(await page.getByTestId("pledge-lock").count(), 0);
      assert.ok(await page.getByTestId("withdraw-pledge").isVisible(), "before the lock, a pledge can be withdrawn");
      await ctx.close();
    },
  );

  await stack.rpc("evm_increaseTime", [120]);
  await stack.rpc("evm_mine");

  for (const [lang, locale, width] of [
    ["fr", "fr-FR", 360],
    ["en", "en-GB", 1280],
  ] as const) {
    await step(
      `conditions: during the final lock a new pledge cannot take a condition, shown with the reason (${width} px, ${lang})`,
      async () => {
        const ctx = await newContext(browser, stack, { wallet: false, lang: locale, width });
        const page = await ctx.newPage();
        page.setDefaultTimeout(timeout);
        await page.goto(`${stack.url}#/c/${locked}`);
        await page.getByTestId("chart-visual").waitFor();
        await page.getByTestId("pledge-level").selectOption("1");
        await page.getByTestId("pledge-support").fill("50");
        await page.getByTestId("condition-locked").waitFor();
        assert.ok(await page.getByTestId("condition-0").isChecked());
        assert.ok(await page.getByTestId("condition-1").isDisabled());
        assert.ok(await page.getByTestId("condition-2").isDisabled());
        assert.equal(await page.getByTestId("condition-at-least").count(), 0);
        assert.equal(
          await page.getByTestId("condition-locked").innerText(),
          lang === "fr"
            ? `Le verrou final a commencé${NB}: un nouvel engagement ne peut plus avoir de condition, pour qu’une demande tardive ne puisse pas exclure tout un groupe de la grève.`
            : "The final lock has begun: a new pledge can no longer have a condition, so that a late request cannot push a whole group out of the strike.",
        );
        await noOverflow(page, "pledge flow in the final lock", width);
        await shot(page, `conditions-lock-new-pledge-${width}-${lang}`);
        await ctx.close();
      },
    );
  }

  await step(
    "conditions: during the final lock a conditional pledge may only lower its support, as its receipt says (360 px, fr)",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: true, lang: "fr-FR", width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/r/${stack.chainId}/${locked}/${lockedKey}`);
      await page.getByTestId("pledge-lock-conditional").waitFor();
      assert.equal(
        await page.getByTestId("pledge-lock-conditional").innerText(),
        `Verrou final${NB}: votre engagement a une condition, donc jusqu’à la date limite vous pouvez seulement baisser votre demande de soutien. Votre seuil et votre condition restent tels quels.`,
      );
      assert.ok(await page.getByTestId("change-level").isDisabled(), "the threshold is frozen");
      // raising the request is refused before anything is signed
      await page.getByTestId("change-support").fill("70");
      assert.ok(await page.getByTestId("change-submit").isDisabled());
      await page.getByTestId("change-support").fill("0");
      assert.ok(await page.getByTestId("change-submit").isDisabled(), "not to 0, which would drop the condition");
      await page.getByTestId("change-support").fill("40");
      await page.getByTestId("change-condition-picker").waitFor();
      assert.ok(await page.getByTestId("change-condition-1").isChecked());
      assert.ok(await page.getByTestId("change-condition-0").isDisabled());
      await noOverflow(page, "receipt in the final lock", 360);
      await shot(page, "conditions-lock-receipt-360-fr");
      await axe(page, "conditions-lock-receipt-360-fr");
      await page.getByTestId("change-submit").click();
      const changed = page.getByTestId("pledge-support").getByText(`40,00${NBSP}€`, { exact: false });
      const fallback = page.getByText("Le relais est indisponible", { exact: false });
      if ((await Promise.race([changed.waitFor().then(() => 0), fallback.waitFor().then(() => 1)])) === 1) {
        const connect = page.getByRole("button", { name: /Connecter un portefeuille/ }).first();
        if (await connect.isVisible().catch(() => false)) await connect.click();
        await page.getByRole("button", { name: "Signer et envoyer mon engagement" }).click();
        await changed.waitFor();
      }
      const [level, support, condition] = await client
        .readContract({
          address: locked,
          abi: campaignAbi,
          functionName: "pledgeOf",
          args: [privateKeyToAccount(lockedKey).address],
        })
        .then((p) => [p.level, p.support, p.condition] as const);
      assert.deepEqual([level, support, condition], [2, EUR(40), 1]);
      await ctx.close();
    },
  );

  await step(
    "conditions: during the final lock the receipt offers no withdrawal nor higher threshold or support, and says why (360 px, fr)",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: false, lang: "fr-FR", width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/r/${stack.chainId}/${locked}/${plainKey}`);
      await page.getByTestId("pledge-lock").waitFor();
      assert.match(
        await page.getByTestId("pledge-lock").innerText(),
        new RegExp(
          `^Le verrou final a commencé le .+${NB}: jusqu’à la date limite, vous pouvez baisser votre seuil ou votre soutien, mais plus retirer cet engagement ni le relever\\.$`,
        ),
      );
      assert.equal(await page.getByTestId("pledge-lock-ahead").count(), 0);
      assert.equal(await page.getByTestId("withdraw-pledge").count(), 0, "no withdrawal offered");
      // thresholds 2 and 5 only: the pledge is at 5 and may only go down
      assert.deepEqual(await page.getByTestId("change-level").locator("option:not([disabled])").allInnerTexts(), [
        "au moins 2 personnes",
        "au moins 5 personnes",
      ]);
      await page.getByTestId("change-support").fill("50");
      assert.ok(await page.getByTestId("change-submit").isDisabled());
      assert.equal(
        await page.getByTestId("change-support-error").innerText(),
        `Verrou final${NB}: votre demande de soutien peut seulement baisser, à 40,00${NBSP}€ au plus.`,
      );
      await page.goto(`${stack.url}#/c/${locked}`);
      assert.match(
        await page.getByTestId("final-lock").innerText(),
        new RegExp(`^Le verrou final a commencé le .+${NB}: jusqu’à la date limite, on ne peut plus retirer`),
      );
      await noOverflow(page, "campaign in the final lock", 360);
      await shot(page, "conditions-lock-campaign-360-fr");
      await ctx.close();
    },
  );

  await step(
    "conditions: a donor sees their balance, cannot give more than it, and during the lock is offered no Withdraw (1280 px, en)",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: true, width: 1280 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/c/${locked}`);
      await page.getByRole("button", { name: /Connect a wallet — Test Wallet/ }).click();
      await page.getByTestId("donate-balance").waitFor();
      assert.equal(await page.getByTestId("donate-balance").innerText(), "In your wallet: €50.00.");
      await page.getByTestId("donate-level").selectOption("1");
      await page.getByTestId("donate-amount").fill("60");
      assert.equal(
        await page.getByTestId("donate-above-balance").innerText(),
        "Your wallet holds €50.00: lower the amount, or add funds to your wallet first.",
      );
      assert.ok(await page.getByTestId("donate-submit").isDisabled());
      await page.getByTestId("donate-amount").fill("10");
      await page.getByTestId("donate-submit").click();
      await page.getByTestId("donated").waitFor();
      await page.getByTestId("donate-locked").waitFor();
      assert.match(
        await page.getByTestId("donate-locked").innerText(),
        /^The final lock has begun: donations can no longer be withdrawn\./,
      );
      assert.equal(await page.locator(".my-donations").getByRole("button", { name: "Withdraw" }).count(), 0);
      await page.getByTestId("donate-balance").getByText("In your wallet: €40.00.").waitFor();
      await shot(page, "conditions-lock-donor-1280-en");
      await axe(page, "conditions-lock-donor-1280-en");
      await ctx.close();
    },
  );
}
