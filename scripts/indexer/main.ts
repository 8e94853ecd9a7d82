/**
 * `npm run indexer`: the Ponder indexer (indexer/) as a service, configured from the environment
 * like the keeper and the relayer. `npm start` runs it for you; this is for running it alone
 * (against `npm start`'s chain, or a public one).
 *
 * RPC_URL (default http://127.0.0.1:8545), FACTORY (default: the deterministic Bascule address),
 * FROM_BLOCK (0), PORT (42069), INDEXER_DIR (PGlite folder, default indexer/.ponder/pglite, or a
 * temporary one on a local chain), DATABASE_URL (Postgres, production), DATABASE_SCHEMA,
 * GETLOGS_RANGE (largest eth_getLogs span).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Address, createPublicClient, http } from "viem";
import { defaultFactory } from "@bascule/core/deployments";
import { startIndexer } from "./service.js";

const env = process.env;
const rpcUrl = env.RPC_URL ?? "http://127.0.0.1:8545";
const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
const factory = (env.FACTORY as Address | undefined) ?? defaultFactory(chainId);
const local = chainId === 31337;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const indexer = await startIndexer({
  rpcUrl,
  chainId,
  factory,
  fromBlock: BigInt(env.FROM_BLOCK ?? 0),
  port: Number(env.PORT ?? 42069),
  // A local chain is new at each start: index it into a fresh temporary folder.
  dataDir: env.INDEXER_DIR ?? (local || env.DATABASE_URL ? undefined : path.join(root, "indexer/.ponder/pglite")),
  databaseUrl: env.DATABASE_URL,
  schema: env.DATABASE_SCHEMA,
  getLogsRange: env.GETLOGS_RANGE ? Number(env.GETLOGS_RANGE) : undefined,
  timeoutMs: 24 * 3600_000,
  log: (line) => console.log(line),
});
console.log(`indexer ready on ${indexer.url} (chain ${chainId}, factory ${factory}) / indexeur prêt`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await indexer.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
indexer.child.once("exit", (code) => {
  if (!stopping) process.exit(code ?? 1);
});
