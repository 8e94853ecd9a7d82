/**
 * The reference model of MECHANISM.md, "Resolution" and "Resolution with conditions": a pure
 * function of a recorded history.
 *
 * It mirrors `contracts/Campaign.sol` and `contracts/libraries/BasculeMath.sol` one for one, in
 * bigint, so the dApp (live provisional result), the keeper, the relayer (the final lock, the skip
 * reasons, the windows and the entitlements) and the tests all use this one text; the differential
 * test holds every function here against the contract.
 * Levels are numbered 1..m as `j` is in the specification; arrays are indexed from 0 (level 1).
 */

/**
 * A pledge key's current pledge: level 1..m, or 0 once withdrawn; its condition k (0..K, 0: none) is
 * the recorded one, so 0 whenever the support or the level is 0.
 */
export interface PledgeState {
  readonly level: number;
  readonly support: bigint;
  readonly condition: number;
}

/** A donation still in escrow (withdrawn ones are removed from the history's state). */
export interface DonationState {
  id: bigint;
  donor: string;
  level: number;
  amount: bigint;
}

/**
 * Totals per level; index 0 is level 1. `counts` and `requested` are totals over every condition
 * (the contract's `levelTallies()`); `conditional[k - 1]` holds the part with condition k = 1..K, per
 * level (`conditionTallies()`), so condition 0's part is the total minus the conditional ones. Absent
 * or all zero: no pledge has a condition.
 */
export interface Tallies {
  counts: bigint[];
  requested: bigint[];
  donated: bigint[];
  conditional?: { counts: bigint[]; requested: bigint[] }[];
}

/**
 * The outcome of `resolve`. `tippingLevel` is j*, 0 when the campaign failed. The bound set is
 * recorded as (j*, k*, j*_k): `boundCondition` k* and `boundConditionLevel` j*_k name the last
 * (non-empty) bucket added, k* = 0 and j*_k = j* when none was, both 0 on failure (see `binds`).
 */
export interface Resolution {
  succeeded: boolean;
  tippingLevel: number;
  committed: bigint;
  triggeredDonations: bigint;
  requestedSupport: bigint;
  paid: bigint;
  boundCondition: number;
  boundConditionLevel: number;
}

/**
 * One recorded event, as the campaign's log gives it (see ICampaign's events). A pledge's
 * `condition` may be left out for 0.
 */
export type HistoryEvent =
  | { kind: "Pledged" | "PledgeChanged"; pledgeKey: string; level: number; support: bigint; condition?: number }
  | { kind: "PledgeWithdrawn"; pledgeKey: string }
  | { kind: "Donated"; donationId: bigint; donor: string; level: number; amount: bigint }
  | { kind: "DonationWithdrawn"; donationId: bigint };

/** The state a history leaves before resolution. */
export interface HistoryState {
  pledges: Map<string, PledgeState>;
  donations: Map<bigint, DonationState>;
}

/** floor(amount * numerator / denominator), 0 when the denominator is 0 (BasculeMath.share). */
export function share(amount: bigint, numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) return 0n;
  return (amount * numerator) / denominator;
}

/** paid = min(F, R). */
export function paidOut(triggeredDonations: bigint, requestedSupport: bigint): bigint {
  return triggeredDonations < requestedSupport ? triggeredDonations : requestedSupport;
}

/** A triggered beneficiary's support: floor(s · paid / R). */
export function supportShare(support: bigint, r: Pick<Resolution, "triggeredDonations" | "requestedSupport">): bigint {
  return share(support, paidOut(r.triggeredDonations, r.requestedSupport), r.requestedSupport);
}

/** A triggered donation's share of the surplus: floor(D · (F − paid) / F). */
export function surplusShare(donation: bigint, r: Pick<Resolution, "triggeredDonations" | "requestedSupport">): bigint {
  const paid = paidOut(r.triggeredDonations, r.requestedSupport);
  return share(donation, r.triggeredDonations - paid, r.triggeredDonations);
}

/** A triggered donation's share of what beneficiaries left unclaimed: floor(D · (paid − claimed) / F). */
export function remainderShare(
  donation: bigint,
  r: Pick<Resolution, "triggeredDonations" | "requestedSupport">,
  claimedTotal: bigint,
): bigint {
  const paid = paidOut(r.triggeredDonations, r.requestedSupport);
  return share(donation, paid - claimedTotal, r.triggeredDonations);
}

/** Replays a campaign's events into the state they leave. */
export function replay(events: Iterable<HistoryEvent>): HistoryState {
  const state: HistoryState = { pledges: new Map(), donations: new Map() };
  for (const e of events) applyEvent(state, e);
  return state;
}

/**
 * One shared, frozen state per level for pledges without a support request (most of them): a
 * replay of a million pledges then keeps one Map entry per key, not one object and one bigint
 * more (about 40 bytes a pledge in V8). Such a pledge has condition 0, as the contract records it.
 */
const UNSUPPORTED: PledgeState[] = [];
function pledgeState(level: number, support: bigint, condition: number): PledgeState {
  if (support !== 0n) return { level, support, condition: level === 0 ? 0 : condition };
  if (!Number.isSafeInteger(level) || level < 0 || level > 1_024) return { level, support, condition: 0 };
  return (UNSUPPORTED[level] ??= Object.freeze({ level, support: 0n, condition: 0 }));
}

/** Applies one event to a history state (mutates it). */
export function applyEvent(state: HistoryState, e: HistoryEvent): void {
  switch (e.kind) {
    case "Pledged":
    case "PledgeChanged":
      state.pledges.set(e.pledgeKey.toLowerCase(), pledgeState(e.level, e.support, e.condition ?? 0));
      break;
    case "PledgeWithdrawn":
      state.pledges.set(e.pledgeKey.toLowerCase(), pledgeState(0, 0n, 0));
      break;
    case "Donated":
      state.donations.set(e.donationId, {
        id: e.donationId,
        donor: e.donor,
        level: e.level,
        amount: e.amount,
      });
      break;
    case "DonationWithdrawn":
      state.donations.delete(e.donationId);
      break;
  }
}

/**
 * Per-level totals of a history state, for a ladder of `levels` levels and a campaign of
 * `conditionCount` conditions (K): `conditional` then has K entries (all zero if no pledge has a
 * condition), and is absent when K = 0. Throws a RangeError for a pledge whose condition exceeds K,
 * rather than count it as unconditional.
 * @example
 * tallies(3, replay(events), 2).conditional?.[1].counts; // pledges with condition 2, per level
 */
export function tallies(levels: number, state: HistoryState, conditionCount = 0): Tallies {
  const zeros = () => Array.from({ length: levels }, () => 0n);
  const t: Tallies = { counts: zeros(), requested: zeros(), donated: zeros() };
  const conditional = Array.from({ length: conditionCount }, () => ({ counts: zeros(), requested: zeros() }));
  if (conditionCount > 0) t.conditional = conditional;
  for (const p of state.pledges.values()) {
    if (p.level === 0) continue;
    t.counts[p.level - 1] += 1n;
    t.requested[p.level - 1] += p.support;
    if (p.condition === 0) continue;
    const c = conditional[p.condition - 1];
    if (c === undefined)
      throw new RangeError(`pledge with condition ${p.condition} in a campaign of ${conditionCount}`);
    c.counts[p.level - 1] += 1n;
    c.requested[p.level - 1] += p.support;
  }
  for (const d of state.donations.values()) t.donated[d.level - 1] += d.amount;
  return t;
}

/** C(j) for j = 1..m (index 0 is C(1)). */
export function cumulativeCounts(counts: readonly bigint[]): bigint[] {
  let c = 0n;
  return counts.map((n) => (c += n));
}

/** Basis points: a condition c_k and a coverage are fractions of 10,000. */
export const BASIS_POINTS = 10_000;
const BP = BigInt(BASIS_POINTS);

/** Pledges `n[k][j - 1]` and their request `q[k][j - 1]` in each bucket (j, k), k = 0..K. */
interface Buckets {
  n: bigint[][];
  q: bigint[][];
}

/** The conditions c_1..c_K must rise strictly within 1..10,000 basis points (c_0 = 0 is implicit). */
function checkConditions(conditions: readonly number[]): void {
  let previous = 0;
  for (const c of conditions) {
    if (!Number.isInteger(c) || c <= previous || c > BASIS_POINTS) {
      throw new RangeError(`conditions must rise strictly within 1..${BASIS_POINTS}: ${conditions.join(", ")}`);
    }
    previous = c;
  }
}

/** The buckets of tallies: condition 0's share of a level is its total minus the conditional ones. */
function bucketsOf(levels: number, t: Tallies, conditions: readonly number[]): Buckets {
  checkConditions(conditions);
  const K = conditions.length;
  const n = [Array.from({ length: levels }, (_, i) => t.counts[i] ?? 0n)];
  const q = [Array.from({ length: levels }, (_, i) => t.requested[i] ?? 0n)];
  const conditional = t.conditional ?? [];
  conditional.forEach((c, i) => {
    const k = i + 1;
    const counts = Array.from({ length: levels }, (_, l) => c.counts[l] ?? 0n);
    const requested = Array.from({ length: levels }, (_, l) => c.requested[l] ?? 0n);
    if (k > K) {
      if (counts.some((x) => x !== 0n)) throw new RangeError(`pledges with condition ${k} in a campaign of ${K}`);
      return;
    }
    n[k] = counts;
    q[k] = requested;
    for (let l = 0; l < levels; l++) {
      n[0][l] -= counts[l];
      q[0][l] -= requested[l];
      if (n[0][l] < 0n || q[0][l] < 0n) throw new RangeError(`conditional tallies exceed the totals at level ${l + 1}`);
    }
  });
  for (let k = 1; k <= K; k++) {
    n[k] ??= Array.from({ length: levels }, () => 0n);
    q[k] ??= Array.from({ length: levels }, () => 0n);
  }
  return { n, q };
}

/** The candidate set X(J) of "Resolution with conditions", summed up, and whether J is admissible. */
interface Candidate {
  /** J. */
  level: number;
  /** |X(J)|, R(X(J)) and F(J). */
  count: bigint;
  requested: bigint;
  donations: bigint;
  /** The last bucket added (j, k), 0 and 0 if none was. */
  lastLevel: number;
  lastCondition: number;
  admissible: boolean;
}

/**
 * X(J), as MECHANISM.md says it: the block of every pledge with condition 0 at levels ≤ J, then the
 * buckets (1, 1), (2, 1), …, (J, 1), (1, 2), …, (J, K) in this order, each added while, after adding,
 * (i) |X| < L_{J+1} (no bound when J = m) and (ii) F(J) · 10,000 ≥ c_top(X) · R(X); the first non-empty
 * bucket that breaks either ends it. An empty bucket changes nothing and is never "added".
 */
function candidate(
  ladder: readonly number[],
  b: Buckets,
  conditions: readonly number[],
  donated: readonly bigint[],
  J: number,
): Candidate {
  const upper = J < ladder.length ? BigInt(ladder[J]) : null;
  let donations = 0n;
  let count = 0n;
  let requested = 0n;
  for (let j = 1; j <= J; j++) {
    donations += donated[j - 1] ?? 0n;
    count += b.n[0][j - 1];
    requested += b.q[0][j - 1];
  }
  const blockFits = upper === null || count < upper;
  let top = 0;
  let lastLevel = 0;
  let lastCondition = 0;
  buckets: for (let k = 1; k <= conditions.length; k++) {
    for (let j = 1; j <= J; j++) {
      const n = b.n[k][j - 1];
      if (n === 0n) continue;
      const countAfter = count + n;
      const requestedAfter = requested + b.q[k][j - 1];
      const topAfter = Math.max(top, conditions[k - 1]);
      const fits = upper === null || countAfter < upper;
      const covered = donations * BP >= BigInt(topAfter) * requestedAfter;
      if (!fits || !covered) break buckets;
      count = countAfter;
      requested = requestedAfter;
      top = topAfter;
      lastLevel = j;
      lastCondition = k;
    }
  }
  const admissible = blockFits && count >= BigInt(ladder[J - 1]);
  return { level: J, count, requested, donations, lastLevel, lastCondition, admissible };
}

/** The bound set of a candidate X(J) as (J, k*, j*_k), the way `binds` reads it. */
function recorded(x: Candidate): Pick<Resolution, "tippingLevel" | "boundCondition" | "boundConditionLevel"> {
  return {
    tippingLevel: x.level,
    boundCondition: x.lastCondition,
    boundConditionLevel: x.lastCondition === 0 ? x.level : x.lastLevel,
  };
}

function resolveBuckets(
  ladder: readonly number[],
  b: Buckets,
  conditions: readonly number[],
  donated: readonly bigint[],
): Resolution {
  let best: Candidate | null = null;
  for (let J = 1; J <= ladder.length; J++) {
    const x = candidate(ladder, b, conditions, donated, J);
    // Only one admissible J can give the largest |X(J)| (L_J ≤ |X(J)| < L_{J+1}); on a tie, which a
    // ladder that does not rise strictly could give, the highest J, as the rule without conditions.
    if (x.admissible && (best === null || x.count >= best.count)) best = x;
  }
  if (best === null) {
    return {
      succeeded: false,
      tippingLevel: 0,
      committed: 0n,
      triggeredDonations: 0n,
      requestedSupport: 0n,
      paid: 0n,
      boundCondition: 0,
      boundConditionLevel: 0,
    };
  }
  const { tippingLevel, boundCondition, boundConditionLevel } = recorded(best);
  return {
    succeeded: true,
    tippingLevel,
    committed: best.count,
    triggeredDonations: best.donations,
    requestedSupport: best.requested,
    paid: paidOut(best.donations, best.requested),
    boundCondition,
    boundConditionLevel,
  };
}

/**
 * Resolves a campaign from its ladder, tallies and conditions c_1..c_K in basis points (MECHANISM.md,
 * Resolution, 1–4, and "Resolution with conditions"): for each J the candidate set X(J); J is
 * admissible if the block alone satisfies (i) and |X(J)| ≥ L_J; j* is the admissible J with the
 * largest |X(J)|, P = |X(j*)|, F = F(j*), R = R(X(j*)). Without a conditional pledge this is
 * j* = max { j : C(j) ≥ L_j }, P = C(j*), with k* = 0 and j*_k = j*. Plain O(m²K) text: the contract
 * computes the same with prefix sums and binary search, and the differential test holds them equal.
 * Throws a RangeError for conditions that do not rise strictly within 1..10,000, or tallies that hold
 * a condition above K.
 *
 * @example
 * resolve([2, 5], { counts: [2n, 1n], requested: [10n, 0n], donated: [30n, 5n] })
 * // C(1) = 2 ≥ 2, C(2) = 3 < 5 → j* = 1, P = 2, F = 30, R = 10, paid = 10
 * @example
 * // MECHANISM.md E3 with the first pledge at class 2 (all of its request covered): P = 1, paid 10.
 * resolve([1, 3], { counts: [1n, 2n], requested: [10n, 20n], donated: [10n, 0n],
 *   conditional: [{ counts: [0n, 0n], requested: [0n, 0n] }, { counts: [1n, 0n], requested: [10n, 0n] }] },
 *   [5_000, 10_000]);
 * // X(2) stops at bucket (1, 2): 10 · 10,000 < 10,000 · 30 and |X(2)| = 2 < 3 → j* = 1, k* = 2, j*_k = 1
 */
export function resolve(ladder: readonly number[], t: Tallies, conditions: readonly number[] = []): Resolution {
  return resolveBuckets(ladder, bucketsOf(ladder.length, t, conditions), conditions, t.donated);
}

/**
 * Whether a pledge at `level` with `condition` is bound by a resolution (MECHANISM.md: j ≤ j* and
 * (k < k*, or k = k* and j ≤ j*_k)); false when the campaign failed or the pledge was withdrawn.
 * @example
 * binds({ tippingLevel: 3, boundCondition: 2, boundConditionLevel: 2 }, { level: 3, condition: 2 }); // false (E4)
 */
export function binds(
  r: Pick<Resolution, "tippingLevel" | "boundCondition" | "boundConditionLevel">,
  pledge: { level: number; condition: number },
): boolean {
  if (r.tippingLevel === 0 || pledge.level === 0 || pledge.level > r.tippingLevel) return false;
  if (pledge.condition !== r.boundCondition) return pledge.condition < r.boundCondition;
  return pledge.level <= r.boundConditionLevel;
}

/**
 * The share of its request every bound beneficiary receives, paid / R, in basis points rounded down
 * (10,000 when R = 0: nobody asked, nobody is short). A bound pledge with condition k always has
 * coverage ≥ c_k: condition (ii) says F · 10,000 ≥ c_k · R, and c_k is a whole number.
 * @example
 * coverage({ triggeredDonations: 9n, requestedSupport: 17n }); // 5294 (E6: 9/17)
 */
export function coverage(r: Pick<Resolution, "triggeredDonations" | "requestedSupport">): number {
  if (r.requestedSupport === 0n) return BASIS_POINTS;
  return Number((paidOut(r.triggeredDonations, r.requestedSupport) * BP) / r.requestedSupport);
}

// ------------------------------------------------------------------ conditions, for the dApp

/** The bucket's level and condition must exist in the campaign. */
function checkBucket(ladder: readonly number[], conditions: readonly number[], level: number, condition: number): void {
  if (!Number.isInteger(level) || level < 1 || level > ladder.length) throw new RangeError(`no level ${level}`);
  if (!Number.isInteger(condition) || condition < 0 || condition > conditions.length) {
    throw new RangeError(`no condition ${condition}`);
  }
}

/** The smallest x in [lo, hi] where a predicate that turns from false to true holds; null if it does not at hi. */
function smallest(lo: bigint, hi: bigint, holds: (x: bigint) => boolean): bigint | null {
  if (!holds(hi)) return null;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (holds(mid)) hi = mid;
    else lo = mid + 1n;
  }
  return hi;
}

/**
 * How much more support request the bucket (level, condition) can take, added to q_{level,condition}
 * with its count unchanged, and still bind (its own pledges', or one of them raising its request);
 * null when the bucket is unconditional, empty, or does not bind now. Binding is monotone in the added
 * request (more request only ends each X(J) earlier, and an X(J) without the bucket does not change),
 * so this is the exact largest such amount: binary search over `resolve`, at most about
 * log2(F · 10,000 / c_k) resolutions. Shown as the bucket's slack against "bucket poisoning".
 * @example
 * // ladder 1; one (1, 10, class 2) pledge and 15 donated: it binds with up to 5 more request.
 * bucketSlack([1], { counts: [1n], requested: [10n], donated: [15n],
 *   conditional: [{ counts: [0n], requested: [0n] }, { counts: [1n], requested: [10n] }] }, [5_000, 10_000], 1, 2); // 5n
 */
export function bucketSlack(
  ladder: readonly number[],
  t: Tallies,
  conditions: readonly number[],
  level: number,
  condition: number,
): bigint | null {
  checkBucket(ladder, conditions, level, condition);
  const b = bucketsOf(ladder.length, t, conditions);
  if (condition === 0 || b.n[condition][level - 1] === 0n) return null;
  const bound = (extra: bigint) => {
    const q = b.q.map((row) => [...row]);
    q[condition][level - 1] += extra;
    return binds(resolveBuckets(ladder, { n: b.n, q }, conditions, t.donated), { level, condition });
  };
  if (!bound(0n)) return null;
  // Beyond F(m) · 10,000 / c_k more, condition (ii) fails at this bucket for every J.
  const donations = t.donated.reduce((a, d) => a + d, 0n);
  const never = (donations * BP) / BigInt(conditions[condition - 1]) + 1n;
  return smallest(0n, never, (extra) => !bound(extra))! - 1n;
}

/**
 * The smallest donation D at `level` that would make the bucket (level, condition) bind, the pledges
 * counted where they are (add a prospective pledge to the tallies first); 0n if it binds already; null
 * if no donation can (the count bound (i) or admissibility keeps it out, or the bucket is empty).
 * Binding need not be monotone in D (a donation can raise j* to a level whose set leaves the bucket
 * out), but for each J both "J is admissible" and "X(J) holds the bucket" are, and the first D at
 * which the bucket binds is where both hold for the J that is then j*: this finds, for each J, the
 * least D where both hold (binary search), keeps those where `resolve` confirms the bucket binds, and
 * returns the smallest.
 * @example
 * // ladder 1; one (1, 10, class 2) pledge and 4 donated: it binds from 10 donated, 6 more.
 * donationToAdmit([1], { counts: [1n], requested: [10n], donated: [4n],
 *   conditional: [{ counts: [0n], requested: [0n] }, { counts: [1n], requested: [10n] }] }, [5_000, 10_000], 1, 2); // 6n
 */
export function donationToAdmit(
  ladder: readonly number[],
  t: Tallies,
  conditions: readonly number[],
  level: number,
  condition: number,
): bigint | null {
  checkBucket(ladder, conditions, level, condition);
  const b = bucketsOf(ladder.length, t, conditions);
  if (b.n[condition][level - 1] === 0n) return null;
  const bucket = { level, condition };
  const donatedWith = (extra: bigint) =>
    Array.from({ length: ladder.length }, (_, i) => (t.donated[i] ?? 0n) + (i === level - 1 ? extra : 0n));
  if (binds(resolveBuckets(ladder, b, conditions, donatedWith(0n)), bucket)) return 0n;
  // With D ≥ c_K · (every request) / 10,000, condition (ii) holds for every set at every J ≥ level.
  const requests = b.q.flat().reduce((a, q) => a + q, 0n);
  const enough = (BigInt(conditions.at(-1) ?? 0) * requests + BP - 1n) / BP;
  let least: bigint | null = null;
  for (let J = level; J <= ladder.length; J++) {
    const at = (extra: bigint) => candidate(ladder, b, conditions, donatedWith(extra), J);
    const admissible = smallest(0n, enough, (extra) => at(extra).admissible);
    const holds = smallest(0n, enough, (extra) => binds(recorded(at(extra)), bucket));
    if (admissible === null || holds === null) continue;
    const extra = admissible > holds ? admissible : holds;
    if (least !== null && extra >= least) continue;
    if (binds(resolveBuckets(ladder, b, conditions, donatedWith(extra)), bucket)) least = extra;
  }
  return least;
}

/** One condition's row in `conditionSummary`. */
export interface ConditionRow {
  /** k, 0..K. */
  condition: number;
  /** c_k in basis points (0 for k = 0). */
  bp: number;
  /** Pledges with this condition that count now (bound under the provisional resolution). */
  count: bigint;
  /** Every pledge with this condition, counted or not. */
  pledged: bigint;
  /** The support those pledges request, all of them and the counted ones. */
  requested: bigint;
  boundRequested: bigint;
  /** What every counted pledge receives of its request, in basis points (coverage is uniform: the same in each row, and ≥ bp where count > 0). */
  coveredBp: number;
}

/** One non-empty bucket's row in `conditionSummary`. */
export interface BucketRow {
  level: number;
  condition: number;
  count: bigint;
  requested: bigint;
  binds: boolean;
  /** `bucketSlack`: null for condition 0 and for a bucket that does not bind. */
  slack: bigint | null;
}

export interface ConditionSummary {
  resolution: Resolution;
  conditions: ConditionRow[];
  /** Every non-empty bucket, in priority order: (1, 0), …, (m, 0), (1, 1), …, (m, K). */
  buckets: BucketRow[];
}

/**
 * What the campaign page shows of the conditions under the provisional resolution: per condition
 * 0..K how many pledges count now, of how many, and the coverage; per non-empty bucket whether it
 * binds and its slack.
 * @example
 * const { conditions } = conditionSummary(ladder, tallies(ladder.length, state, 2), [5_000, 10_000]);
 * // conditions[2]: { condition: 2, bp: 10000, count: 3n, pledged: 4n, … }
 */
export function conditionSummary(
  ladder: readonly number[],
  t: Tallies,
  conditions: readonly number[],
): ConditionSummary {
  const b = bucketsOf(ladder.length, t, conditions);
  const resolution = resolveBuckets(ladder, b, conditions, t.donated);
  const coveredBp = coverage(resolution);
  const rows: ConditionRow[] = [];
  const buckets: BucketRow[] = [];
  for (let k = 0; k <= conditions.length; k++) {
    const row: ConditionRow = {
      condition: k,
      bp: k === 0 ? 0 : conditions[k - 1],
      count: 0n,
      pledged: 0n,
      requested: 0n,
      boundRequested: 0n,
      coveredBp,
    };
    for (let j = 1; j <= ladder.length; j++) {
      const count = b.n[k][j - 1];
      if (count === 0n) continue;
      const requested = b.q[k][j - 1];
      const bound = binds(resolution, { level: j, condition: k });
      row.pledged += count;
      row.requested += requested;
      if (bound) {
        row.count += count;
        row.boundRequested += requested;
      }
      const slack = k !== 0 && bound ? bucketSlack(ladder, t, conditions, j, k) : null;
      buckets.push({ level: j, condition: k, count, requested, binds: bound, slack });
    }
    rows.push(row);
  }
  return { resolution, conditions: rows, buckets };
}

/** What the next tipping point would take, for the dApp's sentence and its mark on the chart. */
export interface NextTippingPoint {
  /** Pledges to add, each at `level` or below. */
  pledgesNeeded: bigint;
  /** The level (1..m) those pledges must be at or below: the highest that this many pledges tip. */
  level: number;
  /** Its threshold L_level. */
  threshold: number;
  /** True when `level` is the ladder's top: a pledge at any level counts, whatever number it names. */
  anyLevel: boolean;
  /** Committed participants now (P), and once those pledges are made (P'). */
  committedNow: bigint;
  committedThen: bigint;
}

/**
 * The smallest number N of new pledges that would raise the tipping level, and what P becomes:
 * "N more people who accept L or fewer, and P' are committed instead of P". Level j needs
 * L_j − C(j) new pledges at levels ≤ j; among the levels that need the fewest, the highest is named,
 * since every pledge that tips a lower one of them tips it too, and more pledges do (a pledge at
 * level j counts in C(j) but not in C(j − 1)). When that level is the top of the ladder, any new
 * pledge tips it (`anyLevel`). Counts only: support conditions (MECHANISM "Resolution with
 * conditions") may leave some of those pledges out of P'. Returns null when every level is reached.
 *
 * @example
 * nextTippingPoint([1000, 2000, 5000], [925n, 1000n, 0n]);
 * // C = [925, 1925, 1925]: levels 1 and 2 both need 75, so 75 more at 2,000 or fewer
 * // { pledgesNeeded: 75n, level: 2, threshold: 2000, anyLevel: false, committedNow: 0n, committedThen: 2000n }
 * @example
 * nextTippingPoint([1, 2, 3], [0n, 1n, 1n]);
 * // each level needs 1: the top one is named, { pledgesNeeded: 1n, level: 3, anyLevel: true, committedThen: 3n }
 */
export function nextTippingPoint(ladder: readonly number[], counts: readonly bigint[]): NextTippingPoint | null {
  const now = resolve(ladder, { counts: [...counts], requested: [], donated: [] });
  const cumulative = cumulativeCounts(counts);
  let best: { needed: bigint; level: number } | null = null;
  for (let j = now.tippingLevel + 1; j <= ladder.length; j++) {
    const needed = BigInt(ladder[j - 1]) - (cumulative[j - 1] ?? 0n);
    if (needed <= 0n) continue;
    // ≤: on a tie the higher level wins (more pledges tip it)
    if (best === null || needed <= best.needed) best = { needed, level: j };
  }
  if (best === null) return null;
  const after = [...counts];
  after[best.level - 1] = (after[best.level - 1] ?? 0n) + best.needed;
  const then = resolve(ladder, { counts: after, requested: [], donated: [] });
  return {
    pledgesNeeded: best.needed,
    level: best.level,
    threshold: ladder[best.level - 1],
    anyLevel: best.level === ladder.length,
    committedNow: now.committed,
    committedThen: then.committed,
  };
}

// ------------------------------------------------------------------ the rules around the escrow

/** Why `pledgeBatch` skipped an item (ICampaign.SkipReason; same order). */
export const SkipReason = {
  InvalidSignature: 0,
  InvalidNonce: 1,
  InvalidVoucher: 2,
  LevelOutOfRange: 3,
  SupportAboveCap: 4,
  NotPledged: 5,
  FinalLock: 6,
  LevelLimitExceeded: 7,
  ConditionOutOfRange: 8,
} as const;
export type SkipReasonName = keyof typeof SkipReason;
export const SKIP_REASONS = Object.keys(SkipReason) as SkipReasonName[];

/** What `claim` or `reclaimDonation` would do now (ICampaign.Entitlement; same order). */
export const Entitlement = { None: 0, Pending: 1, NeedsProof: 2, Due: 3, Taken: 4, Expired: 5 } as const;
export type EntitlementName = keyof typeof Entitlement;
export const ENTITLEMENTS = Object.keys(Entitlement) as EntitlementName[];

/** The longest final lock a campaign may have (7 days), and the one the dApp proposes (24 hours). */
export { FINAL_LOCK_MAX } from "./campaign-params.ts";
export const FINAL_LOCK_PROPOSED = 86_400n;
/** A bucket's (level's, per condition) requested support may not exceed this (Campaign._LEVEL_AMOUNT_MAX). */
export const LEVEL_AMOUNT_MAX = (1n << 90n) - 1n;

/** The dates and windows of a campaign that the rules below depend on (ICampaign.CampaignParams). */
export interface CampaignClock {
  pledgeDeadline: bigint;
  finalLock: bigint;
  actionDate: bigint;
  oracleWindow: bigint;
  claimWindow: bigint;
  /** Whether the campaign has a participation oracle. */
  hasOracle: boolean;
}

/** A campaign's clock from its parameters (`Campaign.parameters()`, `CampaignParameters`). */
export function campaignClock(p: Omit<CampaignClock, "hasOracle"> & { oracle: string }): CampaignClock {
  return {
    pledgeDeadline: p.pledgeDeadline,
    finalLock: p.finalLock,
    actionDate: p.actionDate,
    oracleWindow: p.oracleWindow,
    claimWindow: p.claimWindow,
    hasOracle: BigInt(p.oracle) !== 0n,
  };
}

/** The final lock holds while lockStart < now <= pledgeDeadline. */
export function lockStart(c: Pick<CampaignClock, "pledgeDeadline" | "finalLock">): bigint {
  return c.pledgeDeadline - c.finalLock;
}

/** Whether the final lock holds at `now`. */
export function finalLockActive(c: Pick<CampaignClock, "pledgeDeadline" | "finalLock">, now: bigint): boolean {
  return now > lockStart(c) && now <= c.pledgeDeadline;
}

/** The condition the contract records for a pledge: 0 when its level or its support is 0. */
export function recordedCondition(p: { level: number; support: bigint; condition?: number }): number {
  return p.level === 0 || p.support === 0n ? 0 : (p.condition ?? 0);
}

/**
 * Whether the final lock refuses changing `previous` into `next` (level 0 = withdrawal): a withdrawal,
 * a higher level index or a higher support; with conditions also a new pledge with a condition, any
 * change of condition (so an unconditional pledge cannot become conditional, nor a conditional one
 * drop to support 0, which records condition 0), and any change of level of a pledge with a
 * condition. New unconditional pledges, lower levels and lower support are accepted. `next`'s
 * condition is taken as recorded (`recordedCondition`).
 * @example
 * lockRefuses({ level: 2, support: 50n, condition: 1 }, { level: 2, support: 40n, condition: 1 }); // false
 * lockRefuses({ level: 2, support: 50n, condition: 1 }, { level: 1, support: 40n, condition: 1 }); // true
 */
export function lockRefuses(previous: PledgeState | undefined, next: PledgeState): boolean {
  const condition = recordedCondition(next);
  if (previous === undefined || previous.level === 0) return condition !== 0;
  const support = next.level === 0 ? 0n : next.support;
  if (next.level === 0 || next.level > previous.level || support > previous.support) return true;
  if (condition !== previous.condition) return true;
  return previous.condition !== 0 && next.level !== previous.level;
}

/**
 * The first check a signed pledge fails, as `pledgeBatch` reports it (null: it is applied). Mirrors
 * Campaign._applyPledge's order: nonce, level, support, condition, withdrawal of nothing, final lock,
 * voucher, bucket total. The signature itself and the voucher are judged by the caller.
 */
export function pledgeSkipReason(
  p: {
    levels: number;
    supportCap: bigint;
    locked: boolean;
    /** K, the campaign's number of conditions (0 if absent). */
    conditions?: number;
    /** Whether the voucher is needed (attester, key's first pledge) and missing or wrong. */
    voucherInvalid?: boolean;
    /**
     * The requested total before this item of the item's bucket: its level and its recorded
     * condition (for LevelLimitExceeded, which each condition's total at a level meets separately).
     */
    levelRequested?: bigint;
  },
  previous: (PledgeState & { nonce: number }) | undefined,
  item: { level: number; support: bigint; nonce: number; condition?: number },
): SkipReasonName | null {
  const prev = previous ?? { level: 0, support: 0n, condition: 0, nonce: 0 };
  if (item.nonce !== prev.nonce) return "InvalidNonce";
  if (item.level > p.levels) return "LevelOutOfRange";
  if (item.support > p.supportCap) return "SupportAboveCap";
  if ((item.condition ?? 0) > (p.conditions ?? 0)) return "ConditionOutOfRange";
  if (item.level === 0 && prev.level === 0) return "NotPledged";
  const support = item.level === 0 ? 0n : item.support;
  const condition = recordedCondition(item);
  if (p.locked && lockRefuses(prev, { level: item.level, support, condition })) return "FinalLock";
  if (p.voucherInvalid) return "InvalidVoucher";
  if (support !== 0n && p.levelRequested !== undefined) {
    const sameBucket = prev.level === item.level && prev.condition === condition;
    const after = p.levelRequested + support - (sameBucket ? prev.support : 0n);
    if (after > LEVEL_AMOUNT_MAX) return "LevelLimitExceeded";
  }
  return null;
}

/**
 * End of the oracle's window (0 without oracle) and of the claim window:
 * claimEnd = max(actionDate + oracleWindow + claimWindow, resolvedAt + claimWindow) (resolvedAt 0 before resolution),
 * at most 2^64 - 1.
 */
export function windows(c: CampaignClock, resolvedAt = 0n): { oracleEnd: bigint; claimEnd: bigint } {
  // Each end saturates at 2^64 - 1, as the contract's: a late resolution never overflows it.
  const saturate = (t: bigint) => (t > UINT64_MAX_TIME ? UINT64_MAX_TIME : t);
  const end = c.actionDate + c.oracleWindow;
  let claimEnd = end + c.claimWindow;
  if (resolvedAt !== 0n && resolvedAt + c.claimWindow > claimEnd) claimEnd = resolvedAt + c.claimWindow;
  return { oracleEnd: c.hasOracle ? saturate(end) : 0n, claimEnd: saturate(claimEnd) };
}

const UINT64_MAX_TIME = 2n ** 64n - 1n;

/** Whether no more support can be claimed: the claim window closed, or the oracle's closed with no set published. */
export function claimsClosed(c: CampaignClock, resolvedAt: bigint, rootPublished: boolean, now: bigint): boolean {
  const { oracleEnd, claimEnd } = windows(c, resolvedAt);
  return now > claimEnd || (c.hasOracle && now > oracleEnd && !rootPublished);
}

/** The state a campaign is in, as the entitlement views read it. */
export interface EntitlementContext {
  clock: CampaignClock;
  now: bigint;
  /** null before resolution. */
  resolution: Pick<
    Resolution,
    "tippingLevel" | "boundCondition" | "boundConditionLevel" | "triggeredDonations" | "requestedSupport"
  > | null;
  resolvedAt: bigint;
  rootPublished: boolean;
  claimedTotal: bigint;
}

/** What `claim` would do now for a pledge (Campaign.claimableSupport); a pledge that does not bind gets None. */
export function claimEntitlement(
  ctx: EntitlementContext,
  pledge: PledgeState & { claimed: boolean },
): { state: EntitlementName; amount: bigint } {
  const r = ctx.resolution;
  if (r === null) return { state: pledge.level !== 0 && pledge.support !== 0n ? "Pending" : "None", amount: 0n };
  if (!binds(r, pledge)) return { state: "None", amount: 0n };
  const amount = supportShare(pledge.support, r);
  if (amount === 0n) return { state: "None", amount: 0n };
  if (pledge.claimed) return { state: "Taken", amount };
  const { oracleEnd, claimEnd } = windows(ctx.clock, ctx.resolvedAt);
  if (ctx.now > claimEnd) return { state: "Expired", amount };
  if (!ctx.clock.hasOracle) return { state: "Due", amount };
  if (ctx.rootPublished) return { state: "NeedsProof", amount };
  return ctx.now <= oracleEnd ? { state: "Pending", amount } : { state: "None", amount: 0n };
}

/** What `reclaimDonation` would do now for a donation (Campaign.reclaimable); `null` once paid back in full. */
export function reclaimEntitlement(
  ctx: EntitlementContext,
  donation: { level: number; amount: bigint; surplusTaken: boolean } | null,
  known = true,
): { state: EntitlementName; amount: bigint } {
  if (donation === null) return { state: known ? "Taken" : "None", amount: 0n };
  const r = ctx.resolution;
  if (r === null) return { state: "Pending", amount: 0n };
  if (donation.level > r.tippingLevel) return { state: "Due", amount: donation.amount };
  let amount = donation.surplusTaken ? 0n : surplusShare(donation.amount, r);
  const remainder = remainderShare(donation.amount, r, ctx.claimedTotal);
  if (claimsClosed(ctx.clock, ctx.resolvedAt, ctx.rootPublished, ctx.now)) {
    amount += remainder;
    return amount !== 0n ? { state: "Due", amount } : { state: "Taken", amount: 0n };
  }
  if (amount !== 0n) return { state: "Due", amount };
  return remainder !== 0n ? { state: "Pending", amount: remainder } : { state: "Taken", amount: 0n };
}
