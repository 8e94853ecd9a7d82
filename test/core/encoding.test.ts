/**
 * The packed pledges `pledge` and `pledgeBatch` take (packages/core/src/signing.ts, encodePledges and
 * decodePledges): the byte layout of one known item, written out by hand; round trips of random
 * lists; every field at its bounds and one past them; and decodePledges refusing bytes that end
 * inside an item.
 */
import { expect } from "chai";
import fc from "fast-check";
import { type Hex, bytesToHex, concat, size } from "viem";
import {
  PLEDGE_HEAD_BYTES,
  decodePledges,
  encodePledge,
  encodePledges,
  type SignedPledge,
} from "@bascule/core/signing";

const bytes = (n: number, byte: number): Hex => bytesToHex(new Uint8Array(n).fill(byte));

const known: SignedPledge = {
  level: 3,
  condition: 2,
  nonce: 0x01020304,
  support: 75_000_000n, // 0x047868c0: €75 of a 6-decimal stablecoin
  r: bytes(32, 0x11),
  vs: bytes(32, 0x22),
  voucher: "0xabcdef",
};
const KNOWN_HEX = [
  "0x",
  "03", // level
  "02", // condition
  "01020304", // nonce, 4 bytes big-endian
  "000000000000000000000000047868c0", // support, 16 bytes big-endian
  "11".repeat(32), // r
  "22".repeat(32), // vs
  "0003", // voucher length, 2 bytes
  "abcdef", // voucher
].join("");

const arbHex = (minLength: number, maxLength: number) =>
  fc.uint8Array({ minLength, maxLength }).map((b) => bytesToHex(b));
const arbPledge: fc.Arbitrary<SignedPledge> = fc.record({
  level: fc.integer({ min: 0, max: 255 }),
  condition: fc.integer({ min: 0, max: 255 }),
  nonce: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  support: fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
  r: arbHex(32, 32),
  vs: arbHex(32, 32),
  // Mostly none or an ECDSA or RSA-sized voucher, sometimes anything up to 600 bytes.
  voucher: fc.oneof(fc.constant<Hex>("0x"), arbHex(65, 65), arbHex(256, 256), arbHex(0, 600)),
});

describe("packed pledges (encodePledges, decodePledges)", function () {
  describe("layout", function () {
    it("encodes a known pledge to its bytes, written out by hand", function () {
      // The golden string itself: 88 bytes of head, then the 3-byte voucher.
      expect(size(KNOWN_HEX as Hex)).to.equal(PLEDGE_HEAD_BYTES + 3);
      expect(encodePledges([known])).to.equal(KNOWN_HEX);
      expect(encodePledge(known)).to.equal(KNOWN_HEX);
    });

    it("decodes the known bytes to the pledge", function () {
      expect(decodePledges(KNOWN_HEX as Hex)).to.deep.equal([known]);
    });

    it("puts items one after the other, each head followed by its own voucher", function () {
      const second = { ...known, level: 1, voucher: "0x" as Hex };
      expect(encodePledges([known, second])).to.equal(concat([KNOWN_HEX as Hex, encodePledge(second)]));
      expect(size(encodePledges([known, second]))).to.equal(2 * PLEDGE_HEAD_BYTES + 3);
    });

    it("encodes no pledges as no bytes, and decodes no bytes as no pledges", function () {
      expect(encodePledges([])).to.equal("0x");
      expect(decodePledges("0x")).to.deep.equal([]);
    });
  });

  describe("round trips", function () {
    it("decodes what it encodes, 88 bytes a pledge plus its voucher", function () {
      fc.assert(
        fc.property(fc.array(arbPledge, { maxLength: 8 }), (pledges) => {
          const data = encodePledges(pledges);
          expect(size(data)).to.equal(pledges.reduce((n, p) => n + PLEDGE_HEAD_BYTES + size(p.voucher), 0));
          expect(decodePledges(data)).to.deep.equal(pledges);
        }),
        { numRuns: 300 },
      );
    });

    it("carries every field at its largest value", function () {
      const max: SignedPledge = {
        level: 255,
        condition: 255,
        nonce: 2 ** 32 - 1,
        support: 2n ** 128n - 1n,
        r: bytes(32, 0xff),
        vs: bytes(32, 0xff),
        voucher: bytes(65_535, 0xee),
      };
      const data = encodePledges([max, known]);
      expect(size(data)).to.equal(2 * PLEDGE_HEAD_BYTES + 65_535 + 3);
      expect(decodePledges(data)).to.deep.equal([max, known]);
    });
  });

  describe("bounds", function () {
    const refuses = (change: Partial<SignedPledge>) =>
      expect(() => encodePledges([{ ...known, ...change }])).to.throw();

    it("refuses a level or a condition of 256", function () {
      refuses({ level: 256 });
      refuses({ condition: 256 });
    });

    it("refuses a nonce of 2^32 and a support of 2^128", function () {
      refuses({ nonce: 2 ** 32 });
      refuses({ support: 2n ** 128n });
    });

    it("refuses negative fields", function () {
      refuses({ level: -1 });
      refuses({ condition: -1 });
      refuses({ nonce: -1 });
      refuses({ support: -1n });
    });

    it("refuses a voucher of 65,536 bytes", function () {
      expect(() => encodePledges([{ ...known, voucher: bytes(65_536, 0xee) }])).to.throw(
        RangeError,
        /voucher too long/,
      );
    });

    it("refuses an r or vs that is not 32 bytes", function () {
      refuses({ r: bytes(31, 0x11) });
      refuses({ vs: bytes(33, 0x22) });
    });
  });

  describe("malformed bytes", function () {
    it("refuses bytes that end inside an item, and reads those that end between items", function () {
      fc.assert(
        fc.property(fc.array(arbPledge, { minLength: 1, maxLength: 4 }), fc.nat(), (pledges, pick) => {
          const data = encodePledges(pledges);
          const ends = pledges.reduce<number[]>(
            (at, p) => [...at, at.at(-1)! + PLEDGE_HEAD_BYTES + size(p.voucher)],
            [0],
          );
          const cut = pick % size(data); // 0 .. length - 1: every strict prefix
          const prefix = data.slice(0, 2 + 2 * cut) as Hex;
          const items = ends.indexOf(cut);
          if (items >= 0) expect(decodePledges(prefix)).to.deep.equal(pledges.slice(0, items));
          else expect(() => decodePledges(prefix)).to.throw(RangeError, /malformed pledges/);
        }),
        { numRuns: 500 },
      );
    });

    it("refuses a head cut short, one byte before its voucher length", function () {
      expect(() => decodePledges(KNOWN_HEX.slice(0, 2 + 2 * (PLEDGE_HEAD_BYTES - 1)) as Hex)).to.throw(
        RangeError,
        /malformed pledges at byte 0/,
      );
    });

    it("refuses a voucher length that runs past the end", function () {
      // The known item says 3 voucher bytes; one is missing.
      expect(() => decodePledges(KNOWN_HEX.slice(0, -2) as Hex)).to.throw(RangeError, /malformed pledges at byte 0/);
      // A second item whose head claims 0xffff voucher bytes and brings 10: the error names its offset.
      const lying = concat([
        KNOWN_HEX as Hex,
        encodePledge({ ...known, voucher: "0x" }).slice(0, -4) as Hex,
        "0xffff",
        bytes(10, 0xee),
      ]);
      expect(() => decodePledges(lying)).to.throw(RangeError, new RegExp(`at byte ${PLEDGE_HEAD_BYTES + 3}$`));
    });
  });
});
