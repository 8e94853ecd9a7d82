/**
 * packages/core/src/blind-rsa.ts and the attester's private operation (scripts/attester/rsa.ts)
 * off-chain: known answers, the private operation against the textbook m^d mod n on random inputs,
 * and an independent check of every RSA operation against node:crypto's raw RSA (OpenSSL,
 * RSA_NO_PADDING). The on-chain half is in RsaVoucherVerifier.test.ts.
 */
import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, randomBytes } from "node:crypto";
import { expect } from "chai";
import { solidityPackedKeccak256 } from "ethers";
import { type Address, type Hex, hexToBigInt, keccak256, toHex } from "viem";
import {
  BlindRsaError,
  blind,
  decodeWire,
  encodeWire,
  fdh,
  generateKey,
  modInverse,
  modPow,
  privateKeyFromJwk,
  privateKeyToJwk,
  toFixedHex,
  unblind,
  verify,
  voucherDigest,
  type RsaPrivateKey,
} from "@bascule/core/blind-rsa";
import { blindSign } from "../../scripts/attester/rsa.js";

const CAMPAIGN = "0x00000000000000000000000000000000000ba5c0" as Address;
const OTHER_CAMPAIGN = "0x00000000000000000000000000000000000ba5c1" as Address;
const PLEDGE_KEY = "0x1111111111111111111111111111111111111111" as Address;

/** node:crypto's raw RSA: x^d mod n (privateDecrypt) and x^e mod n (publicEncrypt), no padding. */
function opensslRaw(key: RsaPrivateKey) {
  const priv = createPrivateKey({ key: privateKeyToJwk(key) as never, format: "jwk" });
  const pub = createPublicKey(priv);
  const buf = (x: bigint) => Buffer.from(toFixedHex(x).slice(2), "hex");
  const big = (b: Buffer) => hexToBigInt(`0x${b.toString("hex")}`);
  return {
    sign: (x: bigint) => big(privateDecrypt({ key: priv, padding: constants.RSA_NO_PADDING }, buf(x))),
    open: (x: bigint) => big(publicEncrypt({ key: pub, padding: constants.RSA_NO_PADDING }, buf(x))),
  };
}

describe("blind-rsa", function () {
  this.timeout(60_000);
  let key: RsaPrivateKey;
  let other: RsaPrivateKey;
  before(async () => {
    [key, other] = await Promise.all([generateKey(), generateKey(65537n)]);
  });

  describe("arithmetic, known answers", () => {
    it("computes the textbook RSA example (p = 61, q = 53, e = 17, d = 2753)", () => {
      // Rivest–Shamir–Adleman's worked example as taught everywhere: n = 3233, m = 65 → c = 2790.
      expect(modPow(65n, 17n, 3233n)).to.equal(2790n);
      expect(modPow(2790n, 2753n, 3233n)).to.equal(65n);
      expect(modInverse(17n, 780n)).to.equal(413n);
      expect(modInverse(17n, 3120n)).to.equal(2753n);
    });
    it("refuses to invert a number sharing a factor with the modulus", () => {
      expect(() => modInverse(61n, 3233n)).to.throw(BlindRsaError);
    });
  });

  describe("fdh", () => {
    it("is keccak256(digest ‖ uint32 i) for i = 0..7 with the top bit cleared (computed with ethers)", () => {
      for (const digest of [keccak256(toHex("a")), `0x${"ff".repeat(32)}` as Hex, `0x${"00".repeat(32)}` as Hex]) {
        let hex = "";
        for (let i = 0; i < 8; i++) hex += solidityPackedKeccak256(["bytes32", "uint32"], [digest, i]).slice(2);
        const expected = BigInt(`0x${hex}`) & ((1n << 2047n) - 1n);
        expect(fdh(digest)).to.equal(expected);
      }
    });
    it("fits below every 2048-bit modulus", () => {
      expect(fdh(`0x${"ab".repeat(32)}`) < 1n << 2047n).to.equal(true);
    });
  });

  describe("keys", () => {
    it("generates 2048-bit keys with e = 3 (default) or e = 65537 that round-trip through a JWK", () => {
      expect(key.n.toString(2)).to.have.length(2048);
      expect(other.n.toString(2)).to.have.length(2048);
      expect(key.e).to.equal(3n);
      expect(other.e).to.equal(65537n);
      expect(privateKeyFromJwk(privateKeyToJwk(other))).to.deep.equal(other);
      expect(privateKeyFromJwk(privateKeyToJwk(key))).to.deep.equal(key);
    });
    it("refuses a key whose factors do not match the modulus", () => {
      expect(() => privateKeyFromJwk({ ...privateKeyToJwk(key), p: privateKeyToJwk(other).p })).to.throw(BlindRsaError);
    });
  });

  describe("the attester's private operation", () => {
    /** The computation node:crypto replaces: m^d mod n by the CRT, square-and-multiply in bigint. */
    function textbook(k: RsaPrivateKey, m: bigint): bigint {
      const s1 = modPow(m, k.dp, k.p);
      const s2 = modPow(m, k.dq, k.q);
      const h = (k.qi * (((s1 - s2) % k.p) + k.p)) % k.p;
      return s2 + h * k.q;
    }
    it("equals the textbook m^d mod n, with and without the CRT, on random inputs", () => {
      for (const k of [key, other]) {
        for (let i = 0; i < 20; i++) {
          const m = 2n + (hexToBigInt(`0x${randomBytes(264).toString("hex")}`) % (k.n - 3n));
          const signature = blindSign(k, m);
          expect(signature).to.equal(textbook(k, m));
          expect(signature).to.equal(modPow(m, k.d, k.n));
        }
      }
    });
    it("holds at the ends of its range, 2 and n - 2", () => {
      for (const m of [2n, key.n - 2n]) expect(blindSign(key, m)).to.equal(modPow(m, key.d, key.n));
    });
  });

  describe("against node:crypto's raw RSA", () => {
    it("blind-signs exactly as OpenSSL's private operation, and unblinds to OpenSSL's signature of FDH(digest)", () => {
      for (const k of [key, other]) checkAgainstOpenssl(k);
    });
    function checkAgainstOpenssl(key: RsaPrivateKey) {
      const raw = opensslRaw(key);
      for (let i = 0; i < 5; i++) {
        const digest = voucherDigest(CAMPAIGN, 31337, `0x${(i + 1).toString(16).padStart(40, "0")}` as Address);
        const { blinded, inverse } = blind(key, digest);
        const blindSignature = blindSign(key, blinded);
        expect(blindSignature).to.equal(raw.sign(blinded));
        const signature = unblind(key, blindSignature, inverse);
        expect(signature).to.equal(raw.sign(fdh(digest)));
        expect(raw.open(signature)).to.equal(fdh(digest));
        expect(verify(key, digest, signature)).to.equal(true);
      }
    }
    it("blinds with r^e as OpenSSL's public operation computes it", () => {
      const raw = opensslRaw(key);
      const digest = voucherDigest(CAMPAIGN, 31337, PLEDGE_KEY);
      const r = 0x1234567890abcdefn;
      const { blinded, inverse } = blind(key, digest, r);
      expect(blinded).to.equal((fdh(digest) * raw.open(r)) % key.n);
      expect((inverse * r) % key.n).to.equal(1n);
    });
  });

  describe("blinding hides the message", () => {
    it("gives a different blinded message each time for the same digest", () => {
      const digest = voucherDigest(CAMPAIGN, 31337, PLEDGE_KEY);
      const a = blind(key, digest).blinded;
      const b = blind(key, digest).blinded;
      expect(a).to.not.equal(b);
      expect(a).to.not.equal(fdh(digest));
    });
  });

  describe("verification fails", () => {
    const digest = voucherDigest(CAMPAIGN, 31337, PLEDGE_KEY);
    const sign = (k: RsaPrivateKey, d: Hex) => {
      const { blinded, inverse } = blind(k, d);
      return unblind(k, blindSign(k, blinded), inverse);
    };
    it("under another key", () => {
      expect(verify(other, digest, sign(key, digest))).to.equal(false);
    });
    it("for another campaign's voucher (same key, same pledge key)", () => {
      expect(verify(key, voucherDigest(OTHER_CAMPAIGN, 31337, PLEDGE_KEY), sign(key, digest))).to.equal(false);
    });
    it("for another chain", () => {
      expect(verify(key, voucherDigest(CAMPAIGN, 1, PLEDGE_KEY), sign(key, digest))).to.equal(false);
    });
    it("for a tampered signature, and for s + n", () => {
      const s = sign(key, digest);
      expect(verify(key, digest, s ^ 1n)).to.equal(false);
      expect(verify(key, digest, s + key.n)).to.equal(false);
    });
    it("when the signature was not unblinded", () => {
      const { blinded } = blind(key, digest);
      expect(verify(key, digest, blindSign(key, blinded))).to.equal(false);
    });
  });

  describe("the signer's input", () => {
    it("refuses 0, 1, n - 1 and values at or above n", () => {
      for (const m of [0n, 1n, key.n - 1n, key.n, key.n + 5n]) expect(() => blindSign(key, m)).to.throw(BlindRsaError);
    });
    it("parses exactly 256 bytes of hex on the wire", () => {
      const x = 12345n;
      expect(decodeWire(encodeWire(x))).to.equal(x);
      expect(() => decodeWire("0x1234")).to.throw(BlindRsaError);
      expect(() => decodeWire(`0x${"zz".repeat(256)}`)).to.throw(BlindRsaError);
    });
  });
});
