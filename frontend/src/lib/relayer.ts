import type { Address, Hex } from "viem";
import type { paths } from "@bascule/core/generated/relayer-api";
import type { SignedClaim, SignedPledge } from "@bascule/core/signing";
import { type Client } from "openapi-fetch";
import { isRefusal, serviceClient } from "./api.ts";
import { RelayerDownError, RelayerError } from "./errors.ts";

/** Types generated from the relayer's OpenAPI description (npm run gen:api). */
type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;
export type RelayerStatus = Omit<Json<paths["/status"]["get"]["responses"][200]>, "relayer"> & { relayer: Address };
export type RequestStatus = Json<paths["/v1/requests/{id}"]["get"]["responses"][200]>;
export type PledgeRequest = Json<paths["/v1/pledges"]["post"]["requestBody"]>;
export type ClaimRequest = Json<paths["/v1/claims"]["post"]["requestBody"]>;
export type Accepted = Json<paths["/v1/pledges"]["post"]["responses"][202]>;

/**
 * One call: the answer's body, a RelayerError for a refusal, RelayerDownError when the relayer
 * cannot be reached or fails (a 5xx other than 503, or an answer that is not a refusal).
 */
async function call<T>(
  base: string,
  run: (api: Client<paths>) => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  if (!base) throw new RelayerDownError("no relayer configured");
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await run(serviceClient<paths>(base));
  } catch (e) {
    throw new RelayerDownError(String(e));
  }
  const { data, error, response } = result;
  if (response.status >= 500 && response.status !== 503) throw new RelayerDownError(`HTTP ${response.status}`);
  if (!response.ok || data === undefined) {
    if (isRefusal(error)) throw new RelayerError(error.error.code, error.error.message, response.status);
    throw new RelayerDownError(`HTTP ${response.status}`);
  }
  return data;
}

/** Whether another relayer may do what this one could not: it is unreachable, failing or says it cannot reach the chain. */
function movesOn(error: unknown): boolean {
  return error instanceof RelayerDownError || (error instanceof RelayerError && error.status === 503);
}

/**
 * A small client for the relayer's HTTP API (scripts/relayer/routes.ts, GET /v1/openapi.json).
 *
 * `bases`: one relayer or several, each with its own key and store, all sending to the same chain.
 * A call goes to the relayer that last answered; when it cannot be reached (or answers 503), the
 * next one in the list is asked, and answers from then on. A refusal (4xx) is an answer: it is not
 * asked elsewhere. A request's progress is asked of the relayer that accepted it.
 */
export function relayerClient(bases: string | string[]) {
  const list = (typeof bases === "string" ? [bases] : bases).filter((b) => b !== "");
  let current = 0;
  /** Which relayer accepted each request id. */
  const acceptedBy = new Map<string, string>();
  async function any<T>(run: (api: Client<paths>) => Promise<{ data?: T; error?: unknown; response: Response }>) {
    if (list.length === 0) throw new RelayerDownError("no relayer configured");
    let last: unknown;
    for (let tried = 0; tried < list.length; tried++) {
      const i = (current + tried) % list.length;
      try {
        const answer = await call<T>(list[i]!, run);
        current = i;
        return { answer, base: list[i]! };
      } catch (e) {
        if (!movesOn(e)) throw e;
        last = e;
      }
    }
    throw last;
  }
  const first = async <T>(run: (api: Client<paths>) => Promise<{ data?: T; error?: unknown; response: Response }>) =>
    (await any(run)).answer;
  const submitted = async (
    run: (api: Client<paths>) => Promise<{ data?: Accepted; error?: unknown; response: Response }>,
  ) => {
    const { answer, base } = await any(run);
    acceptedBy.set(answer.id, base);
    return answer;
  };
  const request = (id: string) =>
    call<RequestStatus>(acceptedBy.get(id) ?? list[current] ?? "", (api) =>
      api.GET("/v1/requests/{id}", { params: { path: { id } } }),
    );
  return {
    /** The relayers, in the order they are tried, and the one asked first now. */
    relayers: () => ({ list: [...list], current: list[current] ?? null }),
    status: () => first((api) => api.GET("/status")) as Promise<RelayerStatus>,
    /**
     * A signed pledge as JSON (level, support as a decimal string, condition 0..K, nonce, r, vs,
     * voucher); the relayer packs it for the chain. `powNonce`: the proof of work (usePow), asked on
     * a key's first pledge in an open campaign (see status().pow).
     */
    pledge: (campaign: Address, pledge: SignedPledge, powNonce?: number) =>
      submitted((api) =>
        api.POST("/v1/pledges", {
          body: {
            campaign,
            pledge: { ...pledge, support: pledge.support.toString() },
            ...(powNonce === undefined ? {} : { pow: { nonce: powNonce } }),
          },
        }),
      ),
    claim: (campaign: Address, claim: SignedClaim) =>
      submitted((api) =>
        api.POST("/v1/claims", {
          body: {
            campaign,
            claim: {
              payee: claim.payee,
              feeRecipient: claim.feeRecipient,
              maxFee: claim.maxFee.toString(),
              proof: claim.proof,
              r: claim.r,
              vs: claim.vs,
            },
          },
        }),
      ),
    request,
    /**
     * The check-in list, signed by the organiser (packages/core/src/participation.ts), for the keeper.
     * Always to the config's own relayer (`relayerUrl`), the one beside the union's keeper: a
     * fallback relayer of another operator has another keeper.
     */
    sendParticipation: (campaign: Address, body: { pledgeKeys: Address[]; issuedAt: number; signature: Hex }) =>
      call(list[0] ?? "", (api) => api.POST("/v1/participation/{campaign}", { params: { path: { campaign } }, body })),
    /** The list the relayer holds for the keeper, or null if none. */
    keptParticipation: async (campaign: Address): Promise<{ count: number; issuedAt: number } | null> => {
      try {
        return await call(list[0] ?? "", (api) =>
          api.GET("/v1/participation/{campaign}", { params: { path: { campaign } } }),
        );
      } catch (e) {
        if (e instanceof RelayerError && e.status === 404) return null;
        throw e;
      }
    },
    proof: async (campaign: Address, pledgeKey: Address): Promise<{ root: Hex; proof: Hex[] } | null> => {
      try {
        return (await first((api) =>
          api.GET("/v1/proofs/{campaign}/{pledgeKey}", { params: { path: { campaign, pledgeKey } } }),
        )) as {
          root: Hex;
          proof: Hex[];
        };
      } catch (e) {
        if (e instanceof RelayerError && e.status === 404) return null;
        throw e;
      }
    },
    /** Polls a request until it is confirmed or failed. */
    async wait(id: string, timeoutMs = 120_000, intervalMs = 500): Promise<RequestStatus> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const r = await request(id);
        if (r.status === "confirmed") return r;
        if (r.status === "failed") {
          const err = r.error;
          if (err && typeof err === "object") throw new RelayerError(err.code, err.message, 200);
          throw new RelayerError(
            "failed",
            { en: `Request failed: ${err ?? ""}`, fr: `La demande a échoué : ${err ?? ""}` },
            200,
          );
        }
        if (Date.now() > end) throw new RelayerDownError("timeout");
        await new Promise((r) => setTimeout(r, intervalMs));
      }
    },
  };
}

export type RelayerClient = ReturnType<typeof relayerClient>;
