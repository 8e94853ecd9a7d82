/**
 * Unit tests of Campaign.sol, `reclaimDonation`: refunds, surplus and the unclaimed remainder.
 */
import { expect } from "chai";
import type { Address } from "viem";
import * as model from "@bascule/core/model";
import {
  balanceOf,
  claimFor,
  Entitlement,
  ethCampaignFixture,
  ethers,
  fundedCampaignFixture,
  networkHelpers,
  resolvedCampaignFixture,
  scarceCampaignFixture,
  tokenCampaignFixture,
} from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("reclaimDonation", function () {
    describe("before resolution", function () {
      it("refuses before resolution with NotResolved", async function () {
        const { campaign, donors } = await loadFixture(fundedCampaignFixture);
        await expect(campaign.connect(donors.d0).reclaimDonation(0n)).to.be.revertedWithCustomError(
          campaign,
          "NotResolved",
        );
      });
    });

    describe("with a wrong caller or donation", function () {
      it("refuses anyone but the donor with NotDonor", async function () {
        const { campaign, organiser } = await loadFixture(resolvedCampaignFixture);
        await expect(campaign.connect(organiser).reclaimDonation(2n))
          .to.be.revertedWithCustomError(campaign, "NotDonor")
          .withArgs(2n, organiser.address);
      });

      it("refuses unknown donations with UnknownDonation", async function () {
        const { campaign, donors } = await loadFixture(resolvedCampaignFixture);
        await expect(campaign.connect(donors.d0).reclaimDonation(9n))
          .to.be.revertedWithCustomError(campaign, "UnknownDonation")
          .withArgs(9n);
      });
    });

    describe("when the campaign failed", function () {
      it("refunds every donation in full when no level is reached", async function () {
        const { campaign, params, others } = await loadFixture(ethCampaignFixture);
        await (await campaign.connect(others[0]).donate(1, 50n, { value: 50n })).wait();
        await (await campaign.connect(others[1]).donate(3, 70n, { value: 70n })).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        const tx = campaign.connect(others[0]).reclaimDonation(0n);
        await expect(tx).to.emit(campaign, "DonationRefunded").withArgs(0n, others[0].address, 50n);
        await expect(tx).to.changeEtherBalances(ethers, [others[0], campaign], [50n, -50n]);
        await expect(campaign.connect(others[1]).reclaimDonation(1n))
          .to.emit(campaign, "DonationRefunded")
          .withArgs(1n, others[1].address, 70n);
        expect(await balanceOf(campaign)).to.equal(0n);
        await expect(campaign.connect(others[1]).reclaimDonation(1n))
          .to.be.revertedWithCustomError(campaign, "UnknownDonation")
          .withArgs(1n);
      });
    });

    describe("when the campaign succeeded", function () {
      it("refunds a donation above j* in full, once", async function () {
        const { campaign, donors } = await loadFixture(resolvedCampaignFixture);
        const tx = campaign.connect(donors.d2).reclaimDonation(2n);
        await expect(tx).to.emit(campaign, "DonationRefunded").withArgs(2n, donors.d2.address, 200n);
        await expect(tx).to.changeEtherBalance(ethers, donors.d2, 200n);
        await expect(campaign.connect(donors.d2).reclaimDonation(2n))
          .to.be.revertedWithCustomError(campaign, "UnknownDonation")
          .withArgs(2n);
      });

      it("returns a triggered donation's surplus share at once, only once", async function () {
        const { campaign, donors } = await loadFixture(resolvedCampaignFixture);
        const surplus = model.surplusShare(700n, {
          triggeredDonations: 1033n,
          requestedSupport: 400n,
        });
        expect(surplus).to.equal(428n); // floor(700 · 633 / 1033)
        expect([...(await campaign.reclaimable(0n))]).to.deep.equal([Entitlement.Due, surplus]);
        const tx = campaign.connect(donors.d0).reclaimDonation(0n);
        await expect(tx).to.emit(campaign, "SurplusReturned").withArgs(0n, donors.d0.address, surplus);
        await expect(tx).to.changeEtherBalance(ethers, donors.d0, surplus);
        expect(await campaign.donationOf(0n)).to.deep.equal([donors.d0.address, 1n, true, 700n]);
        // The surplus was taken; the remainder share waits for the claim window.
        expect((await campaign.reclaimable(0n))[0]).to.equal(Entitlement.Pending);
        await expect(campaign.connect(donors.d0).reclaimDonation(0n)).to.be.revertedWithCustomError(
          campaign,
          "NothingToClaim",
        );
      });

      it("returns the share of unclaimed support after the claim window, then forgets the donation", async function () {
        const { campaign, donors, keys, others, claimEnd } = await loadFixture(resolvedCampaignFixture);
        await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
        await (
          await campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          )
        ).wait();
        await time.increaseTo(claimEnd + 1n);
        const r = { triggeredDonations: 1033n, requestedSupport: 400n };
        const remainder = model.remainderShare(700n, r, 300n);
        expect(remainder).to.equal(67n); // floor(700 · 100 / 1033)
        await expect(campaign.connect(donors.d0).reclaimDonation(0n))
          .to.emit(campaign, "RemainderReturned")
          .withArgs(0n, donors.d0.address, remainder)
          .and.not.to.emit(campaign, "SurplusReturned");
        await expect(campaign.connect(donors.d0).reclaimDonation(0n))
          .to.be.revertedWithCustomError(campaign, "UnknownDonation")
          .withArgs(0n);
      });

      it("returns surplus and remainder together when the donor comes only after the window", async function () {
        const { campaign, donors, claimEnd } = await loadFixture(resolvedCampaignFixture);
        await time.increaseTo(claimEnd + 1n);
        const r = { triggeredDonations: 1033n, requestedSupport: 400n };
        const surplus = model.surplusShare(333n, r);
        const remainder = model.remainderShare(333n, r, 0n);
        expect([...(await campaign.reclaimable(1n))]).to.deep.equal([Entitlement.Due, surplus + remainder]);
        const tx = campaign.connect(donors.d1).reclaimDonation(1n);
        await expect(tx)
          .to.emit(campaign, "SurplusReturned")
          .withArgs(1n, donors.d1.address, surplus)
          .and.to.emit(campaign, "RemainderReturned")
          .withArgs(1n, donors.d1.address, remainder);
        await expect(tx).to.changeEtherBalance(ethers, donors.d1, surplus + remainder);
      });

      it("has nothing to return before the window when every wei goes to support", async function () {
        const { campaign, others } = await loadFixture(scarceCampaignFixture);
        await expect(campaign.connect(others[0]).reclaimDonation(0n)).to.be.revertedWithCustomError(
          campaign,
          "NothingToClaim",
        );
      });

      it("has nothing to return after the window when everything was claimed", async function () {
        const { campaign, others, keys, claimEnd } = await loadFixture(scarceCampaignFixture);
        await (
          await campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          )
        ).wait();
        await (
          await campaign.claim(
            await claimFor(campaign, keys.b, {
              payee: others[10].address as Address,
            }),
          )
        ).wait();
        await time.increaseTo(claimEnd + 1n);
        expect(await balanceOf(campaign)).to.equal(0n);
        await expect(campaign.connect(others[0]).reclaimDonation(0n)).to.be.revertedWithCustomError(
          campaign,
          "NothingToClaim",
        );
      });
    });

    describe("in an ERC-20", function () {
      it("pays token donations back in the token", async function () {
        const { campaign, token, others, params } = await loadFixture(tokenCampaignFixture);
        await (await token.connect(others[0]).approve(await campaign.getAddress(), 10n)).wait();
        await (await campaign.connect(others[0]).donate(1, 10n)).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        await expect(campaign.connect(others[0]).reclaimDonation(0n)).to.changeTokenBalance(
          ethers,
          token,
          others[0],
          10n,
        );
      });
    });
  });
});
