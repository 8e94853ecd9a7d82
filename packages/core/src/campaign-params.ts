/**
 * A campaign's parameters and the one validator of them: `CampaignFactory._validate`, rule by rule,
 * in the same order, each broken rule named after the factory's custom error with its arguments
 * (as viem decodes a revert: `{ errorName, args }`). The dApp's create page and the organiser CLI
 * both check a campaign with it before any transaction, and map the error names to their own words.
 */
import type { ContractErrorArgs, ContractFunctionArgs } from "viem";
import type { campaignFactoryAbi } from "./generated/abis.ts";

/**
 * A campaign's parameters as `CampaignFactory.createCampaign` takes them and `Campaign.parameters()`
 * returns them (ICampaign.CampaignParams), derived from the ABI: `token` is address(0) for native
 * ETH; `finalLock` the seconds before the deadline during which nothing promised can be taken back
 * (0 to 7 days; 24 h proposed); `ladder` the thresholds L_1 < … < L_m.
 */
export type CampaignParameters = ContractFunctionArgs<typeof campaignFactoryAbi, "nonpayable", "createCampaign">[0];

/** The factory's bounds (CampaignFactory._MAX_LEVELS, _FINAL_LOCK_MAX, _SUPPORT_CAP_MAX). */
export const MAX_LEVELS = 64;
export const FINAL_LOCK_MAX = 7n * 86_400n;
export const SUPPORT_CAP_MAX = (1n << 90n) - 1n;
/** At most two conditions beyond "none" (CampaignFactory._MAX_CONDITIONS), in basis points of 10,000. */
export const MAX_CONDITIONS = 2;
export const FULL_COVERAGE = 10_000;
/** The conditions the dApp proposes: at least half, all of the request covered. */
export const PROPOSED_CONDITIONS: readonly number[] = [5_000, 10_000];
const UINT64_MAX = (1n << 64n) - 1n;

/** The errors `CampaignFactory._validate` reverts with, in the order it checks them. */
export const CAMPAIGN_PARAMETER_ERRORS = [
  "InvalidLadderLength",
  "LadderNotIncreasing",
  "DeadlineNotInFuture",
  "InvalidFinalLock",
  "ActionBeforeDeadline",
  "ZeroClaimWindow",
  "OracleWindowMismatch",
  "WindowTooLong",
  "SupportCapTooLarge",
  "GateRequired",
  "MissingMetadataHash",
  "TooManyConditions",
  "InvalidCondition",
  "ConditionsWithoutSupport",
] as const;
export type CampaignParameterErrorName = (typeof CAMPAIGN_PARAMETER_ERRORS)[number];

/** One broken rule, as viem decodes the factory's revert. */
export type CampaignParameterError = {
  [N in CampaignParameterErrorName]: { errorName: N; args: ContractErrorArgs<typeof campaignFactoryAbi, N> };
}[CampaignParameterErrorName];

type Rule = {
  /** The parameters the rule reads: it is checked only when all of them are given. */
  reads: readonly (keyof CampaignParameters)[];
  check: (p: CampaignParameters, now: bigint) => CampaignParameterError | null;
};

const RULES: readonly Rule[] = [
  {
    reads: ["ladder"],
    check: (p) =>
      p.ladder.length === 0 || p.ladder.length > MAX_LEVELS
        ? { errorName: "InvalidLadderLength", args: [BigInt(p.ladder.length)] }
        : null,
  },
  {
    reads: ["ladder"],
    check: (p) => {
      let previous = 0;
      for (const [i, level] of p.ladder.entries()) {
        if (level <= previous) return { errorName: "LadderNotIncreasing", args: [BigInt(i), level] };
        previous = level;
      }
      return null;
    },
  },
  {
    reads: ["pledgeDeadline"],
    check: (p, now) =>
      p.pledgeDeadline <= now ? { errorName: "DeadlineNotInFuture", args: [p.pledgeDeadline, now] } : null,
  },
  {
    reads: ["finalLock", "pledgeDeadline"],
    check: (p, now) =>
      p.finalLock > FINAL_LOCK_MAX || p.finalLock >= p.pledgeDeadline - now
        ? { errorName: "InvalidFinalLock", args: [p.finalLock] }
        : null,
  },
  {
    reads: ["actionDate", "pledgeDeadline"],
    check: (p) =>
      p.actionDate < p.pledgeDeadline
        ? { errorName: "ActionBeforeDeadline", args: [p.actionDate, p.pledgeDeadline] }
        : null,
  },
  {
    reads: ["claimWindow"],
    check: (p) => (p.claimWindow === 0n ? { errorName: "ZeroClaimWindow", args: [] } : null),
  },
  {
    reads: ["oracle", "oracleWindow"],
    check: (p) =>
      (BigInt(p.oracle) === 0n) !== (p.oracleWindow === 0n)
        ? { errorName: "OracleWindowMismatch", args: [p.oracle, p.oracleWindow] }
        : null,
  },
  {
    reads: ["actionDate", "oracleWindow", "claimWindow"],
    check: (p) =>
      p.actionDate + p.oracleWindow + p.claimWindow > UINT64_MAX ? { errorName: "WindowTooLong", args: [] } : null,
  },
  {
    reads: ["supportCap"],
    check: (p) => (p.supportCap > SUPPORT_CAP_MAX ? { errorName: "SupportCapTooLarge", args: [p.supportCap] } : null),
  },
  {
    // Money needs a gate: without an attester or an oracle, throw-away keys could take the donations.
    reads: ["supportCap", "attester", "oracle"],
    check: (p) =>
      p.supportCap !== 0n && BigInt(p.attester) === 0n && BigInt(p.oracle) === 0n
        ? { errorName: "GateRequired", args: [] }
        : null,
  },
  {
    reads: ["metadataHash"],
    check: (p) => (BigInt(p.metadataHash) === 0n ? { errorName: "MissingMetadataHash", args: [] } : null),
  },
  {
    reads: ["conditions"],
    check: (p) =>
      p.conditions.length > MAX_CONDITIONS
        ? { errorName: "TooManyConditions", args: [BigInt(p.conditions.length)] }
        : null,
  },
  {
    reads: ["conditions"],
    check: (p) => {
      let below = 0;
      for (const [i, condition] of p.conditions.slice(0, MAX_CONDITIONS).entries()) {
        if (condition <= below || condition > FULL_COVERAGE) {
          return { errorName: "InvalidCondition", args: [BigInt(i), condition] };
        }
        below = condition;
      }
      return null;
    },
  },
  {
    // A condition is on support: without a cap nobody requests any, so there is nothing to cover.
    reads: ["conditions", "supportCap"],
    check: (p) =>
      p.conditions.length !== 0 && p.supportCap === 0n ? { errorName: "ConditionsWithoutSupport", args: [] } : null,
  },
];

/**
 * Every factory rule the parameters break, in the factory's order; the first is the error
 * `createCampaign` reverts with, an empty list means it accepts them. A rule reading a parameter
 * left out (a form field that does not parse yet) is not checked.
 * @example
 * campaignParameterErrors({ ...params, ladder: [5, 2] }, now)
 * // [{ errorName: "LadderNotIncreasing", args: [1n, 2] }]
 */
export function campaignParameterErrors(p: Partial<CampaignParameters>, now: bigint): CampaignParameterError[] {
  const errors: CampaignParameterError[] = [];
  for (const rule of RULES) {
    if (rule.reads.some((name) => p[name] === undefined)) continue;
    const error = rule.check(p as CampaignParameters, now);
    if (error) errors.push(error);
  }
  return errors;
}

/**
 * The error `createCampaign` would revert with at block time `now`, or null if it accepts them.
 * @example validateCampaignParameters(params, now)?.errorName // "GateRequired"
 */
export function validateCampaignParameters(p: CampaignParameters, now: bigint): CampaignParameterError | null {
  return campaignParameterErrors(p, now)[0] ?? null;
}
