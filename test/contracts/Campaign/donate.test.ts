/**
 * Unit tests of Campaign.sol, `donate` in ETH and in an ERC-20, and `donateWithPermit`.
 */
import { expect } from "chai";
import { PERMIT_TYPES } from "@bascule/core/signing";
import {
  chainId,
  ethCampaignFixture,
  ethers,
  fundedCampaignFixture,
  networkHelpers,
  tokenCampaignFixture,
} from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("donate", function () {
    describe("in ETH", function () {
      it("escrows the amount, emits Donated and counts it", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        const tx = campaign.connect(others[0]).donate(2, 1000n, { value: 1000n });
        await expect(tx).to.emit(campaign, "Donated").withArgs(0n, others[0].address, 2n, 1000n);
        await expect(tx).to.changeEtherBalances(ethers, [others[0], campaign], [-1000n, 1000n]);
        await expect(campaign.connect(others[1]).donate(2, 5n, { value: 5n }))
          .to.emit(campaign, "Donated")
          .withArgs(1n, others[1].address, 2n, 5n);
        expect((await campaign.status()).donationCount).to.equal(2n);
        expect((await campaign.levelTallies())[2]).to.deep.equal([0n, 1005n, 0n]);
        expect(await campaign.donationOf(0n)).to.deep.equal([others[0].address, 2n, false, 1000n]);
      });

      it("returns the new donation's id", async function () {
        const { campaign, others } = await loadFixture(fundedCampaignFixture);
        expect(await campaign.connect(others[4]).donate.staticCall(1, 9n, { value: 9n })).to.equal(3n);
      });

      it("refuses a value different from the amount with WrongValue", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        await expect(campaign.connect(others[0]).donate(1, 1000n, { value: 999n }))
          .to.be.revertedWithCustomError(campaign, "WrongValue")
          .withArgs(999n, 1000n);
      });

      it("refuses level 0 and levels above m with LevelOutOfRange", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        await expect(campaign.connect(others[0]).donate(0, 1n, { value: 1n }))
          .to.be.revertedWithCustomError(campaign, "LevelOutOfRange")
          .withArgs(0n, 3n);
        await expect(campaign.connect(others[0]).donate(4, 1n, { value: 1n }))
          .to.be.revertedWithCustomError(campaign, "LevelOutOfRange")
          .withArgs(4n, 3n);
      });

      it("refuses zero and amounts above 2^88 - 1 with InvalidDonationAmount", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        await expect(campaign.connect(others[0]).donate(1, 0n))
          .to.be.revertedWithCustomError(campaign, "InvalidDonationAmount")
          .withArgs(0n);
        await expect(campaign.connect(others[0]).donate(1, 1n << 88n))
          .to.be.revertedWithCustomError(campaign, "InvalidDonationAmount")
          .withArgs(1n << 88n);
      });

      it("refuses donations after the deadline with PledgeDeadlinePassed", async function () {
        const { campaign, others, params } = await loadFixture(ethCampaignFixture);
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.connect(others[0]).donate(1, 1n, { value: 1n }))
          .to.be.revertedWithCustomError(campaign, "PledgeDeadlinePassed")
          .withArgs(params.pledgeDeadline);
      });
    });

    describe("in an ERC-20", function () {
      it("pulls the amount by allowance", async function () {
        const { campaign, token, others } = await loadFixture(tokenCampaignFixture);
        await (await token.connect(others[0]).approve(await campaign.getAddress(), 5_000_000n)).wait();
        const tx = campaign.connect(others[0]).donate(1, 5_000_000n);
        await expect(tx).to.emit(campaign, "Donated").withArgs(0n, others[0].address, 1n, 5_000_000n);
        await expect(tx).to.changeTokenBalances(ethers, token, [others[0], campaign], [-5_000_000n, 5_000_000n]);
      });

      it("refuses ETH sent along with WrongValue", async function () {
        const { campaign, token, others } = await loadFixture(tokenCampaignFixture);
        await (await token.connect(others[0]).approve(await campaign.getAddress(), 10n)).wait();
        await expect(campaign.connect(others[0]).donate(1, 10n, { value: 10n }))
          .to.be.revertedWithCustomError(campaign, "WrongValue")
          .withArgs(10n, 0n);
      });

      it("refuses a level's donated total above 2^90 - 1 with LevelLimitExceeded", async function () {
        const { campaign, token, others } = await loadFixture(tokenCampaignFixture);
        const max = (1n << 88n) - 1n;
        await (await token.mint(others[0].address, max * 5n)).wait();
        await (await token.connect(others[0]).approve(await campaign.getAddress(), max * 5n)).wait();
        for (let i = 0; i < 4; i++) await (await campaign.connect(others[0]).donate(3, max)).wait();
        await expect(campaign.connect(others[0]).donate(3, 4n))
          .to.be.revertedWithCustomError(campaign, "LevelLimitExceeded")
          .withArgs(3n);
        await (await campaign.connect(others[0]).donate(3, 3n)).wait();
        expect((await campaign.levelTallies())[2][2]).to.equal((1n << 90n) - 1n);
      });
    });
  });

  describe("donateWithPermit", function () {
    async function permit(
      token: Awaited<ReturnType<typeof tokenCampaignFixture>>["token"],
      owner: Awaited<ReturnType<typeof ethers.getSigners>>[number],
      spender: string,
      value: bigint,
      deadline: bigint,
    ) {
      const domain = {
        name: "Test Euro",
        version: "1",
        chainId: await chainId(),
        verifyingContract: await token.getAddress(),
      };
      const types = { Permit: [...PERMIT_TYPES.Permit] };
      const nonce = await token.nonces(owner.address);
      const sig = ethers.Signature.from(
        await owner.signTypedData(domain, types, {
          owner: owner.address,
          spender,
          value,
          nonce,
          deadline,
        }),
      );
      return { v: sig.v, r: sig.r, s: sig.s };
    }

    describe("in a token campaign", function () {
      it("donates in one transaction with an EIP-2612 permit", async function () {
        const { campaign, token, others, params } = await loadFixture(tokenCampaignFixture);
        const p = await permit(token, others[0], await campaign.getAddress(), 7_000_000n, params.pledgeDeadline);
        const tx = campaign.connect(others[0]).donateWithPermit(2, 7_000_000n, params.pledgeDeadline, p.v, p.r, p.s);
        await expect(tx).to.emit(campaign, "Donated").withArgs(0n, others[0].address, 2n, 7_000_000n);
        await expect(tx).to.changeTokenBalance(ethers, token, campaign, 7_000_000n);
      });

      it("still donates when the permit was front-run, using the allowance it set", async function () {
        const { campaign, token, others, params } = await loadFixture(tokenCampaignFixture);
        const spender = await campaign.getAddress();
        const p = await permit(token, others[0], spender, 7_000_000n, params.pledgeDeadline);
        await (
          await token
            .connect(others[5])
            .permit(others[0].address, spender, 7_000_000n, params.pledgeDeadline, p.v, p.r, p.s)
        ).wait();
        await expect(campaign.connect(others[0]).donateWithPermit(1, 7_000_000n, params.pledgeDeadline, p.v, p.r, p.s))
          .to.emit(campaign, "Donated")
          .withArgs(0n, others[0].address, 1n, 7_000_000n);
      });

      it("reverts when the permit fails and no allowance is there", async function () {
        const { campaign, token, others, params } = await loadFixture(tokenCampaignFixture);
        const p = await permit(token, others[1], await campaign.getAddress(), 7_000_000n, params.pledgeDeadline);
        await expect(
          campaign.connect(others[0]).donateWithPermit(1, 7_000_000n, params.pledgeDeadline, p.v, p.r, p.s),
        ).to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance");
      });
    });

    describe("in an ETH campaign", function () {
      it("refuses an ETH campaign with NotATokenCampaign", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        await expect(
          campaign.connect(others[0]).donateWithPermit(1, 1n, 0n, 27, ethers.ZeroHash, ethers.ZeroHash),
        ).to.be.revertedWithCustomError(campaign, "NotATokenCampaign");
      });
    });
  });
});
