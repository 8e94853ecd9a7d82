/**
 * Extra measurements for `npm run bench:scale`, run after the dApp and CLI figures for each size.
 * The indexer's: a cold Ponder (new PGlite folder) started on the bench's chain behind the limiting
 * proxy, timed until it has indexed the latest block, i.e. the campaign's whole history.
 */
import type { Address } from "viem";
import type { Stack } from "../demo/stack.js";
import { measureIndexerCatchUp } from "./indexer.js";

export type ScaleHook = (context: {
  stack: Stack;
  campaign: Address;
  pledges: number;
}) => Promise<Record<string, string>>;

const indexerCatchUp: ScaleHook = async ({ stack, pledges }): Promise<Record<string, string>> => {
  if (process.argv.includes("--no-indexer")) return {};
  const r = await measureIndexerCatchUp({
    rpcUrl: stack.rpcProxy?.url ?? stack.rpcUrl,
    chainId: stack.chainId,
    factory: stack.factory,
    // The history older than Ponder's finality depth, as on a live chain (see measureIndexerCatchUp).
    finalise: true,
  });
  return {
    "indexer catch-up (cold, Ponder)": `${r.totalSeconds.toFixed(1)} s: boot ${r.bootSeconds.toFixed(1)} s, catch-up ${r.catchUpSeconds.toFixed(1)} s (${Math.round(pledges / r.catchUpSeconds).toLocaleString("en-US")} pledges/s), ${r.blocks.toLocaleString("en-US")} blocks`,
  };
};

export const scaleHooks: ScaleHook[] = [indexerCatchUp];
