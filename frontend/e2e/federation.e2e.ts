/**
 * The federation in the browser test's stack (issue 22): the launcher runs the federation service
 * on https://localhost:<port> with the demo's CA (scripts/demo/tls.ts), as `npm start` does, and a
 * follower instance built with Fedify (scripts/federation/follower.ts, what `npm run follow` runs)
 * follows a campaign by its handle. The organiser writes an announcement in FR and EN in the dApp;
 * the follower receives it as signed `Create(Note)`s, which its own Fedify inbox verified before
 * recording them. Screenshots at 360 and 1280 px, FR and EN, of the campaign page (the "Follow from
 * Mastodon or Mobilizon" line and the announcement) and of the receipt's latest from the organiser.
 */
import assert from "node:assert/strict";
import { createPublicClient, createWalletClient, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { campaignAbi } from "@bascule/core/generated/abis";
import { encodePledges, signPledge } from "@bascule/core/signing";
import { hardhatKey, ROLES } from "../../scripts/demo/accounts.js";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { type Follower, type Received, startFollower } from "../../scripts/federation/follower.js";
import { chainFor } from "../../scripts/lib/deployment.js";
import { campaignParams, inlineMetadata } from "../../test/helpers/campaign.js";
import { axe, newContext, shot, step, type Suite, until } from "./harness.js";
import { injectedWalletScript } from "./wallet.js";

const DAY = 86_400n;
const FR = { title: "Assemblée générale jeudi", text: "Rendez-vous devant la cantine centrale pour voter la suite." };
const EN = {
  title: "General meeting on Thursday",
  text: "Meet outside the central canteen to vote on what comes next.",
};

const noteObject = (r: Received) => r.json.object as { type?: string; content?: string; id?: string };

export const federationSuite: Suite = async ({ browser, stack, timeout }) => {
  assert.ok(stack.federation, "the stack runs the federation");
  const fed = stack.federation;
  const rpc = createPublicClient({ transport: http(stack.rpcUrl) });
  const submitter = createWalletClient({
    account: privateKeyToAccount(hardhatKey(ROLES.firstDonor + 3)),
    chain: chainFor(stack.chainId, stack.rpcUrl),
    transport: http(stack.rpcUrl),
  });

  const now = (await rpc.getBlock()).timestamp;
  const actionDate = now + 25n * DAY;
  const metadata = inlineMetadata({
    title: "Grève des crèches / Nursery strike",
    place: "Roubaix",
    actionDate,
    languages: ["fr", "en"],
  });
  const { campaign } = await createCampaign({
    rpcUrl: stack.rpcUrl,
    privateKey: hardhatKey(ROLES.organiser),
    factory: stack.factory,
    params: campaignParams(now, {
      pledgeDeadline: now + 10n * DAY,
      actionDate,
      metadataHash: metadata.metadataHash,
      ladder: [2, 5],
    }),
    metadataURI: metadata.metadataURI,
    salt: keccak256(toHex(`federation-e2e-${now}`)),
  });
  // One pledge, for a receipt to show the latest from the organiser on.
  const key = generatePrivateKey();
  const signed = await signPledge(privateKeyToAccount(key), campaign, stack.chainId, {
    level: 1,
    support: 0n,
    nonce: 0,
  });
  await rpc.waitForTransactionReceipt({
    hash: await submitter.writeContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges([signed])],
    }),
  });

  const host = new URL(fed.publicUrl).host;
  const handle = `@campaign-${campaign.toLowerCase()}@${host}`;
  let follower: Follower | null = null;
  try {
    await step("federation: a second instance follows the campaign by its handle and gets the Event", async () => {
      follower = await startFollower(fed.tls, "alice");
      const f = follower;
      // Once the service's watch loop has seen the campaign, WebFinger finds it and the Follow is accepted.
      await until(
        "the campaign's actor",
        async () => {
          try {
            await f.follow(`acct:${handle.slice(1)}`);
            return true;
          } catch {
            return false;
          }
        },
        30_000,
      );
      await until("the Accept", async () => f.received.some((r) => r.type === "Accept"), 30_000);
      const event = await until(
        "the Event",
        async () => f.received.find((r) => r.type === "Create" && noteObject(r).type === "Event"),
        30_000,
      );
      assert.equal((event.json.object as { name?: string }).name, "Grève des crèches / Nursery strike");
    });

    await step(
      "federation: the organiser's FR/EN announcement arrives at the follower as signed Create(Note)s",
      async () => {
        const f = follower!;
        const wctx = await newContext(browser, stack, { wallet: false, width: 1280 });
        await wctx.addInitScript(
          injectedWalletScript(
            privateKeyToAccount(hardhatKey(ROLES.organiser)).address,
            `0x${stack.chainId.toString(16)}`,
          ),
        );
        try {
          const w = await wctx.newPage();
          w.setDefaultTimeout(timeout);
          await w.goto(`${stack.url}#/c/${campaign}`);
          // The page names the handle the follower used.
          assert.equal(await w.getByTestId("fediverse-handle").innerText(), handle);
          await w.getByTestId("announce-connect").locator("summary").click();
          await w
            .getByTestId("announce-connect")
            .getByRole("button", { name: /Connect a wallet — Test Wallet/ })
            .click();
          await w.getByTestId("announce-form").waitFor();
          await w.getByTestId("announce-fr-title").fill(FR.title);
          await w.getByTestId("announce-fr-text").fill(FR.text);
          await w.getByTestId("announce-en-title").fill(EN.title);
          await w.getByTestId("announce-en-text").fill(EN.text);
          await w.getByTestId("announce-place").fill("Bourse du travail, Roubaix");
          await w.getByTestId("announce-publish").click();
          await w.getByTestId("announce-published").waitFor();
        } finally {
          await wctx.close();
        }
        const notes = () =>
          f.received.filter(
            (r) => r.type === "Create" && noteObject(r).type === "Note" && noteObject(r).id?.includes("/announcement-"),
          );
        await until("both announcement Notes at the follower", async () => notes().length >= 2, 30_000);
        const contents = notes().map((r) => noteObject(r).content ?? "");
        for (const lang of [FR, EN]) {
          const found = contents.find((c) => c.includes(`<strong>${lang.title}</strong>`));
          assert.ok(found, `the Note "${lang.title}" arrived: ${JSON.stringify(contents)}`);
          assert.ok(found.includes(lang.text), `with its text`);
        }
        // Each came from the campaign's actor; the follower's inbox verified its signature (a POST
        // that fails the check reaches `posts` but never `received`).
        for (const r of notes())
          assert.equal(r.json.actor, `${fed.publicUrl}/users/campaign-${campaign.toLowerCase()}`);
        const signedPosts = f.posts.filter((p) => p.body.includes("/announcement-"));
        assert.equal(signedPosts.length, notes().length);
        // The same Note posted unsigned reaches the follower's inbox but is refused there, never recorded.
        const forged = JSON.parse(signedPosts[0].body) as Record<string, unknown>;
        const unsigned = await fetch(f.sharedInbox, {
          method: "POST",
          headers: { "content-type": "application/activity+json" },
          body: JSON.stringify({ ...forged, id: `${String(forged.id)}-forged` }),
        });
        assert.equal(unsigned.status, 401);
        assert.equal(notes().length, 2);
      },
    );

    await step("federation: screenshots of the campaign page and the receipt, 360 and 1280 px, FR and EN", async () => {
      for (const lang of ["fr", "en"] as const) {
        for (const width of [360, 1280]) {
          const ctx = await newContext(browser, stack, {
            wallet: false,
            width,
            lang: lang === "fr" ? "fr-FR" : "en-GB",
          });
          try {
            const page = await ctx.newPage();
            page.setDefaultTimeout(timeout);
            await page.goto(`${stack.url}#/c/${campaign}`);
            const follow = page.getByTestId("fediverse-follow");
            await follow.waitFor();
            assert.equal(
              (await follow.locator("p").first().innerText()).split(handle)[0],
              lang === "fr" ? "Suivre depuis Mastodon ou Mobilizon\u202f: " : "Follow from Mastodon or Mobilizon: ",
            );
            const title = lang === "fr" ? FR.title : EN.title;
            await page.getByTestId("announcement").first().getByText(title).waitFor();
            if (width === 360) await axe(page, `federation-campaign-${lang}`);
            await follow.scrollIntoViewIfNeeded();
            await shot(page, `federation-01-campaign-${lang}-${width}`);
            await page.goto(`${stack.url}#/r/${stack.chainId}/${campaign}/${key}`);
            const latest = page.getByTestId("announcements");
            await latest
              .getByText(lang === "fr" ? "Dernières nouvelles de l’organisation" : "Latest from the organiser")
              .waitFor();
            await latest.getByText(title).waitFor();
            await latest.scrollIntoViewIfNeeded();
            await shot(page, `federation-02-receipt-${lang}-${width}`);
          } finally {
            await ctx.close();
          }
        }
      }
    });
  } finally {
    await (follower as Follower | null)?.close();
  }
};
