/**
 * Unit tests of Campaign.sol, `initialize`, and the implementation itself, which holds no campaign.
 */
import { expect } from "chai";
import { ethCampaignFixture, ethers, networkHelpers } from "../../helpers/fixtures.js";

const { loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("initialize", function () {
    it("refuses any caller but the factory", async function () {
      const { campaign, organiser } = await loadFixture(ethCampaignFixture);
      await expect(campaign.connect(organiser).initialize())
        .to.be.revertedWithCustomError(campaign, "NotFactory")
        .withArgs(organiser.address);
    });

    it("refuses a second call by the factory itself, and a first one on the implementation", async function () {
      const { campaign, factory } = await loadFixture(ethCampaignFixture);
      const factoryAddress = await factory.getAddress();
      await networkHelpers.impersonateAccount(factoryAddress);
      await networkHelpers.setBalance(factoryAddress, ethers.parseEther("1"));
      const asFactory = await ethers.getSigner(factoryAddress);
      await expect(campaign.connect(asFactory).initialize()).to.be.revertedWithCustomError(
        campaign,
        "InvalidInitialization",
      );
      const implementation = await ethers.getContractAt("Campaign", await factory.implementation());
      await expect(implementation.connect(asFactory).initialize()).to.be.revertedWithCustomError(
        implementation,
        "InvalidInitialization",
      );
      await networkHelpers.stopImpersonatingAccount(factoryAddress);
    });

    it("leaves the campaign open after creation", async function () {
      const { campaign, factory } = await loadFixture(ethCampaignFixture);
      expect((await campaign.status()).phase).to.equal(1n);
      expect(await campaign.FACTORY()).to.equal(await factory.getAddress());
    });
  });

  describe("implementation", function () {
    it("holds no campaign: every call on the implementation itself reverts", async function () {
      const { factory, others } = await loadFixture(ethCampaignFixture);
      const implementation = await ethers.getContractAt("Campaign", await factory.implementation());
      const self = await implementation.getAddress();
      await expect(implementation.connect(others[0]).initialize())
        .to.be.revertedWithCustomError(implementation, "NotFactory")
        .withArgs(others[0].address);
      await expect(implementation.connect(others[0]).donate(1, 1n, { value: 1n }))
        .to.be.revertedWithCustomError(implementation, "NotFactory")
        .withArgs(self);
      await expect(implementation.resolve()).to.be.revertedWithCustomError(implementation, "NotFactory").withArgs(self);
      await expect(implementation.parameters()).to.be.revertedWithCustomError(implementation, "NotFactory");
    });
  });
});
