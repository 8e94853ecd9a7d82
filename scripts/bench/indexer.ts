/**
 * The indexer's catch-up time: how long Ponder takes, from a cold start, to index a chain that
 * already holds N pledges (bench:scale calls `measureIndexerCatchUp` after
 * its own seeding).
 *
 *   npm run bench:indexer -- 10000       seeds 10,000 pledges into one campaign on a fresh local
 *                                         node, then measures; prints the figures and one JSON line
 *   npm run bench:indexer -- 10000 --recent   the same with the pledges in the last 30 blocks
 *
 * Figures: boot (process start to Ponder's HTTP server: build, database), catch-up (from there to
 * the chain's latest block indexed), total, and events per second of catch-up.
 */
import { appendFileSync } from "node:fs";
import type { Address } from "viem";
import { hardhatKey, ROLES } from "../demo/accounts.js";
import { startIndexer } from "../indexer/service.js";
import { deployBascule } from "../lib/deployment.js";
import { freePort, rpcCall, spawnHardhatNode } from "../lib/hardhat-node.js";
import { seedBenchCampaign } from "./seed.js";

const LADDER = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000,
];

export interface IndexerCatchUp {
  /** Process start to Ponder's HTTP server answering (/health): build and database. */
  bootSeconds: number;
  /** From there to the chain's latest block indexed. */
  catchUpSeconds: number;
  totalSeconds: number;
  /** The chain's latest block when the measure started. */
  blocks: number;
}

/**
 * Starts the indexer cold (new PGlite folder) on a chain that already holds the history, and
 * times it until it has indexed the latest block; stops it.
 * @example const { totalSeconds } = await measureIndexerCatchUp({ rpcUrl, chainId: 31337, factory });
 */
export async function measureIndexerCatchUp(p: {
  rpcUrl: string;
  chainId: number;
  factory: Address;
  fromBlock?: bigint;
  /**
   * Mine 64 empty blocks first (local node only), so the whole history is older than Ponder's
   * finality depth (30 blocks) and is read by its batched backfill, as on a live chain where the
   * history spans many blocks; otherwise the last 30 blocks go through its block-by-block
   * realtime path, much slower when they hold thousands of events each.
   */
  finalise?: boolean;
  /** Ponder's log lines (JSON), e.g. to a file. */
  log?: (line: string) => void;
}): Promise<IndexerCatchUp> {
  // One evm_mine at a time: hardhat_mine's reserved blocks get their hashes lazily, which Ponder
  // takes for an unrecoverable reorganisation.
  if (p.finalise) for (let i = 0; i < 64; i++) await rpcCall(p.rpcUrl, "evm_mine");
  const latest = Number(BigInt(await rpcCall<string>(p.rpcUrl, "eth_blockNumber")));
  const started = performance.now();
  const indexer = await startIndexer({
    rpcUrl: p.rpcUrl,
    chainId: p.chainId,
    factory: p.factory,
    fromBlock: p.fromBlock,
    waitReady: false,
    log: p.log,
  });
  try {
    for (;;) {
      if (indexer.child.exitCode !== null) throw new Error("the indexer exited during the benchmark");
      try {
        if ((await fetch(`${indexer.url}/health`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const booted = performance.now();
    await indexer.waitForBlock(latest, 3_600_000);
    const done = performance.now();
    return {
      bootSeconds: (booted - started) / 1000,
      catchUpSeconds: (done - booted) / 1000,
      totalSeconds: (done - started) / 1000,
      blocks: latest,
    };
  } finally {
    await indexer.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pledges = Number(process.argv[2] ?? 10_000);
  if (!Number.isSafeInteger(pledges) || pledges < 1) {
    console.error("usage: npm run bench:indexer -- <number of pledges>");
    process.exit(2);
  }
  const { url, child } = await spawnHardhatNode(await freePort());
  try {
    const { factory, chainId } = await deployBascule({ rpcUrl: url, privateKey: hardhatKey(ROLES.deployer) });
    const seedStart = performance.now();
    // 1-2-5 ladder up to 1,000,000; no empty blocks between batches (--recent puts them all in the last 30 blocks).
    await seedBenchCampaign({ rpcUrl: url, factory, pledges, ladder: LADDER, log: console.log });
    console.log(`seeded ${pledges} pledges in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const finalise = !process.argv.includes("--recent");
    const logFile = process.env.BENCH_INDEXER_LOG;
    const r = await measureIndexerCatchUp({
      rpcUrl: url,
      chainId,
      factory,
      finalise,
      log: logFile ? (l) => appendFileSync(logFile, `${l}\n`) : undefined,
    });
    console.log(
      `indexer catch-up for ${pledges.toLocaleString("en")} pledges (${r.blocks} blocks, ${finalise ? "history final: batched backfill" : "--recent: last 30 blocks block by block"}):`,
    );
    console.log(`  boot (build, database)   ${r.bootSeconds.toFixed(1)} s`);
    console.log(
      `  catch-up                 ${r.catchUpSeconds.toFixed(1)} s (${Math.round(pledges / r.catchUpSeconds)} events/s)`,
    );
    console.log(`  total                    ${r.totalSeconds.toFixed(1)} s`);
    console.log(JSON.stringify({ pledges, finalise, ...r }));
  } finally {
    child.kill("SIGTERM");
  }
}
