/**
 * The campaign's history digest (ICampaign.history): a count of the history events (Pledged,
 * PledgeChanged, PledgeWithdrawn, Donated, DonationWithdrawn) and a running digest over their logs,
 * so a replay can tell an endpoint that hid, added, reordered or changed a log. Starting from
 * bytes24(keccak256("Bascule.history")), each history log sets
 * digest = bytes24(keccak256(digest ‖ 8 zero bytes ‖ topic0 ‖ topic1… ‖ data)), as the contract does.
 */
import { type Hex, bytesToHex, hexToBytes, keccak256, stringToBytes } from "viem";
import { keccak_256 } from "@noble/hashes/sha3.js";

/** The digest before any history event. */
export const HISTORY_GENESIS: Hex = keccak256(stringToBytes("Bascule.history")).slice(0, 50) as Hex;

/** A count of history events and their running digest (24 bytes). */
export interface History {
  count: bigint;
  digest: Hex;
}

/**
 * A running digest, updated log by log (bytes kept, not hex, so a million logs cost a million hashes).
 * @example
 * const h = new HistoryDigest();
 * for (const log of historyLogs) h.add(log);
 * h.value(); // { count, digest } as history() answers at the last log's block
 */
export class HistoryDigest {
  count = 0n;
  private digest: Uint8Array = hexToBytes(HISTORY_GENESIS);

  add(log: { topics: readonly Hex[]; data: Hex }): void {
    const data = hexToBytes(log.data);
    const input = new Uint8Array(32 + 32 * log.topics.length + data.length);
    input.set(this.digest, 0);
    log.topics.forEach((t, i) => input.set(hexToBytes(t), 32 + 32 * i));
    input.set(data, 32 + 32 * log.topics.length);
    this.digest = keccak_256(input).slice(0, 24);
    this.count++;
  }

  value(): History {
    return { count: this.count, digest: bytesToHex(this.digest) };
  }
}
