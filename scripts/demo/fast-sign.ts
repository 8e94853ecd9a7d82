/**
 * The demo's pledges signed with libsecp256k1 (the `secp256k1` package, native where its prebuilt
 * binding loads, as the relayer's recoverer uses it) instead of viem's JavaScript signer: `npm start`
 * signs 3,125 fresh keys' pledges, which took 13 s with viem on this machine, most of `npm start`'s
 * seeding. Same RFC 6979 nonces, so the same signatures as `signPledge` (tested).
 */
import { createRequire } from "node:module";
import { type Address, type Hex, bytesToHex, getAddress, hexToBytes, keccak256 } from "viem";
import { NO_VOUCHER, type PledgeMessage, type SignedPledge, pledgeDigest } from "@bascule/core/signing";

interface Secp256k1 {
  ecdsaSign(message: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(privateKey: Uint8Array, compressed?: boolean): Uint8Array;
}

const secp = createRequire(import.meta.url)("secp256k1") as Secp256k1;

/** The address of a private key. */
export function addressOf(privateKey: Hex): Address {
  const publicKey = secp.publicKeyCreate(hexToBytes(privateKey), false);
  return getAddress(`0x${keccak256(publicKey.subarray(1)).slice(-40)}`);
}

/**
 * `signPledge` for a raw key: the EIP-712 digest (core's pledgeDigest), signed, as ERC-2098 r and vs.
 * @example signPledgeFast(generatePrivateKey(), campaign, 31337, { level: 1, support: 0n, nonce: 0 })
 */
export function signPledgeFast(
  privateKey: Hex,
  campaign: Address,
  chainId: number,
  message: PledgeMessage,
  voucher: Hex = NO_VOUCHER,
): SignedPledge {
  const { signature, recid } = secp.ecdsaSign(
    hexToBytes(pledgeDigest(campaign, chainId, message)),
    hexToBytes(privateKey),
  );
  const vs = Uint8Array.from(signature.subarray(32));
  // libsecp256k1 gives the low s; the parity goes in vs's top bit (ERC-2098).
  if (recid === 1) vs[0] |= 0x80;
  return {
    ...message,
    condition: message.condition ?? 0,
    r: bytesToHex(signature.subarray(0, 32)),
    vs: bytesToHex(vs),
    voucher,
  };
}
