/**
 * Load generation for the relayer, shared by the load test and `npm run bench:relayer`: signs
 * many pledges in-process with fresh keys, and posts them with bounded concurrency.
 */
import { type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { type SignedPledge, signPledge } from "../lib/signing.js";

export interface LoadPledge {
  key: Address;
  body: string;
  level: number;
  support: bigint;
}

/** Signs `count` first pledges (nonce 0) of fresh keys; levels and supports cycle deterministically. */
export async function signLoad(options: {
  campaign: Address;
  chainId: number;
  count: number;
  levels: number;
  supportCap: bigint;
}): Promise<LoadPledge[]> {
  const out: LoadPledge[] = [];
  for (let i = 0; i < options.count; i++) {
    const account = privateKeyToAccount(generatePrivateKey());
    const level = 1 + (i % options.levels);
    const support = options.supportCap === 0n ? 0n : BigInt(i * 7919) % (options.supportCap + 1n);
    const signed: SignedPledge = await signPledge(account, options.campaign, options.chainId, { level, support, nonce: 0 });
    out.push({ key: account.address, level, support, body: pledgeBody(options.campaign, signed) });
  }
  return out;
}

/** The JSON body of `POST /v1/pledges`. */
export function pledgeBody(campaign: Address, signed: SignedPledge): string {
  return JSON.stringify({
    campaign,
    pledge: {
      level: signed.level,
      support: signed.support.toString(),
      nonce: signed.nonce,
      r: signed.r,
      vs: signed.vs,
      voucherR: signed.voucherR,
      voucherVs: signed.voucherVs,
    },
  });
}

export interface PostResult {
  status: number;
  body: { id?: string; error?: { code: string } };
  sentAt: number;
  answeredAt: number;
}

/** Posts bodies with at most `concurrency` requests in flight; results in input order. */
export async function postAll(url: string, path: string, bodies: string[], concurrency = 32): Promise<PostResult[]> {
  const results: PostResult[] = new Array<PostResult>(bodies.length);
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      const sentAt = performance.now();
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bodies[i],
      });
      const body = (await response.json()) as PostResult["body"];
      results[i] = { status: response.status, body, sentAt, answeredAt: performance.now() };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  return results;
}

/** Waits until every request id is confirmed or failed; returns their final states. */
export async function waitForRequests(
  url: string,
  ids: string[],
  timeoutMs = 120_000,
): Promise<Map<string, { status: string; txHash?: Hex; error?: { code: string } }>> {
  const done = new Map<string, { status: string; txHash?: Hex; error?: { code: string } }>();
  const deadline = Date.now() + timeoutMs;
  let pending = [...ids];
  while (pending.length > 0) {
    if (Date.now() > deadline) throw new Error(`${pending.length} requests still pending after ${timeoutMs} ms`);
    const stillPending: string[] = [];
    // Poll the newest first: when it is confirmed, the older ones most likely are too.
    for (let i = 0; i < pending.length; i += 64) {
      const chunk = pending.slice(i, i + 64);
      const states = await Promise.all(
        chunk.map(async (id) => {
          const response = await fetch(`${url}/v1/requests/${id}`);
          return [id, (await response.json()) as { status: string; txHash?: Hex; error?: { code: string } }] as const;
        }),
      );
      for (const [id, state] of states) {
        if (state.status === "confirmed" || state.status === "failed") done.set(id, state);
        else stillPending.push(id);
      }
      if (stillPending.length > 0) break;
    }
    const checked = new Set([...done.keys()]);
    pending = pending.filter((id) => !checked.has(id));
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 100));
  }
  return done;
}
