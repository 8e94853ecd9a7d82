/**
 * What the notifier reads from the chain: campaigns a factory created, and which campaigns changed
 * in a block range. Logs come through the shared paged reader (packages/core/src/logs.ts), whose pages
 * shrink to a public RPC's limits; at most `pageAddresses` campaigns are asked for per request.
 */
import { type Address, type Hex, type PublicClient, decodeEventLog, getAddress } from "viem";
import { campaignAbi } from "@bascule/core/generated/abis";
import { readLogPages, sizerFor } from "@bascule/core/logs";
import { dataUriBytes, parseMetadata } from "@bascule/core/metadata";
import type { Tallies } from "@bascule/core/model";
import { readCampaignsCreated, readOnChainTallies } from "@bascule/core/replay";

export interface CreatedCampaign {
  campaign: Address;
  block: bigint;
  ladder: number[];
  /** c_1..c_K in basis points ([] when the campaign has none). */
  conditions: number[];
  pledgeDeadline: bigint;
  actionDate: bigint;
  metadataURI: string;
}

/** What `CampaignResolved` says (ICampaign). */
export interface ResolvedChange {
  block: bigint;
  tippingLevel: number;
  committed: bigint;
  triggeredDonations: bigint;
  requestedSupport: bigint;
  paid: bigint;
  boundCondition: number;
  boundConditionLevel: number;
}

export interface CampaignChanges {
  /** Pledges were made, changed or withdrawn in the range. */
  pledges: boolean;
  /** Donations were made or withdrawn in the range (they move the coverage conditional pledges depend on). */
  donations: boolean;
  /** The campaign was resolved in the range. */
  resolved: ResolvedChange | null;
}

export interface LogReaderOptions {
  pageAddresses?: number;
}

async function readLogsPaged(client: PublicClient, address: Address | Address[], fromBlock: bigint, toBlock: bigint) {
  const out: { address: Hex; data: Hex; topics: [Hex, ...Hex[]]; blockNumber: bigint | null }[] = [];
  for await (const page of readLogPages({ client, address, fromBlock, toBlock, sizer: sizerFor(client) })) {
    for (const l of page.logs) {
      if (l.removed || l.topics.length === 0) continue;
      out.push({
        address: l.address,
        data: l.data,
        topics: l.topics as [Hex, ...Hex[]],
        blockNumber: l.blockNumber === null ? null : BigInt(l.blockNumber),
      });
    }
  }
  return out;
}

/** Campaigns created by `factory` in [fromBlock, toBlock], with the parameters their event carries. */
export async function readCreatedCampaigns(
  client: PublicClient,
  factory: Address,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<CreatedCampaign[]> {
  if (toBlock < fromBlock) return [];
  const out: CreatedCampaign[] = [];
  for await (const page of readCampaignsCreated({ client, factory, fromBlock, toBlock, sizer: sizerFor(client) })) {
    for (const c of page.created) {
      const { ladder, conditions, pledgeDeadline, actionDate } = c.params;
      out.push({
        campaign: c.campaign,
        block: c.blockNumber,
        ladder: [...ladder],
        conditions: [...conditions],
        pledgeDeadline,
        actionDate,
        metadataURI: c.metadataURI,
      });
    }
  }
  return out;
}

/** Which of `campaigns` changed in [fromBlock, toBlock]; the pledge keys in the logs are dropped here. */
export async function readCampaignChanges(
  client: PublicClient,
  campaigns: readonly Address[],
  fromBlock: bigint,
  toBlock: bigint,
  options: LogReaderOptions = {},
): Promise<Map<string, CampaignChanges>> {
  const changes = new Map<string, CampaignChanges>();
  if (toBlock < fromBlock || campaigns.length === 0) return changes;
  const pageAddresses = options.pageAddresses ?? 200;
  for (let i = 0; i < campaigns.length; i += pageAddresses) {
    const logs = await readLogsPaged(client, campaigns.slice(i, i + pageAddresses), fromBlock, toBlock);
    for (const log of logs) {
      let ev;
      try {
        ev = decodeEventLog({ abi: campaignAbi, data: log.data, topics: log.topics });
      } catch {
        continue;
      }
      const key = getAddress(log.address);
      const c = changes.get(key) ?? { pledges: false, donations: false, resolved: null };
      if (ev.eventName === "Pledged" || ev.eventName === "PledgeChanged" || ev.eventName === "PledgeWithdrawn")
        c.pledges = true;
      if (ev.eventName === "Donated" || ev.eventName === "DonationWithdrawn") c.donations = true;
      if (ev.eventName === "CampaignResolved") {
        c.resolved = {
          block: log.blockNumber ?? toBlock,
          tippingLevel: Number(ev.args.tippingLevel),
          committed: ev.args.committed,
          triggeredDonations: ev.args.triggeredDonations,
          requestedSupport: ev.args.requestedSupport,
          paid: ev.args.paid,
          boundCondition: Number(ev.args.boundCondition),
          boundConditionLevel: Number(ev.args.boundConditionLevel),
        };
      }
      changes.set(key, c);
    }
  }
  return changes;
}

/**
 * The campaign's tallies at a block: per level (one `levelTallies` call), and each condition's part
 * when it has `conditions` > 0 (`conditionTallies`). Totals over pledges, never a key.
 */
export function readTallies(
  client: PublicClient,
  campaign: Address,
  blockNumber: bigint,
  conditions: number,
): Promise<Tallies> {
  return readOnChainTallies(client, campaign, blockNumber, conditions);
}

export interface CampaignDescription {
  title: string;
  place: string;
  actionDay: string;
}

/**
 * The title, place and day of a campaign from its metadata URI, when it is a data: URI (what the
 * dApp creates). Nothing is fetched from elsewhere: the notifier makes no third-party request.
 */
export function readDescription(uri: string): CampaignDescription {
  const empty = { title: "", place: "", actionDay: "" };
  const bytes = dataUriBytes(uri);
  const doc = bytes && (parseMetadata(bytes) as Record<string, unknown> | null);
  if (!doc) return empty;
  try {
    const str = (v: unknown, max: number) => (typeof v === "string" ? v.slice(0, max) : "");
    const day = str(doc.actionDate, 10);
    return {
      title: str(doc.title, 200),
      place: str(doc.place, 200),
      actionDay: /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : "",
    };
  } catch {
    return empty;
  }
}

/** The campaign's organiser, as `parameters()` returns it: who may sign its announcements. */
export async function readOrganiser(client: PublicClient, campaign: Address): Promise<Address> {
  const [, organiser] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" });
  return getAddress(organiser);
}
