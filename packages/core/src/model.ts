/**
 * The reference model of MECHANISM.md, "Resolution": a pure function of a recorded history.
 *
 * It mirrors `contracts/Campaign.sol` and `contracts/libraries/BasculeMath.sol` one for one, in
 * bigint, so the dApp (live provisional result), the keeper, the relayer (the final lock, the skip
 * reasons, the windows and the entitlements) and the tests all use this one text; the differential
 * test holds every function here against the contract.
 * Levels are numbered 1..m as `j` is in the specification; arrays are indexed from 0 (level 1).
 */

/** A pledge key's current pledge: level 1..m, or 0 once withdrawn. */
export interface PledgeState {
  readonly level: number;
  readonly support: bigint;
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

/**
 * One shared, frozen state per level for pledges without a support request (most of them): a
 * replay of a million pledges then keeps one Map entry per key, not one object and one bigint
 * more (about 40 bytes a pledge in V8).
 */
const UNSUPPORTED: PledgeState[] = [];
function pledgeState(level: number, support: bigint): PledgeState {
  if (support !== 0n || !Number.isSafeInteger(level) || level < 0 || level > 1_024) return { level, support };
  return (UNSUPPORTED[level] ??= Object.freeze({ level, support: 0n }));
}

/** Applies one event to a history state (mutates it). */
export function applyEvent(state: HistoryState, e: HistoryEvent): void {
  switch (e.kind) {
    case "Pledged":
    case "PledgeChanged":
      state.pledges.set(e.pledgeKey.toLowerCase(), pledgeState(e.level, e.support));
      break;
    case "PledgeWithdrawn":
      state.pledges.set(e.pledgeKey.toLowerCase(), pledgeState(0, 0n));
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
/** A level's requested support may not exceed this (Campaign._LEVEL_AMOUNT_MAX). */
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

/**
 * Whether the final lock refuses changing `previous` into `next` (level 0 = withdrawal): a withdrawal,
 * a higher level index or a higher support; new pledges, lower levels and lower support are accepted.
 */
export function lockRefuses(previous: PledgeState | undefined, next: PledgeState): boolean {
  if (previous === undefined || previous.level === 0) return false;
  const support = next.level === 0 ? 0n : next.support;
  return next.level === 0 || next.level > previous.level || support > previous.support;
}

/**
 * The first check a signed pledge fails, as `pledgeBatch` reports it (null: it is applied). Mirrors
 * Campaign._applyPledge's order; the signature itself and the voucher are judged by the caller.
 */
export function pledgeSkipReason(
  p: {
    levels: number;
    supportCap: bigint;
    locked: boolean;
    /** Whether the voucher is needed (attester, key's first pledge) and missing or wrong. */
    voucherInvalid?: boolean;
    /** The level's requested total before this item (for LevelLimitExceeded). */
    levelRequested?: bigint;
  },
  previous: (PledgeState & { nonce: number }) | undefined,
  item: { level: number; support: bigint; nonce: number },
): SkipReasonName | null {
  const prev = previous ?? { level: 0, support: 0n, nonce: 0 };
  if (item.nonce !== prev.nonce) return "InvalidNonce";
  if (item.level > p.levels) return "LevelOutOfRange";
  if (item.support > p.supportCap) return "SupportAboveCap";
  if (item.level === 0 && prev.level === 0) return "NotPledged";
  if (p.locked && lockRefuses(prev, item)) return "FinalLock";
  if (p.voucherInvalid) return "InvalidVoucher";
  const support = item.level === 0 ? 0n : item.support;
  if (support !== 0n && p.levelRequested !== undefined) {
    const after = p.levelRequested + support - (prev.level === item.level ? prev.support : 0n);
    if (after > LEVEL_AMOUNT_MAX) return "LevelLimitExceeded";
  }
  return null;
}

/**
 * End of the oracle's window (0 without oracle) and of the claim window:
 * claimEnd = max(actionDate + oracleWindow + claimWindow, resolvedAt + claimWindow) (resolvedAt 0 before resolution).
 */
export function windows(c: CampaignClock, resolvedAt = 0n): { oracleEnd: bigint; claimEnd: bigint } {
  const end = c.actionDate + c.oracleWindow;
  let claimEnd = end + c.claimWindow;
  if (resolvedAt !== 0n && resolvedAt + c.claimWindow > claimEnd) claimEnd = resolvedAt + c.claimWindow;
  return { oracleEnd: c.hasOracle ? end : 0n, claimEnd };
}

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
  resolution: Pick<Resolution, "tippingLevel" | "triggeredDonations" | "requestedSupport"> | null;
  resolvedAt: bigint;
  rootPublished: boolean;
  claimedTotal: bigint;
}

/** What `claim` would do now for a pledge (Campaign.claimableSupport). */
export function claimEntitlement(
  ctx: EntitlementContext,
  pledge: PledgeState & { claimed: boolean },
): { state: EntitlementName; amount: bigint } {
  const r = ctx.resolution;
  if (r === null) return { state: pledge.level !== 0 && pledge.support !== 0n ? "Pending" : "None", amount: 0n };
  if (pledge.level === 0 || pledge.level > r.tippingLevel) return { state: "None", amount: 0n };
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
