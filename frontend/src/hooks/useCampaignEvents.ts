import { useQuery } from "@tanstack/react-query";
import type { Address, Hex, PublicClient } from "viem";
import type { HistoryEvent } from "../../../scripts/lib/model.ts";
import { campaignAbi } from "../generated.ts";
import { useApp } from "./app.tsx";

export interface LoggedEvent {
  name: string;
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex;
  args: Record<string, unknown>;
}

/** Every event of a campaign, in chain order. */
export async function readCampaignEvents(client: PublicClient, address: Address, fromBlock: bigint): Promise<LoggedEvent[]> {
  const logs = await client.getContractEvents({ address, abi: campaignAbi, fromBlock });
  return logs
    .map((l) => ({
      name: l.eventName,
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      txHash: l.transactionHash,
      args: l.args as Record<string, unknown>,
    }))
    .sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
}

/** The events the reference model replays (pledges and donations before resolution). */
export function toHistory(events: readonly LoggedEvent[]): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (const e of events) {
    const a = e.args;
    switch (e.name) {
      case "Pledged":
      case "PledgeChanged":
        out.push({ kind: e.name, pledgeKey: a.pledgeKey as string, level: Number(a.level), support: a.support as bigint });
        break;
      case "PledgeWithdrawn":
        out.push({ kind: "PledgeWithdrawn", pledgeKey: a.pledgeKey as string });
        break;
      case "Donated":
        out.push({
          kind: "Donated",
          donationId: a.donationId as bigint,
          donor: a.donor as string,
          level: Number(a.level),
          amount: a.amount as bigint,
        });
        break;
      case "DonationWithdrawn":
        out.push({ kind: "DonationWithdrawn", donationId: a.donationId as bigint });
        break;
    }
  }
  return out;
}

export function useCampaignEvents(address: Address | undefined) {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["campaign-events", address],
    queryFn: () => readCampaignEvents(client, address!, BigInt(config.fromBlock)),
    enabled: !!address,
  });
}
