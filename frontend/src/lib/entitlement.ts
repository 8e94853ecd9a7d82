/**
 * What a receipt says about a triggered pledge's support: one sentence per state of
 * `claimableSupport` (ICampaign.Entitlement), with the date that matters for it.
 */
import { ENTITLEMENTS } from "@bascule/core/model";

export type EntitlementMessageId =
  | "receipt.entitlementPending"
  | "receipt.entitlementNeedsProof"
  | "receipt.entitlementDue"
  | "receipt.entitlementExpired"
  | "receipt.entitlementNoList"
  | "receipt.entitlementNoMoney"
  | "receipt.claimedAlready";

export interface EntitlementFacts {
  /** The campaign has a participation oracle. */
  hasOracle: boolean;
  rootPublished: boolean;
  /** The chain's time, in seconds. */
  now: number;
  oracleEnd: bigint;
  claimEnd: bigint;
}

/**
 * The message for `claimableSupport`'s (state, amount); `date` is the deadline the sentence names.
 * @example entitlementMessage(3, 10n, facts) // { id: "receipt.entitlementDue", amount: 10n, date: facts.claimEnd }
 */
export function entitlementMessage(
  state: number,
  amount: bigint,
  f: EntitlementFacts,
): { id: EntitlementMessageId; amount: bigint; date: bigint | null } {
  switch (ENTITLEMENTS[state]) {
    case "Pending":
      return { id: "receipt.entitlementPending", amount, date: f.oracleEnd };
    case "NeedsProof":
      return { id: "receipt.entitlementNeedsProof", amount, date: f.claimEnd };
    case "Due":
      return { id: "receipt.entitlementDue", amount, date: f.claimEnd };
    case "Taken":
      return { id: "receipt.claimedAlready", amount, date: null };
    case "Expired":
      return { id: "receipt.entitlementExpired", amount, date: f.claimEnd };
    default:
      // None, for a triggered pledge that asked for support: the oracle never published in its
      // window (no support without proof), or nothing was donated at its level (paid = 0).
      return f.hasOracle && !f.rootPublished && f.now > Number(f.oracleEnd)
        ? { id: "receipt.entitlementNoList", amount: 0n, date: f.oracleEnd }
        : { id: "receipt.entitlementNoMoney", amount: 0n, date: null };
  }
}
