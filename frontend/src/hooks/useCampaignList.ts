import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
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

/**
 * Every campaign the factory created, with enough state to list it, in two requests: the
 * factory's logs, then one multicall over all campaigns. Campaigns with fewer than
 * `listMinPledges` pledges are left out (anti-spam); they stay reachable by link.
 */
export function useCampaignList() {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["campaign-list"],
    refetchInterval: 10_000,
    queryFn: async (): Promise<{ listed: ListedCampaign[]; hidden: number }> => {
      const logs = await client.getContractEvents({
        address: config.factory,
        abi: campaignFactoryAbi,
        eventName: "CampaignCreated",
        fromBlock: BigInt(config.fromBlock),
      });
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
