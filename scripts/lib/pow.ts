/**
 * Proof of work for a pledge key's first pledge in an open campaign (no attester): hashcash over
 * (chainId, campaign, pledge key, nonce). Shared by the relayer (verify), the dApp's Web Worker
 * (solve) and the tests. Pure TypeScript on @noble/hashes: same bytes in Node and in browsers.
 *
 * digest = sha256("bascule-pow-v1" ‖ chainId as uint256 ‖ campaign (20 bytes) ‖ pledgeKey (20 bytes) ‖ nonce as uint64)
 * valid when the digest's first `bits` bits are zero; solving takes 2^bits hashes on average.
 *
 * The prefix is 86 bytes: the first 64-byte block is hashed once and its state cloned for each
 * nonce, so each try costs one SHA-256 block instead of two.
 */
import { sha256 } from "@noble/hashes/sha2.js";

export const POW_TAG = "bascule-pow-v1";

/**
 * The operator's default difficulty (`npm run relayer`): 2^18 tries on average, about 2 s in a
 * mid-range phone's browser (measured and explained in docs/operator-guide.md, "Proof of work").
 */
export const DEFAULT_POW_BITS = 18;
/** Largest nonce a solution may carry (JSON-safe integer). */
export const POW_MAX_NONCE = Number.MAX_SAFE_INTEGER;

export interface PowChallenge {
  chainId: number | bigint;
  campaign: string;
  pledgeKey: string;
  /** Leading zero bits required, 0 (no work) to 40. */
  bits: number;
}

function hexToBytes(hex: string, length: number, what: string): Uint8Array {
  const clean = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (clean.length !== length * 2 || !/^[0-9a-fA-F]*$/.test(clean)) throw new Error(`pow: ${what} must be ${length} bytes of hex`);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The 86 bytes every try starts with. */
export function powPrefix(c: Omit<PowChallenge, "bits">): Uint8Array {
  const tag = new TextEncoder().encode(POW_TAG);
  const out = new Uint8Array(tag.length + 32 + 20 + 20);
  out.set(tag, 0);
  let id = BigInt(c.chainId);
  for (let i = tag.length + 31; i >= tag.length; i--) {
    out[i] = Number(id & 0xffn);
    id >>= 8n;
  }
  out.set(hexToBytes(c.campaign, 20, "campaign"), tag.length + 32);
  out.set(hexToBytes(c.pledgeKey, 20, "pledgeKey"), tag.length + 52);
  return out;
}

function writeNonce(buf: Uint8Array, offset: number, nonce: number): void {
  const hi = Math.floor(nonce / 0x1_0000_0000);
  const lo = nonce >>> 0;
  buf[offset] = hi >>> 24;
  buf[offset + 1] = (hi >>> 16) & 0xff;
  buf[offset + 2] = (hi >>> 8) & 0xff;
  buf[offset + 3] = hi & 0xff;
  buf[offset + 4] = lo >>> 24;
  buf[offset + 5] = (lo >>> 16) & 0xff;
  buf[offset + 6] = (lo >>> 8) & 0xff;
  buf[offset + 7] = lo & 0xff;
}

/** Whether `digest` starts with `bits` zero bits. */
export function leadingZeroBits(digest: Uint8Array, bits: number): boolean {
  let i = 0;
  for (; bits >= 8; bits -= 8, i++) if (digest[i] !== 0) return false;
  return bits === 0 || digest[i] >> (8 - bits) === 0;
}

/** The digest of one try (for tests and diagnostics). */
export function powDigest(c: Omit<PowChallenge, "bits">, nonce: number): Uint8Array {
  const prefix = powPrefix(c);
  const buf = new Uint8Array(prefix.length + 8);
  buf.set(prefix);
  writeNonce(buf, prefix.length, nonce);
  return sha256(buf);
}

/** Checks a solution: one hash. */
export function verifyPow(c: PowChallenge, nonce: unknown): boolean {
  if (typeof nonce !== "number" || !Number.isSafeInteger(nonce) || nonce < 0) return false;
  if (c.bits <= 0) return true;
  return leadingZeroBits(powDigest(c, nonce), c.bits);
}

export interface SolveOptions {
  /** First nonce tried (workers can split the space). */
  start?: number;
  /** Called every `progressEvery` tries with the number of tries so far. */
  onProgress?: (tries: number) => void;
  progressEvery?: number;
  /** Give up after this many tries (returns null). */
  maxTries?: number;
}

/**
 * Finds a nonce whose digest has `bits` leading zero bits; 2^bits tries on average.
 * @example
 * const nonce = solvePow({ chainId: 31337, campaign, pledgeKey, bits: 18 });
 */
export function solvePow(c: PowChallenge, options: SolveOptions = {}): number | null {
  if (c.bits <= 0) return options.start ?? 0;
  const prefix = powPrefix(c);
  // The first 64 bytes are the same for every try: hash them once, clone the state per try.
  const head = sha256.create().update(prefix.subarray(0, 64));
  const tail = new Uint8Array(prefix.length - 64 + 8);
  tail.set(prefix.subarray(64));
  const nonceAt = prefix.length - 64;
  const every = options.progressEvery ?? 1 << 16;
  const maxTries = options.maxTries ?? POW_MAX_NONCE;
  let nonce = options.start ?? 0;
  for (let tries = 1; tries <= maxTries && nonce <= POW_MAX_NONCE; tries++, nonce++) {
    writeNonce(tail, nonceAt, nonce);
    const digest = head.clone().update(tail).digest();
    if (leadingZeroBits(digest, c.bits)) return nonce;
    if (options.onProgress && tries % every === 0) options.onProgress(tries);
  }
  return null;
}

/** Expected tries for `bits` (2^bits), and the chance a solve is done after `tries`. */
export function powProgress(bits: number, tries: number): number {
  return 1 - Math.exp(-tries / 2 ** bits);
}
