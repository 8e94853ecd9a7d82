/**
 * Runs the Ponder indexer (indexer/) as a child process for `npm start`, `npm run indexer`, the
 * tests and the benchmark: Ponder loads its TypeScript project itself (vite-node) and owns its
 * database, so it is a process of its own; this module starts it, waits until it is ready,
 * and stops it. Ponder stops when the process that started it ends, however it ends (children.ts).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Address } from "viem";
import { spawnNode, stopChild } from "../lib/children.js";
import { freePort } from "../lib/hardhat-node.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface StartIndexerParameters {
  rpcUrl: string;
  chainId: number;
  factory: Address;
  /** The factory's deployment block (where scans start). */
  fromBlock?: bigint | number;
  /** HTTP port (0 or absent: any free port). */
  port?: number;
  /**
   * PGlite folder. Absent (and no `databaseUrl`): a new temporary folder, deleted on close
   * (a local chain is new at each start, so nothing indexed from it may be kept).
   */
  dataDir?: string;
  /** Postgres instead of PGlite (production). */
  databaseUrl?: string;
  /** Database schema `ponder start` writes to (default "bascule"; Postgres: one per deployment, see docs/indexer.md). */
  schema?: string;
  /** Largest eth_getLogs span, for RPCs that cap it (Ponder otherwise learns it from errors). */
  getLogsRange?: number;
  /** Waits for Ponder's /ready (historical catch-up done) before resolving (default true). */
  waitReady?: boolean;
  /** Give up waiting after this long (default 120 s). */
  timeoutMs?: number;
  /** Each line Ponder prints (default: dropped; the last 200 lines go into start-up errors). */
  log?: (line: string) => void;
}

export interface IndexerHandle {
  url: string;
  child: ChildProcess;
  /** The last block Ponder has indexed (its /status). */
  indexedBlock(): Promise<number>;
  /** Resolves once Ponder's historical catch-up is done (its /ready answers 200). */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves once the indexer has processed `block` (e.g. the chain's latest). */
  waitForBlock(block: number | bigint, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `ponder start` on indexer/ and waits until it has caught up with the chain.
 * @example const ix = await startIndexer({ rpcUrl, chainId: 31337, factory }); await fetch(`${ix.url}/campaigns`); await ix.close();
 */
export async function startIndexer(p: StartIndexerParameters): Promise<IndexerHandle> {
  const port = p.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const ownDir = !p.dataDir && !p.databaseUrl ? mkdtempSync(path.join(tmpdir(), "bascule-indexer-")) : null;
  const dataDir = p.dataDir ?? ownDir ?? undefined;
  const args = [
    "start",
    "--root",
    "indexer",
    "--port",
    String(port),
    "--hostname",
    "127.0.0.1",
    "--log-format",
    "json",
  ];
  args.push("--schema", p.schema ?? "bascule");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BASCULE_RPC_URL: p.rpcUrl,
    BASCULE_CHAIN_ID: String(p.chainId),
    BASCULE_FACTORY: p.factory,
    BASCULE_FROM_BLOCK: String(p.fromBlock ?? 0),
    // Ponder reports usage to its authors by default: nothing leaves this machine.
    PONDER_TELEMETRY_DISABLED: "true",
    // Two cores on the target machine; Ponder's default of 4 threads only competes with the node.
    PONDER_MAX_THREADS: process.env.PONDER_MAX_THREADS ?? "2",
    FORCE_COLOR: "0",
  };
  delete env.PORT; // Ponder reads PORT before --port.
  if (dataDir) env.BASCULE_INDEXER_DIR = dataDir;
  if (p.databaseUrl) env.DATABASE_URL = p.databaseUrl;
  else delete env.DATABASE_URL;
  if (p.getLogsRange) env.BASCULE_GETLOGS_RANGE = String(p.getLogsRange);

  const child = spawnNode([path.join(ROOT, "node_modules/.bin/ponder"), ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  let partial = "";
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > 200) tail.shift();
      p.log?.(line);
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);

  const close = async () => {
    await stopChild(child, 10_000);
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  };

  const indexedBlock = async (): Promise<number> => {
    const status = (await (await fetch(`${url}/status`)).json()) as Record<string, { block?: { number: number } }>;
    return status.bascule?.block?.number ?? -1;
  };

  const handle: IndexerHandle = {
    url,
    child,
    indexedBlock,
    async waitForBlock(block, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the indexer exited:\n${tail.join("\n")}`);
        try {
          if ((await indexedBlock()) >= Number(block)) return;
        } catch {
          // not answering yet
        }
        if (Date.now() > deadline) throw new Error(`the indexer did not reach block ${block} in ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    async ready(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null)
          throw new Error(`the indexer exited (code ${child.exitCode}):\n${tail.join("\n")}`);
        try {
          if ((await fetch(`${url}/ready`)).status === 200) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`the indexer was not ready in time:\n${tail.slice(-40).join("\n")}`);
        await sleep(150);
      }
    },
    close,
  };

  if (p.waitReady === false) return handle;
  try {
    await handle.ready(p.timeoutMs);
  } catch (e) {
    await close();
    throw e;
  }
  return handle;
}
