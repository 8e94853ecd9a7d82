/**
 * The inbox listeners and the actor, at the unit level with Fedify's test helpers (@fedify/testing's
 * mock federation: activities handed to the listeners without a network or signatures, which the
 * loopback test covers): a Follow of a campaign reaches the service with the follower's inboxes,
 * a Follow of anything else does not, only the follower may undo a follow, and the actor is a Group
 * with its keys and no followers collection.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Federation } from "@fedify/fedify";
import { createFederation } from "@fedify/testing";
import { Endpoints, Follow, Group, Person, Undo } from "@fedify/vocab";
import { type Address, getAddress } from "viem";
import { buildFederation, campaignOf } from "../../scripts/federation/federation.js";
import { type CampaignFacts, Urls } from "../../scripts/federation/objects.js";
import { Store } from "../../scripts/federation/store.js";

const ORIGIN = "https://fed.bascule.example";
const campaign = getAddress("0x00000000000000000000000000000000000000c1");
const facts: CampaignFacts = {
  address: campaign,
  title: "Grève des crèches",
  place: "Lyon",
  actionDate: Date.UTC(2027, 5, 12) / 1000,
  pledgeDeadline: Date.UTC(2027, 5, 9) / 1000,
  levels: 2,
  createdAt: Date.UTC(2027, 4, 1) / 1000,
  lang: "fr",
};

describe("federation inbox and actor (Fedify test helpers)", function () {
  let dir: string;
  let store: Store;
  let mock: ReturnType<typeof createFederation<object>>;
  const follows: { campaign: Address; inbox: string; shared: string | null; actor: string }[] = [];
  const unfollows: { campaign: Address; inbox: string }[] = [];
  const urls = new Urls(`${ORIGIN}/`, "https://bascule.example/");
  const identifier = Urls.identifier(campaign);
  const alice = new Person({
    id: new URL("https://social.example/users/alice"),
    preferredUsername: "alice",
    inbox: new URL("https://social.example/users/alice/inbox"),
    endpoints: new Endpoints({ sharedInbox: new URL("https://social.example/inbox") }),
  });

  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), "bascule-federation-unit-"));
    store = new Store(path.join(dir, "federation.db"));
    store.addCampaign({
      address: campaign,
      title: facts.title,
      place: facts.place,
      action_day: "2027-06-12",
      action_date: facts.actionDate,
      pledge_deadline: facts.pledgeDeadline,
      ladder: "[2,4]",
      conditions: "[]",
      lang: "fr",
      created_at: facts.createdAt,
    });
    mock = createFederation<object>({ contextData: {}, origin: ORIGIN });
    buildFederation({
      store,
      urls,
      timeZone: "UTC",
      facts: (address) => (address === campaign ? facts : null),
      hooks: {
        async onFollow(c, follow, inbox, shared) {
          follows.push({ campaign: c, inbox: inbox.href, shared: shared?.href ?? null, actor: follow.actor });
        },
        async onUnfollow(c, inbox) {
          unfollows.push({ campaign: c, inbox: inbox.href });
        },
      },
      federation: mock as unknown as Federation<void>,
      log: () => {},
    });
  });

  after(async function () {
    store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("names actors campaign-0x… in lower case, and reads nothing else as a campaign", function () {
    expect(identifier).to.equal(`campaign-${campaign.toLowerCase()}`);
    expect(campaignOf(identifier)).to.equal(campaign);
    for (const other of [`campaign-${campaign}`, "alice", `campaign-0x${"g".repeat(40)}`, `${identifier}x`]) {
      expect(campaignOf(other), other).to.equal(null);
    }
  });

  it("hands a Follow of a campaign to the service with the follower's inbox and shared inbox", async function () {
    await mock.receiveActivity(
      new Follow({
        id: new URL("https://social.example/follows/1"),
        actor: alice,
        object: new URL(urls.actor(campaign)),
      }),
    );
    expect(follows).to.deep.equal([
      {
        campaign,
        inbox: "https://social.example/users/alice/inbox",
        shared: "https://social.example/inbox",
        actor: "https://social.example/users/alice",
      },
    ]);
  });

  it("ignores a Follow of another actor, of no actor, or without an id", async function () {
    follows.length = 0;
    for (const object of [
      new URL(`${ORIGIN}/users/alice`),
      new URL("https://elsewhere.example/users/campaign-0x1"),
      null,
    ]) {
      await mock.receiveActivity(new Follow({ id: new URL("https://social.example/follows/2"), actor: alice, object }));
    }
    await mock.receiveActivity(new Follow({ actor: alice, object: new URL(urls.actor(campaign)) }));
    expect(follows).to.deep.equal([]);
  });

  it("lets only the follower undo a follow", async function () {
    const follow = new Follow({
      id: new URL("https://social.example/follows/1"),
      actor: alice.id,
      object: new URL(urls.actor(campaign)),
    });
    const mallory = new Person({
      id: new URL("https://evil.example/users/mallory"),
      inbox: new URL("https://social.example/users/alice/inbox"),
    });
    await mock.receiveActivity(
      new Undo({ id: new URL("https://evil.example/undo/1"), actor: mallory, object: follow }),
    );
    expect(unfollows).to.deep.equal([]);
    await mock.receiveActivity(
      new Undo({ id: new URL("https://social.example/undo/1"), actor: alice, object: follow }),
    );
    expect(unfollows).to.deep.equal([{ campaign, inbox: "https://social.example/users/alice/inbox" }]);
  });

  it("dispatches the campaign as a Group with its keys, inboxes and description, and no followers", async function () {
    const ctx = mock.createContext(new URL(ORIGIN), {});
    const dispatch = (
      mock as unknown as { actorDispatchers: Map<string, (c: unknown, id: string) => Promise<unknown>> }
    ).actorDispatchers;
    const dispatcher = [...dispatch.values()][0];
    const group = (await dispatcher(ctx, identifier)) as Group;
    expect(group).to.be.instanceOf(Group);
    expect(group.id?.href).to.equal(urls.actor(campaign));
    expect(group.preferredUsername?.toString()).to.equal(identifier);
    expect(group.name?.toString()).to.equal("Grève des crèches");
    expect(group.summary?.toString()).to.contain("Lyon");
    expect(group.inboxId?.href).to.equal(`${ORIGIN}/users/${identifier}/inbox`);
    expect(group.endpoints?.sharedInbox?.href).to.equal(`${ORIGIN}/inbox`);
    expect(group.followersId).to.equal(null);
    expect(group.followingId).to.equal(null);
    expect((await group.getPublicKey())?.publicKey?.type).to.equal("public");
    expect(await dispatcher(ctx, "campaign-0x" + "00".repeat(20))).to.equal(null);
    // The keys are made once and kept.
    const keys = store.getKeys(campaign);
    expect(keys).to.not.equal(null);
    await dispatcher(ctx, identifier);
    expect(store.getKeys(campaign)).to.deep.equal(keys);
  });
});
