/**
 * Seeds demo campaigns on a local chain: one open with thousands of pledges across its ladder
 * (with the conditions the dApp proposes, and some pledges asking half or all of their support
 * covered), one succeeded with donations and claims, one failed, and one too young to be listed.
 * Pledges are signed in-process by fresh pledge keys and recorded with `pledgeBatch` (200 a batch,
 * packed by `encodePledges`).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Abi,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  parseEther,
  type PublicClient,
  toHex,
  zeroAddress,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type LocalAccount } from "viem/accounts";
import { chainFor } from "../lib/deployment.js";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { type MetadataDocument, embedMetadata } from "@bascule/core/metadata";
import { createdCampaign } from "@bascule/core/replay";
import { PROPOSED_CONDITIONS } from "@bascule/core/campaign-params";
import { type SignedPledge, encodePledges, signClaim, signVoucher } from "@bascule/core/signing";
import { hardhatKey, ROLES } from "./accounts.js";
import { addressOf, signPledgeFast } from "./fast-sign.js";
import { rpcCall } from "../lib/hardhat-node.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DAY = 86_400n;
const HOUR = 3_600n;

export type DemoDocument = MetadataDocument;

/** The description as a data: URI and its hash (the dApp reads it without fetching anything). */
export const embed = embedMetadata;

export interface SeedResult {
  open: Address;
  /** An open campaign whose participation oracle is the keeper: claims need a Merkle proof. */
  oracleCampaign: Address;
  /** An open campaign in a test stablecoin (6 decimals, EIP-2612 permit). */
  tokenCampaign: Address;
  token: Address;
  succeeded: Address;
  failed: Address;
  young: Address;
  pledges: number;
}

interface Ctx {
  rpcUrl: string;
  chain: Chain;
  client: PublicClient;
  factory: Address;
  log: (line: string) => void;
}

function wallet(ctx: Ctx, index: number) {
  return createWalletClient({
    account: privateKeyToAccount(hardhatKey(index)),
    chain: ctx.chain,
    transport: http(ctx.rpcUrl),
  });
}

async function send(ctx: Ctx, hash: Hex) {
  const receipt = await ctx.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`demo transaction reverted: ${hash}`);
  return receipt;
}

async function createCampaign(
  ctx: Ctx,
  doc: DemoDocument,
  p: {
    deadline: bigint;
    action: bigint;
    ladder: number[];
    cap: bigint;
    token?: Address;
    oracle?: Address;
    oracleWindow?: bigint;
    attester?: Address;
    finalLock?: bigint;
    /** c_1..c_K in basis points (default none; only with a cap). */
    conditions?: readonly number[];
  },
): Promise<Address> {
  const { uri, hash } = embed(doc);
  const w = wallet(ctx, ROLES.organiser);
  const tx = await w.writeContract({
    address: ctx.factory,
    abi: campaignFactoryAbi,
    functionName: "createCampaign",
    args: [
      {
        token: p.token ?? zeroAddress,
        pledgeDeadline: p.deadline,
        finalLock: p.finalLock ?? 0n,
        actionDate: p.action,
        oracleWindow: p.oracleWindow ?? 0n,
        claimWindow: 30n * DAY,
        supportCap: p.cap,
        conditions: p.conditions ?? [],
        attester: p.attester ?? zeroAddress,
        oracle: p.oracle ?? zeroAddress,
        metadataHash: hash,
        ladder: p.ladder,
      },
      uri,
      keccak256(toHex(`${doc.title}-${p.deadline}`)),
    ],
  });
  return createdCampaign((await send(ctx, tx)).logs);
}

/**
 * Signs `counts[j]` pledges at each level j+1 with fresh keys; every `supportEvery`-th asks for `support`,
 * with the condition `conditionOf(a)` gives the a-th of those (default none). With an attester, each
 * key carries its voucher.
 */
async function pledgeMany(
  ctx: Ctx,
  campaign: Address,
  counts: number[],
  support: bigint,
  supportEvery: number,
  attester?: LocalAccount,
  conditionOf: (asking: number) => number = () => 0,
): Promise<{ key: Hex; level: number; support: bigint; condition: number }[]> {
  const made: { key: Hex; level: number; support: bigint; condition: number }[] = [];
  const signed: SignedPledge[] = [];
  let n = 0;
  let asking = 0;
  for (let j = 0; j < counts.length; j++) {
    for (let i = 0; i < counts[j]; i++) {
      const key = generatePrivateKey();
      const s = supportEvery > 0 && n++ % supportEvery === 0 ? support : 0n;
      const condition = s > 0n ? conditionOf(asking++) : 0;
      const voucher = attester ? await signVoucher(attester, campaign, ctx.chain.id, addressOf(key)) : undefined;
      signed.push(
        signPledgeFast(key, campaign, ctx.chain.id, { level: j + 1, support: s, condition, nonce: 0 }, voucher),
      );
      made.push({ key, level: j + 1, support: s, condition });
    }
  }
  const w = wallet(ctx, ROLES.deployer);
  for (let i = 0; i < signed.length; i += 200) {
    await send(
      ctx,
      await w.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "pledgeBatch",
        args: [encodePledges(signed.slice(i, i + 200))],
      }),
    );
  }
  return made;
}

/** Euros in the stand-in stablecoin's base units (6 decimals). */
const EUR = (euros: number) => BigInt(euros) * 1_000_000n;

/** A token donation by approval (the dApp itself uses a single EIP-2612 permit). */
async function donateToken(
  ctx: Ctx,
  tokenAbi: Abi,
  token: Address,
  campaign: Address,
  donorIndex: number,
  level: number,
  amount: bigint,
) {
  const w = wallet(ctx, donorIndex);
  await send(
    ctx,
    await w.writeContract({ address: token, abi: tokenAbi, functionName: "approve", args: [campaign, amount] }),
  );
  await send(
    ctx,
    await w.writeContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "donate",
      args: [BigInt(level), amount],
    }),
  );
}

async function donate(ctx: Ctx, campaign: Address, donorIndex: number, level: number, amount: bigint) {
  const w = wallet(ctx, donorIndex);
  await send(
    ctx,
    await w.writeContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "donate",
      args: [BigInt(level), amount],
      value: amount,
    }),
  );
}

async function makeCtx(rpcUrl: string, factory: Address, log: (line: string) => void): Promise<Ctx> {
  const probe = createPublicClient({ transport: http(rpcUrl) });
  const chain = chainFor(await probe.getChainId(), rpcUrl);
  const client = createPublicClient({ chain, transport: http(rpcUrl) }) as PublicClient;
  return { rpcUrl, chain, client, factory, log };
}

/**
 * An open campaign in `token` whose crowd is forming (`counts[j]` pledges at level j+1 of `ladder`,
 * by default the 1-2-5 ladder up to 5,000), its deadline `days` ahead of the chain's clock; no
 * support cap, so no gate. The striker's and the journey's browser suites make some after the core
 * flow's time travel.
 */
export async function seedOpenCampaign(params: {
  rpcUrl: string;
  factory: Address;
  token: Address;
  counts: number[];
  days?: number;
  ladder?: number[];
}): Promise<Address> {
  const ctx = await makeCtx(params.rpcUrl, params.factory, () => {});
  const now = (await ctx.client.getBlock({ blockTag: "latest" })).timestamp;
  const days = BigInt(params.days ?? 14);
  const campaign = await createCampaign(
    ctx,
    {
      title: "Grève des cheminots / Railway strike",
      text: "Trois jours de grève si nous sommes assez. / Three days of strike if enough of us commit.",
      actionDate: new Date(Number(now + (days + 7n) * DAY) * 1000).toISOString().slice(0, 10),
      place: "Rennes",
      languages: ["fr", "en"],
    },
    {
      deadline: now + days * DAY,
      action: now + (days + 7n) * DAY,
      ladder: params.ladder ?? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
      cap: 0n,
      token: params.token,
    },
  );
  await pledgeMany(ctx, campaign, params.counts, 0n, 0);
  return campaign;
}

/**
 * Seeds the demo. Moves the chain's clock forward by two hours (to resolve the closed campaigns);
 * the open campaign's deadline is two weeks away.
 * @example const demo = await seedDemo({ rpcUrl, factory });
 */
export async function seedDemo(params: {
  rpcUrl: string;
  factory: Address;
  log?: (line: string) => void;
}): Promise<SeedResult> {
  const log = params.log ?? (() => {});
  const probe = createPublicClient({ transport: http(params.rpcUrl) });
  const chainId = await probe.getChainId();
  const chain = chainFor(chainId, params.rpcUrl);
  const client = createPublicClient({ chain, transport: http(params.rpcUrl) }) as PublicClient;
  const ctx: Ctx = { rpcUrl: params.rpcUrl, chain, client, factory: params.factory, log };
  const now = (await client.getBlock({ blockTag: "latest" })).timestamp;

  // A euro stablecoin stand-in (6 decimals, EIP-2612 permit, like EURC): the main demo campaign and
  // the care workers' fund count in it, so their amounts read in euros.
  const artifact = JSON.parse(
    readFileSync(path.join(ROOT, "artifacts/contracts/test/TestTokens.sol/TestStablecoin.json"), "utf8"),
  ) as { abi: Abi; bytecode: Hex };
  const deployer = wallet(ctx, ROLES.deployer);
  const deployTx = await deployer.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode });
  const token = (await send(ctx, deployTx)).contractAddress!;
  for (const index of [
    ROLES.wallet,
    ROLES.firstDonor,
    ROLES.firstDonor + 1,
    ROLES.firstDonor + 2,
    ROLES.firstDonor + 3,
    ROLES.firstDonor + 4,
  ]) {
    const to = privateKeyToAccount(hardhatKey(index)).address;
    await send(
      ctx,
      await deployer.writeContract({
        address: token,
        abi: artifact.abi,
        functionName: "mint",
        args: [to, EUR(10_000)],
      }),
    );
  }
  const keeperAddress = privateKeyToAccount(hardhatKey(ROLES.keeper)).address;
  const union = privateKeyToAccount(hardhatKey(ROLES.organiser));
  const ladder125 = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
  const open = await createCampaign(
    ctx,
    {
      title: "Grève générale pour les salaires / General strike for wages",
      text: "Une journée de grève si nous sommes assez nombreux. / One day of strike if enough of us commit.",
      actionDate: new Date(Number(now + 21n * DAY) * 1000).toISOString().slice(0, 10),
      place: "Partout / Everywhere",
      languages: ["fr", "en"],
    },
    // Money needs a gate: the keeper is this campaign's participation oracle; the final lock is 24 hours.
    // The conditions the dApp proposes: a pledge may ask at least half, or all, of its support covered.
    {
      deadline: now + 14n * DAY,
      action: now + 21n * DAY,
      ladder: ladder125,
      cap: EUR(50),
      token,
      oracle: keeperAddress,
      oracleWindow: 3n * DAY,
      finalLock: DAY,
      conditions: PROPOSED_CONDITIONS,
    },
  );
  // C(9) = 775 ≥ 500, C(10) = 925 < 1000, C(11) = 1,925 < 2000: j* = 9 now; 75 more at or below 2000
  // tip it to 2000 (at or below 1000 they tip 1000 and 2000 at once).
  // Every 7th pledge asks €10; of those, one in six asks half of it covered and one in six all of it.
  // The €6,000 donated at levels ≤ 9 cover every request there (about €1,100), so every group at
  // those levels counts and j* = 9, P = 775 as without conditions; above, the count keeps them out.
  const openCounts = [2, 3, 5, 10, 25, 60, 120, 250, 300, 150, 1000, 1200];
  const t0 = Date.now();
  const openPledges = await pledgeMany(ctx, open, openCounts, EUR(10), 7, undefined, (a) =>
    a % 6 === 1 ? 1 : a % 6 === 4 ? 2 : 0,
  );
  const total = openCounts.reduce((a, b) => a + b, 0);
  const conditional = openPledges.filter((p) => p.condition > 0).length;
  log(
    `open campaign ${open}: ${total} pledges (${conditional} with a condition) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  for (let d = 0; d < 5; d++) {
    await donateToken(ctx, artifact.abi, token, open, ROLES.firstDonor + d, [3, 6, 9, 10, 12][d], EUR(1000 * (1 + d)));
  }

  // The keeper is this campaign's participation oracle: after the action, it publishes the set of
  // pledge keys the organiser confirmed (a file in the keeper's participation directory).
  const oracleCampaign = await createCampaign(
    ctx,
    {
      title: "Grève de la métallurgie, présence vérifiée / Steelworkers' strike, attendance checked",
      text: "Le syndicat confirme la participation avant le versement du soutien. / The union confirms participation before support is paid.",
      actionDate: new Date(Number(now + 14n * DAY + HOUR) * 1000).toISOString().slice(0, 10),
      place: "Dunkerque",
      languages: ["fr", "en"],
    },
    {
      deadline: now + 14n * DAY,
      action: now + 14n * DAY + HOUR,
      ladder: [2, 5, 10],
      cap: parseEther("0.1"),
      oracle: keeperAddress,
      oracleWindow: 3n * DAY,
      finalLock: DAY,
    },
  );
  await pledgeMany(ctx, oracleCampaign, [2, 2, 0], parseEther("0.05"), 2);
  await donate(ctx, oracleCampaign, ROLES.firstDonor + 4, 1, parseEther("0.4"));

  const tokenCampaign = await createCampaign(
    ctx,
    {
      title: "Caisse de grève des soignants / Care workers' strike fund",
      text: "Dons en euros numériques. / Donations in digital euros.",
      actionDate: new Date(Number(now + 20n * DAY) * 1000).toISOString().slice(0, 10),
      place: "Toulouse",
      languages: ["fr", "en"],
    },
    {
      deadline: now + 14n * DAY,
      action: now + 20n * DAY,
      ladder: [5, 10, 20, 50],
      cap: 50_000_000n,
      token,
      oracle: keeperAddress,
      oracleWindow: 3n * DAY,
      finalLock: DAY,
    },
  );
  await pledgeMany(ctx, tokenCampaign, [4, 5, 3, 0], 30_000_000n, 3);
  const tokenDonor = wallet(ctx, ROLES.firstDonor);
  await send(
    ctx,
    await tokenDonor.writeContract({
      address: token,
      abi: artifact.abi,
      functionName: "approve",
      args: [tokenCampaign, 100_000_000n],
    }),
  );
  await send(
    ctx,
    await tokenDonor.writeContract({
      address: tokenCampaign,
      abi: campaignAbi,
      functionName: "donate",
      args: [2n, 100_000_000n],
    }),
  );

  const succeeded = await createCampaign(
    ctx,
    {
      title: "Grève des livreurs / Couriers' strike",
      text: "Arrêt de travail des livreurs. / Couriers stop work.",
      actionDate: new Date(Number(now + 2n * HOUR) * 1000).toISOString().slice(0, 10),
      place: "Lyon",
      languages: ["fr", "en"],
    },
    // Gated by the organiser as attester (a union vouching for its members), so claims need no proof.
    {
      deadline: now + HOUR,
      action: now + 2n * HOUR,
      ladder: [2, 5, 10, 20],
      cap: parseEther("0.5"),
      attester: union.address,
    },
  );
  const winners = await pledgeMany(ctx, succeeded, [3, 4, 4, 2], parseEther("0.2"), 2, union);
  await donate(ctx, succeeded, ROLES.firstDonor, 1, parseEther("1"));
  await donate(ctx, succeeded, ROLES.firstDonor + 1, 2, parseEther("0.5"));
  await donate(ctx, succeeded, ROLES.firstDonor + 2, 4, parseEther("0.3"));

  const failed = await createCampaign(
    ctx,
    {
      title: "Grève du nettoyage / Cleaners' strike",
      text: "Il fallait 20 personnes au moins. / At least 20 people were needed.",
      actionDate: new Date(Number(now + 2n * HOUR) * 1000).toISOString().slice(0, 10),
      place: "Marseille",
      languages: ["fr", "en"],
    },
    { deadline: now + HOUR, action: now + 2n * HOUR, ladder: [20, 50, 100], cap: 0n },
  );
  await pledgeMany(ctx, failed, [6, 3, 1], 0n, 0);
  await donate(ctx, failed, ROLES.firstDonor + 3, 1, parseEther("0.7"));

  const young = await createCampaign(
    ctx,
    {
      title: "Nouvelle campagne / New campaign",
      text: "Pas encore listée. / Not listed yet.",
      actionDate: new Date(Number(now + 30n * DAY) * 1000).toISOString().slice(0, 10),
      place: "Lille",
      languages: ["fr", "en"],
    },
    { deadline: now + 20n * DAY, action: now + 30n * DAY, ladder: [5, 10, 20], cap: 0n, finalLock: DAY },
  );
  await pledgeMany(ctx, young, [1], 0n, 0);

  // Close the two short campaigns, resolve them, and pay some claims and surplus.
  await rpcCall(params.rpcUrl, "evm_increaseTime", [Number(2n * HOUR)]);
  await rpcCall(params.rpcUrl, "evm_mine");
  const w = wallet(ctx, ROLES.deployer);
  await send(ctx, await w.writeContract({ address: succeeded, abi: campaignAbi, functionName: "resolve" }));
  await send(ctx, await w.writeContract({ address: failed, abi: campaignAbi, functionName: "resolve" }));
  const claimants = winners.filter((p) => p.support > 0n && p.level <= 2).slice(0, 3);
  for (const p of claimants) {
    const key = privateKeyToAccount(p.key);
    const payee = privateKeyToAccount(generatePrivateKey()).address;
    const signed = await signClaim(key, succeeded, chainId, { payee, feeRecipient: zeroAddress, maxFee: 0n });
    await send(
      ctx,
      await w.writeContract({ address: succeeded, abi: campaignAbi, functionName: "claim", args: [signed] }),
    );
  }
  const donor = wallet(ctx, ROLES.firstDonor);
  const [, surplus] = await client.readContract({
    address: succeeded,
    abi: campaignAbi,
    functionName: "reclaimable",
    args: [0n],
  });
  if (surplus > 0n) {
    await send(
      ctx,
      await donor.writeContract({ address: succeeded, abi: campaignAbi, functionName: "reclaimDonation", args: [0n] }),
    );
  }
  log(`succeeded campaign ${succeeded}, failed campaign ${failed}, unlisted campaign ${young}`);
  return { open, oracleCampaign, tokenCampaign, token, succeeded, failed, young, pledges: total };
}
