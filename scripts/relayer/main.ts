/**
 * `npm run relayer [-- --pow-bits 20 --factory 0x… --port 8787]`: the relayer as a service.
 *
 * Environment (a flag of the same name wins): RPC_URL (default http://127.0.0.1:8545),
 * RELAYER_PRIVATE_KEY (default on a local chain only: Hardhat's test account #9), PORT (8787),
 * HOST (127.0.0.1), RELAYER_DB (relayer.db), CORS_ORIGINS (comma separated, default
 * http://localhost:5173), BATCH_SIZE (100), BATCH_LATENCY_MS (1000), PROOFS_DIR, FACTORY
 * (default: the deterministic Bascule factory), CLAIM_FEE (0), LOW_BALANCE_WEI, RATE_PER_SECOND
 * (10), RATE_BURST (30), RATE_CAPACITY (100000 prefixes in memory), TRUST_PROXY (unset; "true" or
 * the proxy's addresses, comma separated, when behind a reverse proxy), POW_BITS (20: proof of
 * work on a key's first pledge in an open campaign; 0 turns it off), REPLACE_AFTER_MS.
 *
 * SIGINT/SIGTERM: stops taking requests, lets the submitter finish its step, closes the store.
 * Nothing accepted is lost (it is on disk before "queued" is answered), even on SIGKILL.
 */
import { parseArgs } from "node:util";
import { type Address, type Hex, createPublicClient, http } from "viem";
import { DEFAULT_POW_BITS } from "@bascule/core/pow";
import { startRelayer } from "./server.js";

/** Hardhat's well-known test account #9: only ever used on a local development chain. */
const LOCAL_TEST_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6" as Hex;

const { values: flags } = parseArgs({
  options: {
    "rpc-url": { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    db: { type: "string" },
    factory: { type: "string" },
    "pow-bits": { type: "string" },
    "trust-proxy": { type: "string" },
  },
});
const env = process.env;
const rpcUrl = flags["rpc-url"] ?? env.RPC_URL ?? "http://127.0.0.1:8545";
const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
let privateKey = env.RELAYER_PRIVATE_KEY as Hex | undefined;
if (!privateKey) {
  if (chainId !== 31337) {
    console.error("RELAYER_PRIVATE_KEY is required outside a local chain / RELAYER_PRIVATE_KEY est requis hors chaîne locale");
    process.exit(1);
  }
  privateKey = LOCAL_TEST_KEY;
}
const powBits = Number(flags["pow-bits"] ?? env.POW_BITS ?? DEFAULT_POW_BITS);
if (!Number.isInteger(powBits) || powBits < 0 || powBits > 40) {
  console.error("POW_BITS must be an integer from 0 to 40 / POW_BITS doit être un entier de 0 à 40");
  process.exit(1);
}
const trust = flags["trust-proxy"] ?? env.TRUST_PROXY;
const relayer = await startRelayer({
  rpcUrl,
  privateKey,
  port: Number(flags.port ?? env.PORT ?? 8787),
  host: flags.host ?? env.HOST ?? "127.0.0.1",
  dbPath: flags.db ?? env.RELAYER_DB ?? "relayer.db",
  corsOrigins: (env.CORS_ORIGINS ?? "http://localhost:5173").split(",").map((s) => s.trim()).filter(Boolean),
  batchSize: Number(env.BATCH_SIZE ?? 100),
  batchLatencyMs: Number(env.BATCH_LATENCY_MS ?? 1000),
  proofsDir: env.PROOFS_DIR,
  factory: (flags.factory ?? env.FACTORY) as Address | undefined,
  claimFee: BigInt(env.CLAIM_FEE ?? 0),
  powBits,
  ...(trust ? { trustProxy: trust === "true" ? true : trust.split(",").map((s) => s.trim()) } : {}),
  ...(env.LOW_BALANCE_WEI ? { lowBalanceWei: BigInt(env.LOW_BALANCE_WEI) } : {}),
  ...(env.RATE_PER_SECOND
    ? {
        rateLimit: {
          perSecond: Number(env.RATE_PER_SECOND),
          burst: Number(env.RATE_BURST ?? env.RATE_PER_SECOND),
          ...(env.RATE_CAPACITY ? { capacity: Number(env.RATE_CAPACITY) } : {}),
        },
      }
    : {}),
  ...(env.REPLACE_AFTER_MS ? { replaceAfterMs: Number(env.REPLACE_AFTER_MS) } : {}),
});
console.log(`relayer ${relayer.address} at ${relayer.url}`);
let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  void relayer.close().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
