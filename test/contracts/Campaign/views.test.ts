/**
 * Unit tests of Campaign.sol, the views: parameters, windows, EIP-712 domain and type hashes,
 * `claimableSupport`, `reclaimable`.
 */
import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, hashDomain } from "viem";
import * as model from "@bascule/core/model";
import { PLEDGE_TYPES, campaignDomain } from "@bascule/core/signing";
import {
  chainId,
  claimFor,
  Entitlement,
  ethCampaignFixture,
  ethers,
  fundedCampaignFixture,
  networkHelpers,
  newPledgeKey,
  oracleCampaignFixture,
  resolvedCampaignFixture,
} from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("views", function () {
    it("parameters returns every creation parameter and the organiser", async function () {
      const { campaign, params, organiser } = await loadFixture(oracleCampaignFixture);
      const [p, who] = await campaign.parameters();
      expect(who).to.equal(organiser.address);
      expect([
        p.token,
        p.pledgeDeadline,
        p.actionDate,
        p.oracleWindow,
        p.claimWindow,
        p.supportCap,
        p.attester,
        p.oracle,
        p.metadataHash,
        [...p.ladder],
      ]).to.deep.equal([
        params.token,
        params.pledgeDeadline,
        params.actionDate,
        params.oracleWindow,
        params.claimWindow,
        params.supportCap,
        params.attester,
        params.oracle,
        params.metadataHash,
        params.ladder.map(BigInt),
      ]);
    });

    it("windows gives the oracle's end and the claim window's end", async function () {
      const o = await loadFixture(oracleCampaignFixture);
      const oracleEnd = o.params.actionDate + o.params.oracleWindow;
      expect(await o.campaign.windows()).to.deep.equal([oracleEnd, oracleEnd + o.params.claimWindow]);
      const e = await loadFixture(ethCampaignFixture);
      expect(await e.campaign.windows()).to.deep.equal([0n, e.params.actionDate + e.params.claimWindow]);
    });

    it("domainSeparator is the EIP-712 domain {Bascule, 1, chainId, campaign}", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const address = (await campaign.getAddress()) as Address;
      expect(await campaign.domainSeparator()).to.equal(
        hashDomain({
          domain: campaignDomain(address, await chainId()),
          types: {
            EIP712Domain: [
              { name: "name", type: "string" },
              { name: "version", type: "string" },
              { name: "chainId", type: "uint256" },
              { name: "verifyingContract", type: "address" },
            ],
          },
        }),
      );
    });

    it("participationLeaf is the StandardMerkleTree leaf of the key", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const key = newPledgeKey().address;
      const tree = StandardMerkleTree.of([[key]], ["address"]);
      expect(await campaign.participationLeaf(key)).to.equal(tree.leafHash([key]));
    });

    it("exposes the EIP-712 type hashes", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      expect(await campaign.PLEDGE_TYPEHASH()).to.equal(
        ethers.id("Pledge(uint8 level,uint128 support,uint8 condition,uint32 nonce)"),
      );
      // The type the dApp signs (core signing's PLEDGE_TYPES) is this one, field for field.
      const fields = PLEDGE_TYPES.Pledge.map((f) => `${f.type} ${f.name}`).join(",");
      expect(await campaign.PLEDGE_TYPEHASH()).to.equal(ethers.id(`Pledge(${fields})`));
      expect(await campaign.VOUCHER_TYPEHASH()).to.equal(ethers.id("Voucher(address pledgeKey)"));
      expect(await campaign.CLAIM_TYPEHASH()).to.equal(
        ethers.id("Claim(address payee,address feeRecipient,uint256 maxFee)"),
      );
    });

    describe("claimableSupport", function () {
      it("is Pending before resolution for a pledge asking support, None otherwise", async function () {
        const { campaign, keys } = await loadFixture(fundedCampaignFixture);
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([Entitlement.Pending, 0n]);
        expect([...(await campaign.claimableSupport(newPledgeKey().address))]).to.deep.equal([Entitlement.None, 0n]);
      });

      it("is the support share of a triggered key, 0 above j*, for strangers and after claiming", async function () {
        const { campaign, keys, others } = await loadFixture(resolvedCampaignFixture);
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([Entitlement.Due, 300n]);
        expect([...(await campaign.claimableSupport(keys.c.address))]).to.deep.equal([Entitlement.None, 0n]);
        expect([...(await campaign.claimableSupport(newPledgeKey().address))]).to.deep.equal([Entitlement.None, 0n]);
        await (
          await campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          )
        ).wait();
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([Entitlement.Taken, 300n]);
      });

      it("is Due in the claim window's last second and Expired after it", async function () {
        const { campaign, keys, claimEnd } = await loadFixture(resolvedCampaignFixture);
        const [, amount] = await campaign.claimableSupport(keys.b.address);
        await time.increaseTo(claimEnd);
        expect([...(await campaign.claimableSupport(keys.b.address))]).to.deep.equal([Entitlement.Due, amount]);
        await time.increaseTo(claimEnd + 1n);
        expect([...(await campaign.claimableSupport(keys.b.address))]).to.deep.equal([Entitlement.Expired, amount]);
      });
    });

    describe("reclaimable", function () {
      it("is Pending before resolution, None for unknown donations, Taken once paid back", async function () {
        const { campaign } = await loadFixture(fundedCampaignFixture);
        expect([...(await campaign.reclaimable(0n))]).to.deep.equal([Entitlement.Pending, 0n]);
        const resolved = await loadFixture(resolvedCampaignFixture);
        expect([...(await resolved.campaign.reclaimable(42n))]).to.deep.equal([Entitlement.None, 0n]);
        await (await resolved.campaign.connect(resolved.donors.d2).reclaimDonation(2n)).wait();
        expect([...(await resolved.campaign.reclaimable(2n))]).to.deep.equal([Entitlement.Taken, 0n]);
      });

      it("is the full amount above j*", async function () {
        const { campaign } = await loadFixture(resolvedCampaignFixture);
        expect([...(await campaign.reclaimable(2n))]).to.deep.equal([Entitlement.Due, 200n]);
      });

      it("is Pending with the remainder to come once the surplus was taken in the window", async function () {
        const { campaign, donors } = await loadFixture(resolvedCampaignFixture);
        await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
        const r = { triggeredDonations: 1033n, requestedSupport: 400n };
        expect([...(await campaign.reclaimable(0n))]).to.deep.equal([
          Entitlement.Pending,
          model.remainderShare(700n, r, 0n),
        ]);
      });

      it("adds the remainder share after the window, even once the surplus was taken", async function () {
        const { campaign, donors, claimEnd } = await loadFixture(resolvedCampaignFixture);
        await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
        await time.increaseTo(claimEnd + 1n);
        const r = { triggeredDonations: 1033n, requestedSupport: 400n };
        expect([...(await campaign.reclaimable(0n))]).to.deep.equal([
          Entitlement.Due,
          model.remainderShare(700n, r, 0n),
        ]);
      });
    });
  });
});
