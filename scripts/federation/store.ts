/**
 * What the federation service keeps, in one SQLite file (kit/sqlite.ts, `forgetful`: a rollback
 * journal and zeroed deleted rows, so a deleted follower leaves no trace in the file; readable by
 * the service's user only, as it holds the campaigns' signing keys).
 *
 * - `campaigns`: public facts read from the chain (title, place, dates, ladder, last tipping level).
 * - `actor_keys`: each campaign actor's key pairs (RSA for HTTP signatures, Ed25519 for proofs), JWK.
 * - `followers`: for each campaign, the inbox URL and shared inbox URL of each following account or
 *   instance, and nothing else (no name, no actor document, no date). Deleted when the campaign is over.
 * - `objects`: the public Event and Note objects published, served at their ids.
 * - `announcements`: the ids of organiser announcements already published (public).
 * - `deliveries`: activities waiting for a follower's inbox to take them (the inbox URL and the
 *   public activity); deleted once delivered, given up or when the campaign is over.
 * - `signature_specs`: for each inbox origin (scheme, host, port) that took a delivery, the HTTP
 *   signature form it accepted (RFC 9421 or draft-cavage), so the next delivery uses it at once.
 *   Deleted with the last follower of that origin.
 */
import type { DatabaseSync } from "node:sqlite";
import { inTransaction, openDatabase } from "../kit/sqlite.js";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS campaigns (
    address TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    action_day TEXT NOT NULL,
    action_date INTEGER NOT NULL,
    pledge_deadline INTEGER NOT NULL,
    ladder TEXT NOT NULL,
    conditions TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    tipping_level INTEGER NOT NULL DEFAULT 0,
    committed INTEGER NOT NULL DEFAULT 0,
    resolved INTEGER NOT NULL DEFAULT 0,
    over INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS actor_keys (
    campaign TEXT PRIMARY KEY,
    rsa TEXT NOT NULL,
    ed25519 TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS followers (
    campaign TEXT NOT NULL,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    PRIMARY KEY (campaign, inbox)
  );
  CREATE TABLE IF NOT EXISTS objects (
    id TEXT PRIMARY KEY,
    campaign TEXT NOT NULL,
    kind TEXT NOT NULL,
    json TEXT NOT NULL,
    published_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS objects_campaign ON objects (campaign, published_at);
  CREATE TABLE IF NOT EXISTS announcements (
    campaign TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (campaign, id)
  );
  CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign TEXT NOT NULL,
    inbox TEXT NOT NULL,
    activity TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS deliveries_next ON deliveries (next_at);
  CREATE TABLE IF NOT EXISTS signature_specs (
    origin TEXT PRIMARY KEY,
    spec TEXT NOT NULL
  );
`;

/** Every column of every table, for the test that checks nothing else is stored. */
export const COLUMNS = {
  meta: ["key", "value"],
  campaigns: [
    "address",
    "title",
    "place",
    "action_day",
    "action_date",
    "pledge_deadline",
    "ladder",
    "conditions",
    "lang",
    "created_at",
    "tipping_level",
    "committed",
    "resolved",
    "over",
  ],
  actor_keys: ["campaign", "rsa", "ed25519"],
  followers: ["campaign", "inbox", "shared_inbox"],
  objects: ["id", "campaign", "kind", "json", "published_at"],
  announcements: ["campaign", "id"],
  deliveries: ["id", "campaign", "inbox", "activity", "attempts", "next_at"],
  signature_specs: ["origin", "spec"],
} as const;

/** The HTTP signature forms an inbox may accept (Fedify's names). */
export type SignatureSpec = "rfc9421" | "draft-cavage-http-signatures-12";

export interface CampaignRow {
  address: string;
  title: string;
  place: string;
  action_day: string;
  action_date: number;
  pledge_deadline: number;
  ladder: string;
  conditions: string;
  /** The campaign's first language ("fr" or "en"), from its metadata. */
  lang: string;
  created_at: number;
  tipping_level: number;
  committed: number;
  resolved: number;
  over: number;
}

export interface ObjectRow {
  id: string;
  campaign: string;
  kind: string;
  json: string;
  published_at: number;
}

export interface DeliveryRow {
  id: number;
  campaign: string;
  inbox: string;
  activity: string;
  attempts: number;
  next_at: number;
}

export interface FollowerRow {
  campaign: string;
  inbox: string;
  shared_inbox: string | null;
}

export class Store {
  readonly db: DatabaseSync;

  constructor(path: string) {
    this.db = openDatabase(path, SCHEMA, { forgetful: true, ownerOnly: true });
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  getMeta(key: string): string | null {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
      .run(key, value);
  }

  // Campaigns

  /** Adds a campaign seen on the chain; false when it was already known. */
  addCampaign(row: Omit<CampaignRow, "tipping_level" | "committed" | "resolved" | "over">): boolean {
    const result = this.db
      .prepare(
        `INSERT OR IGNORE INTO campaigns (address, title, place, action_day, action_date, pledge_deadline, ladder, conditions, lang, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.address,
        row.title,
        row.place,
        row.action_day,
        row.action_date,
        row.pledge_deadline,
        row.ladder,
        row.conditions,
        row.lang,
        row.created_at,
      );
    return result.changes > 0;
  }

  getCampaign(address: string): CampaignRow | null {
    return (
      (this.db.prepare(`SELECT * FROM campaigns WHERE address = ?`).get(address) as CampaignRow | undefined) ?? null
    );
  }

  activeCampaigns(): CampaignRow[] {
    return this.db.prepare(`SELECT * FROM campaigns WHERE over = 0 ORDER BY address`).all() as unknown as CampaignRow[];
  }

  updateCampaign(
    address: string,
    values: Partial<Pick<CampaignRow, "tipping_level" | "committed" | "resolved">>,
  ): void {
    const keys = Object.keys(values) as (keyof typeof values)[];
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE campaigns SET ${keys.map((k) => `${k} = ?`).join(", ")} WHERE address = ?`)
      .run(...keys.map((k) => values[k] as number), address);
  }

  /**
   * The campaign is over: its followers and the deliveries still waiting for them are deleted
   * (secure_delete overwrites them). False when it was over already.
   */
  closeCampaign(address: string): boolean {
    return this.transaction(() => {
      const changed = this.db.prepare(`UPDATE campaigns SET over = 1 WHERE address = ? AND over = 0`).run(address);
      if (changed.changes === 0) return false;
      this.db.prepare(`DELETE FROM followers WHERE campaign = ?`).run(address);
      this.db.prepare(`DELETE FROM deliveries WHERE campaign = ?`).run(address);
      this.forgetUnusedSpecs();
      return true;
    });
  }

  // Keys

  getKeys(campaign: string): { rsa: string; ed25519: string } | null {
    return (
      (this.db.prepare(`SELECT rsa, ed25519 FROM actor_keys WHERE campaign = ?`).get(campaign) as
        { rsa: string; ed25519: string } | undefined) ?? null
    );
  }

  /** Stores key pairs unless some are stored already; returns the ones stored. */
  putKeys(campaign: string, rsa: string, ed25519: string): { rsa: string; ed25519: string } {
    this.db
      .prepare(`INSERT OR IGNORE INTO actor_keys (campaign, rsa, ed25519) VALUES (?, ?, ?)`)
      .run(campaign, rsa, ed25519);
    return this.getKeys(campaign)!;
  }

  // Followers

  addFollower(campaign: string, inbox: string, sharedInbox: string | null): void {
    this.db
      .prepare(
        `INSERT INTO followers (campaign, inbox, shared_inbox) VALUES (?, ?, ?)
         ON CONFLICT (campaign, inbox) DO UPDATE SET shared_inbox = excluded.shared_inbox`,
      )
      .run(campaign, inbox, sharedInbox);
  }

  /** Forgets a follower, and what still waits for their personal inbox (a shared inbox serves others). */
  removeFollower(campaign: string, inbox: string): boolean {
    return this.transaction(() => {
      this.db.prepare(`DELETE FROM deliveries WHERE campaign = ? AND inbox = ?`).run(campaign, inbox);
      const removed =
        this.db.prepare(`DELETE FROM followers WHERE campaign = ? AND inbox = ?`).run(campaign, inbox).changes > 0;
      this.forgetUnusedSpecs();
      return removed;
    });
  }

  /** Forgets the followers whose inbox or shared inbox is `inbox` (it answered 404 or 410). */
  removeInbox(campaign: string, inbox: string): void {
    this.transaction(() => {
      this.db
        .prepare(`DELETE FROM followers WHERE campaign = ? AND (inbox = ? OR shared_inbox = ?)`)
        .run(campaign, inbox, inbox);
      this.forgetUnusedSpecs();
    });
  }

  hasFollower(campaign: string, inbox: string): boolean {
    return (
      this.db.prepare(`SELECT 1 FROM followers WHERE campaign = ? AND inbox = ?`).get(campaign, inbox) !== undefined
    );
  }

  followerCount(campaign: string): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM followers WHERE campaign = ?`).get(campaign) as { n: number }).n;
  }

  /** Where a public activity of the campaign goes: each shared inbox once, else each personal inbox. */
  deliveryInboxes(campaign: string): string[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT COALESCE(shared_inbox, inbox) AS target FROM followers WHERE campaign = ? ORDER BY target`,
      )
      .all(campaign) as { target: string }[];
    return rows.map((r) => r.target);
  }

  // Published objects

  putObject(row: ObjectRow): boolean {
    return (
      this.db
        .prepare(`INSERT OR IGNORE INTO objects (id, campaign, kind, json, published_at) VALUES (?, ?, ?, ?, ?)`)
        .run(row.id, row.campaign, row.kind, row.json, row.published_at).changes > 0
    );
  }

  replaceObject(id: string, json: string): void {
    this.db.prepare(`UPDATE objects SET json = ? WHERE id = ?`).run(json, id);
  }

  getObject(id: string): ObjectRow | null {
    return (this.db.prepare(`SELECT * FROM objects WHERE id = ?`).get(id) as ObjectRow | undefined) ?? null;
  }

  /** The newest object of a kind for a campaign. */
  latestObject(campaign: string, kind: string): ObjectRow | null {
    return (
      (this.db
        .prepare(`SELECT * FROM objects WHERE campaign = ? AND kind = ? ORDER BY published_at DESC, rowid DESC LIMIT 1`)
        .get(campaign, kind) as ObjectRow | undefined) ?? null
    );
  }

  // Announcements

  /** Marks an announcement published; false when it already was. */
  markAnnouncement(campaign: string, id: string): boolean {
    return (
      this.db.prepare(`INSERT OR IGNORE INTO announcements (campaign, id) VALUES (?, ?)`).run(campaign, id).changes > 0
    );
  }

  // Deliveries

  enqueue(campaign: string, inboxes: readonly string[], activity: string, at: number): void {
    const insert = this.db.prepare(`INSERT INTO deliveries (campaign, inbox, activity, next_at) VALUES (?, ?, ?, ?)`);
    for (const inbox of inboxes) insert.run(campaign, inbox, activity, at);
  }

  dueDeliveries(now: number, limit: number): DeliveryRow[] {
    return this.db
      .prepare(`SELECT * FROM deliveries WHERE next_at <= ? ORDER BY next_at, id LIMIT ?`)
      .all(now, limit) as unknown as DeliveryRow[];
  }

  pendingDeliveries(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM deliveries`).get() as { n: number }).n;
  }

  deleteDelivery(id: number): void {
    this.db.prepare(`DELETE FROM deliveries WHERE id = ?`).run(id);
  }

  retryDelivery(id: number, nextAt: number): void {
    this.db.prepare(`UPDATE deliveries SET attempts = attempts + 1, next_at = ? WHERE id = ?`).run(nextAt, id);
  }

  // Signature forms

  /** The signature form `origin`'s inboxes accepted last, or null when none was delivered yet. */
  signatureSpec(origin: string): SignatureSpec | null {
    const row = this.db.prepare(`SELECT spec FROM signature_specs WHERE origin = ?`).get(origin) as
      { spec: SignatureSpec } | undefined;
    return row?.spec ?? null;
  }

  rememberSignatureSpec(origin: string, spec: SignatureSpec): void {
    this.db
      .prepare(
        `INSERT INTO signature_specs (origin, spec) VALUES (?, ?) ON CONFLICT (origin) DO UPDATE SET spec = excluded.spec`,
      )
      .run(origin, spec);
  }

  /**
   * Deletes the signature forms of origins no follower's inbox is at any more: an origin is a
   * follower's server, and for a one-person instance it names the person.
   */
  forgetUnusedSpecs(): void {
    const origins = this.db.prepare(`SELECT origin FROM signature_specs`).all() as { origin: string }[];
    if (origins.length === 0) return;
    const used = new Set<string>();
    const rows = this.db.prepare(`SELECT inbox, shared_inbox FROM followers`).all() as {
      inbox: string;
      shared_inbox: string | null;
    }[];
    for (const r of rows)
      for (const url of [r.inbox, r.shared_inbox]) {
        if (!url) continue;
        try {
          used.add(new URL(url).origin);
        } catch {
          // Not a URL: no origin to keep.
        }
      }
    const remove = this.db.prepare(`DELETE FROM signature_specs WHERE origin = ?`);
    for (const { origin } of origins) if (!used.has(origin)) remove.run(origin);
  }
}
