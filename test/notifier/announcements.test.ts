/**
 * Organiser announcements at the notifier (issue 22), against a real `hardhat node` and the local
 * Web Push stand-in (test/helpers/push-service.ts): the organiser, or a delegate it authorised,
 * publishes in French and English; subscribers get one push each in their language (the title only:
 * lock-screen caution), a late follower the latest; the feed and the calendar carry it; anything
 * not signed by the organiser, for another campaign or chain, oversized, replayed or by an expired
 * delegate is refused with its code and FR/EN message. After a failure, a successor is announced and
 * pushed, and subscriptions still end on the campaign's day while announcements stay public.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import ICAL from "ical.js";
import {
  type Abi,
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  getAddress,
  http,
  keccak256,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  type AnnouncementContent,
  type SignedAnnouncement,
  type TypedDataSigner,
  signAnnouncement,
  signDelegation,
  signRevocation,
} from "@bascule/core/announcements";
import { campaignFactoryAbi } from "@bascule/core/generated/abis";
import { createdCampaign } from "@bascule/core/replay";
import { createCampaign, resolveCampaign } from "../../scripts/cli/campaign.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import type { PushPayload } from "../../scripts/notifier/messages.js";
import { buildRoutes } from "../../scripts/notifier/routes.js";
import { Notifier, loadOrCreateVapidKeys } from "../../scripts/notifier/service.js";
import { COLUMNS } from "../../scripts/notifier/store.js";
import { type LocalNode, ROOT, TEST_KEYS, increaseTime, startNode } from "../helpers/node.js";
import { type PushServiceStandIn, startPushService } from "../helpers/push-service.js";
import { campaignParams } from "../helpers/campaign.js";

const DAY = 86_400n;
const NNBSP = "\u202f";

describe("notifier: announcements", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let dir: string;
  let push: PushServiceStandIn;
  let notifier: Notifier;
  let app: FastifyInstance;
  let factory: Address;
  let campaign: Address;
  let failing: Address;
  let successor: Address;
  let crowded: Address;
  let chainId: number;
  /** The notifier's clock when set (delegation expiry), else the system's. */
  let clock: number | null = null;
  /** How long pushes wait for the other language's version (0 but in the test about it). */
  let grace = 0;
  const organiser = privateKeyToAccount(TEST_KEYS[1]);
  const stranger = privateKeyToAccount(generatePrivateKey());
  const delegate = privateKeyToAccount(generatePrivateKey());
  const now = () => Math.floor(Date.now() / 1000);
  const start = now() + 3 * 86_400;

  function fr(issuedAt: number): AnnouncementContent {
    return {
      lang: "fr",
      title: "Assemblée générale jeudi",
      text: "Rendez-vous à la Bourse du travail pour voter la suite du mouvement.",
      place: "Bourse du travail, Lille",
      startTime: start,
      successor: null,
      issuedAt,
    };
  }
  function en(issuedAt: number): AnnouncementContent {
    return {
      ...fr(issuedAt),
      lang: "en",
      title: "General meeting on Thursday",
      text: "Meet at the Bourse du travail to vote on what comes next.",
    };
  }

  const post = (address: Address, body: unknown) =>
    app.inject({ method: "POST", url: `/v1/campaigns/${address}/announcements`, payload: body as object });
  const payloads = (id: string) => push.take(id).map((r) => JSON.parse(r.text) as PushPayload);
  async function subscribe(id: string, level: number, lang: "en" | "fr", address: Address = campaign) {
    return app.inject({
      method: "POST",
      url: "/v1/subscriptions",
      payload: { campaign: address, level, lang, subscription: push.browser(id).subscription },
    });
  }
  async function step() {
    await notifier.poll();
    await notifier.deliver();
  }

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-announce-"));
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    const client = createPublicClient({ transport: http(node.url) });
    chainId = await client.getChainId();
    const t = (await client.getBlock()).timestamp;
    const doc = JSON.stringify({ title: "Grève des cantines", text: "", place: "Lille", languages: ["fr"] });
    const create = async (salt: string, ladder: number[], metadata = "ipfs://x") =>
      (
        await createCampaign({
          rpcUrl: node.url,
          privateKey: TEST_KEYS[1],
          factory,
          params: campaignParams(t, {
            ladder,
            pledgeDeadline: t + 2n * DAY,
            actionDate: t + 5n * DAY,
            metadataHash: keccak256(toHex(metadata === "ipfs://x" ? "x" : doc)),
          }),
          metadataURI: metadata,
          salt: keccak256(toHex(salt)),
        })
      ).campaign;
    campaign = await create("a-1", [2, 4], `data:application/json;base64,${Buffer.from(doc).toString("base64")}`);
    failing = await create("a-2", [3]);
    successor = await create("a-3", [2]);
    crowded = await create("a-4", [2]);
    notifier = new Notifier({
      rpcUrl: node.url,
      factory,
      dbPath: path.join(dir, "notifier.db"),
      vapid: loadOrCreateVapidKeys(dir),
      appUrl: "https://bascule.example/",
      pollMs: 60_000,
      insecurePushHosts: ["localhost"],
      timeZone: "UTC",
      log: () => {},
      now: () => clock ?? now(),
      maxAnnouncements: 5,
      get announcementGraceMs() {
        return grace;
      },
    });
    push = await startPushService(notifier.publicKey);
    app = await buildRoutes(notifier);
    await notifier.poll();
    for (const [id, level, lang] of [
      ["fr1", 1, "fr"],
      ["en2", 2, "en"],
    ] as const) {
      expect((await subscribe(id, level, lang)).statusCode).to.equal(201);
    }
    expect((await subscribe("fail-fr", 1, "fr", failing)).statusCode).to.equal(201);
  });

  after(async function () {
    await app?.close();
    await notifier?.close();
    await push?.close();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let issued: number;
  let first: SignedAnnouncement;

  describe("publishing", function () {
    it("publishes the organiser's announcement and gives it back, signed, newest first", async function () {
      issued = now();
      first = await signAnnouncement(organiser, campaign, chainId, fr(issued));
      const r = await post(campaign, first);
      expect(r.statusCode, r.body).to.equal(201);
      const item = r.json();
      expect(item).to.include({
        campaign,
        chainId,
        lang: "fr",
        title: first.title,
        text: first.text,
        place: first.place,
        startTime: start,
        successor: null,
        signer: organiser.address,
        signature: first.signature,
      });
      expect(item.id).to.match(/^0x[0-9a-f]{64}$/);
      expect(item.publishedAt).to.be.within(issued - 5, now() + 5);
      const english = await post(campaign, await signAnnouncement(organiser, campaign, chainId, en(issued)));
      expect(english.statusCode, english.body).to.equal(201);
      const list = await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/announcements` });
      expect(list.statusCode).to.equal(200);
      expect(
        list
          .json()
          .announcements.map((a: { lang: string }) => a.lang)
          .sort(),
      ).to.deep.equal(["en", "fr"]);
      const one = await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/announcements?limit=1` });
      expect(one.json().announcements).to.have.length(1);
      for (const limit of ["0", "201", "x"]) {
        const bad = await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/announcements?limit=${limit}` });
        expect(bad.statusCode, limit).to.equal(400);
      }
    });

    it("pushes it once to each subscriber, in their language, with the title only (lock screen)", async function () {
      await notifier.deliver();
      const [f] = payloads("fr1");
      expect(f).to.include({ kind: "announcement", campaign, lang: "fr" });
      expect(f.title).to.equal(`Message de l’organisation${NNBSP}: Grève des cantines`);
      expect(f.body).to.equal("Assemblée générale jeudi");
      expect(JSON.stringify(f)).to.not.include("Bourse du travail");
      const [e] = payloads("en2");
      expect(e.title).to.equal("From the organiser: Grève des cantines");
      expect(e.body).to.equal("General meeting on Thursday");
      await notifier.deliver();
      expect(push.received, "one push per subscriber for both languages").to.have.length(0);
    });

    it("waits for the other language's version before pushing, so each subscriber gets theirs", async function () {
      grace = 1_500;
      try {
        const t = now() + 2;
        expect((await subscribe("crowd-en", 1, "en", crowded)).statusCode).to.equal(201);
        const posted = await post(crowded, await signAnnouncement(organiser, crowded, chainId, fr(t)));
        expect(posted.statusCode, posted.body).to.equal(201);
        // One more follower during the grace period waits with the others.
        expect((await subscribe("crowd-fr", 1, "fr", crowded)).statusCode).to.equal(201);
        await notifier.deliver();
        expect(push.received, "nothing before the grace period ends").to.have.length(0);
        expect((await post(crowded, await signAnnouncement(organiser, crowded, chainId, en(t)))).statusCode).to.equal(
          201,
        );
        await new Promise((r) => setTimeout(r, 1_600));
        await notifier.deliver();
        expect(payloads("crowd-en").map((p) => p.body)).to.deep.equal(["General meeting on Thursday"]);
        expect(payloads("crowd-fr").map((p) => p.body)).to.deep.equal(["Assemblée générale jeudi"]);
      } finally {
        grace = 0;
      }
    });

    it("gives a late follower the latest announcement, once", async function () {
      expect((await subscribe("late", 1, "en")).statusCode).to.equal(201);
      await notifier.deliver();
      const got = payloads("late");
      expect(got).to.have.length(1);
      expect(got[0].body).to.equal("General meeting on Thursday");
      // Changing one's level is not following anew.
      expect((await subscribe("late", 2, "en")).statusCode).to.equal(201);
      await notifier.deliver();
      expect(payloads("late")).to.have.length(0);
    });

    it("puts it in the campaign's feed, in the reader's language", async function () {
      for (const [lang, title, text] of [
        ["fr", "Assemblée générale jeudi", "Rendez-vous à la Bourse du travail"],
        ["en", "General meeting on Thursday", "Meet at the Bourse du travail"],
      ] as const) {
        const r = await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/feed.atom?lang=${lang}` });
        expect(XMLValidator.validate(r.body)).to.equal(true);
        const feed = new XMLParser({ ignoreAttributes: false }).parse(r.body).feed;
        const entries = [feed.entry].flat();
        const mine = entries.filter((x: { title: { "#text"?: string } | string }) =>
          JSON.stringify(x.title).includes(title),
        );
        expect(mine, lang).to.have.length(1);
        expect(JSON.stringify(mine[0].content)).to.include(text);
        expect(JSON.stringify(mine[0].content)).to.include("Bourse du travail, Lille");
      }
    });

    it("makes the place and time an event of the calendar, the same event in both languages", async function () {
      const uids: string[] = [];
      for (const lang of ["fr", "en"] as const) {
        const r = await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/event.ics?lang=${lang}` });
        expect(r.statusCode).to.equal(200);
        const events = new ICAL.Component(ICAL.parse(r.body))
          .getAllSubcomponents("vevent")
          .map((v) => new ICAL.Event(v));
        const meeting = events.find((v) => v.location === "Bourse du travail, Lille");
        expect(meeting, lang).to.not.equal(undefined);
        expect(meeting!.startDate.toUnixTime()).to.equal(start);
        expect(meeting!.summary).to.equal(lang === "fr" ? "Assemblée générale jeudi" : "General meeting on Thursday");
        uids.push(meeting!.uid);
      }
      expect(uids[0]).to.equal(uids[1]);
    });

    it("accepts a delegate's announcement until the delegation expires", async function () {
      const t = now();
      const delegation = await signDelegation(organiser, campaign, chainId, delegate.address, t + 3_600);
      const signed = await signAnnouncement(
        delegate,
        campaign,
        chainId,
        { ...fr(t + 1), startTime: null, place: null, title: "Piquet demain" },
        delegation,
      );
      clock = t + 3_600;
      try {
        const late = await post(campaign, signed);
        expect(late.statusCode).to.equal(403);
        expect(late.json().error.code).to.equal("DELEGATION_EXPIRED");
      } finally {
        clock = null;
      }
      const r = await post(campaign, signed);
      expect(r.statusCode, r.body).to.equal(201);
      expect(r.json().signer).to.equal(delegate.address);
      expect(r.json().delegation).to.deep.equal(delegation);
      await notifier.deliver();
      expect(payloads("fr1").map((p) => p.body)).to.deep.equal(["Piquet demain"]);
      // In French only: the English subscriber gets the French words rather than nothing.
      expect(payloads("en2").map((p) => p.body)).to.deep.equal(["Piquet demain"]);
    });
  });

  describe("refusals", function () {
    async function refused(address: Address, body: unknown, status: number, code: string) {
      const r = await post(address, body);
      expect(r.statusCode, r.body).to.equal(status);
      const error = r.json().error;
      expect(error.code).to.equal(code);
      expect(error.message.en).to.be.a("string").and.not.equal("");
      expect(error.message.fr).to.be.a("string").and.not.equal("");
      // The messages this work adds use the typographic apostrophe (older ones are not all converted).
      if (!["INVALID_REQUEST", "UNKNOWN_CAMPAIGN"].includes(code)) expect(error.message.fr).to.not.include("'");
      return error;
    }

    it("refuses anyone but the organiser", async function () {
      await refused(campaign, await signAnnouncement(stranger, campaign, chainId, fr(now())), 403, "NOT_ORGANISER");
    });

    it("refuses a copy on another campaign, relabelled or not, and on another chain", async function () {
      await refused(crowded, first, 422, "WRONG_CAMPAIGN");
      await refused(crowded, { ...first, campaign: crowded }, 400, "BAD_SIGNATURE");
      await refused(campaign, await signAnnouncement(organiser, campaign, 1, fr(now())), 422, "WRONG_CHAIN");
    });

    it("refuses the same announcement twice, and another one in the same language at the same second", async function () {
      await refused(campaign, first, 409, "REPLAYED");
      const other = await signAnnouncement(organiser, campaign, chainId, { ...fr(issued), title: "Autre" });
      await refused(campaign, other, 409, "DUPLICATE");
    });

    it("refuses an oversized field with its limit, and a body past the route's limit", async function () {
      const long = await signAnnouncement(organiser, campaign, chainId, { ...fr(now()), text: "x".repeat(2_001) });
      const error = await refused(campaign, long, 413, "TOO_LARGE");
      expect(error.details).to.deep.equal({ field: "text", max: 2000 });
      const huge = await post(campaign, { ...first, text: "x".repeat(20_000) });
      expect(huge.statusCode).to.equal(413);
      expect(huge.json().error.code).to.equal("BODY_TOO_LARGE");
    });

    it("refuses a changed text, an unknown field, an unknown campaign", async function () {
      await refused(campaign, { ...first, text: "La grève est annulée." }, 400, "BAD_SIGNATURE");
      await refused(campaign, { ...first, reader: "x" }, 400, "INVALID_REQUEST");
      const nowhere = "0x000000000000000000000000000000000000dEaD";
      await refused(nowhere as Address, first, 404, "UNKNOWN_CAMPAIGN");
    });

    it("refuses a successor while the campaign has not failed, or one the notifier does not know", async function () {
      const next = await signAnnouncement(organiser, campaign, chainId, { ...fr(now() + 100), successor });
      await refused(campaign, next, 409, "NOT_FAILED");
      const unknown = await signAnnouncement(organiser, failing, chainId, {
        ...fr(now()),
        successor: "0x000000000000000000000000000000000000bEEF",
      });
      await refused(failing, unknown, 422, "UNKNOWN_SUCCESSOR");
    });

    it("keeps a bounded number of announcements per campaign", async function () {
      const t = now();
      // Two are there already (the grace period's test).
      for (let i = 0; i < 3; i++) {
        const r = await post(crowded, await signAnnouncement(organiser, crowded, chainId, fr(t - 10 + i)));
        expect(r.statusCode, r.body).to.equal(201);
      }
      await refused(
        crowded,
        await signAnnouncement(organiser, crowded, chainId, fr(t + 50)),
        429,
        "TOO_MANY_ANNOUNCEMENTS",
      );
    });
  });

  describe("an organiser that is a contract (a Safe, ERC-1271)", function () {
    // A one-owner smart account (contracts/test/TestERC1271Wallet.sol) creates a campaign: the
    // campaign's organiser is the contract, whose isValidSignature accepts its owner's signatures.
    const owner = privateKeyToAccount(TEST_KEYS[2]);
    let safe: Address;
    let safeCampaign: Address;
    /** Signs as the contract: the owner's key makes the signature, the contract is the signer. */
    let asSafe: TypedDataSigner;

    before(async function () {
      const client = createPublicClient({ transport: http(node.url) });
      const wallet = createWalletClient({
        account: owner,
        chain: chainFor(chainId, node.url),
        transport: http(node.url),
      });
      const artifact = JSON.parse(
        await readFile(
          path.join(ROOT, "artifacts/contracts/test/TestERC1271Wallet.sol/TestERC1271Wallet.json"),
          "utf8",
        ),
      ) as { abi: Abi; bytecode: Hex };
      const deployed = await client.waitForTransactionReceipt({
        hash: await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args: [owner.address] }),
      });
      safe = getAddress(deployed.contractAddress!);
      const t = (await client.getBlock()).timestamp;
      const create = encodeFunctionData({
        abi: campaignFactoryAbi,
        functionName: "createCampaign",
        args: [
          campaignParams(t, {
            ladder: [2],
            pledgeDeadline: t + 2n * DAY,
            actionDate: t + 5n * DAY,
            metadataHash: keccak256(toHex("x")),
          }),
          "ipfs://x",
          keccak256(toHex("safe-1")),
        ],
      });
      const receipt = await client.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          address: safe,
          abi: artifact.abi,
          functionName: "execute",
          args: [factory, create],
        }),
      });
      safeCampaign = createdCampaign(receipt.logs);
      asSafe = { address: safe, signTypedData: owner.signTypedData as TypedDataSigner["signTypedData"] };
      await notifier.poll();
    });

    it("accepts an announcement its owner signed for it, and refuses another key's with NOT_ORGANISER", async function () {
      const signed = await signAnnouncement(asSafe, safeCampaign, chainId, fr(now()));
      expect(signed.signer).to.equal(safe);
      const r = await post(safeCampaign, signed);
      expect(r.statusCode, r.body).to.equal(201);
      expect(r.json().signer).to.equal(safe);
      // Another key, signing as itself; the owner's key as itself is not the organiser either.
      for (const who of [stranger, owner]) {
        const other = await post(safeCampaign, await signAnnouncement(who, safeCampaign, chainId, fr(now() + 1)));
        expect(other.statusCode, other.body).to.equal(403);
        expect(other.json().error.code).to.equal("NOT_ORGANISER");
      }
      // Another key's signature claiming to be the contract's: the contract refuses it.
      const forged = await signAnnouncement(
        { address: safe, signTypedData: stranger.signTypedData as TypedDataSigner["signTypedData"] },
        safeCampaign,
        chainId,
        fr(now() + 2),
      );
      const refused = await post(safeCampaign, forged);
      expect(refused.statusCode, refused.body).to.equal(400);
      expect(refused.json().error.code).to.equal("BAD_SIGNATURE");
    });

    it("asks the chain only for an organiser that has code: junk in an account organiser's name costs no call", async function () {
      const client = notifier.client as { verifyTypedData: (...a: unknown[]) => Promise<boolean> };
      const original = client.verifyTypedData;
      const asked: unknown[] = [];
      client.verifyTypedData = (...a: unknown[]) => (asked.push(a[0]), original.apply(notifier.client, a));
      try {
        const junk = {
          ...(await signAnnouncement(organiser, campaign, chainId, fr(now() + 3))),
          text: "Grève annulée",
        };
        expect((await post(campaign, junk)).json().error.code).to.equal("BAD_SIGNATURE");
        expect(asked).to.have.length(0);
        const forSafe = await signAnnouncement(asSafe, safeCampaign, chainId, fr(now() + 4));
        expect((await post(safeCampaign, { ...forSafe, text: "Grève annulée" })).json().error.code).to.equal(
          "BAD_SIGNATURE",
        );
        expect(asked).to.have.length(1);
      } finally {
        client.verifyTypedData = original;
      }
    });

    it("accepts a delegate the contract authorised, and the contract's revocation of it", async function () {
      const helper = privateKeyToAccount(generatePrivateKey());
      const t = now();
      const delegation = await signDelegation(asSafe, safeCampaign, chainId, helper.address, t + 3_600);
      const content = { ...fr(t + 10), title: "Piquet à 6 h" };
      const r = await post(safeCampaign, await signAnnouncement(helper, safeCampaign, chainId, content, delegation));
      expect(r.statusCode, r.body).to.equal(201);
      // A delegation signed by another key for the contract is not the contract's.
      const fake = await signDelegation(
        { address: safe, signTypedData: stranger.signTypedData as TypedDataSigner["signTypedData"] },
        safeCampaign,
        chainId,
        helper.address,
        t + 3_600,
      );
      const bad = await post(safeCampaign, await signAnnouncement(helper, safeCampaign, chainId, fr(t + 11), fake));
      expect(bad.json().error.code).to.equal("NOT_ORGANISER");
      const revoked = await app.inject({
        method: "POST",
        url: `/v1/campaigns/${safeCampaign}/revocations`,
        payload: await signRevocation(asSafe, safeCampaign, chainId, helper.address, t),
      });
      expect(revoked.statusCode, revoked.body).to.equal(201);
      const after = await post(
        safeCampaign,
        await signAnnouncement(helper, safeCampaign, chainId, fr(t + 12), delegation),
      );
      expect(after.json().error.code).to.equal("DELEGATION_REVOKED");
    });
  });

  describe("revoking a delegate before its expiry", function () {
    const helper = privateKeyToAccount(generatePrivateKey());
    const revoke = (address: Address, body: unknown) =>
      app.inject({ method: "POST", url: `/v1/campaigns/${address}/revocations`, payload: body as object });
    let t: number;
    let delegation: Awaited<ReturnType<typeof signDelegation>>;
    let before: SignedAnnouncement;

    async function refusedRevocation(address: Address, body: unknown, status: number, code: string) {
      const r = await revoke(address, body);
      expect(r.statusCode, r.body).to.equal(status);
      const error = r.json().error;
      expect(error.code).to.equal(code);
      expect(error.message.en).to.be.a("string").and.not.equal("");
      expect(error.message.fr).to.be.a("string").and.not.include("'");
    }

    it("refuses every later announcement of the revoked delegate with DELEGATION_REVOKED, in FR and EN", async function () {
      t = now();
      delegation = await signDelegation(organiser, campaign, chainId, helper.address, t + 30 * 86_400);
      before = await signAnnouncement(
        helper,
        campaign,
        chainId,
        { ...fr(t - 1_000), title: "Tract à distribuer" },
        delegation,
      );
      expect((await post(campaign, before)).statusCode).to.equal(201);
      // From the next second: the announcement above was published before.
      const revocation = await signRevocation(organiser, campaign, chainId, helper.address, t + 1);
      const r = await revoke(campaign, revocation);
      expect(r.statusCode, r.body).to.equal(201);
      expect(r.json()).to.include({
        campaign,
        chainId,
        delegate: helper.address,
        revokedAt: t + 1,
        signer: organiser.address,
      });
      // Even one it says it wrote before the revocation: the notifier took the revocation first.
      const backdated = await signAnnouncement(
        helper,
        campaign,
        chainId,
        { ...fr(t - 900), title: "Grève annulée" },
        delegation,
      );
      const refused = await post(campaign, backdated);
      expect(refused.statusCode, refused.body).to.equal(403);
      const error = refused.json().error;
      expect(error.code).to.equal("DELEGATION_REVOKED");
      expect(error.details).to.deep.equal({ revokedAt: t + 1 });
      expect(error.message.fr).to.equal(
        `L’organisateur a révoqué cette clé${NNBSP}: elle ne peut plus publier d’annonce pour cette campagne. Demandez à l’organisateur, qui peut autoriser une nouvelle clé.`,
      );
      expect(error.message.en).to.contain("The organiser has revoked this key");
    });

    it("keeps what the delegate signed before, and serves the revocation with the announcements", async function () {
      const list = (await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/announcements` })).json();
      expect(list.announcements.map((a: { title: string }) => a.title)).to.include("Tract à distribuer");
      expect(list.revocations).to.have.length(1);
      expect(list.revocations[0]).to.include({
        delegate: helper.address,
        revokedAt: t + 1,
        signer: organiser.address,
      });
    });

    it("dated back to before a leak, hides what the key signed since, in the API and the feed", async function () {
      await refusedRevocation(
        campaign,
        await signRevocation(organiser, campaign, chainId, helper.address, t + 2),
        409,
        "ALREADY_REVOKED",
      );
      const earlier = await signRevocation(organiser, campaign, chainId, helper.address, t - 1_100);
      expect((await revoke(campaign, earlier)).statusCode).to.equal(201);
      const list = (await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/announcements` })).json();
      expect(list.announcements.map((a: { title: string }) => a.title)).to.not.include("Tract à distribuer");
      expect(list.revocations.map((r: { revokedAt: number }) => r.revokedAt)).to.deep.equal([t - 1_100]);
      const feed = await app.inject({ method: "GET", url: `/v1/campaigns/${campaign}/feed.atom?lang=fr` });
      expect(feed.body).to.not.include("Tract à distribuer");
      // The organiser's own announcements are not touched.
      expect(list.announcements.map((a: { title: string }) => a.title)).to.include("Assemblée générale jeudi");
    });

    it("refuses a revocation by anyone but the organiser, replayed on another campaign or chain, or ahead of time", async function () {
      const other = privateKeyToAccount(generatePrivateKey());
      await refusedRevocation(
        campaign,
        await signRevocation(stranger, campaign, chainId, other.address, now()),
        403,
        "REVOCATION_NOT_ORGANISER",
      );
      // A delegate cannot revoke another key either.
      await refusedRevocation(
        campaign,
        await signRevocation(helper, campaign, chainId, other.address, now()),
        403,
        "REVOCATION_NOT_ORGANISER",
      );
      const mine = await signRevocation(organiser, campaign, chainId, other.address, now());
      await refusedRevocation(crowded, mine, 422, "REVOCATION_WRONG_CAMPAIGN");
      await refusedRevocation(crowded, { ...mine, campaign: crowded }, 400, "REVOCATION_BAD_SIGNATURE");
      await refusedRevocation(campaign, { ...mine, delegate: helper.address }, 400, "REVOCATION_BAD_SIGNATURE");
      await refusedRevocation(
        campaign,
        await signRevocation(organiser, campaign, 1, other.address, now()),
        422,
        "REVOCATION_WRONG_CHAIN",
      );
      await refusedRevocation(
        campaign,
        await signRevocation(organiser, campaign, chainId, other.address, now() + 3_600),
        400,
        "REVOCATION_FROM_THE_FUTURE",
      );
      const stored = notifier.store.revocations(campaign).map((r) => r.delegate);
      expect(stored).to.deep.equal([helper.address]);
      expect(notifier.store.revocations(crowded)).to.deep.equal([]);
    });
  });

  describe("after a failure", function () {
    it("keeps the subscribers of a failed campaign for its successor, and takes no new ones", async function () {
      await increaseTime(node, 2 * 86_400 + 60);
      await resolveCampaign({ rpcUrl: node.url, privateKey: TEST_KEYS[5], campaign: failing });
      await step();
      expect(payloads("fail-fr").map((p) => p.kind)).to.deep.equal(["resolved"]);
      expect(notifier.store.subscriptionCount(failing)).to.equal(1);
      const r = await subscribe("too-late", 1, "fr", failing);
      expect(r.json().error.code).to.equal("CAMPAIGN_OVER");
    });

    it("announces the successor: pushed, in the feed with its link, and in the API", async function () {
      const content = {
        ...fr(now()),
        title: "On recommence le 12 juin",
        text: "Avec un premier seuil plus bas.",
        place: null,
        startTime: null,
        successor,
      };
      const r = await post(failing, await signAnnouncement(organiser, failing, chainId, content));
      expect(r.statusCode, r.body).to.equal(201);
      expect(r.json().successor).to.equal(successor);
      await notifier.deliver();
      expect(payloads("fail-fr").map((p) => p.body)).to.deep.equal(["On recommence le 12 juin"]);
      const feed = await app.inject({ method: "GET", url: `/v1/campaigns/${failing}/feed.atom?lang=fr` });
      expect(feed.body).to.include(`La suite${NNBSP}: https://bascule.example/#/c/${successor}`);
    });

    it("forgets the subscribers on the campaign's day; the announcements stay public", async function () {
      await increaseTime(node, 3 * 86_400);
      await step();
      expect(notifier.store.subscriptionCount(failing)).to.equal(0);
      const r = await app.inject({ method: "GET", url: `/v1/campaigns/${failing}/announcements` });
      expect(r.json().announcements).to.have.length(1);
    });
  });

  describe("what is stored", function () {
    it("has the announcement columns docs/notifier.md lists, and nothing of the readers", async function () {
      const doc = await readFile(path.join(ROOT, "docs/notifier.md"), "utf8");
      const actual = (notifier.store.db.prepare(`PRAGMA table_info(announcements)`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(actual).to.deep.equal([...COLUMNS.announcements]);
      for (const c of COLUMNS.announcements) expect(doc, `announcements.${c} documented`).to.include(`| \`${c}\` |`);
      const revocations = (notifier.store.db.prepare(`PRAGMA table_info(revocations)`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      expect(revocations).to.deep.equal([...COLUMNS.revocations]);
      for (const c of COLUMNS.revocations) expect(doc, `revocations.${c} documented`).to.include(`| \`${c}\` |`);
      const rows = JSON.stringify(notifier.store.db.prepare(`SELECT * FROM announcements`).all());
      for (const id of ["fr1", "en2", "late", "fail-fr"]) {
        expect(rows).to.not.include(new URL(push.browser(id).subscription.endpoint).pathname);
        expect(rows).to.not.include(push.browser(id).subscription.keys.p256dh);
      }
    });
  });
});
