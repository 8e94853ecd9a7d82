/**
 * The indexer's arithmetic, free of Ponder so it can be tested alone: per-level totals kept as
 * the contract keeps them (levelTallies), and the reference model's provisional result on them.
 */
import { resolve } from "@bascule/core/model";

/** Per-level totals, level 1 first; amounts as decimal strings (how the table stores them). */
export interface LevelTotals {
  counts: number[];
  requested: string[];
  donated: string[];
}

/** Empty totals for a ladder of `levels` levels. */
export function emptyTotals(levels: number): LevelTotals {
  return {
    counts: Array.from({ length: levels }, () => 0),
    requested: Array.from({ length: levels }, () => "0"),
    donated: Array.from({ length: levels }, () => "0"),
  };
}

/**
 * A pledge key moves from `from` to `to` (levels 1..m, 0 for none), its support request from
 * `fromSupport` to `toSupport`. Returns new totals (the input is not changed).
 * @example movePledge(emptyTotals(2), { level: 0, support: 0n }, { level: 1, support: 5n }).counts // [1, 0]
 */
export function movePledge(
  t: LevelTotals,
  from: { level: number; support: bigint },
  to: { level: number; support: bigint },
): LevelTotals {
  const counts = [...t.counts];
  const requested = [...t.requested];
  if (from.level > 0) {
    counts[from.level - 1] -= 1;
    requested[from.level - 1] = (BigInt(requested[from.level - 1]) - from.support).toString();
  }
  if (to.level > 0) {
    counts[to.level - 1] += 1;
    requested[to.level - 1] = (BigInt(requested[to.level - 1]) + to.support).toString();
  }
  return { counts, requested, donated: t.donated };
}

/** Adds `delta` (negative for a withdrawal) to the donations at `level`. */
export function moveDonation(t: LevelTotals, level: number, delta: bigint): LevelTotals {
  const donated = [...t.donated];
  donated[level - 1] = (BigInt(donated[level - 1]) + delta).toString();
  return { counts: t.counts, requested: t.requested, donated };
}

/** People ready, and the reference model's j* and P on these counts ("would act now"). */
export function provisional(ladder: readonly number[], t: LevelTotals) {
  const r = resolve(ladder, { counts: t.counts.map(BigInt), requested: [], donated: [] });
  return {
    pledgeCount: t.counts.reduce((a, c) => a + c, 0),
    provisionalTippingLevel: r.tippingLevel,
    provisionalCommitted: Number(r.committed),
  };
}
