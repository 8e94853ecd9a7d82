import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { type Address, type Hex, type PublicClient, zeroAddress, zeroHash } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { campaignAbi } from "@bascule/core/generated/abis";
import { Entitlement } from "@bascule/core/model";
import { encodePledge, signClaim, signPledge } from "@bascule/core/signing";
import { AppError, RelayerDownError } from "../lib/errors.ts";
import { type KeptReceipt, rememberSupport } from "../lib/receiptStore.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { useApp } from "./app.tsx";
import { relayerMayHaveIt } from "./useRelayPledge.ts";
import { useWalletWrite } from "./useWallet.ts";

/** A pledge key's record in a campaign, and what `claim` would pay it now. */
export async function readPledgeRecord(client: PublicClient, campaign: Address, pledgeKey: Address) {
  const [pledge, [entitlement, amount]] = await client.multicall({
    contracts: [
      { address: campaign, abi: campaignAbi, functionName: "pledgeOf", args: [pledgeKey] },
      { address: campaign, abi: campaignAbi, functionName: "claimableSupport", args: [pledgeKey] },
    ],
    allowFailure: false,
    deployless: true,
  });
  // NeedsProof and Due are what `claim` pays now; the other entitlements pay nothing now.
  const paysNow = entitlement === Entitlement.NeedsProof || entitlement === Entitlement.Due;
  return { ...pledge, entitlement, amount, claimable: paysNow ? amount : 0n };
}

export type PledgeRecord = Awaited<ReturnType<typeof readPledgeRecord>>;

/**
 * A receipt's pledge record, read again as the campaign's tallies, phase or claims change. The key
 * follows the live tallies: without the last record kept while the new one loads, every pledge
 * anyone makes would blank the receipt page to "Loading…" and remount its panels, losing what they
 * were doing (a "Stop notifications" answer, a check-in under way).
 */
export function usePledgeRecord(campaign: Address, pledgeKey: Address, live: CampaignLive | undefined) {
  const { client } = useApp();
  return useQuery({
    queryKey: [
      "pledge",
      campaign,
      pledgeKey,
      live?.tallies.counts.join(","),
      live?.phase,
      live?.claimedTotal.toString(),
    ],
    enabled: !!live,
    placeholderData: (previous, query) =>
      query?.queryKey[1] === campaign && query.queryKey[2] === pledgeKey ? previous : undefined,
    queryFn: () => readPledgeRecord(client, campaign, pledgeKey),
  });
}

/**
 * Whether the key's pledge record reaches nonce `above + 1` within `timeoutMs`, read every
 * `intervalMs`: a change the relayer took shows there even when the relayer's answer is lost.
 */
export async function recordedOnChain(
  client: PublicClient,
  campaign: Address,
  pledgeKey: Address,
  above: number,
  timeoutMs = 30_000,
  intervalMs = 1500,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await client
      .readContract({ address: campaign, abi: campaignAbi, functionName: "pledgeOf", args: [pledgeKey] })
      .catch(() => null);
    if (r && r.nonce > above) return true;
    if (Date.now() + intervalMs > end) return false;
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}

/** What the receipt page hears while an action travels: queued at the relayer, or the relayer is down. */
export interface ActionEvents {
  onQueued(): void;
  /** The relayer is unreachable: the same signed message can go from a connected wallet. */
  onRelayerDown(viaWallet: () => Promise<unknown>): void;
}

/** A pledge as the receipt page sends it: level 0 withdraws; the condition (0..K) is kept only with support. */
export interface PledgeTerms {
  level: number;
  support: bigint;
  condition: number;
}

/**
 * The terms a pledge key signs: support 0 on a withdrawal, and condition 0 without support, since the
 * contract records condition 0 then (and, during the final lock, refuses a change of the recorded one).
 * @example signedTerms({ level: 2, support: 0n, condition: 1 }) // { level: 2, support: 0n, condition: 0 }
 */
export function signedTerms({ level, support, condition }: PledgeTerms): PledgeTerms {
  const s = level === 0 ? 0n : support;
  return { level, support: s, condition: s === 0n ? 0 : condition };
}

/**
 * What a receipt's key may do: sign a pledge (a change of level, support or condition, or a
 * withdrawal with level 0) or a claim, and send it through the relayer. Each resolves to the
 * transaction's hash.
 */
export function useReceiptActions(receipt: KeptReceipt, localId: string) {
  const { config, relayer, client } = useApp();
  const { write } = useWalletWrite();
  const key = useMemo(() => privateKeyToAccount(receipt.key), [receipt.key]);

  const pledge = useCallback(
    async (record: PledgeRecord, terms: PledgeTerms, events: ActionEvents): Promise<Hex | undefined> => {
      const { level, support } = terms;
      const signed = await signPledge(key, receipt.campaign, config.chainId, {
        ...signedTerms(terms),
        nonce: record.nonce,
      });
      // The support asked is kept on the device, to propose it again after a withdrawal.
      if (level > 0) rememberSupport(localId, support);
      else if (record.support > 0n) rememberSupport(localId, record.support);
      let queued = false;
      try {
        const accepted = await relayer.pledge(receipt.campaign, signed);
        queued = true;
        events.onQueued();
        const done = await relayer.wait(accepted.id);
        return done.txHash as Hex | undefined;
      } catch (e) {
        // Taken by the relayer (it went silent after accepting, or says it has it already): the
        // chain tells whether the change is recorded, rather than a failure that may not be one.
        if (relayerMayHaveIt(e, queued) === "accepted") {
          if (!queued) events.onQueued();
          if (await recordedOnChain(client, receipt.campaign, key.address, record.nonce)) return undefined;
        }
        if (e instanceof RelayerDownError)
          events.onRelayerDown(() =>
            write({
              address: receipt.campaign,
              abi: campaignAbi,
              functionName: "pledge",
              args: [encodePledge(signed)],
            }),
          );
        throw e;
      }
    },
    [key, receipt.campaign, config.chainId, localId, relayer, write, client],
  );

  /** Claims the support to `payee`, with the participation proof when the oracle published a list. */
  const claim = useCallback(
    async (
      s: CampaignStatic,
      live: CampaignLive,
      payee: Address,
      events: ActionEvents,
    ): Promise<{ txHash: Hex | undefined; withProof: boolean }> => {
      let proof: Hex[] = [];
      const withProof = s.params.oracle !== zeroAddress && live.participationRoot !== zeroHash;
      if (withProof) {
        const p = await relayer.proof(receipt.campaign, key.address);
        if (!p) throw new AppError("proofMissing");
        proof = p.proof;
      }
      try {
        const st = await relayer.status();
        const signed = await signClaim(key, receipt.campaign, config.chainId, {
          payee,
          feeRecipient: st.relayer,
          maxFee: BigInt(st.fee.maxFeeSuggested),
          proof,
        });
        const accepted = await relayer.claim(receipt.campaign, signed);
        events.onQueued();
        const done = await relayer.wait(accepted.id);
        return { txHash: done.txHash as Hex | undefined, withProof };
      } catch (e) {
        if (e instanceof RelayerDownError) {
          const signed = await signClaim(key, receipt.campaign, config.chainId, {
            payee,
            feeRecipient: payee,
            maxFee: 0n,
            proof,
          });
          events.onRelayerDown(() =>
            write({ address: receipt.campaign, abi: campaignAbi, functionName: "claim", args: [signed] }),
          );
        }
        throw e;
      }
    },
    [key, receipt.campaign, config.chainId, relayer, write],
  );

  return { key, pledge, claim };
}
