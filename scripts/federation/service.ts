/**
 * The federation service: every campaign of a factory as an ActivityPub `Group` actor that
 * Mastodon shows as an account and Mobilizon can follow. It watches the chain as the notifier does
 * (scripts/notifier/chain.ts) and publishes, to its followers' inboxes:
 * - `Create(Event)` for the action day when the campaign appears, `Update(Event)` when it resolves
 *   (succeeded with how many, or failed);
 * - `Create(Note)` for each tipping-level change the chain shows (at most one per campaign per poll,
 *   only when the level changes), and for each organiser announcement, read from the notifier's
 *   public API (GET /v1/campaigns/:address/announcements).
 * Follow is accepted at once (and the new follower gets the Event and the latest announcement);
 * Undo(Follow) forgets the follower; when the campaign is over its followers are deleted.
 *
 * Deliveries are signed with the campaign actor's key (Fedify's `signRequest`): RFC 9421 first, and
 * draft-cavage (which Mastodon before 4.5 and Mobilizon check) when an inbox refuses that, the form
 * each inbox origin took being remembered; they go through the SSRF guards (ssrf.ts) and wait in
 * the store's outbox until the inbox took them, so a stop loses none.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Server, createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { signRequest } from "@fedify/fedify";
import { type Dispatcher, fetch as undiciFetch } from "undici";
import { type Address, type PublicClient, createPublicClient, getAddress, http, isAddress } from "viem";
import { revocationOf } from "@bascule/core/announcements";
import { dataUriBytes, parseMetadata } from "@bascule/core/metadata";
import { resolve } from "@bascule/core/model";
import {
  type LogReaderOptions,
  readCampaignChanges,
  readCreatedCampaigns,
  readDescription,
  readTallies,
} from "../notifier/chain.js";
import { type ServiceApp, readiness, serviceApp } from "../kit/http.js";
import { storeOpen } from "../kit/sqlite.js";
import { ERRORS, FederationError } from "./errors.js";
import { type CampaignFederation, buildFederation, campaignOf } from "./federation.js";
import {
  type Announcement,
  type CampaignFacts,
  type Lang,
  Urls,
  activity,
  announcementNote,
  eventObject,
  tippingNote,
  withContext,
} from "./objects.js";
import { type AgentOptions, UnsafeUrlError, checkUrl, guardedAgent, isPublicAddress } from "./ssrf.js";
import { type CampaignRow, type DeliveryRow, type SignatureSpec, Store } from "./store.js";

const DAY = 86_400;
/** A campaign nobody resolved is over this long after its action date (as in the notifier). */
const STALE_AFTER = 7 * DAY;
const MAX_ATTEMPTS = 8;
/** Announcement limits (the notifier's own are tighter; these only keep a wrong answer out). */
const MAX_TITLE = 200;
const MAX_TEXT = 5_000;
const MAX_PLACE = 200;
const MAX_ANSWER_BYTES = 1_000_000;

export interface FederationConfig {
  rpcUrl: string;
  factory: Address;
  /** SQLite file; ":memory:" keeps nothing across restarts. */
  dbPath: string;
  /** Where the fediverse reaches this service (https://host/): the actors' ids and handles use its host. */
  publicUrl: string;
  /** Public URL of the dApp, for the links to the campaign pages. */
  appUrl: string;
  /** The notifier's base URL (its API at <notifierUrl>v1/…); without it, no announcement is published. */
  notifierUrl?: string;
  pollMs: number;
  confirmations?: number;
  fromBlock?: bigint;
  /** For dates in texts (default Europe/Paris). */
  timeZone?: string;
  /** Largest inbound body accepted (default 64 KiB); larger ones get 413. */
  bodyLimit?: number;
  /** Followers kept per campaign at most (default 10 000); a Follow beyond is not accepted. */
  maxFollowers?: number;
  deliveryTimeoutMs?: number;
  /** Trust X-Forwarded-For from the reverse proxy in front (Fastify's trustProxy). */
  trustProxy?: boolean | string | string[];
  /**
   * Test only: take activities from, and fetch, loopback and private addresses (the loopback
   * federation test). Never in production: it turns the SSRF guards off.
   */
  allowPrivateAddress?: boolean;
  /** Extra CA certificates (PEM) trusted for deliveries (the test's own CA). */
  ca?: string[];
  logReader?: LogReaderOptions;
  log?: (line: string) => void;
}

/** Why an announcement from the notifier is not published, or null when it is fine. */
export function announcementProblem(a: unknown, campaign: Address, chainId: number): string | null {
  if (typeof a !== "object" || a === null) return "not an object";
  const x = a as Record<string, unknown>;
  const str = (v: unknown, max: number) => typeof v === "string" && v.length > 0 && v.length <= max;
  if (typeof x.id !== "string" || !/^(0x)?[0-9a-fA-F]{8,128}$/.test(x.id)) return "bad id";
  if (typeof x.campaign !== "string" || !isAddress(x.campaign, { strict: false })) return "bad campaign";
  if (getAddress(x.campaign) !== campaign) return "another campaign's announcement";
  if (x.chainId !== chainId) return "another chain's announcement";
  if (x.lang !== "fr" && x.lang !== "en") return "bad lang";
  if (!str(x.title, MAX_TITLE)) return "bad or oversized title";
  if (!(typeof x.text === "string" && x.text.length <= MAX_TEXT)) return "bad or oversized text";
  if (!(x.place === null || x.place === undefined || str(x.place, MAX_PLACE))) return "bad place";
  if (!(x.startTime === null || x.startTime === undefined || Number.isSafeInteger(x.startTime))) return "bad startTime";
  if (!(
    x.successor === null ||
    x.successor === undefined ||
    (typeof x.successor === "string" && isAddress(x.successor, { strict: false }))
  ))
    return "bad successor";
  if (typeof x.signer !== "string" || !isAddress(x.signer, { strict: false })) return "bad signer";
  if (typeof x.signature !== "string" || !/^0x[0-9a-fA-F]+$/.test(x.signature)) return "bad signature";
  if (!Number.isSafeInteger(x.publishedAt)) return "bad publishedAt";
  return null;
}

/**
 * The revocations of delegate keys the notifier serves with the announcements, those that name this
 * campaign and chain (anything else is ignored: a revocation can only hide announcements).
 */
export function revocationsOf(
  list: unknown,
  campaign: Address,
  chainId: number,
): { delegate: Address; revokedAt: number }[] {
  if (!Array.isArray(list)) return [];
  const out: { delegate: Address; revokedAt: number }[] = [];
  for (const r of list as Record<string, unknown>[]) {
    if (typeof r !== "object" || r === null) continue;
    if (typeof r.campaign !== "string" || !isAddress(r.campaign, { strict: false })) continue;
    if (getAddress(r.campaign) !== campaign || r.chainId !== chainId) continue;
    if (typeof r.delegate !== "string" || !isAddress(r.delegate, { strict: false })) continue;
    if (!Number.isSafeInteger(r.revokedAt)) continue;
    out.push({ delegate: getAddress(r.delegate), revokedAt: r.revokedAt as number });
  }
  return out;
}

/**
 * Whether a revoked delegate signed the announcement from its revocation on (written or published
 * at or after `revokedAt`): such an announcement is not published. What it signed before stays.
 */
export function revokedAnnouncement(
  a: { delegation?: unknown; issuedAt?: unknown; publishedAt: number },
  revocations: readonly { delegate: Address; revokedAt: number }[],
): boolean {
  const d = a.delegation as { delegate?: unknown } | null | undefined;
  if (!d || typeof d.delegate !== "string" || !isAddress(d.delegate, { strict: false })) return false;
  const revoked = revocationOf(d.delegate, revocations);
  if (revoked === null) return false;
  const issued = Number.isSafeInteger(a.issuedAt) ? (a.issuedAt as number) : Number.MAX_SAFE_INTEGER;
  return issued >= revoked || a.publishedAt >= revoked;
}

function languageOf(metadataURI: string): Lang {
  const bytes = dataUriBytes(metadataURI);
  const doc = bytes && (parseMetadata(bytes) as Record<string, unknown> | null);
  const langs = doc && Array.isArray(doc.languages) ? doc.languages : [];
  return langs[0] === "en" ? "en" : "fr";
}

export class FederationService {
  readonly store: Store;
  readonly client: PublicClient;
  readonly urls: Urls;
  readonly fed: CampaignFederation;
  private readonly config: FederationConfig;
  private readonly log: (line: string) => void;
  private readonly timeZone: string;
  private readonly agent: Dispatcher;
  private readonly guard: { allowPrivateAddress?: boolean };
  private chainId: number | null = null;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private delivering: Promise<void> | null = null;
  private lastPass: Promise<void> = Promise.resolve();
  private readonly refused = new Set<string>();

  constructor(config: FederationConfig) {
    this.config = config;
    this.log = config.log ?? ((line) => console.log(`[federation] ${line}`));
    this.timeZone = config.timeZone ?? "Europe/Paris";
    this.store = new Store(config.dbPath);
    this.client = createPublicClient({ transport: http(config.rpcUrl) });
    this.urls = new Urls(config.publicUrl, config.appUrl);
    this.guard = { allowPrivateAddress: config.allowPrivateAddress ?? false };
    const agentOptions: AgentOptions = { ...this.guard, ca: config.ca, timeoutMs: config.deliveryTimeoutMs };
    this.agent = guardedAgent(agentOptions);
    this.fed = buildFederation({
      store: this.store,
      urls: this.urls,
      timeZone: this.timeZone,
      facts: (address) => {
        const row = this.store.getCampaign(address);
        return row ? this.facts(row) : null;
      },
      hooks: {
        onFollow: (campaign, follow, inbox, shared) => this.onFollow(campaign, follow, inbox, shared),
        onUnfollow: async (campaign, inbox) => {
          if (this.store.removeFollower(campaign, inbox.href)) this.log(`${campaign}: a follower left`);
        },
      },
      allowPrivateAddress: this.guard.allowPrivateAddress,
      log: this.log,
    });
  }

  facts(row: CampaignRow): CampaignFacts {
    return {
      address: row.address,
      title: row.title,
      place: row.place,
      actionDate: row.action_date,
      pledgeDeadline: row.pledge_deadline,
      levels: (JSON.parse(row.ladder) as number[]).length,
      createdAt: row.created_at,
      lang: row.lang === "en" ? "en" : "fr",
    };
  }

  /** Starts the watch loop (each pass: chain, announcements, time, then deliveries). */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.polling = this.poll()
        .then(() => this.deliver())
        .catch((error: unknown) =>
          this.log(`poll failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`),
        )
        .finally(() => {
          this.polling = null;
          if (!this.stopped) this.pollTimer = setTimeout(tick, this.config.pollMs);
        });
    };
    tick();
  }

  /**
   * GET /ready: the chain answers, the store is open, and the watch loop has read the chain up to
   * `confirmations` blocks below its head, give or take `slack` blocks (a poll in between).
   */
  readiness(slack = 5) {
    return readiness({
      chain: async () => (await this.client.getBlockNumber({ cacheTime: 0 }), true as const),
      store: () => storeOpen(this.store.db),
      caughtUp: async () => {
        const head = await this.client.getBlockNumber({ cacheTime: 0 });
        const scanned = this.store.getMeta("scanned_block");
        const behind = head - BigInt(this.config.confirmations ?? 0) - BigInt(scanned ?? "-1");
        return behind <= BigInt(slack) ? true : `${behind} blocks behind the chain`;
      },
    });
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    await Promise.all([this.polling, this.delivering]);
    await this.agent.close();
    this.store.close();
  }

  // Following

  private async onFollow(
    campaign: Address,
    follow: { id: string; actor: string },
    inbox: URL,
    shared: URL | null,
  ): Promise<void> {
    const row = this.store.getCampaign(campaign);
    if (!row || row.over) return;
    try {
      checkUrl(inbox.href, this.guard);
    } catch (error) {
      this.log(`${campaign}: follow refused: ${(error as Error).message}`);
      return;
    }
    let sharedInbox: string | null = null;
    try {
      if (shared) sharedInbox = checkUrl(shared.href, this.guard).href;
    } catch {
      sharedInbox = null;
    }
    const known = this.store.hasFollower(campaign, inbox.href);
    if (!known && this.store.followerCount(campaign) >= (this.config.maxFollowers ?? 10_000)) {
      this.log(`${campaign}: follow not accepted, the campaign has the most followers it keeps`);
      return;
    }
    // Fresh ids: a follower that comes back gets new activities, not ones its server already saw.
    const fresh = (kind: string) => `${kind}-${randomUUID()}`;
    const slug = fresh("accept");
    const accept = activity(
      "Accept",
      this.urls,
      campaign,
      slug,
      {
        id: follow.id,
        type: "Follow",
        actor: follow.actor,
        object: this.urls.actor(campaign),
      },
      [follow.actor],
    );
    this.store.transaction(() => {
      this.store.addFollower(campaign, inbox.href, sharedInbox);
      this.store.enqueue(campaign, [inbox.href], JSON.stringify(accept), 0);
      // A late follower sees the action day and the latest announcement.
      const event = this.store.getObject(this.urls.event(campaign));
      if (event) {
        const create = activity("Create", this.urls, campaign, fresh("event-for"), JSON.parse(event.json));
        this.store.enqueue(campaign, [inbox.href], JSON.stringify(create), 0);
      }
      const latest = this.store.latestObject(campaign, "announcement");
      if (latest) {
        const create = activity("Create", this.urls, campaign, fresh("latest-for"), JSON.parse(latest.json));
        this.store.enqueue(campaign, [inbox.href], JSON.stringify(create), 0);
      }
    });
    this.log(`${campaign}: new follower accepted`);
    this.kickDelivery();
  }

  private kickDelivery(): void {
    if (this.stopped || this.delivering) return;
    void this.deliver().catch((error: unknown) => this.log(`delivery failed: ${(error as Error).message}`));
  }

  // Publishing

  /** Stores an object (or its new version) and queues its activity to every follower. */
  private publish(
    row: CampaignRow,
    kind: "event" | "level" | "announcement",
    type: "Create" | "Update",
    object: Record<string, unknown>,
    at: number,
  ): void {
    const id = object.id as string;
    const slug = `${type.toLowerCase()}-${id.slice(this.urls.origin.length + 1).replace(/[^A-Za-z0-9-]+/g, "-")}-${at}`;
    const act = activity(type, this.urls, row.address, slug, object);
    this.store.transaction(() => {
      if (type === "Update") this.store.replaceObject(id, JSON.stringify(object));
      else if (
        !this.store.putObject({ id, campaign: row.address, kind, json: JSON.stringify(object), published_at: at })
      )
        return;
      this.store.enqueue(row.address, this.store.deliveryInboxes(row.address), JSON.stringify(act), 0);
    });
  }

  /**
   * One pass: new campaigns, changes on the chain, announcements, campaigns now over. Passes run one
   * after the other: a call made while one runs waits for it, then makes its own.
   */
  poll(): Promise<void> {
    const run = this.lastPass.catch(() => {}).then(() => this.pollOnce());
    this.lastPass = run;
    return run;
  }

  private async pollOnce(): Promise<void> {
    this.chainId ??= await this.client.getChainId();
    const head = await this.client.getBlock({ blockTag: "latest" });
    const target = head.number - BigInt(this.config.confirmations ?? 0);
    const scanned = BigInt(this.store.getMeta("scanned_block") ?? String((this.config.fromBlock ?? 0n) - 1n));
    if (target > scanned) {
      const from = scanned + 1n;
      const block = target === head.number ? head : await this.client.getBlock({ blockNumber: target });
      for (const c of await readCreatedCampaigns(this.client, this.config.factory, from, target)) {
        const d = readDescription(c.metadataURI);
        const createdAt =
          c.block === block.number ? block.timestamp : (await this.client.getBlock({ blockNumber: c.block })).timestamp;
        const added = this.store.addCampaign({
          address: c.campaign,
          title: d.title,
          place: d.place,
          action_day: d.actionDay,
          action_date: Number(c.actionDate),
          pledge_deadline: Number(c.pledgeDeadline),
          ladder: JSON.stringify(c.ladder),
          conditions: JSON.stringify(c.conditions),
          lang: languageOf(c.metadataURI),
          created_at: Number(createdAt),
        });
        const row = this.store.getCampaign(c.campaign);
        if (added && row)
          this.publish(row, "event", "Create", eventObject(this.facts(row), this.urls, this.timeZone), row.created_at);
      }
      const active = this.store.activeCampaigns().filter((c) => !c.resolved);
      const changes = await readCampaignChanges(
        this.client,
        active.map((c) => c.address as Address),
        from,
        target,
        this.config.logReader,
      );
      for (const c of active) {
        const change = changes.get(c.address);
        if (!change) continue;
        const at = Number(block.timestamp);
        if (change.resolved) {
          const result = { tippingLevel: change.resolved.tippingLevel, committed: Number(change.resolved.committed) };
          this.store.updateCampaign(c.address, {
            resolved: 1,
            tipping_level: result.tippingLevel,
            committed: result.committed,
          });
          const row = this.store.getCampaign(c.address)!;
          this.publish(
            row,
            "event",
            "Update",
            eventObject(this.facts(row), this.urls, this.timeZone, { result, at }),
            at,
          );
          this.log(`${c.address} resolved at level ${result.tippingLevel}`);
          continue;
        }
        const conditions = JSON.parse(c.conditions) as number[];
        if (!change.pledges && !(conditions.length > 0 && change.donations)) continue;
        // The level the chain shows at the end of the range (the reference model over its tallies).
        const tallies = await readTallies(this.client, c.address as Address, target, conditions.length);
        const now = resolve(JSON.parse(c.ladder) as number[], tallies, conditions);
        if (now.tippingLevel === c.tipping_level) continue;
        const committed = Number(now.committed);
        this.store.updateCampaign(c.address, { tipping_level: now.tippingLevel, committed });
        const note = tippingNote(this.facts(c), this.urls, {
          from: c.tipping_level,
          to: now.tippingLevel,
          committed,
          block: Number(target),
          at,
        });
        this.publish(c, "level", "Create", note, at);
      }
      this.store.setMeta("scanned_block", String(target));
    }
    if (this.config.notifierUrl) await this.pollAnnouncements();
    this.closeOver(Number(head.timestamp));
  }

  /** Campaigns over: resolved and past their action day, or never resolved a week after it. */
  private closeOver(now: number): void {
    for (const c of this.store.activeCampaigns()) {
      const done = c.resolved === 1 && now >= c.action_date;
      const stale = now >= c.action_date + STALE_AFTER;
      if ((done || stale) && this.store.closeCampaign(c.address)) {
        this.log(`${c.address} is over: its followers are deleted`);
      }
    }
  }

  private async pollAnnouncements(): Promise<void> {
    const base = this.config.notifierUrl!.replace(/\/?$/, "/");
    for (const c of this.store.activeCampaigns()) {
      let list: unknown[];
      let revocations: { delegate: Address; revokedAt: number }[];
      try {
        const response = await undiciFetch(`${base}v1/campaigns/${c.address}/announcements`, {
          headers: { accept: "application/json" },
          signal: AbortSignal.timeout(10_000),
        });
        if (response.status === 404) continue;
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const text = await response.text();
        if (text.length > MAX_ANSWER_BYTES) throw new Error("answer too large");
        const body = JSON.parse(text) as { announcements?: unknown; revocations?: unknown };
        if (!Array.isArray(body.announcements)) throw new Error("no announcements array");
        list = body.announcements;
        revocations = revocationsOf(body.revocations, c.address as Address, this.chainId!);
      } catch (error) {
        this.log(`${c.address}: announcements unavailable: ${(error as Error).message.split("\n")[0]}`);
        continue;
      }
      // Newest first from the notifier: published oldest first.
      for (const a of [...list].reverse()) {
        const problem = announcementProblem(a, c.address as Address, this.chainId!);
        if (problem) {
          // Logged once per announcement and run: the notifier keeps answering with it.
          const key = `${c.address}:${String((a as { id?: unknown })?.id)}:${problem}`;
          if (!this.refused.has(key)) this.log(`${c.address}: announcement refused: ${problem}`);
          this.refused.add(key);
          continue;
        }
        const announcement = a as Announcement;
        if (revokedAnnouncement(announcement, revocations)) {
          const key = `${c.address}:${announcement.id}:revoked`;
          if (!this.refused.has(key)) this.log(`${c.address}: announcement of a revoked delegate not published`);
          this.refused.add(key);
          continue;
        }
        if (!this.store.markAnnouncement(c.address, announcement.id.toLowerCase())) continue;
        const note = announcementNote(this.facts(c), this.urls, announcement, this.timeZone);
        this.publish(c, "announcement", "Create", note, announcement.publishedAt);
      }
    }
  }

  // Delivering

  /** Delivers what is due, each inbox's activities in order; a failed one is retried later. */
  async deliver(): Promise<void> {
    if (this.delivering) return this.delivering;
    // Cleared after the assignment: the pass may end before its first await.
    const pass = (async () => {
      for (;;) {
        const due = this.store.dueDeliveries(Date.now(), 200);
        if (due.length === 0) return;
        const byInbox = new Map<string, DeliveryRow[]>();
        for (const d of due) byInbox.set(d.inbox, [...(byInbox.get(d.inbox) ?? []), d]);
        const groups = [...byInbox.values()];
        let progressed = false;
        for (let i = 0; i < groups.length; i += 8) {
          const results = await Promise.all(groups.slice(i, i + 8).map((g) => this.deliverGroup(g)));
          if (results.some(Boolean)) progressed = true;
        }
        if (!progressed) return;
      }
    })();
    this.delivering = pass.finally(() => {
      this.delivering = null;
    });
    return this.delivering;
  }

  /** True when at least one delivery was settled (delivered or given up). */
  private async deliverGroup(rows: DeliveryRow[]): Promise<boolean> {
    let settled = false;
    for (const row of rows) {
      if (!this.store.db.isOpen) return settled;
      const outcome = await this.deliverOne(row);
      if (outcome === "retry") {
        if (row.attempts + 1 >= MAX_ATTEMPTS) this.store.deleteDelivery(row.id);
        else this.store.retryDelivery(row.id, Date.now() + Math.min(30_000 * 2 ** row.attempts, 6 * 3_600_000));
        return settled;
      }
      this.store.deleteDelivery(row.id);
      if (outcome === "gone") {
        this.store.removeInbox(row.campaign, row.inbox);
      }
      settled = true;
    }
    return settled;
  }

  /**
   * Signs and POSTs one activity. The first knock uses the form the inbox's origin accepted last,
   * or RFC 9421 when it never took one; a 400 or 401 answer is knocked again once with the other
   * form (draft-cavage, which Mastodon before 4.5 and Mobilizon check), and the form that worked is
   * remembered for the origin: Fedify's "double-knocking", which `sendActivity` does but does not
   * offer for a POST built by hand.
   */
  private async post(url: URL, row: DeliveryRow): Promise<Awaited<ReturnType<typeof undiciFetch>>> {
    const key = await this.fed.signingKey(row.campaign as Address);
    const body = new TextEncoder().encode(row.activity);
    const known = this.store.signatureSpec(url.origin);
    const send = async (spec: SignatureSpec) => {
      const unsigned = new Request(url, {
        method: "POST",
        headers: { "content-type": "application/activity+json", accept: "application/activity+json" },
        body,
      });
      const signed = await signRequest(unsigned, key.privateKey, key.keyId, {
        spec,
        body: body.buffer as ArrayBuffer,
      });
      const headers: Record<string, string> = {};
      signed.headers.forEach((value, name) => (headers[name] = value));
      return undiciFetch(url, { method: "POST", headers, body, redirect: "manual", dispatcher: this.agent });
    };
    const first: SignatureSpec = known ?? "rfc9421";
    let response = await send(first);
    let spec = first;
    if (response.status === 400 || response.status === 401) {
      await response.body?.cancel();
      spec = first === "rfc9421" ? "draft-cavage-http-signatures-12" : "rfc9421";
      response = await send(spec);
    }
    if (response.ok && spec !== known) this.store.rememberSignatureSpec(url.origin, spec);
    return response;
  }

  private async deliverOne(row: DeliveryRow): Promise<"done" | "gone" | "refused" | "retry"> {
    try {
      const url = checkUrl(row.inbox, this.guard);
      const response = await this.post(url, row);
      await response.body?.cancel();
      if (response.ok) return "done";
      if (response.status === 404 || response.status === 410) return "gone";
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
        this.log(`${row.campaign}: an inbox refused an activity (${response.status})`);
        return "refused";
      }
      this.log(`${row.campaign}: an inbox answered ${response.status}; will retry`);
      return "retry";
    } catch (error) {
      if (error instanceof UnsafeUrlError) {
        this.log(`${row.campaign}: ${error.message}`);
        return "refused";
      }
      const cause = (error as { cause?: { code?: string } }).cause;
      if (cause?.code === "EPRIVATEADDRESS") {
        this.log(`${row.campaign}: refused to deliver to a private address`);
        return "refused";
      }
      this.log(
        `${row.campaign}: delivery failed (${(error as Error).message}${cause?.code ? `, ${cause.code}` : ""}); will retry`,
      );
      return "retry";
    }
  }

  /** Hands an ActivityPub request (WebFinger, actor, inbox) to Fedify. */
  handle(request: Request): Promise<Response> {
    return this.fed.federation.fetch(request, {
      contextData: undefined,
      onNotFound: () => jsonRefusal(new FederationError("NOT_FOUND")),
      // A browser asking for the actor goes to the campaign page.
      onNotAcceptable: (req) => {
        const identifier = new URL(req.url).pathname.split("/")[2] ?? "";
        const campaign = campaignOf(identifier);
        if (!campaign) return jsonRefusal(new FederationError("NOT_FOUND"));
        return new Response(null, { status: 302, headers: { location: this.urls.page(campaign) } });
      },
    });
  }

  get allowsPrivateAddress(): boolean {
    return this.guard.allowPrivateAddress ?? false;
  }
}

function jsonRefusal(error: FederationError): Response {
  return new Response(JSON.stringify(error.toBody()), {
    status: error.status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

const ACTIVITY_TYPES = ["application/activity+json", "application/ld+json", "application/json"];

/**
 * The service's HTTP side (kit/http.ts): WebFinger, the actors and the inboxes through Fedify, and
 * the published objects at their ids. An activity from a private or loopback address, or larger
 * than the body limit, is refused before Fedify sees it.
 */
export async function buildApp(
  service: FederationService,
  options: { bodyLimit?: number; trustProxy?: boolean | string | string[] } = {},
): Promise<ServiceApp> {
  const app = await serviceApp({
    errors: ERRORS,
    bodyLimit: options.bodyLimit ?? 65_536,
    trustProxy: options.trustProxy,
    log: (line) => console.error(`[federation] ${line}`),
    ready: () => service.readiness(),
    openapi: {
      title: "Bascule federation",
      description: "Each campaign as an ActivityPub Group actor (WebFinger, actor, inbox, objects).",
    },
    fastify: { requestTimeout: 15_000, connectionTimeout: 15_000 },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(ACTIVITY_TYPES, { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  app.addHook("onRequest", async (request) => {
    if (
      request.method !== "GET" &&
      request.method !== "HEAD" &&
      !service.allowsPrivateAddress &&
      !isPublicAddress(request.ip)
    ) {
      throw new FederationError("PRIVATE_ADDRESS");
    }
  });

  const bridge = async (
    request: { url: string; method: string; headers: Record<string, string | string[] | undefined>; body?: unknown },
    reply: import("fastify").FastifyReply,
  ) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string") headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const body = request.body instanceof Buffer ? new Uint8Array(request.body) : undefined;
    const response = await service.handle(
      new Request(new URL(request.url, service.urls.origin), { method: request.method, headers, body }),
    );
    reply.code(response.status);
    response.headers.forEach((value, name) => {
      if (name !== "content-length") reply.header(name, value);
    });
    return reply.send(Buffer.from(await response.arrayBuffer()));
  };
  const hide = { schema: { hide: true } };
  app.get("/.well-known/webfinger", hide, bridge);
  app.get("/users/:identifier", hide, bridge);
  app.post("/users/:identifier/inbox", hide, bridge);
  app.post("/inbox", hide, bridge);

  const object = async (id: string, reply: import("fastify").FastifyReply) => {
    const row = service.store.getObject(id);
    if (!row) throw new FederationError("NOT_FOUND");
    return reply
      .type("application/activity+json")
      .header("vary", "Accept")
      .send(JSON.stringify(withContext(JSON.parse(row.json) as Record<string, unknown>)));
  };
  app.get<{ Params: { campaign: string } }>("/objects/:campaign/event", hide, (request, reply) =>
    object(service.urls.event(request.params.campaign), reply),
  );
  app.get<{ Params: { campaign: string; slug: string } }>("/objects/:campaign/notes/:slug", hide, (request, reply) =>
    object(service.urls.note(request.params.campaign, request.params.slug), reply),
  );
  return app;
}

export interface StartOptions extends FederationConfig {
  port: number;
  host: string;
  /** Serve https directly (tests; in production a reverse proxy terminates TLS). PEM strings or file paths. */
  tls?: { key: string; cert: string };
}

export interface RunningFederation {
  url: string;
  service: FederationService;
  app: ServiceApp;
  close(): Promise<void>;
}

const pem = (x: string) => (x.includes("-----BEGIN") ? x : readFileSync(x, "utf8"));

/**
 * Starts the federation service: its HTTP side listening, then its watch loop. What the launcher
 * calls (`close` stops taking requests, then the loop, then the store).
 * @example const fed = await startFederation({ ...config, port: 8791, host: "127.0.0.1" });
 */
export async function startFederation(options: StartOptions): Promise<RunningFederation> {
  const service = new FederationService(options);
  const app = await buildApp(service, { bodyLimit: options.bodyLimit, trustProxy: options.trustProxy });
  let url: string;
  let server: Server | null = null;
  if (options.tls) {
    await app.ready();
    const tlsServer = createHttpsServer({ key: pem(options.tls.key), cert: pem(options.tls.cert) }, (req, res) =>
      app.routing(req, res),
    );
    server = tlsServer;
    await new Promise<void>((done, fail) => {
      tlsServer.once("error", fail);
      tlsServer.listen(options.port, options.host, () => done());
    });
    const { port } = tlsServer.address() as AddressInfo;
    url = `https://${options.host}:${port}`;
  } else {
    url = await app.listen({ port: options.port, host: options.host });
  }
  service.start();
  return {
    url,
    service,
    app,
    async close() {
      if (server) {
        const s = server;
        await new Promise<void>((done) => s.close(() => done()));
        s.closeAllConnections();
      }
      await app.close();
      await service.close();
    },
  };
}
