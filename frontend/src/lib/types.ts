/**
 * The dApp's view of a campaign: what never changes (read once) and what does (read in one
 * multicall). Read by hooks/useCampaign.ts; rendered by the pages and components.
 */
import type { Address, Hex } from "viem";
import type { CampaignParameters } from "@bascule/core/campaign-params";
import type { CampaignMetadata, MetadataField } from "@bascule/core/metadata";
import type { Tallies } from "@bascule/core/model";
import type { UnionMetadata } from "./union.ts";

/** The description document a campaign's metadata URI points to. */
export type { CampaignMetadata };

export type MetadataCheck = "ok" | "bad" | "unknown";

/** What never changes: parameters, organiser, description, token. */
export interface CampaignStatic {
  address: Address;
  organiser: Address;
  params: CampaignParameters;
  metadataURI: string;
  /** The description's fields that match their schema (null when there is none that can be read). */
  metadata: CampaignMetadata | null;
  /** Fields the description had that did not match their schema: left out, never rendered. */
  metadataOmitted: MetadataField[];
  metadataCheck: MetadataCheck;
  /** The union's attester and payout desks, as the description names them (each field checked). */
  union: UnionMetadata;
  token: { address: Address; symbol: string; decimals: number };
  /** The block the factory created it in: where reading its events starts. */
  createdAt: bigint;
}

/** What changes: state and tallies, read in one multicall, plus the escrow's balance. */
export interface CampaignLive {
  phase: number;
  tippingLevel: number;
  committed: bigint;
  triggeredDonations: bigint;
  requestedSupport: bigint;
  /** The bound set's last bucket once resolved (k*, j*_k; MECHANISM "Resolution with conditions"), 0 before. */
  boundCondition: number;
  boundConditionLevel: number;
  /** Whether any pledge ever had a condition. */
  conditional: boolean;
  claimedTotal: bigint;
  donationCount: bigint;
  participationRoot: Hex;
  /** `levelTallies()`, and each condition's part (`conditionTallies()`) when the campaign has conditions. */
  tallies: Tallies;
  oracleEnd: bigint;
  claimEnd: bigint;
  balance: bigint;
  /** Seconds between the chain's latest block and this computer's clock (time travel on test chains). */
  chainOffset: number;
}

export type CampaignPhase = "open" | "awaiting" | "succeeded" | "failed";

/** `status().phase` (ICampaign.Status): open before resolution, then resolved for good. */
export const Phase = { Open: 1, Resolved: 2 } as const;
