import { useCallback } from "react";
import { type Address, zeroAddress } from "viem";
import type { SignedPledge } from "@bascule/core/signing";
import { RelayerDownError, RelayerError } from "../lib/errors.ts";
import type { CampaignStatic } from "../lib/types.ts";
import { useApp } from "./app.tsx";
import { usePow } from "./usePow.ts";

/**
 * Whether a first pledge that failed may be on its way to the chain all the same: "accepted" when the
 * relayer took it (it stopped answering while the page waited, or a retry was told DUPLICATE_PLEDGE or
 * PLEDGE_ALREADY_RECORDED), "unknown" when it could not be reached (its answer may have been lost),
 * null when it was refused or never sent. The page then reads the chain rather than report a failure.
 * @example relayerMayHaveIt(new RelayerDownError("timeout"), true) // "accepted"
 */
export function relayerMayHaveIt(error: unknown, accepted: boolean): "accepted" | "unknown" | null {
  if (error instanceof RelayerError)
    return error.code === "DUPLICATE_PLEDGE" || error.code === "PLEDGE_ALREADY_RECORDED" ? "accepted" : null;
  if (error instanceof RelayerDownError) return accepted ? "accepted" : "unknown";
  return null;
}

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
