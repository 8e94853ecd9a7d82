/**
 * `npm run backup`: backs up a service's SQLite store while the service runs, and restores one
 * (docs/operator-guide.md, "Backups"; the copy itself is scripts/kit/backup.ts).
 *
 *   npm run backup -- --store relayer|notifier|attester [--db PATH] --to FILE
 *   npm run backup -- --restore --store relayer|notifier|attester --from FILE [--db PATH]
 *                     (attester: and --revoke-unused or --backup-is-latest)
 *
 * PATH defaults to what the service reads: RELAYER_DB (relayer.db), NOTIFIER_DATA/notifier.db
 * (.notifier/notifier.db), ATTESTER_DB (attester.db). The notifier's VAPID keys (vapid.json beside
 * its database) are copied to FILE.vapid.json and restored from there: without them every
 * subscription is orphaned. Restoring an attester backup: a code redeemed after the backup is
 * "issued" again in it, so could be redeemed twice; the tool makes the operator choose:
 * `--revoke-unused` revokes every code still issued (the union hands new codes to the members who
 * had not redeemed theirs), `--backup-is-latest` states that no code was redeemed after the backup.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { AttesterStore } from "../attester/store.js";
import { type CopyReport, copyDatabase, restoreDatabase } from "../kit/backup.js";

export type StoreName = "relayer" | "notifier" | "attester";

/** The tables a backup of each store must hold. */
export const STORE_TABLES: Record<StoreName, readonly string[]> = {
  relayer: ["requests", "batches", "batch_txs"],
  notifier: ["subscriptions", "campaigns", "entries", "outbox", "meta"],
  attester: ["keys", "codes"],
};

/** Where each service keeps its store by default (its environment, as its main.ts reads it). */
export function defaultDbPath(store: StoreName, env: NodeJS.ProcessEnv = process.env): string {
  if (store === "relayer") return env.RELAYER_DB || "relayer.db";
  if (store === "attester") return env.ATTESTER_DB || "attester.db";
  return path.join(env.NOTIFIER_DATA || ".notifier", "notifier.db");
}

const vapidBeside = (db: string) => path.join(path.dirname(db), "vapid.json");

/**
 * Backs up `store`'s database `db` to `to` while the service runs (and, for the notifier, its
 * VAPID keys to `<to>.vapid.json`).
 * @example backupStore("attester", "attester.db", "/backups/attester-1.db")
 */
export function backupStore(store: StoreName, db: string, to: string): CopyReport {
  const report = copyDatabase(db, to);
  if (store === "notifier" && existsSync(vapidBeside(db))) copyFileSync(vapidBeside(db), `${to}.vapid.json`);
  return report;
}

export interface RestoreOptions {
  /** The attester only: what to do with the codes the backup shows unused (see above). */
  codes?: "revoke-unused" | "backup-is-latest";
}

export interface RestoreReport extends CopyReport {
  /** The attester with `revoke-unused`: how many codes were revoked, per key. */
  revoked?: Record<string, number>;
}

/**
 * Restores the backup `from` as `store`'s database `db` (which must not exist: the service is
 * stopped and a damaged file moved aside). The service then starts on it as usual.
 * @example restoreStore("attester", "/backups/attester-1.db", "attester.db", { codes: "revoke-unused" })
 */
export function restoreStore(store: StoreName, from: string, db: string, options: RestoreOptions = {}): RestoreReport {
  if (store === "attester" && !options.codes)
    throw new Error(
      "an attester backup shows unused every code redeemed after it, which could then be redeemed again: " +
        "pass --revoke-unused (revoke every unused code; hand new ones to the members who had not used theirs) " +
        "or --backup-is-latest (no code was redeemed after this backup) / " +
        "une sauvegarde de l’attestateur montre inutilisé tout code utilisé après elle, qui pourrait l’être une " +
        "seconde fois : passez --revoke-unused (révoquer tous les codes inutilisés ; en donner de nouveaux aux " +
        "membres qui n’avaient pas utilisé le leur) ou --backup-is-latest (aucun code utilisé après cette sauvegarde)",
    );
  if (store === "notifier" && existsSync(vapidBeside(db)) && existsSync(`${from}.vapid.json`))
    throw new Error(`${vapidBeside(db)} exists: move it aside first / ${vapidBeside(db)} existe : déplacez-le d’abord`);
  // A fresh data folder (the notifier's NOTIFIER_DATA), private as the services make theirs.
  mkdirSync(path.dirname(path.resolve(db)), { recursive: true, mode: 0o700 });
  const report: RestoreReport = restoreDatabase(from, db, STORE_TABLES[store]);
  if (store === "notifier" && existsSync(`${from}.vapid.json`)) copyFileSync(`${from}.vapid.json`, vapidBeside(db));
  if (store === "attester" && options.codes === "revoke-unused") {
    const attester = new AttesterStore(db);
    try {
      report.revoked = Object.fromEntries(attester.listKeys().map((k) => [k.key_id, attester.revoke(k.key_id, {})]));
    } finally {
      attester.close();
    }
  }
  return report;
}

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      store: { type: "string" },
      db: { type: "string" },
      to: { type: "string" },
      from: { type: "string" },
      restore: { type: "boolean" },
      "revoke-unused": { type: "boolean" },
      "backup-is-latest": { type: "boolean" },
    },
  });
  const store = values.store as StoreName;
  if (!(store in STORE_TABLES)) throw new Error("--store relayer|notifier|attester");
  const db = values.db ?? defaultDbPath(store);
  if (values.restore) {
    if (!values.from) throw new Error("--from FILE: the backup to restore / la sauvegarde à restaurer");
    if (values["revoke-unused"] && values["backup-is-latest"])
      throw new Error("--revoke-unused or --backup-is-latest, not both / l’un ou l’autre, pas les deux");
    const codes = values["revoke-unused"]
      ? "revoke-unused"
      : values["backup-is-latest"]
        ? "backup-is-latest"
        : undefined;
    const report = restoreStore(store, values.from, db, { codes });
    console.log(
      `restored ${values.from} as ${db} (${report.bytes} bytes, ${JSON.stringify(report.rows)}` +
        `${report.revoked ? `, revoked unused codes ${JSON.stringify(report.revoked)}` : ""}) / restauré`,
    );
    return;
  }
  if (!values.to) throw new Error("--to FILE: where to write the backup / où écrire la sauvegarde");
  const report = backupStore(store, db, values.to);
  console.log(
    `backed up ${db} to ${report.file} in ${report.ms.toFixed(0)} ms (${report.bytes} bytes, ` +
      `${JSON.stringify(report.rows)}) / sauvegardé`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
