/**
 * The relayer's durable memory (Node 22's `node:sqlite`, WAL journal): a request is answered
 * "queued" only once its row is committed, and a batch's signed transaction is stored before it is
 * broadcast, so after a crash the relayer re-broadcasts the very same transaction (same account
 * nonce) instead of sending anything twice.
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Hex } from "viem";
import { inTransaction, openDatabase } from "../kit/sqlite.js";

export type RequestKind = "pledge" | "claim";
export type RequestStatus = "queued" | "submitted" | "confirmed" | "failed";

export interface RequestRow {
  seq: number;
  id: string;
  kind: RequestKind;
  campaign: string;
  pledge_key: string;
  nonce: number;
  level: number;
  payload: string;
  status: RequestStatus;
  batch_id: number | null;
  tx_hash: string | null;
  error: string | null;
  attempts: number;
  created_at: number;
}

/** What the hot path reads of a key's pledge requests. */
export type KeyPledgeRow = Pick<RequestRow, "id" | "nonce" | "level" | "status" | "tx_hash" | "created_at">;

export type BatchStatus = "signed" | "confirmed" | "reverted";

export interface BatchRow {
  id: number;
  kind: RequestKind;
  campaign: string;
  tx_nonce: number;
  status: BatchStatus;
  tx_hash: string;
  raw_tx: string;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  data: string;
  gas: string;
  sent_at: number;
  confirmed_at: number | null;
  request_count: number;
  created_at: number;
}

interface PendingInsert {
  row: NewRequest;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface NewRequest {
  id: string;
  kind: RequestKind;
  campaign: string;
  pledgeKey: string;
  nonce: number;
  level: number;
  payload: unknown;
}

export class Store {
  readonly db: DatabaseSync;
  private pending: PendingInsert[] = [];
  private flushScheduled = false;
  private readonly insertRequest: StatementSync;
  private readonly getRequestStmt: StatementSync;
  private readonly findPledge: StatementSync;
  private readonly lastPledgeOfKey: StatementSync;
  private readonly activeClaim: StatementSync;
  private readonly pledgesOfKeyStmt: StatementSync;
  private readonly queueDepthStmt: StatementSync;

  constructor(path: string) {
    this.db = openDatabase(
      path,
      `
      CREATE TABLE IF NOT EXISTS requests (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        campaign TEXT NOT NULL,
        pledge_key TEXT NOT NULL,
        nonce INTEGER NOT NULL,
        level INTEGER NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        batch_id INTEGER,
        tx_hash TEXT,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX IF NOT EXISTS pledge_once ON requests(campaign, pledge_key, nonce) WHERE kind = 'pledge';
      CREATE INDEX IF NOT EXISTS by_status ON requests(status, kind, campaign, seq);
      CREATE INDEX IF NOT EXISTS by_key ON requests(campaign, pledge_key, kind);
      CREATE TABLE IF NOT EXISTS batches (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        campaign TEXT NOT NULL,
        tx_nonce INTEGER NOT NULL,
        status TEXT NOT NULL,
        tx_hash TEXT NOT NULL,
        raw_tx TEXT NOT NULL,
        max_fee_per_gas TEXT NOT NULL,
        max_priority_fee_per_gas TEXT NOT NULL,
        data TEXT NOT NULL,
        gas TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        confirmed_at INTEGER,
        request_count INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS batch_txs (
        batch_id INTEGER NOT NULL,
        tx_hash TEXT NOT NULL,
        PRIMARY KEY (batch_id, tx_hash)
      );
    `,
    );
    this.insertRequest = this.db.prepare(
      `INSERT INTO requests (id, kind, campaign, pledge_key, nonce, level, payload, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
    );
    this.getRequestStmt = this.db.prepare(`SELECT * FROM requests WHERE id = ?`);
    this.findPledge = this.db.prepare(
      `SELECT * FROM requests WHERE kind = 'pledge' AND campaign = ? AND pledge_key = ? AND nonce = ?`,
    );
    this.lastPledgeOfKey = this.db.prepare(
      `SELECT * FROM requests WHERE kind = 'pledge' AND campaign = ? AND pledge_key = ? AND status != 'failed'
       ORDER BY nonce DESC LIMIT 1`,
    );
    this.pledgesOfKeyStmt = this.db.prepare(
      `SELECT id, nonce, level, status, tx_hash, created_at FROM requests WHERE kind = 'pledge' AND campaign = ? AND pledge_key = ?
       ORDER BY nonce DESC`,
    );
    this.activeClaim = this.db.prepare(
      `SELECT * FROM requests WHERE kind = 'claim' AND campaign = ? AND pledge_key = ? AND status != 'failed' LIMIT 1`,
    );
    this.queueDepthStmt = this.db.prepare(`SELECT COUNT(*) AS n FROM requests WHERE status IN ('queued', 'submitted')`);
  }

  close(): void {
    this.flushPending();
    this.db.close();
  }

  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T {
    return inTransaction(this.db, fn);
  }

  /**
   * Stores a request in a transaction shared with the others arriving in the same turn of the
   * event loop (group commit: one WAL write for many requests instead of one each); resolves once
   * committed, so "queued" is never answered before the row is on disk. A row refused by the
   * unique index rejects alone.
   */
  addRequestCommitted(row: NewRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushPending());
      }
    });
  }

  private flushPending(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const errors: unknown[] = new Array<unknown>(batch.length);
    try {
      this.db.exec("BEGIN IMMEDIATE");
      batch.forEach((p, i) => {
        try {
          this.addRequest(p.row);
        } catch (error) {
          errors[i] = error;
        }
      });
      this.db.exec("COMMIT");
    } catch (error) {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => (errors[i] === undefined ? p.resolve() : p.reject(errors[i])));
  }

  addRequest(row: NewRequest): void {
    this.insertRequest.run(
      row.id,
      row.kind,
      row.campaign,
      row.pledgeKey,
      row.nonce,
      row.level,
      JSON.stringify(row.payload),
      Date.now(),
    );
  }

  /** Removes a failed request so a new attempt of the same pledge can take its place. */
  deleteRequest(id: string): void {
    this.db.prepare(`DELETE FROM requests WHERE id = ? AND status = 'failed'`).run(id);
  }

  getRequest(id: string): RequestRow | undefined {
    return this.getRequestStmt.get(id) as RequestRow | undefined;
  }

  pledgeRequest(campaign: string, pledgeKey: string, nonce: number): RequestRow | undefined {
    return this.findPledge.get(campaign, pledgeKey, nonce) as RequestRow | undefined;
  }

  /** The newest pledge request of a key that has not failed (queued, submitted or confirmed). */
  latestPledge(campaign: string, pledgeKey: string): RequestRow | undefined {
    return this.lastPledgeOfKey.get(campaign, pledgeKey) as RequestRow | undefined;
  }

  /** Every pledge request of a key (usually none or a few), newest nonce first: one query on the hot path. */
  pledgesOfKey(campaign: string, pledgeKey: string): KeyPledgeRow[] {
    return this.pledgesOfKeyStmt.all(campaign, pledgeKey) as unknown as KeyPledgeRow[];
  }

  claimInProgress(campaign: string, pledgeKey: string): RequestRow | undefined {
    return this.activeClaim.get(campaign, pledgeKey) as RequestRow | undefined;
  }

  queueDepth(): number {
    return Number((this.queueDepthStmt.get() as { n: number }).n);
  }

  queuedCount(kind: RequestKind): number {
    const row = this.db
      .prepare(`SELECT COUNT(*) AS n FROM requests WHERE status = 'queued' AND kind = ?`)
      .get(kind) as {
      n: number;
    };
    return Number(row.n);
  }

  /** The campaign with the oldest queued request of this kind. */
  oldestQueued(kind: RequestKind): RequestRow | undefined {
    return this.db
      .prepare(`SELECT * FROM requests WHERE status = 'queued' AND kind = ? ORDER BY seq LIMIT 1`)
      .get(kind) as RequestRow | undefined;
  }

  /** Queued requests of one campaign, oldest first. */
  queued(kind: RequestKind, campaign: string, limit: number): RequestRow[] {
    return this.db
      .prepare(`SELECT * FROM requests WHERE status = 'queued' AND kind = ? AND campaign = ? ORDER BY seq LIMIT ?`)
      .all(kind, campaign, limit) as unknown as RequestRow[];
  }

  /** Whether a key has an earlier pledge still waiting or in flight. */
  hasEarlierPending(campaign: string, pledgeKey: string, nonce: number, status: RequestStatus): boolean {
    const row = this.db
      .prepare(
        `SELECT 1 FROM requests WHERE kind = 'pledge' AND campaign = ? AND pledge_key = ? AND nonce < ?
         AND status = ? LIMIT 1`,
      )
      .get(campaign, pledgeKey, nonce, status);
    return row !== undefined;
  }

  failRequest(id: string, error: { code: string; message: unknown; details?: unknown }): void {
    this.db
      .prepare(`UPDATE requests SET status = 'failed', batch_id = NULL, error = ? WHERE id = ?`)
      .run(JSON.stringify(error), id);
  }

  /**
   * A queued request whose very pledge is already on-chain (someone sent a copy first): done, with no
   * transaction of the relayer's.
   */
  confirmWithoutBatch(id: string): void {
    this.db
      .prepare(`UPDATE requests SET status = 'confirmed', batch_id = NULL WHERE id = ? AND status = 'queued'`)
      .run(id);
  }

  requeue(id: string): void {
    this.db
      .prepare(
        `UPDATE requests SET status = 'queued', batch_id = NULL, tx_hash = NULL, attempts = attempts + 1 WHERE id = ?`,
      )
      .run(id);
  }

  /** Records a signed transaction and marks its requests submitted, atomically, before broadcast. */
  recordBatch(batch: Omit<BatchRow, "id" | "status" | "confirmed_at" | "created_at">, requestIds: string[]): number {
    return this.transaction(() => {
      const result = this.db
        .prepare(
          `INSERT INTO batches (kind, campaign, tx_nonce, status, tx_hash, raw_tx, max_fee_per_gas, max_priority_fee_per_gas,
             data, gas, sent_at, request_count, created_at)
           VALUES (?, ?, ?, 'signed', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          batch.kind,
          batch.campaign,
          batch.tx_nonce,
          batch.tx_hash,
          batch.raw_tx,
          batch.max_fee_per_gas,
          batch.max_priority_fee_per_gas,
          batch.data,
          batch.gas,
          batch.sent_at,
          batch.request_count,
          Date.now(),
        );
      const batchId = Number(result.lastInsertRowid);
      this.db.prepare(`INSERT INTO batch_txs (batch_id, tx_hash) VALUES (?, ?)`).run(batchId, batch.tx_hash);
      const mark = this.db.prepare(`UPDATE requests SET status = 'submitted', batch_id = ?, tx_hash = ? WHERE id = ?`);
      for (const id of requestIds) mark.run(batchId, batch.tx_hash, id);
      return batchId;
    });
  }

  /** A replacement of a stuck transaction: same nonce and data, higher fees. */
  replaceBatchTx(
    batchId: number,
    tx: { hash: Hex; raw: Hex; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  ): void {
    this.transaction(() => {
      this.db
        .prepare(
          `UPDATE batches SET tx_hash = ?, raw_tx = ?, max_fee_per_gas = ?, max_priority_fee_per_gas = ?, sent_at = ? WHERE id = ?`,
        )
        .run(tx.hash, tx.raw, tx.maxFeePerGas.toString(), tx.maxPriorityFeePerGas.toString(), Date.now(), batchId);
      this.db.prepare(`INSERT OR IGNORE INTO batch_txs (batch_id, tx_hash) VALUES (?, ?)`).run(batchId, tx.hash);
    });
  }

  /** A stuck transaction sent again as it is: its wait for a replacement starts over. */
  touchBatch(batchId: number, sentAt: number): void {
    this.db.prepare(`UPDATE batches SET sent_at = ? WHERE id = ?`).run(sentAt, batchId);
  }

  batchHashes(batchId: number): Hex[] {
    return (
      this.db.prepare(`SELECT tx_hash FROM batch_txs WHERE batch_id = ?`).all(batchId) as unknown as { tx_hash: Hex }[]
    ).map((r) => r.tx_hash);
  }

  pendingBatches(): BatchRow[] {
    return this.db
      .prepare(`SELECT * FROM batches WHERE status = 'signed' ORDER BY tx_nonce`)
      .all() as unknown as BatchRow[];
  }

  batchRequests(batchId: number): RequestRow[] {
    return this.db
      .prepare(`SELECT * FROM requests WHERE batch_id = ? ORDER BY seq`)
      .all(batchId) as unknown as RequestRow[];
  }

  /**
   * A mined batch: its requests confirmed, except the items the campaign skipped that carry an
   * error (failed with it); a skipped item without error (the same pledge was already on-chain)
   * is confirmed too. All in one transaction.
   */
  confirmBatch(batchId: number, txHash: Hex, skipped: { id: string; error?: unknown }[] = []): void {
    this.transaction(() => {
      this.db
        .prepare(`UPDATE batches SET status = 'confirmed', tx_hash = ?, confirmed_at = ? WHERE id = ?`)
        .run(txHash, Date.now(), batchId);
      const fail = this.db.prepare(
        `UPDATE requests SET status = 'failed', tx_hash = ?, error = ? WHERE id = ? AND batch_id = ?`,
      );
      for (const item of skipped) if (item.error) fail.run(txHash, JSON.stringify(item.error), item.id, batchId);
      this.db
        .prepare(`UPDATE requests SET status = 'confirmed', tx_hash = ? WHERE batch_id = ? AND status = 'submitted'`)
        .run(txHash, batchId);
    });
  }

  markBatchReverted(batchId: number, txHash: Hex): void {
    this.db
      .prepare(`UPDATE batches SET status = 'reverted', tx_hash = ?, confirmed_at = ? WHERE id = ?`)
      .run(txHash, Date.now(), batchId);
  }

  lastBatch(): BatchRow | undefined {
    return this.db.prepare(`SELECT * FROM batches ORDER BY id DESC LIMIT 1`).get() as BatchRow | undefined;
  }

  /** The highest account nonce a stored transaction uses, or -1. */
  highestTxNonce(): number {
    const row = this.db.prepare(`SELECT MAX(tx_nonce) AS n FROM batches`).get() as { n: number | null };
    return row.n === null ? -1 : Number(row.n);
  }
}
