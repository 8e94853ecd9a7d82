/**
 * The attester's private RSA operation, through node:crypto (OpenSSL): m'^d mod n on a blinded
 * message, computed in constant time with OpenSSL's own base blinding, so the time a network request
 * takes tells nothing of the campaign key. Node only; the public half (blinding, unblinding,
 * verification, key encoding) stays in @bascule/core/blind-rsa, which the browser runs too.
 */
import {
  type JsonWebKey as NodeJsonWebKey,
  type KeyObject,
  constants,
  createPrivateKey,
  privateDecrypt,
} from "node:crypto";
import { BlindRsaError, type RsaPrivateKey, modPow, privateKeyToJwk, toFixedHex } from "@bascule/core/blind-rsa";

/** OpenSSL's handle of each key, made once (parsing a JWK costs more than a signature). */
const handles = new WeakMap<RsaPrivateKey, KeyObject>();

function handle(key: RsaPrivateKey): KeyObject {
  let h = handles.get(key);
  if (!h) {
    h = createPrivateKey({ key: privateKeyToJwk(key) as NodeJsonWebKey, format: "jwk" });
    handles.set(key, h);
  }
  return h;
}

/**
 * The signer's raw RSA operation m'^d mod n on a blinded message it cannot read: OpenSSL's
 * `privateDecrypt` with no padding is exactly that. The result is checked with the public key before
 * it is returned: a faulty CRT result would reveal a factor of n (Boneh–DeMillo–Lipton), so it is
 * never released.
 * @example
 * const { blinded, inverse } = blind(key, voucherDigest(campaign, 31337, pledgeKey)); // the browser
 * const blindSignature = blindSign(key, blinded);                                     // the attester
 */
export function blindSign(key: RsaPrivateKey, blinded: bigint): bigint {
  if (blinded <= 1n || blinded >= key.n - 1n) {
    throw new BlindRsaError("MESSAGE_OUT_OF_RANGE", "the blinded message must be in [2, n - 2]");
  }
  const out = privateDecrypt(
    { key: handle(key), padding: constants.RSA_NO_PADDING },
    Buffer.from(toFixedHex(blinded).slice(2), "hex"),
  );
  const signature = BigInt(`0x${out.toString("hex")}`);
  if (modPow(signature, key.e, key.n) !== blinded) throw new BlindRsaError("SIGNATURE_INVALID", "signing fault");
  return signature;
}
