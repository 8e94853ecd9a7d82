/**
 * Unit tests of Campaign.sol, the views: parameters, windows, EIP-712 domain and type hashes,
 * `claimableSupport`, `reclaimable`.
 */
import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, hashDomain } from "viem";
import * as model from "@bascule/core/model";
import { PLEDGE_TYPES, campaignDomain, encodePledges } from "@bascule/core/signing";
import {
  chainId,
  claimFor,
  createCampaign,
  defaultParams,
  deployFactory,
  Entitlement,
  ethCampaignFixture,
  ethers,
  fundedCampaignFixture,
  networkHelpers,
  newPledgeKey,
  pledgeFor,
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
        [...p.conditions],
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
        params.conditions.map(BigInt),
        params.attester,
        params.oracle,
        params.metadataHash,
        params.ladder.map(BigInt),
      ]);
    });

    it("conditionTallies and levelTallies follow pledges moving between conditions and levels, and withdrawals", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const params = await defaultParams({
        ladder: Array.from({ length: 20 }, (_, i) => i + 1),
        conditions: [1, 10_000],
      });
      const campaign = await createCampaign(factory, organiser, params, ethers.id("moves"));
      const keys = Array.from({ length: 8 }, () => newPledgeKey());
      // [key, level, support, condition]: across count words (levels 8/9, 16/17) and both conditions.
      const steps: [number, number, bigint, number][][] = [
        [
          [0, 1, 10n, 1],
          [1, 8, 20n, 2],
          [2, 9, 30n, 1],
          [3, 16, 0n, 2], // support 0: condition 0
          [4, 17, 40n, 0],
          [5, 20, 50n, 2],
          [6, 9, 60n, 2],
        ],
        [
          [0, 1, 11n, 2], // same level, another condition
          [1, 9, 20n, 2], // another level (and word), same condition
          [2, 9, 30n, 0], // drops its condition
          [4, 17, 40n, 1], // takes one
          [5, 0, 0n, 0], // withdraws
          [7, 8, 70n, 1],
        ],
        [
          [6, 0, 0n, 2], // withdraws
          [5, 20, 5n, 1], // pledges again
          [7, 8, 0n, 1], // support 0: back to condition 0
          [0, 1, 11n, 2], // no change at all
        ],
      ];
      const check = async () => {
        const events = (await campaign.queryFilter("*" as never)).map((l) => campaign.interface.parseLog(l)!);
        const history: model.HistoryEvent[] = events.flatMap((e): model.HistoryEvent[] =>
          e.name === "Pledged" || e.name === "PledgeChanged"
            ? [
                {
                  kind: e.name,
                  pledgeKey: e.args.pledgeKey,
                  level: Number(e.args.level),
                  support: e.args.support,
                  condition: Number(e.args.condition),
                },
              ]
            : e.name === "PledgeWithdrawn"
              ? [{ kind: "PledgeWithdrawn", pledgeKey: e.args.pledgeKey }]
              : [],
        );
        const t = model.tallies(20, model.replay(history), 2);
        const [counts, requested] = await campaign.levelTallies();
        expect([[...counts], [...requested]]).to.deep.equal([t.counts, t.requested]);
        const [conditionCounts, conditionRequested] = await campaign.conditionTallies();
        expect(conditionCounts.map((c) => [...c])).to.deep.equal(t.conditional!.map((c) => c.counts));
        expect(conditionRequested.map((c) => [...c])).to.deep.equal(t.conditional!.map((c) => c.requested));
        return { counts, requested, conditionCounts, conditionRequested };
      };
      for (const step of steps) {
        const signed = [];
        const nonces = new Map<number, number>();
        for (const [k, level, support, condition] of step) {
          const nonce = nonces.get(k) ?? Number((await campaign.pledgeOf(keys[k].address)).nonce);
          nonces.set(k, nonce + 1);
          signed.push(await pledgeFor(campaign, keys[k], level, support, { condition, nonce }));
        }
        const receipt = await (await campaign.pledgeBatch(encodePledges(signed))).wait();
        expect(receipt!.logs.map((l) => campaign.interface.parseLog(l)?.name)).to.not.include("PledgeSkipped");
        await check();
      }
      // By hand, at the end: condition 1 holds key 4 at level 17 (40) and key 5 at level 20 (5); condition 2 keys 0 and 1.
      const { counts, requested, conditionCounts, conditionRequested } = await check();
      const at = (row: readonly bigint[], level: number) => row[level - 1];
      expect([at(conditionCounts[0], 17), at(conditionRequested[0], 17)]).to.deep.equal([1n, 40n]);
      expect([at(conditionCounts[0], 20), at(conditionRequested[0], 20)]).to.deep.equal([1n, 5n]);
      expect([at(conditionCounts[0], 9), at(conditionCounts[0], 8), at(conditionCounts[0], 1)]).to.deep.equal([
        0n,
        0n,
        0n,
      ]);
      expect([at(conditionCounts[1], 1), at(conditionRequested[1], 1)]).to.deep.equal([1n, 11n]);
      expect([at(conditionCounts[1], 9), at(conditionRequested[1], 9)]).to.deep.equal([1n, 20n]);
      expect([at(conditionCounts[1], 8), at(conditionCounts[1], 16)]).to.deep.equal([0n, 0n]);
      // The totals hold every condition: level 9 has key 1 (condition 2) and key 2 (none), 50 in all.
      expect([at(counts, 9), at(requested, 9), at(counts, 8), at(requested, 8)]).to.deep.equal([2n, 50n, 1n, 0n]);
      expect((await campaign.status()).conditional).to.equal(true);
      expect(await campaign.isBound(keys[0].address)).to.equal(false); // not resolved yet
    });

    it("conditionTallies has one entry per condition, none without conditions", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      expect(await campaign.conditionTallies()).to.deep.equal([[], []]);
      const { factory, organiser } = await loadFixture(deployFactory);
      const one = await createCampaign(
        factory,
        organiser,
        await defaultParams({ conditions: [10_000] }),
        ethers.id("k1"),
      );
      const [counts, requested] = await one.conditionTallies();
      expect([counts.map((c) => [...c]), requested.map((c) => [...c])]).to.deep.equal([[[0n, 0n, 0n]], [[0n, 0n, 0n]]]);
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
