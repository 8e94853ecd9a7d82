/**
 * Named fixtures for every test (load them with `networkHelpers.loadFixture`), on one in-process
 * Hardhat network per test file.
 */
import { network } from "hardhat";
import type { Address, LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { keccak256, toHex, type Hex } from "viem";
import { signClaim, signPledge, signVoucher, type SignedPledge } from "@bascule/core/signing";

export const connection = await network.getOrCreate();
export const { ethers, networkHelpers } = connection;

export const DAY = 24 * 60 * 60;
export const ZERO = "0x0000000000000000000000000000000000000000" as Address;

/**
 * The attester of the default campaign: money needs a gate (GateRequired), so the default campaign is
 * attested and `pledgeFor` adds this attester's voucher to a key's first pledge unless told otherwise.
 */
export const DEFAULT_ATTESTER: LocalAccount = privateKeyToAccount(
  "0xa77e57e2a77e57e2a77e57e2a77e57e2a77e57e2a77e57e2a77e57e2a77e57e2",
);

/** The parameters as the factory takes them. */
export interface CampaignParams {
  token: string;
  pledgeDeadline: bigint;
  finalLock: bigint;
  actionDate: bigint;
  oracleWindow: bigint;
  claimWindow: bigint;
  supportCap: bigint;
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
    attester: DEFAULT_ATTESTER.address,
    oracle: ZERO,
    metadataHash: keccak256(toHex("Grève générale du 1er mai")),
    ladder: [2, 5, 10],
    ...overrides,
  };
}

export async function deployFactory() {
  const [deployer, organiser, ...others] = await ethers.getSigners();
  const factory = await ethers.deployContract("CampaignFactory", [], deployer);
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
  options: { nonce?: number; voucher?: Hex } = {},
): Promise<SignedPledge> {
  const address = (await campaign.getAddress()) as Address;
  const id = await chainId();
  const nonce = options.nonce ?? Number((await campaign.pledgeOf(key.address)).nonce);
  // A first pledge carries the default attester's voucher (ignored where the campaign has no attester).
  const voucher = options.voucher ?? (nonce === 0 ? await signVoucher(DEFAULT_ATTESTER, address, id, key.address) : "0x");
  return signPledge(key, address, id, { level, support, nonce }, voucher);
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
