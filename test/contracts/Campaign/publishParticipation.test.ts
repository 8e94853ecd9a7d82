/**
 * Unit tests of Campaign.sol, `publishParticipation`: the oracle's root and its window.
 */
import { expect } from "chai";
import { type Hex } from "viem";
import { ethCampaignFixture, ethers, networkHelpers, oracleResolvedFixture } from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("publishParticipation", function () {
    describe("by the oracle in its window", function () {
      it("records the root within [actionDate, actionDate + oracleWindow] and emits ParticipationPublished", async function () {
        const { campaign, oracle, tree, oracleEnd } = await loadFixture(oracleResolvedFixture);
        await time.setNextBlockTimestamp(oracleEnd);
        await expect(campaign.connect(oracle).publishParticipation(tree.root as Hex))
          .to.emit(campaign, "ParticipationPublished")
          .withArgs(tree.root);
        expect((await campaign.status()).participationRoot).to.equal(tree.root);
      });

      it("refuses a zero root and a second publication with InvalidParticipationRoot", async function () {
        const { campaign, oracle, tree, params } = await loadFixture(oracleResolvedFixture);
        await time.increaseTo(params.actionDate);
        await expect(campaign.connect(oracle).publishParticipation(ethers.ZeroHash))
          .to.be.revertedWithCustomError(campaign, "InvalidParticipationRoot")
          .withArgs(ethers.ZeroHash);
        await (await campaign.connect(oracle).publishParticipation(tree.root as Hex)).wait();
        const other = ethers.id("another set");
        await expect(campaign.connect(oracle).publishParticipation(other))
          .to.be.revertedWithCustomError(campaign, "InvalidParticipationRoot")
          .withArgs(other);
      });
    });

    describe("by anyone but the oracle", function () {
      it("refuses anyone but the oracle with NotOracle", async function () {
        const { campaign, organiser, tree, params } = await loadFixture(oracleResolvedFixture);
        await time.increaseTo(params.actionDate);
        await expect(campaign.connect(organiser).publishParticipation(tree.root as Hex))
          .to.be.revertedWithCustomError(campaign, "NotOracle")
          .withArgs(organiser.address);
      });

      it("refuses everyone on a campaign without an oracle", async function () {
        const { campaign, params } = await loadFixture(ethCampaignFixture);
        const [signer] = await ethers.getSigners();
        await time.increaseTo(params.actionDate);
        await expect(campaign.connect(signer).publishParticipation(ethers.id("root")))
          .to.be.revertedWithCustomError(campaign, "NotOracle")
          .withArgs(signer.address);
      });
    });

    describe("outside the oracle's window", function () {
      it("refuses before the action date and after the oracle window with OutsideParticipationWindow", async function () {
        const { campaign, oracle, tree, params, oracleEnd } = await loadFixture(oracleResolvedFixture);
        await time.setNextBlockTimestamp(params.actionDate - 1n);
        await expect(campaign.connect(oracle).publishParticipation(tree.root as Hex))
          .to.be.revertedWithCustomError(campaign, "OutsideParticipationWindow")
          .withArgs(params.actionDate, oracleEnd);
        await time.increaseTo(oracleEnd + 1n);
        await expect(campaign.connect(oracle).publishParticipation(tree.root as Hex))
          .to.be.revertedWithCustomError(campaign, "OutsideParticipationWindow")
          .withArgs(params.actionDate, oracleEnd);
      });
    });
  });
});
