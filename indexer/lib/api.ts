/**
 * The shapes of the indexer's HTTP API and the checks on its query strings, free of Ponder and
 * Hono so the dApp's types and the tests share them.
 */

/** A stable code and a message in both languages, as every Bascule service answers errors. */
export interface ApiError {
  code: string;
  message: { en: string; fr: string };
}

/** One campaign as GET /campaigns lists it. Amounts and block numbers are decimal strings. */
export interface ApiCampaign {
  address: `0x${string}`;
  organiser: `0x${string}`;
  token: `0x${string}`;
  metadataURI: string;
  metadataHash: `0x${string}`;
  ladder: number[];
  /** c_1..c_K in basis points ([]: no conditions). */
  conditions: number[];
  pledgeDeadline: string;
  actionDate: string;
  createdBlock: string;
  /** Per-level counts, level 1 first (the contract's levelTallies().counts). */
  counts: number[];
  /** Per-level support requested and donated (levelTallies), decimal strings. */
  requested: string[];
  donated: string[];
  /**
   * Each condition's part per level (the contract's conditionTallies): entry k - 1 is condition k,
   * level 1 first, as the model's Tallies.conditional. [] without conditions.
   */
  conditional: { counts: number[]; requested: string[] }[];
  /** People ready: pledges standing now. */
  pledgeCount: number;
  donationCount: number;
  donatedTotal: string;
  /** The reference model's j* and P on the counts: how many would act now. */
  provisionalTippingLevel: number;
  provisionalCommitted: number;
  /** The model's k* and j*_k: a pledge at level j ≤ j* with condition k counts iff k < k*, or k = k* and j ≤ j*_k. */
  provisionalBoundCondition: number;
  provisionalBoundConditionLevel: number;
  /** 1 open, 2 resolved (the contract's phase). */
  phase: number;
  tippingLevel: number | null;
  committed: number | null;
  /** The contract's k* and j*_k once resolved (CampaignResolved), else null. */
  boundCondition: number | null;
  boundConditionLevel: number | null;
  activity: number;
  updatedBlock: string;
}

export interface ApiCampaignList {
  campaigns: ApiCampaign[];
  /** Campaigns with at least `minPledges` pledges, and those left out. */
  listed: number;
  hidden: number;
}

interface CampaignRowLike {
  address: `0x${string}`;
  organiser: `0x${string}`;
  token: `0x${string}`;
  metadataURI: string;
  metadataHash: `0x${string}`;
  ladder: number[];
  conditions: number[];
  pledgeDeadline: bigint;
  actionDate: bigint;
  createdBlock: bigint;
  counts: number[];
  requested: string[];
  donated: string[];
  conditionCounts: number[];
  conditionRequested: string[];
  pledgeCount: number;
  donationCount: number;
  donatedTotal: bigint;
  provisionalTippingLevel: number;
  provisionalCommitted: number;
  provisionalBoundCondition: number;
  provisionalBoundConditionLevel: number;
  phase: number;
  tippingLevel: number | null;
  committed: number | null;
  boundCondition: number | null;
  boundConditionLevel: number | null;
  activity: number;
  updatedBlock: bigint;
}

export function toApiCampaign(r: CampaignRowLike): ApiCampaign {
  return {
    address: r.address,
    organiser: r.organiser,
    token: r.token,
    metadataURI: r.metadataURI,
    metadataHash: r.metadataHash,
    ladder: r.ladder,
    conditions: r.conditions,
    pledgeDeadline: r.pledgeDeadline.toString(),
    actionDate: r.actionDate.toString(),
    createdBlock: r.createdBlock.toString(),
    counts: r.counts,
    requested: r.requested,
    donated: r.donated,
    conditional: Array.from({ length: r.conditions.length }, (_, k) => ({
      counts: r.conditionCounts.slice(k * r.ladder.length, (k + 1) * r.ladder.length),
      requested: r.conditionRequested.slice(k * r.ladder.length, (k + 1) * r.ladder.length),
    })),
    pledgeCount: r.pledgeCount,
    donationCount: r.donationCount,
    donatedTotal: r.donatedTotal.toString(),
    provisionalTippingLevel: r.provisionalTippingLevel,
    provisionalCommitted: r.provisionalCommitted,
    provisionalBoundCondition: r.provisionalBoundCondition,
    provisionalBoundConditionLevel: r.provisionalBoundConditionLevel,
    phase: r.phase,
    tippingLevel: r.tippingLevel,
    committed: r.committed,
    boundCondition: r.boundCondition,
    boundConditionLevel: r.boundConditionLevel,
    activity: r.activity,
    updatedBlock: r.updatedBlock.toString(),
  };
}

type Query = Record<string, string | string[] | undefined>;

const MAX_LIMIT = 500;

function integer(q: Query, name: string, min: number, max: number): number | undefined | ApiError {
  const raw = q[name];
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
    return {
      code: "BAD_QUERY",
      message: {
        en: `"${name}" must be a whole number from ${min} to ${max}.`,
        fr: `« ${name} » doit être un nombre entier de ${min} à ${max}.`,
      },
    };
  }
  return Number(value);
}

const isError = (v: unknown): v is ApiError => typeof v === "object" && v !== null && "code" in v;

/** minPledges (default 0), limit (1..500, default 100), offset (default 0). */
export function parseListQuery(q: Query): { minPledges: number; limit: number; offset: number } | { error: ApiError } {
  const minPledges = integer(q, "minPledges", 0, 2 ** 32);
  const limit = integer(q, "limit", 1, MAX_LIMIT);
  const offset = integer(q, "offset", 0, 1_000_000_000);
  for (const v of [minPledges, limit, offset]) if (isError(v)) return { error: v };
  return {
    minPledges: (minPledges as number | undefined) ?? 0,
    limit: (limit as number | undefined) ?? 100,
    offset: (offset as number | undefined) ?? 0,
  };
}

/** before / after (a sequence number), limit (1..500, default 100). */
export function parsePageQuery(q: Query): { before?: number; after?: number; limit: number } | { error: ApiError } {
  const before = integer(q, "before", 0, 2 ** 31 - 1);
  const after = integer(q, "after", 0, 2 ** 31 - 1);
  const limit = integer(q, "limit", 1, MAX_LIMIT);
  for (const v of [before, after, limit]) if (isError(v)) return { error: v };
  return {
    before: before as number | undefined,
    after: after as number | undefined,
    limit: (limit as number | undefined) ?? 100,
  };
}
