/**
 * Unit tests of Campaign.sol, `pledge` and `pledgeBatch`: new pledges, changes and withdrawals,
 * signatures, vouchers, the tallies' limits.
 */
import { encodePledge, encodePledges } from "@bascule/core/signing";
import { expect } from "chai";
import type { Hex } from "viem";
import * as model from "@bascule/core/model";
import {
  attestedCampaignFixture,
  balanceOf,
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
