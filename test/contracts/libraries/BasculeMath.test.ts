/**
 * Unit and property tests of BasculeMath.sol (through contracts/test/BasculeMathHarness.sol), and
 * of its mirror in packages/core/src/model.ts: both must give the same wei for the same inputs.
 */
import { expect } from "chai";
import fc from "fast-check";
import * as model from "@bascule/core/model";
import { ethers, networkHelpers } from "../../helpers/fixtures.js";

const { loadFixture } = networkHelpers;

/** Amounts as the campaign stores them: F and R fit 96 bits, single supports and donations fewer. */
const U96 = (1n << 96n) - 1n;
const RUNS = 60;

async function harnessFixture() {
  const math = await ethers.deployContract("BasculeMathHarness");
  return { math };
}

/** A resolution's F and R, and parts of them (a support s <= R, a donation D <= F). */
const resolutionArb = fc
  .record({
    triggered: fc.bigInt({ min: 0n, max: U96 }),
    requested: fc.bigInt({ min: 0n, max: U96 }),
  })
  .chain(({ triggered, requested }) =>
    fc.record({
      triggered: fc.constant(triggered),
      requested: fc.constant(requested),
      support: fc.bigInt({ min: 0n, max: requested }),
      donation: fc.bigInt({ min: 0n, max: triggered }),
      claimed: fc.bigInt({
        min: 0n,
        max: triggered < requested ? triggered : requested,
      }),
    }),
  );

describe("BasculeMath", function () {
  describe("share", function () {
    it("rounds down", async function () {
      const { math } = await loadFixture(harnessFixture);
      expect(await math.share(700n, 633n, 1033n)).to.equal(428n);
      expect(await math.share(1n, 2n, 3n)).to.equal(0n);
      expect(await math.share(3n, 3n, 3n)).to.equal(3n);
    });

    it("is 0 when the denominator is 0", async function () {
      const { math } = await loadFixture(harnessFixture);
      expect(await math.share(5n, 7n, 0n)).to.equal(0n);
      expect(model.share(5n, 7n, 0n)).to.equal(0n);
    });

    it("keeps full precision when amount · numerator overflows 256 bits", async function () {
      const { math } = await loadFixture(harnessFixture);
      const big = (1n << 255n) + 12345n;
      expect(await math.share(big, big, big)).to.equal(big);
      expect(await math.share(big, 6n, 4n)).to.equal((big * 6n) / 4n);
    });
  });

  describe("paidOut", function () {
    it("is min(F, R)", async function () {
      const { math } = await loadFixture(harnessFixture);
      expect(await math.paidOut(10n, 3n)).to.equal(3n);
      expect(await math.paidOut(3n, 10n)).to.equal(3n);
      expect(await math.paidOut(0n, 10n)).to.equal(0n);
    });
  });

  describe("supportShare", function () {
    it("pays every request in full when donations cover them", async function () {
      const { math } = await loadFixture(harnessFixture);
      expect(await math.supportShare(300n, 1033n, 400n)).to.equal(300n);
    });

    it("scales requests down pro rata when donations fall short", async function () {
      const { math } = await loadFixture(harnessFixture);
      expect(await math.supportShare(300n, 100n, 400n)).to.equal(75n);
      expect(await math.supportShare(1n, 1n, 3n)).to.equal(0n);
    });

    it("is 0 when nobody asked for support", async function () {
      const { math } = await loadFixture(harnessFixture);
      expect(await math.supportShare(0n, 100n, 0n)).to.equal(0n);
    });
  });

  describe("surplusShare", function () {
    it("returns D · (F − paid) / F, rounded down", async function () {
      const { math } = await loadFixture(harnessFixture);
      expect(await math.surplusShare(700n, 1033n, 400n)).to.equal(428n);
      expect(await math.surplusShare(700n, 100n, 400n)).to.equal(0n);
      expect(await math.surplusShare(0n, 0n, 400n)).to.equal(0n);
    });
  });

  describe("remainderShare", function () {
    it("returns D · (paid − claimed) / F, rounded down", async function () {
      const { math } = await loadFixture(harnessFixture);
      expect(await math.remainderShare(700n, 1033n, 400n, 300n)).to.equal(67n);
      expect(await math.remainderShare(700n, 1033n, 400n, 400n)).to.equal(0n);
    });

    it("reverts if more was claimed than paid (an impossible state is never rounded away)", async function () {
      const { math } = await loadFixture(harnessFixture);
      await expect(math.remainderShare(700n, 1033n, 400n, 401n)).to.be.revertedWithPanic(0x11);
    });
  });

  describe("against the TypeScript model", function () {
    it("gives the same wei as model.ts for every function", async function () {
      const { math } = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(resolutionArb, async ({ triggered, requested, support, donation, claimed }) => {
          const r = {
            triggeredDonations: triggered,
            requestedSupport: requested,
          };
          expect(await math.paidOut(triggered, requested)).to.equal(model.paidOut(triggered, requested));
          expect(await math.supportShare(support, triggered, requested)).to.equal(model.supportShare(support, r));
          expect(await math.surplusShare(donation, triggered, requested)).to.equal(model.surplusShare(donation, r));
          expect(await math.remainderShare(donation, triggered, requested, claimed)).to.equal(
            model.remainderShare(donation, r, claimed),
          );
        }),
        { numRuns: RUNS },
      );
    });

    it("never pays out more than came in: supports + surpluses + remainders <= F", function () {
      // Split F among donations and R among supports at random; rounding must favour the escrow.
      fc.assert(
        fc.property(
          fc.array(fc.bigInt({ min: 1n, max: 1n << 80n }), {
            minLength: 1,
            maxLength: 12,
          }),
          fc.array(fc.bigInt({ min: 0n, max: 1n << 80n }), {
            minLength: 1,
            maxLength: 12,
          }),
          fc.nat({ max: 12 }),
          (donations, supports, unclaimedCount) => {
            const triggeredDonations = donations.reduce((a, b) => a + b, 0n);
            const requestedSupport = supports.reduce((a, b) => a + b, 0n);
            const r = { triggeredDonations, requestedSupport };
            const claimedSupports = supports.slice(Math.min(unclaimedCount, supports.length));
            const claimed = claimedSupports.reduce((a, s) => a + model.supportShare(s, r), 0n);
            const surpluses = donations.reduce((a, d) => a + model.surplusShare(d, r), 0n);
            const remainders = donations.reduce((a, d) => a + model.remainderShare(d, r, claimed), 0n);
            const out = claimed + surpluses + remainders;
            expect(out <= triggeredDonations).to.equal(true);
            // Liveness: what stays behind is rounding dust, below one wei per payment.
            expect(triggeredDonations - out <= BigInt(2 * donations.length + supports.length)).to.equal(true);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
