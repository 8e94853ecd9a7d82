/**
 * Blind vouchers: RSA full-domain-hash signatures (Bellare–Rogaway) made blind (Chaum), in bigint,
 * checkable on-chain by contracts/RsaVoucherVerifier.sol with the modexp precompile. The public half
 * and key encoding, for the attester service, the dApp and the tests; it runs in Node and in the browser (WebCrypto for key
 * generation and randomness, viem for keccak256). Construction and references: docs/blind-vouchers.md.
 *
 * The member's browser:  `blind(publicKey, voucherDigest(...))` → sends `blinded`, keeps `inverse`;
 * the union:            `blindSign(privateKey, blinded)` → `blindSignature` (it learns nothing of the digest);
 *                       the private operation is node:crypto's, in scripts/attester/rsa.ts, not here;
 * the browser:          `unblind(publicKey, blindSignature, inverse)` → the voucher, `verify` it, attach it.
 */
import { type Hex, bytesToHex, concat, hexToBigInt, keccak256, numberToHex } from "viem";
import { voucherDigest } from "./signing.ts";

/** Modulus size: 2048 bits, the only size the verifier contract accepts. */
export const MODULUS_BITS = 2048;
export const MODULUS_BYTES = MODULUS_BITS / 8;
/**
 * The public exponent of the keys we generate: 3. The modexp precompile's price grows with the
 * exponent's bit length (EIP-2565; EIP-7883 since Osaka: 2 · 32² per bit for a 2048-bit modulus), so
 * e = 3 costs 2,048 gas where e = 65537 costs 32,768. With a full-domain hash and an exact comparison,
 * a small exponent is safe for signatures (the e = 3 forgeries target PKCS#1 v1.5 parsing, not FDH).
 * Keys with e = 65537 are accepted everywhere too.
 */
export const PUBLIC_EXPONENT = 3n;

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
}

/** A private key with its CRT parameters (as in a JWK / RFC 8017 RSAPrivateKey). */
export interface RsaPrivateKey extends RsaPublicKey {
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}

/** What the browser keeps between blinding and unblinding (never sent anywhere). */
export interface Blinding {
  /** FDH(digest) · r^e mod n: the only thing the signer sees. */
  blinded: bigint;
  /** r^-1 mod n, to unblind. */
  inverse: bigint;
}

export class BlindRsaError extends Error {
  constructor(
    readonly code: "MESSAGE_OUT_OF_RANGE" | "SIGNATURE_INVALID" | "KEY_INVALID",
    message: string,
  ) {
    super(message);
    this.name = "BlindRsaError";
  }
}

/**
 * Square-and-multiply modular exponentiation, in variable time: for public exponents only (blinding,
 * verification). The private operation is OpenSSL's (scripts/attester/rsa.ts).
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** The inverse of a modulo m (extended Euclid); throws when gcd(a, m) ≠ 1. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const quotient = oldR / r;
    [oldR, r] = [r, oldR - quotient * r];
    [oldS, s] = [s, oldS - quotient * s];
  }
  if (oldR !== 1n) throw new BlindRsaError("KEY_INVALID", "not invertible");
  return ((oldS % m) + m) % m;
}

/** A big-endian number as exactly `bytes` bytes of hex. */
export function toFixedHex(x: bigint, bytes = MODULUS_BYTES): Hex {
  return numberToHex(x, { size: bytes });
}

/**
 * The full-domain hash of a 32-byte digest: keccak256(digest ‖ uint32 i) for i = 0..7 concatenated
 * (MGF1's counter construction with keccak256), top bit cleared so the result is below any 2048-bit
 * modulus. The same as `RsaVoucherVerifier.fdh`.
 * @example fdh(voucherDigest(campaign, 31337, pledgeKey)) // bigint < 2^2047
 */
export function fdh(digest: Hex): bigint {
  const blocks: Hex[] = [];
  for (let i = 0; i < MODULUS_BYTES / 32; i++) blocks.push(keccak256(concat([digest, numberToHex(i, { size: 4 })])));
  return hexToBigInt(concat(blocks)) & ((1n << BigInt(MODULUS_BITS - 1)) - 1n);
}

/** The EIP-712 digest of `Voucher(address pledgeKey)` under the campaign's domain: what a voucher signs. */
export { voucherDigest };

function randomBelow(n: bigint): bigint {
  // 64 extra bits make the bias of the reduction negligible (< 2^-64).
  const bytes = new Uint8Array(MODULUS_BYTES + 8);
  globalThis.crypto.getRandomValues(bytes);
  return hexToBigInt(bytesToHex(bytes)) % n;
}

/** Checks a public key is one the verifier contract accepts. */
export function assertPublicKey(key: RsaPublicKey): void {
  if (key.n >> BigInt(MODULUS_BITS - 1) !== 1n || key.n >> BigInt(MODULUS_BITS) !== 0n || (key.n & 1n) === 0n)
    throw new BlindRsaError("KEY_INVALID", "the modulus must be an odd 2048-bit number");
  if (key.e < 3n || (key.e & 1n) === 0n || key.e >= 1n << 32n)
    throw new BlindRsaError("KEY_INVALID", "bad public exponent");
}

/**
 * Blinds a voucher digest for the signer: m' = FDH(digest) · r^e mod n with a fresh random r.
 * Pass `r` only in tests.
 */
export function blind(key: RsaPublicKey, digest: Hex, r?: bigint): Blinding {
  assertPublicKey(key);
  for (;;) {
    const factor = r ?? randomBelow(key.n);
    if (factor > 1n) {
      try {
        const inverse = modInverse(factor, key.n);
        return { blinded: (fdh(digest) * modPow(factor, key.e, key.n)) % key.n, inverse };
      } catch (error) {
        if (r !== undefined) throw error;
      }
    } else if (r !== undefined) throw new BlindRsaError("MESSAGE_OUT_OF_RANGE", "blinding factor must be above 1");
  }
}

/** s = s' · r^-1 mod n: the signature on FDH(digest) itself. */
export function unblind(key: RsaPublicKey, blindSignature: bigint, inverse: bigint): bigint {
  return (blindSignature * inverse) % key.n;
}

/** s^e mod n == FDH(digest) with 0 ≤ s < n: what the verifier contract checks. */
export function verify(key: RsaPublicKey, digest: Hex, signature: bigint): boolean {
  if (signature < 0n || signature >= key.n) return false;
  return modPow(signature, key.e, key.n) === fdh(digest);
}

/** The voucher bytes the campaign takes (256 bytes big-endian). */
export function voucherBytes(signature: bigint): Hex {
  return toFixedHex(signature);
}

const b64urlToBigInt = (s: string | undefined): bigint => {
  if (!s) throw new BlindRsaError("KEY_INVALID", "missing JWK field");
  const binary = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));
  let hex = "";
  for (let i = 0; i < binary.length; i++) hex += binary.charCodeAt(i).toString(16).padStart(2, "0");
  return hex === "" ? 0n : BigInt(`0x${hex}`);
};

const bigIntToB64url = (x: bigint): string => {
  let hex = x.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let binary = "";
  for (let i = 0; i < hex.length; i += 2) binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

/** A private key from an RSA JWK (RFC 7518 §6.3), e.g. node:crypto's `export({ format: "jwk" })`. */
export function privateKeyFromJwk(jwk: JsonWebKey): RsaPrivateKey {
  if (jwk.kty !== "RSA") throw new BlindRsaError("KEY_INVALID", "not an RSA key");
  const key = {
    n: b64urlToBigInt(jwk.n),
    e: b64urlToBigInt(jwk.e),
    d: b64urlToBigInt(jwk.d),
    p: b64urlToBigInt(jwk.p),
    q: b64urlToBigInt(jwk.q),
    dp: b64urlToBigInt(jwk.dp),
    dq: b64urlToBigInt(jwk.dq),
    qi: b64urlToBigInt(jwk.qi),
  };
  assertPublicKey(key);
  if (key.p * key.q !== key.n) throw new BlindRsaError("KEY_INVALID", "p · q ≠ n");
  return key;
}

/** The JWK of a private key (to store it). */
export function privateKeyToJwk(key: RsaPrivateKey): JsonWebKey {
  const { n, e, d, p, q, dp, dq, qi } = key;
  return {
    kty: "RSA",
    n: bigIntToB64url(n),
    e: bigIntToB64url(e),
    d: bigIntToB64url(d),
    p: bigIntToB64url(p),
    q: bigIntToB64url(q),
    dp: bigIntToB64url(dp),
    dq: bigIntToB64url(dq),
    qi: bigIntToB64url(qi),
  };
}

/**
 * A fresh 2048-bit key (e = 3 unless told otherwise, see PUBLIC_EXPONENT), from WebCrypto (node:crypto's implementation in Node, the
 * browser's otherwise). The algorithm name only says how WebCrypto may use it; we use the raw numbers.
 * @example const key = await generateKey(); const modulus = toFixedHex(key.n);
 */
export async function generateKey(exponent: 3n | 65537n = PUBLIC_EXPONENT as 3n): Promise<RsaPrivateKey> {
  const publicExponent = exponent === 3n ? new Uint8Array([3]) : new Uint8Array([1, 0, 1]);
  const pair = (await globalThis.crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: MODULUS_BITS, publicExponent, hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  return privateKeyFromJwk(await globalThis.crypto.subtle.exportKey("jwk", pair.privateKey));
}

/** The public half, as the verifier contract's constructor takes it. */
export function publicKeyArgs(key: RsaPublicKey): { modulus: Hex; exponent: bigint } {
  return { modulus: toFixedHex(key.n), exponent: key.e };
}

/** A public key from the verifier's `modulus()` bytes and `exponent()`. */
export function publicKeyFromModulus(modulus: Hex, exponent: bigint = PUBLIC_EXPONENT): RsaPublicKey {
  const key = { n: hexToBigInt(modulus), e: exponent };
  assertPublicKey(key);
  return key;
}

/** A blinded message or blind signature as hex for the wire (256 bytes). */
export const encodeWire = (x: bigint): Hex => toFixedHex(x);
/** Parses a 256-byte wire value; throws MESSAGE_OUT_OF_RANGE if it is not exactly that. */
export function decodeWire(value: string): bigint {
  if (!/^0x[0-9a-fA-F]{512}$/.test(value)) throw new BlindRsaError("MESSAGE_OUT_OF_RANGE", "expected 256 bytes of hex");
  return hexToBigInt(value as Hex);
}
