import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { type Address, decodeEventLog, encodeEventTopics, getAddress, type Hex } from "viem";
import { campaignAbi } from "@bascule/core/generated/abis";
import { LogTail, sizerFor } from "@bascule/core/logs";
import { claimReference } from "../lib/union.ts";
import type { CampaignStatic } from "../lib/types.ts";
import { useApp } from "./app.tsx";

/** A claim paid to a payout desk, by the reference the striker shows at the desk. */
export interface DeskClaim {
  reference: string;
  pledgeKey: Address;
  amount: bigint;
  txHash: string;
}

/**
 * The claims paid to a desk's address (SupportClaimed events): from the campaign's creation block
 * in pages under the endpoint's limits, then every 5 s only the blocks added since (LogTail).
 */
export function useDeskClaims(campaign: Address, desk: Address, s: CampaignStatic | undefined) {
  const { client } = useApp();
  const tail = useRef<{ key: string; tail: LogTail; rows: DeskClaim[] } | null>(null);
  return useQuery({
    queryKey: ["desk-claims", campaign, desk, s?.createdAt.toString()],
    enabled: Boolean(s),
    refetchInterval: 5000,
    queryFn: async () => {
      const key = `${campaign}:${desk}`.toLowerCase();
      if (tail.current?.key !== key) {
        const topics = encodeEventTopics({ abi: campaignAbi, eventName: "SupportClaimed", args: { payee: desk } });
        tail.current = {
          key,
          tail: new LogTail({ client, address: campaign, topics, fromBlock: s!.createdAt, sizer: sizerFor(client) }),
          rows: [],
        };
      }
      const current = tail.current;
      for (const l of await current.tail.poll()) {
        const { args } = decodeEventLog({
          abi: campaignAbi,
          eventName: "SupportClaimed",
          data: l.data,
          topics: l.topics as [Hex, ...Hex[]],
        });
        const pledgeKey = getAddress(args.pledgeKey);
        current.rows.push({
          reference: claimReference(pledgeKey),
          pledgeKey,
          amount: args.amount - args.fee,
          txHash: l.transactionHash ?? "",
        });
      }
      return current.rows.slice();
    },
  });
}
