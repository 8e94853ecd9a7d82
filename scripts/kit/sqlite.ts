/**
 * How every service opens its SQLite store (Node 22's `node:sqlite`), and the one transaction
 * wrapper. The stores (relayer, notifier, attester) keep their own tables; the file, its journal
 * and its durability are set here, the same way in each.
 */
import { chmodSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";

export interface OpenDatabaseOptions {
  /**
   * "NORMAL" (the default): a commit survives a crash of the process, and in WAL mode the database
   * never corrupts; "FULL": it also survives a power cut (the attester: a redeemed code must stay redeemed).
   */
  synchronous?: "NORMAL" | "FULL";
  /** Overwrite deleted rows with zeros (the notifier: an unsubscribed endpoint leaves no trace in the file). */
  secureDelete?: boolean;
  /** Make the file readable by the service's user only (the attester: it holds private keys). */
  ownerOnly?: boolean;
}

/**
 * Opens (or creates) a store's file in WAL mode with a 5 s busy timeout, then runs its schema.
 * ":memory:" keeps nothing across restarts.
 * @example const db = openDatabase("relayer.db", "CREATE TABLE IF NOT EXISTS t (x)");
 */
export function openDatabase(path: string, schema: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const db = new DatabaseSync(path);
  if (options.ownerOnly && path !== ":memory:") chmodSync(path, 0o600);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = ${options.synchronous ?? "NORMAL"};
    PRAGMA busy_timeout = 5000;
    ${options.secureDelete ? "PRAGMA secure_delete = ON;" : ""}
  `);
  db.exec(schema);
  return db;
}

/**
 * Runs `fn` in one immediate transaction: committed if it returns, rolled back if it throws.
 * @example const id = inTransaction(db, () => insertBatch(rows));
 */
export function inTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
