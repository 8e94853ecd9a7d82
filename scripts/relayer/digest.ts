/**
 * The EIP-712 digest of a pledge (`pledgeDigest` in @bascule/core/signing), computed the short way:
 * the domain separator is hashed once per campaign, then each pledge costs two keccak256 of
 * fixed-size buffers. Same bytes as viem's `hashTypedData` (checked in the relayer's tests), about
 * 20 times faster, which matters at a thousand pledges a second. The struct's fields and the domain
 * come from core's PLEDGE_TYPES and campaignDomain, so there is one definition of both.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { type Address, type Hex, domainSeparator as viemDomainSeparator } from "viem";
import { PLEDGE_TYPES, campaignDomain } from "@bascule/core/signing";

/** keccak256("Pledge(uint8 level,uint128 support,uint8 condition,uint32 nonce)"): one struct, no nested types. */
const PLEDGE_TYPEHASH = keccak_256(
  new TextEncoder().encode(`Pledge(${PLEDGE_TYPES.Pledge.map((f) => `${f.type} ${f.name}`).join(",")})`),
);

function writeUint(buf: Uint8Array, offset: number, value: bigint): void {
  let v = value;
  for (let i = offset + 31; i >= offset && v > 0n; i--) {
    buf[i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** What a pledge key signs (core's PledgeMessage); `condition` left out is 0. */
export interface PledgeTerms {
  level: number;
  support: bigint;
  condition?: number;
  nonce: number;
}

/** The campaign's EIP-712 domain separator (name "Bascule", version "1"). */
export function domainSeparator(campaign: Address, chainId: number | bigint): Uint8Array {
  return hexToBytes(viemDomainSeparator({ domain: campaignDomain(campaign, chainId) }).slice(2));
}

/** Digests of pledges for one campaign: the domain separator is computed once. */
export class PledgeDigester {
  private readonly prefix = new Uint8Array(66);
  /** typehash ‖ level ‖ support ‖ condition ‖ nonce, one 32-byte word each. */
  private readonly struct = new Uint8Array(160);

  constructor(campaign: Address, chainId: number | bigint) {
    this.prefix[0] = 0x19;
    this.prefix[1] = 0x01;
    this.prefix.set(domainSeparator(campaign, chainId), 2);
    this.struct.set(PLEDGE_TYPEHASH, 0);
  }

  /** keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(Pledge)), as bytes. */
  digestBytes(m: PledgeTerms): Uint8Array {
    const s = this.struct;
    s.fill(0, 32);
    s[63] = m.level & 0xff;
    writeUint(s, 64, m.support);
    s[127] = (m.condition ?? 0) & 0xff;
    s[156] = (m.nonce >>> 24) & 0xff;
    s[157] = (m.nonce >>> 16) & 0xff;
    s[158] = (m.nonce >>> 8) & 0xff;
    s[159] = m.nonce & 0xff;
    this.prefix.set(keccak_256(s), 34);
    return keccak_256(this.prefix);
  }

  digest(m: PledgeTerms): Hex {
    return `0x${bytesToHex(this.digestBytes(m))}`;
  }
}
