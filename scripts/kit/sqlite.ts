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
   * never corrupts; "FULL": it also survives a power cut in WAL mode, and keeps a rollback-journal
   * store from corrupting on one; "EXTRA": FULL, and the directory is synced once the journal is
   * deleted, so a commit followed at once by a power cut stays committed (the attester: a redeemed
   * code must stay redeemed).
   */
  synchronous?: "NORMAL" | "FULL" | "EXTRA";
  /**
   * The files hold the rows the store holds now, and nothing of its past (the notifier, the
   * attester): a rollback journal deleted at every commit instead of a write-ahead log (whose frames
   * keep every page written, in commit order, until they are overwritten), so no `-wal` or `-shm`
   * file, and a `-journal` only while a transaction runs; deleted rows overwritten with zeros
   * (`secure_delete`); the scratch copy that `compact` builds kept in memory (`temp_store`), never
   * in a temporary file. A file left in WAL mode by an older version is checkpointed and switched.
   */
  forgetful?: boolean;
  /** Make the file readable by the service's user only (the attester: it holds private keys). */
  ownerOnly?: boolean;
}

/**
 * Opens (or creates) a store's file with a 5 s busy timeout, in WAL mode or, `forgetful`, with a
 * rollback journal (see OpenDatabaseOptions), then runs its schema. ":memory:" keeps nothing across
 * restarts.
 * @example const db = openDatabase("relayer.db", "CREATE TABLE IF NOT EXISTS t (x)");
 */
export function openDatabase(path: string, schema: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const db = new DatabaseSync(path);
  if (options.ownerOnly && path !== ":memory:") chmodSync(path, 0o600);
  const journal = options.forgetful ? "DELETE" : "WAL";
  let mode: string;
  try {
    // Before the busy timeout: a file another connection holds in WAL mode is refused at once.
    mode = (db.prepare(`PRAGMA journal_mode = ${journal}`).get() as { journal_mode: string }).journal_mode;
  } catch (error) {
    mode = error instanceof Error ? error.message : String(error);
  }
  // SQLite keeps the old mode, or answers "database is locked", when it cannot switch.
  if (path !== ":memory:" && mode.toUpperCase() !== journal) {
    db.close();
    throw new Error(
      `${path} cannot use the ${journal} journal (${mode}): is another process using it? / ` +
        `${path} ne peut pas prendre le journal ${journal} (${mode}) : un autre processus l’utilise-t-il ?`,
    );
  }
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec(`
    PRAGMA synchronous = ${options.synchronous ?? "NORMAL"};
    ${options.forgetful ? "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;" : ""}
  `);
  db.exec(schema);
  return db;
}

/**
 * Rewrites the store's file from the rows it holds now (SQLite's VACUUM): every table and index is
 * rebuilt in key order on fresh pages, so the file is the same bytes whatever order the rows came
 * in (but for the header's counters of changes), and holds no free page. It needs as much memory
 * as the file with `forgetful`, and no transaction may be open. Returns the time it took in ms.
 * @example const ms = compact(db);
 */
export function compact(db: DatabaseSync): number {
  const started = performance.now();
  db.exec("VACUUM");
  return performance.now() - started;
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

/**
 * A readiness check (kit/http.ts, `readiness`): true when the database answers a query, the reason
 * otherwise (a closed or unreadable file).
 */
export function storeOpen(db: DatabaseSync): true | string {
  try {
    db.prepare("SELECT 1").get();
    return true;
  } catch (error) {
    return `store: ${(error as Error).message}`;
  }
}
