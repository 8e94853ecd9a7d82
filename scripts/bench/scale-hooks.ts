/**
 * Extra measurements for `npm run bench:scale`, run after the dApp and CLI figures for each size:
 * the indexer adds its catch-up time here (start it on the bench's chain, wait until it has indexed
 * `campaign` with `pledges` pledges, return { "indexer catch-up": "12.3 s" }).
 */
import type { Address } from "viem";
import type { Stack } from "../demo/stack.js";

export type ScaleHook = (context: { stack: Stack; campaign: Address; pledges: number }) => Promise<Record<string, string>>;

export const scaleHooks: ScaleHook[] = [];
