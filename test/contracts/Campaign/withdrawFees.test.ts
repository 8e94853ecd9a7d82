/**
 * Unit tests of Campaign.sol, `withdrawFees`: the fees relayers earned on claims.
 */
import { expect } from "chai";
import type { Address } from "viem";
import { claimFor, ethers, networkHelpers, resolvedCampaignFixture } from "../../helpers/fixtures.js";

const { loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("withdrawFees", function () {
    describe("with fees credited", function () {
      it("pays the fees credited to the caller once and emits FeesWithdrawn", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        const relayer = others[11];
        for (const key of [keys.a, keys.b]) {
          const signed = await claimFor(campaign, key, {
            payee: others[10].address as Address,
            feeRecipient: relayer.address as Address,
            maxFee: 10n,
            fee: 10n,
          });
          await (await campaign.claim(signed)).wait();
        }
        expect(await campaign.feesOf(relayer.address)).to.equal(20n);
        const tx = campaign.connect(relayer).withdrawFees();
        await expect(tx).to.emit(campaign, "FeesWithdrawn").withArgs(relayer.address, 20n);
        await expect(tx).to.changeEtherBalances(ethers, [relayer, campaign], [20n, -20n], { includeFee: false });
        expect(await campaign.feesOf(relayer.address)).to.equal(0n);
        await expect(campaign.connect(relayer).withdrawFees()).to.be.revertedWithCustomError(
          campaign,
          "NothingToClaim",
        );
      });
    });

    describe("with no fees", function () {
      it("refuses a caller with no fees with NothingToClaim", async function () {
        const { campaign, organiser } = await loadFixture(resolvedCampaignFixture);
        await expect(campaign.connect(organiser).withdrawFees()).to.be.revertedWithCustomError(
          campaign,
          "NothingToClaim",
        );
      });
    });
  });
});
