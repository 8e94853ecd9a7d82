import { useQuery } from "@tanstack/react-query";
import { type Address, decodeEventLog, getAbiItem, type Hex, toEventSelector } from "viem";
import { readLogs, sizerFor } from "../../../scripts/lib/logs.ts";
import { campaignAbi, campaignFactoryAbi } from "../generated.ts";
import { useApp } from "./app.tsx";

export interface ListedCampaign {
  address: Address;
  metadataURI: string;
  pledges: bigint;
  donations: bigint;
  phase: number;
  tippingLevel: number;
  pledgeDeadline: bigint;
  /** Pledges plus donations: the list's sort key. */
  activity: bigint;
}

const CAMPAIGN_CREATED = toEventSelector(getAbiItem({ abi: campaignFactoryAbi, name: "CampaignCreated" }));

type CreatedArgs = ReturnType<typeof decodeEventLog<typeof campaignFactoryAbi, "CampaignCreated">>["args"];
interface ListCache {
  cursor: bigint;
  logs: { args: CreatedArgs }[];
}
/** The factory's creation logs read so far, per client: a refresh reads only the new blocks. */
const listCache = new WeakMap<object, ListCache>();

/**
 * Every campaign the factory created, with enough state to list it, in two requests: the
 * factory's logs (paged), then one multicall over all campaigns. Campaigns with fewer than
 * `listMinPledges` pledges are left out (anti-spam); they stay reachable by link.
 */
export function useCampaignList() {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["campaign-list"],
    refetchInterval: 10_000,
    queryFn: async (): Promise<{ listed: ListedCampaign[]; hidden: number }> => {
      // The factory's CampaignCreated logs from its deployment block, in pages under the endpoint's
      // limits; later refreshes read only the blocks since the last one.
      const cache = (listCache.get(client) ?? { cursor: BigInt(config.fromBlock), logs: [] }) as ListCache;
      listCache.set(client, cache);
      const { logs: fresh, toBlock } = await readLogs({
        client,
        address: config.factory,
        topics: [CAMPAIGN_CREATED],
        fromBlock: cache.cursor,
        sizer: sizerFor(client),
      });
      for (const raw of fresh) {
        const l = decodeEventLog({ abi: campaignFactoryAbi, eventName: "CampaignCreated", data: raw.data, topics: raw.topics as [Hex, ...Hex[]] });
        cache.logs.push({ args: l.args });
      }
      cache.cursor = toBlock + 1n;
      const logs = cache.logs;
      if (logs.length === 0) return { listed: [], hidden: 0 };
      const reads = await client.multicall({
        contracts: logs.flatMap((l) => [
          { address: l.args.campaign!, abi: campaignAbi, functionName: "status" } as const,
          { address: l.args.campaign!, abi: campaignAbi, functionName: "levelTallies" } as const,
        ]),
        allowFailure: false,
        deployless: true,
      });
      const all = logs.map((l, i): ListedCampaign => {
        const status = reads[2 * i] as { phase: number; tippingLevel: number; donationCount: bigint };
        const [counts] = reads[2 * i + 1] as readonly [readonly number[], readonly bigint[], readonly bigint[]];
        const pledges = counts.reduce((a, c) => a + BigInt(c), 0n);
        return {
          address: l.args.campaign!,
          metadataURI: l.args.metadataURI ?? "",
          pledges,
          donations: status.donationCount,
          phase: status.phase,
          tippingLevel: status.tippingLevel,
          pledgeDeadline: l.args.params!.pledgeDeadline,
          activity: pledges + status.donationCount,
        };
      });
      const listed = all
        .filter((c) => c.pledges >= BigInt(config.listMinPledges))
        .sort((a, b) => (a.activity === b.activity ? 0 : a.activity > b.activity ? -1 : 1));
      return { listed, hidden: all.length - listed.length };
    },
  });
}
