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
      voucher: signed.voucher,
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

export interface LoadReport {
  count: number;
  accepted: number;
  signSeconds: number;
  acceptSeconds: number;
  acceptedPerSecond: number;
  confirmSeconds: number;
  endToEndMs: number;
  batches: number;
  tallies: { counts: number[]; requested: bigint[] };
  expected: { counts: number[]; requested: bigint[] };
}

/**
 * Sends `count` signed pledges through a fresh relayer to a fresh campaign on `rpcUrl`, waits for
 * all of them on-chain, then times one more pledge from request to confirmed event.
 */
export async function runLoad(options: {
  rpcUrl: string;
  deployerKey: Hex;
  organiserKey: Hex;
  relayerKey: Hex;
  count: number;
  batchSize: number;
  batchLatencyMs: number;
  dbPath: string;
  concurrency?: number;
  log?: (line: string) => void;
}): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const { deployBascule } = await import("../lib/deployment.js");
  const { createCampaign } = await import("../cli/campaign.js");
  const { startRelayer } = await import("./server.js");
  const { campaignAbi } = await import("../lib/generated.js");
  const { createPublicClient, http, keccak256, toHex } = await import("viem");
  const client = createPublicClient({ transport: http(options.rpcUrl) });
  const chainId = await client.getChainId();
  const { factory } = await deployBascule({ rpcUrl: options.rpcUrl, privateKey: options.deployerKey });
  const now = (await client.getBlock()).timestamp;
  const ladder = [10, 100, 1_000, 100_000];
  const supportCap = 10n ** 18n;
  const zero = "0x0000000000000000000000000000000000000000" as Address;
  const { campaign } = await createCampaign({
    rpcUrl: options.rpcUrl,
    privateKey: options.organiserKey,
    factory,
    params: {
      token: zero,
      pledgeDeadline: now + 30n * 86_400n,
      finalLock: 0n,
      actionDate: now + 31n * 86_400n,
      // Support needs a gate (GateRequired): the organiser is the participation oracle.
      oracleWindow: 86_400n,
      claimWindow: 30n * 86_400n,
      supportCap,
      attester: zero,
      oracle: privateKeyToAccount(options.organiserKey).address,
      metadataHash: keccak256(toHex(`load ${now}`)),
      ladder,
    },
    metadataURI: `ipfs://load-${now}`,
    salt: keccak256(toHex(`load ${now} ${Math.random()}`)),
  });
  let t = performance.now();
  const load = await signLoad({ campaign, chainId, count: options.count, levels: ladder.length, supportCap });
  const signSeconds = (performance.now() - t) / 1000;
  log(`signed ${options.count} pledges in ${signSeconds.toFixed(1)} s`);
  const relayer = await startRelayer({
    rpcUrl: options.rpcUrl,
    privateKey: options.relayerKey,
    port: 0,
    dbPath: options.dbPath,
    corsOrigins: [],
    batchSize: options.batchSize,
    batchLatencyMs: options.batchLatencyMs,
    rateLimit: { perSecond: 1e9, burst: 1e9 },
    log: () => {},
  });
  try {
    t = performance.now();
    const results = await postAll(relayer.url, "/v1/pledges", load.map((l) => l.body), options.concurrency ?? 32);
    const acceptSeconds = (performance.now() - t) / 1000;
    const acceptedIds = results.filter((r) => r.status === 202).map((r) => r.body.id as string);
    const refused = results.find((r) => r.status !== 202);
    if (refused) log(`refused: ${JSON.stringify(refused.body)}`);
    log(`accepted ${acceptedIds.length} in ${acceptSeconds.toFixed(1)} s`);
    const states = await waitForRequests(relayer.url, acceptedIds, 600_000);
    const confirmSeconds = (performance.now() - t) / 1000;
    const txs = new Set([...states.values()].map((s) => s.txHash));
    // One more pledge, alone, from request to on-chain event.
    const single = await signLoad({ campaign, chainId, count: 1, levels: 1, supportCap: 0n });
    const t0 = performance.now();
    const [posted] = await postAll(relayer.url, "/v1/pledges", [single[0].body], 1);
    for (;;) {
      const state = (await (await fetch(`${relayer.url}/v1/requests/${posted.body.id}`)).json()) as { status: string };
      if (state.status === "confirmed" || state.status === "failed") break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const endToEndMs = performance.now() - t0;
    const [counts, requested] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" });
    const expected = { counts: ladder.map(() => 0), requested: ladder.map(() => 0n) };
    for (const [i, r] of results.entries()) {
      if (r.status !== 202 || states.get(r.body.id as string)?.status !== "confirmed") continue;
      expected.counts[load[i].level - 1] += 1;
      expected.requested[load[i].level - 1] += load[i].support;
    }
    expected.counts[0] += 1;
    return {
      count: options.count,
      accepted: acceptedIds.length,
      signSeconds,
      acceptSeconds,
      acceptedPerSecond: acceptedIds.length / acceptSeconds,
      confirmSeconds,
      endToEndMs,
      batches: txs.size,
      tallies: { counts: counts.map(Number), requested: requested.map(BigInt) },
      expected,
    };
  } finally {
    await relayer.close();
  }
}
