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
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { type Address, createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { stopChild } from "../lib/children.js";
import { deployBascule } from "../lib/deployment.js";
import { freePort, rpcCall, spawnHardhatNode } from "../lib/hardhat-node.js";
import { deploymentBlock } from "@bascule/core/replay";
import { type RpcLimits, type RpcProxy, startRpcProxy } from "../lib/rpc-limits.js";
import { type LaunchConfig, checkLaunchConfig } from "../launch/config.js";
import { launch } from "../launch/launcher.js";
import { hardhatKey, ROLES } from "./accounts.js";
import { type LocalTls, demoTls, trustCa } from "./tls.js";
import { type SeedResult, seedDemo } from "./seed.js";
import { type UnionDemo, seedUnionDemo } from "./union.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST = path.join(ROOT, "frontend/dist");
/** The demo's launcher config (the chain, the ports of the dApp and the data folder are filled in at start). */
export const DEMO_CONFIG = path.join(ROOT, "deploy/bascule.config.demo.json");

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
  /**
   * Start the federation (default true), over https with the demo's own CA (tls.ts), its guards
   * against loopback lifted so a second local instance can follow (chain 31337 only).
   */
  federation?: boolean;
  /**
   * Port of the federation (default 0: any free port, so that stacks side by side never clash;
   * `npm start` passes the demo config's 8791, the port of the handle it prints).
   */
  federationPort?: number;
  /** Where the demo's CA and certificate are kept and reused (default: the stack's temporary folder). */
  tlsDir?: string;
  /** Start the indexer (default true); false shows the dApp's list read from the chain. */
  indexer?: boolean;
  /** Where the services' JSON log lines go (default bascule.log in the stack's temporary folder). */
  logFile?: string;
  /**
   * Wait until the indexer has caught up with the seeded chain before resolving (default true).
   * `npm start` does not: the dApp reads its list from the chain until the indexer is up to date.
   */
  waitIndexer?: boolean;
  /** Awaited after the chain has started and before deploying (`npm start`: the contract build, run meanwhile). */
  beforeDeploy?: Promise<unknown>;
  log?: (line: string) => void;
}

export interface Stack {
  url: string;
  rpcUrl: string;
  /** The indexer's own URL (the dApp reaches it at /indexer/), null when not started. */
  indexerUrl: string | null;
  /** The launcher's /metrics, /health and /ready (scripts/launch). */
  metricsUrl: string | null;
  /** The services' JSON log lines (pino). */
  logFile: string | null;
  chainId: number;
  factory: Address;
  demo: SeedResult | null;
  /** The union's attester service (proxied at /attester/) and its organiser token; null if not started. */
  attester: { url: string; token: string; deskToken: string; dbPath: string } | null;
  /** The gated union campaign (blind vouchers, payout desk), if seeded. */
  union: UnionDemo | null;
  /** Where the keeper reads participation files and writes proofs (the relayer serves them). */
  participationDir: string;
  /**
   * The federation: its listening URL, its public origin (the handles' host), and the demo CA
   * (PEM) a second local instance trusts; null when not started.
   */
  federation: { url: string; publicUrl: string; tls: LocalTls } | null;
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

/**
 * Builds the dApp with Vite (production bundle). Vite's lines (its notices about Node modules left
 * out of the browser bundle included) go to `log`; an error still throws.
 */
export async function buildFrontend(log: (l: string) => void = () => {}): Promise<void> {
  const { build, createLogger } = await import("vite");
  const logger = createLogger("info");
  const line = (message: string) => log(stripVTControlCharacters(message));
  logger.info = line;
  logger.warn = line;
  logger.warnOnce = line;
  await build({ configFile: path.join(ROOT, "frontend/vite.config.ts"), logLevel: "warn", customLogger: logger });
  log("dApp built");
}

/** What the dApp's build is made from: a change to any of these makes frontend/dist stale. */
const DAPP_SOURCES = [
  "frontend/src",
  "frontend/sw",
  "frontend/public",
  "frontend/index.html",
  "frontend/vite.config.ts",
  "frontend/package.json",
  "packages/core/src",
  "package-lock.json",
];

function newestMtime(file: string): number {
  const info = statSync(file);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

/**
 * Whether frontend/dist was built after the last change to any of its sources (`npm start` then
 * reuses it). A build for a static release (BASCULE_CONNECT_SRC) writes elsewhere.
 * @example if (!dappIsCurrent()) await buildFrontend();
 */
export function dappIsCurrent(root = ROOT): boolean {
  const built = path.join(root, "frontend/dist/index.html");
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  return DAPP_SOURCES.every((source) => {
    const file = path.join(root, source);
    return !existsSync(file) || newestMtime(file) <= builtAt;
  });
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
    await options.beforeDeploy;
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

    const port = options.port || (await freePort());
    const origin = `http://127.0.0.1:${port}`;
    const workDir = mkdtempSync(path.join(tmpdir(), "bascule-"));
    closers.push(() => rmSync(workDir, { recursive: true, force: true }));

    // The services: the production launcher (scripts/launch) with the demo config, the chain's
    // address, this port and a temporary data folder filled in. The indexer starts after the seeding:
    // it then reads the demo's history in batches (Ponder's backfill) instead of block by block
    // (measured: 138 s to a ready stack when started before the seeding); it boots while the others start.
    const file = checkLaunchConfig(JSON.parse(readFileSync(DEMO_CONFIG, "utf8")), {
      file: DEMO_CONFIG,
      env: { RPC_URL: serviceRpc },
    });
    const services = file.services;
    // The federation on https://localhost:<port> (the handles' host), with a certificate from the
    // demo's CA; this process (Fedify's fetches) trusts that CA while the stack runs.
    let federation: LaunchConfig["services"]["federation"] = undefined;
    let tls: LocalTls | null = null;
    if (options.federation !== false && services.federation) {
      const fedPort = options.federationPort ?? 0;
      const listen = fedPort === 0 ? await freePort() : fedPort;
      federation = { ...services.federation, port: listen, publicUrl: `https://localhost:${listen}` };
      ({ tls } = await demoTls(options.tlsDir ?? path.join(workDir, "tls")));
      closers.push(trustCa(tls.ca));
    }
    const config: LaunchConfig = {
      ...file,
      chain: { ...file.chain, rpcUrl: serviceRpc, factory: deployed.factory, fromBlock },
      publicUrl: `${origin}/`,
      dataDir: workDir,
      log: { level: "info", file: options.logFile ?? path.join(workDir, "bascule.log") },
      services: {
        ...(options.relayer !== false ? { relayer: services.relayer } : {}),
        ...(options.keeper !== false
          ? { keeper: { ...services.keeper, ...(options.keeperPollMs ? { pollMs: options.keeperPollMs } : {}) } }
          : {}),
        ...(options.notifier !== false ? { notifier: services.notifier } : {}),
        ...(options.attester !== false ? { attester: services.attester } : {}),
        ...(options.indexer !== false ? { indexer: services.indexer } : {}),
        ...(federation ? { federation } : {}),
        dapp: { ...services.dapp, port, dist: DIST },
      },
    };
    const token = randomBytes(24).toString("base64url");
    const deskToken = randomBytes(24).toString("base64url");
    const launched = await launch(config, {
      env: {
        RELAYER_PRIVATE_KEY: hardhatKey(ROLES.relayer),
        KEEPER_PRIVATE_KEY: hardhatKey(ROLES.keeper),
        ATTESTER_TOKEN: token,
        ATTESTER_DESK_TOKEN: deskToken,
      },
      overrides: { insecurePushHosts: options.insecurePushHosts, ...(tls ? { federationTls: tls } : {}) },
    });
    closers.push(() => launched.close());
    const { indexer } = launched;
    if (launched.relayer) log(`relayer: ${launched.relayer.url} (${launched.relayer.address})`);
    if (launched.keeper) log(`keeper: ${launched.urls.keeper}`);
    if (launched.notifier) log(`notifier: ${launched.urls.notifier}`);
    if (launched.federation) log(`federation: ${launched.urls.federation} as ${federation!.publicUrl}`);

    let attester: Stack["attester"] = null;
    let union: UnionDemo | null = null;
    if (launched.attester) {
      attester = { url: launched.attester.url, token, deskToken, dbPath: path.join(workDir, "attester.db") };
      log(
        `attester: ${attester.url} (organiser token / jeton d’organisation: ${token}; desk clerks’ token / jeton des guichets: ${deskToken})`,
      );
      if (options.seed !== false) {
        union = await seedUnionDemo({
          rpcUrl: chain.url,
          factory: deployed.factory,
          service: launched.attester.service,
          attesterUrl: "./attester",
          oracle: privateKeyToAccount(hardhatKey(ROLES.keeper)).address,
          log,
        });
      }
    }

    if (indexer) {
      const caughtUp = async () => {
        await indexer.ready();
        await indexer.waitForBlock(BigInt((await rpcCall<string>(chain.url, "eth_blockNumber")) ?? "0x0"), 120_000);
        log(`indexer: ${indexer.url}, caught up`);
      };
      if (options.waitIndexer === false)
        caughtUp().catch((error: unknown) => log(`indexer: ${(error as Error).message.split("\n")[0]}`));
      else await caughtUp();
    }

    return {
      url: `${origin}/`,
      rpcUrl: chain.url,
      indexerUrl: indexer?.url ?? null,
      metricsUrl: launched.urls.metrics ?? null,
      chainId: deployed.chainId,
      factory: deployed.factory,
      demo,
      attester,
      union,
      participationDir: path.join(workDir, "participation"),
      logFile: config.log?.file ?? null,
      federation:
        launched.federation && federation && tls
          ? { url: launched.federation.url, publicUrl: federation.publicUrl, tls }
          : null,
      rpcProxy,
      rpc: (method, params) => rpcCall(chain.url, method, params),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
