/**
 * EIP-712 messages of a campaign (see ICampaign): the pledge key signs pledges and claims, the
 * attester signs vouchers. Works in Node and in the browser (viem only).
 */
import {
  type Address,
  type Hex,
  type LocalAccount,
  parseSignature,
  signatureToCompactSignature,
} from "viem";

export const PLEDGE_TYPES = {
  Pledge: [
    { name: "level", type: "uint8" },
    { name: "support", type: "uint128" },
    { name: "nonce", type: "uint32" },
  ],
} as const;

export const VOUCHER_TYPES = { Voucher: [{ name: "pledgeKey", type: "address" }] } as const;

export const CLAIM_TYPES = {
  Claim: [
    { name: "payee", type: "address" },
    { name: "feeRecipient", type: "address" },
    { name: "maxFee", type: "uint256" },
  ],
} as const;

export const ZERO_BYTES32 = `0x${"00".repeat(32)}` as Hex;

/** The EIP-712 domain of one campaign on one chain. */
export function campaignDomain(campaign: Address, chainId: number | bigint) {
  return { name: "Bascule", version: "1", chainId: BigInt(chainId), verifyingContract: campaign } as const;
}

/** An ERC-2098 compact signature, as the contract takes it. */
export interface CompactSignature {
  r: Hex;
  vs: Hex;
}

/** Turns a 65-byte signature into the (r, vs) pair the contract takes. */
export function toCompact(signature: Hex): CompactSignature {
  const { r, yParityAndS } = signatureToCompactSignature(parseSignature(signature));
  return { r, vs: yParityAndS };
}

export interface PledgeMessage {
  level: number;
  support: bigint;
  nonce: number;
}

/** The struct `ICampaign.SignedPledge`, ready for `pledge` or `pledgeBatch`. */
export interface SignedPledge extends PledgeMessage {
  r: Hex;
  vs: Hex;
  voucherR: Hex;
  voucherVs: Hex;
}

/** The struct `ICampaign.SignedClaim`. */
export interface SignedClaim {
  payee: Address;
  feeRecipient: Address;
  maxFee: bigint;
  fee: bigint;
  proof: Hex[];
  r: Hex;
  vs: Hex;
}

/** A voucher's compact signature; both zero where the campaign has no attester. */
export const NO_VOUCHER: CompactSignature = { r: ZERO_BYTES32, vs: ZERO_BYTES32 };

/**
 * Signs a pledge with the pledge key.
 * @example
 * const key = privateKeyToAccount(generatePrivateKey());
 * const signed = await signPledge(key, campaign, 31337, { level: 2, support: 0n, nonce: 0 });
 */
export async function signPledge(
  pledgeKey: LocalAccount,
  campaign: Address,
  chainId: number | bigint,
  message: PledgeMessage,
  voucher: CompactSignature = NO_VOUCHER,
): Promise<SignedPledge> {
  const signature = await pledgeKey.signTypedData({
    domain: campaignDomain(campaign, chainId),
    types: PLEDGE_TYPES,
    primaryType: "Pledge",
    message: { level: message.level, support: message.support, nonce: message.nonce },
  });
  const { r, vs } = toCompact(signature);
  return { ...message, r, vs, voucherR: voucher.r, voucherVs: voucher.vs };
}

/** The attester vouches for a pledge key (sybil gate). */
export async function signVoucher(
  attester: LocalAccount,
  campaign: Address,
  chainId: number | bigint,
  pledgeKey: Address,
): Promise<CompactSignature> {
  const signature = await attester.signTypedData({
    domain: campaignDomain(campaign, chainId),
    types: VOUCHER_TYPES,
    primaryType: "Voucher",
    message: { pledgeKey },
  });
  return toCompact(signature);
}

/** Signs a claim naming its payee, the relayer credited with the fee, and the largest fee allowed. */
export async function signClaim(
  pledgeKey: LocalAccount,
  campaign: Address,
  chainId: number | bigint,
  claim: { payee: Address; feeRecipient: Address; maxFee: bigint; fee?: bigint; proof?: Hex[] },
): Promise<SignedClaim> {
  const signature = await pledgeKey.signTypedData({
    domain: campaignDomain(campaign, chainId),
    types: CLAIM_TYPES,
    primaryType: "Claim",
    message: { payee: claim.payee, feeRecipient: claim.feeRecipient, maxFee: claim.maxFee },
  });
  const { r, vs } = toCompact(signature);
  return {
    payee: claim.payee,
    feeRecipient: claim.feeRecipient,
    maxFee: claim.maxFee,
    fee: claim.fee ?? 0n,
    proof: claim.proof ?? [],
    r,
    vs,
  };
}
