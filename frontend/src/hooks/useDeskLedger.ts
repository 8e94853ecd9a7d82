import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Address } from "viem";
import { type DeskPaid, deskLedger } from "../lib/union.ts";

/**
 * The union's desk ledger for one desk (the attester service, desk token): the claims paid, read
 * every 5 s so that every clerk sees a payment marked elsewhere, and `markPaid`, which refreshes it.
 * Disabled without a ledger URL or a token; an unreachable ledger is the query's error.
 */
export function useDeskLedger(
  ledgerUrl: string | null,
  token: string,
  at: { chainId: number; campaign: Address; desk: Address },
) {
  const queryClient = useQueryClient();
  const key = ["desk-ledger", ledgerUrl, token, at.chainId, at.campaign, at.desk];
  const ledger = ledgerUrl && token ? deskLedger(ledgerUrl, token, at) : null;
  const query = useQuery({
    queryKey: key,
    enabled: ledger !== null,
    refetchInterval: 5000,
    retry: 1,
    retryDelay: 500,
    queryFn: async () => {
      const paid = await ledger!.list();
      return new Map<string, DeskPaid>(paid.map((p) => [p.claim.toLowerCase(), p]));
    },
  });
  return {
    ...query,
    markPaid: async (claim: Address, clerk: string) => {
      try {
        return await ledger!.markPaid(claim, clerk);
      } finally {
        await queryClient.invalidateQueries({ queryKey: key });
      }
    },
  };
}
