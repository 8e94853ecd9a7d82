/**
 * What the attester service keeps on disk (Node 22's `node:sqlite`), and nothing else:
 *
 *   keys  (key_id, jwk, label)           one RSA key per campaign; key_id = keccak256(modulus)
 *   key_campaigns (key_id, chain_id, campaign)  the one campaign a key signs for, once the
 *                                         organiser names it (set once, never changed)
 *   codes (code_hash, key_id, batch, state)  SHA-256 of each invite code, its batch, and
 *                                         whether it is issued, redeemed or revoked
 *   desk_paid (chain_id, campaign, claim, desk, paid_at, clerk)  the payout desks' ledger: each
 *                                         claim a desk has paid by bank transfer (claim = the pledge
 *                                         key address of the public SupportClaimed event), when
 *                                         (unix seconds) and the clerk's label; one row per claim
 *
 * Never a blinded message, a signature, an IP address, bank details, nor a time or an order of
 * redemption: the union can tell how many codes were used, not which pledge came from which code,
 * nor which code was used before which (docs/attester.md). The only pledge keys are those of the
 * desk ledger, which the chain already shows claimed to the desk; nothing ties them to a code. To that
 * end:
 *
 * - the file is forgetful (scripts/kit/sqlite.ts): no write-ahead log keeping each redemption's
 *   page in commit order, a rollback journal only while a transaction runs;
 * - `codes` is a WITHOUT ROWID table keyed by the code's hash, and a batch is written in hash order,
 *   so neither a rowid nor the place of a row says when it came;
 * - a state is one letter (`i` issued, `r` redeemed, `x` revoked): every state has the same size,
 *   so SQLite overwrites a row's state where it stands, and the file after redemptions is the same
 *   bytes whatever their order (test/attester/store.test.ts).
 *
 * A file of the earlier layout (rowid table, states as words, WAL) is converted when opened, then
 * rewritten from its rows (`compact`), which leaves nothing of its former pages.
 */
import type { DatabaseSync } from "node:sqlite";
import { compact, inTransaction, openDatabase } from "../kit/sqlite.js";

export type CodeState = "issued" | "redeemed" | "revoked";

export interface KeyRow {
  key_id: string;
  jwk: string;
  label: string;
}

export interface CodeRow {
  code_hash: string;
  key_id: string;
  batch: number;
  state: CodeState;
}

/** A claim paid at a desk (addresses in lower case). */
export interface DeskPaidRow {
  chain_id: number;
  campaign: string;
  claim: string;
  desk: string;
  paid_at: number;
  clerk: string;
}

export interface CodeCounts {
  issued: number;
  redeemed: number;
  revoked: number;
}

/** The one letter each state is stored as (the same size for all, see above). */
const STATE_LETTERS: Record<CodeState, string> = { issued: "i", redeemed: "r", revoked: "x" };
const STATES = Object.fromEntries(Object.entries(STATE_LETTERS).map(([state, letter]) => [letter, state])) as Record<
  string,
  CodeState
>;

const CODES = `
  CREATE TABLE IF NOT EXISTS codes (
    code_hash TEXT PRIMARY KEY,
    key_id TEXT NOT NULL REFERENCES keys(key_id),
    batch INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('i', 'r', 'x'))
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS codes_by_key ON codes(key_id, batch);`;

const DESK_PAID = `
  CREATE TABLE IF NOT EXISTS desk_paid (
    chain_id INTEGER NOT NULL,
    campaign TEXT NOT NULL,
    claim TEXT NOT NULL,
    desk TEXT NOT NULL,
    paid_at INTEGER NOT NULL,
    clerk TEXT NOT NULL,
    PRIMARY KEY (chain_id, campaign, claim)
  ) STRICT;`;

export class AttesterStore {
  readonly db: DatabaseSync;

  constructor(path: string) {
    this.db = openDatabase(
      path,
      `
      CREATE TABLE IF NOT EXISTS keys (
        key_id TEXT PRIMARY KEY,
        jwk TEXT NOT NULL,
        label TEXT NOT NULL
      ) STRICT;
      CREATE TABLE IF NOT EXISTS key_campaigns (
        key_id TEXT PRIMARY KEY REFERENCES keys(key_id),
        chain_id INTEGER NOT NULL,
        campaign TEXT NOT NULL
      ) STRICT;
      ${CODES}
      ${DESK_PAID}
    `,
      { synchronous: "EXTRA", ownerOnly: true, forgetful: true },
    );
    this.convertEarlierLayout();
    if (path !== ":memory:") compact(this.db);
  }

  /**
   * The layout before issue 20: `codes` a rowid table (its rowids and its pages in the order codes
   * were written) and states as words of different lengths (a redeemed row moved, so its place told
   * when). Rewritten as the layout above, states kept, with the same schema text as a new file's:
   * once compacted, the file is the one a new store holding the same rows would have (the desk
   * ledger, which no file of that layout had, made again after `codes`, as in a new file).
   */
  private convertEarlierLayout(): void {
    const { sql } = this.db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'codes'").get() as {
      sql: string;
    };
    if (/WITHOUT\s+ROWID/i.test(sql)) return;
    inTransaction(this.db, () => {
      this.db.exec(`
        DROP INDEX codes_by_key;
        ALTER TABLE codes RENAME TO codes_earlier;
        ${CODES}
        INSERT INTO codes (code_hash, key_id, batch, state)
          SELECT code_hash, key_id, batch, CASE state WHEN 'issued' THEN 'i' WHEN 'redeemed' THEN 'r' ELSE 'x' END
          FROM codes_earlier ORDER BY code_hash;
        DROP TABLE codes_earlier;
        DROP TABLE desk_paid;
        ${DESK_PAID}
      `);
    });
  }

  insertKey(row: KeyRow): void {
    this.db.prepare("INSERT INTO keys (key_id, jwk, label) VALUES (?, ?, ?)").run(row.key_id, row.jwk, row.label);
  }

  getKey(keyId: string): KeyRow | undefined {
    return this.db.prepare("SELECT key_id, jwk, label FROM keys WHERE key_id = ?").get(keyId) as KeyRow | undefined;
  }

  /** The campaign a key signs for, if the organiser named one. */
  getKeyCampaign(keyId: string): { chainId: number; campaign: string } | undefined {
    const row = this.db.prepare("SELECT chain_id, campaign FROM key_campaigns WHERE key_id = ?").get(keyId) as
      { chain_id: number; campaign: string } | undefined;
    return row && { chainId: row.chain_id, campaign: row.campaign };
  }

  /** Names a key's campaign, once: false if it already names one. */
  insertKeyCampaign(keyId: string, chainId: number, campaign: string): boolean {
    return (
      this.db
        .prepare("INSERT OR IGNORE INTO key_campaigns (key_id, chain_id, campaign) VALUES (?, ?, ?)")
        .run(keyId, chainId, campaign).changes === 1
    );
  }

  listKeys(): { key_id: string; label: string }[] {
    return this.db.prepare("SELECT key_id, label FROM keys ORDER BY rowid").all() as {
      key_id: string;
      label: string;
    }[];
  }

  /** Inserts a batch of code hashes atomically, in hash order; returns the batch number. */
  insertCodes(keyId: string, hashes: string[]): number {
    return inTransaction(this.db, () => {
      const { batch } = this.db
        .prepare("SELECT COALESCE(MAX(batch), 0) + 1 AS batch FROM codes WHERE key_id = ?")
        .get(keyId) as {
        batch: number;
      };
      const insert = this.db.prepare("INSERT INTO codes (code_hash, key_id, batch, state) VALUES (?, ?, ?, 'i')");
      for (const hash of [...hashes].sort()) insert.run(hash, keyId, batch);
      return batch;
    });
  }

  getCode(codeHash: string): CodeRow | undefined {
    const row = this.db
      .prepare("SELECT code_hash, key_id, batch, state FROM codes WHERE code_hash = ?")
      .get(codeHash) as (Omit<CodeRow, "state"> & { state: string }) | undefined;
    return row && { ...row, state: STATES[row.state] };
  }

  /**
   * Marks an issued code redeemed, only if it still is: the one write that makes a code single-use
   * even under concurrent requests. Returns whether this call redeemed it.
   */
  redeem(codeHash: string): boolean {
    return (
      this.db.prepare("UPDATE codes SET state = 'r' WHERE code_hash = ? AND state = 'i'").run(codeHash).changes === 1
    );
  }

  /** Puts a code back to issued (used only when signing failed after the redeem write). */
  unredeem(codeHash: string): void {
    this.db.prepare("UPDATE codes SET state = 'i' WHERE code_hash = ? AND state = 'r'").run(codeHash);
  }

  /** Revokes unused codes of a key: all of them, one batch, or the listed hashes. Returns how many. */
  revoke(keyId: string, filter: { batch?: number; hashes?: string[] }): number {
    if (filter.hashes) {
      let changed = 0;
      const stmt = this.db.prepare("UPDATE codes SET state = 'x' WHERE key_id = ? AND code_hash = ? AND state = 'i'");
      for (const hash of filter.hashes) changed += Number(stmt.run(keyId, hash).changes);
      return changed;
    }
    if (filter.batch !== undefined) {
      return Number(
        this.db
          .prepare("UPDATE codes SET state = 'x' WHERE key_id = ? AND batch = ? AND state = 'i'")
          .run(keyId, filter.batch).changes,
      );
    }
    return Number(this.db.prepare("UPDATE codes SET state = 'x' WHERE key_id = ? AND state = 'i'").run(keyId).changes);
  }

  counts(keyId: string): CodeCounts & { batches: ({ batch: number } & CodeCounts)[] } {
    const rows = this.db
      .prepare("SELECT batch, state, COUNT(*) AS n FROM codes WHERE key_id = ? GROUP BY batch, state ORDER BY batch")
      .all(keyId) as { batch: number; state: string; n: number }[];
    const total: CodeCounts = { issued: 0, redeemed: 0, revoked: 0 };
    const batches = new Map<number, { batch: number } & CodeCounts>();
    for (const row of rows) {
      const state = STATES[row.state];
      const b = batches.get(row.batch) ?? { batch: row.batch, issued: 0, redeemed: 0, revoked: 0 };
      // "issued" counts every code handed out, whatever became of it.
      b.issued += row.n;
      total.issued += row.n;
      if (state !== "issued") {
        b[state] += row.n;
        total[state] += row.n;
      }
      batches.set(row.batch, b);
    }
    return { ...total, batches: [...batches.values()] };
  }

  /**
   * Marks a claim paid at a desk, once: one INSERT on the claim's primary key, so of two clerks
   * marking the same claim at once exactly one succeeds. Returns the mark that stands (this call's
   * when `inserted`, else the earlier one).
   */
  markPaid(row: DeskPaidRow): { inserted: boolean; row: DeskPaidRow } {
    const inserted =
      this.db
        .prepare(
          "INSERT OR IGNORE INTO desk_paid (chain_id, campaign, claim, desk, paid_at, clerk) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .run(row.chain_id, row.campaign, row.claim, row.desk, row.paid_at, row.clerk).changes === 1;
    if (inserted) return { inserted, row };
    const earlier = this.db
      .prepare("SELECT * FROM desk_paid WHERE chain_id = ? AND campaign = ? AND claim = ?")
      .get(row.chain_id, row.campaign, row.claim) as unknown as DeskPaidRow;
    return { inserted, row: earlier };
  }

  /** A desk's paid claims in a campaign, in the order they were paid. */
  listPaid(chainId: number, campaign: string, desk: string): DeskPaidRow[] {
    return this.db
      .prepare("SELECT * FROM desk_paid WHERE chain_id = ? AND campaign = ? AND desk = ? ORDER BY paid_at, claim")
      .all(chainId, campaign, desk) as unknown as DeskPaidRow[];
  }

  close(): void {
    this.db.close();
  }
}
