/**
 * The indexer's arithmetic without Ponder (indexer/lib/fold.ts, api.ts): each condition's part of the
 * tallies follows a pledge's moves, the provisional result is the reference model's with the
 * campaign's conditions, and the API gives the parts back as the model's Tallies.
 */
import { expect } from "chai";
import fc from "fast-check";
import { replay, resolve, tallies } from "@bascule/core/model";
import {
  conditionalParts,
  emptyTotals,
  moveDonation,
  movePledge,
  provisional,
  talliesOf,
} from "../../indexer/lib/fold.js";
import { toApiCampaign } from "../../indexer/lib/api.js";

describe("indexer fold (no chain)", function () {
  it("moves a pledge between conditions at one level: the totals stay, each condition's part follows", function () {
    let t = emptyTotals(3, 2);
    t = movePledge(t, { level: 0, support: 0n }, { level: 2, support: 7n, condition: 1 });
    t = movePledge(t, { level: 2, support: 7n, condition: 1 }, { level: 2, support: 7n, condition: 2 });
    expect(t.counts).to.deep.equal([0, 1, 0]);
    expect(t.requested).to.deep.equal(["0", "7", "0"]);
    expect(conditionalParts(t)).to.deep.equal([
      { counts: [0, 0, 0], requested: ["0", "0", "0"] },
      { counts: [0, 1, 0], requested: ["0", "7", "0"] },
    ]);
    t = movePledge(t, { level: 2, support: 7n, condition: 2 }, { level: 0, support: 0n });
    expect(t).to.deep.equal(emptyTotals(3, 2));
    expect(() =>
      movePledge(emptyTotals(3, 1), { level: 0, support: 0n }, { level: 1, support: 1n, condition: 2 }),
    ).to.throw(RangeError);
  });

  it("gives the reference model's result with conditions on any history (E4 spelled out, then random ones)", function () {
    const ladder = [5, 6, 7];
    const conditions = [5_000, 10_000];
    const e4: [number, bigint, number][] = [
      [2, 2n, 2],
      [3, 7n, 0],
      [2, 8n, 0],
      [2, 9n, 0],
      [2, 9n, 0],
      [3, 9n, 2],
      [3, 0n, 0],
      [1, 4n, 0],
    ];
    let t = emptyTotals(3, 2);
    for (const [level, support, condition] of e4)
      t = movePledge(t, { level: 0, support: 0n }, { level, support, condition });
    for (const [level, amount] of [
      [3, 14n],
      [2, 11n],
      [3, 19n],
    ] as const)
      t = moveDonation(t, level, amount);
    expect(provisional(ladder, t, conditions)).to.deep.equal({
      pledgeCount: 8,
      provisionalTippingLevel: 3,
      provisionalCommitted: 7,
      provisionalBoundCondition: 2,
      provisionalBoundConditionLevel: 2,
    });
    const pledgeArb = fc.record({
      level: fc.integer({ min: 0, max: 3 }),
      support: fc.bigInt({ min: 0n, max: 20n }),
      condition: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), pledgeArb), { maxLength: 40 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.bigInt({ min: 1n, max: 30n })), { maxLength: 4 }),
        (moves, donations) => {
          let folded = emptyTotals(3, 2);
          const events = [];
          const current = new Map<number, { level: number; support: bigint; condition: number }>();
          for (const [key, p] of moves) {
            // As the contract records it: condition 0 with support 0 or level 0.
            const next = { ...p, condition: p.level === 0 || p.support === 0n ? 0 : p.condition };
            const before = current.get(key) ?? { level: 0, support: 0n, condition: 0 };
            if (before.level === 0 && next.level === 0) continue;
            folded = movePledge(folded, before, next);
            current.set(key, next);
            events.push(
              next.level === 0
                ? { kind: "PledgeWithdrawn" as const, pledgeKey: String(key) }
                : { kind: "Pledged" as const, pledgeKey: String(key), ...next },
            );
          }
          const state = replay(events);
          for (const [i, [level, amount]] of donations.entries()) {
            folded = moveDonation(folded, level, amount);
            state.donations.set(BigInt(i), { id: BigInt(i), donor: "d", level, amount });
          }
          const model = tallies(3, state, 2);
          expect(talliesOf(folded)).to.deep.equal(model);
          const r = resolve(ladder, model, conditions);
          const p = provisional(ladder, folded, conditions);
          expect([
            p.provisionalTippingLevel,
            BigInt(p.provisionalCommitted),
            p.provisionalBoundCondition,
          ]).to.deep.equal([r.tippingLevel, r.committed, r.boundCondition]);
          expect(p.provisionalBoundConditionLevel).to.equal(r.boundConditionLevel);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("serves each condition's part as the model's Tallies.conditional, and none without conditions", function () {
    const base = {
      address: "0x0000000000000000000000000000000000000001" as const,
      organiser: "0x0000000000000000000000000000000000000002" as const,
      token: "0x0000000000000000000000000000000000000000" as const,
      metadataURI: "",
      metadataHash: "0x00" as const,
      ladder: [1, 2],
      pledgeDeadline: 0n,
      actionDate: 0n,
      createdBlock: 0n,
      pledgeCount: 0,
      donationCount: 0,
      donatedTotal: 0n,
      provisionalTippingLevel: 0,
      provisionalCommitted: 0,
      provisionalBoundCondition: 0,
      provisionalBoundConditionLevel: 0,
      phase: 1,
      tippingLevel: null,
      committed: null,
      boundCondition: null,
      boundConditionLevel: null,
      activity: 0,
      updatedBlock: 0n,
    };
    const t = movePledge(emptyTotals(2, 2), { level: 0, support: 0n }, { level: 2, support: 3n, condition: 2 });
    const api = toApiCampaign({ ...base, ...t, conditions: [5_000, 10_000] });
    expect(api.conditional).to.deep.equal([
      { counts: [0, 0], requested: ["0", "0"] },
      { counts: [0, 1], requested: ["0", "3"] },
    ]);
    expect(toApiCampaign({ ...base, ...emptyTotals(2), conditions: [] }).conditional).to.deep.equal([]);
  });
});
