/** The messages between the verify page and its replay worker (replay.worker.ts). */
import type { Address } from "viem";
import type { History } from "@bascule/core/history";
import type { Tallies } from "@bascule/core/model";
import type { RecentEvent, talliesDifference } from "@bascule/core/replay";

export type ReplayRequest =
  | {
      type: "start";
      rpcUrl: string;
      campaign: Address;
      fromBlock: bigint;
      levels: number;
      /** K: the number of conditions the campaign offers. */
      conditions: number;
      keepRecent: number;
    }
  /** Read the blocks added since the last replay (a new event arrived) and check again. */
  | { type: "extend" };

export interface ReplayProgressMessage {
  type: "progress";
  fromBlock: bigint;
  block: bigint;
  toBlock: bigint;
  events: number;
  pages: number;
}

export interface ReplayDoneMessage {
  type: "done";
  block: bigint;
  match: boolean;
  /** The contract's history() at `block` and what the endpoint's logs gave (a hidden or altered log differs). */
  onChainHistory: History;
  replayedHistory: History;
  historyMatches: boolean;
  difference: ReturnType<typeof talliesDifference>;
  events: number;
  pages: number;
  replayed: Tallies;
  onChain: Tallies;
  recent: RecentEvent[];
  ms: number;
}

export interface ReplayErrorMessage {
  type: "error";
  code: "RPC_INCONSISTENT" | "RPC_UNUSABLE" | "REPLAY_FAILED";
  message: string;
}

export type ReplayMessage = ReplayProgressMessage | ReplayDoneMessage | ReplayErrorMessage;
