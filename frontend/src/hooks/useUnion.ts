import { useQuery } from "@tanstack/react-query";
import { zeroAddress } from "viem";
import { readVerifierKey } from "@bascule/core/verifier";
import { serviceUrl } from "../lib/union.ts";
import { useApp } from "./app.tsx";
import type { CampaignStatic } from "../lib/types.ts";

/**
 * The union side of a campaign: whether its attester is a blind-voucher verifier (and its key), the
 * attester service named in its (hash-checked) metadata, and its payout desks.
 */
export function useUnion(s: CampaignStatic | undefined) {
  const { client } = useApp();
  return useQuery({
    queryKey: ["union", s?.address],
    enabled: !!s,
    staleTime: Infinity,
    queryFn: async () => {
      const meta = s!.union;
      const attester = s!.params.attester;
      const key = attester === zeroAddress ? null : await readVerifierKey(client, attester);
      return {
        key,
        attesterUrl:
          meta.attester && key && meta.attester.keyId.toLowerCase() === key.keyId.toLowerCase()
            ? serviceUrl(meta.attester.url)
            : null,
        payoutDesks: meta.payoutDesks ?? [],
      };
    },
  });
}
