/**
 * Unit tests of Campaign.sol, `resolve`: the tipping level j*, P, F, R and what is paid.
 */
import { encodePledge, encodePledges } from "@bascule/core/signing";
import { expect } from "chai";
import * as model from "@bascule/core/model";
import {
  ethCampaignFixture,
  fundedCampaignFixture,
  longLadderFixture,
  networkHelpers,
  newPledgeKey,
  pledgeFor,
  resolvedCampaignFixture,
} from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("resolve", function () {
    describe("before the pledge deadline", function () {
      it("refuses before the deadline has passed with PledgeDeadlineNotPassed", async function () {
        const { campaign, params } = await loadFixture(fundedCampaignFixture);
        await time.setNextBlockTimestamp(params.pledgeDeadline);
        await expect(campaign.resolve())
          .to.be.revertedWithCustomError(campaign, "PledgeDeadlineNotPassed")
          .withArgs(params.pledgeDeadline);
      });
    });

    describe("after the pledge deadline", function () {
      it("fails the campaign when no level is reached", async function () {
        const { campaign, params, others } = await loadFixture(ethCampaignFixture);
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 1, 10n)))).wait();
        await (await campaign.connect(others[0]).donate(1, 50n, { value: 50n })).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.connect(others[9]).resolve())
          .to.emit(campaign, "CampaignResolved")
          .withArgs(0n, 0n, 0n, 0n, 0n, 0n, 0n);
        const s = await campaign.status();
        expect([s.phase, s.tippingLevel, s.committed]).to.deep.equal([2n, 0n, 0n]);
      });

      it("records j*, P, F, R and emits paid = min(F, R)", async function () {
        const { campaign, params } = await loadFixture(fundedCampaignFixture);
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.resolve())
          .to.emit(campaign, "CampaignResolved")
          .withArgs(1n, 2n, 1033n, 400n, 400n, 0n, 1n);
        const s = await campaign.status();
        expect([s.phase, s.tippingLevel, s.committed, s.triggeredDonations, s.requestedSupport]).to.deep.equal([
          2n,
          1n,
          2n,
          1033n,
          400n,
        ]);
      });

      it("takes the greatest self-consistent level, not the cascade from zero", async function () {
        const { campaign, params } = await loadFixture(ethCampaignFixture);
        // Ten people at level 3 (L_3 = 10) and one at level 1 (L_1 = 2): C(1) = 1 < 2, C(3) = 11 >= 10.
        const keys = Array.from({ length: 11 }, () => newPledgeKey());
        await (
          await campaign.pledgeBatch(
            encodePledges(await Promise.all(keys.map((k, i) => pledgeFor(campaign, k, i === 0 ? 1 : 3, 1n)))),
          )
        ).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.resolve()).to.emit(campaign, "CampaignResolved").withArgs(3n, 11n, 0n, 11n, 0n, 0n, 3n);
      });

      for (const tipping of [3, 10, 15, 20]) {
        it(`sums F and R exactly up to level ${tipping} of a 20-level ladder`, async function () {
          const { campaign, params, others } = await loadFixture(longLadderFixture);
          const keys = Array.from({ length: tipping }, () => newPledgeKey());
          const levelOf = (i: number) => (i % 2 === 0 ? tipping : 1 + (i % tipping));
          await (
            await campaign.pledgeBatch(
              encodePledges(
                await Promise.all(keys.map((k, i) => pledgeFor(campaign, k, levelOf(i), BigInt(i + 1) * 10n))),
              ),
            )
          ).wait();
          for (const level of [1, 2, 8, 9, 10, 14, 15, 16, 17, 20]) {
            await (
              await campaign.connect(others[0]).donate(level, BigInt(level) * 1000n, {
                value: BigInt(level) * 1000n,
              })
            ).wait();
          }
          await time.increaseTo(params.pledgeDeadline + 1n);
          await (await campaign.resolve()).wait();
          const [counts, requested, donated] = await campaign.levelTallies();
          const expected = model.resolve(params.ladder, {
            counts,
            requested,
            donated,
          });
          expect(expected.tippingLevel).to.equal(tipping);
          const s = await campaign.status();
          expect([s.tippingLevel, s.committed, s.triggeredDonations, s.requestedSupport]).to.deep.equal([
            BigInt(expected.tippingLevel),
            expected.committed,
            expected.triggeredDonations,
            expected.requestedSupport,
          ]);
        });
      }
    });

    describe("once resolved", function () {
      it("refuses a second resolution with AlreadyResolved", async function () {
        const { campaign } = await loadFixture(resolvedCampaignFixture);
        await expect(campaign.resolve()).to.be.revertedWithCustomError(campaign, "AlreadyResolved");
      });
    });
  });
});
