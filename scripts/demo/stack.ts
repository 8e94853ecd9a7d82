/**
 * The whole local stack in one process tree: a Hardhat node, the deployed contracts, the demo
 * campaigns, the relayer, the keeper, the indexer (Ponder, embedded PGlite in a temporary folder),
 * the notifier, the union's attester service, and the dApp served with its runtime configuration.
 * Used by `npm start` (scripts/start.ts), the end-to-end tests and the dApp benchmark.
 *
 * The dApp's server (server.ts) proxies /rpc to the node and /relayer/, /indexer/, /notifier/ and
 * /attester/ to their services, so the browser talks to one origin only.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { type Address, createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { stopChild } from "../lib/children.js";
import { deployBascule } from "../lib/deployment.js";
import { freePort, rpcCall, spawnHardhatNode } from "../lib/hardhat-node.js";
import { deploymentBlock } from "@bascule/core/replay";
import { type RpcLimits, type RpcProxy, startRpcProxy } from "../lib/rpc-limits.js";
import { type IndexerHandle, startIndexer } from "../indexer/service.js";
import { hardhatKey, ROLES } from "./accounts.js";
import { type SeedResult, seedDemo } from "./seed.js";
import { serveDapp } from "./server.js";
import { type UnionDemo, seedUnionDemo } from "./union.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST = path.join(ROOT, "frontend/dist");

export interface StackOptions {
  /** Port of the dApp (0: any free port). */
  port?: number;
  /** Port of the Hardhat node (0: any free port). */
  chainPort?: number;
  /** Seed the demo campaigns (default true). */
  seed?: boolean;
  /** Build the dApp first (default: only if frontend/dist is missing). */
  build?: boolean;
  /** Start the relayer (default true); false shows the dApp's wallet fallback. */
  relayer?: boolean;
  keeper?: boolean;
  keeperPollMs?: number;
  /** Start the union's attester service and seed the gated union campaign (default true). */
  attester?: boolean;
  /** Start the notifier (default true). */
  notifier?: boolean;
  /** Push service hosts the notifier accepts over plain http (tests with a local stand-in). */
  insecurePushHosts?: string[];
  /**
   * Put a proxy with public-RPC limits (1,000 blocks and 10,000 results per eth_getLogs, 10 MiB per
   * answer) between the chain and everything else (dApp, relayer, keeper, indexer, notifier): `npm start` with
   * RPC_LIMITS=1. `true` for the defaults.
   */
  rpcLimits?: boolean | RpcLimits;
  /** Start the indexer (default true); false shows the dApp's list read from the chain. */
  indexer?: boolean;
  log?: (line: string) => void;
}

export interface Stack {
  url: string;
  rpcUrl: string;
  /** The indexer's own URL (the dApp reaches it at /indexer/), null when not started. */
  indexerUrl: string | null;
  chainId: number;
  factory: Address;
  demo: SeedResult | null;
  /** The union's attester service (proxied at /attester/) and its organiser token; null if not started. */
  attester: { url: string; token: string; deskToken: string; dbPath: string } | null;
  /** The gated union campaign (blind vouchers, payout desk), if seeded. */
  union: UnionDemo | null;
  /** Where the keeper reads participation files and writes proofs (the relayer serves them). */
  participationDir: string;
  /** The limiting proxy, when `rpcLimits` is set: its URL and request/byte counts. */
  rpcProxy: RpcProxy | null;
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

async function startChain(port: number, log: (l: string) => void): Promise<{ url: string; child: ChildProcess }> {
  const url = `http://127.0.0.1:${port}`;
  try {
    await rpcCall(url, "eth_chainId");
    throw new Error(`port ${port} is already in use by another node; stop it or choose another port`);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith("port ")) throw e;
  }
  const { child } = await spawnHardhatNode(port);
  log(`chain: ${url}`);
  return { url, child };
}

/** Builds the dApp with Vite (production bundle). */
export async function buildFrontend(log: (l: string) => void = () => {}): Promise<void> {
  const { build } = await import("vite");
  await build({ configFile: path.join(ROOT, "frontend/vite.config.ts"), logLevel: "warn" });
  log("dApp built");
}

/**
 * Starts everything; `close()` stops it all.
 * @example const stack = await startStack({ port: 5173 }); console.log(stack.url); await stack.close();
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) {
      try {
        await c();
      } catch {
        // keep closing the rest
      }
    }
  };
  try {
    if (options.build ?? !existsSync(path.join(DIST, "index.html"))) await buildFrontend(log);
    const chainPort = options.chainPort || (await freePort());
    const chain = await startChain(chainPort, log);
    closers.push(() => stopChild(chain.child));
    const deployed = await deployBascule({ rpcUrl: chain.url, privateKey: hardhatKey(ROLES.deployer), log });
    // Log scans start at the factory's deployment block, not at block 0.
    const chainClient = createPublicClient({ transport: http(chain.url) });
    const fromBlock = String(
      (await deploymentBlock(chainClient, deployed.factory, 0n, await chainClient.getBlockNumber())) ?? 0n,
    );
    const demo = options.seed === false ? null : await seedDemo({ rpcUrl: chain.url, factory: deployed.factory, log });
    // Everything but the deployment and the demo seed reads the chain through the limits, if asked.
    let rpcProxy: RpcProxy | null = null;
    if (options.rpcLimits) {
      rpcProxy = await startRpcProxy(chain.url, options.rpcLimits === true ? {} : options.rpcLimits);
      closers.push(() => rpcProxy!.close());
      log(`RPC limits: ${rpcProxy.url} (1,000 blocks, 10,000 results per eth_getLogs; 10 MiB per answer)`);
    }
    const serviceRpc = rpcProxy?.url ?? chain.url;

    // The indexer starts after the seeding: it then reads the demo's history in batches (Ponder's
    // backfill) instead of block by block, and its start-up does not slow the seeding down
    // (measured: 138 s to a ready stack when started before the seeding). It boots while the
    // relayer and keeper start.
    let indexer: IndexerHandle | null = null;
    if (options.indexer !== false) {
      indexer = await startIndexer({
        rpcUrl: serviceRpc,
        chainId: deployed.chainId,
        factory: deployed.factory,
        fromBlock: 0,
        waitReady: false,
      });
      closers.push(() => indexer?.close());
    }

    const port = options.port || (await freePort());
    const origin = `http://127.0.0.1:${port}`;
    const workDir = mkdtempSync(path.join(tmpdir(), "bascule-"));
    closers.push(() => rmSync(workDir, { recursive: true, force: true }));

    let relayerUrl: string | null = null;
    if (options.relayer !== false) {
      const { startRelayer } = await import("../relayer/server.js");
      const relayer = await startRelayer({
        rpcUrl: serviceRpc,
        privateKey: hardhatKey(ROLES.relayer),
        port: 0,
        dbPath: ":memory:",
        corsOrigins: [origin, `http://localhost:${port}`],
        batchSize: 100,
        batchLatencyMs: 200,
        proofsDir: workDir,
        factory: deployed.factory,
      });
      relayerUrl = relayer.url;
      closers.push(() => relayer.close());
      log(`relayer: ${relayer.url} (${relayer.address})`);
    }
    if (options.keeper !== false) {
      const { startKeeper } = await import("../keeper/service.js");
      const keeper = await startKeeper({
        rpcUrl: serviceRpc,
        privateKey: hardhatKey(ROLES.keeper),
        factory: deployed.factory,
        pollMs: options.keeperPollMs ?? 2000,
        participationDir: workDir,
      });
      closers.push(() => keeper.close());
      log("keeper: running");
    }

    let notifierUrl: string | null = null;
    if (options.notifier !== false) {
      const { Notifier, loadOrCreateVapidKeys } = await import("../notifier/service.js");
      const { buildRoutes } = await import("../notifier/routes.js");
      const dataDir = path.join(workDir, "notifier");
      const notifier = new Notifier({
        rpcUrl: serviceRpc,
        factory: deployed.factory,
        dbPath: path.join(dataDir, "notifier.db"),
        vapid: loadOrCreateVapidKeys(dataDir),
        appUrl: `${origin}/`,
        pollMs: 1000,
        insecurePushHosts: options.insecurePushHosts,
        log,
      });
      const app = await buildRoutes(notifier);
      notifierUrl = await app.listen({ port: 0, host: "127.0.0.1" });
      notifier.start();
      // Stop serving first, then let the notifier finish its pass (undelivered messages stay stored).
      closers.push(() => notifier.close());
      closers.push(() => app.close());
      log(`notifier: ${notifierUrl}`);
    }

    let attester: Stack["attester"] = null;
    let union: UnionDemo | null = null;
    if (options.attester !== false) {
      const { startAttester } = await import("../attester/server.js");
      const token = randomBytes(24).toString("base64url");
      const deskToken = randomBytes(24).toString("base64url");
      const dbPath = path.join(workDir, "attester.db");
      const handle = await startAttester({
        port: 0,
        dbPath,
        corsOrigins: [origin, `http://localhost:${port}`],
        token,
        deskToken,
      });
      closers.push(() => handle.close());
      attester = { url: handle.url, token, deskToken, dbPath };
      log(
        `attester: ${handle.url} (organiser token / jeton d'organisation: ${token}; desk clerks' token / jeton des guichets: ${deskToken})`,
      );
      if (options.seed !== false) {
        union = await seedUnionDemo({
          rpcUrl: chain.url,
          factory: deployed.factory,
          service: handle.service,
          attesterUrl: "./attester",
          oracle: privateKeyToAccount(hardhatKey(ROLES.keeper)).address,
          log,
        });
      }
    }

    if (indexer) {
      await indexer.ready();
      await indexer.waitForBlock(BigInt((await rpcCall<string>(chain.url, "eth_blockNumber")) ?? "0x0"), 120_000);
      log(`indexer: ${indexer.url}`);
    }

    const server = await serveDapp({
      port,
      dist: DIST,
      config: {
        chainId: deployed.chainId,
        chainName: "Hardhat (local)",
        rpcUrl: "./rpc",
        factory: deployed.factory,
        fromBlock,
        relayerUrl: relayerUrl ? "./relayer" : "",
        indexerUrl: indexer ? "./indexer" : "",
        notifierUrl: notifierUrl ? "./notifier" : "",
        listMinPledges: 3,
        attesterUrl: attester ? "./attester" : "",
        keeperAddress: options.keeper !== false ? privateKeyToAccount(hardhatKey(ROLES.keeper)).address : undefined,
      },
      upstreams: {
        rpc: serviceRpc,
        relayer: relayerUrl,
        indexer: indexer?.url ?? null,
        attester: attester?.url ?? null,
        notifier: notifierUrl,
      },
    });
    closers.push(() => server.close());
    return {
      url: `${origin}/`,
      rpcUrl: chain.url,
      indexerUrl: indexer?.url ?? null,
      chainId: deployed.chainId,
      factory: deployed.factory,
      demo,
      attester,
      union,
      participationDir: workDir,
      rpcProxy,
      rpc: (method, params) => rpcCall(chain.url, method, params),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
