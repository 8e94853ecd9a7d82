/**
 * Unit tests of Campaign.sol, `claim`: a triggered key's support, its fee, the claim window, the
 * participation oracle.
 */
import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, type Hex, compactSignatureToSignature, recoverTypedDataAddress } from "viem";
import * as model from "@bascule/core/model";
import { CLAIM_TYPES, type SignedClaim, campaignDomain, encodePledge, encodePledges } from "@bascule/core/signing";
import {
  ZERO,
  chainId,
  deployFactory,
  claimFor,
  Entitlement,
  ethCampaignFixture,
  ethers,
  fundedCampaignFixture,
  networkHelpers,
  newPledgeKey,
  oracleResolvedFixture,
  pledgeFor,
  resolvedCampaignFixture,
  scarceCampaignFixture,
} from "../../helpers/fixtures.js";
import { EXAMPLES, type Example, exampleCampaign, resolveAndCheck } from "./examples.js";

const { time, loadFixture } = networkHelpers;

/** The address a claim's signature recovers to on this campaign, as the contract computes it. */
async function recoverClaimSigner(campaign: string, chain: bigint, signed: SignedClaim): Promise<Address> {
  return recoverTypedDataAddress({
    domain: campaignDomain(campaign as Address, chain),
    types: CLAIM_TYPES,
    primaryType: "Claim",
    message: {
      payee: signed.payee,
      feeRecipient: signed.feeRecipient,
      maxFee: signed.maxFee,
    },
    signature: compactSignatureToSignature({
      r: signed.r,
      yParityAndS: signed.vs,
    }),
  });
}

describe("Campaign", function () {
  describe("claim", function () {
    describe("when the campaign succeeded", function () {
      it("pays floor(s · paid / R) to the signed payee and emits SupportClaimed", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        const payee = others[10].address as Address;
        const tx = campaign.connect(others[11]).claim(await claimFor(campaign, keys.a, { payee }));
        await expect(tx).to.emit(campaign, "SupportClaimed").withArgs(keys.a.address, payee, 300n, 0n);
        await expect(tx).to.changeEtherBalances(ethers, [payee, campaign], [300n, -300n]);
        expect((await campaign.pledgeOf(keys.a.address)).claimed).to.equal(true);
        expect((await campaign.status()).claimedTotal).to.equal(300n);
      });

      it("scales every claim down when donations fall short of requests", async function () {
        const { campaign, keys, others } = await loadFixture(scarceCampaignFixture);
        // F = 100, R = 400: A, who asked 300, gets floor(300 · 100 / 400) = 75.
        const expected = model.supportShare(300n, await campaign.status());
        expect(expected).to.equal(75n);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.emit(campaign, "SupportClaimed")
          .withArgs(keys.a.address, others[10].address, expected, 0n);
      });

      it("keeps the relayer's fee, up to the signed maximum, for withdrawFees", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        const payee = others[10].address as Address;
        const relayer = others[11];
        const signed = await claimFor(campaign, keys.a, {
          payee,
          feeRecipient: relayer.address as Address,
          maxFee: 20n,
          fee: 15n,
        });
        const tx = campaign.connect(relayer).claim(signed);
        await expect(tx).to.emit(campaign, "SupportClaimed").withArgs(keys.a.address, payee, 300n, 15n);
        await expect(tx).to.changeEtherBalances(ethers, [payee, campaign], [285n, -285n]);
        expect(await campaign.feesOf(relayer.address)).to.equal(15n);
      });

      it("refuses a fee above the signed maximum with FeeTooHigh", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        const signed = await claimFor(campaign, keys.a, {
          payee: others[10].address as Address,
          feeRecipient: others[11].address as Address,
          maxFee: 20n,
          fee: 21n,
        });
        await expect(campaign.claim(signed)).to.be.revertedWithCustomError(campaign, "FeeTooHigh").withArgs(21n, 20n);
      });

      it("refuses a fee above the claim itself with FeeTooHigh", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        const signed = await claimFor(campaign, keys.b, {
          payee: others[10].address as Address,
          feeRecipient: others[11].address as Address,
          maxFee: 1000n,
          fee: 101n,
        });
        await expect(campaign.claim(signed))
          .to.be.revertedWithCustomError(campaign, "FeeTooHigh")
          .withArgs(101n, 1000n);
      });

      it("refuses a fee without a fee recipient with FeeTooHigh", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        const signed = await claimFor(campaign, keys.b, {
          payee: others[10].address as Address,
          maxFee: 10n,
          fee: 1n,
        });
        await expect(campaign.claim(signed)).to.be.revertedWithCustomError(campaign, "FeeTooHigh").withArgs(1n, 10n);
      });

      it("refuses a second claim with AlreadyClaimed", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        const signed = await claimFor(campaign, keys.a, {
          payee: others[10].address as Address,
        });
        await (await campaign.claim(signed)).wait();
        await expect(campaign.claim(signed))
          .to.be.revertedWithCustomError(campaign, "AlreadyClaimed")
          .withArgs(keys.a.address);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[12].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "AlreadyClaimed")
          .withArgs(keys.a.address);
      });

      it("refuses a pledge above j* with PledgeNotTriggered", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.c, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "PledgeNotTriggered")
          .withArgs(keys.c.address);
      });

      it("refuses a key that never pledged with PledgeNotTriggered", async function () {
        const { campaign, others } = await loadFixture(resolvedCampaignFixture);
        const stranger = newPledgeKey();
        await expect(
          campaign.claim(
            await claimFor(campaign, stranger, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "PledgeNotTriggered")
          .withArgs(stranger.address);
      });

      it("refuses a zero payee with ZeroPayee", async function () {
        const { campaign, keys } = await loadFixture(resolvedCampaignFixture);
        await expect(campaign.claim(await claimFor(campaign, keys.a, { payee: ZERO }))).to.be.revertedWithCustomError(
          campaign,
          "ZeroPayee",
        );
      });

      it("refuses a beneficiary who asked for nothing with NothingToClaim", async function () {
        const { campaign, params, others } = await loadFixture(ethCampaignFixture);
        const [a, b] = [newPledgeKey(), newPledgeKey()];
        await (
          await campaign.pledgeBatch(
            encodePledges([await pledgeFor(campaign, a, 1, 0n), await pledgeFor(campaign, b, 1, 50n)]),
          )
        ).wait();
        await (await campaign.connect(others[0]).donate(1, 100n, { value: 100n })).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        await expect(
          campaign.claim(
            await claimFor(campaign, a, {
              payee: others[10].address as Address,
            }),
          ),
        ).to.be.revertedWithCustomError(campaign, "NothingToClaim");
      });

      it("refuses every claim with NothingToClaim when nobody asked for support (R = 0)", async function () {
        const { campaign, params, others } = await loadFixture(ethCampaignFixture);
        const [a, b] = [newPledgeKey(), newPledgeKey()];
        await (
          await campaign.pledgeBatch(encodePledges([await pledgeFor(campaign, a, 1), await pledgeFor(campaign, b, 1)]))
        ).wait();
        await (await campaign.connect(others[0]).donate(1, 100n, { value: 100n })).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        expect([...(await campaign.claimableSupport(a.address))]).to.deep.equal([Entitlement.None, 0n]);
        await expect(
          campaign.claim(
            await claimFor(campaign, a, {
              payee: others[10].address as Address,
            }),
          ),
        ).to.be.revertedWithCustomError(campaign, "NothingToClaim");
        // With R = 0 the whole donation is surplus, returned at once.
        await expect(campaign.connect(others[0]).reclaimDonation(0n))
          .to.emit(campaign, "SurplusReturned")
          .withArgs(0n, others[0].address, 100n);
      });

      it("refuses claims after the claim window with ClaimWindowClosed", async function () {
        const { campaign, keys, others, claimEnd } = await loadFixture(resolvedCampaignFixture);
        const signed = await claimFor(campaign, keys.a, {
          payee: others[10].address as Address,
        });
        await time.setNextBlockTimestamp(claimEnd);
        await (
          await campaign.claim(
            await claimFor(campaign, keys.b, {
              payee: others[10].address as Address,
            }),
          )
        ).wait();
        await expect(campaign.claim(signed))
          .to.be.revertedWithCustomError(campaign, "ClaimWindowClosed")
          .withArgs(claimEnd);
      });

      it("refuses a signature with its payee changed (another key recovers)", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        const signed = await claimFor(campaign, keys.a, {
          payee: others[10].address as Address,
        });
        const forged = { ...signed, payee: others[13].address as Address };
        const recovered = await recoverClaimSigner(await campaign.getAddress(), await chainId(), forged);
        expect(recovered).to.not.equal(keys.a.address);
        await expect(campaign.claim(forged))
          .to.be.revertedWithCustomError(campaign, "PledgeNotTriggered")
          .withArgs(recovered);
      });
    });

    describe("when the campaign is not resolved or failed", function () {
      it("refuses before resolution with NotResolved", async function () {
        const { campaign, keys, others } = await loadFixture(fundedCampaignFixture);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          ),
        ).to.be.revertedWithCustomError(campaign, "NotResolved");
      });

      it("refuses when the campaign failed with CampaignFailed", async function () {
        const { campaign, params, others } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 10n)))).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        await expect(
          campaign.claim(
            await claimFor(campaign, key, {
              payee: others[10].address as Address,
            }),
          ),
        ).to.be.revertedWithCustomError(campaign, "CampaignFailed");
      });
    });

    describe("with conditions", function () {
      async function conditionsFixture() {
        const base = await deployFactory();
        return { ...base, donors: base.others.slice(0, 3), payee: base.others[10].address as Address };
      }

      it("refuses a pledge at a level <= j* whose condition is not met with PledgeNotTriggered (E4)", async function () {
        const { factory, organiser, donors, payee } = await loadFixture(conditionsFixture);
        const { campaign, keys, params } = await exampleCampaign(factory, organiser, donors, EXAMPLES.E4);
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        // (3, 9, class 2): level 3 = j*, but only the class-2 bucket at level 2 was bound (j*_k = 2).
        const out = keys[5];
        expect((await campaign.pledgeOf(out.address)).level).to.equal((await campaign.status()).tippingLevel);
        expect(await campaign.isBound(out.address)).to.equal(false);
        expect([...(await campaign.claimableSupport(out.address))]).to.deep.equal([Entitlement.None, 0n]);
        await expect(campaign.claim(await claimFor(campaign, out, { payee })))
          .to.be.revertedWithCustomError(campaign, "PledgeNotTriggered")
          .withArgs(out.address);
        // (2, 2, class 2) is bound: all of its request, 2, of which a relayer keeps the fee it signed for.
        const bound = keys[0];
        const relayer = (await ethers.getSigners())[12].address as Address;
        await expect(
          campaign.claim(await claimFor(campaign, bound, { payee, feeRecipient: relayer, maxFee: 1n, fee: 1n })),
        )
          .to.emit(campaign, "SupportClaimed")
          .withArgs(bound.address, payee, 2n, 1n);
        expect(await campaign.feesOf(relayer)).to.equal(1n);
      });

      it("pays a bound class-1/2 pledge at least half of its request when money is short", async function () {
        const { factory, organiser, donors, payee } = await loadFixture(conditionsFixture);
        // Ladder [1]; (1, 10, class 1) and (1, 10, class 0); 12 donated: 12 * 10,000 >= 5,000 * 20.
        const example: Example = {
          ladder: [1],
          pledges: [
            [1, 10n, 1],
            [1, 10n, 0],
          ],
          donations: [[1, 12n]],
        };
        const { campaign, keys } = await exampleCampaign(factory, organiser, donors, example);
        const r = await resolveAndCheck(
          campaign,
          keys,
          example,
          {
            tippingLevel: 1,
            committed: 2n,
            triggered: 12n,
            requested: 20n,
            paid: 12n,
            boundCondition: 1,
            boundConditionLevel: 1,
            bound: [0, 1],
          },
          payee,
        );
        expect(model.supportShare(10n, r)).to.equal(6n); // >= floor(5,000 * 10 / 10,000) = 5
        expect(model.coverage(r)).to.equal(6_000);
      });
    });

    describe("with a participation oracle", function () {
      it("waits for the oracle during its window with ParticipationPending", async function () {
        const { campaign, keys, others, oracleEnd } = await loadFixture(oracleResolvedFixture);
        await time.setNextBlockTimestamp(oracleEnd);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "ParticipationPending")
          .withArgs(oracleEnd);
      });

      it("pays no support without proof once the oracle window closed unpublished", async function () {
        const { campaign, keys, others, oracleEnd } = await loadFixture(oracleResolvedFixture);
        const claim = await claimFor(campaign, keys.a, { payee: others[10].address as Address });
        await time.increaseTo(oracleEnd - 1n);
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([Entitlement.Pending, 300n]);
        await expect(campaign.claim(claim))
          .to.be.revertedWithCustomError(campaign, "ParticipationPending")
          .withArgs(oracleEnd);
        await time.increaseTo(oracleEnd + 1n);
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([Entitlement.None, 0n]);
        await expect(campaign.claim(claim)).to.be.revertedWithCustomError(campaign, "ParticipationMissing");
      });

      it("pays a participant proving membership in the published set", async function () {
        const { campaign, keys, others, oracle, tree, params } = await loadFixture(oracleResolvedFixture);
        await time.increaseTo(params.actionDate);
        await (await campaign.connect(oracle).publishParticipation(tree.root as Hex)).wait();
        const proof = tree.getProof([keys.b.address]) as Hex[];
        // The view says a proof is needed (it cannot check membership itself).
        const [state, amount] = await campaign.claimableSupport(keys.b.address);
        expect(state).to.equal(Entitlement.NeedsProof);
        expect(amount).to.be.greaterThan(0n);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.b, {
              payee: others[10].address as Address,
              proof,
            }),
          ),
        )
          .to.emit(campaign, "SupportClaimed")
          .withArgs(keys.b.address, others[10].address, 100n, 0n);
      });

      it("refuses a missing or wrong proof once published with NotAParticipant", async function () {
        const { campaign, keys, others, oracle, params } = await loadFixture(oracleResolvedFixture);
        const onlyB = StandardMerkleTree.of([[keys.b.address], [others[0].address]], ["address"]);
        await time.increaseTo(params.actionDate);
        await (await campaign.connect(oracle).publishParticipation(onlyB.root as Hex)).wait();
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "NotAParticipant")
          .withArgs(keys.a.address);
        const proofOfB = onlyB.getProof([keys.b.address]) as Hex[];
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
              proof: proofOfB,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "NotAParticipant")
          .withArgs(keys.a.address);
      });

      it("still requires the proof after the oracle window when a root was published", async function () {
        const { campaign, keys, others, oracle, params, oracleEnd, tree } = await loadFixture(oracleResolvedFixture);
        const onlyB = StandardMerkleTree.of([[keys.b.address], [others[0].address]], ["address"]);
        await time.increaseTo(params.actionDate);
        await (await campaign.connect(oracle).publishParticipation(onlyB.root as Hex)).wait();
        await time.increaseTo(oracleEnd + 1n);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
              proof: tree.getProof([keys.a.address]) as Hex[],
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "NotAParticipant")
          .withArgs(keys.a.address);
      });
    });
  });
});
