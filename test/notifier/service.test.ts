/**
 * The notifier against a real `hardhat node` and a local Web Push service stand-in
 * (test/helpers/push-service.ts, which checks VAPID and decrypts each message itself).
 *
 * One campaign, ladder [2, 4, 10], and subscribers at levels 1 (fr), 2 (en) and 3 (fr): pledges
 * cross and uncross the thresholds, the campaign resolves, the day before the action comes, the
 * campaign ends; each subscriber receives exactly the messages this implies, with the right text.
 * Then: what the store holds (no key, address or IP), the feeds parsed back, refusals (SSRF,
 * bad keys, bad levels, bad JSON), durability across a stop, and gone subscriptions.
 */
import { spawnNode } from "../../scripts/lib/children.js";
import { statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import ICAL from "ical.js";
import {
  type Address,
  type LocalAccount,
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseEventLogs,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createCampaign, resolveCampaign } from "../../scripts/cli/campaign.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { encodePledges, signPledge } from "@bascule/core/signing";
import type { PushPayload } from "../../scripts/notifier/messages.js";
import { buildRoutes } from "../../scripts/notifier/routes.js";
import { Notifier, loadOrCreateVapidKeys } from "../../scripts/notifier/service.js";
import { COLUMNS } from "../../scripts/notifier/store.js";
import { type LocalNode, ROOT, TEST_KEYS, freePort, increaseTime, startNode } from "../helpers/node.js";
import { type PushServiceStandIn, startPushService } from "../helpers/push-service.js";
import { campaignParams } from "../helpers/campaign.js";
import { storeFiles } from "../helpers/store-files.js";

const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const DAY = 86_400n;
const NNBSP = "\u202f";

describe("notifier", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let dir: string;
  let push: PushServiceStandIn;
  let notifier: Notifier;
  let app: FastifyInstance;
  let factory: Address;
  let campaign: Address;
  let other: Address;
  /** Support with the conditions the dApp proposes (at least half, all of a request covered): ladder [2, 10]. */
  let conditional: Address;
  let chainId: number;
  let client: ReturnType<typeof createPublicClient>;
  let wallet: ReturnType<typeof createWalletClient>;
  let deadline: bigint;
  let actionDate: bigint;
  const keys: LocalAccount[] = Array.from({ length: 6 }, () => privateKeyToAccount(generatePrivateKey()));
  const nonces = new Map<string, number>();
  const dbPath = () => path.join(dir, "notifier.db");

  async function pledge(key: LocalAccount, level: number, support = 0n, target = campaign, condition = 0) {
    const nonce = nonces.get(key.address) ?? 0;
    const signed = await signPledge(key, target, chainId, { level, support, condition, nonce });
    nonces.set(key.address, nonce + 1);
    const hash = await wallet.writeContract({
      address: target,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges([signed])],
      account: wallet.account!,
      chain: wallet.chain,
    });
    await client.waitForTransactionReceipt({ hash });
  }

  function newNotifier() {
    return new Notifier({
      rpcUrl: node.url,
      factory,
      dbPath: dbPath(),
      vapid: loadOrCreateVapidKeys(dir),
      vapidSubject: "mailto:ops@example.org",
      appUrl: "https://bascule.example/",
      pollMs: 60_000,
      insecurePushHosts: ["localhost"],
      timeZone: "UTC",
      log: () => {},
    });
  }

  async function step() {
    await notifier.poll();
    await notifier.deliver();
  }

  const payloads = (id: string) => push.take(id).map((r) => JSON.parse(r.text) as PushPayload);

  async function subscribe(
    id: string,
    level: number,
    lang: "en" | "fr",
    address: Address = campaign,
    condition?: number,
  ) {
    return app.inject({
      method: "POST",
      url: "/v1/subscriptions",
      payload: {
        campaign: address,
        level,
        ...(condition === undefined ? {} : { condition }),
        lang,
        subscription: { ...push.browser(id).subscription, expirationTime: null },
      },
    });
  }

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-notifier-"));
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    client = createPublicClient({ transport: http(node.url) });
    chainId = await client.getChainId();
    wallet = createWalletClient({
      account: privateKeyToAccount(TEST_KEYS[4]),
      chain: chainFor(chainId, node.url),
      transport: http(node.url),
    });
    const now = (await client.getBlock()).timestamp;
    deadline = now + 2n * DAY;
    actionDate = now + 5n * DAY;
    const doc = JSON.stringify({
      title: "Grève des cantines",
      text: "",
      actionDate: new Date(Number(actionDate) * 1000).toISOString().slice(0, 10),
      place: "Lille",
      languages: ["fr"],
    });
    const params = campaignParams(now, {
      pledgeDeadline: deadline,
      actionDate,
      // Support needs a gate (GateRequired): a participation oracle, which pledges do not involve.
      oracleWindow: DAY,
      supportCap: 10n ** 18n,
      oracle: privateKeyToAccount(TEST_KEYS[6]).address,
      metadataHash: keccak256(toHex(doc)),
      ladder: [2, 4, 10],
    });
    ({ campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params,
      metadataURI: `data:application/json;base64,${Buffer.from(doc).toString("base64")}`,
      salt: keccak256(toHex("notifier-1")),
    }));
    ({ campaign: other } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: { ...params, ladder: [3] },
      metadataURI: "ipfs://other",
      salt: keccak256(toHex("notifier-2")),
    }));
    const conditionalDoc = JSON.stringify({
      title: "Grève des crèches",
      text: "",
      actionDate: new Date(Number(actionDate) * 1000).toISOString().slice(0, 10),
      place: "Lyon",
      languages: ["fr"],
    });
    ({ campaign: conditional } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: {
        ...params,
        ladder: [2, 10],
        conditions: [5_000, 10_000],
        metadataHash: keccak256(toHex(conditionalDoc)),
      },
      metadataURI: `data:application/json;base64,${Buffer.from(conditionalDoc).toString("base64")}`,
      salt: keccak256(toHex("notifier-3")),
    }));
    notifier = newNotifier();
    push = await startPushService(notifier.publicKey);
    app = await buildRoutes(notifier);
    await notifier.poll();
  });

  after(async function () {
    await app?.close();
    await notifier?.close();
    await push?.close();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe("subscribing", function () {
    it("accepts a subscription with a campaign, a level and a language", async function () {
      for (const [id, level, lang] of [
        ["fr1", 1, "fr"],
        ["en2", 2, "en"],
        ["fr3", 3, "fr"],
        ["gone", 2, "en"],
      ] as const) {
        const r = await subscribe(id, level, lang);
        expect(r.statusCode, r.body).to.equal(201);
        expect(r.json()).to.deep.equal({ campaign, level, condition: 0, lang });
      }
      expect((await subscribe("other", 1, "en", other)).statusCode).to.equal(201);
      expect(notifier.store.subscriptionCount(campaign)).to.equal(4);
    });

    it("changes the level when the same device subscribes again", async function () {
      expect((await subscribe("fr3", 2, "fr")).statusCode).to.equal(201);
      expect((await subscribe("fr3", 3, "fr")).statusCode).to.equal(201);
      expect(notifier.store.subscriptionCount(campaign)).to.equal(4);
    });

    it("serves the VAPID public key the browser subscribes with", async function () {
      const r = await app.inject({ method: "GET", url: "/v1/vapid-public-key" });
      expect(r.json()).to.deep.equal({ publicKey: notifier.publicKey });
    });
  });

  describe("refusals (never a 500)", function () {
    const good = () => push.browser("x").subscription;
    const cases: [string, () => unknown, number, string][] = [
      [
        "an endpoint outside the push services (SSRF)",
        () => ({
          campaign,
          level: 1,
          lang: "en",
          subscription: { ...good(), endpoint: "https://169.254.169.254/latest/meta-data" },
        }),
        400,
        "PUSH_SERVICE_NOT_ALLOWED",
      ],
      [
        "an internal host named like a push service",
        () => ({
          campaign,
          level: 1,
          lang: "en",
          subscription: { ...good(), endpoint: "https://fcm.googleapis.com.evil.example/x" },
        }),
        400,
        "PUSH_SERVICE_NOT_ALLOWED",
      ],
      [
        "plain http to a real push service",
        () => ({
          campaign,
          level: 1,
          lang: "en",
          subscription: { ...good(), endpoint: "http://fcm.googleapis.com/fcm/send/x" },
        }),
        400,
        "PUSH_SERVICE_NOT_ALLOWED",
      ],
      [
        "credentials in the endpoint",
        () => ({
          campaign,
          level: 1,
          lang: "en",
          subscription: { ...good(), endpoint: good().endpoint.replace("http://", "http://u:p@") },
        }),
        400,
        "PUSH_SERVICE_NOT_ALLOWED",
      ],
      [
        "a p256dh key of the wrong length",
        () => ({
          campaign,
          level: 1,
          lang: "en",
          subscription: { ...good(), keys: { ...good().keys, p256dh: "AAAA" } },
        }),
        400,
        "INVALID_SUBSCRIPTION_KEYS",
      ],
      [
        "a p256dh that is not a point of the curve",
        () => ({
          campaign,
          level: 1,
          lang: "en",
          subscription: {
            ...good(),
            keys: {
              ...good().keys,
              p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString("base64url"),
            },
          },
        }),
        400,
        "INVALID_SUBSCRIPTION_KEYS",
      ],
      [
        "a level above the ladder",
        () => ({ campaign, level: 4, lang: "en", subscription: good() }),
        400,
        "LEVEL_OUT_OF_RANGE",
      ],
      ["level 0", () => ({ campaign, level: 0, lang: "en", subscription: good() }), 400, "INVALID_REQUEST"],
      [
        "a condition in a campaign without conditions",
        () => ({ campaign, level: 1, condition: 1, lang: "en", subscription: good() }),
        400,
        "CONDITION_OUT_OF_RANGE",
      ],
      [
        "a condition above any campaign's (255)",
        () => ({ campaign: conditional, level: 1, condition: 255, lang: "en", subscription: good() }),
        400,
        "INVALID_REQUEST",
      ],
      [
        "a condition that is not a whole number",
        () => ({ campaign: conditional, level: 1, condition: 1.5, lang: "en", subscription: good() }),
        400,
        "INVALID_REQUEST",
      ],
      [
        "a pledge key sent along with a condition",
        () => ({
          campaign: conditional,
          level: 1,
          condition: 1,
          lang: "en",
          pledgeKey: keys[0].address,
          subscription: good(),
        }),
        400,
        "INVALID_REQUEST",
      ],
      [
        "an unknown campaign",
        () => ({ campaign: ZERO, level: 1, lang: "en", subscription: good() }),
        404,
        "UNKNOWN_CAMPAIGN",
      ],
      ["an unknown language", () => ({ campaign, level: 1, lang: "de", subscription: good() }), 400, "INVALID_REQUEST"],
      [
        "an extra field (a pledge key)",
        () => ({ campaign, level: 1, lang: "en", pledgeKey: keys[0].address, subscription: good() }),
        400,
        "INVALID_REQUEST",
      ],
      [
        "a body too large",
        () => ({
          campaign,
          level: 1,
          lang: "en",
          subscription: { ...good(), endpoint: `${good().endpoint}${"a".repeat(5000)}` },
        }),
        413,
        "BODY_TOO_LARGE",
      ],
    ];
    for (const [what, body, status, code] of cases) {
      it(`refuses ${what}: ${status} ${code}`, async function () {
        const r = await app.inject({ method: "POST", url: "/v1/subscriptions", payload: body() as object });
        expect(r.statusCode, r.body).to.equal(status);
        const error = r.json().error;
        expect(error.code).to.equal(code);
        expect(error.message.en).to.be.a("string").and.not.empty;
        expect(error.message.fr).to.be.a("string").and.not.empty;
      });
    }

    it("refuses malformed JSON with a 400", async function () {
      const r = await app.inject({
        method: "POST",
        url: "/v1/subscriptions",
        payload: "{nope",
        headers: { "content-type": "application/json" },
      });
      expect(r.statusCode).to.equal(400);
      expect(r.json().error.code).to.equal("INVALID_JSON");
    });

    it("answers 404 with a code on unknown paths and unknown campaigns' feeds", async function () {
      expect((await app.inject({ method: "GET", url: "/v2/x" })).json().error.code).to.equal("NOT_FOUND");
      const r = await app.inject({ method: "GET", url: `/v1/campaigns/${ZERO}/feed.atom` });
      expect(r.statusCode).to.equal(404);
      expect(r.json().error.code).to.equal("UNKNOWN_CAMPAIGN");
      expect((await app.inject({ method: "GET", url: `/v1/campaigns/nope/event.ics` })).statusCode).to.equal(400);
    });

    it("answers GET /health, and serves the OpenAPI description the dApp's client types are generated from", async function () {
      expect((await app.inject({ method: "GET", url: "/health" })).json()).to.deep.equal({ ok: true });
      const doc = (await app.inject({ method: "GET", url: "/v1/openapi.json" })).json();
      expect(Object.keys(doc.paths)).to.include.members([
        "/v1/vapid-public-key",
        "/v1/subscriptions",
        "/v1/campaigns/{address}/feed.atom",
      ]);
      const { apiDocument, apiSource, apiFile } = await import("../../scripts/tools/gen-api.js");
      expect(await apiDocument("notifier")).to.deep.equal(doc);
      const { readFile } = await import("node:fs/promises");
      expect(
        await readFile(apiFile("notifier"), "utf8"),
        "packages/core/src/generated/notifier-api.ts is stale: npm run gen:api",
      ).to.equal(await apiSource("notifier"));
    });

    it("stored none of the refused subscriptions", function () {
      expect(notifier.store.countForEndpoint(push.browser("x").subscription.endpoint)).to.equal(0);
    });
  });

  describe("during the pledge period", function () {
    it("sends nothing while no threshold is crossed", async function () {
      await pledge(keys[0], 1);
      await step();
      expect(push.received).to.have.length(0);
    });

    it("tells the level-1 subscriber (in French) when their threshold is reached", async function () {
      await pledge(keys[1], 1);
      await step();
      const [p, ...rest] = payloads("fr1");
      expect(rest).to.have.length(0);
      expect(p).to.include({ kind: "reached", binds: true, lang: "fr", level: 1, campaign, url: `#/c/${campaign}` });
      expect(p.title).to.equal(`Votre seuil est atteint${NNBSP}: Grève des cantines`);
      expect(p.body).to.match(
        /^2 personnes sont maintenant tenues de faire grève, au moins les 2 personnes que vous attendiez\. Votre engagement compte désormais/,
      );
      expect(push.received, "nobody else is told").to.have.length(0);
    });

    it("tells the level-2 subscribers (in English) when 4 people are reached, and not the level-1 one again", async function () {
      await pledge(keys[2], 2);
      await pledge(keys[3], 2, 10n ** 15n);
      await step();
      const [p] = payloads("en2");
      expect(p).to.include({ kind: "reached", binds: true, lang: "en", level: 2 });
      expect(p.title).to.equal("Your threshold is reached: Grève des cantines");
      expect(p.body).to.match(
        /^4 people are now bound to strike, at least the 4 people you were waiting for\. Your pledge now binds: unless the count drops again before the deadline \(.+\), you act on .+\.$/,
      );
      expect(payloads("gone")).to.have.length(1);
      expect(push.received, "fr1 and fr3 are not told").to.have.length(0);
    });

    it("tells them when their threshold is no longer reached after a withdrawal", async function () {
      push.answer("gone", 410);
      await pledge(keys[3], 0);
      await step();
      const [p] = payloads("en2");
      expect(p).to.include({ kind: "lost", binds: false, level: 2 });
      expect(p.title).to.equal("Your threshold is no longer reached: Grève des cantines");
      expect(p.body).to.match(
        /^Some pledges were withdrawn: 2 people would act now, fewer than the 4 people you were waiting for\. Your pledge does not bind for now\./,
      );
      expect(push.received).to.have.length(0);
    });

    it("forgets a subscription the push service says is gone (410)", function () {
      expect(notifier.store.countForEndpoint(push.browser("gone").subscription.endpoint)).to.equal(0);
      expect(notifier.store.subscriptionCount(campaign)).to.equal(3);
    });

    it("says it in French too, with French typography", async function () {
      await subscribe("fr2", 2, "fr");
      await pledge(keys[3], 2, 10n ** 15n);
      await step();
      const [fr] = payloads("fr2");
      expect(fr.title).to.equal(`Votre seuil est atteint${NNBSP}: Grève des cantines`);
      expect(payloads("en2")[0].kind).to.equal("reached");
      await pledge(keys[3], 0);
      await step();
      const [lost] = payloads("fr2");
      expect(lost.title).to.equal(`Votre seuil n’est plus atteint${NNBSP}: Grève des cantines`);
      expect(lost.body).to.match(
        new RegExp(
          `^Des engagements ont été retirés${NNBSP}: 2 personnes agiraient maintenant, moins que les 4 personnes que vous attendiez\\.`,
        ),
      );
      payloads("en2");
      await pledge(keys[3], 2, 10n ** 15n);
      await step();
      expect(payloads("fr2")[0].kind).to.equal("reached");
      expect(payloads("en2")[0].kind).to.equal("reached");
      expect(push.received).to.have.length(0);
    });

    it("sent every message with VAPID, aes128gcm, a TTL, an urgency and a per-campaign topic", async function () {
      await app.inject({
        method: "DELETE",
        url: "/v1/subscriptions",
        payload: { endpoint: push.browser("fr2").subscription.endpoint, campaign },
      });
      await pledge(keys[3], 0);
      await step();
      const [r] = push.take("en2");
      expect(push.refused).to.deep.equal([]);
      expect(r.jwt.sub).to.equal("mailto:ops@example.org");
      expect(Number(r.headers.ttl)).to.be.greaterThan(0).and.at.most(86_400);
      expect(r.headers.urgency).to.equal("normal");
      expect(r.headers.topic).to.equal(`th${campaign.slice(2, 32)}`);
      expect(push.take("fr2"), "unsubscribed: nothing more").to.have.length(0);
      await pledge(keys[3], 2, 10n ** 15n);
      await step();
      expect(push.take("en2")).to.have.length(1);
    });
  });

  describe("conditional pledgers (per level and condition class)", function () {
    const [none, halfCovered, allCovered] = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
    let bigDonation: bigint;

    async function donate(amount: bigint): Promise<bigint> {
      const hash = await wallet.writeContract({
        address: conditional,
        abi: campaignAbi,
        functionName: "donate",
        args: [1n, amount],
        value: amount,
        account: wallet.account!,
        chain: wallet.chain,
      });
      const receipt = await client.waitForTransactionReceipt({ hash });
      const [event] = parseEventLogs({ abi: campaignAbi, logs: receipt.logs, eventName: "Donated" });
      return event.args.donationId;
    }

    before(async function () {
      push.take();
      for (const [id, condition, lang] of [
        ["c-none", 0, "en"],
        ["c-half", 1, "en"],
        ["c-all", 2, "fr"],
        // Has no pledge: it gets what the half-covered group gets, nothing about anyone.
        ["c-spy", 1, "en"],
      ] as const) {
        const r = await subscribe(id, 1, lang, conditional, condition);
        expect(r.statusCode, r.body).to.equal(201);
        expect(r.json()).to.deep.equal({ campaign: conditional, level: 1, condition, lang });
      }
      expect((await subscribe("c-too-high", 1, "en", conditional, 3)).json().error.code).to.equal("INVALID_REQUEST");
    });

    it("keeps one subscription per device and campaign: another class replaces it, it never adds one", async function () {
      const count = notifier.store.subscriptionCount(conditional);
      for (const condition of [2, 0, 1]) {
        expect((await subscribe("c-spy", 1, "en", conditional, condition)).statusCode).to.equal(201);
      }
      expect(notifier.store.subscriptionCount(conditional)).to.equal(count);
      const row = notifier.store.db
        .prepare(`SELECT condition FROM subscriptions WHERE endpoint = ?`)
        .get(push.browser("c-spy").subscription.endpoint) as { condition: number };
      expect(row.condition).to.equal(1);
    });

    it("sends nothing while no group counts", async function () {
      await pledge(none, 1, 0n, conditional, 0);
      await pledge(halfCovered, 1, 100n, conditional, 1);
      await pledge(allCovered, 1, 100n, conditional, 2);
      await step();
      expect(push.received).to.have.length(0);
    });

    it("tells the half-covered group it counts once a donation covers half, and the unconditional one its threshold", async function () {
      // F = 60: with the half-covered request (100) coverage is 60 %, enough for it; the all-covered one stays out.
      await donate(60n);
      await step();
      const [half] = payloads("c-half");
      expect(half).to.include({ kind: "covered", binds: true, level: 1, condition: 1, campaign: conditional });
      expect(half.title).to.equal("Your group now counts: Grève des crèches");
      expect(half.body).to.match(
        /^The fund now covers 60% of the support requested, at least the 50% your pledge asks for: your pledge now binds\. 2 people are bound to strike;/,
      );
      const [reached] = payloads("c-none");
      expect(reached).to.include({ kind: "reached", binds: true, condition: 0 });
      const [spy] = payloads("c-spy");
      expect(spy).to.deep.equal(half);
      expect(push.received, "the all-covered group does not count yet: nothing").to.have.length(0);
    });

    it("tells the all-covered group (in French) when more donations cover every request", async function () {
      bigDonation = await donate(150n);
      await step();
      const [all] = payloads("c-all");
      expect(all).to.include({ kind: "covered", binds: true, condition: 2, lang: "fr" });
      expect(all.title).to.equal(`Votre groupe compte désormais${NNBSP}: Grève des crèches`);
      expect(all.body).to.match(
        new RegExp(
          `^Le fonds couvre maintenant 100${NNBSP}% du soutien demandé, au moins les 100${NNBSP}% que votre engagement exige${NNBSP}: votre engagement compte désormais\\. 3 personnes sont tenues de faire grève`,
        ),
      );
      expect(push.received, "the others' state did not change").to.have.length(0);
    });

    it("tells a group it no longer counts when a larger request leaves the fund short, by coverage", async function () {
      // 210 donated no longer covers all of 100 + 300 requested by the all-covered group.
      await pledge(allCovered, 1, 300n, conditional, 2);
      await step();
      const [all] = payloads("c-all");
      expect(all).to.include({ kind: "uncovered", binds: false, condition: 2 });
      expect(all.title).to.equal(`Votre groupe ne compte plus${NNBSP}: Grève des crèches`);
      expect(all.body).to.match(
        new RegExp(
          `^Le fonds couvre moins de 100${NNBSP}% du soutien demandé si votre groupe est compté${NNBSP}: votre engagement ne compte plus pour l’instant\\.`,
        ),
      );
      expect(push.received).to.have.length(0);
    });

    it("says nothing when a donation moves but no group changes, and tells by the count when the threshold is lost", async function () {
      const hash = await wallet.writeContract({
        address: conditional,
        abi: campaignAbi,
        functionName: "withdrawDonation",
        args: [bigDonation],
        account: wallet.account!,
        chain: wallet.chain,
      });
      await client.waitForTransactionReceipt({ hash });
      await step();
      expect(push.received, "60 still covers half of the half-covered group's 100").to.have.length(0);
      await pledge(none, 0, 0n, conditional, 0);
      await step();
      const [half] = payloads("c-half");
      expect(half).to.include({ kind: "uncovered", binds: false, condition: 1 });
      expect(half.body).to.match(
        /^No threshold is reached any more, and yours needs 2 people: your pledge does not bind for now\./,
      );
      expect(payloads("c-spy")).to.deep.equal([half]);
      expect(payloads("c-none")[0]).to.include({ kind: "lost", binds: false });
      expect(push.received).to.have.length(0);
    });

    it("records the groups' changes in the public feed, the same for every reader", async function () {
      const r = await app.inject({ method: "GET", url: `/v1/campaigns/${conditional}/feed.atom?lang=en` });
      expect(XMLValidator.validate(r.body)).to.equal(true);
      const parsed = new XMLParser().parse(r.body) as { feed: { entry: { title: string }[] } };
      const titles = parsed.feed.entry.map((e) => e.title).reverse();
      expect(titles).to.deep.equal([
        "Threshold reached: 2 people",
        "Conditional pledges count: at least 50% covered",
        "Conditional pledges count: at least 100% covered",
        "Fewer conditional pledges count: at least 100% covered",
        "Threshold no longer reached: 2 people",
        "Fewer conditional pledges count: at least 50% covered",
      ]);
    });

    it("keeps the class of each subscription, never a key, and forgets them on unsubscribing", async function () {
      const rows = notifier.store.db
        .prepare(`SELECT level, condition FROM subscriptions WHERE campaign = ? ORDER BY condition`)
        .all(conditional) as { level: number; condition: number }[];
      expect(rows.map((r) => [r.level, r.condition])).to.deep.equal([
        [1, 0],
        [1, 1],
        [1, 1],
        [1, 2],
      ]);
      const text = JSON.stringify(notifier.store.db.prepare(`SELECT * FROM subscriptions`).all()).toLowerCase();
      for (const k of [none, halfCovered, allCovered]) expect(text).not.to.include(k.address.slice(2).toLowerCase());
      for (const id of ["c-none", "c-half", "c-all", "c-spy"]) {
        await app.inject({
          method: "DELETE",
          url: "/v1/subscriptions",
          payload: { endpoint: push.browser(id).subscription.endpoint, campaign: conditional },
        });
      }
      expect(notifier.store.subscriptionCount(conditional)).to.equal(0);
    });
  });

  describe("what the store holds", function () {
    async function storeText(): Promise<string> {
      const text: string[] = [];
      for (const table of Object.keys(COLUMNS)) {
        for (const row of notifier.store.db.prepare(`SELECT * FROM ${table}`).all()) text.push(JSON.stringify(row));
      }
      // Every file of the store as raw bytes: the database and any -wal, -shm or -journal beside it.
      for (const bytes of storeFiles(dbPath()).values()) text.push(bytes.toString("latin1"));
      return text.join("\n").toLowerCase();
    }

    it("has exactly the columns docs/notifier.md lists", async function () {
      const doc = await readFile(path.join(ROOT, "docs/notifier.md"), "utf8");
      for (const [table, columns] of Object.entries(COLUMNS)) {
        const actual = (notifier.store.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
          (c) => c.name,
        );
        expect(actual, table).to.deep.equal([...columns]);
        for (const c of columns) expect(doc, `${table}.${c} documented`).to.include(`| \`${c}\` |`);
      }
      const tables = (
        notifier.store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
      ).map((t) => t.name);
      expect(tables.sort()).to.deep.equal(Object.keys(COLUMNS).sort());
    });

    it("holds no pledge key, no wallet address and no IP address", async function () {
      const text = await storeText();
      const addresses = [
        ...keys.map((k) => k.address),
        ...TEST_KEYS.map((k) => privateKeyToAccount(k).address),
        factory,
      ];
      for (const a of addresses) expect(text).not.to.include(a.slice(2).toLowerCase());
      expect(text).not.to.match(/\b127\.0\.0\.1\b|::1|::ffff:/);
      // Only campaigns' addresses, and only these two.
      const hex = new Set(text.match(/0x[0-9a-f]{40}/g) ?? []);
      expect([...hex].sort()).to.deep.equal(
        [campaign.toLowerCase(), other.toLowerCase(), conditional.toLowerCase()].sort(),
      );
    });

    it("stores nothing when someone reads a feed or a calendar entry", async function () {
      const before = JSON.stringify(
        Object.keys(COLUMNS).map((t) => notifier.store.db.prepare(`SELECT * FROM ${t}`).all()),
      );
      await app.inject({
        method: "GET",
        url: `/v1/campaigns/${campaign}/feed.atom?lang=fr`,
        remoteAddress: "203.0.113.7",
      });
      await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/event.ics`, remoteAddress: "203.0.113.7" });
      const after = JSON.stringify(
        Object.keys(COLUMNS).map((t) => notifier.store.db.prepare(`SELECT * FROM ${t}`).all()),
      );
      expect(after).to.equal(before);
      expect(await storeText()).not.to.include("203.0.113.7");
    });
  });

  describe("nothing lost across a stop", function () {
    it("keeps undelivered messages through a restart and delivers them once", async function () {
      push.answer("en2", 503);
      await pledge(keys[3], 0);
      await step();
      expect(push.take("en2")).to.have.length(0);
      expect(notifier.store.pendingDeliveries(campaign)).to.equal(1);
      await notifier.close();
      push.answer("en2", 201);
      notifier = newNotifier();
      await app.close();
      app = await buildRoutes(notifier);
      // The retry waits for its back-off; make it due now.
      notifier.store.db.prepare(`UPDATE outbox SET next_at = 0`).run();
      await step();
      const got = payloads("en2");
      expect(got.map((p) => p.kind)).to.deep.equal(["lost"]);
      await step();
      expect(push.take("en2")).to.have.length(0);
      await pledge(keys[3], 2, 10n ** 15n);
      await step();
      expect(payloads("en2").map((p) => p.kind)).to.deep.equal(["reached"]);
    });
  });

  describe("resolution and the day before the action", function () {
    it("tells everyone the result: bound (with support due) or free", async function () {
      await wallet
        .writeContract({
          address: campaign,
          abi: campaignAbi,
          functionName: "donate",
          args: [1n, 10n ** 17n],
          value: 10n ** 17n,
          account: wallet.account!,
          chain: wallet.chain,
        })
        .then((hash) => client.waitForTransactionReceipt({ hash }));
      await step();
      await increaseTime(node, 2 * 86_400 + 1);
      await resolveCampaign({ rpcUrl: node.url, privateKey: TEST_KEYS[5], campaign });
      await step();
      const [fr1] = payloads("fr1");
      expect(fr1).to.include({ kind: "resolved", binds: true });
      expect(fr1.title).to.match(new RegExp(`^C’est décidé, vous agissez le .+${NNBSP}: Grève des cantines$`));
      expect(fr1.body).to.equal(
        `4 personnes sont tenues de faire grève, votre seuil de 2 personnes est atteint${NNBSP}: votre engagement compte. Un soutien est dû${NNBSP}: si vous en avez demandé un, réclamez-le depuis votre page de reçu.`,
      );
      const [en2] = payloads("en2");
      expect(en2).to.include({ kind: "resolved", binds: true });
      expect(en2.body).to.equal(
        "4 people are bound to strike, your threshold of 4 people is reached: your pledge binds. Support is due: if you asked for some, claim it from your receipt page.",
      );
      const [fr3] = payloads("fr3");
      expect(fr3).to.include({ kind: "resolved", binds: false });
      expect(fr3.title).to.equal(`C’est décidé, vous êtes libre${NNBSP}: Grève des cantines`);
      expect(fr3.body).to.match(
        new RegExp(
          `^4 personnes sont tenues de faire grève, moins que les 10 personnes que vous attendiez${NNBSP}: votre engagement ne compte pas`,
        ),
      );
      expect(push.received).to.have.length(0);
    });

    it("reminds everyone the day before the action", async function () {
      await step();
      expect(push.received, "not yet").to.have.length(0);
      const now = (await client.getBlock()).timestamp;
      await increaseTime(node, Number(actionDate - DAY - now) + 60);
      await step();
      const [en2] = payloads("en2");
      expect(en2).to.include({ kind: "reminder", binds: true });
      expect(en2.title).to.equal("Tomorrow: Grève des cantines");
      expect(en2.body).to.match(
        /^Your pledge binds: 4 people act with you on .+, Lille\. Keep your receipt: it is your only proof\.$/,
      );
      const [fr3] = payloads("fr3");
      expect(fr3).to.include({ kind: "reminder", binds: false });
      expect(fr3.title).to.equal(`C’est demain${NNBSP}: Grève des cantines`);
      expect(payloads("fr1")).to.have.length(1);
      // The other campaign has the same action date; its description is not readable here.
      const [o] = payloads("other");
      expect(o).to.include({ kind: "reminder", binds: false, campaign: other });
      expect(o.title).to.equal(`Tomorrow: campaign ${other.slice(0, 10)}…`);
      await step();
      expect(push.received, "once only").to.have.length(0);
    });

    it("deletes the subscriptions once the campaign is over, and refuses new ones", async function () {
      expect(notifier.store.subscriptionCount(campaign)).to.equal(3);
      await increaseTime(node, 86_400);
      await step();
      expect(notifier.store.subscriptionCount(campaign)).to.equal(0);
      expect(notifier.store.subscriptionCount(other)).to.equal(1);
      const r = await subscribe("late", 1, "en");
      expect(r.statusCode).to.equal(409);
      expect(r.json().error.code).to.equal("CAMPAIGN_OVER");
    });
  });

  describe("feeds", function () {
    it("serves a valid Atom feed of crossings, resolution and reminder, in French and English", async function () {
      for (const lang of ["en", "fr"] as const) {
        const r = await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/feed.atom?lang=${lang}` });
        expect(r.statusCode).to.equal(200);
        expect(r.headers["content-type"]).to.match(/^application\/atom\+xml/);
        expect(XMLValidator.validate(r.body)).to.equal(true);
        const parsed = new XMLParser({ ignoreAttributes: false }).parse(r.body) as {
          feed: {
            "@_xmlns": string;
            title: string;
            id: string;
            entry: { title: string | { "#text": string }; id: string; category: { "@_term": string } }[];
          };
        };
        expect(parsed.feed["@_xmlns"]).to.equal("http://www.w3.org/2005/Atom");
        expect(parsed.feed.title).to.equal("Grève des cantines");
        const kinds = parsed.feed.entry.map((e) => e.category["@_term"]);
        // Newest first: reminder, resolution, then the crossings of the pledge period.
        expect(kinds.slice(0, 2)).to.deep.equal(["reminder", "resolved"]);
        expect(kinds.filter((k) => k === "reached").length).to.be.greaterThanOrEqual(3);
        expect(kinds).to.include("lost");
        expect(new Set(parsed.feed.entry.map((e) => e.id)).size).to.equal(parsed.feed.entry.length);
        const titles = parsed.feed.entry.map((e) => (typeof e.title === "string" ? e.title : e.title["#text"]));
        expect(titles).to.include(lang === "fr" ? `Seuil atteint${NNBSP}: 4 personnes` : "Threshold reached: 4 people");
        expect(titles).to.include(
          lang === "fr" ? `Résultat${NNBSP}: 4 personnes agissent le ${titles[1].split(" le ")[1]}` : titles[1],
        );
      }
    });

    it("serves a calendar entry for the action day with the campaign link", async function () {
      const r = await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/event.ics?lang=fr` });
      expect(r.statusCode).to.equal(200);
      expect(r.headers["content-type"]).to.match(/^text\/calendar/);
      const cal = new ICAL.Component(ICAL.parse(r.body));
      const [vevent] = cal.getAllSubcomponents("vevent");
      const event = new ICAL.Event(vevent);
      expect(event.summary).to.equal("Grève des cantines");
      expect(event.location).to.equal("Lille");
      expect(event.startDate.isDate, "all-day").to.equal(true);
      expect(event.startDate.toString()).to.equal(new Date(Number(actionDate) * 1000).toISOString().slice(0, 10));
      expect(vevent.getFirstPropertyValue("url")).to.equal(`https://bascule.example/#/c/${campaign}`);
      expect(event.description).to.include(`https://bascule.example/#/c/${campaign}`);
      // Identical for every reader and every download (nothing about the reader in it).
      const again = await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/event.ics?lang=fr` });
      expect(again.body).to.equal(r.body);
    });

    it("serves a feed for a campaign without a readable description", async function () {
      const r = await app.inject({ method: "GET", url: `/v1/campaigns/${other}/feed.atom` });
      expect(r.statusCode).to.equal(200);
      expect(XMLValidator.validate(r.body)).to.equal(true);
      expect(r.body).to.include(`Campaign ${other}`);
    });
  });

  describe("npm run notifier (the process)", function () {
    async function run(dataDir: string, port: number) {
      // Node itself with tsx as a loader (not the tsx binary, which forks): signals reach the notifier.
      const child = spawnNode(["--import", "tsx", "scripts/notifier/main.ts"], {
        cwd: ROOT,
        stdio: ["ignore", "ignore", "ignore"],
        env: {
          ...process.env,
          RPC_URL: node.url,
          FACTORY: factory,
          PORT: String(port),
          NOTIFIER_DATA: dataDir,
          POLL_MS: "200",
          // Only loopback endpoints: nothing may leave this machine in a test.
          PUSH_HOSTS: "localhost",
        },
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          if ((await fetch(`${url}/health`)).ok) break;
        } catch {
          // not up yet
        }
        if (child.exitCode !== null || Date.now() > deadline) throw new Error("the notifier did not start");
        await new Promise((r) => setTimeout(r, 200));
      }
      return { child, exited, url };
    }

    it("creates its VAPID key outside git, keeps subscriptions across Ctrl-C, and reuses the key", async function () {
      const dataDir = path.join(dir, "process");
      const first = await run(dataDir, await freePort());
      expect(statSync(path.join(dataDir, "vapid.json")).mode & 0o777).to.equal(0o600);
      const { publicKey } = (await (await fetch(`${first.url}/v1/vapid-public-key`)).json()) as { publicKey: string };
      const subscription = { ...push.browser("process").subscription, endpoint: "https://localhost:9/push/process" };
      let r: Response;
      const until = Date.now() + 30_000;
      // The first pass discovers the campaigns.
      do {
        r = await fetch(`${first.url}/v1/subscriptions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ campaign: other, level: 1, lang: "fr", subscription }),
        });
        if (r.status === 201) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      } while (Date.now() < until);
      expect(r.status).to.equal(201);
      first.child.kill("SIGINT");
      expect(await first.exited).to.equal(0);
      const db = new DatabaseSync(path.join(dataDir, "notifier.db"), { readOnly: true });
      const rows = db.prepare(`SELECT campaign, level, lang, endpoint FROM subscriptions`).all();
      db.close();
      expect(rows).to.deep.equal([{ campaign: other, level: 1, lang: "fr", endpoint: subscription.endpoint }]);
      const second = await run(dataDir, await freePort());
      const again = (await (await fetch(`${second.url}/v1/vapid-public-key`)).json()) as { publicKey: string };
      expect(again.publicKey).to.equal(publicKey);
      second.child.kill("SIGTERM");
      expect(await second.exited).to.equal(0);
    });
  });

  describe("a campaign nobody resolves", function () {
    it("is over a week after its action date: its subscriptions are deleted", async function () {
      expect(notifier.store.subscriptionCount(other)).to.equal(1);
      await increaseTime(node, 7 * 86_400);
      await step();
      expect(notifier.store.subscriptionCount(other)).to.equal(0);
      expect((await subscribe("late", 1, "en", other)).json().error.code).to.equal("CAMPAIGN_OVER");
    });
  });

  it("keeps its VAPID key across restarts (same file)", async function () {
    const again = loadOrCreateVapidKeys(dir);
    expect(again.publicKey).to.equal(notifier.publicKey);
  });
});
