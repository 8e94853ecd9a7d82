/**
 * Unit tests of Campaign.sol, `resolve`: the tipping level j*, P, F, R and what is paid.
 */
import { encodePledge, encodePledges } from "@bascule/core/signing";
import { expect } from "chai";
import * as model from "@bascule/core/model";
import type { Address } from "viem";
import { EXAMPLES, type Example, type Expected, exampleCampaign, resolveAndCheck } from "./examples.js";
import {
  deployFactory,
  ethCampaignFixture,
  fundedCampaignFixture,
  longLadderFixture,
  networkHelpers,
  newPledgeKey,
  pledgeFor,
  resolvedCampaignFixture,
} from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

describe("Campaign", function () {
  describe("resolve", function () {
    describe("before the pledge deadline", function () {
      it("refuses before the deadline has passed with PledgeDeadlineNotPassed", async function () {
        const { campaign, params } = await loadFixture(fundedCampaignFixture);
        await time.setNextBlockTimestamp(params.pledgeDeadline);
        await expect(campaign.resolve())
          .to.be.revertedWithCustomError(campaign, "PledgeDeadlineNotPassed")
          .withArgs(params.pledgeDeadline);
      });
    });

    describe("after the pledge deadline", function () {
      it("fails the campaign when no level is reached", async function () {
        const { campaign, params, others } = await loadFixture(ethCampaignFixture);
        await (await campaign.pledge(encodePledge(await pledgeFor(campaign, newPledgeKey(), 1, 10n)))).wait();
        await (await campaign.connect(others[0]).donate(1, 50n, { value: 50n })).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.connect(others[9]).resolve())
          .to.emit(campaign, "CampaignResolved")
          .withArgs(0n, 0n, 0n, 0n, 0n, 0n, 0n);
        const s = await campaign.status();
        expect([s.phase, s.tippingLevel, s.committed]).to.deep.equal([2n, 0n, 0n]);
      });

      it("records j*, P, F, R and emits paid = min(F, R)", async function () {
        const { campaign, params } = await loadFixture(fundedCampaignFixture);
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.resolve())
          .to.emit(campaign, "CampaignResolved")
          .withArgs(1n, 2n, 1033n, 400n, 400n, 0n, 1n);
        const s = await campaign.status();
        expect([s.phase, s.tippingLevel, s.committed, s.triggeredDonations, s.requestedSupport]).to.deep.equal([
          2n,
          1n,
          2n,
          1033n,
          400n,
        ]);
      });

      it("takes the greatest self-consistent level, not the cascade from zero", async function () {
        const { campaign, params } = await loadFixture(ethCampaignFixture);
        // Ten people at level 3 (L_3 = 10) and one at level 1 (L_1 = 2): C(1) = 1 < 2, C(3) = 11 >= 10.
        const keys = Array.from({ length: 11 }, () => newPledgeKey());
        await (
          await campaign.pledgeBatch(
            encodePledges(await Promise.all(keys.map((k, i) => pledgeFor(campaign, k, i === 0 ? 1 : 3, 1n)))),
          )
        ).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.resolve()).to.emit(campaign, "CampaignResolved").withArgs(3n, 11n, 0n, 11n, 0n, 0n, 3n);
      });

      for (const tipping of [3, 10, 15, 20]) {
        it(`sums F and R exactly up to level ${tipping} of a 20-level ladder`, async function () {
          const { campaign, params, others } = await loadFixture(longLadderFixture);
          const keys = Array.from({ length: tipping }, () => newPledgeKey());
          const levelOf = (i: number) => (i % 2 === 0 ? tipping : 1 + (i % tipping));
          await (
            await campaign.pledgeBatch(
              encodePledges(
                await Promise.all(keys.map((k, i) => pledgeFor(campaign, k, levelOf(i), BigInt(i + 1) * 10n))),
              ),
            )
          ).wait();
          for (const level of [1, 2, 8, 9, 10, 14, 15, 16, 17, 20]) {
            await (
              await campaign.connect(others[0]).donate(level, BigInt(level) * 1000n, {
                value: BigInt(level) * 1000n,
              })
            ).wait();
          }
          await time.increaseTo(params.pledgeDeadline + 1n);
          await (await campaign.resolve()).wait();
          const [counts, requested, donated] = await campaign.levelTallies();
          const expected = model.resolve(params.ladder, {
            counts,
            requested,
            donated,
          });
          expect(expected.tippingLevel).to.equal(tipping);
          const s = await campaign.status();
          expect([s.tippingLevel, s.committed, s.triggeredDonations, s.requestedSupport]).to.deep.equal([
            BigInt(expected.tippingLevel),
            expected.committed,
            expected.triggeredDonations,
            expected.requestedSupport,
          ]);
        });
      }
    });

    describe("with conditions (MECHANISM.md, Resolution with conditions, E1-E6)", function () {
      async function examplesFixture() {
        const base = await deployFactory();
        return { ...base, donors: base.others.slice(0, 4), payee: base.others[10].address as Address };
      }
      type Name = keyof typeof EXAMPLES;
      const FAILED = {
        tippingLevel: 0,
        committed: 0n,
        triggered: 0n,
        requested: 0n,
        paid: 0n,
        boundCondition: 0,
        boundConditionLevel: 0,
        bound: [],
      };
      const cases: [Name, string, Expected][] = [
        ["E1", "no greatest set: two equal class-2 pledges, neither binds, P = 0", FAILED],
        [
          "E2",
          "five class-2 pledges at level 1 bind, the request of 100 at level 2 does not: P = 5",
          {
            tippingLevel: 1,
            committed: 5n,
            triggered: 5n,
            requested: 5n,
            paid: 5n,
            boundCondition: 2,
            boundConditionLevel: 1,
            bound: [0, 1, 2, 3, 4],
          },
        ],
        [
          "E2newcomer",
          "a newcomer asking nothing lowers P to 1: six at level 1 would leave the class-2 bucket uncovered",
          {
            tippingLevel: 1,
            committed: 1n,
            triggered: 5n,
            requested: 0n,
            paid: 0n,
            boundCondition: 0,
            boundConditionLevel: 1,
            bound: [6],
          },
        ],
        [
          "E3",
          "hold-out, everyone at class 0: P = 3, the first pledge is paid 3 of 10",
          {
            tippingLevel: 2,
            committed: 3n,
            triggered: 10n,
            requested: 30n,
            paid: 10n,
            boundCondition: 0,
            boundConditionLevel: 2,
            bound: [0, 1, 2],
          },
        ],
        [
          "E3holdOut",
          "hold-out, the first pledge at class 2: P = 1, paid 10",
          {
            tippingLevel: 1,
            committed: 1n,
            triggered: 10n,
            requested: 10n,
            paid: 10n,
            boundCondition: 2,
            boundConditionLevel: 1,
            bound: [0],
          },
        ],
        [
          "E4",
          "part of a class: P = 7, j* = 3, k* = 2, j*_k = 2, the class-2 pledge at level 3 out",
          {
            tippingLevel: 3,
            committed: 7n,
            triggered: 44n,
            requested: 39n,
            paid: 39n,
            boundCondition: 2,
            boundConditionLevel: 2,
            bound: [0, 1, 2, 3, 4, 6, 7],
          },
        ],
        ["E5", "bucket poisoning: E4 plus (2, 9, 2) fails, P = 0", FAILED],
        [
          "E6",
          "understating: P = 4, the (1, 4, 1) pledge's bucket and the class-2 pledge out",
          {
            tippingLevel: 1,
            committed: 4n,
            triggered: 9n,
            requested: 13n,
            paid: 9n,
            boundCondition: 0,
            boundConditionLevel: 1,
            bound: [0, 1, 2, 5],
          },
        ],
        [
          "E6declared",
          "understating: declared (1, 4, 0) it binds, P = 5, coverage 9/17",
          {
            tippingLevel: 1,
            committed: 5n,
            triggered: 9n,
            requested: 17n,
            paid: 9n,
            boundCondition: 0,
            boundConditionLevel: 1,
            bound: [0, 1, 2, 3, 5],
          },
        ],
      ];
      for (const [name, title, expected] of cases) {
        it(`${name}: ${title}`, async function () {
          const { factory, organiser, donors, payee } = await loadFixture(examplesFixture);
          const example = EXAMPLES[name];
          const { campaign, keys } = await exampleCampaign(factory, organiser, donors, example);
          const conditional = example.pledges.some(([, support, condition]) => support !== 0n && condition !== 0);
          expect((await campaign.status()).conditional).to.equal(conditional);
          const r = await resolveAndCheck(campaign, keys, example, expected, payee);
          if (name === "E3") expect(model.supportShare(10n, r)).to.equal(3n);
          if (name === "E6declared") {
            expect(model.coverage(r)).to.equal(5_294); // 9/17
            expect(model.supportShare(4n, r)).to.equal(2n);
          }
          // Donations at levels <= j* are triggered (their share of the surplus now, the remainder later);
          // the others, and every donation of a failed campaign, are refunded in full.
          const [params] = await campaign.parameters();
          const s = await campaign.status();
          const ctx: model.EntitlementContext = {
            clock: model.campaignClock(params),
            now: BigInt(await time.latest()),
            resolution: r,
            resolvedAt: s.resolvedAt,
            rootPublished: false,
            claimedTotal: s.claimedTotal,
          };
          for (const [id, [level, amount]] of example.donations.entries()) {
            const want = model.reclaimEntitlement(ctx, { level, amount, surplusTaken: false });
            const surplus = model.surplusShare(amount, r);
            if (level > expected.tippingLevel) expect(want).to.deep.equal({ state: "Due", amount });
            else if (surplus !== 0n) expect(want).to.deep.equal({ state: "Due", amount: surplus });
            const [state, due] = await campaign.reclaimable(BigInt(id));
            expect([model.ENTITLEMENTS[Number(state)], due], `donation ${id}`).to.deep.equal([want.state, want.amount]);
          }
        });
      }

      it("E3 in a campaign without conditions resolves exactly as with conditions but none pledged (the fast path)", async function () {
        const { factory, organiser, donors, payee } = await loadFixture(examplesFixture);
        const results = [];
        for (const conditions of [[], [5_000, 10_000], [10_000]]) {
          const { campaign, keys } = await exampleCampaign(factory, organiser, donors, EXAMPLES.E3, { conditions });
          expect((await campaign.status()).conditional).to.equal(false);
          await resolveAndCheck(campaign, keys, EXAMPLES.E3, cases[3][2], payee);
          const s = await campaign.status();
          results.push([
            s.tippingLevel,
            s.committed,
            s.triggeredDonations,
            s.requestedSupport,
            s.boundCondition,
            s.boundConditionLevel,
          ]);
        }
        expect(results[1]).to.deep.equal(results[0]);
        expect(results[2]).to.deep.equal(results[0]);
      });

      // Branches of the rule that E1-E6 do not reach, each a history with what it must resolve to.
      const branches: [string, string, Example, Expected][] = [
        [
          "binds condition 1 when no pledge asks for condition 2: k* = 1",
          "F = 5 covers half of the request of 10: condition 1 (half) is met, there is no condition-2 bucket",
          {
            ladder: [2],
            pledges: [
              [1, 10n, 1],
              [1, 0n, 0],
            ],
            donations: [[1, 5n]],
          },
          {
            tippingLevel: 1,
            committed: 2n,
            triggered: 5n,
            requested: 10n,
            paid: 5n,
            boundCondition: 1,
            boundConditionLevel: 1,
            bound: [0, 1],
          },
        ],
        [
          "gives j*_k as the level of the condition's last non-empty bucket, below j*",
          "J = 2 takes condition 2's buckets (1, 2) and the empty (2, 2): k* = 2 bound at level 1, not 2",
          {
            ladder: [1, 2],
            pledges: [
              [1, 10n, 2],
              [2, 0n, 0],
            ],
            donations: [[1, 10n]],
          },
          {
            tippingLevel: 2,
            committed: 2n,
            triggered: 10n,
            requested: 10n,
            paid: 10n,
            boundCondition: 2,
            boundConditionLevel: 1,
            bound: [0, 1],
          },
        ],
        [
          "never takes a J whose pledges without condition alone reach L_{J+1}",
          "J = 1: the two class-0 pledges already reach L_2 = 2, so X(1) breaks (i); J = 2 takes all three",
          {
            ladder: [1, 2],
            pledges: [
              [1, 0n, 0],
              [1, 0n, 0],
              [2, 10n, 2],
            ],
            donations: [[2, 10n]],
          },
          {
            tippingLevel: 2,
            committed: 3n,
            triggered: 10n,
            requested: 10n,
            paid: 10n,
            boundCondition: 2,
            boundConditionLevel: 2,
            bound: [0, 1, 2],
          },
        ],
      ];
      for (const [title, why, example, expected] of branches) {
        it(`${title} (${why})`, async function () {
          const { factory, organiser, donors, payee } = await loadFixture(examplesFixture);
          const { campaign, keys } = await exampleCampaign(factory, organiser, donors, example);
          await resolveAndCheck(campaign, keys, example, expected, payee);
        });
      }

      it("a campaign whose conditional pledges all dropped their condition takes the rule with conditions, to the same result", async function () {
        const { factory, organiser, donors, payee } = await loadFixture(examplesFixture);
        const { campaign, keys } = await exampleCampaign(factory, organiser, donors, EXAMPLES.E3holdOut);
        expect((await campaign.status()).conditional).to.equal(true);
        // The class-2 pledge declares class 0 instead: the history is E3's, the flag stays.
        await (
          await campaign.pledge(encodePledge(await pledgeFor(campaign, keys[0], 1, 10n, { condition: 0 })))
        ).wait();
        const [counts] = await campaign.conditionTallies();
        expect(counts.map((c) => [...c])).to.deep.equal([
          [0n, 0n],
          [0n, 0n],
        ]);
        expect((await campaign.status()).conditional).to.equal(true);
        await resolveAndCheck(campaign, keys, EXAMPLES.E3, cases[3][2], payee);
      });
    });

    describe("once resolved", function () {
      it("refuses a second resolution with AlreadyResolved", async function () {
        const { campaign } = await loadFixture(resolvedCampaignFixture);
        await expect(campaign.resolve()).to.be.revertedWithCustomError(campaign, "AlreadyResolved");
      });
    });
  });
});
