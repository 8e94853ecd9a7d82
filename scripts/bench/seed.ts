/**
 * Seeding for the benchmarks (`bench:scale`, `bench:indexer`): one new campaign filled with
 * `pledges` pledges of fresh keys, recorded with `pledgeBatch` straight to the node, 400 a
 * transaction, optionally with empty blocks after each batch so the campaign spans many blocks.
 */
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  hashTypedData,
  http,
  keccak256,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, sign } from "viem/accounts";
import { hardhatKey, ROLES } from "../demo/accounts.js";
import { embed } from "../demo/seed.js";
import { chainFor } from "../lib/deployment.js";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { createdCampaign } from "@bascule/core/replay";
import { rpcCall } from "../lib/hardhat-node.js";
import { campaignDomain, encodePledges, NO_VOUCHER, PLEDGE_TYPES, type SignedPledge } from "@bascule/core/signing";

/** Pledges a transaction: 400 × 32,632 gas stays under the 2^24 per-transaction gas cap (EIP-7825). */
const BATCH = 400;
const fmt = (n: number) => n.toLocaleString("en-US");

interface NativeSigner {
  ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): { signature: Uint8Array; recid: number };
  privateKeyVerify(seckey: Uint8Array): boolean;
}
/** libsecp256k1 (the relayer's native binding): about 40× faster than signing in JS, which made seeding 1,000,000 pledges take an hour. */
const native = (() => {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings.js") as NativeSigner;
  } catch {
    return null;
  }
})();
const digests = new Map<string, Hex>();

/**
 * A pledge signed by a fresh key, the cheap way: the digest depends only on (campaign, level) here
 * (support 0, nonce 0), so it is hashed once per level; the signature comes from libsecp256k1
 * (low s, as the contract demands) or, where the binding does not load, from viem.
 */
export async function fastPledge(campaign: Address, chainId: number, level: number): Promise<SignedPledge> {
  const message = { level, support: 0n, condition: 0, nonce: 0 };
  const cacheKey = `${campaign}:${level}`;
  let hash = digests.get(cacheKey);
  if (!hash) {
    hash = hashTypedData({
      domain: campaignDomain(campaign, chainId),
      types: PLEDGE_TYPES,
      primaryType: "Pledge",
      message,
    });
    digests.set(cacheKey, hash);
  }
  if (native) {
    let key = randomBytes(32);
    while (!native.privateKeyVerify(key)) key = randomBytes(32);
    const { signature, recid } = native.ecdsaSign(Buffer.from(hash.slice(2), "hex"), key);
    const sig = Buffer.from(signature);
    if (recid) sig[32] |= 0x80;
    return {
      ...message,
      r: `0x${sig.subarray(0, 32).toString("hex")}`,
      vs: `0x${sig.subarray(32).toString("hex")}`,
      voucher: NO_VOUCHER,
    };
  }
  const { r, s, yParity } = await sign({ hash, privateKey: generatePrivateKey() });
  const vs = yParity ? (BigInt(s) | (1n << 255n)).toString(16).padStart(64, "0") : s.slice(2);
  return { ...message, r, vs: `0x${vs}` as Hex, voucher: NO_VOUCHER };
}

export interface SeededCampaign {
  campaign: Address;
  /** Seeding time, from the first batch to the last receipt. */
  seconds: number;
  /** Blocks from the campaign's creation to the last one mined. */
  blocks: bigint;
}

/**
 * Creates a campaign with `ladder` and records `pledges` pledges in it, spread evenly over the
 * levels in a fixed order; `gap` empty blocks after each batch. Checks the contract's count.
 * @example const { campaign } = await seedBenchCampaign({ rpcUrl, factory, pledges: 10_000, ladder: [1, 2, 5] });
 */
export async function seedBenchCampaign(p: {
  rpcUrl: string;
  factory: Address;
  pledges: number;
  ladder: readonly number[];
  gap?: number;
  log?: (line: string) => void;
}): Promise<SeededCampaign> {
  const { rpcUrl, pledges, ladder } = p;
  const gap = p.gap ?? 0;
  const log = p.log ?? (() => {});
  const chainId = Number(BigInt(await rpcCall<string>(rpcUrl, "eth_chainId")));
  const chain = chainFor(chainId, rpcUrl);
  const client = createPublicClient({ chain, transport: http(rpcUrl) });
  const organiser = createWalletClient({
    account: privateKeyToAccount(hardhatKey(ROLES.organiser)),
    chain,
    transport: http(rpcUrl),
  });
  const sender = createWalletClient({
    account: privateKeyToAccount(hardhatKey(ROLES.deployer)),
    chain,
    transport: http(rpcUrl),
  });
  const now = (await client.getBlock()).timestamp;
  const { uri, hash } = embed({
    title: `Benchmark ${fmt(pledges)}`,
    text: "Benchmark campaign.",
    actionDate: "2027-05-01",
    place: "",
    languages: ["en"],
  });
  const created = await client.waitForTransactionReceipt({
    hash: await organiser.writeContract({
      address: p.factory,
      abi: campaignFactoryAbi,
      functionName: "createCampaign",
      args: [
        {
          token: "0x0000000000000000000000000000000000000000",
          pledgeDeadline: now + 60n * 86_400n,
          finalLock: 0n,
          actionDate: now + 61n * 86_400n,
          oracleWindow: 0n,
          claimWindow: 30n * 86_400n,
          supportCap: 0n,
          conditions: [],
          attester: "0x0000000000000000000000000000000000000000",
          oracle: "0x0000000000000000000000000000000000000000",
          metadataHash: hash,
          ladder: [...ladder],
        },
        uri,
        keccak256(toHex(`bench-${pledges}-${now}`)),
      ],
    }),
  });
  const campaign = createdCampaign(created.logs);
  const started = performance.now();
  let pending: Promise<unknown> | null = null;
  for (let i = 0; i < pledges; i += BATCH) {
    const batch: SignedPledge[] = [];
    for (let k = i; k < Math.min(pledges, i + BATCH); k++)
      batch.push(await fastPledge(campaign, chainId, 1 + ((k * 7919) % ladder.length)));
    if (pending) await pending;
    const tx = await sender.writeContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges(batch)],
      gas: 15_500_000n,
    });
    pending = client.waitForTransactionReceipt({ hash: tx }).then(async (r) => {
      if (r.status !== "success") throw new Error(`pledgeBatch reverted: ${tx}`);
      // One evm_mine at a time: hardhat_mine reserves blocks whose historical state reads as empty
      // (eth_getCode answers "no code"), which a real chain never does.
      if (i + BATCH < pledges) for (let g = 0; g < gap; g++) await rpcCall(rpcUrl, "evm_mine", []);
    });
    if ((i / BATCH) % 20 === 0)
      log(`  ${fmt(i)} / ${fmt(pledges)} pledges (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await pending;
  const seconds = (performance.now() - started) / 1000;
  const [counts] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" });
  const total = counts.reduce((a, c) => a + Number(c), 0);
  if (total !== pledges) throw new Error(`expected ${pledges} pledges on chain, found ${total}`);
  return { campaign, seconds, blocks: (await client.getBlockNumber()) - created.blockNumber };
}
