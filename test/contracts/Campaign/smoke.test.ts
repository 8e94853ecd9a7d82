import { encodePledges } from "@bascule/core/signing";
import { expect } from "chai";
import { ethCampaignFixture, networkHelpers, newPledgeKey, pledgeFor, ethers } from "../../helpers/fixtures.js";

describe("smoke", function () {
  it("pledges, donates, resolves", async function () {
    const { campaign, others, params } = await networkHelpers.loadFixture(ethCampaignFixture);
    const keys = [newPledgeKey(), newPledgeKey()];
    await (
      await campaign.pledgeBatch(
        encodePledges([await pledgeFor(campaign, keys[0], 1, 10n), await pledgeFor(campaign, keys[1], 1, 30n)]),
      )
    ).wait();
    await (await campaign.connect(others[0]).donate(1, 100n, { value: 100n })).wait();
    await networkHelpers.time.increaseTo(params.pledgeDeadline + 1n);
    await (await campaign.resolve()).wait();
    const s = await campaign.status();
    expect(s.tippingLevel).to.equal(1n);
    expect(s.committed).to.equal(2n);
    expect(s.triggeredDonations).to.equal(100n);
    expect(s.requestedSupport).to.equal(40n);
    expect(await ethers.provider.getBalance(await campaign.getAddress())).to.equal(100n);
  });
});
