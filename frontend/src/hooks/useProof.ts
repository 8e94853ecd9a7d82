import { useQuery } from "@tanstack/react-query";
import type { Address, Hex } from "viem";
import { useApp } from "./app.tsx";

/**
 * A pledge key's proof of participation from the relayer (GET /v1/proofs/:campaign/:key), read once
 * the participation set is published (`root`): the proof, null when the key is not on the list
 * (404), undefined while it loads or when no relayer answers.
 */
export function useParticipationProof(campaign: Address, pledgeKey: Address, root: Hex, enabled: boolean) {
  const { relayer } = useApp();
  return useQuery({
    queryKey: ["proof", campaign, pledgeKey, root],
    enabled,
    retry: 1,
    queryFn: () => relayer.proof(campaign, pledgeKey),
  });
}
