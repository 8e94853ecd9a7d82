/**
 * The production launcher: the services a config file names (scripts/launch/config.ts), in one
 * process, against its RPC URL. `npm run serve -- --config bascule.config.json` (main.ts) in
 * production; `npm start` (scripts/start.ts, through scripts/demo/stack.ts) with the demo config,
 * after starting a local chain, deploying and seeding it. One path for both.
 *
 * - Secrets from `options.env` (the environment, filled from Hardhat's keystore with --keystore): RELAYER_PRIVATE_KEY, KEEPER_PRIVATE_KEY (on a local chain,
 *   Hardhat's public test accounts #9 and #8 otherwise, kit/local-key.ts), ATTESTER_TOKEN and
 *   ATTESTER_DESK_TOKEN (made up on a local chain), DATABASE_URL (the indexer on Postgres).
 * - Every store under `dataDir`: relayer.db, notifier/ (notifier.db, vapid.json), attester.db,
 *   federation/ (federation.db, with the campaign actors' keys),
 *   participation/ (the keeper's files and the proofs the relayer serves), indexer/ (PGlite).
 * - Each service on its own port with `GET /health` (live) and `GET /ready` (chain reachable, store
 *   open, caught up; 503 otherwise); the keeper gets a port for these only; the indexer's are
 *   Ponder's own. `GET /metrics` (Prometheus text) on the metrics port (metrics.ts).
 * - Logs: one JSON line per event through pino (Fastify's logger), with the service's name; no
 *   request is logged, and an IP address in a line is replaced by "[ip]" (scrub below).
 * - `close()` stops taking requests (the dApp's server and every HTTP side first), then lets each
 *   service finish its step (the relayer's submitter, the keeper's pass, the notifier's delivery),
 *   then closes the stores and the indexer. Everything accepted was on disk before it was answered.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import { pino, type Logger } from "pino";
import { type Address, type Hex, createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { defaultFactory } from "@bascule/core/deployments";
import { DEFAULT_POW_BITS } from "@bascule/core/pow";
import { deploymentBlock } from "@bascule/core/replay";
import { HTTP_ERRORS } from "../kit/errors.js";
import { type Readiness, type ServiceApp, readiness, serviceApp } from "../kit/http.js";
import { LOCAL_CHAIN_ID, signingKey } from "../kit/local-key.js";
import type { AttesterHandle } from "../attester/server.js";
import type { RunningFederation } from "../federation/service.js";
import type { IndexerHandle } from "../indexer/service.js";
import type { KeeperHandle } from "../keeper/service.js";
import type { Notifier } from "../notifier/service.js";
import type { RelayerHandle } from "../relayer/server.js";
import { DEFAULT_PORTS, type LaunchConfig, SERVICES, type ServiceName } from "./config.js";
import { launcherMetrics } from "./metrics.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface LaunchOptions {
  /** Where secrets and RPC_URL are read (default process.env). */
  env?: Record<string, string | undefined>;
  /** Run only these of the services the file names (`--only relayer,keeper`). */
  only?: readonly ServiceName[];
  /** Default: pino to config.log.file, or to stdout. */
  logger?: Logger;
  /** What only the tests and the demo set (never in a file). */
  overrides?: {
    /** Push service hosts the notifier accepts over plain http (a local stand-in). */
    insecurePushHosts?: string[];
    /** The dApp's chain name when the file gives none. */
    chainName?: string;
    /**
     * Serve the federation over https directly with this certificate (PEM), and trust `ca` for its
     * deliveries: the local demo's own CA (scripts/demo/tls.ts).
     */
    federationTls?: { key: string; cert: string; ca: string };
  };
}

export interface Launched {
  chainId: number;
  factory: Address;
  fromBlock: bigint;
  /** Each running service's own URL (the dApp's is its listening address). */
  urls: Partial<Record<ServiceName | "metrics", string>>;
  relayer: RelayerHandle | null;
  keeper: KeeperHandle | null;
  notifier: Notifier | null;
  attester: (AttesterHandle & { token: string; deskToken: string | undefined }) | null;
  indexer: IndexerHandle | null;
  federation: RunningFederation | null;
  dapp: FastifyInstance | null;
  logger: Logger;
  close(): Promise<void>;
}

/** The launcher cannot start: why, in English and French. */
export class LaunchError extends Error {
  constructor(en: string, fr: string) {
    super(`${en} / ${fr}`);
    this.name = "LaunchError";
  }
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
/** IPv6: eight groups, or fewer with "::" (a time such as 18:42:40 is neither). */
const IPV6 =
  /\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\b|(?:\b[0-9a-fA-F]{1,4})?(?::[0-9a-fA-F]{1,4})*::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?/g;
const OWN = new Set(["127.0.0.1", "0.0.0.0", "::1", "::"]);

/**
 * A log line without IP addresses: a client's address is personal data, and a log is copied and
 * kept. This machine's own loopback and "any" addresses stay (they name no one).
 * @example scrub("from 203.0.113.7 and 2001:db8::7") // "from [ip] and [ip]"
 */
export function scrub(line: string): string {
  return line.replace(IPV4, (ip) => (OWN.has(ip) ? ip : "[ip]")).replace(IPV6, (ip) => (OWN.has(ip) ? ip : "[ip]"));
}

/** A logger for the launcher: JSON lines to `file` (created 0600) or stdout. */
export function launcherLogger(config: Pick<LaunchConfig, "log">): Logger {
  const level = config.log?.level ?? "info";
  const destination = config.log?.file
    ? pino.destination({ dest: config.log.file, mkdir: true, sync: false, mode: 0o600 } as never)
    : pino.destination(1);
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** A service's `log(line)`: a pino line under its name, scrubbed. */
function lineLogger(logger: Logger, service: string): (line: string) => void {
  const child = logger.child({ service });
  return (line) => child.info(scrub(line));
}

const ADDRESS = /\b0x[0-9a-fA-F]{40}\b/g;

/**
 * A service's internal route errors: a pino error line under its name, without IP addresses and
 * without any 20-byte address. An error's message is not ours to choose (SQLite, viem, a library):
 * it may quote what the request carried, and the attester's desk routes carry claims' pledge keys.
 * @example routeErrors(logger, "attester")("error: boom for 0x" + "ab".repeat(20)) // … "boom for [address]"
 */
export function routeErrors(logger: Logger, service: string): (line: string) => void {
  const child = logger.child({ service });
  return (line) => child.error(scrub(line).replace(ADDRESS, "[address]"));
}

/**
 * Starts the services of `config` (or `only` of them); resolves once each listens.
 * @example const launched = await launch(readLaunchConfig("bascule.config.json")); …; await launched.close();
 */
export async function launch(config: LaunchConfig, options: LaunchOptions = {}): Promise<Launched> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? launcherLogger(config);
  const log = lineLogger(logger, "launcher");
  const chosen = new Set(
    SERVICES.filter((name) => config.services[name] && (!options.only || options.only.includes(name))),
  );
  const rpcUrl = env.RPC_URL || config.chain.rpcUrl;
  if (!rpcUrl)
    throw new LaunchError("no RPC URL: set chain.rpcUrl or RPC_URL", "pas d’URL RPC : chain.rpcUrl ou RPC_URL");
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 1, timeout: 10_000 }) });
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch {
    throw new LaunchError(
      "the chain does not answer at the RPC URL: check chain.rpcUrl (or RPC_URL)",
      "la chaîne ne répond pas à l’URL RPC : vérifiez chain.rpcUrl (ou RPC_URL)",
    );
  }
  const factory = (config.chain.factory as Address | undefined) ?? defaultFactory(chainId);
  const code = await client.getCode({ address: factory });
  if (!code || code === "0x")
    throw new LaunchError(
      `no Bascule factory at ${factory} on chain ${chainId}: deploy it or set chain.factory`,
      `aucune fabrique Bascule à ${factory} sur la chaîne ${chainId} : déployez-la ou indiquez chain.factory`,
    );
  const fromBlock =
    config.chain.fromBlock !== undefined
      ? BigInt(config.chain.fromBlock)
      : ((await deploymentBlock(client, factory, 0n, await client.getBlockNumber())) ?? 0n);
  const local = chainId === LOCAL_CHAIN_ID;
  const key = (variable: "RELAYER_PRIVATE_KEY" | "KEEPER_PRIVATE_KEY", testAccount: number): Hex => {
    const given = env[variable] || undefined;
    if (given && !/^0x[0-9a-fA-F]{64}$/.test(given))
      throw new LaunchError(
        `${variable} is not a private key (0x and 64 hex digits)`,
        `${variable} n’est pas une clé privée (0x et 64 chiffres hexadécimaux)`,
      );
    try {
      return signingKey({ given, variable, chainId, testAccount });
    } catch (error) {
      throw new LaunchError((error as Error).message.split(" / ")[0], (error as Error).message.split(" / ")[1] ?? "");
    }
  };
  const relayerKey = chosen.has("relayer") ? key("RELAYER_PRIVATE_KEY", 9) : null;
  const keeperKey = chosen.has("keeper") ? key("KEEPER_PRIVATE_KEY", 8) : null;
  if (chosen.has("attester") && !env.ATTESTER_TOKEN && !local)
    throw new LaunchError(
      "ATTESTER_TOKEN is required outside a local chain (the organiser's token: keep it across restarts)",
      "ATTESTER_TOKEN est requis hors chaîne locale (le jeton d’organisation : gardez-le d’un démarrage à l’autre)",
    );

  const host = config.host ?? "127.0.0.1";
  const dataDir = path.resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const participationDir = path.join(dataDir, "participation");
  mkdirSync(participationDir, { recursive: true });
  const publicUrl = config.publicUrl.endsWith("/") ? config.publicUrl : `${config.publicUrl}/`;
  const appOrigin = new URL(publicUrl).origin;
  const portOf = (name: ServiceName) => (config.services[name] as { port?: number }).port ?? DEFAULT_PORTS[name];

  const closers: { name: string; close: () => Promise<void> | void }[] = [];
  const ready: Record<string, () => Promise<Readiness>> = {};
  const launched: Launched = {
    chainId,
    factory,
    fromBlock,
    urls: {},
    relayer: null,
    keeper: null,
    notifier: null,
    attester: null,
    indexer: null,
    federation: null,
    dapp: null,
    logger,
    close: async () => {
      // In order: the HTTP sides first (closers were pushed so), then the work, then the stores.
      for (const { name, close } of closers) {
        try {
          await close();
        } catch (error) {
          log(`${name}: ${(error as Error).message}`);
        }
      }
      closers.length = 0;
      log("stopped / arrêté");
      logger.flush();
    },
  };
  const httpClosers: typeof closers = [];
  const workClosers: typeof closers = [];

  try {
    if (chosen.has("indexer")) {
      const { startIndexer } = await import("../indexer/service.js");
      const indexerLog = logger.child({ service: "indexer" });
      const indexer = await startIndexer({
        rpcUrl,
        chainId,
        factory,
        fromBlock,
        port: portOf("indexer") || undefined,
        dataDir: env.DATABASE_URL ? undefined : path.join(dataDir, "indexer"),
        databaseUrl: env.DATABASE_URL || undefined,
        schema: config.services.indexer?.schema,
        getLogsRange: config.services.indexer?.getLogsRange,
        waitReady: false,
        // Ponder's own JSON lines: its warnings and errors as such, the rest at debug.
        log: (line) => {
          let level = 30;
          let msg = line;
          try {
            const parsed = JSON.parse(line) as { level?: number; msg?: string };
            level = parsed.level ?? 30;
            msg = parsed.msg ?? line;
          } catch {
            // not JSON: as it is
          }
          const text = scrub(msg);
          if (level >= 50) indexerLog.error(text);
          else if (level >= 40) indexerLog.warn(text);
          else indexerLog.debug(text);
        },
      });
      launched.indexer = indexer;
      launched.urls.indexer = indexer.url;
      ready.indexer = async () =>
        readiness({
          ponder: async () => {
            const response = await fetch(`${indexer.url}/ready`, { signal: AbortSignal.timeout(3_000) });
            return response.ok ? true : `Ponder's /ready answers ${response.status}`;
          },
        });
      workClosers.push({ name: "indexer", close: () => indexer.close() });
    }

    if (chosen.has("relayer") && relayerKey) {
      const { startRelayer } = await import("../relayer/server.js");
      const r = config.services.relayer!;
      const relayer = await startRelayer({
        rpcUrl,
        privateKey: relayerKey,
        port: portOf("relayer"),
        host,
        dbPath: path.join(dataDir, "relayer.db"),
        corsOrigins: r.corsOrigins ?? [appOrigin],
        batchSize: r.batchSize ?? 100,
        batchLatencyMs: r.batchLatencyMs ?? 1000,
        proofsDir: participationDir,
        factory,
        // As `npm run relayer`: a proof of work on a key's first pledge unless the file says otherwise.
        powBits: r.powBits ?? DEFAULT_POW_BITS,
        ...(r.claimFee !== undefined ? { claimFee: BigInt(r.claimFee) } : {}),
        ...(r.lowBalanceWei !== undefined ? { lowBalanceWei: BigInt(r.lowBalanceWei) } : {}),
        ...(r.trustProxy ? { trustProxy: r.trustProxy } : {}),
        ...(r.ratePerSecond
          ? { rateLimit: { perSecond: r.ratePerSecond, burst: r.rateBurst ?? r.ratePerSecond } }
          : {}),
        ...(r.replaceAfterMs !== undefined ? { replaceAfterMs: r.replaceAfterMs } : {}),
        ...(r.keyChanges !== undefined || r.keyChangesHours !== undefined
          ? { keyChanges: { max: r.keyChanges ?? 5, windowMs: (r.keyChangesHours ?? 24) * 3_600_000 } }
          : {}),
        log: lineLogger(logger, "relayer"),
      });
      launched.relayer = relayer;
      launched.urls.relayer = relayer.url;
      ready.relayer = () => relayer.relayer.readiness();
      // relayer.close() closes its HTTP side, then lets the submitter finish, then the store.
      httpClosers.push({ name: "relayer", close: () => relayer.close() });
    }

    if (chosen.has("keeper") && keeperKey) {
      const { startKeeper } = await import("../keeper/service.js");
      const k = config.services.keeper!;
      const pollMs = k.pollMs ?? 15_000;
      const keeper = await startKeeper({
        rpcUrl,
        privateKey: keeperKey,
        factory,
        pollMs,
        participationDir,
        fromBlock,
        ...(k.confirmations !== undefined ? { confirmations: k.confirmations } : {}),
        log: lineLogger(logger, "keeper"),
      });
      launched.keeper = keeper;
      workClosers.unshift({ name: "keeper", close: () => keeper.close() });
      ready.keeper = () => keeper.readiness();
      const app = await opsApp("Bascule keeper", ready.keeper, lineLogger(logger, "keeper"));
      launched.urls.keeper = await app.listen({ port: portOf("keeper"), host });
      httpClosers.push({ name: "keeper http", close: () => app.close() });
    }

    if (chosen.has("notifier")) {
      const { Notifier, loadOrCreateVapidKeys } = await import("../notifier/service.js");
      const { buildRoutes } = await import("../notifier/routes.js");
      const n = config.services.notifier!;
      const notifierDir = path.join(dataDir, "notifier");
      mkdirSync(notifierDir, { recursive: true, mode: 0o700 });
      const notifier = new Notifier({
        rpcUrl,
        factory,
        dbPath: path.join(notifierDir, "notifier.db"),
        vapid: loadOrCreateVapidKeys(notifierDir),
        vapidSubject: n.vapidSubject,
        appUrl: publicUrl,
        pollMs: n.pollMs ?? 5000,
        confirmations: n.confirmations ?? (local ? 0 : 2),
        fromBlock,
        timeZone: n.timeZone,
        ...(n.pushHosts ? { pushHosts: n.pushHosts } : {}),
        ...(options.overrides?.insecurePushHosts ? { insecurePushHosts: options.overrides.insecurePushHosts } : {}),
        log: lineLogger(logger, "notifier"),
      });
      const app = await buildRoutes(notifier, {
        corsOrigins: [appOrigin],
        publicUrl: n.publicUrl ?? `${publicUrl}notifier/`,
        log: routeErrors(logger, "notifier"),
      });
      launched.urls.notifier = await app.listen({ port: portOf("notifier"), host });
      notifier.start();
      launched.notifier = notifier;
      ready.notifier = () => notifier.readiness();
      // Stop serving first, then let the notifier finish its pass (undelivered messages stay stored).
      httpClosers.push({ name: "notifier http", close: () => app.close() });
      workClosers.push({ name: "notifier", close: () => notifier.close() });
    }

    if (chosen.has("attester")) {
      const { startAttester } = await import("../attester/server.js");
      const token = env.ATTESTER_TOKEN || randomBytes(24).toString("base64url");
      const deskToken = env.ATTESTER_DESK_TOKEN || (local ? randomBytes(24).toString("base64url") : undefined);
      const attester = await startAttester({
        port: portOf("attester"),
        host,
        dbPath: path.join(dataDir, "attester.db"),
        corsOrigins: [appOrigin],
        token,
        deskToken,
        log: routeErrors(logger, "attester"),
      });
      launched.attester = { ...attester, token, deskToken };
      launched.urls.attester = attester.url;
      ready.attester = async () => {
        const response = await fetch(`${attester.url}/ready`);
        return (await response.json()) as Readiness;
      };
      httpClosers.push({ name: "attester", close: () => attester.close() });
    }

    if (chosen.has("federation")) {
      const f = config.services.federation!;
      // The fediverse looks actors up over https; plain http (allowed to localhost by the schema)
      // only on the local chain, where nothing outside this machine can follow anyway.
      const refused = federationUrlRefusal(f.publicUrl, chainId) ?? federationGuardRefusal(f, chainId);
      if (refused) throw refused;
      const { startFederation } = await import("../federation/service.js");
      const federationDir = path.join(dataDir, "federation");
      mkdirSync(federationDir, { recursive: true, mode: 0o700 });
      const federationLog = lineLogger(logger, "federation");
      if (!launched.urls.notifier) federationLog("no notifier in this launch: no announcement will be published");
      if (f.allowPrivateAddress) federationLog("allowPrivateAddress: the SSRF guards are off (local demo only)");
      const tls = options.overrides?.federationTls;
      const federation = await startFederation({
        rpcUrl,
        factory,
        dbPath: path.join(federationDir, "federation.db"),
        publicUrl: f.publicUrl,
        appUrl: publicUrl,
        // Announcements from the notifier this launch started (its own listening address).
        ...(launched.urls.notifier ? { notifierUrl: `${launched.urls.notifier}/` } : {}),
        pollMs: f.pollMs ?? 15_000,
        confirmations: f.confirmations ?? (local ? 0 : 2),
        fromBlock,
        timeZone: f.timeZone,
        bodyLimit: f.bodyLimit,
        maxFollowers: f.maxFollowers,
        trustProxy: f.trustProxy ?? false,
        allowPrivateAddress: f.allowPrivateAddress ?? false,
        ...(tls ? { tls: { key: tls.key, cert: tls.cert }, ca: [tls.ca] } : {}),
        port: portOf("federation"),
        host,
        log: federationLog,
      });
      launched.federation = federation;
      launched.urls.federation = federation.url;
      ready.federation = () => federation.service.readiness();
      // Its close stops its HTTP side, then its watch loop, then its store: before the notifier
      // stops serving the announcements it reads.
      const notifierAt = httpClosers.findIndex((c) => c.name === "notifier http");
      httpClosers.splice(notifierAt < 0 ? httpClosers.length : notifierAt, 0, {
        name: "federation",
        close: () => federation.close(),
      });
    }

    if (chosen.has("dapp")) {
      const { serveDapp } = await import("../demo/server.js");
      const d = config.services.dapp!;
      const dist = path.resolve(ROOT, d.dist ?? "frontend/dist");
      const dapp = await serveDapp({
        port: portOf("dapp"),
        host,
        dist,
        config: {
          chainId,
          chainName: config.chain.chainName ?? options.overrides?.chainName ?? `Chain ${chainId}`,
          rpcUrl: "./rpc",
          factory,
          fromBlock: String(fromBlock),
          relayerUrl: launched.relayer ? "./relayer" : "",
          indexerUrl: launched.indexer ? "./indexer" : "",
          notifierUrl: launched.notifier ? "./notifier" : "",
          listMinPledges: d.listMinPledges ?? 3,
          // The union officer's create page offers this attester, and names this keeper as the
          // participation oracle when the check-in list goes through the relayer.
          attesterUrl: launched.attester ? "./attester" : "",
          ...(keeperKey ? { keeperAddress: privateKeyToAccount(keeperKey).address } : {}),
          // The campaign page shows "@campaign-0x…@<host>" to follow from Mastodon or Mobilizon.
          ...(launched.federation ? { federationHost: new URL(config.services.federation!.publicUrl).host } : {}),
          ...(d.walletConnectProjectId ? { walletConnectProjectId: d.walletConnectProjectId } : {}),
        },
        upstreams: {
          rpc: rpcUrl,
          relayer: launched.urls.relayer ?? null,
          indexer: launched.urls.indexer ?? null,
          attester: launched.urls.attester ?? null,
          notifier: launched.urls.notifier ?? null,
        },
      });
      launched.dapp = dapp;
      const address = dapp.server.address();
      const port = typeof address === "object" && address ? address.port : portOf("dapp");
      launched.urls.dapp = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
      ready.dapp = async () => (await dapp.inject({ url: "/ready" })).json() as Readiness;
      httpClosers.unshift({ name: "dapp", close: () => dapp.close() });
    }

    const registry = launcherMetrics({
      client: client as never,
      relayer: launched.relayer?.relayer,
      notifier: launched.notifier ?? undefined,
      keeper: launched.keeper ?? undefined,
      indexer: launched.indexer ?? undefined,
      ready,
    });
    const metrics = Fastify({ logger: false, forceCloseConnections: true });
    metrics.get("/metrics", async (_request, reply) =>
      reply.header("content-type", registry.contentType).send(await registry.metrics()),
    );
    metrics.get("/health", async () => ({ ok: true }));
    metrics.get("/ready", async (_request, reply) => {
      const each = await Promise.all(Object.entries(ready).map(async ([name, r]) => [name, await r()] as const));
      const all = each.every(([, r]) => r.ready);
      return reply.code(all ? 200 : 503).send({ ready: all, services: Object.fromEntries(each) });
    });
    launched.urls.metrics = await metrics.listen({ port: config.metrics?.port ?? DEFAULT_PORTS.metrics, host });
    httpClosers.unshift({ name: "metrics", close: () => metrics.close() });
  } catch (error) {
    closers.push(...httpClosers, ...workClosers);
    await launched.close();
    throw error;
  }
  closers.push(...httpClosers, ...workClosers);
  // The one line that says where everything is (the tests and an operator read it).
  logger.info(
    { service: "launcher", urls: launched.urls },
    `running ${[...chosen].join(", ")} on chain ${chainId}, factory ${factory}, data in ${dataDir} / en marche`,
  );
  return launched;
}

/**
 * Why the federation's public URL cannot serve on this chain, or null: the fediverse looks actors up
 * over https, so plain http (which the config allows to localhost) only on the local chain.
 * @example federationUrlRefusal("http://localhost:8791", 84532) // a LaunchError
 */
export function federationUrlRefusal(publicUrl: string, chainId: number): LaunchError | null {
  if (new URL(publicUrl).protocol === "https:" || chainId === LOCAL_CHAIN_ID) return null;
  return new LaunchError(
    `services.federation.publicUrl must be https outside the local chain (chain ${chainId})`,
    `services.federation.publicUrl doit être en https hors chaîne locale (chaîne ${chainId})`,
  );
}

/**
 * Why the federation's guards against loopback and private addresses cannot be lifted on this
 * chain, or null: `allowPrivateAddress` lets any stranger's actor document point the service at
 * this machine's own ports or the operator's network, so it is for the local demo chain only.
 * @example federationGuardRefusal({ allowPrivateAddress: true }, 84532) // a LaunchError
 */
export function federationGuardRefusal(
  federation: { allowPrivateAddress?: boolean },
  chainId: number,
): LaunchError | null {
  if (!federation.allowPrivateAddress || chainId === LOCAL_CHAIN_ID) return null;
  return new LaunchError(
    `services.federation.allowPrivateAddress is for the local demo chain only (chain ${chainId}): remove it`,
    `services.federation.allowPrivateAddress est réservé à la chaîne locale de démonstration (chaîne ${chainId})\u202f: retirez-le`,
  );
}

/** The keeper's HTTP side: /health and /ready only (it takes no request). */
async function opsApp(
  title: string,
  ready: () => Promise<Readiness>,
  log: (line: string) => void,
): Promise<ServiceApp> {
  return serviceApp({
    errors: HTTP_ERRORS,
    bodyLimit: 1024,
    openapi: { title, description: "Liveness and readiness only." },
    log,
    ready,
  });
}
