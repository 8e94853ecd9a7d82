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
  signClaim,
  signPledge,
  signVoucher,
  toCompact,
  voucherDigest,
} from "@bascule/core/signing";
import { DEFAULT_ATTESTER, ethCampaignFixture, networkHelpers } from "../helpers/fixtures.js";

const CAMPAIGN = "0x00000000000000000000000000000000000ba5c0" as Address;
const SECP256K1_HALF_N =
  0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n / 2n;

function tallies(
  counts: number[],
  requested: number[] = [],
  donated: number[] = [],
): model.Tallies {
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
      });
      expect(state.pledges.get("0xbb")).to.deep.equal({
        level: 0,
        support: 0n,
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
      expect(model.cumulativeCounts([1n, 0n, 4n, 2n])).to.deep.equal([
        1n,
        1n,
        5n,
        7n,
      ]);
      expect(model.cumulativeCounts([])).to.deep.equal([]);
    });
  });

  describe("resolve", function () {
    it("fails when no level is reached", function () {
      expect(
        model.resolve([2, 5, 10], tallies([1, 1, 1], [5, 5, 5], [9, 9, 9])),
      ).to.deep.equal({
        succeeded: false,
        tippingLevel: 0,
        committed: 0n,
        triggeredDonations: 0n,
        requestedSupport: 0n,
        paid: 0n,
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
      });
    });

    it("takes the greatest j with C(j) >= L_j, skipping unreached levels below it", function () {
      const r = model.resolve(
        [2, 5, 10],
        tallies([1, 0, 10], [1, 0, 2], [3, 4, 5]),
      );
      expect([
        r.tippingLevel,
        r.committed,
        r.triggeredDonations,
        r.requestedSupport,
        r.paid,
      ]).to.deep.equal([3, 11n, 12n, 3n, 3n]);
    });

    it("leaves levels above j* out of F and R", function () {
      const r = model.resolve(
        [2, 5, 10],
        tallies([2, 2, 3], [10, 20, 30], [100, 200, 300]),
      );
      expect([
        r.tippingLevel,
        r.committed,
        r.triggeredDonations,
        r.requestedSupport,
      ]).to.deep.equal([1, 2n, 100n, 10n]);
    });

    it("treats missing tally entries as zero", function () {
      const r = model.resolve([1, 2], {
        counts: [1n],
        requested: [],
        donated: [],
      });
      expect([r.tippingLevel, r.committed, r.triggeredDonations]).to.deep.equal(
        [1, 1n, 0n],
      );
    });
  });

  describe("nextTippingPoint", function () {
    it("names the fewest pledges that raise the tipping level and the P they bring", function () {
      // C = [1, 1, 1]: level 1 needs 1 more (P 0 → 2), level 2 needs 4, level 3 needs 9.
      expect(model.nextTippingPoint([2, 5, 10], [1n, 0n, 0n])).to.deep.equal({
        pledgesNeeded: 1n,
        level: 1,
        threshold: 2,
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
        committedNow: 0n,
        committedThen: 10n,
      });
    });

    it("is null once every level is reached", function () {
      expect(model.nextTippingPoint([2, 5, 10], [0n, 0n, 10n])).to.equal(null);
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
      expect(
        serializeSignature(compactSignatureToSignature({ r, yParityAndS: vs })),
      ).to.equal(signature);
    });
  });

  describe("signPledge", function () {
    it("signs Pledge(level, support, nonce) with the pledge key, without a voucher by default", async function () {
      const message = { level: 2, support: 40n, nonce: 3 };
      const signed = await signPledge(key, CAMPAIGN, 31337, message);
      expect([signed.level, signed.support, signed.nonce]).to.deep.equal([
        2,
        40n,
        3,
      ]);
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
      const signed = await signPledge(
        key,
        CAMPAIGN,
        1,
        { level: 1, support: 0n, nonce: 0 },
        voucher,
      );
      expect(signed.voucher).to.equal(voucher);
    });

    it("binds the chain and the campaign: another domain gives another digest", function () {
      const message = { level: 1, support: 0n, nonce: 0 };
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
      const signed = await signPledge(key, address, chainId, { level: 1, support: 0n, nonce: 0 }, voucher);
      await (await campaign.pledge(signed)).wait();
      expect((await campaign.pledgeOf(key.address)).level).to.equal(1n);
    });
  });
});
