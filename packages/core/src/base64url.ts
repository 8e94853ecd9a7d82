/**
 * base64url (RFC 4648 §5) without padding, the one codec of the dApp and the core: receipt links,
 * attendance codes, Web Push keys. @scure/base does the work (audited, already under viem); this
 * module only fixes the variant. Browser-safe.
 */
import { base64urlnopad } from "@scure/base";

/**
 * Bytes as base64url, without padding.
 * @example bytesToBase64url(new Uint8Array([251, 255, 1])) // "-_8B"
 */
export function bytesToBase64url(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

/**
 * base64url back to bytes; trailing "=" padding is accepted. Throws on any other character.
 * @example base64urlToBytes("-_8B") // Uint8Array [251, 255, 1]
 */
export function base64urlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const bytes = base64urlnopad.decode(text.replace(/=+$/, ""));
  const out = new Uint8Array(new ArrayBuffer(bytes.length));
  out.set(bytes);
  return out;
}
