/**
 * Real federation on loopback: the federation service (https, certificate from a CA made here)
 * against a real `hardhat node`, and an independent follower instance built with Fedify on its own
 * https origin. The follower finds the campaign by WebFinger (acct:, over https), follows it, is
 * accepted, and receives, signed and checked by its own Fedify: Create(Event), a Note for the
 * tipping level, a Note for an organiser announcement (from a notifier stand-in), Update(Event) at
 * resolution; it unfollows and follows again; when the campaign is over its row is gone. Forged,
 * unsigned and tampered activities, huge bodies and activities from private addresses are refused;
 * deliveries to private addresses without the test flag never leave.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { signRequest } from "@fedify/fedify";
import {
  type Address,
  type LocalAccount,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  keccak256,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { campaignAbi } from "@bascule/core/generated/abis";
import { encodePledges, signPledge } from "@bascule/core/signing";
import { createCampaign, resolveCampaign } from "../../scripts/cli/campaign.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import {
  FederationService,
  type RunningFederation,
  buildApp,
  startFederation,
} from "../../scripts/federation/service.js";
import { COLUMNS } from "../../scripts/federation/store.js";
import { campaignParams, inlineMetadata } from "../helpers/campaign.js";
import { foundIn, storeFiles } from "../helpers/store-files.js";
import { type LocalNode, TEST_KEYS, freePort, increaseTime, startNode } from "../helpers/node.js";
import {
  type Follower,
  type NotifierStandIn,
  type TestTls,
  makeTls,
  startFollower,
  startNotifierStandIn,
  trustCa,
} from "../helpers/federation.js";

const DAY = 86_400n;
const NNBSP = "\u202f";

async function until<T>(what: string, probe: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("federation on loopback", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let dir: string;
  let cert: TestTls;
  let untrust: () => void;
  let notifier: NotifierStandIn;
  let follower: Follower;
  let fed: RunningFederation;
  let service: FederationService;
  let origin: string;
  let factory: Address;
  let campaign: Address;
  let chainId: number;
  let client: ReturnType<typeof createPublicClient>;
  let wallet: ReturnType<typeof createWalletClient>;
  let actionDate: bigint;
  let handle: string;
  const keys: LocalAccount[] = Array.from({ length: 4 }, () => privateKeyToAccount(generatePrivateKey()));

  async function pledge(key: LocalAccount, level: number) {
    const signed = await signPledge(key, campaign, chainId, { level, support: 0n, condition: 0, nonce: 0 });
    const hash = await wallet.writeContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges([signed])],
      account: wallet.account!,
      chain: wallet.chain,
    });
    await client.waitForTransactionReceipt({ hash });
  }

  async function step() {
    await service.poll();
    await service.deliver();
  }

  const creates = (type: string) =>
    follower.received.filter((r) => r.type === "Create" && (r.json.object as { type?: string })?.type === type);

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-federation-"));
    cert = makeTls(dir);
    untrust = trustCa(cert.ca);
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    client = createPublicClient({ transport: http(node.url) });
    chainId = await client.getChainId();
    wallet = createWalletClient({
      account: privateKeyToAccount(TEST_KEYS[4]),
      chain: chainFor(chainId, node.url),
      transport: http(node.url),
    });
    const now = (await client.getBlock()).timestamp;
    actionDate = now + 5n * DAY;
    const metadata = inlineMetadata({ title: "Grève des cantines", place: "Lille", actionDate, languages: ["fr"] });
    ({ campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, {
        pledgeDeadline: now + 2n * DAY,
        actionDate,
        metadataHash: metadata.metadataHash,
        ladder: [2, 4],
      }),
      metadataURI: metadata.metadataURI,
      salt: keccak256(toHex("federation-1")),
    }));
    notifier = await startNotifierStandIn();
    follower = await startFollower(cert);
    const port = await freePort();
    origin = `https://localhost:${port}`;
    fed = await startFederation({
      rpcUrl: node.url,
      factory,
      dbPath: path.join(dir, "federation.db"),
      publicUrl: `${origin}/`,
      appUrl: "https://bascule.example/",
      notifierUrl: notifier.url,
      pollMs: 3_600_000,
      timeZone: "UTC",
      allowPrivateAddress: true,
      ca: [cert.ca],
      tls: { key: cert.key, cert: cert.cert },
      port,
      host: "127.0.0.1",
      log: process.env.FEDERATION_TEST_LOG ? (line) => console.error(line) : () => {},
    });
    service = fed.service;
    handle = `acct:campaign-${campaign.toLowerCase()}@localhost:${port}`;
    await step();
  });

  after(async function () {
    await fed?.close();
    await follower?.close();
    await notifier?.close();
    untrust?.();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe("the campaign actor", function () {
    it("is found by WebFinger over https, as Mastodon requires of every actor", async function () {
      const r = await fetch(`${origin}/.well-known/webfinger?resource=${encodeURIComponent(handle)}`);
      expect(r.status).to.equal(200);
      const jrd = (await r.json()) as { subject: string; links: { rel: string; type?: string; href: string }[] };
      expect(jrd.subject).to.equal(handle);
      const self = jrd.links.find((l) => l.rel === "self");
      expect(self).to.include({
        type: "application/activity+json",
        href: `${origin}/users/campaign-${campaign.toLowerCase()}`,
      });
      const unknown = await fetch(
        `${origin}/.well-known/webfinger?resource=${encodeURIComponent(`acct:campaign-0x${"0".repeat(40)}@localhost:${new URL(origin).port}`)}`,
      );
      expect(unknown.status).to.equal(404);
    });

    it("is a Group with its description, keys and inboxes, and no followers collection", async function () {
      const r = await fetch(`${origin}/users/campaign-${campaign.toLowerCase()}`, {
        headers: { accept: "application/activity+json" },
      });
      expect(r.status).to.equal(200);
      const actor = (await r.json()) as Record<string, unknown>;
      expect(actor.type).to.equal("Group");
      expect(actor.preferredUsername).to.equal(`campaign-${campaign.toLowerCase()}`);
      expect(actor.name).to.equal("Grève des cantines");
      expect(actor.summary).to.contain(`Journée d’action${NNBSP}:`).and.contain("Lille");
      expect(actor.inbox).to.equal(`${origin}/users/campaign-${campaign.toLowerCase()}/inbox`);
      expect((actor.endpoints as { sharedInbox: string }).sharedInbox).to.equal(`${origin}/inbox`);
      expect((actor.publicKey as { publicKeyPem: string }).publicKeyPem).to.contain("BEGIN PUBLIC KEY");
      expect(actor).to.not.have.property("followers");
      expect(actor).to.not.have.property("following");
      const followers = await fetch(`${origin}/users/campaign-${campaign.toLowerCase()}/followers`, {
        headers: { accept: "application/activity+json" },
      });
      expect(followers.status).to.equal(404);
    });

    it("sends a browser to the campaign page", async function () {
      const r = await fetch(`${origin}/users/campaign-${campaign.toLowerCase()}`, {
        headers: { accept: "text/html" },
        redirect: "manual",
      });
      expect(r.status).to.equal(302);
      expect(r.headers.get("location")).to.equal(`https://bascule.example/#/c/${campaign}`);
    });

    it("serves the action day's Event at its id", async function () {
      const r = await fetch(`${origin}/objects/${campaign.toLowerCase()}/event`);
      expect(r.status).to.equal(200);
      expect(r.headers.get("content-type")).to.contain("application/activity+json");
      const event = (await r.json()) as Record<string, unknown>;
      expect(event).to.include({ type: "Event", name: "Grève des cantines", joinMode: "external" });
    });
  });

  describe("following", function () {
    it("accepts a Follow at once, and sends the new follower the Event", async function () {
      await follower.follow(handle);
      await service.deliver();
      const accept = await until("the Accept", () => follower.received.find((r) => r.type === "Accept"));
      expect(accept.json.actor).to.equal(`${origin}/users/campaign-${campaign.toLowerCase()}`);
      const event = await until("the Event", () => creates("Event")[0]);
      const object = event.json.object as Record<string, unknown>;
      expect(object).to.include({
        name: "Grève des cantines",
        externalParticipationUrl: `https://bascule.example/#/c/${campaign}`,
        inLanguage: "fr",
        category: "CAUSES",
        joinMode: "external",
      });
      expect(object.location).to.deep.equal({ type: "Place", name: "Lille" });
      expect(object.startTime).to.equal(new Date(Number(actionDate) * 1000).toISOString().replace(".000Z", "Z"));
      // A server that verifies RFC 9421 gets RFC 9421, first knock, and its origin is remembered so.
      expect(follower.posts.map((p) => p.spec)).to.deep.equal(["rfc9421", "rfc9421"]);
      expect(service.store.signatureSpec(follower.origin)).to.equal("rfc9421");
    });

    it("knocks again with draft-cavage at a server that refuses RFC 9421, once, and goes straight to it next time", async function () {
      const old = await startFollower(cert, "bob", { cavageOnly: true });
      try {
        const { group, follow } = await old.follow(handle);
        await service.deliver();
        await until("the Event at the old server", () =>
          old.received.find((r) => r.type === "Create" && (r.json.object as { type?: string }).type === "Event"),
        );
        // The Accept: refused in RFC 9421 (401), taken in draft-cavage; the Event: draft-cavage at once.
        expect(old.posts.map((p) => p.spec)).to.deep.equal(["rfc9421", "draft-cavage", "draft-cavage"]);
        expect(old.received.map((r) => r.type)).to.deep.equal(["Accept", "Create"]);
        expect(service.store.signatureSpec(old.origin)).to.equal("draft-cavage-http-signatures-12");
        expect(service.store.signatureSpec(follower.origin)).to.equal("rfc9421");
        // The form is kept in the store: a restarted service would knock with draft-cavage first too.
        expect(
          service.store.db.prepare(`SELECT origin, spec FROM signature_specs ORDER BY origin`).all(),
        ).to.have.deep.members([
          { origin: follower.origin, spec: "rfc9421" },
          { origin: old.origin, spec: "draft-cavage-http-signatures-12" },
        ]);
        // Its last follower gone, the origin's form is forgotten with it.
        await old.unfollow(group, follow);
        expect(service.store.signatureSpec(old.origin)).to.equal(null);
        expect(service.store.signatureSpec(follower.origin)).to.equal("rfc9421");
      } finally {
        await old.close();
      }
    });

    it("keeps only the follower's inbox URLs", function () {
      const rows = service.store.db.prepare(`SELECT * FROM followers`).all();
      expect(rows).to.deep.equal([{ campaign, inbox: follower.inbox.href, shared_inbox: follower.sharedInbox.href }]);
      for (const [table, columns] of Object.entries(COLUMNS)) {
        const actual = (service.store.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
          (c) => c.name,
        );
        expect(actual, table).to.deep.equal([...columns]);
      }
      // Nothing of the follower's actor document, name or key is on disk.
      const dump = JSON.stringify(
        Object.keys(COLUMNS).map((t) => service.store.db.prepare(`SELECT * FROM ${t}`).all()),
      );
      expect(dump).to.not.contain("Alice");
      expect(dump).to.not.contain(follower.actorId.href + '"');
    });
  });

  describe("publishing", function () {
    it("sends a Note when the tipping level changes, once, to the shared inbox", async function () {
      const before = follower.posts.length;
      await pledge(keys[0], 1);
      await step();
      // One pledge at level 1 of a ladder [2, 4]: no threshold yet, nothing to say.
      expect(creates("Note")).to.have.length(0);
      await pledge(keys[1], 1);
      await step();
      const note = await until("the level Note", () => creates("Note")[0]);
      const object = note.json.object as { content: string; contentMap: Record<string, string> };
      expect(object.content).to.contain(
        `Seuil 1 sur 2 atteint${NNBSP}: 2 personnes tenues de faire grève pour l’instant.`,
      );
      expect(object.contentMap.en).to.contain("Threshold 1 of 2 reached: 2 people committed for now.");
      expect(follower.posts.slice(before).map((p) => p.path)).to.deep.equal(["/inbox"]);
      await step();
      expect(creates("Note")).to.have.length(1);
    });

    it("sends a Note for each organiser announcement, once, and none for another campaign's", async function () {
      const announcement = {
        id: "0x" + "5a".repeat(32),
        campaign,
        chainId,
        lang: "fr",
        title: "Rendez-vous devant la mairie",
        text: "Apportez vos pancartes.",
        place: "Place de la mairie",
        startTime: Number(actionDate) + 8 * 3600,
        successor: null,
        signer: privateKeyToAccount(TEST_KEYS[1]).address,
        signature: "0x" + "22".repeat(65),
        publishedAt: Number((await client.getBlock()).timestamp),
      };
      const foreign = { ...announcement, id: "0x" + "66".repeat(32), campaign: getAddress("0x" + "77".repeat(20)) };
      notifier.announcements.set(campaign, [foreign, announcement]);
      await step();
      await step();
      const notes = creates("Note").filter((n) => (n.json.object as { id: string }).id.includes("announcement-"));
      expect(notes).to.have.length(1);
      const object = notes[0].json.object as { content: string };
      expect(object.content).to.contain("<strong>Rendez-vous devant la mairie</strong>");
      expect(object.content).to.contain(`Lieu${NNBSP}: Place de la mairie`);
      expect(notifier.requests).to.include(`/v1/campaigns/${campaign}/announcements`);
    });

    it("publishes no announcement a revoked delegate signed from its revocation on, and keeps the earlier ones", async function () {
      const at = Number((await client.getBlock()).timestamp);
      const helper = getAddress("0x" + "4d".repeat(20));
      const byHelper = (id: string, title: string, issuedAt: number, publishedAt: number) => ({
        id: "0x" + id.repeat(32),
        campaign,
        chainId,
        lang: "fr",
        title,
        text: "Message d’un délégué.",
        place: null,
        startTime: null,
        successor: null,
        issuedAt,
        signer: helper,
        signature: "0x" + "33".repeat(65),
        delegation: { delegate: helper, expiry: at + 86_400, signature: "0x" + "44".repeat(65) },
        publishedAt,
      });
      const before = byHelper("7b", "Tract du délégué", at - 100, at - 90);
      const after = byHelper("7c", "Grève annulée (faux)", at - 10, at - 5);
      const backdated = byHelper("7d", "Autre faux", at - 80, at - 1);
      const list = notifier.announcements.get(campaign) ?? [];
      notifier.announcements.set(campaign, [backdated, after, before, ...list]);
      notifier.revocations.set(campaign, [
        {
          campaign,
          chainId,
          delegate: helper,
          revokedAt: at - 50,
          signer: campaign,
          signature: "0x",
          publishedAt: at - 50,
        },
        // Another campaign's revocation of the same key counts for nothing here.
        {
          campaign: getAddress("0x" + "77".repeat(20)),
          chainId,
          delegate: helper,
          revokedAt: at - 500,
          signer: campaign,
          signature: "0x",
          publishedAt: at,
        },
      ]);
      await step();
      const titles = creates("Note").map((n) => (n.json.object as { content: string }).content);
      expect(titles.filter((t) => t.includes("Tract du délégué"))).to.have.length(1);
      expect(titles.filter((t) => t.includes("faux"))).to.have.length(0);
    });

    it("forgets a follower who undoes the Follow, and takes them back", async function () {
      const { group, follow } = await follower.follow(handle);
      await follower.unfollow(group, follow);
      expect(service.store.followerCount(campaign)).to.equal(0);
      expect(
        service.store.db.prepare(`SELECT COUNT(*) AS n FROM deliveries WHERE inbox = ?`).get(follower.inbox.href),
      ).to.deep.equal({ n: 0 });
      await service.deliver();
      const announcements = () =>
        creates("Note").filter((n) => (n.json.object as { id: string }).id.includes("announcement-")).length;
      const seen = announcements();
      await follower.follow(handle);
      expect(service.store.followerCount(campaign)).to.equal(1);
      await service.deliver();
      // A late follower gets the latest announcement too.
      await until("the latest announcement again", () => announcements() === seen + 1);
    });

    it("sends Update(Event) at resolution with how many strike", async function () {
      await increaseTime(node, 2 * 86_400 + 1);
      await resolveCampaign({ rpcUrl: node.url, privateKey: TEST_KEYS[5], campaign });
      await step();
      const update = await until("the Update", () => follower.received.find((r) => r.type === "Update"));
      const object = update.json.object as Record<string, string>;
      expect(object.id).to.equal(`${origin}/objects/${campaign.toLowerCase()}/event`);
      expect(object["ical:status"]).to.equal("CONFIRMED");
      expect(object.content).to.contain(`Campagne réussie${NNBSP}: seuil 1 sur 2 atteint, 2 personnes font grève le`);
      // The object at its id is the updated one.
      const served = (await (await fetch(object.id)).json()) as Record<string, string>;
      expect(served["ical:status"]).to.equal("CONFIRMED");
    });

    it("deletes the followers when the campaign is over", async function () {
      expect(service.store.followerCount(campaign)).to.equal(1);
      const now = (await client.getBlock()).timestamp;
      await increaseTime(node, Number(actionDate - now) + 60);
      await step();
      expect(service.store.db.prepare(`SELECT COUNT(*) AS n FROM followers`).get()).to.deep.equal({ n: 0 });
      expect(service.store.pendingDeliveries()).to.equal(0);
      expect(service.store.getCampaign(campaign)?.over).to.equal(1);
      // Overwritten, not only unlinked: no file of the store still holds the follower's inboxes.
      const files = storeFiles(path.join(dir, "federation.db"));
      expect(foundIn(files, follower.inbox.href)).to.equal(null);
      expect(foundIn(files, follower.sharedInbox.href)).to.equal(null);
      expect(foundIn(files, follower.origin)).to.equal(null);
    });
  });

  describe("refusals", function () {
    const inbox = () => `${origin}/users/campaign-${campaign.toLowerCase()}/inbox`;
    const followJson = () =>
      JSON.stringify({
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${follower.origin}/follows/forged-${Math.random()}`,
        type: "Follow",
        actor: follower.actorId.href,
        object: `${origin}/users/campaign-${campaign.toLowerCase()}`,
      });

    it("refuses an unsigned activity with 401", async function () {
      const r = await fetch(inbox(), {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: followJson(),
      });
      expect(r.status).to.equal(401);
    });

    it("refuses an activity signed with a key that is not the actor's with 401", async function () {
      const { generateCryptoKeyPair } = await import("@fedify/fedify");
      const forged = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
      const keyId = new URL(`${follower.actorId.href}#main-key`);
      const request = await signRequest(
        new Request(inbox(), {
          method: "POST",
          headers: { "content-type": "application/activity+json" },
          body: followJson(),
        }),
        forged.privateKey,
        keyId,
      );
      const r = await fetch(request);
      expect(r.status).to.equal(401);
    });

    it("refuses a correctly signed activity whose body was changed after signing with 401", async function () {
      const ctx = follower.federation.createContext(new URL(follower.origin));
      const [pair] = await ctx.getActorKeyPairs("alice");
      const signed = await signRequest(
        new Request(inbox(), {
          method: "POST",
          headers: { "content-type": "application/activity+json" },
          body: followJson(),
        }),
        follower.keys.privateKey,
        pair.keyId,
      );
      const r = await fetch(inbox(), { method: "POST", headers: signed.headers, body: followJson() });
      expect(r.status).to.equal(401);
    });

    it("refuses a body over the limit with 413, before any parsing", async function () {
      const r = await fetch(inbox(), {
        method: "POST",
        headers: { "content-type": "application/activity+json" },
        body: JSON.stringify({ type: "Note", content: "x".repeat(70_000) }),
      });
      expect(r.status).to.equal(413);
      expect(((await r.json()) as { error: { code: string } }).error.code).to.equal("BODY_TOO_LARGE");
    });

    it("without the test flag, refuses activities from private addresses and never delivers to them", async function () {
      const strict = new FederationService({
        rpcUrl: node.url,
        factory,
        dbPath: ":memory:",
        publicUrl: "https://fed.bascule.example/",
        appUrl: "https://bascule.example/",
        pollMs: 3_600_000,
        ca: [cert.ca],
        log: () => {},
      });
      const app = await buildApp(strict);
      try {
        const r = await app.inject({
          method: "POST",
          url: "/inbox",
          remoteAddress: "10.0.0.7",
          headers: { "content-type": "application/activity+json" },
          payload: followJson(),
        });
        expect(r.statusCode).to.equal(403);
        expect(r.json().error.code).to.equal("PRIVATE_ADDRESS");
        expect(r.json().error.message.fr).to.equal(
          "Ce serveur ne reçoit aucune activité d’une adresse privée ou locale.",
        );
        // From a public address the same request reaches the signature check, which refuses it unsigned.
        const unsigned = await app.inject({
          method: "POST",
          url: "/inbox",
          remoteAddress: "93.184.216.34",
          headers: { "content-type": "application/activity+json" },
          payload: followJson(),
        });
        expect(unsigned.statusCode).to.equal(401);
        const text = await app.inject({
          method: "POST",
          url: "/inbox",
          remoteAddress: "93.184.216.34",
          headers: { "content-type": "text/plain" },
          payload: followJson(),
        });
        expect(text.statusCode).to.equal(415);
        expect(text.json().error.code).to.equal("UNSUPPORTED_MEDIA_TYPE");
        await strict.poll();
        const posts = follower.posts.length;
        strict.store.enqueue(campaign, [follower.inbox.href, "https://127.0.0.1:1/inbox"], "{}", 0);
        await strict.deliver();
        expect(follower.posts.length).to.equal(posts);
        expect(strict.store.pendingDeliveries()).to.equal(0);
      } finally {
        await app.close();
        await strict.close();
      }
    });
  });
});
