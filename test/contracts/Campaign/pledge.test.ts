/**
 * Unit tests of Campaign.sol, `pledge` and `pledgeBatch`: new pledges, changes and withdrawals,
 * signatures, vouchers, the tallies' limits.
 */
import {
  PLEDGE_HEAD_BYTES,
  PLEDGE_TYPES,
  campaignDomain,
  decodePledges,
  encodePledge,
  encodePledges,
} from "@bascule/core/signing";
import { expect } from "chai";
import {
  type Address,
  type Hex,
  compactSignatureToSignature,
  concat,
  numberToHex,
  recoverTypedDataAddress,
  size,
  slice,
} from "viem";
import * as model from "@bascule/core/model";
import {
  attestedCampaignFixture,
  balanceOf,
  chainId,
  createCampaign,
  DAY,
  defaultParams,
  deployFactory,
  ethCampaignFixture,
  ethers,
  longLadderFixture,
  maxCapFixture,
  networkHelpers,
  newPledgeKey,
  pledgeFor,
  voucherFor,
} from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("pledge", function () {
    describe("when the key has no pledge", function () {
      it("records it and emits Pledged", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 2, 50n))))
          .to.emit(campaign, "Pledged")
          .withArgs(key.address, 2n, 50n, 0n);
        const record = await campaign.pledgeOf(key.address);
        expect([record.level, record.support, record.nonce, record.claimed]).to.deep.equal([2n, 50n, 1n, false]);
        const [counts, requested] = await campaign.levelTallies();
        expect(counts).to.deep.equal([0n, 1n, 0n]);
        expect(requested).to.deep.equal([0n, 50n, 0n]);
      });

      it("can be submitted by anyone, the key needing no ETH", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (await campaign.connect(others[7]).pledge(encodePledge(await pledgeFor(campaign, key, 1)))).wait();
        expect((await campaign.pledgeOf(key.address)).level).to.equal(1n);
        expect(await balanceOf(key.address)).to.equal(0n);
      });

      it("refuses a withdrawal with NotPledged", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 0))))
          .to.be.revertedWithCustomError(campaign, "NotPledged")
          .withArgs(key.address);
      });
    });

    describe("when the key has pledged", function () {
      it("changes level and support, emits PledgeChanged and moves the tallies", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 10n)))).wait();
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 3, 40n))))
          .to.emit(campaign, "PledgeChanged")
          .withArgs(key.address, 3n, 40n, 0n);
        const [counts, requested] = await campaign.levelTallies();
        expect(counts).to.deep.equal([0n, 0n, 1n]);
        expect(requested).to.deep.equal([0n, 0n, 40n]);
        expect((await campaign.pledgeOf(key.address)).nonce).to.equal(2n);
      });

      it("withdraws with level 0, emits PledgeWithdrawn and clears its support", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 2, 10n)))).wait();
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 0, 99n))))
          .to.emit(campaign, "PledgeWithdrawn")
          .withArgs(key.address);
        const record = await campaign.pledgeOf(key.address);
        expect([record.level, record.support, record.nonce]).to.deep.equal([0n, 0n, 2n]);
        const [counts, requested] = await campaign.levelTallies();
        expect(counts).to.deep.equal([0n, 0n, 0n]);
        expect(requested).to.deep.equal([0n, 0n, 0n]);
      });

      it("pledges again after a withdrawal, emitting Pledged", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 2)))).wait();
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 0)))).wait();
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 5n))))
          .to.emit(campaign, "Pledged")
          .withArgs(key.address, 1n, 5n, 0n);
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 0))))
          .to.emit(campaign, "PledgeWithdrawn")
          .withArgs(key.address);
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 0))))
          .to.be.revertedWithCustomError(campaign, "NotPledged")
          .withArgs(key.address);
      });
    });

    describe("when the signed message is invalid", function () {
      it("refuses a replayed signature with InvalidNonce", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        const signed = await pledgeFor(campaign, key, 1);
        await (await campaign.pledge(encodePledge(signed))).wait();
        await expect(campaign.pledge(encodePledge(signed)))
          .to.be.revertedWithCustomError(campaign, "InvalidNonce")
          .withArgs(key.address, 1n, 0n);
      });

      it("refuses a nonce ahead of the key's next one", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 0n, { nonce: 3 }))))
          .to.be.revertedWithCustomError(campaign, "InvalidNonce")
          .withArgs(key.address, 0n, 3n);
      });

      it("refuses a level above m with LevelOutOfRange", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 4))))
          .to.be.revertedWithCustomError(campaign, "LevelOutOfRange")
          .withArgs(4n, 3n);
      });

      it("refuses a support request above the cap with SupportAboveCap", async function () {
        const { campaign, params } = await loadFixture(ethCampaignFixture);
        await (
          await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 1, params.supportCap)))
        ).wait();
        await expect(
          campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 1, params.supportCap + 1n))),
        )
          .to.be.revertedWithCustomError(campaign, "SupportAboveCap")
          .withArgs(params.supportCap + 1n, params.supportCap);
      });

      it("refuses a malformed signature with InvalidSignature", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const signed = await pledgeFor(campaign, newPledgeKey(), 1);
        await expect(
          campaign.pledge(
            encodePledge({
              ...signed,
              r: ethers.ZeroHash as Hex,
              vs: ethers.ZeroHash as Hex,
            }),
          ),
        ).to.be.revertedWithCustomError(campaign, "InvalidSignature");
      });
    });

    describe("after the pledge deadline", function () {
      it("refuses pledges with PledgeDeadlinePassed", async function () {
        const { campaign, params } = await loadFixture(ethCampaignFixture);
        const signed = await pledgeFor(campaign, newPledgeKey(), 1);
        await time.setNextBlockTimestamp(params.pledgeDeadline);
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 1)))).wait();
        await expect(campaign.pledge(encodePledge(signed)))
          .to.be.revertedWithCustomError(campaign, "PledgeDeadlinePassed")
          .withArgs(params.pledgeDeadline);
      });
    });

    describe("with an attester", function () {
      it("accepts a first pledge carrying the attester's voucher", async function () {
        const { campaign, attester } = await loadFixture(attestedCampaignFixture);
        const key = newPledgeKey();
        const voucher = await voucherFor(campaign, attester, key.address);
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 0n, { voucher }))))
          .to.emit(campaign, "Pledged")
          .withArgs(key.address, 1n, 0n, 0n);
      });

      it("refuses a first pledge without a voucher", async function () {
        const { campaign } = await loadFixture(attestedCampaignFixture);
        const key = newPledgeKey();
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 0n, { voucher: "0x" }))))
          .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
          .withArgs(key.address);
      });

      it("refuses a voucher signed by someone else with InvalidVoucher", async function () {
        const { campaign } = await loadFixture(attestedCampaignFixture);
        const key = newPledgeKey();
        const voucher = await voucherFor(campaign, newPledgeKey(), key.address);
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 0n, { voucher }))))
          .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
          .withArgs(key.address);
      });

      it("refuses a voucher issued for another key with InvalidVoucher", async function () {
        const { campaign, attester } = await loadFixture(attestedCampaignFixture);
        const [key, other] = [newPledgeKey(), newPledgeKey()];
        const voucher = await voucherFor(campaign, attester, other.address);
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 0n, { voucher }))))
          .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
          .withArgs(key.address);
      });

      it("needs no voucher for later changes of a vouched key", async function () {
        const { campaign, attester } = await loadFixture(attestedCampaignFixture);
        const key = newPledgeKey();
        const voucher = await voucherFor(campaign, attester, key.address);
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 0n, { voucher })))).wait();
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 2))))
          .to.emit(campaign, "PledgeChanged")
          .withArgs(key.address, 2n, 0n, 0n);
      });
    });

    describe("when a level's requested total would exceed 2^90 - 1", function () {
      it("refuses with LevelLimitExceeded", async function () {
        const { campaign, params } = await loadFixture(maxCapFixture);
        await (
          await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 2, params.supportCap)))
        ).wait();
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 2, 1n))))
          .to.be.revertedWithCustomError(campaign, "LevelLimitExceeded")
          .withArgs(2n);
      });
    });
    describe("when a level's count would exceed 2^32 - 1", function () {
      it("refuses with LevelLimitExceeded instead of spilling into the next level", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const address = await campaign.getAddress();
        // Four billion pledges cannot be made in a test: find the packed count word by its content
        // after one pledge at level 2 (lane 1), then set that lane to 2^32 - 1.
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 2)))).wait();
        let slot = -1;
        for (let i = 0; i < 32 && slot < 0; i++) {
          if (BigInt(await ethers.provider.getStorage(address, i)) === 1n << 32n) slot = i;
        }
        expect(slot).to.be.gte(0);
        await networkHelpers.setStorageAt(address, slot, ((1n << 32n) - 1n) << 32n);
        expect((await campaign.levelTallies())[0]).to.deep.equal([0n, (1n << 32n) - 1n, 0n]);
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 2))))
          .to.be.revertedWithCustomError(campaign, "LevelLimitExceeded")
          .withArgs(2n);
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 3)))).wait();
        expect((await campaign.levelTallies())[0]).to.deep.equal([0n, (1n << 32n) - 1n, 1n]);
      });
    });
  });

  describe("packed pledges", function () {
    /** Two first pledges, each 88 bytes of head and a 65-byte voucher: items at bytes 0 and 153. */
    async function twoItems() {
      const base = await ethCampaignFixture();
      const keys = [newPledgeKey(), newPledgeKey()];
      const signed = [await pledgeFor(base.campaign, keys[0], 1, 10n), await pledgeFor(base.campaign, keys[1], 2, 20n)];
      return { ...base, keys, signed, bytes: encodePledges(signed) };
    }
    const ITEM = PLEDGE_HEAD_BYTES + 65;
    const cut = (bytes: Hex, length: number) => slice(bytes, 0, length);

    it("decodes the bytes it was sent: decodePledges gives back each signed pledge", async function () {
      const { bytes, signed } = await loadFixture(twoItems);
      expect(size(bytes)).to.equal(2 * ITEM);
      expect(decodePledges(bytes)).to.deep.equal(signed);
    });

    it("reverts a batch cut in an item's head with MalformedPledges(offset of the item), applying nothing", async function () {
      const { campaign, bytes, keys } = await loadFixture(twoItems);
      for (const length of [ITEM + 1, ITEM + 40, ITEM + PLEDGE_HEAD_BYTES - 1]) {
        await expect(campaign.pledgeBatch(cut(bytes, length)))
          .to.be.revertedWithCustomError(campaign, "MalformedPledges")
          .withArgs(BigInt(ITEM));
      }
      await expect(campaign.pledgeBatch(cut(bytes, 10)))
        .to.be.revertedWithCustomError(campaign, "MalformedPledges")
        .withArgs(0n);
      for (const k of keys) expect((await campaign.pledgeOf(k.address)).nonce).to.equal(0n);
    });

    it("reverts a batch whose voucher length runs past the end with MalformedPledges, applying nothing", async function () {
      const { campaign, bytes, keys } = await loadFixture(twoItems);
      // The second item's voucher is cut by one byte, or its length says one byte more than there is.
      await expect(campaign.pledgeBatch(cut(bytes, 2 * ITEM - 1)))
        .to.be.revertedWithCustomError(campaign, "MalformedPledges")
        .withArgs(BigInt(ITEM));
      const longer = concat([slice(bytes, 0, ITEM + 86), numberToHex(66, { size: 2 }), slice(bytes, ITEM + 88)]);
      await expect(campaign.pledgeBatch(longer))
        .to.be.revertedWithCustomError(campaign, "MalformedPledges")
        .withArgs(BigInt(ITEM));
      const huge = concat([slice(bytes, 0, 86), "0xffff", slice(bytes, 88)]);
      await expect(campaign.pledgeBatch(huge)).to.be.revertedWithCustomError(campaign, "MalformedPledges").withArgs(0n);
      for (const k of keys) expect((await campaign.pledgeOf(k.address)).nonce).to.equal(0n);
      expect((await campaign.levelTallies()).counts).to.deep.equal([0n, 0n, 0n]);
      // The whole batch, intact, lands.
      await (await campaign.pledgeBatch(bytes)).wait();
      for (const k of keys) expect((await campaign.pledgeOf(k.address)).nonce).to.equal(1n);
    });

    it("pledge takes exactly one item: trailing bytes, a second item or a cut item revert MalformedPledges", async function () {
      const { campaign, bytes, keys } = await loadFixture(twoItems);
      const one = cut(bytes, ITEM);
      await expect(campaign.pledge(concat([one, "0x00"])))
        .to.be.revertedWithCustomError(campaign, "MalformedPledges")
        .withArgs(BigInt(ITEM));
      await expect(campaign.pledge(bytes))
        .to.be.revertedWithCustomError(campaign, "MalformedPledges")
        .withArgs(BigInt(ITEM));
      await expect(campaign.pledge(cut(bytes, ITEM - 1)))
        .to.be.revertedWithCustomError(campaign, "MalformedPledges")
        .withArgs(0n);
      await expect(campaign.pledge("0x")).to.be.revertedWithCustomError(campaign, "MalformedPledges").withArgs(0n);
      expect((await campaign.pledgeOf(keys[0].address)).nonce).to.equal(0n);
      await expect(campaign.pledge(one)).to.emit(campaign, "Pledged").withArgs(keys[0].address, 1n, 10n, 0n);
    });
  });

  describe("with conditions", function () {
    /** The default campaign with the proposed conditions [5000, 10000] (K = 2). */
    async function conditionalFixture() {
      const base = await deployFactory();
      const params = await defaultParams({ conditions: [5_000, 10_000] });
      const campaign = await createCampaign(base.factory, base.organiser, params);
      return { ...base, params, campaign };
    }

    it("refuses with LevelLimitExceeded a pledge that would take its (level, condition) count past 2^32 - 1", async function () {
      const { campaign } = await loadFixture(conditionalFixture);
      const address = await campaign.getAddress();
      // As for the count without condition: find condition 2's count word by its content after one pledge
      // at level 2 (lane 1), then set that lane to 2^32 - 1.
      await (
        await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 2, 5n, { condition: 2 })))
      ).wait();
      let slot = -1;
      for (let i = 0; i < 64 && slot < 0; i++) {
        if (BigInt(await ethers.provider.getStorage(address, i)) === 1n << 32n) slot = i;
      }
      expect(slot).to.be.gte(0);
      await networkHelpers.setStorageAt(address, slot, ((1n << 32n) - 1n) << 32n);
      expect((await campaign.conditionTallies())[0][1]).to.deep.equal([0n, (1n << 32n) - 1n, 0n]);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 2, 5n, { condition: 2 }))))
        .to.be.revertedWithCustomError(campaign, "LevelLimitExceeded")
        .withArgs(2n);
      // The lane next to it and the other condition's word are untouched.
      await (
        await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 3, 5n, { condition: 2 })))
      ).wait();
      await (
        await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 2, 5n, { condition: 1 })))
      ).wait();
      const [counts] = await campaign.conditionTallies();
      expect(counts[1].slice(0, 3)).to.deep.equal([0n, (1n << 32n) - 1n, 1n]);
      expect(counts[0].slice(0, 3)).to.deep.equal([0n, 1n, 0n]);
    });

    it("records the condition, emits it and tallies the pledge in its condition's part", async function () {
      const { campaign } = await loadFixture(conditionalFixture);
      const key = newPledgeKey();
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 2, 50n, { condition: 2 }))))
        .to.emit(campaign, "Pledged")
        .withArgs(key.address, 2n, 50n, 2n);
      const record = await campaign.pledgeOf(key.address);
      expect([record.level, record.support, record.condition, record.nonce]).to.deep.equal([2n, 50n, 2n, 1n]);
      expect((await campaign.status()).conditional).to.equal(true);
      const [counts, requested] = await campaign.conditionTallies();
      expect(counts.map((c) => [...c])).to.deep.equal([
        [0n, 0n, 0n],
        [0n, 1n, 0n],
      ]);
      expect(requested.map((c) => [...c])).to.deep.equal([
        [0n, 0n, 0n],
        [0n, 50n, 0n],
      ]);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 3, 40n, { condition: 1 }))))
        .to.emit(campaign, "PledgeChanged")
        .withArgs(key.address, 3n, 40n, 1n);
    });

    it("skips a condition above K in a batch with ConditionOutOfRange, the others land", async function () {
      const { campaign } = await loadFixture(conditionalFixture);
      const [bad, good, other] = [newPledgeKey(), newPledgeKey(), newPledgeKey()];
      await expect(
        campaign.pledgeBatch(
          encodePledges([
            await pledgeFor(campaign, good, 1, 5n, { condition: 2 }),
            await pledgeFor(campaign, bad, 1, 5n, { condition: 3 }),
            await pledgeFor(campaign, other, 2, 0n),
          ]),
        ),
      )
        .to.emit(campaign, "PledgeSkipped")
        .withArgs(1n, bad.address, BigInt(model.SkipReason.ConditionOutOfRange))
        .and.to.emit(campaign, "Pledged")
        .withArgs(good.address, 1n, 5n, 2n)
        .and.to.emit(campaign, "Pledged")
        .withArgs(other.address, 2n, 0n, 0n);
      expect((await campaign.pledgeOf(bad.address)).nonce).to.equal(0n);
      expect((await campaign.levelTallies()).counts).to.deep.equal([1n, 1n, 0n]);
    });

    it("refuses a condition above K through pledge with ConditionOutOfRange(condition, K)", async function () {
      const { campaign } = await loadFixture(conditionalFixture);
      for (const condition of [3, 255]) {
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 1, 5n, { condition }))))
          .to.be.revertedWithCustomError(campaign, "ConditionOutOfRange")
          .withArgs(BigInt(condition), 2n);
      }
      // A campaign without conditions has K = 0: condition 1 is out of range, even with support 0.
      const plain = await loadFixture(ethCampaignFixture);
      await expect(
        plain.campaign.pledge(encodePledge(await pledgeFor(plain.campaign, newPledgeKey(), 1, 0n, { condition: 1 }))),
      )
        .to.be.revertedWithCustomError(plain.campaign, "ConditionOutOfRange")
        .withArgs(1n, 0n);
    });

    it("checks the condition after level and support, before a withdrawal of nothing", async function () {
      const { campaign, params } = await loadFixture(conditionalFixture);
      const key = newPledgeKey();
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 4, 5n, { condition: 3 }))))
        .to.be.revertedWithCustomError(campaign, "LevelOutOfRange")
        .withArgs(4n, 3n);
      await expect(
        campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, params.supportCap + 1n, { condition: 3 }))),
      ).to.be.revertedWithCustomError(campaign, "SupportAboveCap");
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 0, 0n, { condition: 3 }))))
        .to.be.revertedWithCustomError(campaign, "ConditionOutOfRange")
        .withArgs(3n, 2n);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 0, 0n, { condition: 2 }))))
        .to.be.revertedWithCustomError(campaign, "NotPledged")
        .withArgs(key.address);
    });

    it("records condition 0 for support 0 or a withdrawal, whatever condition was signed", async function () {
      const { campaign } = await loadFixture(conditionalFixture);
      const key = newPledgeKey();
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 0n, { condition: 2 }))))
        .to.emit(campaign, "Pledged")
        .withArgs(key.address, 1n, 0n, 0n);
      expect((await campaign.pledgeOf(key.address)).condition).to.equal(0n);
      // Nothing conditional was recorded: the campaign keeps the rule without conditions.
      expect((await campaign.status()).conditional).to.equal(false);
      expect((await campaign.conditionTallies()).counts.map((c) => [...c])).to.deep.equal([
        [0n, 0n, 0n],
        [0n, 0n, 0n],
      ]);
      expect((await campaign.levelTallies()).counts).to.deep.equal([1n, 0n, 0n]);
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 9n, { condition: 2 })))).wait();
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 0, 9n, { condition: 2 }))))
        .to.emit(campaign, "PledgeWithdrawn")
        .withArgs(key.address);
      const record = await campaign.pledgeOf(key.address);
      expect([record.level, record.support, record.condition]).to.deep.equal([0n, 0n, 0n]);
      expect((await campaign.conditionTallies()).counts[1]).to.deep.equal([0n, 0n, 0n]);
    });

    it("the condition is signed: the same item with another condition recovers to another key", async function () {
      const { campaign } = await loadFixture(conditionalFixture);
      const key = newPledgeKey();
      const signed = await pledgeFor(campaign, key, 1, 5n, { condition: 1 });
      const address = (await campaign.getAddress()) as Address;
      const id = await chainId();
      const recover = (condition: number) =>
        recoverTypedDataAddress({
          domain: campaignDomain(address, id),
          types: PLEDGE_TYPES,
          primaryType: "Pledge",
          message: { level: 1, support: 5n, condition, nonce: 0 },
          signature: compactSignatureToSignature({ r: signed.r, yParityAndS: signed.vs }),
        });
      expect(await recover(1)).to.equal(key.address);
      // Byte 1 of the item is its condition.
      const bytes = encodePledge(signed);
      const changed = concat([slice(bytes, 0, 1), "0x02", slice(bytes, 2)]);
      expect(decodePledges(changed)[0].condition).to.equal(2);
      const other = await recover(2);
      expect(other).to.not.equal(key.address);
      // The voucher names the real key: the changed item is skipped for the key it recovers to.
      await expect(campaign.pledgeBatch(changed))
        .to.emit(campaign, "PledgeSkipped")
        .withArgs(0n, other, BigInt(model.SkipReason.InvalidVoucher));
      expect((await campaign.pledgeOf(key.address)).nonce).to.equal(0n);
      await expect(campaign.pledge(bytes)).to.emit(campaign, "Pledged").withArgs(key.address, 1n, 5n, 1n);
    });

    it("refuses each (level, condition) bucket's request past 2^90 - 1 on its own: LevelLimitExceeded", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const cap = (1n << 90n) - 1n;
      const campaign = await createCampaign(
        factory,
        organiser,
        await defaultParams({ supportCap: cap, conditions: [5_000, 10_000] }),
        ethers.id("buckets"),
      );
      const [a, b, c, d, e, f] = Array.from({ length: 6 }, () => newPledgeKey());
      // Level 1 holds the limit three times over, once in each bucket.
      for (const [key, condition] of [
        [a, 0],
        [b, 1],
        [c, 2],
      ] as const) {
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, cap, { condition })))).to.emit(
          campaign,
          "Pledged",
        );
      }
      expect((await campaign.levelTallies()).requested).to.deep.equal([3n * cap, 0n, 0n]);
      for (const condition of [0, 1, 2]) {
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, d, 1, 1n, { condition }))))
          .to.be.revertedWithCustomError(campaign, "LevelLimitExceeded")
          .withArgs(1n);
      }
      // Another level's buckets are free, and so is a request that moves within its own full bucket.
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, d, 2, cap, { condition: 1 })))).wait();
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, b, 1, cap - 1n, { condition: 1 }))))
        .to.emit(campaign, "PledgeChanged")
        .withArgs(b.address, 1n, cap - 1n, 1n);
      // In a batch: the items that would overflow are skipped, the others land.
      await expect(
        campaign.pledgeBatch(
          encodePledges([
            await pledgeFor(campaign, e, 1, 2n, { condition: 1 }),
            await pledgeFor(campaign, f, 1, 1n, { condition: 1 }),
            await pledgeFor(campaign, a, 2, 5n, { condition: 2 }),
          ]),
        ),
      )
        .to.emit(campaign, "PledgeSkipped")
        .withArgs(0n, e.address, BigInt(model.SkipReason.LevelLimitExceeded))
        .and.to.emit(campaign, "Pledged")
        .withArgs(f.address, 1n, 1n, 1n)
        .and.to.emit(campaign, "PledgeChanged")
        .withArgs(a.address, 2n, 5n, 2n);
      const [, requested] = await campaign.conditionTallies();
      expect(requested.map((r) => [...r])).to.deep.equal([
        [cap, cap, 0n],
        [cap, 5n, 0n],
      ]);
      expect((await campaign.levelTallies()).requested).to.deep.equal([2n * cap, cap + 5n, 0n]);
    });
  });

  describe("during the final lock, with conditions", function () {
    /** A (level 2, asks 100, condition 1) and B (level 2, asks 100, no condition), then the lock holds. */
    async function lockedConditionalFixture() {
      const base = await deployFactory();
      const params = await defaultParams({ finalLock: BigInt(DAY), conditions: [5_000, 10_000] });
      const campaign = await createCampaign(base.factory, base.organiser, params);
      const [a, b] = [newPledgeKey(), newPledgeKey()];
      await (
        await campaign.pledgeBatch(
          encodePledges([
            await pledgeFor(campaign, a, 2, 100n, { condition: 1 }),
            await pledgeFor(campaign, b, 2, 100n),
          ]),
        )
      ).wait();
      const lockStart = params.pledgeDeadline - BigInt(DAY);
      await time.increaseTo(lockStart + 1n);
      return { ...base, params, campaign, a, b, lockStart };
    }

    it("refuses a new pledge with a condition (FinalLockActive), accepts a new one without", async function () {
      const { campaign, lockStart } = await loadFixture(lockedConditionalFixture);
      const [late, plain] = [newPledgeKey(), newPledgeKey()];
      for (const condition of [1, 2]) {
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, late, 1, 10n, { condition }))))
          .to.be.revertedWithCustomError(campaign, "FinalLockActive")
          .withArgs(lockStart);
      }
      // Condition 2 with support 0 records condition 0: a new pledge the lock accepts.
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, late, 1, 0n, { condition: 2 }))))
        .to.emit(campaign, "Pledged")
        .withArgs(late.address, 1n, 0n, 0n);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, plain, 3, 10n))))
        .to.emit(campaign, "Pledged")
        .withArgs(plain.address, 3n, 10n, 0n);
    });

    it("lets a pledge with a condition lower its request only: level, condition and support 0 are frozen", async function () {
      const { campaign, a, lockStart } = await loadFixture(lockedConditionalFixture);
      const refused: [number, bigint, number][] = [
        [1, 100n, 1], // a lower level
        [1, 50n, 1],
        [3, 50n, 1], // a higher level
        [2, 100n, 2], // another condition
        [2, 50n, 2],
        [2, 50n, 0], // dropping the condition
        [2, 0n, 1], // support 0 records condition 0
        [2, 101n, 1], // a higher request
        [0, 0n, 0], // a withdrawal
      ];
      for (const [level, support, condition] of refused) {
        await expect(
          campaign.pledge(encodePledge(await pledgeFor(campaign, a, level, support, { condition }))),
          `(${level}, ${support}, ${condition})`,
        )
          .to.be.revertedWithCustomError(campaign, "FinalLockActive")
          .withArgs(lockStart);
      }
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, a, 2, 50n, { condition: 1 }))))
        .to.emit(campaign, "PledgeChanged")
        .withArgs(a.address, 2n, 50n, 1n);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, a, 2, 50n, { condition: 1 })))).to.emit(
        campaign,
        "PledgeChanged",
      );
      const record = await campaign.pledgeOf(a.address);
      expect([record.level, record.support, record.condition, record.nonce]).to.deep.equal([2n, 50n, 1n, 3n]);
    });

    it("refuses an unconditional pledge taking a condition; it may still lower its level and request", async function () {
      const { campaign, b, lockStart } = await loadFixture(lockedConditionalFixture);
      for (const [level, support, condition] of [
        [2, 100n, 1],
        [2, 50n, 2],
        [1, 50n, 1],
      ] as const) {
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, b, level, support, { condition }))))
          .to.be.revertedWithCustomError(campaign, "FinalLockActive")
          .withArgs(lockStart);
      }
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, b, 1, 40n))))
        .to.emit(campaign, "PledgeChanged")
        .withArgs(b.address, 1n, 40n, 0n);
      // Support 0 with a condition signed records condition 0: lowering to nothing is accepted.
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, b, 1, 0n, { condition: 2 }))))
        .to.emit(campaign, "PledgeChanged")
        .withArgs(b.address, 1n, 0n, 0n);
    });

    it("in a batch skips each refused item with FinalLock, and the others land", async function () {
      const { campaign, a, b } = await loadFixture(lockedConditionalFixture);
      const [late, plain] = [newPledgeKey(), newPledgeKey()];
      const FinalLock = BigInt(model.SkipReason.FinalLock);
      const tx = campaign.pledgeBatch(
        encodePledges([
          await pledgeFor(campaign, late, 1, 10n, { condition: 2 }), // new, with a condition
          await pledgeFor(campaign, a, 1, 100n, { condition: 1 }), // a conditional pledge changing level
          await pledgeFor(campaign, plain, 1, 10n), // new, without
          await pledgeFor(campaign, b, 2, 100n, { condition: 1 }), // taking a condition
          await pledgeFor(campaign, a, 2, 60n, { condition: 1, nonce: 1 }), // lowering its request
          await pledgeFor(campaign, b, 2, 90n, { nonce: 1 }), // lowering its request
        ]),
      );
      await expect(tx)
        .to.emit(campaign, "PledgeSkipped")
        .withArgs(0n, late.address, FinalLock)
        .and.to.emit(campaign, "PledgeSkipped")
        .withArgs(1n, a.address, FinalLock)
        .and.to.emit(campaign, "PledgeSkipped")
        .withArgs(3n, b.address, FinalLock)
        .and.to.emit(campaign, "Pledged")
        .withArgs(plain.address, 1n, 10n, 0n)
        .and.to.emit(campaign, "PledgeChanged")
        .withArgs(a.address, 2n, 60n, 1n)
        .and.to.emit(campaign, "PledgeChanged")
        .withArgs(b.address, 2n, 90n, 0n);
      const receipt = await (await tx).wait();
      const skipped = receipt!.logs
        .map((l) => campaign.interface.parseLog(l))
        .filter((e) => e?.name === "PledgeSkipped")
        .map((e) => Number(e!.args.index));
      expect(skipped).to.deep.equal([0, 1, 3]);
      const [counts, requested] = await campaign.conditionTallies();
      expect([counts[0], requested[0]].map((x) => [...x])).to.deep.equal([
        [0n, 1n, 0n],
        [0n, 60n, 0n],
      ]);
      expect((await campaign.levelTallies()).counts).to.deep.equal([1n, 2n, 0n]);
    });
  });

  describe("pledgeBatch", function () {
    describe("before the pledge deadline", function () {
      it("refuses an empty batch with EmptyBatch", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        await expect(campaign.pledgeBatch(encodePledges([]))).to.be.revertedWithCustomError(campaign, "EmptyBatch");
      });

      it("skips an invalid pledge with PledgeSkipped and applies the others", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const good = newPledgeKey();
        const bad = newPledgeKey();
        await expect(
          campaign.pledgeBatch(encodePledges([await pledgeFor(campaign, bad, 9), await pledgeFor(campaign, good, 1)])),
        )
          .to.emit(campaign, "PledgeSkipped")
          .withArgs(0n, bad.address, 3n) // SkipReason.LevelOutOfRange
          .and.to.emit(campaign, "Pledged")
          .withArgs(good.address, 1n, 0n, 0n);
        expect((await campaign.pledgeOf(good.address)).nonce).to.equal(1n);
        expect((await campaign.pledgeOf(bad.address)).nonce).to.equal(0n);
      });

      it("applies successive pledges of one key in order within a batch", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        const first = await pledgeFor(campaign, key, 1, 7n, { nonce: 0 });
        const second = await pledgeFor(campaign, key, 3, 9n, { nonce: 1 });
        await expect(campaign.pledgeBatch(encodePledges([first, second])))
          .to.emit(campaign, "Pledged")
          .withArgs(key.address, 1n, 7n, 0n)
          .and.to.emit(campaign, "PledgeChanged")
          .withArgs(key.address, 3n, 9n, 0n);
        const [counts, requested] = await campaign.levelTallies();
        expect(counts).to.deep.equal([0n, 0n, 1n]);
        expect(requested).to.deep.equal([0n, 0n, 9n]);
      });

      it("keeps exact tallies across several count words and amount blocks", async function () {
        const { campaign } = await loadFixture(longLadderFixture);
        const levels = [1, 3, 8, 9, 9, 16, 17, 20, 20, 2];
        const supports = [5n, 0n, 7n, 11n, 0n, 13n, 17n, 19n, 23n, 29n];
        const keys = levels.map(() => newPledgeKey());
        await (
          await campaign.pledgeBatch(
            encodePledges(await Promise.all(keys.map((k, i) => pledgeFor(campaign, k, levels[i], supports[i])))),
          )
        ).wait();
        // Move two of them across blocks in a second batch, one withdraws.
        await (
          await campaign.pledgeBatch(
            encodePledges([
              await pledgeFor(campaign, keys[0], 18, 5n),
              await pledgeFor(campaign, keys[6], 0),
              await pledgeFor(campaign, keys[9], 10, 30n),
            ]),
          )
        ).wait();
        const state = model.replay([
          ...keys.map((k, i) => ({
            kind: "Pledged" as const,
            pledgeKey: k.address,
            level: levels[i],
            support: supports[i],
          })),
          {
            kind: "PledgeChanged",
            pledgeKey: keys[0].address,
            level: 18,
            support: 5n,
          },
          { kind: "PledgeWithdrawn", pledgeKey: keys[6].address },
          {
            kind: "PledgeChanged",
            pledgeKey: keys[9].address,
            level: 10,
            support: 30n,
          },
        ]);
        const expected = model.tallies(20, state);
        const [counts, requested] = await campaign.levelTallies();
        expect(counts).to.deep.equal(expected.counts);
        expect(requested).to.deep.equal(expected.requested);
      });
    });

    describe("after the pledge deadline", function () {
      it("refuses batches after the deadline", async function () {
        const { campaign, params } = await loadFixture(ethCampaignFixture);
        const signed = await pledgeFor(campaign, newPledgeKey(), 1);
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.pledgeBatch(encodePledges([signed])))
          .to.be.revertedWithCustomError(campaign, "PledgeDeadlinePassed")
          .withArgs(params.pledgeDeadline);
      });
    });
  });
});
