/**
 * Unit tests of the reference model (packages/core/src/model.ts) and the EIP-712 signing helpers
 * (packages/core/src/signing.ts). They need no chain, except the last ones which hold the helpers
 * against a deployed campaign's domain.
 */
import { expect } from "chai";
import {
  type Address,
  compactSignatureToSignature,
  type Hex,
  hashTypedData,
  recoverAddress,
  recoverTypedDataAddress,
  serializeSignature,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import * as model from "@bascule/core/model";
import {
  CLAIM_TYPES,
  NO_VOUCHER,
  PLEDGE_TYPES,
  VOUCHER_TYPES,
  campaignDomain,
  encodePledge,
  signClaim,
  signPledge,
  signVoucher,
  toCompact,
  voucherDigest,
} from "@bascule/core/signing";
import { DEFAULT_ATTESTER, ethCampaignFixture, networkHelpers } from "../helpers/fixtures.js";

const CAMPAIGN = "0x00000000000000000000000000000000000ba5c0" as Address;
const SECP256K1_HALF_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n / 2n;

function tallies(counts: number[], requested: number[] = [], donated: number[] = []): model.Tallies {
  return {
    counts: counts.map(BigInt),
    requested: counts.map((_, i) => BigInt(requested[i] ?? 0)),
    donated: counts.map((_, i) => BigInt(donated[i] ?? 0)),
  };
}

describe("model", function () {
  describe("share", function () {
    it("rounds down and is 0 for a zero denominator", function () {
      expect(model.share(700n, 633n, 1033n)).to.equal(428n);
      expect(model.share(10n, 1n, 0n)).to.equal(0n);
    });
  });

  describe("paidOut, supportShare, surplusShare, remainderShare", function () {
    const surplus = { triggeredDonations: 1033n, requestedSupport: 400n };
    const scarce = { triggeredDonations: 100n, requestedSupport: 400n };

    it("pays requests in full and returns the rest when donations exceed requests", function () {
      expect(model.paidOut(1033n, 400n)).to.equal(400n);
      expect(model.supportShare(300n, surplus)).to.equal(300n);
      expect(model.surplusShare(700n, surplus)).to.equal(428n);
      expect(model.remainderShare(700n, surplus, 300n)).to.equal(67n);
    });

    it("scales requests down and returns nothing when donations fall short", function () {
      expect(model.paidOut(100n, 400n)).to.equal(100n);
      expect(model.supportShare(300n, scarce)).to.equal(75n);
      expect(model.surplusShare(100n, scarce)).to.equal(0n);
      expect(model.remainderShare(100n, scarce, 100n)).to.equal(0n);
    });

    it("pays nothing where nobody asked and nothing was given", function () {
      const empty = { triggeredDonations: 0n, requestedSupport: 0n };
      expect(model.supportShare(0n, empty)).to.equal(0n);
      expect(model.surplusShare(0n, empty)).to.equal(0n);
      expect(model.remainderShare(0n, empty, 0n)).to.equal(0n);
    });
  });

  describe("replay and tallies", function () {
    it("keeps each key's last pledge and each donation not withdrawn", function () {
      const state = model.replay([
        { kind: "Pledged", pledgeKey: "0xAA", level: 1, support: 5n },
        { kind: "Pledged", pledgeKey: "0xBB", level: 2, support: 7n },
        { kind: "PledgeChanged", pledgeKey: "0xaa", level: 3, support: 9n },
        { kind: "PledgeWithdrawn", pledgeKey: "0xBB" },
        {
          kind: "Donated",
          donationId: 0n,
          donor: "0xD0",
          level: 1,
          amount: 100n,
        },
        {
          kind: "Donated",
          donationId: 1n,
          donor: "0xD1",
          level: 2,
          amount: 50n,
        },
        { kind: "DonationWithdrawn", donationId: 0n },
      ]);
      expect(state.pledges.get("0xaa")).to.deep.equal({
        level: 3,
        support: 9n,
        condition: 0,
      });
      expect(state.pledges.get("0xbb")).to.deep.equal({
        level: 0,
        support: 0n,
        condition: 0,
      });
      expect([...state.donations.keys()]).to.deep.equal([1n]);
      expect(model.tallies(3, state)).to.deep.equal({
        counts: [0n, 0n, 1n],
        requested: [0n, 0n, 9n],
        donated: [0n, 50n, 0n],
      });
    });

    it("applies events one by one as replay does", function () {
      const state: model.HistoryState = {
        pledges: new Map(),
        donations: new Map(),
      };
      model.applyEvent(state, {
        kind: "Pledged",
        pledgeKey: "0xCC",
        level: 2,
        support: 1n,
      });
      expect(model.tallies(2, state).counts).to.deep.equal([0n, 1n]);
    });

    it("cumulates counts: C(j) = count_1 + … + count_j", function () {
      expect(model.cumulativeCounts([1n, 0n, 4n, 2n])).to.deep.equal([1n, 1n, 5n, 7n]);
      expect(model.cumulativeCounts([])).to.deep.equal([]);
    });
  });

  describe("resolve", function () {
    it("fails when no level is reached", function () {
      expect(model.resolve([2, 5, 10], tallies([1, 1, 1], [5, 5, 5], [9, 9, 9]))).to.deep.equal({
        succeeded: false,
        tippingLevel: 0,
        committed: 0n,
        triggeredDonations: 0n,
        requestedSupport: 0n,
        paid: 0n,
        boundCondition: 0,
        boundConditionLevel: 0,
      });
    });

    it("matches its documented example", function () {
      const r = model.resolve([2, 5], {
        counts: [2n, 1n],
        requested: [10n, 0n],
        donated: [30n, 5n],
      });
      expect(r).to.deep.equal({
        succeeded: true,
        tippingLevel: 1,
        committed: 2n,
        triggeredDonations: 30n,
        requestedSupport: 10n,
        paid: 10n,
        boundCondition: 0,
        boundConditionLevel: 1,
      });
    });

    it("takes the greatest j with C(j) >= L_j, skipping unreached levels below it", function () {
      const r = model.resolve([2, 5, 10], tallies([1, 0, 10], [1, 0, 2], [3, 4, 5]));
      expect([r.tippingLevel, r.committed, r.triggeredDonations, r.requestedSupport, r.paid]).to.deep.equal([
        3,
        11n,
        12n,
        3n,
        3n,
      ]);
    });

    it("leaves levels above j* out of F and R", function () {
      const r = model.resolve([2, 5, 10], tallies([2, 2, 3], [10, 20, 30], [100, 200, 300]));
      expect([r.tippingLevel, r.committed, r.triggeredDonations, r.requestedSupport]).to.deep.equal([1, 2n, 100n, 10n]);
    });

    it("treats missing tally entries as zero", function () {
      const r = model.resolve([1, 2], {
        counts: [1n],
        requested: [],
        donated: [],
      });
      expect([r.tippingLevel, r.committed, r.triggeredDonations]).to.deep.equal([1, 1n, 0n]);
    });
  });

  describe("nextTippingPoint", function () {
    it("names the fewest pledges that raise the tipping level and the P they bring", function () {
      // C = [1, 1, 1]: level 1 needs 1 more (P 0 → 2), level 2 needs 4, level 3 needs 9.
      expect(model.nextTippingPoint([2, 5, 10], [1n, 0n, 0n])).to.deep.equal({
        pledgesNeeded: 1n,
        level: 1,
        threshold: 2,
        anyLevel: false,
        committedNow: 0n,
        committedThen: 2n,
      });
    });

    it("looks only above the current tipping level", function () {
      const next = model.nextTippingPoint([2, 5, 10], [2n, 2n, 0n]);
      expect(next).to.deep.equal({
        pledgesNeeded: 1n,
        level: 2,
        threshold: 5,
        anyLevel: false,
        committedNow: 2n,
        committedThen: 5n,
      });
    });

    it("may jump several levels when a higher one is closer", function () {
      // C = [0, 0, 9]: level 3 needs 1 pledge, level 1 needs 2.
      const next = model.nextTippingPoint([2, 5, 10], [0n, 0n, 9n]);
      expect(next).to.deep.equal({
        pledgesNeeded: 1n,
        level: 3,
        threshold: 10,
        anyLevel: true,
        committedNow: 0n,
        committedThen: 10n,
      });
    });

    describe("when several levels need the same number", function () {
      it("names the highest of them: 75 at 2,000 tip it as well as 75 at 1,000 (issue 19)", function () {
        // C(1,000) = 925 and C(2,000) = 1,925: both need 75; pledges at 2,000 count only for the higher.
        const next = model.nextTippingPoint([500, 1000, 2000, 5000], [0n, 925n, 1000n, 0n]);
        expect(next).to.deep.equal({
          pledgesNeeded: 75n,
          level: 3,
          threshold: 2000,
          anyLevel: false,
          committedNow: 0n,
          committedThen: 2000n,
        });
      });

      it("says that any pledge tips it when the top level is among them (a 1-2-3 campaign)", function () {
        // C = [0, 1, 2] against [1, 2, 3]: every level needs 1 more, whatever its number.
        expect(model.nextTippingPoint([1, 2, 3], [0n, 1n, 1n])).to.deep.equal({
          pledgesNeeded: 1n,
          level: 3,
          threshold: 3,
          anyLevel: true,
          committedNow: 0n,
          committedThen: 3n,
        });
      });

      it("tips exactly the named level with that many pledges at any level at or below it", function () {
        // Property over small ladders: N pledges at any level <= the named one give j* = level and P' = L;
        // N - 1 pledges anywhere leave j* where it is.
        const ladders = [
          [1, 2, 3],
          [2, 5, 10],
          [1, 2, 5, 10, 20],
        ];
        for (const ladder of ladders) {
          for (let seed = 0; seed < 200; seed++) {
            const counts = ladder.map((_, i) => BigInt((seed * (i + 7) * 31) % (ladder[ladder.length - 1] + 1)) / 3n);
            const next = model.nextTippingPoint(ladder, counts);
            const now = model.resolve(ladder, { counts, requested: [], donated: [] });
            if (next === null) {
              expect(now.tippingLevel, `${ladder} ${counts}`).to.equal(ladder.length);
              continue;
            }
            for (let at = 1; at <= ladder.length; at++) {
              const plus = (n: bigint) => counts.map((c, i) => (i === at - 1 ? c + n : c));
              const then = model.resolve(ladder, { counts: plus(next.pledgesNeeded), requested: [], donated: [] });
              if (at <= next.level) {
                expect(then.tippingLevel, `${ladder} ${counts} at ${at}`).to.equal(next.level);
                expect(then.committed).to.equal(next.committedThen);
              } else {
                expect(then.tippingLevel, `${ladder} ${counts} at ${at}`).to.equal(now.tippingLevel);
              }
              const fewer = model.resolve(ladder, {
                counts: plus(next.pledgesNeeded - 1n),
                requested: [],
                donated: [],
              });
              expect(fewer.tippingLevel, `${ladder} ${counts} at ${at} minus one`).to.equal(now.tippingLevel);
            }
          }
        }
      });
    });

    it("is null once every level is reached", function () {
      expect(model.nextTippingPoint([2, 5, 10], [0n, 0n, 10n])).to.equal(null);
    });
  });

  // The rules around the escrow; Campaign.differential.test.ts holds them against the contract.
  describe("the final lock", function () {
    const clock = { pledgeDeadline: 1_000n, finalLock: 100n };

    it("holds from just after lockStart = deadline − finalLock up to the deadline itself", function () {
      expect(model.lockStart(clock)).to.equal(900n);
      expect([899n, 900n, 901n, 1_000n, 1_001n].map((t) => model.finalLockActive(clock, t))).to.deep.equal([
        false,
        false,
        true,
        true,
        false,
      ]);
      expect(model.finalLockActive({ pledgeDeadline: 1_000n, finalLock: 0n }, 1_000n)).to.equal(false);
    });

    it("refuses a withdrawal, a higher level or more support, and welcomes everything else", function () {
      const held = { level: 2, support: 50n, condition: 0 };
      expect(model.lockRefuses(held, { level: 0, support: 0n, condition: 0 })).to.equal(true);
      expect(model.lockRefuses(held, { level: 3, support: 0n, condition: 0 })).to.equal(true);
      expect(model.lockRefuses(held, { level: 2, support: 51n, condition: 0 })).to.equal(true);
      expect(model.lockRefuses(held, { level: 1, support: 50n, condition: 0 })).to.equal(false);
      expect(model.lockRefuses(held, { level: 2, support: 10n, condition: 0 })).to.equal(false);
      expect(model.lockRefuses(undefined, { level: 3, support: 99n, condition: 0 })).to.equal(false);
      expect(
        model.lockRefuses({ level: 0, support: 0n, condition: 0 }, { level: 3, support: 99n, condition: 0 }),
      ).to.equal(false);
    });
  });

  describe("pledgeSkipReason", function () {
    const campaign = { levels: 3, supportCap: 100n, locked: false };
    const held = { level: 2, support: 50n, condition: 0, nonce: 1 };

    it("checks in the contract's order: nonce, level, support, condition, withdrawal, lock, voucher, level total", function () {
      // Every check fails: the first one names the item.
      const bad = { level: 0, support: 101n, nonce: 5 };
      expect(model.pledgeSkipReason({ ...campaign, locked: true, voucherInvalid: true }, undefined, bad)).to.equal(
        "InvalidNonce",
      );
      expect(model.pledgeSkipReason(campaign, undefined, { level: 4, support: 101n, nonce: 0 })).to.equal(
        "LevelOutOfRange",
      );
      expect(model.pledgeSkipReason(campaign, undefined, { level: 0, support: 101n, nonce: 0 })).to.equal(
        "SupportAboveCap",
      );
      expect(
        model.pledgeSkipReason({ ...campaign, locked: true }, undefined, {
          level: 0,
          support: 0n,
          condition: 1,
          nonce: 0,
        }),
      ).to.equal("ConditionOutOfRange");
      expect(
        model.pledgeSkipReason({ ...campaign, voucherInvalid: true }, undefined, { level: 0, support: 0n, nonce: 0 }),
      ).to.equal("NotPledged");
      expect(
        model.pledgeSkipReason({ ...campaign, locked: true, voucherInvalid: true }, held, {
          level: 0,
          support: 0n,
          nonce: 1,
        }),
      ).to.equal("FinalLock");
      expect(
        model.pledgeSkipReason({ ...campaign, voucherInvalid: true }, undefined, { level: 1, support: 0n, nonce: 0 }),
      ).to.equal("InvalidVoucher");
      const full = { ...campaign, supportCap: model.LEVEL_AMOUNT_MAX, levelRequested: model.LEVEL_AMOUNT_MAX };
      expect(model.pledgeSkipReason(full, undefined, { level: 2, support: 1n, nonce: 0 })).to.equal(
        "LevelLimitExceeded",
      );
    });

    it("counts a key's own support once when it changes within its level", function () {
      const total = { ...campaign, supportCap: model.LEVEL_AMOUNT_MAX, levelRequested: model.LEVEL_AMOUNT_MAX };
      expect(model.pledgeSkipReason(total, { ...held, support: 10n }, { level: 2, support: 10n, nonce: 1 })).to.equal(
        null,
      );
      expect(model.pledgeSkipReason(total, { ...held, support: 10n }, { level: 2, support: 11n, nonce: 1 })).to.equal(
        "LevelLimitExceeded",
      );
    });

    it("applies a valid first pledge, change or withdrawal", function () {
      expect(model.pledgeSkipReason(campaign, undefined, { level: 3, support: 100n, nonce: 0 })).to.equal(null);
      expect(model.pledgeSkipReason({ ...campaign, locked: true }, held, { level: 1, support: 0n, nonce: 1 })).to.equal(
        null,
      );
      expect(model.pledgeSkipReason(campaign, held, { level: 0, support: 0n, nonce: 1 })).to.equal(null);
    });
  });

  describe("windows and entitlements", function () {
    const clock = model.campaignClock({
      pledgeDeadline: 1_000n,
      finalLock: 0n,
      actionDate: 2_000n,
      oracleWindow: 100n,
      claimWindow: 500n,
      oracle: "0x000000000000000000000000000000000000dEaD",
    });
    const resolution = {
      tippingLevel: 1,
      boundCondition: 0,
      boundConditionLevel: 1,
      triggeredDonations: 300n,
      requestedSupport: 100n,
    };
    const ctx = (now: bigint, rootPublished = false): model.EntitlementContext => ({
      clock,
      now,
      resolution,
      resolvedAt: 1_100n,
      rootPublished,
      claimedTotal: 0n,
    });
    const pledge = { level: 1, support: 40n, condition: 0, claimed: false };

    it("ends the oracle's window after actionDate + oracleWindow and the claim window claimWindow later, or claimWindow after a late resolution", function () {
      expect(model.windows(clock)).to.deep.equal({ oracleEnd: 2_100n, claimEnd: 2_600n });
      expect(model.windows(clock, 3_000n)).to.deep.equal({ oracleEnd: 2_100n, claimEnd: 3_500n });
      expect(model.windows({ ...clock, hasOracle: false, oracleWindow: 0n })).to.deep.equal({
        oracleEnd: 0n,
        claimEnd: 2_500n,
      });
    });

    it("saturates the claim window's end at 2^64 - 1 for the largest window and a late resolution, as the contract", function () {
      const max = 2n ** 64n - 1n;
      const widest = { ...clock, claimWindow: max - clock.actionDate - clock.oracleWindow };
      expect(model.windows(widest)).to.deep.equal({ oracleEnd: 2_100n, claimEnd: max });
      for (const resolvedAt of [2_101n, 2n ** 63n, max]) {
        expect(model.windows(widest, resolvedAt).claimEnd).to.equal(max);
        expect(model.claimsClosed({ ...widest, hasOracle: false }, resolvedAt, false, max)).to.equal(false);
      }
    });

    it("closes claims when the claim window ends, or when the oracle's ends with no set published", function () {
      expect(model.claimsClosed(clock, 1_100n, false, 2_100n)).to.equal(false);
      expect(model.claimsClosed(clock, 1_100n, false, 2_101n)).to.equal(true);
      expect(model.claimsClosed(clock, 1_100n, true, 2_600n)).to.equal(false);
      expect(model.claimsClosed(clock, 1_100n, true, 2_601n)).to.equal(true);
    });

    it("names what a claim would do: Pending, NeedsProof, None without proof, Taken, Expired", function () {
      expect(model.claimEntitlement({ ...ctx(1_050n), resolution: null }, pledge)).to.deep.equal({
        state: "Pending",
        amount: 0n,
      });
      expect(model.claimEntitlement(ctx(2_050n), pledge)).to.deep.equal({ state: "Pending", amount: 40n });
      expect(model.claimEntitlement(ctx(2_050n, true), pledge)).to.deep.equal({ state: "NeedsProof", amount: 40n });
      expect(model.claimEntitlement(ctx(2_200n), pledge)).to.deep.equal({ state: "None", amount: 0n });
      expect(model.claimEntitlement(ctx(2_200n, true), { ...pledge, claimed: true })).to.deep.equal({
        state: "Taken",
        amount: 40n,
      });
      expect(model.claimEntitlement(ctx(2_601n, true), pledge)).to.deep.equal({ state: "Expired", amount: 40n });
      expect(model.claimEntitlement(ctx(2_050n), { ...pledge, level: 2 })).to.deep.equal({ state: "None", amount: 0n });
      // Under the bound level but not bound: a pledge with a condition the resolution left out.
      expect(model.claimEntitlement(ctx(2_050n), { ...pledge, condition: 1 })).to.deep.equal({
        state: "None",
        amount: 0n,
      });
      const withClass = { ...ctx(2_050n), resolution: { ...resolution, boundCondition: 1, boundConditionLevel: 1 } };
      expect(model.claimEntitlement(withClass, { ...pledge, condition: 1 })).to.deep.equal({
        state: "Pending",
        amount: 40n,
      });
    });

    it("names what a reclaim would do: the surplus at once, the remainder once claims close", function () {
      const donation = { level: 1, amount: 150n, surplusTaken: false };
      // F = 300, R = 100, paid = 100: the surplus share is 150 · 200 / 300 = 100, the remainder 150 · 100 / 300 = 50.
      expect(model.reclaimEntitlement(ctx(2_050n), donation)).to.deep.equal({ state: "Due", amount: 100n });
      expect(model.reclaimEntitlement(ctx(2_050n), { ...donation, surplusTaken: true })).to.deep.equal({
        state: "Pending",
        amount: 50n,
      });
      expect(model.reclaimEntitlement(ctx(2_200n), { ...donation, surplusTaken: true })).to.deep.equal({
        state: "Due",
        amount: 50n,
      });
      expect(model.reclaimEntitlement(ctx(2_050n), { ...donation, level: 2 })).to.deep.equal({
        state: "Due",
        amount: 150n,
      });
      expect(model.reclaimEntitlement({ ...ctx(900n), resolution: null }, donation)).to.deep.equal({
        state: "Pending",
        amount: 0n,
      });
      expect(model.reclaimEntitlement(ctx(2_050n), null)).to.deep.equal({ state: "Taken", amount: 0n });
      expect(model.reclaimEntitlement(ctx(2_050n), null, false)).to.deep.equal({ state: "None", amount: 0n });
    });
  });
});

describe("signing", function () {
  const key = privateKeyToAccount(generatePrivateKey());

  describe("campaignDomain", function () {
    it("is {Bascule, 1, chainId, campaign}", function () {
      expect(campaignDomain(CAMPAIGN, 31337)).to.deep.equal({
        name: "Bascule",
        version: "1",
        chainId: 31337n,
        verifyingContract: CAMPAIGN,
      });
    });
  });

  describe("toCompact", function () {
    it("packs y-parity into the top bit of vs and keeps s low", async function () {
      const signature = await key.signMessage({ message: "bascule" });
      const { r, vs } = toCompact(signature);
      expect(r).to.equal(signature.slice(0, 66));
      const s = BigInt(vs) & ((1n << 255n) - 1n);
      expect(s <= SECP256K1_HALF_N).to.equal(true);
      expect(serializeSignature(compactSignatureToSignature({ r, yParityAndS: vs }))).to.equal(signature);
    });
  });

  describe("signPledge", function () {
    it("signs Pledge(level, support, condition, nonce) with the pledge key, without a voucher by default", async function () {
      const message = { level: 2, support: 40n, condition: 1, nonce: 3 };
      const signed = await signPledge(key, CAMPAIGN, 31337, message);
      expect([signed.level, signed.support, signed.condition, signed.nonce]).to.deep.equal([2, 40n, 1, 3]);
      expect(signed.voucher).to.equal(NO_VOUCHER);
      expect(NO_VOUCHER).to.equal("0x");
      const signer = await recoverTypedDataAddress({
        domain: campaignDomain(CAMPAIGN, 31337),
        types: PLEDGE_TYPES,
        primaryType: "Pledge",
        message,
        signature: compactSignatureToSignature({
          r: signed.r,
          yParityAndS: signed.vs,
        }),
      });
      expect(signer).to.equal(key.address);
    });

    it("carries the voucher it is given", async function () {
      const voucher = `0x${"11".repeat(32)}${"22".repeat(33)}` as Hex;
      const signed = await signPledge(key, CAMPAIGN, 1, { level: 1, support: 0n, nonce: 0 }, voucher);
      expect(signed.voucher).to.equal(voucher);
    });

    it("binds the chain and the campaign: another domain gives another digest", function () {
      const message = { level: 1, support: 0n, condition: 0, nonce: 0 };
      const digest = (chainId: number, campaign: Address) =>
        hashTypedData({
          domain: campaignDomain(campaign, chainId),
          types: PLEDGE_TYPES,
          primaryType: "Pledge",
          message,
        });
      const base = digest(31337, CAMPAIGN);
      expect(digest(1, CAMPAIGN)).to.not.equal(base);
      expect(digest(31337, key.address)).to.not.equal(base);
    });
  });

  describe("signVoucher", function () {
    it("signs Voucher(pledgeKey) with the attester", async function () {
      const attester = privateKeyToAccount(generatePrivateKey());
      const voucher = await signVoucher(attester, CAMPAIGN, 31337, key.address);
      const signer = await recoverTypedDataAddress({
        domain: campaignDomain(CAMPAIGN, 31337),
        types: VOUCHER_TYPES,
        primaryType: "Voucher",
        message: { pledgeKey: key.address },
        signature: voucher,
      });
      expect(signer).to.equal(attester.address);
      // 65 bytes (r, s, v), as OpenZeppelin SignatureChecker takes an account's signature.
      expect((voucher.length - 2) / 2).to.equal(65);
      expect(await recoverAddress({ hash: voucherDigest(CAMPAIGN, 31337, key.address), signature: voucher })).to.equal(
        attester.address,
      );
    });
  });

  describe("signClaim", function () {
    it("signs Claim(payee, feeRecipient, maxFee) and fills fee and proof", async function () {
      const claim = {
        payee: "0x000000000000000000000000000000000000dEaD" as Address,
        feeRecipient: "0x000000000000000000000000000000000000bEEF" as Address,
        maxFee: 12n,
      };
      const signed = await signClaim(key, CAMPAIGN, 31337, claim);
      expect([signed.fee, signed.proof]).to.deep.equal([0n, []]);
      const withFee = await signClaim(key, CAMPAIGN, 31337, {
        ...claim,
        fee: 5n,
        proof: [CAMPAIGN.padEnd(66, "0") as Hex],
      });
      expect(withFee.fee).to.equal(5n);
      expect(withFee.proof).to.have.length(1);
      const signer = await recoverTypedDataAddress({
        domain: campaignDomain(CAMPAIGN, 31337),
        types: CLAIM_TYPES,
        primaryType: "Claim",
        message: claim,
        signature: compactSignatureToSignature({
          r: signed.r,
          yParityAndS: signed.vs,
        }),
      });
      expect(signer).to.equal(key.address);
    });
  });

  describe("against a deployed campaign", function () {
    it("signs under the campaign's own EIP-712 domain separator", async function () {
      const { campaign } = await networkHelpers.loadFixture(ethCampaignFixture);
      const address = (await campaign.getAddress()) as Address;
      const { chainId } = await campaign.runner!.provider!.getNetwork();
      const voucher = await signVoucher(DEFAULT_ATTESTER, address, chainId, key.address);
      const signed = await signPledge(
        key,
        address,
        chainId,
        { level: 1, support: 0n, condition: 0, nonce: 0 },
        voucher,
      );
      await (await campaign.pledge(encodePledge(signed))).wait();
      expect((await campaign.pledgeOf(key.address)).level).to.equal(1n);
    });
  });
});
