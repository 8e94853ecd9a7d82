/**
 * Support-conditional pledges for the pages (MECHANISM.md, "Support-conditional pledges" and
 * "Resolution with conditions"): what a condition is called, the class an "at least X" picks, where a
 * pledge stands under the provisional resolution, and the final lock's two rules for conditions.
 * The arithmetic is the reference model's (`@bascule/core/model`); this file only puts it in the
 * shape the pages read.
 */
import {
  BASIS_POINTS,
  type ConditionSummary,
  type Resolution,
  type Tallies,
  binds,
  bucketSlack,
  coverage,
  donationToAdmit,
  resolve,
} from "@bascule/core/model";
import { parseAmount } from "./format.ts";

/** How a condition reads: none, at least half, all, or "at least x %" for another class. */
export type ConditionKind = "none" | "half" | "all" | "percent";

/**
 * The words a condition c_k (in basis points) takes.
 * @example conditionKind(5_000) // "half"
 */
export function conditionKind(bp: number): ConditionKind {
  if (bp === 0) return "none";
  if (bp === BASIS_POINTS / 2) return "half";
  if (bp === BASIS_POINTS) return "all";
  return "percent";
}

/** c_k for k = 0..K (c_0 = 0). */
export function conditionBp(conditions: readonly number[], k: number): number {
  return k === 0 ? 0 : (conditions[k - 1] ?? 0);
}

/**
 * What `floor(c_k · s / 10,000)` guarantees: the least a bound pledge with condition k and request s
 * receives (MECHANISM: "its claim is at least floor(c_k · s / 10,000)").
 */
export function guaranteed(support: bigint, bp: number): bigint {
  return (support * BigInt(bp)) / BigInt(BASIS_POINTS);
}

/** What an "at least X" typed by a person gives. */
export type AtLeastChoice =
  /** The class to pledge with (0 when X is 0: nothing needed, no condition). */
  | { kind: "class"; condition: number; amount: bigint }
  /** Not an amount: letters, a sign, an exponent, too many decimals. */
  | { kind: "invalid" }
  /** X is more than the request: the most any class can give is the request itself. */
  | { kind: "aboveRequest"; amount: bigint }
  /** X is within the request but above what the campaign's largest class covers (c_K < 100 %). */
  | { kind: "aboveOffered"; amount: bigint; most: bigint };

/**
 * Reads an "at least X" the way a person types it ("37,5", "37.50 €", "€ 37") into base units,
 * without letters, signs or exponents; null when it is empty.
 * @example parseAtLeast("37,5 €", 2) // 3750n
 */
export function parseAtLeast(text: string, decimals: number): bigint | null | "invalid" {
  const clean = text
    .replace(/[€$£]|eur(os?)?\b/gi, "")
    .replace(/[\s\u00a0\u202f]/g, "")
    .trim();
  if (clean === "") return text.trim() === "" ? null : "invalid";
  return parseAmount(clean, decimals) ?? "invalid";
}

/**
 * The smallest class k with c_k · s ≥ X (MECHANISM: "the dApp picks the smallest class with
 * c_k · s ≥ X; it never rounds a need down"), so what a bound pledge receives, floor(c_k · s / 10,000),
 * is at least X. X = 0 needs no condition; X above the request cannot be met by any class.
 * @example
 * conditionForAtLeast(3_750n, 7_500n, [5_000, 10_000]) // { kind: "class", condition: 1, amount: 3_750n }
 * conditionForAtLeast(3_751n, 7_500n, [5_000, 10_000]) // { kind: "class", condition: 2, amount: 3_751n }
 */
export function conditionForAtLeast(x: bigint, support: bigint, conditions: readonly number[]): AtLeastChoice {
  if (x < 0n) return { kind: "invalid" };
  if (x === 0n) return { kind: "class", condition: 0, amount: 0n };
  if (x > support) return { kind: "aboveRequest", amount: x };
  for (let k = 1; k <= conditions.length; k++) {
    if (BigInt(conditions[k - 1]) * support >= x * BigInt(BASIS_POINTS))
      return { kind: "class", condition: k, amount: x };
  }
  return { kind: "aboveOffered", amount: x, most: guaranteed(support, conditions.at(-1) ?? 0) };
}

/**
 * `parseAtLeast` then `conditionForAtLeast`: what the pledge flow's "at least X" field says; null
 * while it is empty.
 */
export function atLeastChoice(
  text: string,
  decimals: number,
  support: bigint,
  conditions: readonly number[],
): AtLeastChoice | null {
  const x = parseAtLeast(text, decimals);
  if (x === null) return null;
  if (x === "invalid") return { kind: "invalid" };
  return conditionForAtLeast(x, support, conditions);
}

/** Tallies with one more pledge (level 1..m, condition 0..K, its request), for "if I pledge now". */
export function withPledge(
  t: Tallies,
  conditionCount: number,
  pledge: { level: number; support: bigint; condition: number },
): Tallies {
  const add = (xs: readonly bigint[], i: number, v: bigint) => xs.map((x, j) => (j === i ? x + v : x));
  const i = pledge.level - 1;
  const levels = t.counts.length;
  const zeros = () => Array.from({ length: levels }, () => 0n);
  const conditional = Array.from({ length: conditionCount }, (_, k) => ({
    counts: t.conditional?.[k]?.counts ?? zeros(),
    requested: t.conditional?.[k]?.requested ?? zeros(),
  }));
  const c = pledge.condition > 0 ? conditional[pledge.condition - 1] : undefined;
  if (c) {
    c.counts = add(c.counts, i, 1n);
    c.requested = add(c.requested, i, pledge.support);
  }
  return {
    counts: add(t.counts, i, 1n),
    requested: add(t.requested, i, pledge.support),
    donated: [...t.donated],
    ...(conditionCount > 0 ? { conditional } : {}),
  };
}

/** Where a pledge stands under a resolution: counted (with the uniform coverage), or not yet. */
export type Standing =
  | { counted: true; coverageBp: number; resolution: Resolution }
  /**
   * `donation`: how much more donated at the pledge's level (or below) would let its group in, from the
   * model's `donationToAdmit`; null when no donation alone would (it takes more pledges, or fewer requests).
   */
  | { counted: false; donation: bigint | null; level: number; resolution: Resolution };

/**
 * Where a recorded pledge (level 1..m, condition 0..K) stands right now, from the chain's tallies and
 * the reference model: counted (bound if the campaign were resolved now), with the coverage every
 * counted request receives; or not counted yet, with the donation that would let its bucket in.
 * @example
 * pledgeStanding([1], tallies, [5_000, 10_000], { level: 1, condition: 2 })
 * // { counted: false, donation: 6n, level: 1, … }
 */
export function pledgeStanding(
  ladder: readonly number[],
  t: Tallies,
  conditions: readonly number[],
  pledge: { level: number; condition: number },
): Standing {
  const resolution = resolve(ladder, t, conditions);
  if (binds(resolution, pledge)) return { counted: true, coverageBp: coverage(resolution), resolution };
  const donation = donationToAdmit(ladder, t, conditions, pledge.level, pledge.condition);
  return { counted: false, donation, level: pledge.level, resolution };
}

/** What the final lock allows a pledge to change, conditions included (MECHANISM, "The final lock"). */
export interface LockRules {
  /** A new pledge must have condition 0. */
  newPledgeConditionFree: boolean;
  /** A pledge with a condition may only lower its support: its level and condition are frozen. */
  conditionalSupportOnly: boolean;
}

/**
 * The final lock's rules for a pledge: none outside the lock; during it, a new pledge (none recorded,
 * or withdrawn) cannot take a condition, and a recorded conditional pledge can only lower its request.
 */
export function lockRules(locked: boolean, recorded: { level: number; condition: number } | null): LockRules {
  const isNew = recorded === null || recorded.level === 0;
  return {
    newPledgeConditionFree: locked && isNew,
    conditionalSupportOnly: locked && recorded !== null && recorded.level > 0 && recorded.condition > 0,
  };
}

/**
 * A coverage in basis points as a percentage, rounded down to a tenth of a percent, so 99.99 % never
 * reads "100 %".
 * @example formatCoverage(5_294, "fr-FR") // "52,9 %" (narrow no-break space)
 */
export function formatCoverage(bp: number, locale: string): string {
  const permille = Math.floor(bp / 10);
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(permille / 1000);
}

/**
 * `conditionSummary` without the slack: per condition how many count now and of how many, per
 * non-empty bucket whether it binds (slack null). One resolution, so cheap on any ladder; the slack,
 * a binary search over resolutions per bucket (about 2 s on a 64-level ladder), comes apart
 * (`slacks`, in a worker).
 */
export function conditionRows(ladder: readonly number[], t: Tallies, conditions: readonly number[]): ConditionSummary {
  const resolution = resolve(ladder, t, conditions);
  const coveredBp = coverage(resolution);
  const m = ladder.length;
  const part = (k: number, field: "counts" | "requested", j: number): bigint => {
    if (k > 0) return t.conditional?.[k - 1]?.[field][j] ?? 0n;
    let rest = t[field][j] ?? 0n;
    for (const c of t.conditional ?? []) rest -= c[field][j] ?? 0n;
    return rest;
  };
  const summary: ConditionSummary = { resolution, conditions: [], buckets: [] };
  for (let k = 0; k <= conditions.length; k++) {
    const row = {
      condition: k,
      bp: conditionBp(conditions, k),
      count: 0n,
      pledged: 0n,
      requested: 0n,
      boundRequested: 0n,
      coveredBp,
    };
    for (let j = 1; j <= m; j++) {
      const count = part(k, "counts", j - 1);
      if (count === 0n) continue;
      const requested = part(k, "requested", j - 1);
      const bound = binds(resolution, { level: j, condition: k });
      row.pledged += count;
      row.requested += requested;
      if (bound) {
        row.count += count;
        row.boundRequested += requested;
      }
      summary.buckets.push({ level: j, condition: k, count, requested, binds: bound, slack: null });
    }
    summary.conditions.push(row);
  }
  return summary;
}

/** Each binding conditional bucket's slack (`bucketSlack`), keyed "level-condition". */
export function slacks(ladder: readonly number[], t: Tallies, conditions: readonly number[]): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const b of conditionRows(ladder, t, conditions).buckets) {
    if (b.condition === 0 || !b.binds) continue;
    const slack = bucketSlack(ladder, t, conditions, b.level, b.condition);
    if (slack !== null) out[`${b.level}-${b.condition}`] = slack;
  }
  return out;
}
