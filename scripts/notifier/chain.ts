/**
 * What the notifier reads from the chain: campaigns a factory created, and which campaigns changed
 * in a block range. Logs come through the shared paged reader (packages/core/src/logs.ts), whose pages
 * shrink to a public RPC's limits; at most `pageAddresses` campaigns are asked for per request.
 */
import { type Address, type Hex, type PublicClient, decodeEventLog, getAddress } from "viem";
import { campaignAbi } from "@bascule/core/generated/abis";
import { readLogPages, sizerFor } from "@bascule/core/logs";
import { dataUriBytes, parseMetadata } from "@bascule/core/metadata";
import { readCampaignsCreated } from "@bascule/core/replay";

export interface CreatedCampaign {
  campaign: Address;
  block: bigint;
  ladder: number[];
  pledgeDeadline: bigint;
  actionDate: bigint;
  metadataURI: string;
}

export interface CampaignChanges {
  /** Pledges were made, changed or withdrawn in the range. */
  pledges: boolean;
  /** The campaign was resolved in the range. */
  resolved: { block: bigint; tippingLevel: number; committed: bigint; paid: bigint } | null;
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
      const { ladder, pledgeDeadline, actionDate } = c.params;
      out.push({
        campaign: c.campaign,
        block: c.blockNumber,
        ladder: [...ladder],
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
      const c = changes.get(key) ?? { pledges: false, resolved: null };
      if (ev.eventName === "Pledged" || ev.eventName === "PledgeChanged" || ev.eventName === "PledgeWithdrawn")
        c.pledges = true;
      if (ev.eventName === "CampaignResolved") {
        c.resolved = {
          block: log.blockNumber ?? toBlock,
          tippingLevel: Number(ev.args.tippingLevel),
          committed: ev.args.committed,
          paid: ev.args.paid,
        };
      }
      changes.set(key, c);
    }
  }
  return changes;
}

/** The count of pledges per level (index 0 is level 1) at a block. */
export async function readCounts(client: PublicClient, campaign: Address, blockNumber: bigint): Promise<bigint[]> {
  const [counts] = await client.readContract({
    address: campaign,
    abi: campaignAbi,
    functionName: "levelTallies",
    blockNumber,
  });
  return counts.map((c) => BigInt(c));
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
