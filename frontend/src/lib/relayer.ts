import type { Address, Hex } from "viem";
import type { SignedClaim, SignedPledge } from "../../../scripts/lib/signing.ts";
import { RelayerDownError, RelayerError } from "./errors.ts";

export interface RelayerStatus {
  chainId: number;
  relayer: Address;
  queueDepth: number;
  fee: { maxFeeSuggested: string };
}

export interface RequestStatus {
  id: string;
  kind: string;
  status: "queued" | "submitted" | "confirmed" | "failed";
  txHash?: Hex;
  error?: string | { code: string; message: { en: string; fr: string } };
}

async function call<T>(base: string, path: string, init?: RequestInit): Promise<T> {
  if (!base) throw new RelayerDownError("no relayer configured");
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      ...init,
      headers: { "content-type": "application/json" },
      referrerPolicy: "no-referrer",
      credentials: "omit",
    });
  } catch (e) {
    throw new RelayerDownError(String(e));
  }
  if (response.status >= 500 && response.status !== 503) throw new RelayerDownError(`HTTP ${response.status}`);
  const body = (await response.json().catch(() => null)) as
    | (T & { error?: { code: string; message: { en: string; fr: string } } })
    | null;
  if (!response.ok || body === null) {
    if (body?.error) throw new RelayerError(body.error.code, body.error.message, response.status);
    throw new RelayerDownError(`HTTP ${response.status}`);
  }
  return body;
}

/** A small client for the relayer's HTTP API (scripts/relayer/server.ts). */
export function relayerClient(base: string) {
  return {
    status: () => call<RelayerStatus>(base, "/status"),
    pledge: (campaign: Address, pledge: SignedPledge) =>
      call<{ id: string; pledgeKey: Address; status: string }>(base, "/v1/pledges", {
        method: "POST",
        body: JSON.stringify({ campaign, pledge: { ...pledge, support: pledge.support.toString() } }),
      }),
    claim: (campaign: Address, claim: SignedClaim) =>
      call<{ id: string; pledgeKey: Address; status: string }>(base, "/v1/claims", {
        method: "POST",
        body: JSON.stringify({
          campaign,
          claim: {
            payee: claim.payee,
            feeRecipient: claim.feeRecipient,
            maxFee: claim.maxFee.toString(),
            proof: claim.proof,
            r: claim.r,
            vs: claim.vs,
          },
        }),
      }),
    request: (id: string) => call<RequestStatus>(base, `/v1/requests/${encodeURIComponent(id)}`),
    proof: async (campaign: Address, pledgeKey: Address): Promise<{ root: Hex; proof: Hex[] } | null> => {
      try {
        return await call<{ root: Hex; proof: Hex[] }>(base, `/v1/proofs/${campaign}/${pledgeKey}`);
      } catch (e) {
        if (e instanceof RelayerError && e.status === 404) return null;
        throw e;
      }
    },
    /** Polls a request until it is confirmed or failed. */
    async wait(id: string, timeoutMs = 120_000, intervalMs = 500): Promise<RequestStatus> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const r = await call<RequestStatus>(base, `/v1/requests/${encodeURIComponent(id)}`);
        if (r.status === "confirmed") return r;
        if (r.status === "failed") {
          const err = r.error;
          if (err && typeof err === "object") throw new RelayerError(err.code, err.message, 200);
          throw new RelayerError("failed", { en: `Request failed: ${err ?? ""}`, fr: `La demande a échoué : ${err ?? ""}` }, 200);
        }
        if (Date.now() > end) throw new RelayerDownError("timeout");
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
  };
}

export type RelayerClient = ReturnType<typeof relayerClient>;
