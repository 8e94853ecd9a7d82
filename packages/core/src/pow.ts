/**
 * Proof of work for a pledge key's first pledge in an open campaign (no attester): hashcash over
 * (chainId, campaign, pledge key, nonce). Shared by the relayer (verify), the dApp's Web Worker
 * (solve) and the tests. Pure TypeScript on @noble/hashes: same bytes in Node and in browsers.
 *
 * digest = sha256("bascule-pow-v1" ‖ chainId as uint256 ‖ campaign (20 bytes) ‖ pledgeKey (20 bytes) ‖ nonce as uint64)
 * valid when the digest's first `bits` bits are zero; solving takes 2^bits hashes on average.
 *
 * The prefix is 86 bytes: the solver compresses the first 64-byte block once and only the second
 * block per try; the verifier hashes the whole message with @noble/hashes, so the two agree only if
 * the solver's hand-written compression is right (tested).
 */
import { sha256 } from "@noble/hashes/sha2.js";

export const POW_TAG = "bascule-pow-v1";

/**
 * The operator's default difficulty (`npm run relayer`): 2^20 tries on average, about 1.3 to 2 s
 * in a mid-range phone's browser (`npm run bench:pow`; the estimate is explained in
 * docs/operator-guide.md, "Proof of work").
 */
export const DEFAULT_POW_BITS = 20;
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
  if (clean.length !== length * 2 || !/^[0-9a-fA-F]*$/.test(clean))
    throw new Error(`pow: ${what} must be ${length} bytes of hex`);
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

// SHA-256 round constants (FIPS 180-4).
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Uint32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** One SHA-256 compression of the 16 words in w[0..15] (w is 64 long, extended in place) from `state` into `out`. */
function compress(state: Uint32Array, w: Uint32Array, out: Uint32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15];
    const y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = state[0],
    b = state[1],
    c = state[2],
    d = state[3],
    e = state[4],
    f = state[5],
    g = state[6],
    h = state[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  out[0] = (state[0] + a) | 0;
  out[1] = (state[1] + b) | 0;
  out[2] = (state[2] + c) | 0;
  out[3] = (state[3] + d) | 0;
  out[4] = (state[4] + e) | 0;
  out[5] = (state[5] + f) | 0;
  out[6] = (state[6] + g) | 0;
  out[7] = (state[7] + h) | 0;
}

function wordsOf(bytes: Uint8Array, offset: number, w: Uint32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
}

/** Whether the 8 digest words start with `bits` zero bits. */
function zeroBitsInWords(out: Uint32Array, bits: number): boolean {
  let i = 0;
  for (; bits >= 32; bits -= 32, i++) if (out[i] !== 0) return false;
  return bits === 0 || out[i] >>> (32 - bits) === 0;
}

/**
 * Finds a nonce whose digest has `bits` leading zero bits; 2^bits tries on average.
 *
 * The 94-byte message is two SHA-256 blocks: the first (tag, chain id, start of the campaign) is
 * the same for every try and compressed once; each try compresses only the second block, in which
 * the nonce changes three words, with no allocation (several times faster than a general SHA-256
 * call; the result is checked against @noble/hashes in test/relayer/limits.test.ts).
 * @example
 * const nonce = solvePow({ chainId: 31337, campaign, pledgeKey, bits: 20 });
 */
export function solvePow(c: PowChallenge, options: SolveOptions = {}): number | null {
  if (c.bits <= 0) return options.start ?? 0;
  const prefix = powPrefix(c);
  if (prefix.length !== 86) throw new Error("pow: unexpected prefix length");
  const w = new Uint32Array(64);
  const mid = new Uint32Array(8);
  const out = new Uint32Array(8);
  wordsOf(prefix, 0, w);
  compress(IV, w, mid);
  // Second block: prefix[64..86) (22 bytes), the nonce (8 bytes), 0x80, zeros, the length in bits.
  const block = new Uint8Array(64);
  block.set(prefix.subarray(64), 0);
  block[30] = 0x80;
  const lengthBits = (prefix.length + 8) * 8;
  block[62] = lengthBits >>> 8;
  block[63] = lengthBits & 0xff;
  const template = new Uint32Array(16);
  wordsOf(block, 0, template);
  const head5 = template[5] & 0xffff0000;
  const every = options.progressEvery ?? 1 << 16;
  const maxTries = options.maxTries ?? POW_MAX_NONCE;
  let nonce = options.start ?? 0;
  for (let tries = 1; tries <= maxTries && nonce <= POW_MAX_NONCE; tries++, nonce++) {
    const hi = Math.floor(nonce / 0x1_0000_0000);
    const lo = nonce >>> 0;
    w.set(template);
    w[5] = head5 | (hi >>> 16);
    w[6] = ((hi & 0xffff) << 16) | (lo >>> 16);
    w[7] = ((lo & 0xffff) << 16) | 0x8000;
    compress(mid, w, out);
    if (zeroBitsInWords(out, c.bits)) return nonce;
    if (options.onProgress && tries % every === 0) options.onProgress(tries);
  }
  return null;
}

/** Expected tries for `bits` (2^bits), and the chance a solve is done after `tries`. */
export function powProgress(bits: number, tries: number): number {
  return 1 - Math.exp(-tries / 2 ** bits);
}
