import { useQuery } from "@tanstack/react-query";
import { readGateFacts } from "@bascule/core/gate-facts";
import { serviceUrl } from "../lib/union.ts";
import { useApp } from "./app.tsx";
import type { CampaignStatic } from "../lib/types.ts";

/**
 * The union side of a campaign: what its attester is (packages/core/src/gate-facts.ts: none, an
 * account, the project's verifier bound to this campaign, a look-alike's, or a contract we cannot
 * check), the verifier's key when it is bound to this campaign, the attester service named in its
 * (hash-checked) metadata, and its payout desks. No key, hence no invite code spent, on a look-alike.
 */
export function useUnion(s: CampaignStatic | undefined) {
  const { client } = useApp();
  return useQuery({
    queryKey: ["union", s?.address],
    enabled: !!s,
    staleTime: Infinity,
    queryFn: async () => {
      const meta = s!.union;
      const gate = await readGateFacts(client, {
        campaign: s!.address,
        attester: s!.params.attester,
        organiser: s!.organiser,
      });
      const key = gate.kind === "verified" ? gate.key : null;
      return {
        gate,
        key,
        attesterUrl:
          meta.attester && key && meta.attester.keyId.toLowerCase() === key.keyId.toLowerCase()
            ? serviceUrl(meta.attester.url)
            : null,
        // The desk ledger lives in the union's attester service named by the (hash-checked) metadata,
        // whether or not the campaign is gated by its vouchers.
        ledgerUrl: meta.attester ? serviceUrl(meta.attester.url) : null,
        payoutDesks: meta.payoutDesks ?? [],
      };
    },
  });
}
