/**
 * The ActivityPub side, with Fedify: each known campaign is a `Group` actor at
 * /actors/campaign-0x… (found by WebFinger as campaign-0x…@host), with an inbox and the shared
 * inbox /inbox. Fedify answers WebFinger, serves the actor with its keys, and verifies every inbound
 * activity's HTTP signature (draft-cavage or RFC 9421) and that the signing key belongs to the
 * activity's actor before a listener sees it; an unsigned or badly signed activity gets 401.
 *
 * The actor has no `followers` (nor `following`) collection: who follows a strike campaign is
 * nobody's business. Follow and Undo(Follow) are handed to the service (`FollowHooks`).
 */
import {
  type Federation,
  MemoryKvStore,
  createFederation,
  exportJwk,
  generateCryptoKeyPair,
  importJwk,
} from "@fedify/fedify";
import { Endpoints, Follow, Group, Undo, isActor } from "@fedify/vocab";
import { type Address, getAddress, isAddress } from "viem";
import { type CampaignFacts, Urls, groupSummary } from "./objects.js";
import type { Store } from "./store.js";

export interface FollowHooks {
  /** A verified Follow of `campaign` by an actor whose inbox (and shared inbox) are given. */
  onFollow(
    campaign: Address,
    follow: { id: string; actor: string },
    inbox: URL,
    sharedInbox: URL | null,
  ): Promise<void>;
  /** A verified Undo(Follow) by the actor with this inbox. */
  onUnfollow(campaign: Address, inbox: URL): Promise<void>;
}

export interface FederationParts {
  store: Store;
  urls: Urls;
  timeZone: string;
  facts: (address: Address) => CampaignFacts | null;
  hooks: FollowHooks;
  /** Test only: Fedify may fetch loopback and private addresses. */
  allowPrivateAddress?: boolean;
  log: (line: string) => void;
}

/** The campaign an actor identifier names (campaign-0x… in lower case), or null. */
export function campaignOf(identifier: string): Address | null {
  const m = /^campaign-(0x[0-9a-f]{40})$/.exec(identifier);
  if (!m || !isAddress(m[1], { strict: false })) return null;
  return getAddress(m[1]);
}

/** The actor's two key pairs (RSA for HTTP signatures, Ed25519 for object proofs), made once and kept in the store. */
async function keyPairs(store: Store, campaign: Address): Promise<CryptoKeyPair[]> {
  let stored = store.getKeys(campaign);
  if (!stored) {
    const pack = async (pair: CryptoKeyPair) =>
      JSON.stringify({ privateKey: await exportJwk(pair.privateKey), publicKey: await exportJwk(pair.publicKey) });
    stored = store.putKeys(
      campaign,
      await pack(await generateCryptoKeyPair("RSASSA-PKCS1-v1_5")),
      await pack(await generateCryptoKeyPair("Ed25519")),
    );
  }
  const unpack = async (json: string): Promise<CryptoKeyPair> => {
    const { privateKey, publicKey } = JSON.parse(json) as { privateKey: JsonWebKey; publicKey: JsonWebKey };
    return { privateKey: await importJwk(privateKey, "private"), publicKey: await importJwk(publicKey, "public") };
  };
  return [await unpack(stored.rsa), await unpack(stored.ed25519)];
}

export interface CampaignFederation {
  federation: Federation<void>;
  /** The campaign's RSA private key and its key id, for signing deliveries. */
  signingKey(campaign: Address): Promise<{ keyId: URL; privateKey: CryptoKey }>;
}

export function buildFederation(parts: FederationParts): CampaignFederation {
  const { store, urls } = parts;
  const cache = new Map<string, Promise<CryptoKeyPair[]>>();
  const pairsOf = (campaign: Address) => {
    let pairs = cache.get(campaign);
    if (!pairs) {
      pairs = keyPairs(store, campaign);
      cache.set(campaign, pairs);
      pairs.catch(() => cache.delete(campaign));
    }
    return pairs;
  };

  const federation = createFederation<void>({
    // Only caches (remote documents, keys, inbox idempotence) live here, in memory: nothing about a
    // follower reaches the disk through Fedify.
    kv: new MemoryKvStore(),
    origin: urls.origin,
    allowPrivateAddress: parts.allowPrivateAddress ?? false,
    userAgent: { software: "bascule-federation" },
    // No Fedify queue: deliveries go through the service's own outbox (store.ts, service.ts).
  });

  federation
    .setActorDispatcher("/actors/{identifier}", async (ctx, identifier) => {
      const campaign = campaignOf(identifier);
      const facts = campaign && parts.facts(campaign);
      if (!campaign || !facts) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      return new Group({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: facts.title || `Bascule ${campaign.slice(0, 10)}`,
        summary: groupSummary(facts, urls, parts.timeZone),
        url: new URL(urls.page(campaign)),
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0].cryptographicKey,
        assertionMethods: keys.map((k) => k.multikey),
        manuallyApprovesFollowers: false,
        discoverable: true,
        indexable: false,
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => {
      const campaign = campaignOf(identifier);
      if (!campaign || !store.getCampaign(campaign)) return [];
      return pairsOf(campaign);
    });

  federation
    .setInboxListeners("/actors/{identifier}/inbox", "/inbox")
    .on(Follow, async (ctx, follow) => {
      if (follow.id == null || follow.actorId == null || follow.objectId == null) return;
      const target = ctx.parseUri(follow.objectId);
      if (target?.type !== "actor") return;
      const campaign = campaignOf(target.identifier);
      if (!campaign) return;
      const follower = await follow.getActor(ctx);
      if (!isActor(follower) || follower.id?.href !== follow.actorId.href || follower.inboxId == null) return;
      await parts.hooks.onFollow(
        campaign,
        { id: follow.id.href, actor: follow.actorId.href },
        follower.inboxId,
        follower.endpoints?.sharedInbox ?? null,
      );
    })
    .on(Undo, async (ctx, undo) => {
      const object = await undo.getObject(ctx);
      if (!(object instanceof Follow) || object.objectId == null) return;
      // Only the one who followed may undo the follow.
      if (undo.actorId == null || object.actorId?.href !== undo.actorId.href) return;
      const target = ctx.parseUri(object.objectId);
      if (target?.type !== "actor") return;
      const campaign = campaignOf(target.identifier);
      const actor = await undo.getActor(ctx);
      if (!campaign || !isActor(actor) || actor.inboxId == null) return;
      await parts.hooks.onUnfollow(campaign, actor.inboxId);
    })
    .onError((_ctx, error) => parts.log(`inbox: ${error.message.split("\n")[0]}`));

  return {
    federation,
    async signingKey(campaign) {
      // The key id as the actor document gives it (Fedify numbers an actor's keys itself).
      const ctx = federation.createContext(new URL(urls.origin));
      const [rsa] = await ctx.getActorKeyPairs(Urls.identifier(campaign));
      return { keyId: rsa.keyId, privateKey: rsa.privateKey };
    },
  };
}
