/**
 * A receipt link protected by a short passphrase: the pledge key encrypted with AES-GCM (WebCrypto)
 * under a key stretched from the passphrase by scrypt (@noble/hashes, memory-hard, N = 2^17, r = 8,
 * p = 1: 128 MiB and about a second per guess on a laptop). The campaign and chain are bound as
 * additional data, so the blob cannot be moved to another campaign. The link may sit in a browser's
 * synced history or a chat: without the passphrase it holds nothing usable.
 *
 * Blob layout (base64url): version (1) | log2 N (1) | salt (16) | iv (12) | ciphertext + tag (48).
 */
import { bytesToBase64url } from "@bascule/core/base64url";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { type Address, type Hex, bytesToHex, hexToBytes } from "viem";
import { lockedReceiptPath } from "@bascule/core/routes";
import { type LockedReceipt, LOCKED_VERSION as VERSION, type Receipt, unb64url } from "./receipt.ts";

export const DEFAULT_LOG_N = 17;
/** The shortest passphrase accepted. */
export const MIN_PASSPHRASE = 8;

function aad(chainId: number, campaign: Address): Uint8Array {
  return new TextEncoder().encode(`bascule-receipt:${chainId}:${campaign.toLowerCase()}`);
}

async function aesKey(
  passphrase: string,
  salt: Uint8Array,
  logN: number,
  onProgress?: (p: number) => void,
): Promise<CryptoKey> {
  const raw = await scryptAsync(passphrase.normalize("NFKC"), salt, {
    N: 2 ** logN,
    r: 8,
    p: 1,
    dkLen: 32,
    maxmem: 2 ** (logN + 11),
    onProgress,
  });
  return crypto.subtle.importKey("raw", raw as Uint8Array<ArrayBuffer>, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/**
 * Encrypts a receipt's key under a passphrase; returns the route "/rp/<chain>/<campaign>/<blob>".
 * @example const route = await lockReceipt(receipt, "correct horse battery");
 */
export async function lockReceipt(
  r: Receipt,
  passphrase: string,
  opts: { logN?: number; onProgress?: (p: number) => void } = {},
): Promise<string> {
  if (passphrase.length < MIN_PASSPHRASE) throw new Error("passphrase too short");
  const logN = opts.logN ?? DEFAULT_LOG_N;
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await aesKey(passphrase, salt, logN, opts.onProgress);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: aad(r.chainId, r.campaign) as Uint8Array<ArrayBuffer> },
      key,
      new Uint8Array(hexToBytes(r.key)),
    ),
  );
  const blob = new Uint8Array([VERSION, logN, ...salt, ...iv, ...sealed]);
  return lockedReceiptPath({ chainId: r.chainId, campaign: r.campaign, blob: bytesToBase64url(blob) });
}

/** Decrypts a protected receipt; null if the passphrase is wrong (or the link was altered). */
export async function unlockReceipt(
  l: LockedReceipt,
  passphrase: string,
  onProgress?: (p: number) => void,
): Promise<Receipt | null> {
  const bytes = unb64url(l.blob)!;
  const logN = bytes[1];
  const salt = bytes.slice(2, 18);
  const iv = bytes.slice(18, 30);
  const sealed = bytes.slice(30);
  const key = await aesKey(passphrase, salt, logN, onProgress);
  try {
    const plain = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: "AES-GCM", iv, additionalData: aad(l.chainId, l.campaign) as Uint8Array<ArrayBuffer> },
        key,
        sealed,
      ),
    );
    return { chainId: l.chainId, campaign: l.campaign, key: bytesToHex(plain) as Hex };
  } catch {
    return null;
  }
}
