/**
 * Load generation for the relayer, shared by the load test and `npm run bench:relayer`: signs
 * many pledges in-process with fresh keys, and posts them with bounded concurrency.
 */
import { type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { solvePow } from "@bascule/core/pow";
import { type SignedPledge, signPledge } from "@bascule/core/signing";
import { spawnNode } from "../lib/children.js";

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
  /** Proof of work to attach (the relayer's difficulty); 0 or absent: none. */
  powBits?: number;
}): Promise<LoadPledge[]> {
  const out: LoadPledge[] = [];
  for (let i = 0; i < options.count; i++) {
    const account = privateKeyToAccount(generatePrivateKey());
    const level = 1 + (i % options.levels);
    const support = options.supportCap === 0n ? 0n : BigInt(i * 7919) % (options.supportCap + 1n);
    const signed: SignedPledge = await signPledge(account, options.campaign, options.chainId, {
      level,
      support,
      nonce: 0,
    });
    const pow = options.powBits
      ? (solvePow({
          chainId: options.chainId,
          campaign: options.campaign,
          pledgeKey: account.address,
          bits: options.powBits,
        }) ?? undefined)
      : undefined;
    out.push({ key: account.address, level, support, body: pledgeBody(options.campaign, signed, pow) });
  }
  return out;
}

/** The JSON body of `POST /v1/pledges`, with the proof of work's nonce if given. */
export function pledgeBody(campaign: Address, signed: SignedPledge, powNonce?: number): string {
  return JSON.stringify({
    ...(powNonce === undefined ? {} : { pow: { nonce: powNonce } }),
    campaign,
    pledge: {
      level: signed.level,
      support: signed.support.toString(),
      ...(signed.condition ? { condition: signed.condition } : {}),
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

const POST_CLIENT = `
const { readFileSync } = require("node:fs");
const { url, path, bodies, concurrency } = JSON.parse(readFileSync(process.argv[1], "utf8"));
const results = new Array(bodies.length);
let next = 0;
async function worker() {
  while (next < bodies.length) {
    const i = next++;
    const sentAt = performance.now();
    const response = await fetch(url + path, { method: "POST", headers: { "content-type": "application/json" }, body: bodies[i] });
    const body = await response.json();
    results[i] = { status: response.status, body, sentAt, answeredAt: performance.now() };
  }
}
Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker)).then(
  () => process.stdout.write(JSON.stringify({ results })),
  (error) => process.stdout.write(JSON.stringify({ error: String(error) })),
);
`;

/**
 * postAll from a separate process: the client's own work (fetch, JSON) stays off the relayer's
 * process, so the relayer's CPU time (process.cpuUsage) and profile are its own, as they would be
 * with clients on other machines (the cores are still shared).
 */
async function postAllFromProcess(
  url: string,
  path: string,
  bodies: string[],
  concurrency = 32,
): Promise<PostResult[]> {
  const { mkdtemp, writeFile, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = await mkdtemp(join(tmpdir(), "bascule-load-"));
  const input = join(dir, "load.json");
  await writeFile(input, JSON.stringify({ url, path, bodies, concurrency }));
  try {
    const child = spawnNode(["-e", POST_CLIENT, input], { stdio: ["ignore", "pipe", "inherit"] });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (c: Buffer) => chunks.push(c));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    const message = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
      results?: PostResult[];
      error?: string;
    };
    if (code !== 0 || message.error || !message.results)
      throw new Error(`load client failed (${code}): ${message.error ?? ""}`);
    return message.results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
  /** CPU time of the relayer's process (all its threads) per accepted pledge while accepting, in ms. */
  cpuMsPerPledge: number;
  /** Time from sending a request to its 202, under the load: median and 99th percentile. */
  acceptLatencyMs: { p50: number; p99: number };
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
  /** Writes a CPU profile (.cpuprofile) of this thread, the relayer's, over the accepting window. */
  profilePath?: string;
  /** The relayer's proof-of-work difficulty; every load pledge carries a solution. */
  powBits?: number;
  log?: (line: string) => void;
}): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  const { deployBascule } = await import("../lib/deployment.js");
  const { createCampaign } = await import("../cli/campaign.js");
  const { startRelayer } = await import("../relayer/server.js");
  const { campaignAbi } = await import("@bascule/core/generated/abis");
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
      conditions: [],
      attester: zero,
      oracle: privateKeyToAccount(options.organiserKey).address,
      metadataHash: keccak256(toHex(`load ${now}`)),
      ladder,
    },
    metadataURI: `ipfs://load-${now}`,
    salt: keccak256(toHex(`load ${now} ${Math.random()}`)),
  });
  let t = performance.now();
  const powBits = options.powBits ?? 0;
  const load = await signLoad({ campaign, chainId, count: options.count, levels: ladder.length, supportCap, powBits });
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
    powBits,
    factory,
    log: () => {},
  });
  try {
    const profiler = options.profilePath ? await startProfile() : null;
    t = performance.now();
    const cpu = process.cpuUsage();
    const results = await postAllFromProcess(
      relayer.url,
      "/v1/pledges",
      load.map((l) => l.body),
      options.concurrency ?? 32,
    );
    const acceptSeconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    if (profiler) {
      await profiler.stop(options.profilePath!);
      log(`CPU profile of the relayer while accepting: ${options.profilePath}`);
    }
    const latencies = results.map((r) => r.answeredAt - r.sentAt).sort((a, b) => a - b);
    const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    const acceptedIds = results.filter((r) => r.status === 202).map((r) => r.body.id as string);
    const refused = results.find((r) => r.status !== 202);
    if (refused) log(`refused: ${JSON.stringify(refused.body)}`);
    log(`accepted ${acceptedIds.length} in ${acceptSeconds.toFixed(1)} s`);
    const states = await waitForRequests(relayer.url, acceptedIds, 600_000);
    const confirmSeconds = (performance.now() - t) / 1000;
    const txs = new Set([...states.values()].map((s) => s.txHash));
    // One more pledge, alone, from request to on-chain event.
    const single = await signLoad({ campaign, chainId, count: 1, levels: 1, supportCap: 0n, powBits });
    const t0 = performance.now();
    const [posted] = await postAll(relayer.url, "/v1/pledges", [single[0].body], 1);
    for (;;) {
      const state = (await (await fetch(`${relayer.url}/v1/requests/${posted.body.id}`)).json()) as { status: string };
      if (state.status === "confirmed" || state.status === "failed") break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const endToEndMs = performance.now() - t0;
    const [counts, requested] = await client.readContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "levelTallies",
    });
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
      acceptLatencyMs: { p50: pct(0.5), p99: pct(0.99) },
      cpuMsPerPledge: (used.user + used.system) / 1000 / Math.max(1, acceptedIds.length),
      batches: txs.size,
      tallies: { counts: counts.map(Number), requested: requested.map(BigInt) },
      expected,
    };
  } finally {
    await relayer.close();
  }
}

/** Profiles this thread (the relayer's event loop) with the inspector, like `node --cpu-prof` over a window. */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import("node:inspector/promises");
  const { writeFile } = await import("node:fs/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  return {
    async stop(file: string) {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
