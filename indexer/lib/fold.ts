/**
 * The indexer's arithmetic, free of Ponder so it can be tested alone: per-level totals kept as
 * the contract keeps them (levelTallies, and each condition's part as conditionTallies), and the
 * reference model's provisional result on them (with the campaign's conditions).
 */
import { type Tallies, resolve } from "@bascule/core/model";

/**
 * Per-level totals, level 1 first; amounts as decimal strings (how the table stores them).
 * `conditionCounts` and `conditionRequested` hold each condition's part flat: entry (k - 1) · m + (j - 1)
 * for condition k = 1..K at level j (empty when the campaign has no conditions); condition 0's part
 * is the total minus them.
 */
export interface LevelTotals {
  counts: number[];
  requested: string[];
  donated: string[];
  conditionCounts: number[];
  conditionRequested: string[];
}

/** Empty totals for a ladder of `levels` levels and `conditions` conditions (K). */
export function emptyTotals(levels: number, conditions = 0): LevelTotals {
  return {
    counts: Array.from({ length: levels }, () => 0),
    requested: Array.from({ length: levels }, () => "0"),
    donated: Array.from({ length: levels }, () => "0"),
    conditionCounts: Array.from({ length: levels * conditions }, () => 0),
    conditionRequested: Array.from({ length: levels * conditions }, () => "0"),
  };
}

/** A pledge as it stands: level 1..m (0 for none), support, recorded condition 0..K. */
export interface PledgeTerms {
  level: number;
  support: bigint;
  condition?: number;
}

/**
 * A pledge key moves from `from` to `to` (levels 1..m, 0 for none; their support and recorded
 * condition). Returns new totals (the input is not changed).
 * @example movePledge(emptyTotals(2), { level: 0, support: 0n }, { level: 1, support: 5n }).counts // [1, 0]
 */
export function movePledge(t: LevelTotals, from: PledgeTerms, to: PledgeTerms): LevelTotals {
  const counts = [...t.counts];
  const requested = [...t.requested];
  const conditionCounts = [...t.conditionCounts];
  const conditionRequested = [...t.conditionRequested];
  const levels = t.counts.length;
  const move = (p: PledgeTerms, sign: 1 | -1) => {
    if (p.level === 0) return;
    const i = p.level - 1;
    counts[i] += sign;
    requested[i] = (BigInt(requested[i]) + BigInt(sign) * p.support).toString();
    const k = p.condition ?? 0;
    if (k === 0) return;
    const at = (k - 1) * levels + i;
    if (at >= conditionCounts.length) throw new RangeError(`condition ${k} in a campaign of fewer conditions`);
    conditionCounts[at] += sign;
    conditionRequested[at] = (BigInt(conditionRequested[at]) + BigInt(sign) * p.support).toString();
  };
  move(from, -1);
  move(to, 1);
  return { counts, requested, donated: t.donated, conditionCounts, conditionRequested };
}

/** Adds `delta` (negative for a withdrawal) to the donations at `level`. */
export function moveDonation(t: LevelTotals, level: number, delta: bigint): LevelTotals {
  const donated = [...t.donated];
  donated[level - 1] = (BigInt(donated[level - 1]) + delta).toString();
  return { ...t, donated };
}

/** Each condition's part as the model's Tallies has it (`conditional[k - 1]`), from the flat arrays. */
export function conditionalParts(t: LevelTotals): { counts: number[]; requested: string[] }[] {
  const levels = t.counts.length;
  const conditions = levels === 0 ? 0 : t.conditionCounts.length / levels;
  return Array.from({ length: conditions }, (_, k) => ({
    counts: t.conditionCounts.slice(k * levels, (k + 1) * levels),
    requested: t.conditionRequested.slice(k * levels, (k + 1) * levels),
  }));
}

/** The model's Tallies of these totals. */
export function talliesOf(t: LevelTotals): Tallies {
  return {
    counts: t.counts.map(BigInt),
    requested: t.requested.map(BigInt),
    donated: t.donated.map(BigInt),
    conditional: conditionalParts(t).map((c) => ({ counts: c.counts.map(BigInt), requested: c.requested.map(BigInt) })),
  };
}

/**
 * People ready, and the reference model's provisional result ("would act now"): j*, P and the bound
 * set's k*, j*_k. Without conditions j* depends on the counts alone; with them on every total.
 */
export function provisional(ladder: readonly number[], t: LevelTotals, conditions: readonly number[] = []) {
  const r =
    conditions.length === 0
      ? resolve(ladder, { counts: t.counts.map(BigInt), requested: [], donated: [] })
      : resolve(ladder, talliesOf(t), conditions);
  return {
    pledgeCount: t.counts.reduce((a, c) => a + c, 0),
    provisionalTippingLevel: r.tippingLevel,
    provisionalCommitted: Number(r.committed),
    provisionalBoundCondition: r.boundCondition,
    provisionalBoundConditionLevel: r.boundConditionLevel,
  };
}
