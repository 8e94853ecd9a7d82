import type { Address, Hex } from "viem";
import type { SignedClaim, SignedPledge } from "@bascule/core/signing";
import { RelayerDownError, RelayerError } from "./errors.ts";
import type { paths } from "./relayer-api.ts";

/** Types generated from the relayer's OpenAPI description (npm run gen:relayer-api). */
type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;
export type RelayerStatus = Omit<Json<paths["/status"]["get"]["responses"][200]>, "relayer"> & { relayer: Address };
export type RequestStatus = Json<paths["/v1/requests/{id}"]["get"]["responses"][200]>;
export type PledgeRequest = Json<paths["/v1/pledges"]["post"]["requestBody"]>;
export type ClaimRequest = Json<paths["/v1/claims"]["post"]["requestBody"]>;
export type Accepted = Json<paths["/v1/pledges"]["post"]["responses"][202]>;

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

/** A small client for the relayer's HTTP API (scripts/relayer/routes.ts, GET /v1/openapi.json). */
export function relayerClient(base: string) {
  return {
    status: () => call<RelayerStatus>(base, "/status"),
    /** `powNonce`: the proof of work (usePow), asked on a key's first pledge in an open campaign (see status().pow). */
    pledge: (campaign: Address, pledge: SignedPledge, powNonce?: number) =>
      call<Accepted>(base, "/v1/pledges", {
        method: "POST",
        body: JSON.stringify({
          campaign,
          pledge: { ...pledge, support: pledge.support.toString() },
          ...(powNonce === undefined ? {} : { pow: { nonce: powNonce } }),
        } satisfies PledgeRequest),
      }),
    claim: (campaign: Address, claim: SignedClaim) =>
      call<Accepted>(base, "/v1/claims", {
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
        } satisfies ClaimRequest),
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
