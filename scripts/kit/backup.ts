/**
 * Backups of a service's SQLite store while the service runs, and their restore (docs/operator-guide.md,
 * "Backups"). A backup is SQLite's `VACUUM INTO` read through a connection of its own: one
 * consistent snapshot of the committed rows (the service keeps writing; in WAL mode it is not even
 * slowed, with a rollback journal its writes wait for the copy, up to their 5 s busy timeout),
 * written as a new compact file. That matters for the forgetful stores (notifier, attester): the
 * copy is built from the rows, table by table in key order, on fresh pages, so it holds no deleted
 * row, no free page, no journal, and nothing of the order the rows came in: the same rows give the
 * same file (test/kit/backup.test.ts). SQLite's page-by-page online backup would copy the pages as
 * they lie, in the order they were written. Files are created readable by their owner only (the
 * attester's holds its private keys), written beside their destination and renamed into place
 * once synced, so a backup or restore that stops halfway leaves no file that looks whole.
 */
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

/** The files SQLite may keep beside a database. */
const SIDE_FILES = ["-wal", "-shm", "-journal"] as const;

export interface CopyReport {
  /** The file written. */
  file: string;
  bytes: number;
  /** Rows per table, as read from the copy once written. */
  rows: Record<string, number>;
  ms: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The tables of a database file and their row counts (integrity checked first). */
function checkedRows(db: DatabaseSync, file: string): Record<string, number> {
  const check = db.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[];
  if (check.length !== 1 || check[0].integrity_check !== "ok")
    throw new Error(`${file} is damaged (${check.map((c) => c.integrity_check).join("; ")}) / ${file} est endommagé`);
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      Number((db.prepare(`SELECT COUNT(*) AS n FROM ${quote(name)}`).get() as { n: number }).n),
    ]),
  );
}

function syncFile(file: string): void {
  const fd = openSync(file, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a compact, consistent copy of the SQLite database `source` to `to` (which must not exist),
 * through `VACUUM INTO` on a connection of its own, so the service using `source` keeps running.
 * Checks the copy (`PRAGMA integrity_check`) and returns its row counts.
 * @example const { rows } = copyDatabase("relayer.db", "/backups/relayer-2026-12-03.db");
 */
export function copyDatabase(source: string, to: string): CopyReport {
  const started = performance.now();
  if (!existsSync(source)) throw new Error(`${source} does not exist / ${source} n’existe pas`);
  if (existsSync(to)) throw new Error(`${to} exists already: choose a new name / ${to} existe déjà`);
  const partial = path.join(path.dirname(to), `.${path.basename(to)}.partial-${randomBytes(4).toString("hex")}`);
  // VACUUM INTO takes an empty file: created here, readable by its owner only.
  closeSync(openSync(partial, "wx", 0o600));
  try {
    const db = new DatabaseSync(source, { timeout: 5_000 });
    try {
      // The copy's scratch space in memory, never in a temporary file (as the forgetful stores do).
      db.exec("PRAGMA temp_store = MEMORY");
      db.prepare("VACUUM INTO ?").run(partial);
    } finally {
      db.close();
    }
    const copy = new DatabaseSync(partial, { readOnly: true });
    let rows: Record<string, number>;
    try {
      rows = checkedRows(copy, partial);
    } finally {
      copy.close();
    }
    syncFile(partial);
    renameSync(partial, to);
    syncFile(path.dirname(to));
    return { file: to, bytes: statSync(to).size, rows, ms: performance.now() - started };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Checks a backup before it is restored: whole (`integrity_check`) and holding the `tables` the
 * store needs. Returns its row counts.
 */
export function checkBackup(file: string, tables: readonly string[]): Record<string, number> {
  if (!existsSync(file)) throw new Error(`${file} does not exist / ${file} n’existe pas`);
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = checkedRows(db, file);
    const missing = tables.filter((t) => !(t in rows));
    if (missing.length > 0)
      throw new Error(
        `${file} is not this store's backup: no table ${missing.join(", ")} / ` +
          `${file} n’est pas une sauvegarde de ce service : pas de table ${missing.join(", ")}`,
      );
    return rows;
  } finally {
    db.close();
  }
}

/**
 * Puts the backup `from` in place as the store `to`, which must not exist (nor its -wal, -shm or
 * -journal: the service is stopped, and a damaged store moved aside first). The restored file is
 * a fresh compact copy of the backup, so the backup itself stays as it was.
 */
export function restoreDatabase(from: string, to: string, tables: readonly string[]): CopyReport {
  checkBackup(from, tables);
  for (const suffix of ["", ...SIDE_FILES])
    if (existsSync(to + suffix))
      throw new Error(
        `${to + suffix} exists: stop the service and move its files aside first / ` +
          `${to + suffix} existe : arrêtez le service et mettez ses fichiers de côté d’abord`,
      );
  return copyDatabase(from, to);
}
