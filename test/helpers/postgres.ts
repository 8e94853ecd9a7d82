/**
 * A throw-away PostgreSQL cluster for the tests, from Debian's `postgresql` package (the server's
 * binaries, not a container): `initdb` into a temporary folder, the server on a free loopback
 * port (trust authentication, nothing written durably: fsync off), stopped and deleted by `stop()`.
 *
 * PostgreSQL refuses to run as root (initdb: "cannot be run as root"); run as root (CI containers),
 * the cluster belongs to `nobody` and its programs are started with that uid and gid. The server
 * runs under a small Node warden (this file run as a script) started by `spawnNode`, so it never
 * outlives the test: when the test process ends, however it ends, the warden asks the server for
 * a fast shutdown, then deletes the cluster's folder.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { exited, spawnNode, stopChild } from "../../scripts/lib/children.js";
import { freePort } from "../../scripts/lib/hardhat-node.js";

export const POSTGRES_MISSING =
  "PostgreSQL's server programs (initdb, postgres) were not found: install Debian's package " +
  "(`apt-get install postgresql`; .ci/run does it on a clean machine), or set PG_BIN to the folder " +
  "holding initdb and postgres (e.g. /usr/lib/postgresql/15/bin)";

/** The folder of initdb and postgres: PG_BIN, else Debian's newest /usr/lib/postgresql/<n>/bin, else PATH's. */
export function postgresBin(): string | null {
  const has = (dir: string) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "postgres"));
  if (process.env.PG_BIN) return has(process.env.PG_BIN) ? process.env.PG_BIN : null;
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(path.join(debian, v, "bin"))) return path.join(debian, v, "bin");
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir && has(dir)) return dir;
  return null;
}

/** nobody's uid and gid when this process is root (PostgreSQL will not run as root), else none. */
function runAs(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync("id", [flag, "nobody"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

export interface PostgresHandle {
  /** postgresql://bascule@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Runs one SQL statement with psql; its output (unaligned, tuples only). */
  sql(statement: string): string;
  stop(): Promise<void>;
}

/**
 * Creates and starts a cluster; throws POSTGRES_MISSING when the binaries are not installed.
 * @example const pg = await startPostgres(); process.env.DATABASE_URL = pg.url; …; await pg.stop();
 */
export async function startPostgres(): Promise<PostgresHandle> {
  const bin = postgresBin();
  if (!bin) throw new Error(POSTGRES_MISSING);
  const user = runAs();
  const dir = mkdtempSync(path.join(tmpdir(), "bascule-postgres-"));
  if ("uid" in user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, "data");
  const init = spawnSync(
    path.join(bin, "initdb"),
    ["-D", data, "-U", "bascule", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
    { ...user, encoding: "utf8" },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr}`);
  }
  const port = await freePort();
  const warden = spawnNode(["--import", "tsx", fileURLToPath(import.meta.url), bin, data, String(port), dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  warden.stdout?.on("data", (c: Buffer) => (log += c.toString()));
  warden.stderr?.on("data", (c: Buffer) => (log += c.toString()));
  const stop = async () => {
    await stopChild(warden, 15_000);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (warden.exitCode !== null) {
      await stop();
      throw new Error(`postgres exited before accepting connections:\n${log}`);
    }
    const ready = spawnSync(path.join(bin, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port)]);
    if (ready.status === 0) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`postgres did not accept connections within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `postgresql://bascule@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    sql(statement) {
      const run = spawnSync(path.join(bin, "psql"), ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", statement, url], {
        encoding: "utf8",
      });
      if (run.status !== 0) throw new Error(`psql: ${run.stderr}`);
      return run.stdout.trim();
    },
    stop,
  };
}

/** The warden: runs the server in the foreground and stops it (fast shutdown) on SIGTERM or SIGINT. */
async function warden([bin, data, port, socketDir]: string[]): Promise<void> {
  const server: ChildProcess = spawn(
    path.join(bin, "postgres"),
    [
      "-D",
      data,
      "-p",
      port,
      "-k",
      socketDir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
    ],
    { ...runAs(), stdio: ["ignore", "inherit", "inherit"] },
  );
  // SIGINT is PostgreSQL's "fast shutdown": sessions ended, a clean checkpoint, then exit.
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => server.kill("SIGINT"));
  await exited(server);
  // The cluster is throw-away: its folder goes with it, even when the test process was killed.
  rmSync(socketDir, { recursive: true, force: true });
  process.exit(server.exitCode ?? 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await warden(process.argv.slice(2));
}
