/**
 * The core flow of the dApp in Chromium, against the seeded demo stack: the list and a campaign
 * page, a pledge without a wallet through the relayer and its receipt, a change and a withdrawal,
 * donations with an injected wallet and with an EIP-2612 permit, the wallet fallback when the
 * relayer is down, the organiser's form, the keyboard alone, resolution after the deadline, claims
 * (relayed, and with a proof of participation), refunds, surplus and remainder, the verify page,
 * French and English, and human error messages; no third-party request. Runs first, before the
 * feature suites (frontend/e2e/run.ts), on the demo's campaigns as seeded.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createPublicClient, erc20Abi, http, zeroHash } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { campaignAbi } from "@bascule/core/generated/abis";
import { axe, newContext, shot, step, type Suite, thirdParty } from "./harness.js";

export const coreSuite: Suite = async ({ browser, stack, timeout }) => {
  const demo = stack.demo!;
  const ctx = await newContext(browser, stack, { wallet: false });
  const page = await ctx.newPage();
  page.setDefaultTimeout(timeout);

  await step("lists open, succeeded and failed campaigns; hides the one with too few pledges", async () => {
    await page.goto(stack.url);
    await page.getByTestId("campaign-card").first().waitFor();
    const cards = await page.getByTestId("campaign-card").count();
    assert.equal(cards, 5);
    const html = await page.content();
    assert.ok(!html.includes(demo.young), "the young campaign is listed");
    await shot(page, "01-list");
    await axe(page, "list");
  });

  await step("campaign page: headline, chart, next tipping point, funds", async () => {
    await page.goto(`${stack.url}#/c/${demo.open}`);
    await page.getByTestId("chart-visual").waitFor();
    const headline = await page.getByTestId("headline").innerText();
    assert.match(headline, /3,125 people have pledged to strike on .+, each if the number they chose is reached\./);
    // C(1,000) = 925 and C(2,000) = 1,925: 75 more tip both, and 75 at 2,000 tip it too (issue 19)
    const next = await page.getByTestId("next-tip").innerText();
    assert.equal(
      next,
      "Next tipping point: 75 more people who choose 2,000 or fewer, and 2,000 people are bound to strike.",
    );
    assert.equal(await page.locator(".rung.next").count(), 1);
    assert.equal(await page.locator(".rung.next .rung-threshold").innerText(), "2,000 people");
    assert.equal(await page.getByTestId("rung-next").innerText(), "next tipping point: 75 more");
    assert.equal(await page.locator(".rung.committed").count(), 9);
    // the main demo campaign counts in a euro stablecoin stand-in: amounts read in euros
    assert.equal(await page.getByTestId("funds-escrowed").innerText(), "€15,000.00");
    await shot(page, "02-campaign");
    await axe(page, "campaign");
  });

  // A second reader keeps the campaign page open: it must update as the pledge arrives.
  const watcher = await ctx.newPage();
  watcher.setDefaultTimeout(timeout);
  await watcher.goto(`${stack.url}#/c/${demo.open}`);
  await watcher.getByText("3,125 people have pledged to strike", { exact: false }).waitFor();

  let receiptUrl = "";
  await step(
    "pledges without a wallet through the relayer, with a receipt link holding the key in the fragment",
    async () => {
      await page.getByTestId("pledge-level").selectOption("10");
      await page.getByTestId("pledge-button").click();
      await page.getByTestId("recap").getByText("if at least 1,000 people pledge the same").waitFor();
      await page.getByTestId("recap-confirm").click();
      const link = await page.getByTestId("receipt-link").inputValue();
      assert.match(link, /#\/r\/31337\/0x[0-9a-fA-F]{40}\/0x[0-9a-f]{64}$/);
      assert.ok(!new URL(link).search, "no query string");
      await page.locator("img.qr").waitFor();
      await shot(page, "03-receipt-before-sending");
      await axe(page, "receipt");
      assert.ok(await page.getByTestId("submit-pledge").isDisabled(), "sending waits for the receipt to be saved");
      await page.getByTestId("saved-confirm").check();
      await page.getByTestId("submit-pledge").click();
      await page.waitForURL(/#\/my\/[0-9a-f]{16}$/);
      receiptUrl = page.url();
      assert.ok(!receiptUrl.includes(link.split("/").pop()!.slice(2)), "the receipt page's address holds no key");
      await page.getByText("Pledged: if at least 1,000 people strike.").waitFor();
      await page.goto(`${stack.url}#/c/${demo.open}`);
      await page.getByText("3,126 people have pledged to strike", { exact: false }).waitFor();
    },
  );

  await step(
    "an open campaign page updates by itself as pledges arrive (watched events, periodic refresh)",
    async () => {
      await watcher.getByText("3,126 people have pledged to strike", { exact: false }).waitFor();
      assert.match(await watcher.getByTestId("rung").nth(9).innerText(), /926 of 1,000 · 74 missing/);
      await watcher.close();
    },
  );

  await step("changes and withdraws the pledge with its receipt", async () => {
    await page.goto(receiptUrl);
    await page.getByTestId("change-level").selectOption("2");
    await page.getByTestId("change-submit").click();
    await page.getByText("Pledged: if at least 2 people strike.").waitFor();
    await page.getByTestId("withdraw-pledge").click();
    await page.getByTestId("withdraw-confirm").waitFor();
    await page.getByTestId("withdraw-yes").click();
    await page.getByTestId("pledge-status").getByText("You withdrew this pledge").waitFor();
    await page.getByTestId("receipt-status").getByText("Your withdrawal is recorded.").waitFor();
    // said once: the status adds what is new, not the pledge's state again (issue 19)
    assert.equal(await page.getByText("you are not committed", { exact: false }).count(), 1);
    await shot(page, "04-withdrawn");
  });

  let claimUrl = "";
  let claimLink = "";
  await step("pledges with a support request for the claim later", async () => {
    await page.goto(`${stack.url}#/c/${demo.open}`);
    await page.getByTestId("pledge-level").selectOption("1");
    await page.getByTestId("pledge-support").fill("0.02");
    await page.getByTestId("pledge-button").click();
    await page.getByTestId("recap-confirm").click();
    // the open campaign pays support only to confirmed strikers (its oracle is the keeper)
    claimLink = await page.getByTestId("receipt-link").inputValue();
    const claimKey = privateKeyToAccount(claimLink.split("/").pop() as `0x${string}`).address;
    writeFileSync(path.join(stack.participationDir, `${demo.open.toLowerCase()}.json`), JSON.stringify([claimKey]));
    await page.getByTestId("saved-confirm").check();
    await page.getByTestId("submit-pledge").click();
    await page.waitForURL(/#\/my\//);
    claimUrl = page.url();
    await page.getByText("Right now your pledge would be triggered", { exact: false }).waitFor();
  });

  let oracleReceipt = "";
  await step("pledges in a campaign with a participation oracle; the organiser confirms the key", async () => {
    await page.goto(`${stack.url}#/c/${demo.oracleCampaign}`);
    await page.getByTestId("pledge-level").selectOption("1");
    await page.getByTestId("pledge-support").fill("0.05");
    await page.getByTestId("pledge-button").click();
    await page.getByTestId("recap-confirm").click();
    const link = await page.getByTestId("receipt-link").inputValue();
    await page.getByTestId("saved-confirm").check();
    await page.getByTestId("submit-pledge").click();
    await page.waitForURL(/#\/my\//);
    oracleReceipt = page.url();
    const key = privateKeyToAccount(link.split("/").pop() as `0x${string}`).address;
    writeFileSync(
      path.join(stack.participationDir, `${demo.oracleCampaign.toLowerCase()}.json`),
      JSON.stringify([key]),
    );
  });

  const wctx = await newContext(browser, stack, { wallet: true });
  const wpage = await wctx.newPage();
  wpage.setDefaultTimeout(timeout);
  await step("donates with an injected wallet (EIP-6963), and withdraws a donation before the deadline", async () => {
    await wpage.goto(`${stack.url}#/c/${demo.open}`);
    await wpage.getByRole("button", { name: /Connect a wallet — Test Wallet/ }).click();
    await wpage.getByTestId("wallet-address").waitFor();
    for (const [level, amount] of [
      ["1", "0.5"],
      ["12", "0.2"],
      ["2", "0.1"],
    ]) {
      await wpage.getByTestId("donate-level").selectOption(level);
      await wpage.getByTestId("donate-amount").fill(amount);
      await wpage.getByTestId("donate-submit").click();
      await wpage.getByTestId("donate-amount").and(wpage.locator('[value=""]')).waitFor();
    }
    await wpage.getByTestId("donation-7").getByRole("button", { name: "Withdraw" }).click();
    await wpage.getByTestId("donation-7").getByRole("button", { name: "Withdraw" }).waitFor({ state: "detached" });
    await shot(wpage, "05-donated");
    await axe(wpage, "donations");
  });

  await step("donates the campaign's token with an EIP-2612 permit (one transaction, no approval)", async () => {
    await wpage.goto(`${stack.url}#/c/${demo.tokenCampaign}`);
    await wpage.getByTestId("donate-level").selectOption("3");
    await wpage.getByTestId("donate-amount").fill("12,5");
    await wpage.getByTestId("donate-submit").click();
    await wpage.getByTestId("donation-1").waitFor();
    assert.match(await wpage.getByTestId("donation-1").innerText(), /€12\.50/);
    assert.match(await wpage.getByTestId("funds-escrowed").innerText(), /€112\.50/);
  });

  await step("falls back to the connected wallet when the relayer is unreachable", async () => {
    await wctx.route("**/relayer/**", (route) => route.abort());
    await wpage.goto(`${stack.url}#/c/${demo.tokenCampaign}`);
    await wpage.getByTestId("pledge-level").selectOption("4");
    await wpage.getByTestId("pledge-button").click();
    await wpage.getByTestId("recap-confirm").click();
    await wpage.getByTestId("saved-confirm").check();
    await wpage.getByTestId("submit-pledge").click();
    await wpage
      .getByTestId("error")
      .getByText("The relayer that sends pledges for free cannot be reached.", { exact: false })
      .waitFor();
    await shot(wpage, "06-relayer-down");
    await wpage.getByTestId("submit-wallet").click();
    await wpage.waitForURL(/#\/my\//);
    await wpage.getByText("Pledged: if at least 50 people strike.").waitFor();
    await wctx.unroute("**/relayer/**");
  });

  await step("organiser: the form is checked before any transaction, then creates a campaign", async () => {
    await wpage.goto(`${stack.url}#/create`);
    await wpage.getByRole("button", { name: "Create the campaign" }).click();
    await wpage.getByText("A title is needed.").waitFor();
    await wpage.getByText("Choose the day and the time at which pledges close.").waitFor();
    await axe(wpage, "create-with-errors");
    await wpage.getByLabel("Title").fill("Grève test / Test strike");
    await wpage.getByLabel("Pledge deadline").fill("2030-06-01T12:00");
    await wpage.getByLabel("Action date").fill("2030-06-02");
    await wpage.getByLabel("Largest number").fill("200");
    await wpage.getByText("1 · 2 · 5 · 10 · 20 · 50 · 100 · 200").waitFor();
    await wpage.getByLabel(/ERC-20 token address/).fill(demo.token);
    await wpage.getByLabel("Support cap per beneficiary (tEUR)").fill("25");
    // a support cap needs a gate (MECHANISM "Gates"): the form says so before any transaction
    await wpage.getByRole("button", { name: "Create the campaign" }).click();
    await wpage
      .getByText("A support cap above 0 needs an attester or a participation oracle", { exact: false })
      .waitFor();
    await wpage.getByLabel("Attester address (optional)").fill("0x000000000000000000000000000000000000a77e");
    await wpage.getByRole("button", { name: "Create the campaign" }).click();
    await wpage.waitForURL(/#\/c\/0x/);
    await wpage.getByText("Nobody has pledged yet to strike on 2 June 2030.").waitFor();
    // The cap was read in the token's 6 decimals, not 18.
    await wpage.getByText("I need support to afford it (optional, up to €25.00)").waitFor();
    assert.equal(await wpage.locator("h1").innerText(), "Grève test / Test strike");
    await shot(wpage, "05b-created");
  });

  const ectx = await newContext(browser, stack, { wallet: false, lang: "fr-FR" });
  const epage = await ectx.newPage();
  epage.setDefaultTimeout(timeout);
  await step("the pledge form works with the keyboard alone", async () => {
    await epage.goto(`${stack.url}#/c/${demo.open}`);
    await epage.getByTestId("pledge-level").waitFor();
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await epage.keyboard.press("Tab");
      found = await epage.evaluate(() => document.activeElement?.id === "pledge-level");
    }
    assert.ok(found, "the level selector is reachable with Tab");
    assert.equal(await epage.getByTestId("pledge-level").inputValue(), "0", "no threshold is preselected");
    await epage.keyboard.press("ArrowDown");
    assert.equal(await epage.getByTestId("pledge-level").inputValue(), "1");
    await epage.keyboard.press("Tab"); // support request
    await epage.keyboard.press("Tab"); // pledge button
    assert.equal(
      await epage.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid),
      "pledge-button",
    );
    await epage.keyboard.press("Enter");
    await epage.getByTestId("recap").waitFor();
    assert.equal(
      await epage.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid),
      "recap-confirm",
    );
    await epage.keyboard.press("Enter");
    await epage.getByTestId("receipt-link").waitFor();
  });

  await step("after the deadline (time travel), the campaign is resolved and shows its outcome", async () => {
    await stack.rpc("evm_increaseTime", [15 * 86400]);
    await stack.rpc("evm_mine");
    await wpage.goto(`${stack.url}#/c/${demo.open}`);
    await wpage.reload();
    const outcome = wpage.getByTestId("outcome");
    const resolveButton = wpage.getByTestId("resolve");
    // The keeper resolves it if it runs; otherwise anyone can, from the dApp.
    await Promise.race([outcome.waitFor(), resolveButton.waitFor()]);
    if (await resolveButton.isVisible().catch(() => false)) await resolveButton.click();
    await outcome.waitFor();
    assert.match(await wpage.getByTestId("headline").innerText(), /^776 people are bound to strike on /);
    assert.match(
      await outcome.innerText(),
      /They had accepted a strike of 500 or fewer\. 2,350 people whose threshold was not reached are free\./,
    );
    await shot(wpage, "06-resolved");
  });

  await step("claims support from the receipt, relayed, to another address", async () => {
    // The oracle campaign's window is open now and the 7-day jump below would close it: let the
    // keeper publish its participation root first (it polls every second).
    const chain = createPublicClient({ transport: http(stack.rpcUrl) });
    const [oracleEnd] = await chain.readContract({
      address: demo.oracleCampaign,
      abi: campaignAbi,
      functionName: "windows",
    });
    const [oracleParams] = await chain.readContract({
      address: demo.oracleCampaign,
      abi: campaignAbi,
      functionName: "parameters",
    });
    const chainTime = (await chain.getBlock()).timestamp;
    if (chainTime >= oracleParams.actionDate && chainTime <= oracleEnd) {
      const waitUntil = Date.now() + 60_000;
      while (
        (await chain.readContract({ address: demo.oracleCampaign, abi: campaignAbi, functionName: "status" }))
          .participationRoot === zeroHash
      ) {
        if (Date.now() > waitUntil)
          throw new Error("the keeper did not publish the oracle campaign's participation root in its window");
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    // The main campaign's oracle (the keeper) publishes who struck after the action date.
    await stack.rpc("evm_increaseTime", [7 * 86400]);
    await stack.rpc("evm_mine");
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const until = Date.now() + 60_000;
    while (
      (await client.readContract({ address: demo.open, abi: campaignAbi, functionName: "status" }))
        .participationRoot === zeroHash
    ) {
      if (Date.now() > until) throw new Error("the keeper did not publish the main campaign's participation root");
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.goto(claimUrl);
    // The oracle (the keeper) has published and the relayer has this key's proof: the receipt says the
    // striker is on the list, with the amount and the claim deadline, before any click.
    await page.locator('[data-testid="claimable"]', { hasText: "You are on the list" }).waitFor();
    assert.equal(await page.getByTestId("claimable").getAttribute("data-entitlement"), "NeedsProof");
    assert.match(
      await page.getByTestId("claimable").innerText(),
      /^You are on the list of those who took part: you can claim .+ until .+\. The proof is attached for you\.$/,
    );
    await shot(page, "07-claim-entitlement");
    // The same sentence on a phone and in French, from the receipt link in fresh browsers.
    for (const [locale, width] of [
      ["fr-FR", 360],
      ["fr-FR", 1280],
      ["en-GB", 360],
    ] as const) {
      const other = await newContext(browser, stack, { wallet: false, lang: locale, width });
      const p = await other.newPage();
      p.setDefaultTimeout(timeout);
      await p.goto(claimLink);
      const claimable = p.getByTestId("claimable");
      await claimable.waitFor();
      if (locale === "fr-FR") {
        await p.locator('[data-testid="claimable"]', { hasText: "Vous figurez sur la liste" }).waitFor();
        assert.match(
          await claimable.innerText(),
          /^Vous figurez sur la liste des participant·es\s: vous pouvez réclamer .+ jusqu’au .+\. La preuve est jointe pour vous\.$/,
        );
      }
      await shot(p, `07-claim-entitlement-${locale.slice(0, 2)}-${width}`);
      await other.close();
    }
    // a burn address or the campaign itself would lose the support: refused before anything is signed
    for (const lost of ["0x0000000000000000000000000000000000000000", "0x000000000000000000000000000000000000dEaD"]) {
      await page.getByTestId("payee").fill(lost);
      await page
        .getByTestId("payee-error")
        .getByText("This address burns what it receives", { exact: false })
        .waitFor();
      assert.ok(await page.getByTestId("claim-submit").isDisabled());
    }
    await page.getByTestId("payee").fill(stack.factory);
    await page
      .getByTestId("payee-error")
      .getByText("This is the address of a Bascule contract", { exact: false })
      .waitFor();
    const payee = "0x000000000000000000000000000000000000cafe";
    await page.getByTestId("payee").fill(payee);
    await page.getByTestId("claim-submit").click();
    await page.getByTestId("claimed").waitFor();
    await axe(page, "my-pledge");
    const paid = await client.readContract({
      address: demo.token,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [payee],
    });
    assert.ok(paid > 0n, "the payee was paid, in the campaign's token");
    await shot(page, "07-claimed");
  });

  await step("claims with the proof of participation attached once the oracle has published", async () => {
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await client.readContract({
        address: demo.oracleCampaign,
        abi: campaignAbi,
        functionName: "status",
      });
      if (status.participationRoot !== zeroHash) break;
      if (Date.now() > deadline) throw new Error("the keeper did not publish the participation root");
      await new Promise((r) => setTimeout(r, 500));
    }
    await page.goto(oracleReceipt);
    await page.getByTestId("claimable").waitFor();
    await page.getByTestId("payee").fill("0x000000000000000000000000000000000000bEEF");
    await page.getByTestId("claim-submit").click();
    await page.getByTestId("claimed").waitFor();
    await page.getByText("Proof of participation attached.").waitFor();
  });

  await step("refunds an untriggered donation and returns a triggered one's surplus", async () => {
    await wpage.reload();
    await wpage
      .getByTestId("donation-6")
      .getByRole("button", { name: /Refund/ })
      .click();
    await wpage.getByTestId("donation-6").getByRole("button", { name: "Nothing to take back now" }).waitFor();
    await wpage
      .getByTestId("donation-5")
      .getByRole("button", { name: /Take back surplus/ })
      .click();
    await wpage.getByTestId("donation-5").getByRole("button", { name: "Nothing to take back now" }).waitFor();
    await shot(wpage, "08-refunded");
  });

  await step("after the claim window, a triggered donor takes back its share of the unclaimed support", async () => {
    // 15 + 7 + 33 = 55 days after seeding: past the main campaign's claim window (action 21 + oracle 3 + claim 30), still before the scale suite's deadlines
    await stack.rpc("evm_increaseTime", [33 * 86400]);
    await stack.rpc("evm_mine");
    await wpage.reload();
    await wpage
      .getByTestId("donation-5")
      .getByRole("button", { name: /Take back remainder/ })
      .click();
    await wpage.getByTestId("donation-5").getByRole("button", { name: "Nothing to take back now" }).waitFor();
  });

  await step("verify page: the result recomputed from events matches the contract", async () => {
    await page.goto(`${stack.url}#/v/${demo.open}`);
    await page.getByTestId("verify-result").waitFor();
    assert.match(await page.getByTestId("verify-result").innerText(), /Matches the contract/);
    assert.match(await page.getByTestId("metadata-check").innerText(), /matches its on-chain hash/);
    await shot(page, "09-verify");
    await axe(page, "verify");
  });

  await step("switches language to French and back; follows the browser's language", async () => {
    await page.goto(`${stack.url}#/c/${demo.succeeded}`);
    await page.getByTestId("outcome").waitFor();
    await page.getByTestId("lang-switch").click();
    await page.getByText("11 personnes sont tenues de faire grève le", { exact: false }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "fr");
    await shot(page, "10-french");
    await page.getByTestId("lang-switch").click();
    await page.getByText("11 people are bound to strike on", { exact: false }).waitFor();
    const fctx = await newContext(browser, stack, { wallet: false, lang: "fr-FR", width: 360 });
    const fpage = await fctx.newPage();
    fpage.setDefaultTimeout(timeout);
    await fpage.goto(`${stack.url}#/c/${demo.failed}`);
    await fpage
      .getByText("Aucun seuil n’a été atteint\u202f: personne n’est tenu de faire grève", { exact: false })
      .waitFor();
    const overflow = await fpage.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, "no horizontal scrolling at 360 px");
    await shot(fpage, "11-phone-french");
    await axe(fpage, "phone-french");
    await fctx.close();
  });

  await step("human error message: a pledge sent after the deadline is refused, in the person's language", async () => {
    await epage.getByTestId("saved-confirm").check();
    await epage.getByTestId("submit-pledge").click();
    const alert = epage.getByTestId("error");
    await alert.waitFor();
    assert.match(await alert.innerText(), /date limite est passée/);
    await shot(epage, "12-error-deadline-french");
    await ectx.close();
  });

  await step("human error message: the blockchain node is unreachable", async () => {
    const rctx = await newContext(browser, stack, { wallet: false, lang: "fr-FR" });
    await rctx.route("**/rpc", (route) => route.fulfill({ status: 502, body: "bad gateway" }));
    const rpage = await rctx.newPage();
    rpage.setDefaultTimeout(timeout);
    await rpage.goto(`${stack.url}#/c/${demo.open}`);
    await rpage
      .getByTestId("error")
      .getByText("La blockchain est injoignable pour l’instant", { exact: false })
      .waitFor();
    await shot(rpage, "13-rpc-down-french");
    await rctx.close();
  });

  await step("no third-party request was made", async () => {
    assert.deepEqual(thirdParty, []);
  });
  await wctx.close();
  await ctx.close();
};
