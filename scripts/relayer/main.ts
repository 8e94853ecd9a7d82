/**
 * `npm run relayer [-- --pow-bits 20 --factory 0x… --port 8787]`: the relayer as a service.
 *
 * Its environment is the schema below (a flag of the same name wins). RELAYER_PRIVATE_KEY defaults
 * on a local chain only, to Hardhat's test account #9 (kit/local-key.ts). TRUST_PROXY: unset, or
 * the reverse proxies' addresses or CIDRs (comma separated); "true", a /0 or a hop count stop the
 * relayer at start (limits.ts, checkTrustProxy). POW_BITS: proof of work on a key's first pledge in
 * an open campaign; 0 turns it off. KEY_CHANGES per KEY_CHANGES_HOURS: changes of one pledge key relayed.
 *
 * SIGINT/SIGTERM: stops taking requests, lets the submitter finish its step, closes the store.
 * Nothing accepted is lost (it is on disk before "queued" is answered), even on SIGKILL.
 */
import { Type } from "typebox";
import { type Address, createPublicClient, http } from "viem";
import { DEFAULT_POW_BITS } from "@bascule/core/pow";
import { Decimal, List, PrivateKey, Address as AddressSchema, loadConfig } from "../kit/config.js";
import { stopOnSignal } from "../kit/lifecycle.js";
import { signingKeyOrExit } from "../kit/local-key.js";
import { TrustProxyError, checkTrustProxy } from "./limits.js";
import { DEFAULT_KEY_CHANGES, DEFAULT_KEY_CHANGES_HOURS, startRelayer } from "./server.js";

const Environment = Type.Object({
  RPC_URL: Type.String({ default: "http://127.0.0.1:8545" }),
  RELAYER_PRIVATE_KEY: Type.Optional(PrivateKey()),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8787 }),
  HOST: Type.String({ default: "127.0.0.1" }),
  RELAYER_DB: Type.String({ default: "relayer.db" }),
  CORS_ORIGINS: List({ default: "http://localhost:5173" }),
  BATCH_SIZE: Type.Integer({ minimum: 1, default: 100 }),
  BATCH_LATENCY_MS: Type.Integer({ minimum: 0, default: 1000 }),
  PROOFS_DIR: Type.Optional(Type.String()),
  FACTORY: Type.Optional(AddressSchema({ description: "Default: the deterministic Bascule factory." })),
  CLAIM_FEE: Decimal({ default: "0" }),
  LOW_BALANCE_WEI: Type.Optional(Decimal()),
  RATE_PER_SECOND: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  RATE_BURST: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  RATE_CAPACITY: Type.Optional(
    Type.Integer({ minimum: 1, description: "Client prefixes kept in memory (default 100000)." }),
  ),
  TRUST_PROXY: Type.Optional(Type.String()),
  POW_BITS: Type.Integer({ minimum: 0, maximum: 40, default: DEFAULT_POW_BITS }),
  REPLACE_AFTER_MS: Type.Optional(Type.Integer({ minimum: 0 })),
  KEY_CHANGES: Type.Integer({ minimum: 0, default: DEFAULT_KEY_CHANGES }),
  KEY_CHANGES_HOURS: Type.Number({ exclusiveMinimum: 0, default: DEFAULT_KEY_CHANGES_HOURS }),
});

const env = loadConfig(Environment, {
  flags: {
    "rpc-url": "RPC_URL",
    port: "PORT",
    host: "HOST",
    db: "RELAYER_DB",
    factory: "FACTORY",
    "pow-bits": "POW_BITS",
    "trust-proxy": "TRUST_PROXY",
  },
});
let trustProxy: string[] | undefined;
try {
  trustProxy = env.TRUST_PROXY ? checkTrustProxy(env.TRUST_PROXY) : undefined;
} catch (error) {
  if (!(error instanceof TrustProxyError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const chainId = await createPublicClient({ transport: http(env.RPC_URL) }).getChainId();
const privateKey = signingKeyOrExit({
  given: env.RELAYER_PRIVATE_KEY,
  variable: "RELAYER_PRIVATE_KEY",
  chainId,
  testAccount: 9,
});
const relayer = await startRelayer({
  rpcUrl: env.RPC_URL,
  privateKey,
  port: env.PORT,
  host: env.HOST,
  dbPath: env.RELAYER_DB,
  corsOrigins: env.CORS_ORIGINS.map((s) => s.trim()).filter(Boolean),
  batchSize: env.BATCH_SIZE,
  batchLatencyMs: env.BATCH_LATENCY_MS,
  proofsDir: env.PROOFS_DIR,
  factory: env.FACTORY as Address | undefined,
  claimFee: BigInt(env.CLAIM_FEE),
  powBits: env.POW_BITS,
  ...(trustProxy ? { trustProxy } : {}),
  keyChanges: { max: env.KEY_CHANGES, windowMs: env.KEY_CHANGES_HOURS * 3_600_000 },
  ...(env.LOW_BALANCE_WEI ? { lowBalanceWei: BigInt(env.LOW_BALANCE_WEI) } : {}),
  ...(env.RATE_PER_SECOND
    ? {
        rateLimit: {
          perSecond: env.RATE_PER_SECOND,
          burst: env.RATE_BURST ?? env.RATE_PER_SECOND,
          ...(env.RATE_CAPACITY ? { capacity: env.RATE_CAPACITY } : {}),
        },
      }
    : {}),
  ...(env.REPLACE_AFTER_MS !== undefined ? { replaceAfterMs: env.REPLACE_AFTER_MS } : {}),
});
console.log(`relayer ${relayer.address} at ${relayer.url}`);
stopOnSignal({ name: "relayer", close: [() => relayer.close()] });
