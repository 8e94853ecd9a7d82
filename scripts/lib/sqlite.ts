/**
 * The one transaction wrapper of the services' SQLite stores (relayer, notifier, attester).
 */
import type { DatabaseSync } from "node:sqlite";

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
