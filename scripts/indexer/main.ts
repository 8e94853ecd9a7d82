/**
 * `npm run indexer`: the Ponder indexer (indexer/) as a service, configured from the environment
 * (the schema below) like the keeper and the relayer. `npm start` runs it for you; this is for
 * running it alone (against `npm start`'s chain, or a public one).
 *
 * INDEXER_DIR: the PGlite folder (default indexer/.ponder/pglite, or a temporary one on a local
 * chain); DATABASE_URL: Postgres (production); GETLOGS_RANGE: the largest eth_getLogs span.
 * SIGINT/SIGTERM stop Ponder (it resumes from its database); if Ponder exits, so does this.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Type } from "typebox";
import { type Address, createPublicClient, http } from "viem";
import { Address as AddressSchema, Decimal, loadConfig } from "../kit/config.js";
import { stopOnSignal } from "../kit/lifecycle.js";
import { LOCAL_CHAIN_ID } from "../kit/local-key.js";
import { defaultFactory } from "@bascule/core/deployments";
import { startIndexer } from "./service.js";

const Environment = Type.Object({
  RPC_URL: Type.String({ default: "http://127.0.0.1:8545" }),
  FACTORY: Type.Optional(AddressSchema({ description: "Default: the deterministic Bascule address." })),
  FROM_BLOCK: Decimal({ default: "0" }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 42069 }),
  INDEXER_DIR: Type.Optional(Type.String()),
  DATABASE_URL: Type.Optional(Type.String()),
  DATABASE_SCHEMA: Type.Optional(Type.String()),
  GETLOGS_RANGE: Type.Optional(Type.Integer({ minimum: 1 })),
});

const env = loadConfig(Environment);
const chainId = await createPublicClient({ transport: http(env.RPC_URL) }).getChainId();
const factory = (env.FACTORY as Address | undefined) ?? defaultFactory(chainId);
const local = chainId === LOCAL_CHAIN_ID;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const indexer = await startIndexer({
  rpcUrl: env.RPC_URL,
  chainId,
  factory,
  fromBlock: BigInt(env.FROM_BLOCK),
  port: env.PORT,
  // A local chain is new at each start: index it into a fresh temporary folder.
  dataDir: env.INDEXER_DIR ?? (local || env.DATABASE_URL ? undefined : path.join(root, "indexer/.ponder/pglite")),
  databaseUrl: env.DATABASE_URL,
  schema: env.DATABASE_SCHEMA,
  getLogsRange: env.GETLOGS_RANGE,
  timeoutMs: 24 * 3600_000,
  log: (line) => console.log(line),
});
console.log(`indexer ready on ${indexer.url} (chain ${chainId}, factory ${factory}) / indexeur prêt`);

let stopping = false;
stopOnSignal({
  name: "indexer",
  close: [
    () => {
      stopping = true;
    },
    () => indexer.close(),
  ],
});
indexer.child.once("exit", (code) => {
  if (!stopping) process.exit(code ?? 1);
});
