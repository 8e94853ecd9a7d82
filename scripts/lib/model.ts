/**
 * The reference model of MECHANISM.md, "Resolution": a pure function of a recorded history.
 *
 * It mirrors `contracts/Campaign.sol` and `contracts/libraries/BasculeMath.sol` one for one, in
 * bigint, so the dApp (live provisional result), the keeper and the tests all use this one text.
 * Levels are numbered 1..m as `j` is in the specification; arrays are indexed from 0 (level 1).
 */

/** A pledge key's current pledge: level 1..m, or 0 once withdrawn. */
export interface PledgeState {
  level: number;
  support: bigint;
}

/** A donation still in escrow (withdrawn ones are removed from the history's state). */
export interface DonationState {
  id: bigint;
  donor: string;
  level: number;
  amount: bigint;
}

/** Totals per level; index 0 is level 1. */
export interface Tallies {
  counts: bigint[];
  requested: bigint[];
  donated: bigint[];
}

/** The outcome of `resolve`. `tippingLevel` is j*, 0 when the campaign failed. */
export interface Resolution {
  succeeded: boolean;
  tippingLevel: number;
  committed: bigint;
  triggeredDonations: bigint;
  requestedSupport: bigint;
  paid: bigint;
}

/** One recorded event, as the campaign's log gives it (see ICampaign's events). */
export type HistoryEvent =
  | { kind: "Pledged" | "PledgeChanged"; pledgeKey: string; level: number; support: bigint }
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

/** Applies one event to a history state (mutates it). */
export function applyEvent(state: HistoryState, e: HistoryEvent): void {
  switch (e.kind) {
    case "Pledged":
    case "PledgeChanged":
      state.pledges.set(e.pledgeKey.toLowerCase(), { level: e.level, support: e.support });
      break;
    case "PledgeWithdrawn":
      state.pledges.set(e.pledgeKey.toLowerCase(), { level: 0, support: 0n });
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

/** Per-level totals of a history state, for a ladder of `levels` levels. */
export function tallies(levels: number, state: HistoryState): Tallies {
  const t: Tallies = {
    counts: Array.from({ length: levels }, () => 0n),
    requested: Array.from({ length: levels }, () => 0n),
    donated: Array.from({ length: levels }, () => 0n),
  };
  for (const p of state.pledges.values()) {
    if (p.level === 0) continue;
    t.counts[p.level - 1] += 1n;
    t.requested[p.level - 1] += p.support;
  }
  for (const d of state.donations.values()) t.donated[d.level - 1] += d.amount;
  return t;
}

/** C(j) for j = 1..m (index 0 is C(1)). */
export function cumulativeCounts(counts: readonly bigint[]): bigint[] {
  let c = 0n;
  return counts.map((n) => (c += n));
}

/**
 * Resolves a campaign from its ladder and tallies (MECHANISM.md, Resolution, 1–4).
 *
 * @example
 * resolve([2, 5], { counts: [2n, 1n], requested: [10n, 0n], donated: [30n, 5n] })
 * // C(1) = 2 ≥ 2, C(2) = 3 < 5 → j* = 1, P = 2, F = 30, R = 10, paid = 10
 */
export function resolve(ladder: readonly number[], t: Tallies): Resolution {
  let cumulative = 0n;
  let tippingLevel = 0;
  let committed = 0n;
  for (let j = 1; j <= ladder.length; j++) {
    cumulative += t.counts[j - 1] ?? 0n;
    if (cumulative >= BigInt(ladder[j - 1])) {
      tippingLevel = j;
      committed = cumulative;
    }
  }
  let triggeredDonations = 0n;
  let requestedSupport = 0n;
  for (let j = 1; j <= tippingLevel; j++) {
    triggeredDonations += t.donated[j - 1] ?? 0n;
    requestedSupport += t.requested[j - 1] ?? 0n;
  }
  return {
    succeeded: tippingLevel !== 0,
    tippingLevel,
    committed,
    triggeredDonations,
    requestedSupport,
    paid: paidOut(triggeredDonations, requestedSupport),
  };
}

/** What the next tipping point would take, for the dApp's sentence. */
export interface NextTippingPoint {
  /** Pledges to add at or below `level`. */
  pledgesNeeded: bigint;
  /** The level (1..m) those pledges must be at or below. */
  level: number;
  /** Its threshold L_level. */
  threshold: number;
  /** Committed participants now (P), and once those pledges are made (P'). */
  committedNow: bigint;
  committedThen: bigint;
}

/**
 * The smallest number of new pledges that would raise the tipping level, and what P becomes:
 * "N more pledges at or below L and P' people are committed instead of P".
 * Returns null when every level is already reached.
 */
export function nextTippingPoint(ladder: readonly number[], counts: readonly bigint[]): NextTippingPoint | null {
  const now = resolve(ladder, { counts: [...counts], requested: [], donated: [] });
  const cumulative = cumulativeCounts(counts);
  let best: NextTippingPoint | null = null;
  for (let j = now.tippingLevel + 1; j <= ladder.length; j++) {
    const needed = BigInt(ladder[j - 1]) - cumulative[j - 1];
    if (needed <= 0n) continue;
    const after = [...counts];
    after[j - 1] += needed;
    const then = resolve(ladder, { counts: after, requested: [], donated: [] });
    if (best === null || needed < best.pledgesNeeded) {
      best = {
        pledgesNeeded: needed,
        level: j,
        threshold: ladder[j - 1],
        committedNow: now.committed,
        committedThen: then.committed,
      };
    }
  }
  return best;
}
