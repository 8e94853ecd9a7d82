import { useQuery } from "@tanstack/react-query";
import { type Address, getAbiItem, type PublicClient, toEventSelector } from "viem";
import { campaignAbi } from "@bascule/core/generated/abis";
import { readLogs, sizerFor } from "@bascule/core/logs";
import { keptPledgeKeys, savePledgeKeys } from "../lib/checkinStore.ts";
import type { CampaignStatic } from "../lib/types.ts";
import { useApp } from "./app.tsx";

const PLEDGED = toEventSelector(getAbiItem({ abi: campaignAbi, name: "Pledged" }));

/** Every pledge key that ever pledged in a campaign: its Pledged log from the campaign's creation block, paged under the endpoint's limits. */
export async function readPledgedKeys(client: PublicClient, campaign: Address, fromBlock: bigint): Promise<string[]> {
  const { logs } = await readLogs({ client, address: campaign, topics: [PLEDGED], fromBlock, sizer: sizerFor(client) });
  return [...new Set(logs.map((l) => `0x${(l.topics[1] ?? "").slice(26)}`.toLowerCase()))];
}

/**
 * The campaign's pledge keys for the check-in: read from the chain when online and kept on this
 * device, or, when the read fails, the ones kept last time.
 */
export function usePledgedKeys(campaign: Address, s: CampaignStatic | undefined) {
  const { client } = useApp();
  return useQuery({
    queryKey: ["pledged-keys", campaign, s?.createdAt.toString()],
    enabled: Boolean(s),
    queryFn: async () => {
      try {
        const keys = await readPledgedKeys(client, campaign, s!.createdAt);
        savePledgeKeys(campaign, keys);
        return new Set(keys);
      } catch {
        return keptPledgeKeys(campaign);
      }
    },
  });
}
