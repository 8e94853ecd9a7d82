/**
 * A stablecoin whose issuer freezes the escrow (issue 20): Circle's EURC (FiatToken: a blacklister
 * and a pauser) and Monerium's EURe (a blacklist) can make every transfer from or to an address
 * revert. RevertingToken (contracts/test/TestTokens.sol) stands for it: frozen, all its transfers
 * revert. What a freeze does to claims: nothing is lost while it lasts, but the claim window runs.
 */
import { expect } from "chai";
import type { Address } from "viem";
import { encodePledges } from "@bascule/core/signing";
import {
  Entitlement,
  claimFor,
  createCampaign,
  defaultParams,
  deployFactory,
  ethers,
  networkHelpers,
  newPledgeKey,
  pledgeFor,
} from "../../helpers/fixtures.js";

const { loadFixture, time } = networkHelpers;

/** A campaign in a freezable token: keys A (asks 300) and B (asks 100) at level 1, 1,000 donated at level 1, resolved. */
async function frozenTokenFixture() {
  const base = await deployFactory();
  const token = await ethers.deployContract("RevertingToken");
  const params = await defaultParams({ token: await token.getAddress(), supportCap: 1000n });
  const campaign = await createCampaign(base.factory, base.organiser, params);
  const [a, b] = [newPledgeKey(), newPledgeKey()];
  await (
    await campaign.pledgeBatch(
      encodePledges([await pledgeFor(campaign, a, 1, 300n), await pledgeFor(campaign, b, 1, 100n)]),
    )
  ).wait();
  const donor = base.others[0];
  await (await token.mint(donor.address, 1000n)).wait();
  await (await token.connect(donor).approve(await campaign.getAddress(), 1000n)).wait();
  await (await campaign.connect(donor).donate(1, 1000n)).wait();
  await time.increaseTo(params.pledgeDeadline + 1n);
  await (await campaign.resolve()).wait();
  const [, claimEnd] = await campaign.windows();
  return { ...base, token, params, campaign, keys: { a, b }, donor, claimEnd };
}

describe("Campaign: an escrow its token's issuer freezes", function () {
  it("refuses claims while frozen without marking them, and pays them once the freeze is lifted", async function () {
    const { token, campaign, keys, others } = await loadFixture(frozenTokenFixture);
    const payee = others[5].address as Address;
    await (await token.setFrozen(true)).wait();
    await expect(campaign.claim(await claimFor(campaign, keys.a, { payee }))).to.be.revertedWithCustomError(
      token,
      "Frozen",
    );
    expect((await campaign.pledgeOf(keys.a.address)).claimed).to.equal(false);
    expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([Entitlement.Due, 300n]);
    await (await token.setFrozen(false)).wait();
    await (await campaign.claim(await claimFor(campaign, keys.a, { payee }))).wait();
    expect(await token.balanceOf(payee)).to.equal(300n);
  });

  it("lets a freeze outlast the claim window: the support not claimed goes back to the donor", async function () {
    const { token, campaign, keys, others, donor, claimEnd } = await loadFixture(frozenTokenFixture);
    await (await campaign.claim(await claimFor(campaign, keys.a, { payee: others[5].address as Address }))).wait();
    await (await token.setFrozen(true)).wait();
    await time.increaseTo(claimEnd + 1n);
    await (await token.setFrozen(false)).wait();
    // B's 100 can no longer be claimed; the donor takes back everything not paid out.
    await expect(campaign.claim(await claimFor(campaign, keys.b, { payee: others[6].address as Address })))
      .to.be.revertedWithCustomError(campaign, "ClaimWindowClosed")
      .withArgs(claimEnd);
    expect([...(await campaign.claimableSupport(keys.b.address))]).to.deep.equal([Entitlement.Expired, 100n]);
    await (await campaign.connect(donor).reclaimDonation(0n)).wait();
    expect(await token.balanceOf(donor.address)).to.equal(700n);
  });
});
