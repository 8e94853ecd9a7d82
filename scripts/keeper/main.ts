/**
 * `npm run keeper`: the keeper as a service, configured from the environment.
 *
 * RPC_URL (default http://127.0.0.1:8545), KEEPER_PRIVATE_KEY (default on a local chain only:
 * Hardhat's test account #8), FACTORY (default: the deterministic Bascule address), POLL_MS (15000),
 * PARTICIPATION_DIR (participation), FROM_BLOCK (0). `--once` runs one pass and exits.
 */
import { mkdir } from "node:fs/promises";
import { type Address, type Hex, createPublicClient, http } from "viem";
import { defaultFactory } from "@bascule/core/deployments";
import { startKeeper } from "./keeper.js";

/** Hardhat's well-known test account #8: only ever used on a local development chain. */
const LOCAL_TEST_KEY = "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97" as Hex;

const env = process.env;
const rpcUrl = env.RPC_URL ?? "http://127.0.0.1:8545";
const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
let privateKey = env.KEEPER_PRIVATE_KEY as Hex | undefined;
if (!privateKey) {
  if (chainId !== 31337) {
    console.error("KEEPER_PRIVATE_KEY is required outside a local chain / KEEPER_PRIVATE_KEY est requis hors chaîne locale");
    process.exit(1);
  }
  privateKey = LOCAL_TEST_KEY;
}
const factory = (env.FACTORY as Address | undefined) ?? defaultFactory(chainId);
const participationDir = env.PARTICIPATION_DIR ?? "participation";
await mkdir(participationDir, { recursive: true });
const keeper = await startKeeper({
  rpcUrl,
  privateKey,
  factory,
  pollMs: Number(env.POLL_MS ?? 15_000),
  participationDir,
  fromBlock: BigInt(env.FROM_BLOCK ?? 0),
});
if (process.argv.includes("--once")) {
  await keeper.poll();
  await keeper.close();
} else {
  const shutdown = () => void keeper.close().then(() => process.exit(0));
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
