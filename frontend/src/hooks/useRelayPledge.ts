import { useCallback } from "react";
import { type Address, zeroAddress } from "viem";
import type { SignedPledge } from "@bascule/core/signing";
import type { CampaignStatic } from "../lib/types.ts";
import { useApp } from "./app.tsx";
import { usePow } from "./usePow.ts";

/**
 * Hands a new key's first pledge to the relayer: the proof of work an open campaign's relayer asks
 * first (solved in a worker, with its progress), then the pledge, then its inclusion.
 */
export function useRelayPledge(s: CampaignStatic) {
  const { config, relayer } = useApp();
  const { solve, progress } = usePow();
  const relay = useCallback(
    async (signed: SignedPledge, pledgeKey: Address, onQueued: () => void): Promise<void> => {
      let powNonce: number | undefined;
      if (s.params.attester === zeroAddress) {
        const { pow: asked } = await relayer.status();
        if (asked.bits > 0)
          powNonce = await solve({ chainId: config.chainId, campaign: s.address, pledgeKey, bits: asked.bits });
      }
      const accepted = await relayer.pledge(s.address, signed, powNonce);
      onQueued();
      await relayer.wait(accepted.id);
    },
    [s.params.attester, s.address, relayer, solve, config.chainId],
  );
  return { relay, powProgress: progress };
}
