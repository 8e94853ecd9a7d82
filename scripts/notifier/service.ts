/**
 * The notifier (MECHANISM.md, "Notifier"), free of HTTP: watches a factory's campaigns, computes
 * the provisional result with the reference model after each change (with the campaign's
 * conditions: j*, and the bound set k*, j*_k), and tells each subscriber, by Web Push, when their
 * pledge starts or stops counting during the pledge period (the threshold they chose reached or no
 * longer reached; for a conditional pledger, their group (level, condition) counting or no longer
 * counting, by coverage or by the count), when the campaign resolves (bound or free, support due),
 * and the day before the action. It records the same facts as public feed entries.
 *
 * It keeps no pledge key, no wallet address and no IP (see store.ts and docs/notifier.md).
 * Deliveries sit in the store's outbox until the push service took them: a stop loses nothing.
 */
import { createECDH } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  type Address,
  type PublicClient,
  createPublicClient,
  getAddress,
  http,
  isAddress,
  isErc6492Signature,
} from "viem";
import webpush from "web-push";
import {
  type AnnouncementProblem,
  type SignedAnnouncement,
  type SignedRevocation,
  type TypedDataVerifier,
  announcementId,
  revocationOf,
  verifyAnnouncement,
  verifyRevocation,
} from "@bascule/core/announcements";
import { coverage, resolve } from "@bascule/core/model";
import {
  type LogReaderOptions,
  type ResolvedChange,
  readCampaignChanges,
  readCreatedCampaigns,
  readDescription,
  readOrganiser,
  readTallies,
} from "./chain.js";
import { readiness } from "../kit/http.js";
import { storeOpen } from "../kit/sqlite.js";
import { NotifierError } from "./errors.js";
import {
  type CampaignFacts,
  type Lang,
  type PushPayload,
  boundUpTo,
  campaignFacts,
  isThreshold,
  notificationText,
} from "./messages.js";
import {
  type AnnouncementRow,
  type CampaignRow,
  type EntryRow,
  type RevocationRow,
  Store,
  type SubscriptionRow,
} from "./store.js";

const DAY = 86_400;

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * The VAPID key pair the push services know this notifier by: read from `<dataDir>/vapid.json`,
 * or generated there (mode 0600) on first start. Keep the file: a new key orphans every subscription.
 */
export function loadOrCreateVapidKeys(dataDir: string): VapidKeys {
  const file = path.join(dataDir, "vapid.json");
  if (existsSync(file)) {
    const keys = JSON.parse(readFileSync(file, "utf8")) as VapidKeys;
    if (typeof keys.publicKey === "string" && typeof keys.privateKey === "string") return keys;
    throw new Error(`${file}: not a VAPID key pair / pas une paire de clés VAPID`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const keys = webpush.generateVAPIDKeys();
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: "wx" });
  return keys;
}

export interface NotifierOptions {
  rpcUrl: string;
  factory: Address;
  /** SQLite file; ":memory:" keeps nothing across restarts. */
  dbPath: string;
  vapid: VapidKeys;
  /** The operator's contact the push services see (mailto: or https:). */
  vapidSubject?: string;
  /** Public URL of the dApp, for the links in feeds and calendar entries. */
  appUrl: string;
  pollMs: number;
  /** First block to scan for campaigns (default 0). */
  fromBlock?: bigint;
  /** Blocks to wait before reading a block (reorg safety on public chains; 0 on a local chain). */
  confirmations?: number;
  /** Time zone for dates in notification texts (default Europe/Paris). */
  timeZone?: string;
  /**
   * Host names of the push services the notifier delivers to (suffix match, e.g. "push.apple.com").
   * An endpoint elsewhere is refused, so the notifier cannot be made to POST to any URL.
   */
  pushHosts?: readonly string[];
  /** Accept http:// endpoints on these hosts too (local tests only). */
  insecurePushHosts?: readonly string[];
  maxSubscriptions?: number;
  maxPerEndpoint?: number;
  /** Deliveries sent at once. */
  concurrency?: number;
  pushTimeoutMs?: number;
  logReader?: LogReaderOptions;
  log?: (line: string) => void;
  /** The clock announcements and delegations are checked against, in unix seconds (default: the system's). */
  now?: () => number;
  /** Announcements kept per campaign (default 200); more are refused. */
  maxAnnouncements?: number;
  /** Revoked delegates kept per campaign (default 100); more are refused. */
  maxRevocations?: number;
  /**
   * How long an announcement's pushes wait (ms, default 10 s) for its other language's version: the
   * dApp posts the French and English ones one after the other, and each subscriber is told once.
   */
  announcementGraceMs?: number;
}

/** An announcement as the public API gives it (docs/notifier.md, "Announcements"). */
export interface AnnouncementView extends SignedAnnouncement {
  id: string;
  publishedAt: number;
}

/** A revocation as the public API gives it. */
export interface RevocationView extends SignedRevocation {
  publishedAt: number;
}

export function revocationView(r: RevocationRow): RevocationView {
  return {
    campaign: r.campaign as Address,
    chainId: r.chain_id,
    delegate: r.delegate as Address,
    revokedAt: r.revoked_at,
    signer: r.signer as Address,
    signature: r.signature as `0x${string}`,
    publishedAt: r.published_at,
  };
}

/**
 * Whether readers still see an announcement: not when its delegate was revoked at or before the
 * time it was written or published (what the dApp's own check does, packages/core's
 * `verifyAnnouncement` judged at `publishedAt`).
 */
export function stillValid(a: AnnouncementRow, revocations: readonly RevocationRow[]): boolean {
  if (a.delegate === "") return true;
  const revoked = revocationOf(
    a.delegate as Address,
    revocations.map((r) => ({ delegate: r.delegate as Address, revokedAt: r.revoked_at })),
  );
  return revoked === null || (a.issued_at < revoked && a.published_at < revoked);
}

/** A stored announcement as readers get it. */
export function announcementView(a: AnnouncementRow): AnnouncementView {
  return {
    id: a.id,
    campaign: a.campaign as Address,
    chainId: a.chain_id,
    lang: a.lang,
    title: a.title,
    text: a.text,
    place: a.place === "" ? null : a.place,
    startTime: a.start_time === 0 ? null : a.start_time,
    successor: a.successor === "" ? null : (a.successor as Address),
    issuedAt: a.issued_at,
    signer: a.signer as Address,
    signature: a.signature as `0x${string}`,
    delegation:
      a.delegate === ""
        ? null
        : {
            delegate: a.delegate as Address,
            expiry: a.delegation_expiry,
            signature: a.delegation_signature as `0x${string}`,
          },
    publishedAt: a.published_at,
  };
}

/** The public push services of the main browsers (Chrome/Edge via FCM, Firefox, Safari/iOS, Windows). */
export const DEFAULT_PUSH_HOSTS = [
  "fcm.googleapis.com",
  "android.googleapis.com",
  "updates.push.services.mozilla.com",
  "push.services.mozilla.com",
  "push.apple.com",
  "notify.windows.com",
] as const;

export interface PushSubscriptionJSON {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface SubscribeRequest {
  campaign: string;
  level: number;
  /** The condition class of the subscriber's group, 0..K (0 or absent: none). */
  condition?: number;
  lang: Lang;
  subscription: PushSubscriptionJSON;
}

const MAX_ATTEMPTS = 8;
/** A campaign nobody resolved is over this long after its action date. */
const STALE_AFTER = 7 * DAY;

/** Whether `p256dh` is a point of P-256 (an ECDH with it succeeds). */
function isP256Point(p256dh: string): boolean {
  try {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    ecdh.computeSecret(Buffer.from(p256dh, "base64url"));
    return true;
  } catch {
    return false;
  }
}

function b64urlBytes(s: string): number {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(s)) return -1;
  return Buffer.from(s, "base64url").length;
}

export class Notifier {
  readonly store: Store;
  readonly client: PublicClient;
  readonly publicKey: string;
  private readonly options: NotifierOptions;
  private readonly log: (line: string) => void;
  private readonly timeZone: string;
  private stopped = false;
  private started = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private deliverTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private delivering: Promise<void> | null = null;
  private chainId: number | null = null;
  /** Organisers never change (the factory appends them to the campaign's code). */
  private readonly organisers = new Map<string, Address>();

  constructor(options: NotifierOptions) {
    this.options = options;
    this.log = options.log ?? ((line) => console.log(`[notifier] ${line}`));
    this.timeZone = options.timeZone ?? "Europe/Paris";
    this.store = new Store(options.dbPath, { log: this.log });
    this.client = createPublicClient({ transport: http(options.rpcUrl) });
    this.publicKey = options.vapid.publicKey;
    // Fails early on a bad key pair or subject rather than at the first delivery.
    webpush.generateRequestDetails(
      {
        endpoint: "https://push.invalid/x",
        keys: {
          p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
          auth: "tBHItJI5svbpez7KI4CCXg",
        },
      },
      null,
      { vapidDetails: this.vapidDetails() },
    );
  }

  private vapidDetails() {
    return {
      subject: this.options.vapidSubject ?? "mailto:notifier@bascule.invalid",
      publicKey: this.options.vapid.publicKey,
      privateKey: this.options.vapid.privateKey,
    };
  }

  /** Starts the watch and delivery loops. */
  start(): void {
    this.log(`watching factory ${this.options.factory}`);
    this.started = true;
    const tick = () => {
      if (this.stopped) return;
      this.polling = this.poll()
        .catch((error: unknown) =>
          this.log(`poll failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`),
        )
        .finally(() => {
          this.polling = null;
          if (!this.stopped) this.pollTimer = setTimeout(tick, this.options.pollMs);
        });
    };
    tick();
    this.scheduleDelivery(0);
  }

  private scheduleDelivery(delayMs: number): void {
    // Before start() (tests), deliveries happen only when deliver() is called.
    if (this.stopped || !this.started) return;
    if (this.deliverTimer) clearTimeout(this.deliverTimer);
    this.deliverTimer = setTimeout(() => {
      this.deliverTimer = null;
      if (this.delivering) return this.scheduleDelivery(50);
      this.delivering = this.deliver()
        .catch((error: unknown) =>
          this.log(`delivery failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          this.delivering = null;
          const next = this.store.db.isOpen ? this.store.nextDeliveryAt() : null;
          this.scheduleDelivery(next === null ? 1_000 : Math.max(0, Math.min(next - Date.now(), 60_000)));
        });
    }, delayMs);
  }

  /** Stops both loops after their current pass; every undelivered notification stays in the store. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.deliverTimer) clearTimeout(this.deliverTimer);
    await Promise.all([this.polling, this.delivering]);
    this.store.close();
  }

  // Subscriptions

  private checkEndpoint(endpoint: string): void {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new NotifierError("INVALID_REQUEST", { field: "subscription.endpoint" });
    }
    const matches = (hosts: readonly string[]) =>
      hosts.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
    const secure = url.protocol === "https:" && matches(this.options.pushHosts ?? DEFAULT_PUSH_HOSTS);
    const insecure = url.protocol === "http:" && matches(this.options.insecurePushHosts ?? []);
    if (!secure && !insecure) throw new NotifierError("PUSH_SERVICE_NOT_ALLOWED", { host: url.hostname });
    if (url.username || url.password) throw new NotifierError("PUSH_SERVICE_NOT_ALLOWED", { host: url.hostname });
  }

  /**
   * Records a subscription (campaign, level, condition class, language, and the push subscription
   * itself). The class is what the subscriber says of their own group, as the level is: no key,
   * nothing checked against the chain, so it tells the notifier nothing the chain does not.
   */
  subscribe(req: SubscribeRequest): { campaign: Address; level: number; condition: number; lang: Lang } {
    if (!isAddress(req.campaign, { strict: false })) throw new NotifierError("INVALID_REQUEST", { field: "campaign" });
    const campaign = getAddress(req.campaign);
    const row = this.store.getCampaign(campaign);
    if (!row) throw new NotifierError("UNKNOWN_CAMPAIGN");
    // A failed campaign keeps its subscribers until its action date for the organiser's announcements
    // (a successor), but takes no new ones: there is nothing left to follow.
    if (row.over || (row.resolved === 1 && row.tipping_level === 0)) throw new NotifierError("CAMPAIGN_OVER");
    const ladder = JSON.parse(row.ladder) as number[];
    if (!Number.isInteger(req.level) || req.level < 1 || req.level > ladder.length) {
      throw new NotifierError("LEVEL_OUT_OF_RANGE", { levels: ladder.length });
    }
    const conditions = JSON.parse(row.conditions) as number[];
    const condition = req.condition ?? 0;
    if (!Number.isInteger(condition) || condition < 0 || condition > conditions.length) {
      throw new NotifierError("CONDITION_OUT_OF_RANGE", { conditions });
    }
    const { endpoint, keys } = req.subscription;
    this.checkEndpoint(endpoint);
    // p256dh: an uncompressed P-256 point (65 bytes); auth: 16 random bytes (RFC 8291).
    if (b64urlBytes(keys.p256dh) !== 65 || b64urlBytes(keys.auth) !== 16 || !isP256Point(keys.p256dh)) {
      throw new NotifierError("INVALID_SUBSCRIPTION_KEYS");
    }
    const isNew = !this.store.hasSubscription(campaign, endpoint);
    if (isNew) {
      if (this.store.countForEndpoint(endpoint) >= (this.options.maxPerEndpoint ?? 100))
        throw new NotifierError("TOO_MANY_FOR_DEVICE");
      if (this.store.subscriptionCount() >= (this.options.maxSubscriptions ?? 1_000_000))
        throw new NotifierError("FULL");
    }
    this.store.transaction(() => {
      const saved = this.store.subscribe({
        campaign,
        level: req.level,
        condition,
        lang: req.lang,
        endpoint,
        p256dh: keys.p256dh,
        auth: keys.auth,
      });
      // A late follower is told the latest announcement (once: not again when changing the level).
      if (isNew) this.store.queueLatestAnnouncement(campaign, saved.id);
    });
    if (isNew) this.scheduleDelivery(0);
    return { campaign, level: req.level, condition, lang: req.lang };
  }

  /** Forgets a device's subscription to one campaign, or to all when `campaign` is omitted. */
  unsubscribe(endpoint: string, campaign?: string): number {
    if (campaign !== undefined && !isAddress(campaign, { strict: false }))
      throw new NotifierError("INVALID_REQUEST", { field: "campaign" });
    return this.store.unsubscribe(endpoint, campaign === undefined ? undefined : getAddress(campaign));
  }

  /** A campaign's public facts and feed entries, or null if unknown. */
  campaign(address: string): { row: CampaignRow; facts: CampaignFacts; entries: EntryRow[] } | null {
    if (!isAddress(address, { strict: false })) return null;
    const row = this.store.getCampaign(getAddress(address));
    if (!row) return null;
    return { row, facts: campaignFacts(row), entries: this.store.entries(row.address) };
  }

  // Announcements

  private now(): number {
    return this.options.now ? this.options.now() : Math.floor(Date.now() / 1000);
  }

  private async organiserOf(campaign: Address): Promise<Address> {
    const known = this.organisers.get(campaign);
    if (known) return known;
    try {
      const organiser = await readOrganiser(this.client, campaign);
      this.organisers.set(campaign, organiser);
      return organiser;
    } catch {
      throw new NotifierError("CHAIN_UNREACHABLE");
    }
  }

  private async chain(): Promise<number> {
    if (this.chainId === null) {
      try {
        this.chainId = await this.client.getChainId();
      } catch {
        throw new NotifierError("CHAIN_UNREACHABLE");
      }
    }
    return this.chainId;
  }

  /**
   * ERC-1271 and ERC-6492 through the chain, for an organiser that is a contract (a Safe). Asked
   * only when the address has code, or the signature is an ERC-6492 wrapper (a contract not
   * deployed yet): junk claiming an account organiser costs one `eth_getCode` a minute, no call.
   */
  private readonly verifyTypedData: TypedDataVerifier = async (args) => {
    if (!isErc6492Signature(args.signature) && !(await this.hasCode(args.address))) return false;
    return this.client.verifyTypedData(args as never);
  };

  /** Whether `address` holds code; a contract is remembered, an account checked again after a minute. */
  private async hasCode(address: Address): Promise<boolean> {
    const known = this.codeSeen.get(address);
    if (known && (known.code || Date.now() - known.at < 60_000)) return known.code;
    const code = await this.client.getCode({ address });
    const has = code !== undefined && code !== "0x";
    this.codeSeen.set(address, { code: has, at: Date.now() });
    return has;
  }

  private readonly codeSeen = new Map<string, { code: boolean; at: number }>();

  /** A campaign's announcements, newest first, without those of revoked delegates; null if the campaign is unknown. */
  announcements(address: string, limit = 20): AnnouncementView[] | null {
    const found = this.campaign(address);
    if (!found) return null;
    return this.visibleAnnouncements(found.row.address, limit).map(announcementView);
  }

  /** The stored announcements readers see (newest first): those of a revoked delegate signed since are left out. */
  visibleAnnouncements(campaign: string, limit = 1_000): AnnouncementRow[] {
    const revocations = this.store.revocations(campaign);
    const all = this.store.announcements(campaign, revocations.length ? 1_000 : limit);
    return all.filter((a) => stillValid(a, revocations)).slice(0, limit);
  }

  /** A campaign's revocations, earliest first; null if the campaign is unknown. */
  revocations(address: string): RevocationView[] | null {
    const found = this.campaign(address);
    if (!found) return null;
    return this.store.revocations(found.row.address).map(revocationView);
  }

  /**
   * Keeps the organiser's revocation of a delegate (verified with packages/core against
   * `parameters().organiser`, a contract's through ERC-1271): from then on the notifier refuses
   * every announcement of that delegate, and readers no longer see those it signed from
   * `revokedAt` on. A second revocation of the same delegate counts only if it takes effect earlier.
   */
  async revoke(address: string, r: SignedRevocation): Promise<RevocationView> {
    const found = this.campaign(address);
    if (!found) throw new NotifierError("UNKNOWN_CAMPAIGN");
    const campaign = getAddress(found.row.address);
    const chainId = await this.chain();
    const now = this.now();
    const problem = await verifyRevocation(r, {
      campaign,
      chainId,
      organiser: await this.organiserOf(campaign),
      now,
      verifyTypedData: this.verifyTypedData,
    });
    if (problem) {
      const { code, ...details } = problem;
      throw new NotifierError(`REVOCATION_${code}` as const, Object.keys(details).length ? details : undefined);
    }
    const delegate = getAddress(r.delegate);
    const known = this.store.getRevocation(campaign, delegate);
    if (known && known.revoked_at <= r.revokedAt) throw new NotifierError("ALREADY_REVOKED");
    if (!known && this.store.revocationCount(campaign) >= (this.options.maxRevocations ?? 100))
      throw new NotifierError("TOO_MANY_REVOCATIONS");
    const row: RevocationRow = {
      campaign,
      chain_id: chainId,
      delegate,
      revoked_at: r.revokedAt,
      signer: getAddress(r.signer),
      signature: r.signature,
      published_at: now,
    };
    this.store.putRevocation(row);
    this.log(`${campaign}: delegate ${delegate.slice(0, 10)} revoked from ${r.revokedAt}`);
    return revocationView(row);
  }

  /**
   * Publishes an announcement signed by the campaign's organiser or its delegate (verified with
   * packages/core/src/announcements.ts against `parameters().organiser`): stored, in the feed and
   * calendar, and pushed to every subscriber of the campaign (once per announcement, whatever the
   * number of languages). Accepted after the campaign is over too: a failed campaign names its successor.
   */
  async publish(address: string, a: SignedAnnouncement): Promise<AnnouncementView> {
    const found = this.campaign(address);
    if (!found) throw new NotifierError("UNKNOWN_CAMPAIGN");
    const campaign = getAddress(found.row.address);
    const chainId = await this.chain();
    const now = this.now();
    const problem: AnnouncementProblem | null = await verifyAnnouncement(a, {
      campaign,
      chainId,
      organiser: await this.organiserOf(campaign),
      now,
      verifyTypedData: this.verifyTypedData,
      // Once the notifier holds a revocation, nothing more of that delegate is taken, even if the
      // organiser dated it a few minutes ahead.
      revocations: this.store
        .revocations(campaign)
        .map((r) => ({ delegate: r.delegate as Address, revokedAt: Math.min(r.revoked_at, r.published_at) })),
    });
    if (problem?.code === "DELEGATION_REVOKED") {
      // Says the time the organiser signed, not the notifier's.
      const revoked = this.store.getRevocation(campaign, getAddress(a.signer));
      throw new NotifierError("DELEGATION_REVOKED", { revokedAt: revoked?.revoked_at ?? problem.revokedAt });
    }
    if (problem) {
      const { code, ...details } = problem;
      throw new NotifierError(code, Object.keys(details).length ? details : undefined);
    }
    const id = announcementId(a);
    if (this.store.getAnnouncement(id)) throw new NotifierError("REPLAYED");
    if (this.store.announcementIn(campaign, a.issuedAt, a.lang)) throw new NotifierError("DUPLICATE");
    if (this.store.announcementCount(campaign) >= (this.options.maxAnnouncements ?? 200))
      throw new NotifierError("TOO_MANY_ANNOUNCEMENTS");
    if (a.successor !== null) {
      const next = this.store.getCampaign(getAddress(a.successor));
      if (!next) throw new NotifierError("UNKNOWN_SUCCESSOR");
      if (!(found.row.resolved === 1 && found.row.tipping_level === 0)) throw new NotifierError("NOT_FAILED");
    }
    const c = found.row;
    const row: AnnouncementRow = {
      id,
      campaign,
      chain_id: chainId,
      lang: a.lang,
      title: a.title,
      text: a.text,
      place: a.place ?? "",
      start_time: a.startTime ?? 0,
      successor: a.successor === null ? "" : getAddress(a.successor),
      issued_at: a.issuedAt,
      signer: getAddress(a.signer),
      signature: a.signature,
      delegate: a.delegation ? getAddress(a.delegation.delegate) : "",
      delegation_expiry: a.delegation?.expiry ?? 0,
      delegation_signature: a.delegation?.signature ?? "",
      published_at: now,
    };
    this.store.addAnnouncement(
      row,
      {
        from_level: c.tipping_level,
        to_level: c.tipping_level,
        committed: c.committed,
        paid: 0,
        block: c.scanned_block,
        bound_condition: c.bound_condition,
        bound_condition_level: c.bound_condition_level,
        coverage: c.coverage,
      },
      Date.now() + (this.options.announcementGraceMs ?? 10_000),
    );
    this.log(`${campaign}: announcement ${id.slice(0, 10)} (${a.lang}) published`);
    this.scheduleDelivery(0);
    return announcementView(row);
  }

  /** The version of an announcement entry a reader of `lang` gets: theirs, or else the other language's. */
  announcementFor(campaign: string, entry: Pick<EntryRow, "at">, lang: Lang): AnnouncementRow | undefined {
    const found =
      this.store.announcementIn(campaign, entry.at, lang) ??
      this.store.announcementIn(campaign, entry.at, lang === "fr" ? "en" : "fr");
    // A revoked delegate's announcement still waiting to be pushed (a late follower's latest) is not.
    return found && stillValid(found, this.store.revocations(campaign)) ? found : undefined;
  }

  get appUrl(): string {
    return this.options.appUrl;
  }

  get zone(): string {
    return this.timeZone;
  }

  // Watching the chain

  /** One pass: new campaigns, changes since the last pass, the day-before reminders; queues deliveries. */
  /**
   * GET /ready: the chain answers, the store is open, and the watcher has read the chain up to
   * `confirmations` blocks below its head, give or take `slack` blocks (a poll in between).
   */
  readiness(slack = 5) {
    return readiness({
      chain: async () => (await this.client.getBlockNumber({ cacheTime: 0 }), true as const),
      store: () => storeOpen(this.store.db),
      caughtUp: async () => {
        const head = await this.client.getBlockNumber();
        const scanned = this.store.getMeta("scanned_block");
        const behind = head - BigInt(this.options.confirmations ?? 0) - BigInt(scanned ?? "-1");
        return behind <= BigInt(slack) ? true : `${behind} blocks behind the chain`;
      },
    });
  }

  async poll(): Promise<void> {
    const head = await this.client.getBlock({ blockTag: "latest" });
    const target = head.number - BigInt(this.options.confirmations ?? 0);
    const scanned = BigInt(this.store.getMeta("scanned_block") ?? String((this.options.fromBlock ?? 0n) - 1n));
    if (target > scanned) {
      const from = scanned + 1n;
      const block = target === head.number ? head : await this.client.getBlock({ blockNumber: target });
      const created = await readCreatedCampaigns(this.client, this.options.factory, from, target);
      for (const c of created) {
        const d = readDescription(c.metadataURI);
        const createdAt =
          c.block === block.number ? block.timestamp : (await this.client.getBlock({ blockNumber: c.block })).timestamp;
        this.store.addCampaign({
          address: c.campaign,
          ladder: JSON.stringify(c.ladder),
          conditions: JSON.stringify(c.conditions),
          pledge_deadline: Number(c.pledgeDeadline),
          action_date: Number(c.actionDate),
          action_day: d.actionDay,
          title: d.title,
          place: d.place,
          created_at: Number(createdAt),
          scanned_block: Number(c.block),
        });
      }
      const active = this.store.activeCampaigns();
      const changes = await readCampaignChanges(
        this.client,
        active.map((c) => c.address as Address),
        from,
        target,
        this.options.logReader,
      );
      for (const c of active) {
        const change = changes.get(c.address);
        if (!change) continue;
        await this.apply(c, change, target, Number(block.timestamp));
      }
      this.store.setMeta("scanned_block", String(target));
    }
    this.timeEvents(Number(head.timestamp), Number(head.number));
    this.scheduleDelivery(0);
  }

  private async apply(
    c: CampaignRow,
    change: { pledges: boolean; donations: boolean; resolved: ResolvedChange | null },
    block: bigint,
    at: number,
  ): Promise<void> {
    const ladder = JSON.parse(c.ladder) as number[];
    const conditions = JSON.parse(c.conditions) as number[];
    if (c.resolved) return;
    if (change.resolved) {
      const r = change.resolved;
      const covered = coverage(r);
      this.store.transaction(() => {
        this.store.addEntry(
          {
            campaign: c.address,
            kind: "resolved",
            from_level: c.tipping_level,
            to_level: r.tippingLevel,
            committed: Number(r.committed),
            paid: r.paid > 0n ? 1 : 0,
            block: Number(r.block),
            at,
            condition: 0,
            bound_condition: r.boundCondition,
            bound_condition_level: r.boundConditionLevel,
            coverage: covered,
          },
          { minLevel: 1, maxLevel: ladder.length },
        );
        this.store.updateCampaign(c.address, {
          resolved: 1,
          tipping_level: r.tippingLevel,
          committed: Number(r.committed),
          bound_condition: r.boundCondition,
          bound_condition_level: r.boundConditionLevel,
          coverage: covered,
        });
      });
      this.log(
        `${c.address} resolved at level ${r.tippingLevel}` +
          (conditions.length > 0 ? ` (k* = ${r.boundCondition}, j*_k = ${r.boundConditionLevel})` : ""),
      );
      return;
    }
    // A donation moves the coverage, hence which conditional groups count; without conditions it changes nothing.
    if (!change.pledges && !(conditions.length > 0 && change.donations)) return;
    // The provisional result at the end of the range, by the reference model, with the conditions.
    const tallies = await readTallies(this.client, c.address as Address, block, conditions.length);
    const now = resolve(ladder, tallies, conditions);
    const before = {
      to_level: c.tipping_level,
      bound_condition: c.bound_condition,
      bound_condition_level: c.bound_condition_level,
    };
    const after = {
      to_level: now.tippingLevel,
      bound_condition: now.boundCondition,
      bound_condition_level: now.boundConditionLevel,
    };
    const from = c.tipping_level;
    const to = now.tippingLevel;
    const entry = {
      campaign: c.address,
      from_level: from,
      to_level: to,
      committed: Number(now.committed),
      paid: 0,
      block: Number(block),
      at,
      bound_condition: now.boundCondition,
      bound_condition_level: now.boundConditionLevel,
      coverage: coverage(now),
    };
    const changed: string[] = [];
    this.store.transaction(() => {
      // Unconditional pledgers: their pledge counts iff their level is at most j*.
      if (to > from) {
        this.store.addEntry(
          { ...entry, kind: "reached", condition: 0 },
          { minLevel: from + 1, maxLevel: to, condition: 0 },
        );
      } else if (to < from) {
        this.store.addEntry(
          { ...entry, kind: "lost", condition: 0 },
          { minLevel: to + 1, maxLevel: from, condition: 0 },
        );
      }
      // Each condition class k counts at levels 1..boundUpTo(k): tell the groups that moved in or out.
      for (let k = 1; k <= conditions.length; k++) {
        const was = boundUpTo(before, k);
        const is = boundUpTo(after, k);
        if (is > was) {
          this.store.addEntry(
            { ...entry, kind: "covered", condition: k },
            { minLevel: was + 1, maxLevel: is, condition: k },
          );
        } else if (is < was) {
          this.store.addEntry(
            { ...entry, kind: "uncovered", condition: k },
            { minLevel: is + 1, maxLevel: was, condition: k },
          );
        }
        if (is !== was) changed.push(`condition ${k} counts up to level ${was} → ${is}`);
      }
      this.store.updateCampaign(c.address, {
        tipping_level: to,
        committed: Number(now.committed),
        scanned_block: Number(block),
        bound_condition: now.boundCondition,
        bound_condition_level: now.boundConditionLevel,
        coverage: entry.coverage,
      });
    });
    if (to !== from) changed.unshift(`provisional level ${from} → ${to}`);
    if (changed.length > 0) this.log(`${c.address}: ${changed.join(", ")}`);
  }

  /** The day-before reminder, and forgetting the subscribers of campaigns that are over. */
  private timeEvents(now: number, block: number): void {
    for (const c of this.store.activeCampaigns()) {
      const ladder = JSON.parse(c.ladder) as number[];
      if (!c.reminder_sent && now >= c.action_date - DAY) {
        this.store.transaction(() => {
          // Too late to say "tomorrow" once the day has come (the notifier was down): mark it only.
          if (now < c.action_date) {
            this.store.addEntry(
              {
                campaign: c.address,
                kind: "reminder",
                from_level: c.tipping_level,
                to_level: c.tipping_level,
                committed: c.committed,
                paid: 0,
                block,
                at: now,
                condition: 0,
                bound_condition: c.bound_condition,
                bound_condition_level: c.bound_condition_level,
                coverage: c.coverage,
              },
              { minLevel: 1, maxLevel: ladder.length },
            );
          }
          this.store.updateCampaign(c.address, { reminder_sent: 1 });
        });
      }
      // Resolved (bound or failed) and its day has come: nothing is left to tell. A failed campaign
      // keeps its subscribers until then so that the organiser's announcement of a successor reaches them.
      const done = c.resolved === 1 && now >= c.action_date;
      // Nobody resolved it, long after its day: there is nothing left to tell either.
      const stale = now >= c.action_date + STALE_AFTER;
      if ((done || stale) && this.store.closeCampaign(c.address)) {
        this.log(`${c.address} is over: its subscriptions are deleted`);
      }
    }
  }

  // Delivering

  /** The push message one subscriber gets for one entry. */
  payloadFor(
    sub: Pick<SubscriptionRow, "level" | "lang"> & Partial<Pick<SubscriptionRow, "condition">>,
    campaign: CampaignRow,
    entry: EntryRow,
  ): PushPayload {
    return notificationText(
      campaignFacts(campaign),
      entry,
      { level: sub.level, condition: sub.condition ?? 0, lang: sub.lang },
      this.timeZone,
      entry.kind === "announcement" ? this.announcementFor(campaign.address, entry, sub.lang) : undefined,
    );
  }

  /** Sends what is due; keeps failures for a later try (exponential back-off), drops gone subscriptions. */
  async deliver(): Promise<void> {
    const concurrency = this.options.concurrency ?? 8;
    for (;;) {
      if (!this.store.db.isOpen) return;
      const due = this.store.dueDeliveries(Date.now(), 64);
      if (due.length === 0) return;
      for (let i = 0; i < due.length; i += concurrency) {
        await Promise.all(due.slice(i, i + concurrency).map((d) => this.deliverOne(d)));
      }
      if (this.stopped) return;
    }
  }

  private async deliverOne(d: {
    subscription_id: string;
    campaign: string;
    seq: number;
    attempts: number;
  }): Promise<void> {
    const sub = this.store.getSubscription(d.subscription_id);
    const entry = this.store.getEntry(d.campaign, d.seq);
    const campaign = this.store.getCampaign(d.campaign);
    if (!sub || !entry || !campaign) return this.store.delivered(d);
    const payload = this.payloadFor(sub, campaign, entry);
    const ttl =
      entry.kind === "reminder"
        ? Math.max(60, campaign.action_date - entry.at)
        : entry.kind === "resolved" || entry.kind === "announcement"
          ? 7 * DAY
          : Math.max(60, Math.min(DAY, campaign.pledge_deadline - entry.at));
    let status: number;
    try {
      const request = webpush.generateRequestDetails(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: this.vapidDetails(),
          TTL: ttl,
          urgency: entry.kind === "reminder" || entry.kind === "resolved" ? "high" : "normal",
          // A newer threshold message replaces an undelivered older one of the same campaign.
          // Each announcement has a topic of its own: a newer one does not replace an older one undelivered.
          topic:
            entry.kind === "announcement"
              ? `an${entry.seq.toString(36)}${campaign.address.slice(2, 32 - entry.seq.toString(36).length)}`
              : `${isThreshold(entry.kind) ? "th" : entry.kind.slice(0, 2)}${campaign.address.slice(2, 32)}`,
        },
      );
      const response = await fetch(request.endpoint, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: new Uint8Array(request.body),
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.pushTimeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      status = response.status;
    } catch (error) {
      status = 0;
      this.log(
        `push to ${new URL(sub.endpoint).host} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (status >= 200 && status < 300) return this.store.delivered(d);
    if (status === 404 || status === 410) {
      // The browser unsubscribed or the subscription expired: forget it (RFC 8030, 7.3).
      return this.store.deleteSubscription(sub.id);
    }
    if (status === 400 || status === 403 || status === 413 || d.attempts + 1 >= MAX_ATTEMPTS) {
      this.log(`push to ${new URL(sub.endpoint).host} refused (${status}); dropped`);
      return this.store.delivered(d);
    }
    this.store.retryLater(d, Date.now() + Math.min(3_600_000, 1_000 * 2 ** d.attempts));
  }
}
