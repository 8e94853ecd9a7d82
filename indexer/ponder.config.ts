/**
 * The indexer's configuration (Ponder): one chain, the factory, and every campaign it creates
 * (factory pattern on `CampaignCreated`). Everything comes from the environment, so the same
 * files serve `npm start` (local Hardhat node, embedded PGlite in a temporary folder) and
 * production (a public chain, Postgres through DATABASE_URL). See docs/indexer.md.
 *
 *   BASCULE_RPC_URL        JSON-RPC endpoint (default http://127.0.0.1:8545)
 *   BASCULE_CHAIN_ID       chain id (default 31337, Hardhat)
 *   BASCULE_FACTORY        the CampaignFactory's address (required)
 *   BASCULE_FROM_BLOCK     the factory's deployment block (default 0)
 *   BASCULE_INDEXER_DIR    PGlite folder when DATABASE_URL is not set (default indexer/.ponder/pglite)
 *   BASCULE_GETLOGS_RANGE  largest eth_getLogs block span (default: Ponder finds it from errors)
 *   DATABASE_URL           Postgres connection string (production)
 */
import { createConfig, factory } from "ponder";
import { getAbiItem } from "viem";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";

const env = process.env;
const factoryAddress = env.BASCULE_FACTORY as `0x${string}` | undefined;
if (!factoryAddress || !/^0x[0-9a-fA-F]{40}$/.test(factoryAddress)) {
  throw new Error("BASCULE_FACTORY must be the CampaignFactory's address (0x…40 hex digits)");
}
const chainId = Number(env.BASCULE_CHAIN_ID ?? 31337);
const startBlock = Number(env.BASCULE_FROM_BLOCK ?? 0);
const local = chainId === 31337 || chainId === 1337;

export default createConfig({
  database: env.DATABASE_URL
    ? { kind: "postgres", connectionString: env.DATABASE_URL }
    : { kind: "pglite", directory: env.BASCULE_INDEXER_DIR || undefined },
  chains: {
    bascule: {
      id: chainId,
      rpc: env.BASCULE_RPC_URL ?? "http://127.0.0.1:8545",
      // A local node mines a block per transaction: poll often. Its chain is new at every start
      // with the same id, so nothing of it may be cached across runs.
      pollingInterval: local ? 250 : 2_000,
      disableCache: local,
      ethGetLogsBlockRange: env.BASCULE_GETLOGS_RANGE ? Number(env.BASCULE_GETLOGS_RANGE) : undefined,
    },
  },
  contracts: {
    CampaignFactory: {
      abi: campaignFactoryAbi,
      chain: "bascule",
      address: factoryAddress,
      startBlock,
    },
    Campaign: {
      abi: campaignAbi,
      chain: "bascule",
      address: factory({
        address: factoryAddress,
        event: getAbiItem({ abi: campaignFactoryAbi, name: "CampaignCreated" }),
        parameter: "campaign",
      }),
      startBlock,
    },
  },
});
