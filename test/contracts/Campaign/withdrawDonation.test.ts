/**
 * Unit tests of Campaign.sol, `withdrawDonation`: a donor takes a donation back before the pledge
 * deadline.
 */
import { expect } from "chai";
import { ZERO, ethers, fundedCampaignFixture, networkHelpers, tokenCampaignFixture } from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("withdrawDonation", function () {
    describe("before the pledge deadline", function () {
      it("pays the donor back in full before the deadline and lowers the tallies", async function () {
        const { campaign, donors } = await loadFixture(fundedCampaignFixture);
        const tx = campaign.connect(donors.d1).withdrawDonation(1n);
        await expect(tx).to.emit(campaign, "DonationWithdrawn").withArgs(1n, donors.d1.address, 333n);
        await expect(tx).to.changeEtherBalances(ethers, [donors.d1, campaign], [333n, -333n]);
        expect((await campaign.levelTallies())[2]).to.deep.equal([700n, 200n, 0n]);
        expect(await campaign.donationOf(1n)).to.deep.equal([ZERO, 0n, false, 0n]);
      });

      it("pays a token donation back in the token", async function () {
        const { campaign, token, others } = await loadFixture(tokenCampaignFixture);
        await (await token.connect(others[0]).approve(await campaign.getAddress(), 10n)).wait();
        await (await campaign.connect(others[0]).donate(1, 10n)).wait();
        await expect(campaign.connect(others[0]).withdrawDonation(0n)).to.changeTokenBalances(
          ethers,
          token,
          [others[0], campaign],
          [10n, -10n],
        );
      });

      it("refuses anyone but the donor with NotDonor", async function () {
        const { campaign, donors, organiser } = await loadFixture(fundedCampaignFixture);
        await expect(campaign.connect(organiser).withdrawDonation(0n))
          .to.be.revertedWithCustomError(campaign, "NotDonor")
          .withArgs(0n, organiser.address);
        await expect(campaign.connect(donors.d1).withdrawDonation(0n))
          .to.be.revertedWithCustomError(campaign, "NotDonor")
          .withArgs(0n, donors.d1.address);
      });

      it("refuses unknown and already withdrawn donations with UnknownDonation", async function () {
        const { campaign, donors } = await loadFixture(fundedCampaignFixture);
        await expect(campaign.connect(donors.d0).withdrawDonation(3n))
          .to.be.revertedWithCustomError(campaign, "UnknownDonation")
          .withArgs(3n);
        await (await campaign.connect(donors.d0).withdrawDonation(0n)).wait();
        await expect(campaign.connect(donors.d0).withdrawDonation(0n))
          .to.be.revertedWithCustomError(campaign, "UnknownDonation")
          .withArgs(0n);
      });
    });

    describe("after the pledge deadline", function () {
      it("refuses withdrawals after the deadline with PledgeDeadlinePassed", async function () {
        const { campaign, donors, params } = await loadFixture(fundedCampaignFixture);
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.connect(donors.d0).withdrawDonation(0n))
          .to.be.revertedWithCustomError(campaign, "PledgeDeadlinePassed")
          .withArgs(params.pledgeDeadline);
      });
    });
  });
});
