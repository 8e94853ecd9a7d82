/**
 * Notifications, feeds, sharing and the how-it-works page, in headless Chromium.
 *
 * The whole push path runs except the browser's real push service: the page's
 * `PushManager.subscribe` is replaced by one returning a subscription at a local push service
 * stand-in (test/helpers/push-service.ts) with keys this test holds, so the notifier's message is
 * received and decrypted here, then handed to the real service worker with the DevTools protocol
 * (`ServiceWorker.deliverPushMessage`), which shows it as a notification. A real subscription
 * would register with Google's FCM: no network here, and no traffic may leave this machine.
 *
 * The stack must let the notifier deliver to `localhost` over http (run.ts passes
 * `insecurePushHosts: ["localhost"]`).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { CDPSession, Page } from "playwright-core";
import { createPublicClient, createWalletClient, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { hardhatKey, ROLES } from "../../scripts/demo/accounts.js";
import { ROOT } from "../../scripts/demo/stack.js";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { chainFor } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { encodePledges, signPledge } from "@bascule/core/signing";
import { type CampaignFacts, type Lang, type PushPayload, notificationText } from "../../scripts/notifier/messages.js";
import { startPushService } from "../../test/helpers/push-service.js";
import { axe, newContext, shot, step, type Suite, until } from "./harness.js";
import { injectedWalletScript } from "./wallet.js";
import { campaignParams, inlineMetadata } from "../../test/helpers/campaign.js";

const DAY = 86_400n;
const ICON = `data:image/png;base64,${readFileSync(path.join(ROOT, "frontend/public/icons/icon-192.png")).toString("base64")}`;

/** Replaces the browser's push subscription with one at the stand-in (run in the page). */
const PUSH_STUB = `function (json) {
  const sub = JSON.parse(json);
  let active = false;
  const subscription = {
    endpoint: sub.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: function () { return { endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }; },
    unsubscribe: function () { active = false; return Promise.resolve(true); },
  };
  PushManager.prototype.subscribe = function () { active = true; return Promise.resolve(subscription); };
  PushManager.prototype.getSubscription = function () { return Promise.resolve(active ? subscription : null); };
}`;

/** The notifications the page's service worker is showing. */
function shown(page: Page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      lang: n.lang,
      url: (n.data as { url?: string })?.url,
    }));
  });
}

/** Renders a notification as a phone shows it, for a screenshot of its text. */
async function renderNotification(page: Page, items: { title: string; body: string }[], lang: Lang) {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  await page.setContent(
    `<html lang="${lang}"><body style="margin:0;padding:16px;background:#2b2b30;font-family:system-ui,sans-serif;width:420px">` +
      items
        .map(
          (n) =>
            `<div style="display:flex;gap:12px;background:#f4f3f0;border-radius:16px;padding:12px 14px;margin-bottom:12px">` +
            `<img src="${ICON}" width="40" height="40" style="border-radius:10px" alt="">` +
            `<div><div style="font-size:12px;color:#555">Bascule · ${lang === "fr" ? "maintenant" : "now"}</div>` +
            `<div style="font-weight:700;font-size:15px;margin:2px 0">${esc(n.title)}</div>` +
            `<div style="font-size:14px;line-height:1.35">${esc(n.body)}</div></div></div>`,
        )
        .join("") +
      `</body></html>`,
  );
}

export const notifySuite: Suite = async ({ browser, stack, timeout }) => {
  const rpc = createPublicClient({ transport: http(stack.rpcUrl) });
  const chain = chainFor(stack.chainId, stack.rpcUrl);
  const submitter = createWalletClient({
    account: privateKeyToAccount(hardhatKey(ROLES.firstDonor + 4)),
    chain,
    transport: http(stack.rpcUrl),
  });
  const origin = new URL(stack.url).origin;

  // A campaign of our own: ladder [2, 5], so the second pledge at level 1 reaches threshold 1.
  const now = (await rpc.getBlock()).timestamp;
  const actionDate = now + 20n * DAY;
  const metadata = inlineMetadata({
    title: "Grève des cantines / Canteen strike",
    place: "Lille",
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
    salt: keccak256(toHex(`notify-e2e-${now}`)),
  });
  async function pledge(key: `0x${string}`, level: number, nonce = 0) {
    const signed = await signPledge(privateKeyToAccount(key), campaign, stack.chainId, { level, support: 0n, nonce });
    const hash = await submitter.writeContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges([signed])],
    });
    await rpc.waitForTransactionReceipt({ hash });
  }
  const firstKey = generatePrivateKey();
  const secondKey = generatePrivateKey();
  await pledge(firstKey, 1);

  const vapid = (await (await fetch(`${stack.url}notifier/v1/vapid-public-key`)).json()) as { publicKey: string };
  const push = await startPushService(vapid.publicKey);
  const device = push.browser("chromium");

  // Chromium with notifications allowed and a push subscription at the local stand-in.
  const ctx = await newContext(browser, stack, { wallet: false });
  await ctx.grantPermissions(["notifications"], { origin });
  // As source text: a function passed here would be transpiled with helpers the page does not have.
  await ctx.addInitScript({ content: `(${PUSH_STUB})(${JSON.stringify(JSON.stringify(device.subscription))});` });
  const page = await ctx.newPage();
  page.setDefaultTimeout(timeout);
  let cdp: CDPSession | null = null;
  let registrationId = "";

  try {
    await step("notify: the service worker registers, the manifest and its icons load (installable PWA)", async () => {
      cdp = await ctx.newCDPSession(page);
      cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
          for (const r of e.registrations)
            if (!r.isDeleted && r.scopeURL.startsWith(origin)) registrationId = r.registrationId;
        },
      );
      await cdp.send("ServiceWorker.enable");
      await page.goto(stack.url);
      const script = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
      assert.equal(script, `${origin}/sw.js`);
      const manifest = await page.evaluate(async () => {
        const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href;
        const m = (await (await fetch(href)).json()) as {
          name: string;
          display: string;
          start_url: string;
          icons: { src: string; sizes: string; purpose: string }[];
        };
        const icons = await Promise.all(
          m.icons.map(async (i) => {
            const r = await fetch(new URL(i.src, href));
            return { ...i, status: r.status, type: r.headers.get("content-type") };
          }),
        );
        return { ...m, icons };
      });
      assert.equal(manifest.name, "Bascule");
      assert.equal(manifest.display, "standalone");
      for (const size of ["192x192", "512x512"])
        assert.ok(
          manifest.icons.some((i) => i.sizes === size && i.status === 200 && i.type === "image/png"),
          size,
        );
      assert.ok(manifest.icons.some((i) => i.purpose === "maskable" && i.status === 200));
      await until("the registration id", async () => registrationId);
    });

    await step("notify: the offline shell starts without the network", async () => {
      // Once the worker controls the page, its shell is in the cache.
      await page.reload();
      await until("control", () => page.evaluate(() => navigator.serviceWorker.controller !== null));
      await until("the configuration in the cache", () =>
        page.evaluate(async () => (await caches.match("./config.json")) !== undefined),
      );
      await ctx.setOffline(true);
      try {
        await page.reload();
        await page.locator(".brand").waitFor();
        assert.equal(await page.locator(".brand").innerText(), "Bascule");
        await shot(page, "notify-01-offline-shell");
      } finally {
        await ctx.setOffline(false);
        await page.reload();
      }
    });

    await step(
      "notify: the receipt page offers notifications, says what the push service learns, and offers the feed",
      async () => {
        await page.goto(`${stack.url}#/r/${stack.chainId}/${campaign}/${firstKey}`);
        const panel = page.getByTestId("notify-panel");
        await panel.waitFor();
        const privacy = await page.getByTestId("notify-privacy").innerText();
        for (const name of ["Google", "Apple", "Mozilla"]) assert.ok(privacy.includes(name), name);
        assert.match(privacy, /learns that this device follows this campaign/);
        const feed = await page.getByTestId("feed-link").getAttribute("href");
        const ics = await page.getByTestId("ics-link").getAttribute("href");
        assert.equal(feed, `./notifier/v1/campaigns/${campaign}/feed.atom?lang=en`);
        assert.equal(ics, `./notifier/v1/campaigns/${campaign}/event.ics?lang=en`);
        const types = await page.evaluate(
          async ([a, b]) => Promise.all([a, b].map(async (u) => (await fetch(u)).headers.get("content-type"))),
          [feed!, ics!] as const,
        );
        assert.match(types[0] ?? "", /^application\/atom\+xml/);
        assert.match(types[1] ?? "", /^text\/calendar/);
        await shot(page, "notify-02-receipt-panel");
        await axe(page, "receipt-notify");
      },
    );

    await step(
      "notify: 'Notify me' subscribes; a threshold reached arrives as a notification from the service worker",
      async () => {
        await page.getByTestId("notify-toggle").click();
        await page.getByTestId("notify-on").waitFor();
        assert.match(await page.getByTestId("notify-on").innerText(), /threshold of 2 people/);
        assert.equal(
          await page.getByTestId("pledge-outcome").innerText(),
          "Right now your pledge would not be triggered.",
        );
        // The panel's node, to check that another person's pledge does not blank the page and remount it
        // (it did: the pledge record's query key follows the tallies, and a "Stop" answer was lost).
        await page.getByTestId("notify-panel").evaluate((el) => ((window as unknown as { panel: Element }).panel = el));
        // A second pledge at level 1: 2 people, threshold 2 reached.
        await pledge(secondKey, 1);
        const [received] = await until(
          "the push message",
          async () => (push.received.length > 0 ? push.take("chromium") : null),
          30_000,
        );
        assert.deepEqual(push.refused, []);
        const payload = JSON.parse(received.text) as PushPayload;
        assert.equal(payload.kind, "reached");
        assert.equal(payload.title, "Your threshold is reached: Grève des cantines / Canteen strike");
        await cdp!.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: received.text });
        const [n] = await until("the notification", async () => {
          const list = (await shown(page)).filter((x) => x.tag === payload.tag);
          return list.length > 0 && list;
        });
        assert.equal(n.title, payload.title);
        assert.equal(n.body, payload.body);
        assert.equal(n.url, `${origin}/#/c/${campaign}`);
        await page.getByText("Right now your pledge would be triggered: you would be bound to strike.").waitFor();
        assert.ok(
          await page
            .getByTestId("notify-panel")
            .evaluate((el) => (window as unknown as { panel: Element }).panel === el),
          "the notification panel stayed in place while the page took in the new pledge",
        );
      },
    );

    await step(
      "announce: the organiser writes an announcement in FR and EN; it is on the page, the receipt, the feed and in a push",
      async () => {
        // The organiser's own wallet (its account is unlocked on the local node, as the test wallet's).
        const wctx = await newContext(browser, stack, { wallet: false });
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
          await w.getByTestId("announcements").waitFor();
          await w.getByText("No announcement from the organiser yet.").waitFor();
          await w.getByTestId("announce-connect").locator("summary").click();
          await w
            .getByTestId("announce-connect")
            .getByRole("button", { name: /Connect a wallet — Test Wallet/ })
            .click();
          await w.getByTestId("announce-form").waitFor();
          await w.getByTestId("announce-fr-title").fill("Assemblée générale jeudi");
          await w.getByTestId("announce-fr-text").fill("Rendez-vous devant la cantine centrale pour voter la suite.");
          await w.getByTestId("announce-en-title").fill("General meeting on Thursday");
          await w.getByTestId("announce-en-text").fill("Meet outside the central canteen to vote on what comes next.");
          await w.getByTestId("announce-place").fill("Cantine centrale, Lille");
          await w.getByTestId("announce-time").fill("2031-06-12T18:00");
          await w.getByTestId("announce-publish").click();
          await w.getByTestId("announce-published").waitFor();
          // On the page, verified against the organiser the chain names, in the page's language.
          const item = w.getByTestId("announcement").first();
          await item.getByText("General meeting on Thursday").waitFor();
          assert.match(await item.innerText(), /Where: Cantine centrale, Lille/);
          assert.match(await item.innerText(), /Signed by the organiser/);
          await axe(w, "campaign-announcements");
          await w.getByTestId("announcements").scrollIntoViewIfNeeded();
          await shot(w, "announce-01-campaign-en");
          await w.getByTestId("lang-switch").click();
          await w.getByTestId("announcement").first().getByText("Assemblée générale jeudi").waitFor();
          assert.match(await w.getByTestId("announcement").first().innerText(), /Où\u202f: Cantine centrale, Lille/);
          await shot(w, "announce-02-campaign-fr");
        } finally {
          await wctx.close();
        }
        // In the feed, each language's version.
        for (const [lang, title] of [
          ["fr", "Assemblée générale jeudi"],
          ["en", "General meeting on Thursday"],
        ] as const) {
          const feed = await (
            await fetch(`${stack.url}notifier/v1/campaigns/${campaign}/feed.atom?lang=${lang}`)
          ).text();
          assert.ok(feed.includes(title), `${lang} feed`);
          assert.ok(feed.includes('term="announcement"'), `${lang} feed entry kind`);
        }
        // In a push to the subscribed device (English): the title only, shown by the service worker.
        const [received] = await until(
          "the announcement's push",
          async () => (push.received.length > 0 ? push.take("chromium") : null),
          30_000,
        );
        const payload = JSON.parse(received.text) as PushPayload;
        assert.equal(payload.kind, "announcement");
        assert.equal(payload.title, "From the organiser: Grève des cantines / Canteen strike");
        assert.equal(payload.body, "General meeting on Thursday");
        assert.ok(!received.text.includes("Cantine centrale"), "no place on the lock screen");
        await cdp!.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: received.text });
        await until("the announcement's notification", async () =>
          (await shown(page)).some((n) => n.tag === payload.tag && n.body === payload.body),
        );
        // The receipt: the latest from the organiser.
        await page.goto(`${stack.url}#/r/${stack.chainId}/${campaign}/${firstKey}`);
        const latest = page.getByTestId("announcements");
        await latest.getByText("Latest from the organiser").waitFor();
        await latest.getByText("General meeting on Thursday").waitFor();
        await latest.scrollIntoViewIfNeeded();
        await shot(page, "announce-03-receipt-en");
      },
    );

    await step("notify: 'Stop notifications' unsubscribes; nothing more is sent", async () => {
      await page.getByTestId("notify-toggle").click();
      await page.getByText("Notifications are off for this campaign on this device.").waitFor();
      // The second pledge is withdrawn: threshold 1 is lost, which a level-1 subscriber would be told.
      await pledge(secondKey, 0, 1);
      await until("the notifier to record the loss", async () => {
        const feed = await (await fetch(`${stack.url}notifier/v1/campaigns/${campaign}/feed.atom`)).text();
        return feed.includes('term="lost"');
      });
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(push.take("chromium"), []);
    });

    await step("notify: every kind of notification, in English and French, shown by the service worker", async () => {
      const facts: CampaignFacts = {
        address: campaign,
        ladder: [2, 5],
        conditions: [],
        title: "Grève des cantines / Canteen strike",
        place: "Lille",
        actionDay: new Date(Number(actionDate) * 1000).toISOString().slice(0, 10),
        actionDate: Number(actionDate),
        pledgeDeadline: Number(now + 10n * DAY),
      };
      const events = [
        { kind: "reached", from_level: 0, to_level: 1, committed: 2, paid: 0 },
        { kind: "lost", from_level: 1, to_level: 0, committed: 0, paid: 0 },
        { kind: "resolved", from_level: 1, to_level: 1, committed: 4, paid: 1 },
        { kind: "resolved", from_level: 0, to_level: 0, committed: 0, paid: 0 },
        { kind: "reminder", from_level: 1, to_level: 1, committed: 4, paid: 0 },
      ] as const;
      const view = await ctx.newPage();
      for (const lang of ["en", "fr"] as const) {
        const texts = events.map((e) => notificationText(facts, e, { level: 1, lang }, "Europe/Paris"));
        // Distinct tags so the worker keeps them all side by side.
        const messages = texts.map((p, i) => ({
          tag: `${p.tag}-${lang}-${i}`,
          data: JSON.stringify({ ...p, tag: `${p.tag}-${lang}-${i}` }),
        }));
        const deliver = async (tags: Set<string>) => {
          for (const m of messages)
            if (!tags.has(m.tag))
              await cdp!.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: m.data });
        };
        await deliver(new Set());
        // A push the browser drops while it restarts the worker is delivered again, as a push service
        // does; a notification replaces the one of the same tag, so nothing is shown twice.
        let lastDelivery = Date.now();
        const all = await until("notifications", async () => {
          const list = (await shown(page)).filter((n) => n.tag.includes(`-${lang}-`));
          if (list.length === texts.length) return list;
          if (Date.now() - lastDelivery > 5_000) {
            await deliver(new Set(list.map((n) => n.tag)));
            lastDelivery = Date.now();
          }
          return false;
        });
        for (const p of texts)
          assert.ok(
            all.some((n) => n.title === p.title && n.body === p.body),
            p.title,
          );
        await renderNotification(view, all, lang);
        await shot(view, `notify-03-notifications-${lang}`);
      }
      await view.close();
    });

    await step("share: link, QR code and the A4 poster from the campaign page", async () => {
      await page.goto(`${stack.url}#/c/${campaign}`);
      await page.getByTestId("share-panel").waitFor();
      assert.equal(await page.getByTestId("share-link").inputValue(), `${origin}/#/c/${campaign}`);
      await page.getByTestId("share-qr").waitFor();
      const qr = await page
        .getByTestId("share-qr")
        .evaluate((img: HTMLImageElement) => ({ src: img.src.slice(0, 22), w: img.naturalWidth }));
      assert.equal(qr.src, "data:image/png;base64,");
      assert.ok(qr.w >= 200);
      assert.ok(await page.getByTestId("follow-links").isVisible());
      await shot(page, "share-01-campaign");
      await page.getByTestId("poster-link").click();
      await page.getByTestId("poster-qr").waitFor();
      assert.match(await page.getByTestId("poster-headline").innerText(), /^1 person has pledged to strike on /);
      const poster = await page.getByTestId("poster").innerText();
      assert.match(poster, /Action day: /);
      assert.match(poster, /Place: Lille/);
      assert.ok(poster.includes(`${origin}/#/c/${campaign}`));
      await axe(page, "poster");
      await page.emulateMedia({ media: "print" });
      assert.equal(await page.locator("header.top").isVisible(), false, "the dApp's header is not printed");
      await page.setViewportSize({ width: 794, height: 1123 });
      await shot(page, "share-02-poster-en");
      await page.getByTestId("lang-switch").evaluate((b: HTMLButtonElement) => b.click());
      await page.getByText("Jour de l’action", { exact: false }).waitFor();
      assert.match(
        await page.getByTestId("poster-headline").innerText(),
        /^1 personne s’est engagée à faire grève le /,
      );
      await shot(page, "share-03-poster-fr");
      await page.emulateMedia({ media: "screen" });
      await page.getByTestId("lang-switch").click();
    });

    await step("share: right after creating a campaign, its page opens with Share highlighted", async () => {
      const wctx = await newContext(browser, stack, { wallet: true });
      try {
        const w = await wctx.newPage();
        w.setDefaultTimeout(timeout);
        await w.goto(`${stack.url}#/create`);
        await w.getByRole("button", { name: /Connect a wallet — Test Wallet/ }).click();
        await w.getByLabel("Title").fill("Grève à partager / Strike to share");
        await w.getByLabel("Pledge deadline").fill("2031-06-01T12:00");
        await w.getByLabel("Action date").fill("2031-06-02");
        await w.getByRole("button", { name: "Create the campaign" }).click();
        await w.waitForURL(/#\/c\/0x/);
        await w.getByTestId("share-created").waitFor();
        assert.match((await w.getByTestId("share-panel").getAttribute("class")) ?? "", /highlight/);
        assert.equal(await w.getByTestId("share-link").inputValue(), w.url());
        await w.getByTestId("share-qr").waitFor();
        await shot(w, "share-04-right-after-creation");
        // Another visit of the same page is not "just created".
        const other = await ctx.newPage();
        await other.goto(w.url());
        await other.getByTestId("share-panel").waitFor();
        assert.equal(await other.getByTestId("share-created").count(), 0);
        await other.close();
      } finally {
        await wctx.close();
      }
    });

    await step("how it works: thresholds, what binds, money, who sees what, what to keep (FR/EN)", async () => {
      await page.setViewportSize({ width: 1000, height: 900 });
      await page.goto(`${stack.url}#/how`);
      await page.getByTestId("how-page").waitFor();
      const text = await page.getByTestId("how-page").innerText();
      for (const heading of [
        "Thresholds",
        "What binds, and when",
        "Where the money sits, and when it moves",
        "Striking only if your support is covered",
        "Who can see what about you",
        "What to keep",
      ]) {
        assert.ok(text.includes(heading), heading);
      }
      for (const who of ["The blockchain", "The relayer", "The notifier", "The organiser"])
        assert.ok(text.includes(who), who);
      await axe(page, "how");
      await shot(page, "how-01-en");
      await page.getByTestId("lang-switch").click();
      await page.getByText("Ce qu’il faut garder").waitFor();
      await shot(page, "how-02-fr");
      await page.getByTestId("lang-switch").click();
    });
  } finally {
    await ctx.close();
    await push.close();
  }
};
