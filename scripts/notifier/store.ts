/**
 * What the notifier keeps on disk (Node 22's `node:sqlite`), and nothing else. Every column is
 * listed in docs/notifier.md; a test reads the file and checks that no pledge key, wallet address
 * or IP address is in it.
 *
 * - `subscriptions`: one row per (push subscription, campaign): the push endpoint and its two
 *   public keys (they ARE the subscription: without them nothing can be delivered), the campaign,
 *   the chosen threshold level, the condition class (0: none; k: "at least c_k of my support
 *   covered") and the language of the texts. No time of creation, and no order of subscription
 *   in the files: the order and time of subscriptions would otherwise line up with the order and
 *   time of pledges on the chain. A row's key is a hash of its campaign and endpoint (a WITHOUT
 *   ROWID table); the file is forgetful (scripts/kit/sqlite.ts: no write-ahead log keeping past
 *   pages in commit order, deleted rows zeroed); and since SQLite places a new row where a page has
 *   room, which follows the order of writes, the file is rewritten from its rows (`compact`) after
 *   subscriptions change: then it is the same bytes whatever order they came in.
 * - `campaigns`: public facts read from the chain (ladder, conditions, dates, title, place) and the
 *   watcher's progress (last block read, provisional result last announced: j*, k*, j*_k and the
 *   coverage, reminder sent).
 * - `entries`: public events derived from the chain (threshold reached or lost, a condition class
 *   counting or no longer counting at some levels, resolution, the day before the action): the Atom
 *   feed, and what each notification says.
 * - `announcements`: the organiser's signed announcements (issue 22), public like the feed: the
 *   signed fields, the signer and its delegation, and when the notifier published each. Nothing
 *   about who reads them.
 * - `revocations`: the organiser's signed revocations of delegate keys (public like the
 *   announcements): the delegate, from when, the signature, and when the notifier took it.
 * - `outbox`: deliveries still to make (subscription id, entry); a row is deleted once delivered,
 *   so a stop (Ctrl-C, crash) loses nothing and sends nothing twice but the one in flight.
 */
import { createHash } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { compact, inTransaction, openDatabase } from "../kit/sqlite.js";

/**
 * The most of its time the notifier spends compacting while subscriptions keep changing: after a
 * compaction that took d ms, the next starts no sooner than d × (1 / share − 1) ms later. Until it
 * runs, the file shows the order of the subscription changes made since the last one.
 */
export const COMPACTION_SHARE = 0.2;

/**
 * A subscription's key: the first 16 bytes (hex) of SHA-256 over its campaign and endpoint. It says
 * nothing the row does not (the endpoint is in it), is the same on every write of the same device
 * to the same campaign, and sorts rows in an order that has nothing to do with time.
 * @example subscriptionId("0xCa…", "https://fcm.googleapis.com/fcm/send/…") // "5f0c…" (32 hex digits)
 */
export function subscriptionId(campaign: string, endpoint: string): string {
  return createHash("sha256").update(`bascule-subscription\n${campaign}\n${endpoint}`).digest("hex").slice(0, 32);
}

const SUBSCRIPTIONS = `
      CREATE TABLE IF NOT EXISTS subscriptions (
        id TEXT PRIMARY KEY,
        campaign TEXT NOT NULL,
        level INTEGER NOT NULL,
        lang TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        condition INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS subscriptions_by_level ON subscriptions(campaign, level);
      CREATE INDEX IF NOT EXISTS subscriptions_by_endpoint ON subscriptions(endpoint);`;

export interface StoreOptions {
  /** Where a failed compaction is told (it is tried again a second later). */
  log?: (line: string) => void;
}

/**
 * `reached`/`lost`: the provisional tipping level j* rose or fell (told to unconditional pledgers);
 * `covered`/`uncovered`: the pledges of one condition class k started or stopped counting at some
 * levels, by coverage or by the count (told to that class's subscribers at those levels).
 */
export type EntryKind = "reached" | "lost" | "covered" | "uncovered" | "resolved" | "reminder" | "announcement";

/**
 * One signed announcement (packages/core/src/announcements.ts). The versions of one announcement in
 * French and in English share `issued_at` (the dApp signs both at once): together they are one
 * `announcement` entry, and each reader gets the version in their language, or else the other.
 * Empty text or 0 is "none" for `place`, `start_time`, `successor` and the delegation's columns.
 */
export interface AnnouncementRow {
  id: string;
  campaign: string;
  chain_id: number;
  lang: "en" | "fr";
  title: string;
  text: string;
  place: string;
  start_time: number;
  successor: string;
  issued_at: number;
  signer: string;
  signature: string;
  delegate: string;
  delegation_expiry: number;
  delegation_signature: string;
  published_at: number;
}

/** The organiser's revocation of a delegate key for a campaign (the earliest one kept). */
export interface RevocationRow {
  campaign: string;
  chain_id: number;
  delegate: string;
  revoked_at: number;
  signer: string;
  signature: string;
  published_at: number;
}

export interface SubscriptionRow {
  id: string;
  campaign: string;
  level: number;
  lang: "en" | "fr";
  endpoint: string;
  p256dh: string;
  auth: string;
  /** The condition class the subscriber's group has, 0..K (0: none). A class, never a key. */
  condition: number;
}

export interface CampaignRow {
  address: string;
  ladder: string;
  pledge_deadline: number;
  action_date: number;
  action_day: string;
  title: string;
  place: string;
  created_at: number;
  scanned_block: number;
  tipping_level: number;
  committed: number;
  resolved: number;
  reminder_sent: number;
  over: number;
  /** c_1..c_K (JSON array of basis points), from `CampaignCreated`. */
  conditions: string;
  /** k* and j*_k last announced (with j* = tipping_level, the bound set), and its coverage (basis points). */
  bound_condition: number;
  bound_condition_level: number;
  coverage: number;
}

export interface EntryRow {
  campaign: string;
  seq: number;
  kind: EntryKind;
  from_level: number;
  to_level: number;
  committed: number;
  paid: number;
  block: number;
  at: number;
  /** For `covered`/`uncovered`: the class k concerned; 0 otherwise. */
  condition: number;
  /** The bound set after the event (with to_level = j*): k*, j*_k; and the coverage paid / R in basis points. */
  bound_condition: number;
  bound_condition_level: number;
  coverage: number;
}

export interface OutboxRow {
  subscription_id: string;
  campaign: string;
  seq: number;
  attempts: number;
  next_at: number;
}

/** The columns of each table, as docs/notifier.md lists them (checked by a test). */
export const COLUMNS = {
  subscriptions: ["id", "campaign", "level", "lang", "endpoint", "p256dh", "auth", "condition"],
  campaigns: [
    "address",
    "ladder",
    "pledge_deadline",
    "action_date",
    "action_day",
    "title",
    "place",
    "created_at",
    "scanned_block",
    "tipping_level",
    "committed",
    "resolved",
    "reminder_sent",
    "over",
    "conditions",
    "bound_condition",
    "bound_condition_level",
    "coverage",
  ],
  entries: [
    "campaign",
    "seq",
    "kind",
    "from_level",
    "to_level",
    "committed",
    "paid",
    "block",
    "at",
    "condition",
    "bound_condition",
    "bound_condition_level",
    "coverage",
  ],
  outbox: ["subscription_id", "campaign", "seq", "attempts", "next_at"],
  announcements: [
    "id",
    "campaign",
    "chain_id",
    "lang",
    "title",
    "text",
    "place",
    "start_time",
    "successor",
    "issued_at",
    "signer",
    "signature",
    "delegate",
    "delegation_expiry",
    "delegation_signature",
    "published_at",
  ],
  revocations: ["campaign", "chain_id", "delegate", "revoked_at", "signer", "signature", "published_at"],
  meta: ["key", "value"],
} as const;

export class Store {
  readonly db: DatabaseSync;
  private readonly log: (line: string) => void;
  private readonly persistent: boolean;
  /** Subscriptions changed since the last compaction. */
  private changed = false;
  private compactTimer: NodeJS.Timeout | null = null;
  /** No compaction starts before this time (ms since epoch): see COMPACTION_SHARE. */
  private compactAfter = 0;

  constructor(path: string, options: StoreOptions = {}) {
    this.log = options.log ?? (() => {});
    this.persistent = path !== ":memory:";
    this.db = openDatabase(
      path,
      `${SUBSCRIPTIONS}
      CREATE TABLE IF NOT EXISTS campaigns (
        address TEXT PRIMARY KEY,
        ladder TEXT NOT NULL,
        pledge_deadline INTEGER NOT NULL,
        action_date INTEGER NOT NULL,
        action_day TEXT NOT NULL,
        title TEXT NOT NULL,
        place TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        scanned_block INTEGER NOT NULL,
        tipping_level INTEGER NOT NULL DEFAULT 0,
        committed INTEGER NOT NULL DEFAULT 0,
        resolved INTEGER NOT NULL DEFAULT 0,
        reminder_sent INTEGER NOT NULL DEFAULT 0,
        over INTEGER NOT NULL DEFAULT 0,
        conditions TEXT NOT NULL DEFAULT '[]',
        bound_condition INTEGER NOT NULL DEFAULT 0,
        bound_condition_level INTEGER NOT NULL DEFAULT 0,
        coverage INTEGER NOT NULL DEFAULT 10000
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS entries (
        campaign TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        from_level INTEGER NOT NULL,
        to_level INTEGER NOT NULL,
        committed INTEGER NOT NULL,
        paid INTEGER NOT NULL DEFAULT 0,
        block INTEGER NOT NULL,
        at INTEGER NOT NULL,
        condition INTEGER NOT NULL DEFAULT 0,
        bound_condition INTEGER NOT NULL DEFAULT 0,
        bound_condition_level INTEGER NOT NULL DEFAULT 0,
        coverage INTEGER NOT NULL DEFAULT 10000,
        PRIMARY KEY (campaign, seq)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS outbox (
        subscription_id TEXT NOT NULL,
        campaign TEXT NOT NULL,
        seq INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (subscription_id, campaign, seq)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS outbox_due ON outbox(next_at);
      CREATE TABLE IF NOT EXISTS announcements (
        id TEXT PRIMARY KEY,
        campaign TEXT NOT NULL,
        chain_id INTEGER NOT NULL,
        lang TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        place TEXT NOT NULL,
        start_time INTEGER NOT NULL,
        successor TEXT NOT NULL,
        issued_at INTEGER NOT NULL,
        signer TEXT NOT NULL,
        signature TEXT NOT NULL,
        delegate TEXT NOT NULL,
        delegation_expiry INTEGER NOT NULL,
        delegation_signature TEXT NOT NULL,
        published_at INTEGER NOT NULL,
        UNIQUE (campaign, issued_at, lang)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS revocations (
        campaign TEXT NOT NULL,
        chain_id INTEGER NOT NULL,
        delegate TEXT NOT NULL,
        revoked_at INTEGER NOT NULL,
        signer TEXT NOT NULL,
        signature TEXT NOT NULL,
        published_at INTEGER NOT NULL,
        PRIMARY KEY (campaign, delegate)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `,
      { forgetful: true, synchronous: "FULL" },
    );
    this.addConditionColumns();
    this.convertEarlierLayout();
    // Whatever the file held before (a crash between a change and its compaction, an earlier
    // layout), it now holds its rows and nothing of their order.
    this.compact();
  }

  /**
   * The layout before issue 20: random ids, and a UNIQUE (campaign, endpoint) constraint. The ids
   * become hashes (the outbox follows), with the schema text a new file has: once compacted, the
   * file is the one a new store holding the same rows would have.
   */
  private convertEarlierLayout(): void {
    const indexes = this.db.prepare("PRAGMA index_list(subscriptions)").all() as { origin: string }[];
    if (!indexes.some((i) => i.origin === "u")) return;
    this.db.function("subscription_id", { deterministic: true }, (campaign, endpoint) =>
      subscriptionId(String(campaign), String(endpoint)),
    );
    inTransaction(this.db, () => {
      this.db.exec(`
        DELETE FROM outbox WHERE subscription_id NOT IN (SELECT id FROM subscriptions);
        UPDATE outbox SET subscription_id =
          (SELECT subscription_id(s.campaign, s.endpoint) FROM subscriptions s WHERE s.id = outbox.subscription_id);
        DROP INDEX subscriptions_by_level;
        DROP INDEX subscriptions_by_endpoint;
        ALTER TABLE subscriptions RENAME TO subscriptions_earlier;
        ${SUBSCRIPTIONS}
        INSERT INTO subscriptions (id, campaign, level, lang, endpoint, p256dh, auth, condition)
          SELECT subscription_id(campaign, endpoint), campaign, level, lang, endpoint, p256dh, auth, condition
          FROM subscriptions_earlier;
        DROP TABLE subscriptions_earlier;
      `);
    });
  }

  /**
   * Rewrites the file from the rows it holds (kit's `compact`), so that no page keeps the order in
   * which subscriptions were written. Runs on opening, on closing after changes, and after the
   * subscriptions change (`compactSoon`).
   */
  compact(): void {
    if (!this.persistent || !this.db.isOpen) return;
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = null;
    const took = compact(this.db);
    this.changed = false;
    this.compactAfter = Date.now() + took * (1 / COMPACTION_SHARE - 1);
  }

  /** Subscriptions changed: compact as soon as COMPACTION_SHARE allows (at once when idle). */
  private compactSoon(): void {
    this.changed = true;
    if (this.compactTimer || !this.persistent) return;
    this.compactTimer = setTimeout(
      () => {
        this.compactTimer = null;
        if (!this.db.isOpen || !this.changed) return;
        try {
          this.compact();
        } catch (error) {
          this.log(`compaction failed, trying again in 1 s: ${error instanceof Error ? error.message : String(error)}`);
          this.compactAfter = Date.now() + 1_000;
          this.compactSoon();
        }
      },
      Math.max(0, this.compactAfter - Date.now()),
    );
    this.compactTimer.unref();
  }

  /**
   * A store written before conditions existed gets their columns (at the end of each table, where
   * the schema above puts them), with the defaults that mean "no condition".
   */
  private addConditionColumns(): void {
    const added: Record<string, [string, string][]> = {
      subscriptions: [["condition", "INTEGER NOT NULL DEFAULT 0"]],
      campaigns: [
        ["conditions", "TEXT NOT NULL DEFAULT '[]'"],
        ["bound_condition", "INTEGER NOT NULL DEFAULT 0"],
        ["bound_condition_level", "INTEGER NOT NULL DEFAULT 0"],
        ["coverage", "INTEGER NOT NULL DEFAULT 10000"],
      ],
      entries: [
        ["condition", "INTEGER NOT NULL DEFAULT 0"],
        ["bound_condition", "INTEGER NOT NULL DEFAULT 0"],
        ["bound_condition_level", "INTEGER NOT NULL DEFAULT 0"],
        ["coverage", "INTEGER NOT NULL DEFAULT 10000"],
      ],
    };
    for (const [table, columns] of Object.entries(added)) {
      const present = new Set(
        (this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name),
      );
      for (const [name, type] of columns) {
        if (!present.has(name)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
      }
    }
  }

  /** Closes the file, compacted if subscriptions changed since the last compaction. */
  close(): void {
    if (!this.db.isOpen) return;
    try {
      if (this.changed) this.compact();
    } catch (error) {
      // Every row is committed already: the next start compacts.
      this.log(`compaction on closing failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.db.close();
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
      .run(key, value);
  }

  // Subscriptions

  /** Adds a subscription, or changes the level, condition and language of the same device on the same campaign. */
  subscribe(s: Omit<SubscriptionRow, "id">): SubscriptionRow {
    const id = subscriptionId(s.campaign, s.endpoint);
    this.db
      .prepare(
        `INSERT INTO subscriptions (id, campaign, level, lang, endpoint, p256dh, auth, condition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET level = excluded.level, lang = excluded.lang,
           p256dh = excluded.p256dh, auth = excluded.auth, condition = excluded.condition`,
      )
      .run(id, s.campaign, s.level, s.lang, s.endpoint, s.p256dh, s.auth, s.condition);
    this.compactSoon();
    return this.getSubscription(id)!;
  }

  /** Whether this device follows this campaign. */
  hasSubscription(campaign: string, endpoint: string): boolean {
    return this.getSubscription(subscriptionId(campaign, endpoint)) !== undefined;
  }

  /** Deletes a device's subscription to one campaign (or to every campaign); returns how many. */
  unsubscribe(endpoint: string, campaign?: string): number {
    return this.transaction(() => {
      const ids =
        campaign === undefined
          ? (this.db.prepare(`SELECT id FROM subscriptions WHERE endpoint = ?`).all(endpoint) as { id: string }[]).map(
              (r) => r.id,
            )
          : [subscriptionId(campaign, endpoint)].filter((id) => this.getSubscription(id));
      for (const id of ids) this.deleteSubscriptionNow(id);
      return ids.length;
    });
  }

  private deleteSubscriptionNow(id: string): void {
    this.db.prepare(`DELETE FROM outbox WHERE subscription_id = ?`).run(id);
    if (this.db.prepare(`DELETE FROM subscriptions WHERE id = ?`).run(id).changes > 0) this.compactSoon();
  }

  /** Deletes one subscription and its pending deliveries (the push service said it is gone). */
  deleteSubscription(id: string): void {
    this.transaction(() => this.deleteSubscriptionNow(id));
  }

  getSubscription(id: string): SubscriptionRow | undefined {
    return this.db.prepare(`SELECT * FROM subscriptions WHERE id = ?`).get(id) as SubscriptionRow | undefined;
  }

  subscriptionCount(campaign?: string): number {
    const row = (
      campaign === undefined
        ? this.db.prepare(`SELECT COUNT(*) AS n FROM subscriptions`).get()
        : this.db.prepare(`SELECT COUNT(*) AS n FROM subscriptions WHERE campaign = ?`).get(campaign)
    ) as { n: number };
    return Number(row.n);
  }

  countForEndpoint(endpoint: string): number {
    return Number(
      (this.db.prepare(`SELECT COUNT(*) AS n FROM subscriptions WHERE endpoint = ?`).get(endpoint) as { n: number }).n,
    );
  }

  // Campaigns

  addCampaign(
    c: Pick<
      CampaignRow,
      | "address"
      | "ladder"
      | "pledge_deadline"
      | "action_date"
      | "action_day"
      | "title"
      | "place"
      | "created_at"
      | "scanned_block"
      | "conditions"
    >,
  ): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO campaigns (address, ladder, pledge_deadline, action_date, action_day, title, place, created_at, scanned_block, conditions)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.address,
        c.ladder,
        c.pledge_deadline,
        c.action_date,
        c.action_day,
        c.title,
        c.place,
        c.created_at,
        c.scanned_block,
        c.conditions,
      );
  }

  getCampaign(address: string): CampaignRow | undefined {
    return this.db.prepare(`SELECT * FROM campaigns WHERE address = ?`).get(address) as CampaignRow | undefined;
  }

  /** Campaigns still watched. */
  activeCampaigns(): CampaignRow[] {
    return this.db.prepare(`SELECT * FROM campaigns WHERE over = 0 ORDER BY address`).all() as unknown as CampaignRow[];
  }

  updateCampaign(
    address: string,
    patch: Partial<
      Pick<
        CampaignRow,
        | "scanned_block"
        | "tipping_level"
        | "committed"
        | "resolved"
        | "reminder_sent"
        | "over"
        | "bound_condition"
        | "bound_condition_level"
        | "coverage"
      >
    >,
  ): void {
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE campaigns SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE address = ?`)
      .run(...keys.map((k) => patch[k] as number), address);
  }

  // Entries and deliveries

  /**
   * Records a public entry and queues a delivery for each subscription that `recipients` selects
   * (by level, and by condition class when `condition` is given), in one transaction with the
   * campaign's new state.
   */
  addEntry(
    entry: Omit<EntryRow, "seq">,
    recipients: { minLevel: number; maxLevel: number; condition?: number; nextAt?: number } | null,
  ): EntryRow {
    const seq =
      Number(
        (
          this.db.prepare(`SELECT COALESCE(MAX(seq), 0) AS n FROM entries WHERE campaign = ?`).get(entry.campaign) as {
            n: number;
          }
        ).n,
      ) + 1;
    this.db
      .prepare(
        `INSERT INTO entries (campaign, seq, kind, from_level, to_level, committed, paid, block, at, condition, bound_condition, bound_condition_level, coverage)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.campaign,
        seq,
        entry.kind,
        entry.from_level,
        entry.to_level,
        entry.committed,
        entry.paid,
        entry.block,
        entry.at,
        entry.condition,
        entry.bound_condition,
        entry.bound_condition_level,
        entry.coverage,
      );
    if (recipients) {
      const byCondition = recipients.condition === undefined ? "" : " AND condition = ?";
      this.db
        .prepare(
          `INSERT OR IGNORE INTO outbox (subscription_id, campaign, seq, attempts, next_at)
           SELECT id, campaign, ?, 0, ? FROM subscriptions WHERE campaign = ? AND level >= ? AND level <= ?${byCondition}`,
        )
        .run(
          seq,
          recipients.nextAt ?? 0,
          entry.campaign,
          recipients.minLevel,
          recipients.maxLevel,
          ...(recipients.condition === undefined ? [] : [recipients.condition]),
        );
    }
    return { ...entry, seq };
  }

  entries(campaign: string): EntryRow[] {
    return this.db
      .prepare(`SELECT * FROM entries WHERE campaign = ? ORDER BY seq`)
      .all(campaign) as unknown as EntryRow[];
  }

  getEntry(campaign: string, seq: number): EntryRow | undefined {
    return this.db.prepare(`SELECT * FROM entries WHERE campaign = ? AND seq = ?`).get(campaign, seq) as
      EntryRow | undefined;
  }

  /** Deliveries due now, oldest entry first. */
  dueDeliveries(now: number, limit: number): OutboxRow[] {
    return this.db
      .prepare(`SELECT * FROM outbox WHERE next_at <= ? ORDER BY campaign, seq LIMIT ?`)
      .all(now, limit) as unknown as OutboxRow[];
  }

  pendingDeliveries(campaign?: string): number {
    const row = (
      campaign === undefined
        ? this.db.prepare(`SELECT COUNT(*) AS n FROM outbox`).get()
        : this.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE campaign = ?`).get(campaign)
    ) as { n: number };
    return Number(row.n);
  }

  /** The earliest time a delivery is due, or null when none waits. */
  nextDeliveryAt(): number | null {
    const row = this.db.prepare(`SELECT MIN(next_at) AS t FROM outbox`).get() as { t: number | null };
    return row.t === null ? null : Number(row.t);
  }

  delivered(d: Pick<OutboxRow, "subscription_id" | "campaign" | "seq">): void {
    this.db
      .prepare(`DELETE FROM outbox WHERE subscription_id = ? AND campaign = ? AND seq = ?`)
      .run(d.subscription_id, d.campaign, d.seq);
  }

  retryLater(d: Pick<OutboxRow, "subscription_id" | "campaign" | "seq">, nextAt: number): void {
    this.db
      .prepare(
        `UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE subscription_id = ? AND campaign = ? AND seq = ?`,
      )
      .run(nextAt, d.subscription_id, d.campaign, d.seq);
  }

  // Announcements

  /**
   * Records an announcement and, when it is the first version of its `issued_at`, its entry and a
   * delivery to every subscriber of the campaign (a second language's version joins the same entry:
   * nobody is told twice). The deliveries wait until `deliverAt` (ms since epoch), so that the other
   * language's version, signed at the same moment and posted right after, is there when they go.
   * Returns the entry.
   */
  addAnnouncement(
    a: AnnouncementRow,
    state: Omit<EntryRow, "seq" | "kind" | "campaign" | "at" | "condition">,
    deliverAt = 0,
  ): EntryRow {
    return this.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO announcements (${COLUMNS.announcements.join(", ")}) VALUES (${COLUMNS.announcements.map(() => "?").join(", ")})`,
        )
        .run(...COLUMNS.announcements.map((c) => a[c]));
      const existing = this.db
        .prepare(`SELECT * FROM entries WHERE campaign = ? AND kind = 'announcement' AND at = ?`)
        .get(a.campaign, a.issued_at) as EntryRow | undefined;
      if (existing) return existing;
      return this.addEntry(
        { ...state, campaign: a.campaign, kind: "announcement", at: a.issued_at, condition: 0 },
        { minLevel: 1, maxLevel: 1_000, nextAt: deliverAt },
      );
    });
  }

  getAnnouncement(id: string): AnnouncementRow | undefined {
    return this.db.prepare(`SELECT * FROM announcements WHERE id = ?`).get(id) as AnnouncementRow | undefined;
  }

  /** The version of (campaign, issued_at) in `lang`, if one was published. */
  announcementIn(campaign: string, issuedAt: number, lang: string): AnnouncementRow | undefined {
    return this.db
      .prepare(`SELECT * FROM announcements WHERE campaign = ? AND issued_at = ? AND lang = ?`)
      .get(campaign, issuedAt, lang) as AnnouncementRow | undefined;
  }

  /** A campaign's announcements, newest first (by time of writing, then of publishing). */
  announcements(campaign: string, limit = 1_000): AnnouncementRow[] {
    return this.db
      .prepare(
        `SELECT * FROM announcements WHERE campaign = ? ORDER BY issued_at DESC, published_at DESC, lang LIMIT ?`,
      )
      .all(campaign, limit) as unknown as AnnouncementRow[];
  }

  announcementCount(campaign: string): number {
    return Number(
      (this.db.prepare(`SELECT COUNT(*) AS n FROM announcements WHERE campaign = ?`).get(campaign) as { n: number }).n,
    );
  }

  /** The campaign's revocations, earliest first. */
  revocations(campaign: string): RevocationRow[] {
    return this.db
      .prepare(`SELECT * FROM revocations WHERE campaign = ? ORDER BY revoked_at, delegate`)
      .all(campaign) as unknown as RevocationRow[];
  }

  getRevocation(campaign: string, delegate: string): RevocationRow | undefined {
    return this.db.prepare(`SELECT * FROM revocations WHERE campaign = ? AND delegate = ?`).get(campaign, delegate) as
      RevocationRow | undefined;
  }

  revocationCount(campaign: string): number {
    return Number(
      (this.db.prepare(`SELECT COUNT(*) AS n FROM revocations WHERE campaign = ?`).get(campaign) as { n: number }).n,
    );
  }

  /** Keeps a revocation, replacing one of the same delegate that takes effect later. */
  putRevocation(r: RevocationRow): void {
    this.db
      .prepare(
        `INSERT INTO revocations (${COLUMNS.revocations.join(", ")}) VALUES (${COLUMNS.revocations.map(() => "?").join(", ")})
         ON CONFLICT (campaign, delegate) DO UPDATE SET revoked_at = excluded.revoked_at, signer = excluded.signer,
           signature = excluded.signature, published_at = excluded.published_at
         WHERE excluded.revoked_at < revocations.revoked_at`,
      )
      .run(...COLUMNS.revocations.map((c) => r[c]));
  }

  /** A late follower gets the latest announcement: queues its entry for one subscription. */
  queueLatestAnnouncement(campaign: string, subscriptionId: string): void {
    const latest = this.db
      .prepare(
        `SELECT seq FROM entries WHERE campaign = ? AND kind = 'announcement' ORDER BY at DESC, seq DESC LIMIT 1`,
      )
      .get(campaign) as { seq: number } | undefined;
    if (!latest) return;
    // While the others' deliveries of it still wait for its other language, this one waits with them.
    this.db
      .prepare(
        `INSERT OR IGNORE INTO outbox (subscription_id, campaign, seq, attempts, next_at)
         VALUES (?, ?, ?, 0, COALESCE((SELECT MAX(next_at) FROM outbox WHERE campaign = ? AND seq = ? AND attempts = 0), 0))`,
      )
      .run(subscriptionId, campaign, latest.seq, campaign, latest.seq);
  }

  /** Forgets every subscriber of a finished campaign once nothing is left to deliver to them. */
  closeCampaign(address: string): boolean {
    return this.transaction(() => {
      if (this.pendingDeliveries(address) > 0) return false;
      if (this.db.prepare(`DELETE FROM subscriptions WHERE campaign = ?`).run(address).changes > 0) this.compactSoon();
      this.db.prepare(`UPDATE campaigns SET over = 1 WHERE address = ?`).run(address);
      return true;
    });
  }
}
