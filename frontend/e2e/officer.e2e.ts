/**
 * A union officer with only a wallet and the browser (issue 19, item 9), in French on a 360 px phone:
 * creates a union campaign in euros with invite codes (the code checker deployed from the create
 * page, the key made and bound at the union's service with the password typed once) and a payout
 * desk typed in the form; prints the codes with no second password; a member redeems a code and
 * pledges; the officer checks the member in and sends the list for publication (signed, no file
 * copied anywhere); the keeper publishes it; the member claims through the desk, and the desk page
 * says what it owes in euros, to the cent. Screenshots: test-results/e2e/officer-0*.png.
 */
import assert from "node:assert/strict";
import { type Address, createPublicClient, createWalletClient, erc20Abi, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhatKey, ROLES } from "../../scripts/demo/accounts.js";
import { chainFor } from "../../scripts/lib/deployment.js";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { axe, layoutFaults, newContext, shot, step, type Suite, until } from "./harness.js";

const ZERO_ROOT = `0x${"00".repeat(32)}`;

export const officerSuite: Suite = async ({ browser, stack, timeout }) => {
  const attester = stack.attester!;
  const demo = stack.demo!;
  const client = createPublicClient({ transport: http(stack.rpcUrl) });
  const officerCtx = await newContext(browser, stack, { wallet: true, lang: "fr-FR", width: 360 });
  const officer = await officerCtx.newPage();
  officer.setDefaultTimeout(timeout);
  const desk = privateKeyToAccount(hardhatKey(12)).address;
  let campaign: Address | null = null;
  let codes: string[] = [];
  let receiptLink = "";
  let attendance = "";
  const noSideScroll = async (p: typeof officer, what: string) =>
    assert.equal(
      await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1),
      false,
      `${what}: no horizontal scrolling at 360 px`,
    );

  await step("officer: creates a union campaign with invite codes and a payout desk from the create page", async () => {
    const now = Number((await client.getBlock()).timestamp);
    await officer.goto(`${stack.url}#/create`);
    await officer.getByRole("button", { name: /Connecter un portefeuille/ }).click();
    await officer.getByRole("button", { name: "Créer la campagne" }).waitFor();
    // The chain's clock, in this browser's time zone (earlier suites moved the chain ahead).
    // The chain's clock, in the browser's time zone (this process's: Chromium inherits it), since
    // earlier suites moved the chain ahead of the wall clock.
    const at = new Date((now + 3 * 86_400) * 1000);
    const pad = (n: number) => String(n).padStart(2, "0");
    const dayOf = (x: Date) => `${x.getFullYear()}-${pad(x.getMonth() + 1)}-${pad(x.getDate())}`;
    const deadline = `${dayOf(at)}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
    const actionDay = dayOf(new Date(at.getTime() + 86_400_000));
    await officer.locator("#f-title").fill("Grève du dépôt — syndiqué·es");
    await officer.locator("#f-preset").selectOption("custom");
    await officer.locator("#f-ladderCustom").fill("1, 5, 10");
    await officer.locator("#f-deadline").fill(deadline);
    await officer.locator("#f-actionDate").fill(actionDay);
    await officer.locator("#f-token").fill(demo.token);
    await officer.locator("#f-cap").fill("20");
    await officer.getByTestId("union-organiser-name").fill("SUD-Rail Lyon");
    await officer.getByTestId("union-invite-codes").check();
    // The union's publishing service becomes the participation oracle, in plain view.
    assert.equal(
      await officer.locator("#f-oracle").inputValue(),
      privateKeyToAccount(hardhatKey(ROLES.keeper)).address,
    );
    assert.equal(await officer.getByTestId("union-attester-url").inputValue(), "./attester");
    await officer.getByTestId("union-token").fill(attester.token);
    await officer.getByTestId("union-desk-add").click();
    // A desk at the zero address is refused before the wallet opens.
    await officer.getByTestId("union-desk-name").fill("Caisse de grève SUD-Rail");
    await officer.getByTestId("union-desk-contact").fill("04 72 00 00 00, caisse@sudrail.example");
    await officer
      .getByTestId("union-desk-instructions")
      .fill("Apportez votre bon de guichet et votre RIB ; virement sous une semaine.");
    await officer.getByTestId("union-desk-address").fill("0x0000000000000000000000000000000000000000");
    await officer.getByRole("button", { name: "Créer la campagne" }).click();
    await officer.getByText("Cette adresse n’appartient à personne\u202f: le soutien envoyé là est perdu.").waitFor();
    await officer.getByTestId("union-desk-address").fill(desk.toLowerCase());
    await noSideScroll(officer, "create");
    await shot(officer, "officer-01-create");
    assert.deepEqual(
      await layoutFaults(officer),
      [],
      "officer-01-create: labels above their fields, nothing wider than 360 px",
    );
    await axe(officer, "officer create 360 fr");
    await officer.getByRole("button", { name: "Créer la campagne" }).click();
    await officer.waitForURL(/#\/union\/0x/, { timeout: 90_000 });
    campaign = officer.url().split("/").pop() as Address;
    const [params] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" });
    assert.equal(params.token.toLowerCase(), demo.token.toLowerCase());
    assert.equal(params.oracle, privateKeyToAccount(hardhatKey(ROLES.keeper)).address);
    assert.notEqual(params.attester, "0x0000000000000000000000000000000000000001");
  });

  await step("officer: prints invite codes on the next page without typing the password again", async () => {
    assert.equal(await officer.getByTestId("attester-token").inputValue(), attester.token);
    // Kept in this tab only: not in localStorage, the address bar or the campaign's description.
    assert.ok(!(await officer.evaluate(() => JSON.stringify({ ...localStorage }))).includes(attester.token));
    assert.ok(!officer.url().includes(attester.token));
    const [created] = await client.getContractEvents({
      address: stack.factory,
      abi: campaignFactoryAbi,
      eventName: "CampaignCreated",
      args: { campaign: campaign! },
      fromBlock: 0n,
    });
    const uri = created.args.metadataURI!;
    const description = Buffer.from(uri.split(",")[1], "base64").toString("utf8");
    assert.ok(!description.includes(attester.token), "the token is in the campaign's description");
    const meta = JSON.parse(description) as {
      organiserName: string;
      payoutDesks: { address: string; contact: string }[];
    };
    assert.equal(meta.organiserName, "SUD-Rail Lyon");
    assert.equal(meta.payoutDesks[0].address, desk);
    await officer.getByTestId("invite-count").fill("2");
    await officer.getByTestId("create-codes").click();
    await officer.getByTestId("invite-card").nth(1).waitFor();
    codes = await officer.getByTestId("invite-code").allInnerTexts();
    assert.equal(codes.length, 2);
    await officer.locator(".card img.qr").nth(1).waitFor();
    await noSideScroll(officer, "codes");
    await shot(officer, "officer-02-codes");
    assert.deepEqual(
      await layoutFaults(officer),
      [],
      "officer-02-codes: labels above their fields, nothing wider than 360 px",
    );
  });

  const memberCtx = await newContext(browser, stack, { wallet: false, lang: "fr-FR", width: 360 });
  const member = await memberCtx.newPage();
  member.setDefaultTimeout(timeout);
  await step("officer: a member redeems a code and pledges with no wallet; a donor gives in euros", async () => {
    await member.goto(`${stack.url}#/c/${campaign}/invite/${codes[0]}`);
    await member.getByTestId("pledge-level").selectOption("1");
    await member.getByTestId("pledge-support").fill("12,345");
    await member.getByTestId("pledge-button").click();
    await member.getByTestId("recap-confirm").click();
    receiptLink = await member.getByTestId("receipt-link").inputValue();
    await member.getByTestId("saved-confirm").check();
    await member.getByTestId("submit-pledge").click();
    await member.getByTestId("pledge-status").waitFor({ timeout: 60_000 });
    const donor = createWalletClient({
      account: privateKeyToAccount(hardhatKey(ROLES.firstDonor + 4)),
      chain: chainFor(stack.chainId, stack.rpcUrl),
      transport: http(stack.rpcUrl),
    });
    const approve = await donor.writeContract({
      address: demo.token,
      abi: erc20Abi,
      functionName: "approve",
      args: [campaign!, 50_000_000n],
    });
    await client.waitForTransactionReceipt({ hash: approve });
    const given = await donor.writeContract({
      address: campaign!,
      abi: campaignAbi,
      functionName: "donate",
      args: [1n, 50_000_000n],
    });
    await client.waitForTransactionReceipt({ hash: given });
    await until("the member's pledge landed", async () => {
      const [counts] = await client.readContract({
        address: campaign!,
        abi: campaignAbi,
        functionName: "levelTallies",
      });
      return counts.reduce((a: bigint, c) => a + BigInt(c), 0n) === 1n;
    });
  });

  await step("officer: checks the member in on the action day and sends the list for publication", async () => {
    const [params] = await client.readContract({ address: campaign!, abi: campaignAbi, functionName: "parameters" });
    const now = (await client.getBlock()).timestamp;
    await stack.rpc("evm_increaseTime", [Number(params.actionDate - now) + 3600]);
    await stack.rpc("evm_mine", []);
    await member.goto(receiptLink);
    await member.getByTestId("attendance-show").click();
    attendance = (await member.getByTestId("attendance-text").innerText()).trim();
    await officer.goto(`${stack.url}#/checkin/${campaign}`);
    await officer.getByTestId("pledged-known").waitFor();
    await officer.getByTestId("attendance-paste").fill(attendance);
    await officer.getByTestId("attendance-add").click();
    await officer.getByTestId("checkin-count").getByText("1 personne pointée.").waitFor();
    await noSideScroll(officer, "check-in");
    await shot(officer, "officer-03-checkin");
    assert.deepEqual(
      await layoutFaults(officer),
      [],
      "officer-03-checkin: labels above their fields, nothing wider than 360 px",
    );
    await officer.getByTestId("publish-send").click();
    await officer
      .getByTestId("publish-sent")
      .getByText(
        "La liste de 1 personne a été envoyée ; elle sera publiée à partir du jour de l’action.".replace(
          " ;",
          "\u202f;",
        ),
      )
      .waitFor();
    await officer.getByTestId("publish-kept").waitFor();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await client.readContract({ address: campaign!, abi: campaignAbi, functionName: "status" });
      if (status.participationRoot !== ZERO_ROOT) break;
      if (Date.now() > deadline) throw new Error("the keeper did not publish the list the officer sent");
      await new Promise((r) => setTimeout(r, 500));
    }
    await officer.getByTestId("publish-done").waitFor();
    await shot(officer, "officer-04-publish");
    assert.deepEqual(
      await layoutFaults(officer),
      [],
      "officer-04-publish: labels above their fields, nothing wider than 360 px",
    );
    await axe(officer, "officer check-in 360 fr");
  });

  await step("officer: the member claims through the desk; the desk page says what it owes in euros", async () => {
    await member.goto(receiptLink);
    await member.reload();
    await member.getByTestId("claim-desk").click();
    await member.getByTestId("claimed").waitFor({ timeout: 60_000 });
    await officer.goto(`${stack.url}#/desk/${campaign}/${desk}`);
    // €12.345 claimed: €12.34 to pay by transfer, to the cent.
    await officer.getByTestId("desk-owed").getByText("Ce que le guichet doit au total\u202f: 12,34\u00a0€").waitFor();
    assert.equal(await officer.getByTestId("desk-no-euro").count(), 0);
    assert.match(await officer.getByTestId("desk-contact").innerText(), /04 72 00 00 00/);
    assert.match(await officer.locator("#desk-title").innerText(), /Caisse de grève SUD-Rail/);
    await noSideScroll(officer, "desk");
    await shot(officer, "officer-05-desk");
    assert.deepEqual(
      await layoutFaults(officer),
      [],
      "officer-05-desk: labels above their fields, nothing wider than 360 px",
    );
    await axe(officer, "officer desk 360 fr");
  });

  await memberCtx.close();
  await officerCtx.close();
};
