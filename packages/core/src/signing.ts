/**
 * EIP-712 messages of a campaign (see ICampaign): the pledge key signs pledges and claims, the
 * attester signs vouchers. Works in Node and in the browser (viem only).
 */
import {
  type Address,
  type Hex,
  type LocalAccount,
  hashTypedData,
  bytesToHex,
  concatHex,
  encodePacked,
  hexToBytes,
  parseSignature,
  size,
  signatureToCompactSignature,
} from "viem";

export const PLEDGE_TYPES = {
  Pledge: [
    { name: "level", type: "uint8" },
    { name: "support", type: "uint128" },
    { name: "condition", type: "uint8" },
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

/** EIP-2612's `Permit`, signed under the token's own domain (EIP-5267 `eip712Domain()`). */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The token's EIP-712 domain, as `eip712Domain()` gives it (or its name and version "1" for older tokens). */
export interface TokenDomain {
  name: string;
  version: string;
  chainId: number | bigint;
  verifyingContract: Address;
}

/**
 * The EIP-2612 permit a donor signs so `donateWithPermit` can pull the amount in the same transaction.
 * @example
 * const signature = await wallet.signTypedData(
 *   permitTypedData(domain, { owner, spender: campaign, value: amount, nonce, deadline }),
 * );
 */
export function permitTypedData(
  domain: TokenDomain,
  message: { owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint },
) {
  return {
    domain: {
      name: domain.name,
      version: domain.version,
      chainId: BigInt(domain.chainId),
      verifyingContract: domain.verifyingContract,
    },
    types: PERMIT_TYPES,
    primaryType: "Permit",
    message,
  } as const;
}

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

/**
 * What a pledge key signs: level 1..m (0 withdraws), the support requested, the condition k (0: none;
 * k: the pledge binds only if at least c_k of the request is covered; recorded as 0 when support is 0)
 * and the key's nonce. `condition` may be left out for 0.
 */
export interface PledgeMessage {
  level: number;
  support: bigint;
  condition?: number;
  nonce: number;
}

/** A pledge signed by its key; `encodePledges` turns a list of them into `pledgeBatch`'s bytes. */
export interface SignedPledge extends PledgeMessage {
  condition: number;
  r: Hex;
  vs: Hex;
  /**
   * The attester's voucher on the pledge key, as OpenZeppelin SignatureChecker takes it: the 65-byte
   * (r, s, v) signature of an account, or whatever the attester contract accepts through ERC-1271.
   * "0x" where the campaign has no attester, or on a key's later pledges.
   */
  voucher: Hex;
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

/** No voucher: where the campaign has no attester, or on a key's later pledges. */
export const NO_VOUCHER: Hex = "0x";

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
  voucher: Hex = NO_VOUCHER,
): Promise<SignedPledge> {
  const signature = await pledgeKey.signTypedData({
    domain: campaignDomain(campaign, chainId),
    types: PLEDGE_TYPES,
    primaryType: "Pledge",
    message: pledgeTerms(message),
  });
  const { r, vs } = toCompact(signature);
  return { ...message, condition: message.condition ?? 0, r, vs, voucher };
}

function pledgeTerms(message: PledgeMessage) {
  return { level: message.level, support: message.support, condition: message.condition ?? 0, nonce: message.nonce };
}

/** The EIP-712 digest a pledge key signs for a pledge: `Pledge(level, support, condition, nonce)` under the campaign's domain. */
export function pledgeDigest(campaign: Address, chainId: number | bigint, message: PledgeMessage): Hex {
  return hashTypedData({
    domain: campaignDomain(campaign, chainId),
    types: PLEDGE_TYPES,
    primaryType: "Pledge",
    message: pledgeTerms(message),
  });
}

/** Bytes of one packed pledge before its voucher (ICampaign, "Packed pledges"). */
export const PLEDGE_HEAD_BYTES = 88;

/**
 * The packed bytes `pledge` and `pledgeBatch` take (ICampaign, "Packed pledges"): per pledge, big-endian,
 * level (1 byte), condition (1), nonce (4), support (16), r (32), vs (32), voucher length (2), voucher.
 * The key is not sent: the contract recovers it from the signature.
 * @example
 * await campaign.write.pledgeBatch([encodePledges([a, b])]);
 */
export function encodePledges(pledges: readonly SignedPledge[]): Hex {
  // viem's encodePacked checks each value against its type's range (level 0..255, support < 2^128, …).
  // concatHex, not concat: concat([]) cannot tell hex from bytes and returns an empty Uint8Array.
  return concatHex(
    pledges.map((p) => {
      const voucherLength = size(p.voucher);
      if (voucherLength > 0xffff) throw new RangeError(`voucher too long: ${voucherLength} bytes`);
      return encodePacked(
        ["uint8", "uint8", "uint32", "uint128", "bytes32", "bytes32", "uint16", "bytes"],
        [p.level, p.condition, p.nonce, p.support, p.r, p.vs, voucherLength, p.voucher],
      );
    }),
  );
}

/** The bytes `pledge` takes for one signed pledge. */
export function encodePledge(pledge: SignedPledge): Hex {
  return encodePledges([pledge]);
}

/** The pledges in `pledgeBatch`'s bytes (the inverse of `encodePledges`); throws on malformed bytes. */
export function decodePledges(data: Hex): SignedPledge[] {
  const bytes = hexToBytes(data);
  const pledges: SignedPledge[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + PLEDGE_HEAD_BYTES > bytes.length) throw new RangeError(`malformed pledges at byte ${at}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset + at);
    const length = view.getUint16(86);
    const end = at + PLEDGE_HEAD_BYTES + length;
    if (end > bytes.length) throw new RangeError(`malformed pledges at byte ${at}`);
    pledges.push({
      level: view.getUint8(0),
      condition: view.getUint8(1),
      nonce: view.getUint32(2),
      support: (view.getBigUint64(6) << 64n) | view.getBigUint64(14),
      r: bytesToHex(bytes.subarray(at + 22, at + 54)),
      vs: bytesToHex(bytes.subarray(at + 54, at + 86)),
      voucher: bytesToHex(bytes.subarray(at + PLEDGE_HEAD_BYTES, end)),
    });
    at = end;
  }
  return pledges;
}

/** The EIP-712 digest a pledge key signs for a claim: `Claim(payee, feeRecipient, maxFee)` under the campaign's domain. */
export function claimDigest(
  campaign: Address,
  chainId: number | bigint,
  message: { payee: Address; feeRecipient: Address; maxFee: bigint },
): Hex {
  return hashTypedData({
    domain: campaignDomain(campaign, chainId),
    types: CLAIM_TYPES,
    primaryType: "Claim",
    message: { payee: message.payee, feeRecipient: message.feeRecipient, maxFee: message.maxFee },
  });
}

/**
 * The EIP-712 digest an attester vouches on: `Voucher(address pledgeKey)` under the campaign's domain.
 * An account signs it (signVoucher); a contract attester (ERC-1271) answers `isValidSignature(digest, voucher)`.
 */
export function voucherDigest(campaign: Address, chainId: number | bigint, pledgeKey: Address): Hex {
  return hashTypedData({
    domain: campaignDomain(campaign, chainId),
    types: VOUCHER_TYPES,
    primaryType: "Voucher",
    message: { pledgeKey },
  });
}

/**
 * An attester account vouches for a pledge key (sybil gate): its 65-byte signature, the `voucher` field.
 * @example
 * const voucher = await signVoucher(union, campaign, 31337, key.address);
 * const signed = await signPledge(key, campaign, 31337, { level: 2, support: 0n, nonce: 0 }, voucher);
 */
export async function signVoucher(
  attester: LocalAccount,
  campaign: Address,
  chainId: number | bigint,
  pledgeKey: Address,
): Promise<Hex> {
  return attester.signTypedData({
    domain: campaignDomain(campaign, chainId),
    types: VOUCHER_TYPES,
    primaryType: "Voucher",
    message: { pledgeKey },
  });
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
