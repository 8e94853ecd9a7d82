/** The messages between the campaign page and its slack worker (slack.worker.ts). */
import type { Tallies } from "@bascule/core/model";

export interface SlackRequest {
  id: number;
  ladder: readonly number[];
  tallies: Tallies;
  conditions: readonly number[];
}

export interface SlackAnswer {
  id: number;
  /** Each binding conditional bucket's slack, keyed "level-condition". */
  slacks: Record<string, bigint>;
}
