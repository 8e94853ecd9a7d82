/**
 * What the attester service keeps on disk (Node 22's `node:sqlite`), and nothing else:
 *
 *   keys  (key_id, jwk, label)           one RSA key per campaign; key_id = keccak256(modulus)
 *   codes (code_hash, key_id, batch, state)  SHA-256 of each invite code, its batch, and
 *                                         whether it is issued, redeemed or revoked
 *
 * Never a pledge key, a blinded message, a signature, an IP address or a time of redemption: the
 * union can tell how many codes were used, not which pledge came from which code (docs/attester.md).
 */
import type { DatabaseSync } from "node:sqlite";
import { inTransaction, openDatabase } from "../kit/sqlite.js";

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

export interface CodeCounts {
  issued: number;
  redeemed: number;
  revoked: number;
}

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
      CREATE TABLE IF NOT EXISTS codes (
        code_hash TEXT PRIMARY KEY,
        key_id TEXT NOT NULL REFERENCES keys(key_id),
        batch INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('issued', 'redeemed', 'revoked'))
      ) STRICT;
      CREATE INDEX IF NOT EXISTS codes_by_key ON codes(key_id, batch);
    `,
      { synchronous: "FULL", ownerOnly: true },
    );
  }

  insertKey(row: KeyRow): void {
    this.db.prepare("INSERT INTO keys (key_id, jwk, label) VALUES (?, ?, ?)").run(row.key_id, row.jwk, row.label);
  }

  getKey(keyId: string): KeyRow | undefined {
    return this.db.prepare("SELECT key_id, jwk, label FROM keys WHERE key_id = ?").get(keyId) as KeyRow | undefined;
  }

  listKeys(): { key_id: string; label: string }[] {
    return this.db.prepare("SELECT key_id, label FROM keys ORDER BY rowid").all() as {
      key_id: string;
      label: string;
    }[];
  }

  /** Inserts a batch of code hashes atomically; returns the batch number. */
  insertCodes(keyId: string, hashes: string[]): number {
    return inTransaction(this.db, () => {
      const { batch } = this.db
        .prepare("SELECT COALESCE(MAX(batch), 0) + 1 AS batch FROM codes WHERE key_id = ?")
        .get(keyId) as {
        batch: number;
      };
      const insert = this.db.prepare("INSERT INTO codes (code_hash, key_id, batch, state) VALUES (?, ?, ?, 'issued')");
      for (const hash of hashes) insert.run(hash, keyId, batch);
      return batch;
    });
  }

  getCode(codeHash: string): CodeRow | undefined {
    return this.db.prepare("SELECT code_hash, key_id, batch, state FROM codes WHERE code_hash = ?").get(codeHash) as
      CodeRow | undefined;
  }

  /**
   * Marks an issued code redeemed, only if it still is: the one write that makes a code single-use
   * even under concurrent requests. Returns whether this call redeemed it.
   */
  redeem(codeHash: string): boolean {
    return (
      this.db.prepare("UPDATE codes SET state = 'redeemed' WHERE code_hash = ? AND state = 'issued'").run(codeHash)
        .changes === 1
    );
  }

  /** Puts a code back to issued (used only when signing failed after the redeem write). */
  unredeem(codeHash: string): void {
    this.db.prepare("UPDATE codes SET state = 'issued' WHERE code_hash = ? AND state = 'redeemed'").run(codeHash);
  }

  /** Revokes unused codes of a key: all of them, one batch, or the listed hashes. Returns how many. */
  revoke(keyId: string, filter: { batch?: number; hashes?: string[] }): number {
    if (filter.hashes) {
      let changed = 0;
      const stmt = this.db.prepare(
        "UPDATE codes SET state = 'revoked' WHERE key_id = ? AND code_hash = ? AND state = 'issued'",
      );
      for (const hash of filter.hashes) changed += Number(stmt.run(keyId, hash).changes);
      return changed;
    }
    if (filter.batch !== undefined) {
      return Number(
        this.db
          .prepare("UPDATE codes SET state = 'revoked' WHERE key_id = ? AND batch = ? AND state = 'issued'")
          .run(keyId, filter.batch).changes,
      );
    }
    return Number(
      this.db.prepare("UPDATE codes SET state = 'revoked' WHERE key_id = ? AND state = 'issued'").run(keyId).changes,
    );
  }

  counts(keyId: string): CodeCounts & { batches: ({ batch: number } & CodeCounts)[] } {
    const rows = this.db
      .prepare("SELECT batch, state, COUNT(*) AS n FROM codes WHERE key_id = ? GROUP BY batch, state ORDER BY batch")
      .all(keyId) as { batch: number; state: CodeState; n: number }[];
    const total: CodeCounts = { issued: 0, redeemed: 0, revoked: 0 };
    const batches = new Map<number, { batch: number } & CodeCounts>();
    for (const row of rows) {
      const b = batches.get(row.batch) ?? { batch: row.batch, issued: 0, redeemed: 0, revoked: 0 };
      // "issued" counts every code handed out, whatever became of it.
      b.issued += row.n;
      total.issued += row.n;
      if (row.state !== "issued") {
        b[row.state] += row.n;
        total[row.state] += row.n;
      }
      batches.set(row.batch, b);
    }
    return { ...total, batches: [...batches.values()] };
  }

  close(): void {
    this.db.close();
  }
}
