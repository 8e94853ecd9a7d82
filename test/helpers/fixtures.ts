/**
 * Named fixtures for every test (load them with `networkHelpers.loadFixture`), on one in-process
 * Hardhat network per test file. The factory comes from the deploy module, as on a real chain.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import type { Address, LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { keccak256, toHex, type Hex } from "viem";
import { encodePledges, signClaim, signPledge, signVoucher, type SignedPledge } from "@bascule/core/signing";
import BasculeModule from "../../deploy/modules/Bascule.js";

export const connection = await network.getOrCreate();
export const { ethers, ignition, networkHelpers } = connection;

export const DAY = 24 * 60 * 60;
export const ZERO = "0x0000000000000000000000000000000000000000" as Address;

/**
 * The attester of the default campaign: money needs a gate (GateRequired), so the default campaign is
 * attested and `pledgeFor` adds this attester's voucher to a key's first pledge unless told otherwise.
 */
export const DEFAULT_ATTESTER_KEY: Hex = "0xa77e57e2a77e57e2a77e57e2a77e57e2a77e57e2a77e57e2a77e57e2a77e57e2";
export const DEFAULT_ATTESTER: LocalAccount = privateKeyToAccount(DEFAULT_ATTESTER_KEY);

/** The parameters as the factory takes them. */
export interface CampaignParams {
  token: string;
  pledgeDeadline: bigint;
  finalLock: bigint;
  actionDate: bigint;
  oracleWindow: bigint;
  claimWindow: bigint;
  supportCap: bigint;
  /** c_1 < c_2 in basis points ([] by default: no conditions). */
  conditions: number[];
  attester: string;
  oracle: string;
  metadataHash: string;
  ladder: number[];
}

export async function defaultParams(overrides: Partial<CampaignParams> = {}): Promise<CampaignParams> {
  const now = BigInt(await networkHelpers.time.latest());
  return {
    token: ZERO,
    pledgeDeadline: now + BigInt(7 * DAY),
    finalLock: 0n,
    actionDate: now + BigInt(8 * DAY),
    oracleWindow: 0n,
    claimWindow: BigInt(30 * DAY),
    supportCap: ethers.parseEther("1"),
    conditions: [],
    attester: DEFAULT_ATTESTER.address,
    oracle: ZERO,
    metadataHash: keccak256(toHex("Grève générale du 1er mai")),
    ladder: [2, 5, 10],
    ...overrides,
  };
}

/**
 * The factory (and the implementation it creates) deployed by the Ignition module `Bascule`, the one
 * `npm run deploy` deploys, from the first signer. Ignition's default strategy here, not `create2`:
 * `loadFixture` runs a fixture it has not seen on top of the chain as the last test left it, where
 * the factory's CREATE2 address would already be taken (test/deploy/ covers the create2 deployment).
 */
export async function deployFactory() {
  const [deployer, organiser, ...others] = await ethers.getSigners();
  const deployed = await ignition.deploy(BasculeModule, { defaultSender: deployer.address });
  // Ignition hands back an untyped ethers contract; the typed one is attached at the same address.
  const factory = await ethers.getContractAt("CampaignFactory", await deployed.factory.getAddress(), deployer);
  return { factory, deployer, organiser, others };
}

export type Factory = Awaited<ReturnType<typeof deployFactory>>["factory"];

/** Creates a campaign as `organiser` and returns it attached at its clone address. */
export async function createCampaign(
  factory: Factory,
  organiser: Awaited<ReturnType<typeof ethers.getSigners>>[number],
  params: CampaignParams,
  salt = ethers.ZeroHash,
) {
  const address = await factory.predictCampaign(organiser.address, params, salt);
  await (await factory.connect(organiser).createCampaign(params, "ipfs://bascule-demo", salt)).wait();
  return ethers.getContractAt("Campaign", address);
}

export type CampaignContract = Awaited<ReturnType<typeof createCampaign>>;

/** A fresh pledge key, as a participant's browser makes one. */
export function newPledgeKey(): LocalAccount {
  return privateKeyToAccount(generatePrivateKey());
}

export async function chainId(): Promise<bigint> {
  return (await ethers.provider.getNetwork()).chainId;
}

/** Signs a pledge for `campaign` with `key` (nonce read from the chain unless given). */
export async function pledgeFor(
  campaign: CampaignContract,
  key: LocalAccount,
  level: number,
  support = 0n,
  options: { nonce?: number; voucher?: Hex; condition?: number } = {},
): Promise<SignedPledge> {
  const address = (await campaign.getAddress()) as Address;
  const id = await chainId();
  const nonce = options.nonce ?? Number((await campaign.pledgeOf(key.address)).nonce);
  // A first pledge carries the default attester's voucher (ignored where the campaign has no attester).
  const voucher =
    options.voucher ?? (nonce === 0 ? await signVoucher(DEFAULT_ATTESTER, address, id, key.address) : "0x");
  return signPledge(key, address, id, { level, support, condition: options.condition ?? 0, nonce }, voucher);
}

export async function voucherFor(campaign: CampaignContract, attester: LocalAccount, key: Address) {
  return signVoucher(attester, (await campaign.getAddress()) as Address, await chainId(), key);
}

export async function claimFor(
  campaign: CampaignContract,
  key: LocalAccount,
  claim: { payee: Address; feeRecipient?: Address; maxFee?: bigint; fee?: bigint; proof?: `0x${string}`[] },
) {
  return signClaim(key, (await campaign.getAddress()) as Address, await chainId(), {
    payee: claim.payee,
    feeRecipient: claim.feeRecipient ?? ZERO,
    maxFee: claim.maxFee ?? 0n,
    fee: claim.fee,
    proof: claim.proof,
  });
}

/** An ETH campaign with ladder [2, 5, 10], no attester, no oracle. */
export async function ethCampaignFixture() {
  const base = await deployFactory();
  const params = await defaultParams();
  const campaign = await createCampaign(base.factory, base.organiser, params);
  return { ...base, params, campaign };
}

/** A campaign in a 6-decimal permit stablecoin, donors funded. */
export async function tokenCampaignFixture() {
  const base = await deployFactory();
  const token = await ethers.deployContract("TestStablecoin");
  const params = await defaultParams({ token: await token.getAddress(), supportCap: 100_000_000n });
  const campaign = await createCampaign(base.factory, base.organiser, params);
  for (const s of base.others.slice(0, 5)) await (await token.mint(s.address, 1_000_000_000_000n)).wait();
  return { ...base, params, campaign, token };
}

/** A campaign gated by an attester (its key is a viem account so tests can sign vouchers). */
export async function attestedCampaignFixture() {
  const base = await deployFactory();
  const attester = newPledgeKey();
  const params = await defaultParams({ attester: attester.address });
  const campaign = await createCampaign(base.factory, base.organiser, params);
  return { ...base, params, campaign, attester };
}

/** A campaign with a participation oracle (the fourth signer) and a 2-day oracle window. */
export async function oracleCampaignFixture() {
  const base = await deployFactory();
  const oracle = base.others[3];
  const params = await defaultParams({ oracle: oracle.address, oracleWindow: BigInt(2 * DAY) });
  const campaign = await createCampaign(base.factory, base.organiser, params);
  return { ...base, params, campaign, oracle };
}

// The states of a campaign the Campaign tests start from.

/**
 * ETH campaign, ladder [2, 5, 10]: keys A (level 1, asks 300 wei) and B (level 1, asks 100 wei),
 * C (level 3, asks 200 wei); donations #0 700 wei and #1 333 wei at level 1, #2 200 wei at level 2.
 * Resolves to j* = 1, P = 2, F = 1033, R = 400, paid = 400.
 */
export async function fundedCampaignFixture() {
  const base = await ethCampaignFixture();
  const { campaign, others } = base;
  const [a, b, c] = [newPledgeKey(), newPledgeKey(), newPledgeKey()];
  await (
    await campaign.pledgeBatch(
      encodePledges([
        await pledgeFor(campaign, a, 1, 300n),
        await pledgeFor(campaign, b, 1, 100n),
        await pledgeFor(campaign, c, 3, 200n),
      ]),
    )
  ).wait();
  const [d0, d1, d2] = others;
  await (await campaign.connect(d0).donate(1, 700n, { value: 700n })).wait();
  await (await campaign.connect(d1).donate(1, 333n, { value: 333n })).wait();
  await (await campaign.connect(d2).donate(2, 200n, { value: 200n })).wait();
  return { ...base, keys: { a, b, c }, donors: { d0, d1, d2 } };
}

/** `fundedCampaignFixture` resolved: j* = 1, the claim window ends at `claimEnd`. */
export async function resolvedCampaignFixture() {
  const base = await fundedCampaignFixture();
  await networkHelpers.time.increaseTo(base.params.pledgeDeadline + 1n);
  await (await base.campaign.resolve()).wait();
  const claimEnd = base.params.actionDate + base.params.claimWindow;
  return { ...base, claimEnd };
}

/** Triggered support exceeds triggered donations: F = 100 < R = 400, so nothing is left over. */
export async function scarceCampaignFixture() {
  const base = await ethCampaignFixture();
  const { campaign, others } = base;
  const [a, b] = [newPledgeKey(), newPledgeKey()];
  await (
    await campaign.pledgeBatch(
      encodePledges([await pledgeFor(campaign, a, 1, 300n), await pledgeFor(campaign, b, 1, 100n)]),
    )
  ).wait();
  await (await campaign.connect(others[0]).donate(1, 100n, { value: 100n })).wait();
  await networkHelpers.time.increaseTo(base.params.pledgeDeadline + 1n);
  await (await campaign.resolve()).wait();
  return {
    ...base,
    keys: { a, b },
    claimEnd: base.params.actionDate + base.params.claimWindow,
  };
}

/** An oracle campaign that succeeded at level 1 with two beneficiaries (A asks 300, B 100) and 1000 wei donated. */
export async function oracleResolvedFixture() {
  const base = await oracleCampaignFixture();
  const { campaign, others } = base;
  const [a, b] = [newPledgeKey(), newPledgeKey()];
  await (
    await campaign.pledgeBatch(
      encodePledges([await pledgeFor(campaign, a, 1, 300n), await pledgeFor(campaign, b, 1, 100n)]),
    )
  ).wait();
  await (await campaign.connect(others[0]).donate(1, 1000n, { value: 1000n })).wait();
  await networkHelpers.time.increaseTo(base.params.pledgeDeadline + 1n);
  await (await campaign.resolve()).wait();
  const oracleEnd = base.params.actionDate + base.params.oracleWindow;
  const tree = StandardMerkleTree.of([[a.address], [b.address]], ["address"]);
  return {
    ...base,
    keys: { a, b },
    oracleEnd,
    claimEnd: oracleEnd + base.params.claimWindow,
    tree,
  };
}

/** A 20-level ladder L_j = j, to exercise several packed count words and block sums. */
export async function longLadderFixture() {
  const base = await deployFactory();
  const params = await defaultParams({
    ladder: Array.from({ length: 20 }, (_, i) => i + 1),
  });
  const campaign = await createCampaign(base.factory, base.organiser, params);
  return { ...base, params, campaign };
}

/** A campaign whose support cap is the largest the factory accepts, 2^90 - 1. */
export async function maxCapFixture() {
  const base = await deployFactory();
  const params = await defaultParams({ supportCap: (1n << 90n) - 1n });
  const campaign = await createCampaign(base.factory, base.organiser, params);
  return { ...base, params, campaign };
}

/** The ETH balance of an address or a contract. */
export async function balanceOf(address: string | { getAddress(): Promise<string> }): Promise<bigint> {
  return ethers.provider.getBalance(typeof address === "string" ? address : await address.getAddress());
}

/** ICampaign.Entitlement, as ethers returns it. */
export const Entitlement = { None: 0n, Pending: 1n, NeedsProof: 2n, Due: 3n, Taken: 4n, Expired: 5n } as const;
