/**
 * The whole local stack in one process tree: a Hardhat node, the deployed contracts, the demo
 * campaigns, the relayer, the keeper, and the dApp served with its runtime configuration.
 * Used by `npm start` (scripts/start.ts), the end-to-end tests and the dApp benchmark.
 *
 * The dApp's server proxies /rpc to the node and /relayer/ to the relayer, so the browser talks to
 * one origin only (no third-party request, no CORS to configure).
 */
import type { ChildProcess } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Address, createPublicClient, http } from "viem";
import { deployBascule } from "../lib/deployment.js";
import { freePort, rpcCall, spawnHardhatNode } from "../lib/hardhat-node.js";
import { deploymentBlock } from "../lib/replay.js";
import { type RpcLimits, type RpcProxy, startRpcProxy } from "../lib/rpc-limits.js";
import { hardhatKey, ROLES } from "./accounts.js";
import { type SeedResult, seedDemo } from "./seed.js";

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
  /**
   * Put a proxy with public-RPC limits (1,000 blocks and 10,000 results per eth_getLogs, 10 MiB per
   * answer) between the chain and everything else (dApp, relayer, keeper): `npm start` with
   * RPC_LIMITS=1. `true` for the defaults.
   */
  rpcLimits?: boolean | RpcLimits;
  log?: (line: string) => void;
}

export interface Stack {
  url: string;
  rpcUrl: string;
  relayerUrl: string | null;
  chainId: number;
  factory: Address;
  demo: SeedResult | null;
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

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

function proxy(target: string, req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, stripPrefix: string) {
  const url = new URL(target);
  const upstream = httpRequest(
    {
      hostname: url.hostname,
      port: url.port,
      method: req.method,
      path: (url.pathname.replace(/\/$/, "") + (req.url ?? "/").slice(stripPrefix.length)) || "/",
      headers: { ...req.headers, host: url.host },
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "UPSTREAM_DOWN", message: { en: "Service unavailable", fr: "Service indisponible" } } }));
  });
  req.pipe(upstream);
}

/** Serves frontend/dist, /config.json, and proxies /rpc and /relayer/. */
function serveDapp(port: number, config: object, rpcUrl: string, relayerUrl: string | null): Promise<Server> {
  const configJson = JSON.stringify(config);
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    if (pathname === "/rpc") return proxy(rpcUrl, req, res, "/rpc");
    if (pathname.startsWith("/relayer/")) {
      if (!relayerUrl) {
        res.writeHead(503, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "NO_RELAYER", message: { en: "No relayer", fr: "Pas de relais" } } }));
        return;
      }
      return proxy(relayerUrl, req, res, "/relayer");
    }
    if (pathname === "/config.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(configJson);
      return;
    }
    const file = path.join(DIST, path.normalize(pathname === "/" ? "/index.html" : pathname));
    if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    const immutable = pathname.startsWith("/assets/");
    res.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      // No third-party requests: the dApp talks to this origin only.
      "content-security-policy":
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; script-src 'self'",
      "referrer-policy": "no-referrer",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
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
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          if (chain.child.exitCode !== null) return resolve();
          const timer = setTimeout(() => chain.child.kill("SIGKILL"), 5000);
          chain.child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          chain.child.kill("SIGTERM");
        }),
    );
    const deployed = await deployBascule({ rpcUrl: chain.url, privateKey: hardhatKey(ROLES.deployer), log });
    // Log scans start at the factory's deployment block, not at block 0.
    const chainClient = createPublicClient({ transport: http(chain.url) });
    const fromBlock = String((await deploymentBlock(chainClient, deployed.factory, 0n, await chainClient.getBlockNumber())) ?? 0n);
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
      const keeperPath = path.join(ROOT, "scripts/keeper/keeper.ts");
      if (existsSync(keeperPath)) {
        const { startKeeper } = (await import("../keeper/keeper.js")) as {
          startKeeper: (o: { rpcUrl: string; privateKey: `0x${string}`; factory: Address; pollMs: number; participationDir?: string }) => Promise<{ close(): Promise<void> | void }>;
        };
        const keeper = await startKeeper({
          rpcUrl: serviceRpc,
          privateKey: hardhatKey(ROLES.keeper),
          factory: deployed.factory,
          pollMs: options.keeperPollMs ?? 2000,
          participationDir: workDir,
        });
        closers.push(() => keeper.close());
        log("keeper: running");
      } else {
        log("keeper: not available (scripts/keeper/keeper.ts missing); campaigns can be resolved from the dApp");
      }
    }

    const server = await serveDapp(
      port,
      {
        chainId: deployed.chainId,
        chainName: "Hardhat (local)",
        rpcUrl: "./rpc",
        factory: deployed.factory,
        fromBlock,
        relayerUrl: relayerUrl ? "./relayer" : "",
        listMinPledges: 3,
      },
      serviceRpc,
      relayerUrl,
    );
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    server.closeIdleConnections?.();
    closers.push(() => server.closeAllConnections());
    return {
      url: `${origin}/`,
      rpcUrl: chain.url,
      relayerUrl,
      chainId: deployed.chainId,
      factory: deployed.factory,
      demo,
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
