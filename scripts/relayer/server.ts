/**
 * Puts the relayer together: the service (service.ts: checks, store, submitter) behind its HTTP
 * API (routes.ts: Fastify, schemas, limits, OpenAPI). main.ts starts it from the environment.
 * API: docs/operator-guide.md, "Relayer", and GET /v1/openapi.json.
 */
import { type Address, type Hex, createPublicClient, http } from "viem";
import { defaultFactory } from "@bascule/core/deployments";
import { checkTrustProxy } from "./limits.js";
import { buildApp } from "./routes.js";
import { Relayer, type RelayerOptions } from "./service.js";

export type { RelayerOptions } from "./service.js";

export interface RelayerHandle {
  url: string;
  address: Address;
  relayer: Relayer;
  close(): Promise<void>;
}

/** Changes of one pledge key relayed per window, and the window (hours): `KEY_CHANGES`, `KEY_CHANGES_HOURS`. */
export const DEFAULT_KEY_CHANGES = 5;
export const DEFAULT_KEY_CHANGES_HOURS = 24;

/** Thrown at start when no Bascule factory is found: the relayer would have nothing to relay. */
export class NoFactoryError extends Error {
  constructor(factory: Address, chainId: number) {
    super(
      `No Bascule factory at ${factory} on chain ${chainId}: deploy it (npm run deploy) or set FACTORY. / ` +
        `Aucune fabrique Bascule à ${factory} sur la chaîne ${chainId} : déployez-la (npm run deploy) ou indiquez FACTORY.`,
    );
  }
}

/**
 * Starts the relayer's HTTP service and its submitter.
 * @example
 * const relayer = await startRelayer({ rpcUrl, privateKey, port: 0, dbPath: "relayer.db",
 *   corsOrigins: ["http://localhost:5173"], batchSize: 100, batchLatencyMs: 500 });
 * console.log(relayer.url); await relayer.close();
 */
export async function startRelayer(options: RelayerOptions): Promise<RelayerHandle> {
  // Before anything reaches the network: a relayer that trusts every client's X-Forwarded-For does not start.
  const trustProxy = options.trustProxy === undefined ? undefined : checkTrustProxy(options.trustProxy);
  const client = createPublicClient({ transport: http(options.rpcUrl) });
  const chainId = await client.getChainId();
  // Without --factory, the deterministic factory (same address on every chain), as the CLI and keeper do.
  const factory = options.factory ?? defaultFactory(chainId);
  const code = await client.getCode({ address: factory });
  if (!code || code === "0x") throw new NoFactoryError(factory, chainId);
  const relayer = new Relayer(
    {
      maxBodyBytes: 16 * 1024,
      rateLimit: { perSecond: 10, burst: 30 },
      // Off unless asked: `npm run relayer` (main.ts) asks DEFAULT_POW_BITS.
      powBits: 0,
      claimFee: 0n,
      lowBalanceWei: 50_000_000_000_000_000n,
      replaceAfterMs: 60_000,
      maxInFlight: 4,
      chainTimeTtlMs: 1_000,
      recoverWith: "native",
      keyChanges: { max: DEFAULT_KEY_CHANGES, windowMs: DEFAULT_KEY_CHANGES_HOURS * 3_600_000 },
      log: (line) => console.log(`[relayer] ${line}`),
      ...withoutUndefined(options),
      factory,
    },
    chainId,
  );
  const { log } = relayer.options;
  const { app } = await buildApp(relayer, {
    corsOrigins: options.corsOrigins,
    maxBodyBytes: relayer.options.maxBodyBytes,
    rateLimit: relayer.options.rateLimit,
    trustProxy,
    log,
  });
  const host = options.host ?? "127.0.0.1";
  try {
    await app.listen({ port: options.port, host });
  } catch (error) {
    relayer.store.close();
    throw error;
  }
  relayer.start();
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const url = `http://${host !== "0.0.0.0" && host !== "::" ? (host.includes(":") ? `[${host}]` : host) : "127.0.0.1"}:${port}`;
  log(
    `listening on ${url}, chain ${chainId}, factory ${factory}, gas account ${relayer.address}, proof of work ${relayer.options.powBits} bits, ` +
      `${relayer.options.keyChanges.max} changes per key per ${relayer.options.keyChanges.windowMs / 3_600_000} h, ` +
      (trustProxy
        ? `client addresses from X-Forwarded-For as appended by ${trustProxy.join(", ")}`
        : "X-Forwarded-For ignored"),
  );
  return {
    url,
    address: relayer.address,
    relayer,
    async close() {
      await app.close();
      await relayer.stop();
    },
  };
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export type { Hex };
