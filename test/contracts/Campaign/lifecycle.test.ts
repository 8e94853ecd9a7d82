/**
 * Unit tests of Campaign.sol, a whole lifecycle in numbers: what comes in goes out, beyond rounding
 * dust.
 */
import { expect } from "chai";
import type { Address } from "viem";
import { balanceOf, claimFor, networkHelpers, resolvedCampaignFixture } from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("lifecycle in numbers", function () {
    it("pays out exactly what came in, beyond rounding dust, across every path", async function () {
      const { campaign, donors, keys, others, claimEnd } = await loadFixture(resolvedCampaignFixture);
      const payee = others[10].address as Address;
      await (await campaign.connect(donors.d2).reclaimDonation(2n)).wait();
      await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
      await (await campaign.claim(await claimFor(campaign, keys.a, { payee }))).wait();
      await time.increaseTo(claimEnd + 1n);
      await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
      await (await campaign.connect(donors.d1).reclaimDonation(1n)).wait();
      const left = await balanceOf(campaign);
      // B's 100 wei went unclaimed and is shared 700:333 among two donations: at most 1 wei each of dust.
      expect(left <= 2n).to.equal(true);
    });
  });
});
