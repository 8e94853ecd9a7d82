/**
 * `npm run relayer`: the relayer as a service, configured from the environment.
 *
 * RPC_URL (default http://127.0.0.1:8545), RELAYER_PRIVATE_KEY (default on a local chain only:
 * Hardhat's test account #9), PORT (8787), HOST (127.0.0.1), RELAYER_DB (relayer.db),
 * CORS_ORIGINS (comma separated, default http://localhost:5173), BATCH_SIZE (100),
 * BATCH_LATENCY_MS (1000), PROOFS_DIR, FACTORY, CLAIM_FEE (0), LOW_BALANCE_WEI, RATE_PER_SECOND,
 * RATE_BURST.
 */
import { type Address, type Hex, createPublicClient, http } from "viem";
import { startRelayer } from "./server.js";

/** Hardhat's well-known test account #9: only ever used on a local development chain. */
const LOCAL_TEST_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6" as Hex;

const env = process.env;
const rpcUrl = env.RPC_URL ?? "http://127.0.0.1:8545";
const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
let privateKey = env.RELAYER_PRIVATE_KEY as Hex | undefined;
if (!privateKey) {
  if (chainId !== 31337) {
    console.error("RELAYER_PRIVATE_KEY is required outside a local chain / RELAYER_PRIVATE_KEY est requis hors chaîne locale");
    process.exit(1);
  }
  privateKey = LOCAL_TEST_KEY;
}
const relayer = await startRelayer({
  rpcUrl,
  privateKey,
  port: Number(env.PORT ?? 8787),
  host: env.HOST ?? "127.0.0.1",
  dbPath: env.RELAYER_DB ?? "relayer.db",
  corsOrigins: (env.CORS_ORIGINS ?? "http://localhost:5173").split(",").map((s) => s.trim()).filter(Boolean),
  batchSize: Number(env.BATCH_SIZE ?? 100),
  batchLatencyMs: Number(env.BATCH_LATENCY_MS ?? 1000),
  proofsDir: env.PROOFS_DIR,
  factory: env.FACTORY as Address | undefined,
  claimFee: BigInt(env.CLAIM_FEE ?? 0),
  ...(env.LOW_BALANCE_WEI ? { lowBalanceWei: BigInt(env.LOW_BALANCE_WEI) } : {}),
  ...(env.RATE_PER_SECOND
    ? { rateLimit: { perSecond: Number(env.RATE_PER_SECOND), burst: Number(env.RATE_BURST ?? env.RATE_PER_SECOND) } }
    : {}),
  ...(env.REPLACE_AFTER_MS ? { replaceAfterMs: Number(env.REPLACE_AFTER_MS) } : {}),
});
console.log(`relayer ${relayer.address} at ${relayer.url}`);
const shutdown = () => {
  void relayer.close().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
