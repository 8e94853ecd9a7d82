/**
 * The production rehearsal's world (issue 21), shared by test/rehearsal/production.test.ts (the
 * flows by the services' APIs, kill -9 of each service) and test/rehearsal/browser.test.ts (the
 * flows through the dApp's pages in Chromium):
 *
 * - a chain with a public chain's id (84532, Base Sepolia's) behind the public-RPC limits proxy;
 * - CreateX put there as on every public chain (its keyless presigned transaction), then the
 *   contracts deployed through the Ignition module with CREATE2: the factory lands at the address
 *   it has on every chain;
 * - nginx in front with TLS (deploy/nginx/bascule.conf, a CA made here) serving `dist`;
 * - a production config for the launcher (no demo, no seeding), each service started as its own
 *   launcher process (`npm run serve -- --config … --only <service>`), secrets from the
 *   environment only, each awaited on its /ready (the indexer's is Ponder's: historical catch-up
 *   done), the indexer on PGlite under the config's dataDir;
 * - `kill9(service)`: SIGKILL to the service's process group (the launcher, and Ponder with it).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Address, type Hex, parseEther, toHex } from "viem";
import { spawnNode } from "../../scripts/lib/children.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { startRpcProxy, type RpcProxy } from "../../scripts/lib/rpc-limits.js";
import { makeCa, type Nginx, startNginx, type TestCa } from "../helpers/nginx.js";
import { freePort, type LocalNode, ROOT, startNode, TEST_KEYS } from "../helpers/node.js";

export const CHAIN_ID = 84532;
export const SERVICES = ["relayer", "keeper", "notifier", "attester", "indexer"] as const;
export type Service = (typeof SERVICES)[number];

/** CreateX's keyless deployment, the same raw transaction on every chain (as Ignition ships it). */
async function createXPresigned(): Promise<{ tx: Hex; deployer: Address }> {
  const file = path.join(
    ROOT,
    "node_modules/@nomicfoundation/ignition-core/dist/src/internal/execution/strategy/createx-artifact.js",
  );
  const tx = /presignedTx = "(0x[0-9a-f]+)"/.exec(await readFile(file, "utf8"))?.[1] as Hex | undefined;
  const strategy = await readFile(
    path.join(ROOT, "node_modules/@nomicfoundation/ignition-core/dist/src/strategies/create2-strategy.js"),
    "utf8",
  );
  const deployer = /CREATE_X_PRESIGNED_DEPLOYER_ADDRESS = "(0x[0-9a-fA-F]{40})"/.exec(strategy)?.[1] as
    Address | undefined;
  if (!tx || !deployer) throw new Error("Ignition no longer ships CreateX's presigned deployment where expected");
  return { tx, deployer };
}

export interface RehearsalOptions {
  /** The folder nginx serves at `/` (the dApp's static release, or a placeholder page). */
  dist: string;
  /** The relayer's part of the config (batchSize, batchLatencyMs, powBits, trustProxy, …). */
  relayer: Record<string, unknown>;
  /** Each step's duration is reported here (name, ms). */
  timing?: (name: string, ms: number) => void;
  /** Which services to start (default all of SERVICES); the others stay in the config, not running. */
  services?: readonly Service[];
}

export interface Rehearsal {
  node: LocalNode;
  proxy: RpcProxy;
  ca: TestCa;
  nginx: Nginx;
  /** https://127.0.0.1:<port>: the site, as a browser reaches it. */
  origin: string;
  factory: Address;
  /** The launcher's working folder (data, log file, config). */
  work: string;
  configFile: string;
  logFile: string;
  ports: Record<Service, number>;
  /** The secrets the launcher reads from its environment. */
  secrets: Record<string, string>;
  /** Starts one service as its own launcher process and waits until its /ready says so. */
  start(service: Service): Promise<void>;
  kill9(service: Service): Promise<void>;
  close(): Promise<void>;
}

export const SECRETS = {
  RELAYER_PRIVATE_KEY: TEST_KEYS[7]!,
  KEEPER_PRIVATE_KEY: TEST_KEYS[8]!,
  ATTESTER_TOKEN: "rehearsal-organiser-token-0123456789abcdef",
  ATTESTER_DESK_TOKEN: "rehearsal-desk-token-0123456789abcdef",
};

/** Everything up, every service ready; `close()` takes it all down. */
export async function startRehearsal(options: RehearsalOptions): Promise<Rehearsal> {
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const value = await fn();
    options.timing?.(name, Date.now() - t0);
    return value;
  };
  const children = new Map<Service, ChildProcess>();
  const cleanup: (() => Promise<void> | void)[] = [];
  try {
    const node = await timed("chain 84532 started", () => startNode({ chainId: CHAIN_ID }));
    cleanup.push(() => node.stop());
    const proxy = await startRpcProxy(node.url);
    cleanup.push(() => proxy.close());
    const factory = await timed("CreateX, then the contracts through Ignition with CREATE2", async () => {
      // CreateX exists on Base Sepolia as on every chain: its keyless deployment, replayed here.
      const createx = await createXPresigned();
      await node.rpc("hardhat_setBalance", [createx.deployer, toHex(parseEther("1"))]);
      const hash = await node.rpc<Hex>("eth_sendRawTransaction", [createx.tx]);
      for (let i = 0; !(await node.rpc("eth_getTransactionReceipt", [hash])); i++) {
        if (i > 100) throw new Error("CreateX not deployed");
        await new Promise((r) => setTimeout(r, 100));
      }
      return (await deployBascule({ rpcUrl: proxy.url, privateKey: TEST_KEYS[0]! })).factory;
    });

    const work = mkdtempSync(path.join(tmpdir(), "bascule-rehearsal-"));
    cleanup.push(() => rmSync(work, { recursive: true, force: true }));
    const ports = {} as Record<Service, number>;
    for (const s of SERVICES) ports[s] = await freePort();
    const ca = makeCa({ dns: ["bascule.test"], ips: ["127.0.0.1"] });
    cleanup.push(() => rmSync(ca.dir, { recursive: true, force: true }));
    const nginx = await startNginx({
      ca,
      root: options.dist,
      upstreams: {
        rpc: Number(new URL(proxy.url).port),
        relayer: ports.relayer,
        notifier: ports.notifier,
        attester: ports.attester,
        indexer: ports.indexer,
      },
    });
    cleanup.push(() => nginx.stop());
    const origin = `https://127.0.0.1:${nginx.httpsPort}`;
    const configFile = path.join(work, "bascule.config.json");
    const logFile = path.join(work, "bascule.log");
    // A production config: the shape of deploy/bascule.config.example.json, with this machine's ports.
    writeFileSync(
      configFile,
      JSON.stringify({
        chain: { rpcUrl: proxy.url, chainName: "Base Sepolia (rehearsal)", factory },
        publicUrl: `${origin}/`,
        dataDir: path.join(work, "data"),
        host: "127.0.0.1",
        log: { level: "info", file: logFile },
        metrics: { port: 0 },
        services: {
          relayer: { port: ports.relayer, ...options.relayer },
          keeper: { port: ports.keeper, pollMs: 500, confirmations: 1 },
          notifier: { port: ports.notifier, vapidSubject: "mailto:rehearsal@bascule.test", confirmations: 1 },
          attester: { port: ports.attester },
          // Ponder on PGlite under dataDir (the embedded default): what a restart resumes from.
          indexer: { port: ports.indexer },
        },
      }),
    );

    async function start(service: Service) {
      // Its own process group: kill9 then ends the launcher and what it started (Ponder) together.
      const child = spawnNode(
        ["--import", "tsx", "scripts/launch/main.ts", "--config", configFile, "--only", service],
        { cwd: ROOT, env: { ...process.env, ...SECRETS }, stdio: ["ignore", "ignore", "pipe"], detached: true },
      );
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      children.set(service, child);
      for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`${service} exited ${child.exitCode}: ${stderr}`);
        try {
          const r = await fetch(`http://127.0.0.1:${ports[service]}/ready`);
          if (r.status === 200) return;
        } catch {
          // not listening yet
        }
        if (i > 600) throw new Error(`${service} never became ready: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    /**
     * SIGKILL to the service's whole process group: the launcher and, for the indexer, Ponder in
     * the same instant (the lifeline would otherwise give Ponder a polite SIGTERM). Resolves once
     * the launcher has exited and nothing listens on the service's port any more.
     */
    async function kill9(service: Service) {
      const child = children.get(service)!;
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid!, "SIGKILL");
      await exited;
      for (let i = 0; ; i++) {
        try {
          await fetch(`http://127.0.0.1:${ports[service]}/health`, { signal: AbortSignal.timeout(1_000) });
        } catch {
          return;
        }
        if (i > 100) throw new Error(`${service} still answers after kill -9`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    cleanup.push(() => {
      for (const child of children.values())
        if (child.exitCode === null && child.signalCode === null) {
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {
            // already gone
          }
        }
    });
    const running = options.services ?? SERVICES;
    await timed(`the launcher's ${running.length} services ready (one process each)`, async () => {
      for (const s of running) await timed(`${s} ready`, () => start(s));
    });
    return {
      node,
      proxy,
      ca,
      nginx,
      origin,
      factory,
      work,
      configFile,
      logFile,
      ports,
      secrets: SECRETS,
      start,
      kill9,
      close: () => closeAll(cleanup),
    };
  } catch (error) {
    await closeAll(cleanup);
    throw error;
  }
}

async function closeAll(cleanup: (() => Promise<void> | void)[]) {
  for (const step of cleanup.splice(0).reverse()) await Promise.resolve(step()).catch(() => {});
}
