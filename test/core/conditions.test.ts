/**
 * Support-conditional pledges in the reference model (packages/core/src/model.ts; MECHANISM.md,
 * "Support-conditional pledges", "The final lock", "Resolution with conditions"): the spec's
 * examples E1–E6, each guarantee of its list stated directly as a fast-check property on random small
 * histories, the limits no rule can lift shown happening, the final lock and the skip reasons with
 * conditions, and the dApp's helpers (coverage, bucket slack, donation to admit, summary). No chain.
 */
import { expect } from "chai";
import fc from "fast-check";
import * as model from "@bascule/core/model";

/** The dApp's proposal: none / half / all (classes 0, 1, 2). */
const HALF_ALL = [5_000, 10_000] as const;
const CONDITION_SETS: readonly (readonly number[])[] = [HALF_ALL, [10_000], []];

interface Pledge {
  level: number;
  support: bigint;
  condition: number;
}
interface Donation {
  level: number;
  amount: bigint;
}
interface History {
  ladder: number[];
  conditions: readonly number[];
  pledges: Pledge[];
  donations: Donation[];
}

/** A pledge as the spec's tables write it: (level, s, class); a class given with s = 0 is recorded as 0. */
const p = (level: number, support: number, condition = 0): Pledge => ({
  level,
  support: BigInt(support),
  condition: support === 0 ? 0 : condition,
});
const d = (level: number, amount: number | bigint): Donation => ({ level, amount: BigInt(amount) });

/** The tallies of a history, through the model's own replay (each pledge under its own key). */
function talliesOf(h: History): model.Tallies {
  const state = model.replay([
    ...h.pledges.map((x, i): model.HistoryEvent => ({
      kind: "Pledged",
      pledgeKey: `0x${i.toString(16).padStart(40, "0")}`,
      level: x.level,
      support: x.support,
      condition: x.condition,
    })),
    ...h.donations.map((x, i): model.HistoryEvent => ({
      kind: "Donated",
      donationId: BigInt(i),
      donor: "0x00000000000000000000000000000000000d0d0d",
      level: x.level,
      amount: x.amount,
    })),
  ]);
  return model.tallies(h.ladder.length, state, h.conditions.length);
}

const resolveOf = (h: History) => model.resolve(h.ladder, talliesOf(h), h.conditions);
const P = (h: History) => resolveOf(h).committed;

/** What a pledge receives under a resolution: floor(s · paid / R) if it binds, else nothing. */
const supportOf = (r: model.Resolution, x: Pledge) => (model.binds(r, x) ? model.supportShare(x.support, r) : 0n);

/** Its condition holds: floor(s · paid / R) ≥ floor(c_k · s / 10,000). */
function conditionMet(r: model.Resolution, x: Pledge, conditions: readonly number[]): boolean {
  const c = x.condition === 0 ? 0n : BigInt(conditions[x.condition - 1]);
  return model.supportShare(x.support, r) >= (c * x.support) / 10_000n;
}

/**
 * The rule without conditions, written again here as the oracle (MECHANISM.md, Resolution, 1–4):
 * j* = max { j : C(j) ≥ L_j }, P = C(j*), F and R the donations and requests at levels ≤ j*.
 */
function todaysRule(ladder: readonly number[], t: model.Tallies): model.Resolution {
  let cumulative = 0n;
  let j = 0;
  let committed = 0n;
  ladder.forEach((threshold, i) => {
    cumulative += t.counts[i];
    if (cumulative >= BigInt(threshold)) [j, committed] = [i + 1, cumulative];
  });
  const sum = (xs: bigint[]) => xs.slice(0, j).reduce((a, x) => a + x, 0n);
  const F = sum(t.donated);
  const R = sum(t.requested);
  return {
    succeeded: j !== 0,
    tippingLevel: j,
    committed,
    triggeredDonations: F,
    requestedSupport: R,
    paid: F < R ? F : R,
    boundCondition: 0,
    boundConditionLevel: j,
  };
}

// ------------------------------------------------------------------ random small histories

const ladderArb = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 }))
  .map(([first, steps]) => steps.reduce((l, s) => [...l, l[l.length - 1] + s], [first]));

const pledgeArb = (levels: number, K: number, support = fc.integer({ min: 0, max: 20 })) =>
  fc
    .record({ level: fc.integer({ min: 1, max: levels }), support, condition: fc.integer({ min: 0, max: K }) })
    .map(({ level, support, condition }) => p(level, support, condition));

const donationArb = (levels: number) =>
  fc
    .record({ level: fc.integer({ min: 1, max: levels }), amount: fc.integer({ min: 0, max: 80 }) })
    .map((x) => d(x.level, x.amount));

/** A history: ladder of 1–5 levels, 0–12 pledges (supports 0..20, classes 0..K), 0–4 donations. */
const historyArb = (conditions: readonly number[], { conditional = true } = {}) =>
  ladderArb.chain((ladder) =>
    fc.record({
      ladder: fc.constant(ladder),
      conditions: fc.constant(conditions),
      pledges: fc.array(pledgeArb(ladder.length, conditional ? conditions.length : 0), { maxLength: 12 }),
      donations: fc.array(donationArb(ladder.length), { maxLength: 4 }),
    }),
  );

/** A history and one more pledge "me" (support ≥ 1) to vary, at a class below K where `belowTop`. */
const withMeArb = (conditions: readonly number[], belowTop = false) =>
  historyArb(conditions).chain((h) =>
    fc.record({
      h: fc.constant(h),
      me: pledgeArb(
        h.ladder.length,
        belowTop ? conditions.length - 1 : conditions.length,
        fc.integer({ min: 1, max: 20 }),
      ),
    }),
  );

const RUNS = 400;

describe("support-conditional pledges (model)", function () {
  describe("MECHANISM.md's examples", function () {
    const E4: History = {
      ladder: [5, 6, 7],
      conditions: HALF_ALL,
      pledges: [p(2, 2, 2), p(3, 7, 0), p(2, 8, 0), p(2, 9, 0), p(2, 9, 0), p(3, 9, 2), p(3, 0, 0), p(1, 4, 0)],
      donations: [d(3, 14), d(2, 11), d(3, 19)],
    };
    const E6: History = {
      ladder: [1],
      conditions: HALF_ALL,
      pledges: [p(1, 0, 0), p(1, 10, 0), p(1, 3, 0), p(1, 4, 1), p(1, 9, 2), p(1, 0, 0), p(1, 2, 1)],
      donations: [d(1, 9)],
    };

    it("E1 no greatest set: two equal class-2 pledges, either alone consistent, are treated alike: P = 0", function () {
      const h: History = {
        ladder: [1],
        conditions: HALF_ALL,
        pledges: [p(1, 10, 2), p(1, 10, 2)],
        donations: [d(1, 10)],
      };
      const r = resolveOf(h);
      expect([r.succeeded, r.committed, r.tippingLevel, r.boundCondition, r.boundConditionLevel]).to.deep.equal([
        false,
        0n,
        0,
        0,
        0,
      ]);
      // Either alone would be a consistent bound set (ladder 1, 10 covers its 10): the rule takes neither.
      expect(resolveOf({ ...h, pledges: [p(1, 10, 2)] }).committed).to.equal(1n);
    });

    it("E2 a newcomer lowers P: P = 5, and with one more (1, 0, 0) pledge P = 1", function () {
      const h: History = {
        ladder: [1, 6],
        conditions: HALF_ALL,
        pledges: [...Array.from({ length: 5 }, () => p(1, 1, 2)), p(2, 100, 0)],
        donations: [d(1, 5)],
      };
      const r = resolveOf(h);
      expect([r.committed, r.tippingLevel, r.boundCondition, r.boundConditionLevel]).to.deep.equal([5n, 1, 2, 1]);
      expect(model.coverage(r)).to.equal(10_000);
      const after = resolveOf({ ...h, pledges: [...h.pledges, p(1, 0, 0)] });
      // Six at level 1 make level 2 the tipping level, where the request of 100 leaves the class-2 bucket out.
      expect([after.committed, after.tippingLevel, after.boundCondition, after.boundConditionLevel]).to.deep.equal([
        1n,
        1,
        0,
        1,
      ]);
    });

    it("E3 hold-out: P = 3 and the first pledge is paid 3; declared class 2 instead: P = 1, paid 10", function () {
      const h: History = {
        ladder: [1, 3],
        conditions: HALF_ALL,
        pledges: [p(1, 10, 0), p(2, 10, 0), p(2, 10, 0)],
        donations: [d(1, 10)],
      };
      const r = resolveOf(h);
      expect([r.committed, r.tippingLevel, r.boundCondition, r.boundConditionLevel]).to.deep.equal([3n, 2, 0, 2]);
      expect(supportOf(r, h.pledges[0])).to.equal(3n);
      expect(model.coverage(r)).to.equal(3_333);
      const holdOut = { ...h, pledges: [p(1, 10, 2), ...h.pledges.slice(1)] };
      const r2 = resolveOf(holdOut);
      expect([r2.committed, r2.tippingLevel, r2.boundCondition, r2.boundConditionLevel]).to.deep.equal([1n, 1, 2, 1]);
      expect(supportOf(r2, holdOut.pledges[0])).to.equal(10n);
      expect(model.coverage(r2)).to.equal(10_000);
    });

    it("E4 part of a class: P = 7, j* = 3, k* = 2, j*_k = 2, the class-2 pledge at level 3 is not bound", function () {
      const r = resolveOf(E4);
      expect([r.committed, r.tippingLevel, r.boundCondition, r.boundConditionLevel]).to.deep.equal([7n, 3, 2, 2]);
      expect([r.triggeredDonations, r.requestedSupport, r.paid]).to.deep.equal([44n, 39n, 39n]);
      expect(E4.pledges.map((x) => model.binds(r, x))).to.deep.equal([true, true, true, true, true, false, true, true]);
    });

    it("E5 bucket poisoning: E4 plus (2, 9, 2) fails, P = 0", function () {
      const r = resolveOf({ ...E4, pledges: [...E4.pledges, p(2, 9, 2)] });
      expect([r.succeeded, r.committed, r.boundCondition, r.boundConditionLevel]).to.deep.equal([false, 0n, 0, 0]);
      // The dApp warned: the class-2 bucket at level 2 could take 5 more, not 9.
      expect(model.bucketSlack(E4.ladder, talliesOf(E4), E4.conditions, 2, 2)).to.equal(5n);
    });

    it("E6 understating: P = 4 with the (1, 4, 1) pledge out; declared (1, 4, 0): P = 5, bound, coverage 9/17", function () {
      const r = resolveOf(E6);
      expect([r.committed, r.tippingLevel, r.boundCondition, r.boundConditionLevel]).to.deep.equal([4n, 1, 0, 1]);
      expect(model.binds(r, E6.pledges[3])).to.equal(false);
      const understated = { ...E6, pledges: E6.pledges.map((x, i) => (i === 3 ? p(1, 4, 0) : x)) };
      const r2 = resolveOf(understated);
      expect([r2.committed, r2.triggeredDonations, r2.requestedSupport]).to.deep.equal([5n, 9n, 17n]);
      expect(model.binds(r2, understated.pledges[3])).to.equal(true);
      expect(model.coverage(r2)).to.equal(5_294); // 9/17, rounded down
      // It needed half of 4 and receives floor(4 · 9/17) = 2: the class it hid would have been met here.
      expect(supportOf(r2, understated.pledges[3])).to.equal(2n);
    });
  });

  describe("what the rule guarantees (fast-check)", function () {
    it("with no conditional pledge, equals the rule without conditions", function () {
      for (const conditions of CONDITION_SETS) {
        fc.assert(
          fc.property(historyArb(conditions, { conditional: false }), (h) => {
            const t = talliesOf(h);
            const expected = todaysRule(h.ladder, t);
            expect(model.resolve(h.ladder, t, h.conditions)).to.deep.equal(expected);
            const { conditional: _, ...totals } = t;
            expect(model.resolve(h.ladder, totals)).to.deep.equal(expected);
          }),
          { numRuns: RUNS },
        );
      }
    });

    it("every bound pledge has L_j ≤ P and its condition met, and every condition-0 pledge with L_j ≤ P binds", function () {
      for (const conditions of CONDITION_SETS) {
        fc.assert(
          fc.property(historyArb(conditions), (h) => {
            const r = resolveOf(h);
            for (const x of h.pledges) {
              const threshold = BigInt(h.ladder[x.level - 1]);
              if (model.binds(r, x)) {
                expect(threshold <= r.committed, "L_j ≤ P").to.equal(true);
                expect(conditionMet(r, x, h.conditions), "condition met").to.equal(true);
                expect(model.coverage(r)).to.be.at.least(x.condition === 0 ? 0 : h.conditions[x.condition - 1]);
              }
              if (x.condition === 0 && threshold <= r.committed) expect(model.binds(r, x)).to.equal(true);
            }
          }),
          { numRuns: RUNS },
        );
      }
    });

    it("two pledges with the same level and condition both bind or neither, and the bound set is P pledges asking R", function () {
      fc.assert(
        fc.property(historyArb(HALF_ALL), (h) => {
          const r = resolveOf(h);
          const bound = h.pledges.filter((x) => model.binds(r, x));
          for (const x of h.pledges) {
            for (const y of h.pledges) {
              if (x.level === y.level && x.condition === y.condition) {
                expect(model.binds(r, x)).to.equal(model.binds(r, y));
              }
            }
          }
          expect(BigInt(bound.length)).to.equal(r.committed);
          expect(bound.reduce((a, x) => a + x.support, 0n)).to.equal(r.requestedSupport);
          const F = h.donations.filter((x) => x.level <= r.tippingLevel).reduce((a, x) => a + x.amount, 0n);
          expect(r.triggeredDonations).to.equal(F);
        }),
        { numRuns: RUNS },
      );
    });

    it("if a pledge binds, every pledge with a condition and a level at most as high binds", function () {
      fc.assert(
        fc.property(historyArb(HALF_ALL), (h) => {
          const r = resolveOf(h);
          for (const x of h.pledges.filter((x) => model.binds(r, x))) {
            for (const y of h.pledges) {
              if (y.level <= x.level && y.condition <= x.condition) expect(model.binds(r, y)).to.equal(true);
            }
          }
        }),
        { numRuns: RUNS },
      );
    });

    it("adding a donation never lowers P", function () {
      for (const conditions of CONDITION_SETS) {
        fc.assert(
          fc.property(
            historyArb(conditions).chain((h) => fc.tuple(fc.constant(h), donationArb(h.ladder.length))),
            ([h, extra]) => {
              expect(P({ ...h, donations: [...h.donations, extra] }) >= P(h)).to.equal(true);
            },
          ),
          { numRuns: RUNS },
        );
      }
    });

    it("lowering a support request, keeping its condition (to 1 or more, or to 0 without one), never lowers P", function () {
      for (const conditions of CONDITION_SETS) {
        fc.assert(
          fc.property(
            withMeArb(conditions).chain(({ h, me }) =>
              fc.record({
                h: fc.constant(h),
                me: fc.constant(me),
                lower: fc.bigInt({ min: me.condition === 0 ? 0n : 1n, max: me.support }),
              }),
            ),
            ({ h, me, lower }) => {
              const before = P({ ...h, pledges: [...h.pledges, me] });
              const after = P({ ...h, pledges: [...h.pledges, p(me.level, Number(lower), me.condition)] });
              expect(after >= before).to.equal(true);
            },
          ),
          { numRuns: RUNS },
        );
      }
    });

    // SPEC COUNTEREXAMPLE. MECHANISM.md lists "lowering a support request never lowers P", but a
    // request lowered to 0 is recorded with condition 0 ("a pledge with s = 0 has condition 0"): the
    // pledge leaves a conditional bucket, where (i) had kept it out, for the condition-0 block, where it
    // takes a place under the count bound and cuts a bucket that was in. The same effect as E2's
    // newcomer. Found by a property search over dense histories (25 pledges, thresholds 1 apart); this
    // is the smallest of 400 seeded, shrunk searches (4 pledges). The final lock forbids this change (a
    // conditional pledge may not drop to support 0), so it cannot flip a result in the last hours, but
    // before the lock it can.
    it("COUNTEREXAMPLE to the spec: a conditional pledge lowering its request to 0 can lower P (2 → 0)", function () {
      const h: History = {
        ladder: [2, 3],
        conditions: HALF_ALL,
        pledges: [p(1, 1, 1), p(1, 1, 1), p(2, 1, 0)],
        donations: [d(1, 1)],
      };
      // Before: X(1) = the class-1 bucket (2 < L_2 = 3, 1 · 10,000 ≥ 5,000 · 2); (1, 1, 2) would make 3.
      const before = resolveOf({ ...h, pledges: [...h.pledges, p(1, 1, 2)] });
      expect([before.committed, before.tippingLevel, before.boundCondition, before.boundConditionLevel]).to.deep.equal([
        2n,
        1,
        1,
        1,
      ]);
      // After: (1, 0) joins the block at J = 1, the class-1 bucket makes 3 ≥ L_2 and is cut, |X(1)| = 1 < 2;
      // at J = 2, 1 · 10,000 < 5,000 · 3 cuts it too, |X(2)| = 2 < 3. Failed.
      const after = resolveOf({ ...h, pledges: [...h.pledges, p(1, 0)] });
      expect([after.succeeded, after.committed]).to.deep.equal([false, 0n]);
      // E2 read this way: its newcomer first pledged (1, 1, class 2), cut by (i), then lowered to 0.
      const e2: History = {
        ladder: [1, 6],
        conditions: HALF_ALL,
        pledges: [...Array.from({ length: 5 }, () => p(1, 1, 1)), p(2, 100, 0)],
        donations: [d(1, 5)],
      };
      expect(P({ ...e2, pledges: [...e2.pledges, p(1, 1, 2)] })).to.equal(5n);
      expect(P({ ...e2, pledges: [...e2.pledges, p(1, 0)] })).to.equal(1n);
    });

    it("declaring a higher condition than one needs never raises one's support, unless P falls", function () {
      for (const conditions of [HALF_ALL, [10_000]]) {
        fc.assert(
          fc.property(
            withMeArb(conditions, true).chain(({ h, me }) =>
              fc.record({
                h: fc.constant(h),
                me: fc.constant(me),
                declared: fc.integer({ min: me.condition + 1, max: conditions.length }),
              }),
            ),
            ({ h, me, declared }) => {
              const honest = { ...h, pledges: [...h.pledges, me] };
              const higher = { ...h, pledges: [...h.pledges, { ...me, condition: declared }] };
              const [a, b] = [resolveOf(honest), resolveOf(higher)];
              if (b.committed < a.committed) return;
              expect(supportOf(b, { ...me, condition: declared }) <= supportOf(a, me)).to.equal(true);
            },
          ),
          { numRuns: RUNS },
        );
      }
    });

    it("declaring a higher condition than one needs never gets one bound, unless P falls", function () {
      for (const conditions of [HALF_ALL, [10_000]]) {
        fc.assert(
          fc.property(
            withMeArb(conditions, true).chain(({ h, me }) =>
              fc.record({
                h: fc.constant(h),
                me: fc.constant(me),
                declared: fc.integer({ min: me.condition + 1, max: conditions.length }),
              }),
            ),
            ({ h, me, declared }) => {
              const [a, b] = [
                resolveOf({ ...h, pledges: [...h.pledges, me] }),
                resolveOf({ ...h, pledges: [...h.pledges, { ...me, condition: declared }] }),
              ];
              if (model.binds(b, { ...me, condition: declared }) && !model.binds(a, me)) {
                expect(b.committed < a.committed, "bound only by declaring more, and P did not fall").to.equal(true);
              }
            },
          ),
          { numRuns: RUNS },
        );
      }
    });

    it("measures it: with the old rule some pledger whose need is not met is bound in many histories, with the new rule in none", function () {
      // 5,000 histories of the generator above (seeded), classes none / half / all. Under the old
      // rule (every pledge at a level ≤ j* bound, conditions ignored) a history counts when a bound
      // pledge with class k gets floor(s · paid / R) < floor(c_k · s / 10,000). On this generator the
      // old rule gives 1,309 such histories of 5,000 (the issue measured 1,295 on its own).
      const histories = fc.sample(historyArb(HALF_ALL), { numRuns: 5_000, seed: 20_261_202 });
      let oldRule = 0;
      let newRule = 0;
      for (const h of histories) {
        const t = talliesOf(h);
        const old = model.resolve(h.ladder, { counts: t.counts, requested: t.requested, donated: t.donated });
        if (h.pledges.some((x) => x.level <= old.tippingLevel && !conditionMet(old, x, h.conditions))) oldRule++;
        const r = model.resolve(h.ladder, t, h.conditions);
        if (h.pledges.some((x) => model.binds(r, x) && !conditionMet(r, x, h.conditions))) newRule++;
      }
      expect(newRule).to.equal(0);
      expect(oldRule).to.equal(1_309);
    });
  });

  describe("what no rule can guarantee", function () {
    it("one more pledge, even asking nothing, can lower P (fast-check finds a history)", function () {
      const out = fc.check(
        fc.property(
          historyArb(HALF_ALL).chain((h) => fc.tuple(fc.constant(h), fc.integer({ min: 1, max: h.ladder.length }))),
          ([h, level]) => P({ ...h, pledges: [...h.pledges, p(level, 0)] }) >= P(h),
        ),
        { numRuns: 5_000, seed: 7 },
      );
      expect(out.failed).to.equal(true);
      const [[h, level]] = out.counterexample!;
      expect(P({ ...h, pledges: [...h.pledges, p(level, 0)] }) < P(h)).to.equal(true);
    });
  });

  describe("binds and coverage", function () {
    it("binds j ≤ j* and (k < k*, or k = k* and j ≤ j*_k); nothing on failure or for a withdrawn pledge", function () {
      const r = { tippingLevel: 3, boundCondition: 1, boundConditionLevel: 2 };
      const table: [number, number, boolean][] = [
        [1, 0, true],
        [3, 0, true],
        [4, 0, false],
        [2, 1, true],
        [3, 1, false],
        [1, 2, false],
        [0, 0, false],
      ];
      for (const [level, condition, expected] of table) {
        expect(model.binds(r, { level, condition }), `(${level}, ${condition})`).to.equal(expected);
      }
      const failed = { tippingLevel: 0, boundCondition: 0, boundConditionLevel: 0 };
      expect(model.binds(failed, { level: 1, condition: 0 })).to.equal(false);
      // Nothing conditional added: k* = 0, j*_k = j*, so exactly the levels ≤ j* of condition 0.
      const plain = { tippingLevel: 2, boundCondition: 0, boundConditionLevel: 2 };
      expect([
        model.binds(plain, { level: 2, condition: 0 }),
        model.binds(plain, { level: 1, condition: 1 }),
      ]).to.deep.equal([true, false]);
    });

    it("gives coverage paid / R in basis points rounded down, full when nobody asked", function () {
      expect(model.coverage({ triggeredDonations: 9n, requestedSupport: 17n })).to.equal(5_294);
      expect(model.coverage({ triggeredDonations: 50n, requestedSupport: 17n })).to.equal(10_000);
      expect(model.coverage({ triggeredDonations: 0n, requestedSupport: 0n })).to.equal(10_000);
      expect(model.coverage({ triggeredDonations: 0n, requestedSupport: 5n })).to.equal(0);
    });

    it("refuses conditions that do not rise strictly within 1..10,000 and tallies with a condition above K", function () {
      const t = { counts: [1n], requested: [5n], donated: [5n], conditional: [{ counts: [1n], requested: [5n] }] };
      for (const bad of [[0], [5_000, 5_000], [10_001], [6_000, 5_000], [2.5]]) {
        expect(() => model.resolve([1], t, bad), String(bad)).to.throw(RangeError);
      }
      expect(() => model.resolve([1], t, [])).to.throw(RangeError);
      expect(() => model.resolve([1], { ...t, conditional: [{ counts: [2n], requested: [5n] }] }, [5_000])).to.throw(
        RangeError,
      );
      expect(model.resolve([1], t, [5_000]).boundCondition).to.equal(1);
    });

    it("treats missing tally entries as zero and an all-zero conditional part as none", function () {
      const zero = { counts: [], requested: [] };
      const r = model.resolve(
        [1, 2],
        { counts: [1n], requested: [], donated: [], conditional: [zero, zero] },
        HALF_ALL,
      );
      expect([r.tippingLevel, r.committed, r.boundCondition, r.boundConditionLevel]).to.deep.equal([1, 1n, 0, 1]);
    });
  });

  describe("replay and tallies with conditions", function () {
    it("records each pledge's condition, 0 with support 0, and splits the totals by condition", function () {
      const state = model.replay([
        { kind: "Pledged", pledgeKey: "0xA", level: 1, support: 5n, condition: 2 },
        { kind: "Pledged", pledgeKey: "0xB", level: 2, support: 0n, condition: 1 },
        { kind: "Pledged", pledgeKey: "0xC", level: 2, support: 7n, condition: 1 },
        { kind: "Pledged", pledgeKey: "0xD", level: 2, support: 3n },
        { kind: "PledgeChanged", pledgeKey: "0xc", level: 2, support: 4n, condition: 1 },
        { kind: "Pledged", pledgeKey: "0xE", level: 1, support: 9n, condition: 2 },
        { kind: "PledgeWithdrawn", pledgeKey: "0xE" },
      ]);
      expect(state.pledges.get("0xa")).to.deep.equal({ level: 1, support: 5n, condition: 2 });
      expect(state.pledges.get("0xb")).to.deep.equal({ level: 2, support: 0n, condition: 0 });
      expect(state.pledges.get("0xd")).to.deep.equal({ level: 2, support: 3n, condition: 0 });
      expect(state.pledges.get("0xe")).to.deep.equal({ level: 0, support: 0n, condition: 0 });
      expect(model.tallies(2, state, 2)).to.deep.equal({
        counts: [1n, 3n],
        requested: [5n, 7n],
        donated: [0n, 0n],
        conditional: [
          { counts: [0n, 1n], requested: [0n, 4n] },
          { counts: [1n, 0n], requested: [5n, 0n] },
        ],
      });
      expect(model.tallies(2, state, 3).conditional).to.have.length(3);
      expect(() => model.tallies(2, state, 1)).to.throw(RangeError);
      expect(() => model.tallies(2, state)).to.throw(RangeError);
    });

    it("shares one frozen state per level among pledges without support, with condition 0", function () {
      const state = model.replay([
        { kind: "Pledged", pledgeKey: "0x1", level: 3, support: 0n, condition: 2 },
        { kind: "Pledged", pledgeKey: "0x2", level: 3, support: 0n },
      ]);
      const [a, b] = [state.pledges.get("0x1")!, state.pledges.get("0x2")!];
      expect(a).to.equal(b);
      expect(Object.isFrozen(a)).to.equal(true);
      expect(a.condition).to.equal(0);
      expect(model.tallies(3, state)).to.deep.equal({
        counts: [0n, 0n, 2n],
        requested: [0n, 0n, 0n],
        donated: [0n, 0n, 0n],
      });
    });
  });

  describe("the final lock with conditions", function () {
    const none = (level: number, support: bigint) => ({ level, support, condition: 0 });
    const cond = (level: number, support: bigint, condition: number) => ({ level, support, condition });
    const table: [string, model.PledgeState | undefined, model.PledgeState, boolean][] = [
      ["a new unconditional pledge", undefined, none(2, 10n), false],
      ["a new conditional pledge", undefined, cond(2, 10n, 1), true],
      ["a new conditional pledge after a withdrawal", none(0, 0n), cond(1, 10n, 2), true],
      ["a new pledge with a condition but no support (recorded 0)", undefined, cond(2, 0n, 1), false],
      ["an unconditional pledge lowering its level", none(2, 10n), none(1, 10n), false],
      ["an unconditional pledge becoming conditional", none(2, 10n), cond(2, 10n, 1), true],
      ["an unconditional pledge becoming conditional at a lower level", none(2, 10n), cond(1, 5n, 1), true],
      ["a conditional pledge lowering its support", cond(2, 10n, 1), cond(2, 5n, 1), false],
      ["a conditional pledge signed again unchanged", cond(2, 10n, 1), cond(2, 10n, 1), false],
      ["a conditional pledge dropping to support 0 (condition recorded 0)", cond(2, 10n, 1), cond(2, 0n, 1), true],
      ["a conditional pledge dropping its condition", cond(2, 10n, 2), none(2, 10n), true],
      ["a conditional pledge lowering its condition", cond(2, 10n, 2), cond(2, 10n, 1), true],
      ["a conditional pledge raising its condition", cond(2, 10n, 1), cond(2, 10n, 2), true],
      ["a conditional pledge lowering its level", cond(2, 10n, 1), cond(1, 10n, 1), true],
      ["a conditional pledge raising its level", cond(2, 10n, 1), cond(3, 10n, 1), true],
      ["a conditional pledge raising its support", cond(2, 10n, 1), cond(2, 11n, 1), true],
      ["a conditional pledge withdrawn", cond(2, 10n, 1), none(0, 0n), true],
    ];
    for (const [name, previous, next, refused] of table) {
      it(`${refused ? "refuses" : "accepts"} ${name}`, function () {
        expect(model.lockRefuses(previous, next)).to.equal(refused);
      });
    }
  });

  describe("pledgeSkipReason with conditions", function () {
    const campaign = { levels: 3, supportCap: 100n, locked: false, conditions: 2 };
    const held = { level: 2, support: 10n, condition: 1, nonce: 1 };
    const full = { ...campaign, supportCap: model.LEVEL_AMOUNT_MAX, levelRequested: model.LEVEL_AMOUNT_MAX };
    type Item = { level: number; support: bigint; nonce: number; condition?: number };
    const table: [
      string,
      Parameters<typeof model.pledgeSkipReason>[0],
      typeof held | undefined,
      Item,
      model.SkipReasonName | null,
    ][] = [
      ["a condition up to K", campaign, undefined, { level: 1, support: 5n, condition: 2, nonce: 0 }, null],
      [
        "a condition above K",
        campaign,
        undefined,
        { level: 1, support: 5n, condition: 3, nonce: 0 },
        "ConditionOutOfRange",
      ],
      [
        "any condition in a campaign without (K absent)",
        { levels: 3, supportCap: 100n, locked: false },
        undefined,
        { level: 1, support: 5n, condition: 1, nonce: 0 },
        "ConditionOutOfRange",
      ],
      [
        "a condition above K even with support 0",
        campaign,
        undefined,
        { level: 1, support: 0n, condition: 3, nonce: 0 },
        "ConditionOutOfRange",
      ],
      [
        "the support cap before the condition",
        campaign,
        undefined,
        { level: 1, support: 101n, condition: 3, nonce: 0 },
        "SupportAboveCap",
      ],
      [
        "the level before the condition",
        campaign,
        undefined,
        { level: 4, support: 5n, condition: 3, nonce: 0 },
        "LevelOutOfRange",
      ],
      [
        "the condition before a withdrawal of nothing",
        campaign,
        undefined,
        { level: 0, support: 0n, condition: 3, nonce: 0 },
        "ConditionOutOfRange",
      ],
      [
        "the condition before the lock",
        { ...campaign, locked: true },
        held,
        { level: 3, support: 50n, condition: 3, nonce: 1 },
        "ConditionOutOfRange",
      ],
      [
        "a new conditional pledge in the lock",
        { ...campaign, locked: true },
        undefined,
        { level: 1, support: 5n, condition: 1, nonce: 0 },
        "FinalLock",
      ],
      [
        "a new pledge with a condition but no support in the lock",
        { ...campaign, locked: true },
        undefined,
        { level: 1, support: 0n, condition: 1, nonce: 0 },
        null,
      ],
      [
        "a conditional pledge lowering its support in the lock",
        { ...campaign, locked: true },
        held,
        { level: 2, support: 4n, condition: 1, nonce: 1 },
        null,
      ],
      [
        "a conditional pledge moving level in the lock",
        { ...campaign, locked: true },
        held,
        { level: 1, support: 4n, condition: 1, nonce: 1 },
        "FinalLock",
      ],
      [
        "a conditional pledge dropping to support 0 in the lock",
        { ...campaign, locked: true },
        held,
        { level: 2, support: 0n, condition: 1, nonce: 1 },
        "FinalLock",
      ],
      [
        "the lock before the voucher",
        { ...campaign, locked: true, voucherInvalid: true },
        undefined,
        { level: 1, support: 5n, condition: 1, nonce: 0 },
        "FinalLock",
      ],
      [
        "a full bucket, the same key staying in it",
        full,
        held,
        { level: 2, support: 10n, condition: 1, nonce: 1 },
        null,
      ],
      [
        "a full bucket, the same key raising its request in it",
        full,
        held,
        { level: 2, support: 11n, condition: 1, nonce: 1 },
        "LevelLimitExceeded",
      ],
      [
        "a full bucket the key enters from another condition at its level",
        full,
        held,
        { level: 2, support: 10n, condition: 2, nonce: 1 },
        "LevelLimitExceeded",
      ],
      [
        "a full bucket the key enters from condition 1 into 0 at its level",
        full,
        held,
        { level: 2, support: 10n, nonce: 1 },
        "LevelLimitExceeded",
      ],
      [
        "a full bucket the key enters from another level",
        full,
        held,
        { level: 1, support: 10n, condition: 1, nonce: 1 },
        "LevelLimitExceeded",
      ],
      [
        "no support: no bucket limit, whatever condition it names",
        full,
        held,
        { level: 1, support: 0n, condition: 2, nonce: 1 },
        null,
      ],
    ];
    for (const [name, params, previous, item, reason] of table) {
      it(`${reason ?? "applies"}: ${name}`, function () {
        expect(model.pledgeSkipReason(params, previous, item)).to.equal(reason);
      });
    }
  });

  describe("bucketSlack", function () {
    /** Ladder 1: one (1, 10, class) pledge and `donated` at level 1. */
    const single = (donated: bigint, condition = 2, support = 10n): model.Tallies => ({
      counts: [1n],
      requested: [support],
      donated: [donated],
      conditional: [
        { counts: [condition === 1 ? 1n : 0n], requested: [condition === 1 ? support : 0n] },
        { counts: [condition === 2 ? 1n : 0n], requested: [condition === 2 ? support : 0n] },
      ],
    });

    it("is 0, 1, 2 or many: what the class-2 bucket can take before F · 10,000 < c · R", function () {
      const slack = (donated: bigint) => model.bucketSlack([1], single(donated), HALF_ALL, 1, 2);
      expect([slack(10n), slack(11n), slack(12n), slack(10n ** 24n)]).to.deep.equal([0n, 1n, 2n, 10n ** 24n - 10n]);
      // Class 1 needs half: 15 donated cover a request of 30, 20 more than the 10 asked.
      expect(model.bucketSlack([1], single(15n, 1), HALF_ALL, 1, 1)).to.equal(20n);
    });

    it("is null for condition 0, an empty bucket, or a bucket that does not bind", function () {
      expect(model.bucketSlack([1], single(9n), HALF_ALL, 1, 2)).to.equal(null);
      expect(model.bucketSlack([1], single(50n), HALF_ALL, 1, 0)).to.equal(null);
      expect(model.bucketSlack([1], single(50n), HALF_ALL, 1, 1)).to.equal(null);
      expect(() => model.bucketSlack([1], single(50n), HALF_ALL, 2, 1)).to.throw(RangeError);
      expect(() => model.bucketSlack([1], single(50n), HALF_ALL, 1, 3)).to.throw(RangeError);
    });

    it("is limited by a later level as well: E4's class-2 bucket at level 2 can take 5 more", function () {
      const t = { counts: [1n, 4n, 3n], requested: [4n, 28n, 16n], donated: [0n, 11n, 33n] };
      const E4 = {
        ...t,
        conditional: [
          { counts: [0n, 0n, 0n], requested: [0n, 0n, 0n] },
          { counts: [0n, 1n, 1n], requested: [0n, 2n, 9n] },
        ],
      };
      expect(model.bucketSlack([5, 6, 7], E4, HALF_ALL, 2, 2)).to.equal(5n);
      expect(model.bucketSlack([5, 6, 7], E4, HALF_ALL, 3, 2)).to.equal(null);
    });

    it("is exact on random histories: the bucket binds with S more and not with S + 1, nor with anything more", function () {
      fc.assert(
        fc.property(historyArb(HALF_ALL), fc.bigInt({ min: 0n, max: 400n }), (h, extra) => {
          const t = talliesOf(h);
          const r = model.resolve(h.ladder, t, h.conditions);
          for (let k = 1; k <= h.conditions.length; k++) {
            for (let j = 1; j <= h.ladder.length; j++) {
              const slack = model.bucketSlack(h.ladder, t, h.conditions, j, k);
              const count = t.conditional![k - 1].counts[j - 1];
              if (count === 0n || !model.binds(r, { level: j, condition: k })) {
                expect(slack).to.equal(null);
                continue;
              }
              expect(slack).to.be.a("bigint");
              const bindsWith = (more: bigint) => {
                const u = structuredClone(t);
                u.requested[j - 1] += more;
                u.conditional![k - 1].requested[j - 1] += more;
                return model.binds(model.resolve(h.ladder, u, h.conditions), { level: j, condition: k });
              };
              expect(bindsWith(slack!), "binds with S more").to.equal(true);
              expect(bindsWith(slack! + 1n), "not with S + 1").to.equal(false);
              expect(bindsWith(extra), `with ${extra} more`).to.equal(extra <= slack!);
            }
          }
        }),
        { numRuns: 200 },
      );
    });
  });

  describe("donationToAdmit", function () {
    const single = (donated: bigint, support = 10n): model.Tallies => ({
      counts: [1n],
      requested: [support],
      donated: [donated],
      conditional: [
        { counts: [0n], requested: [0n] },
        { counts: [1n], requested: [support] },
      ],
    });
    const admit = (t: model.Tallies) => model.donationToAdmit([1], t, HALF_ALL, 1, 2);

    it("is 0 when the bucket binds already, then 1, 2 or many", function () {
      expect([admit(single(10n)), admit(single(9n)), admit(single(8n)), admit(single(0n, 10n ** 20n))]).to.deep.equal([
        0n,
        1n,
        2n,
        10n ** 20n,
      ]);
    });

    it("is null when no donation can: too few pledges at every level where the bucket could count, or an empty bucket", function () {
      // Ladder 5: one class-2 pledge can never make 5.
      expect(model.donationToAdmit([5], single(0n), HALF_ALL, 1, 2)).to.equal(null);
      // Ladder 1, 5; (1, 0, 0), (2, 10, 2): level 1 is reached without it, level 2 never.
      const t: model.Tallies = {
        counts: [1n, 1n],
        requested: [0n, 10n],
        donated: [0n, 0n],
        conditional: [
          { counts: [0n, 0n], requested: [0n, 0n] },
          { counts: [0n, 1n], requested: [0n, 10n] },
        ],
      };
      expect(model.donationToAdmit([1, 5], t, HALF_ALL, 2, 2)).to.equal(null);
      expect(model.donationToAdmit([1, 5], t, HALF_ALL, 2, 1)).to.equal(null);
    });

    it("finds the level where the count bound (i) no longer cuts the bucket", function () {
      // Ladder 1, 2, 10; (1, 0, 0), (1, 10, 2), (2, 0, 0): at J = 1 the class-2 pledge would make L_2 = 2,
      // so (i) cuts it; at J = 2 it fits under L_3 = 10 once 10 cover its request. (The bound (i) alone
      // never makes a bucket impossible: with enough donated, X(m) holds every pledge.)
      const t: model.Tallies = {
        counts: [2n, 1n, 0n],
        requested: [10n, 0n, 0n],
        donated: [0n, 0n, 0n],
        conditional: [
          { counts: [0n, 0n, 0n], requested: [0n, 0n, 0n] },
          { counts: [1n, 0n, 0n], requested: [10n, 0n, 0n] },
        ],
      };
      expect(model.donationToAdmit([1, 2, 10], t, HALF_ALL, 1, 2)).to.equal(10n);
      const r = model.resolve([1, 2, 10], { ...t, donated: [10n, 0n, 0n] }, HALF_ALL);
      expect([r.tippingLevel, r.committed, r.boundCondition, r.boundConditionLevel]).to.deep.equal([2, 3n, 2, 1]);
    });

    it("admits a condition-0 bucket by raising j*", function () {
      // Ladder 1, 2; (2, 0, 0), (1, 10, 2): with 10 at level 2, X(2) holds both and level 2 is reached.
      const t: model.Tallies = {
        counts: [1n, 1n],
        requested: [10n, 0n],
        donated: [0n, 0n],
        conditional: [
          { counts: [0n, 0n], requested: [0n, 0n] },
          { counts: [1n, 0n], requested: [10n, 0n] },
        ],
      };
      expect(model.donationToAdmit([1, 2], t, HALF_ALL, 2, 0)).to.equal(10n);
    });

    it("returns the smallest donation even where a larger one leaves the bucket out again", function () {
      // Ladder 1, 2, 3; (1, 10, 2), (2, 30, 1), (2, 0, 0); D at level 1. The class-2 bucket binds at
      // J = 1 from D = 10; from D = 15 the class-1 bucket makes level 2 the tipping level, where
      // (1, 2) breaks (i); from D = 40 level 3 holds everyone.
      const t = (D: bigint): model.Tallies => ({
        counts: [1n, 2n, 0n],
        requested: [10n, 30n, 0n],
        donated: [D, 0n, 0n],
        conditional: [
          { counts: [0n, 1n, 0n], requested: [0n, 30n, 0n] },
          { counts: [1n, 0n, 0n], requested: [10n, 0n, 0n] },
        ],
      });
      const ladder = [1, 2, 3];
      const bound = (D: bigint) => model.binds(model.resolve(ladder, t(D), HALF_ALL), { level: 1, condition: 2 });
      expect([9n, 10n, 14n, 15n, 39n, 40n].map(bound)).to.deep.equal([false, true, true, false, false, true]);
      expect(model.donationToAdmit(ladder, t(0n), HALF_ALL, 1, 2)).to.equal(10n);
      expect(model.donationToAdmit(ladder, t(20n), HALF_ALL, 1, 2)).to.equal(20n);
    });

    it("is exact on random histories: the least D that binds, found by trying every D", function () {
      fc.assert(
        fc.property(historyArb(HALF_ALL), (h) => {
          const t = talliesOf(h);
          // Beyond c_K · (every request) / 10,000, more donation changes nothing.
          const enough = t.requested.reduce((a, x) => a + x, 0n);
          for (let k = 0; k <= h.conditions.length; k++) {
            for (let j = 1; j <= h.ladder.length; j++) {
              const got = model.donationToAdmit(h.ladder, t, h.conditions, j, k);
              const count =
                k === 0
                  ? h.pledges.filter((x) => x.level === j && x.condition === 0).length
                  : Number(t.conditional![k - 1].counts[j - 1]);
              if (count === 0) {
                expect(got).to.equal(null);
                continue;
              }
              let least: bigint | null = null;
              for (let D = 0n; D <= enough && least === null; D++) {
                const u = structuredClone(t);
                u.donated[j - 1] += D;
                if (model.binds(model.resolve(h.ladder, u, h.conditions), { level: j, condition: k })) least = D;
              }
              expect(got, `bucket (${j}, ${k})`).to.equal(least);
              // Only too few pledges make it impossible: with enough donated X(m) holds everyone.
              if (got === null) expect(h.pledges.length < h.ladder[h.ladder.length - 1]).to.equal(true);
            }
          }
        }),
        { numRuns: 60 },
      );
    });
  });

  describe("conditionSummary", function () {
    const empty = (levels: number): model.Tallies => ({
      counts: Array(levels).fill(0n),
      requested: Array(levels).fill(0n),
      donated: Array(levels).fill(0n),
      conditional: [0, 1].map(() => ({ counts: Array(levels).fill(0n), requested: Array(levels).fill(0n) })),
    });
    const row = (condition: number, bp: number, counts: number[], coveredBp: number) => ({
      condition,
      bp,
      count: BigInt(counts[0]),
      pledged: BigInt(counts[1]),
      requested: BigInt(counts[2]),
      boundRequested: BigInt(counts[3]),
      coveredBp,
    });

    it("shows nothing counted and no bucket without pledges", function () {
      const s = model.conditionSummary([1, 3], empty(2), HALF_ALL);
      expect(s.resolution.succeeded).to.equal(false);
      expect(s.conditions).to.deep.equal([
        row(0, 0, [0, 0, 0, 0], 10_000),
        row(1, 5_000, [0, 0, 0, 0], 10_000),
        row(2, 10_000, [0, 0, 0, 0], 10_000),
      ]);
      expect(s.buckets).to.deep.equal([]);
    });

    it("shows one counted class-1 pledge with its coverage and slack", function () {
      const t = empty(1);
      [t.counts[0], t.requested[0], t.donated[0]] = [1n, 10n, 6n];
      t.conditional![0] = { counts: [1n], requested: [10n] };
      const s = model.conditionSummary([1], t, HALF_ALL);
      expect(s.conditions[1]).to.deep.equal(row(1, 5_000, [1, 1, 10, 10], 6_000));
      expect(s.buckets).to.deep.equal([{ level: 1, condition: 1, count: 1n, requested: 10n, binds: true, slack: 2n }]);
    });

    it("shows two pledges of one bucket left out together (E1)", function () {
      const t = empty(1);
      [t.counts[0], t.requested[0], t.donated[0]] = [2n, 20n, 10n];
      t.conditional![1] = { counts: [2n], requested: [20n] };
      const s = model.conditionSummary([1], t, HALF_ALL);
      expect(s.conditions[2]).to.deep.equal(row(2, 10_000, [0, 2, 20, 0], 10_000));
      expect(s.buckets).to.deep.equal([
        { level: 1, condition: 2, count: 2n, requested: 20n, binds: false, slack: null },
      ]);
    });

    it("shows many: E4 by condition and by bucket, in priority order", function () {
      const t = { counts: [1n, 4n, 3n], requested: [4n, 28n, 16n], donated: [0n, 11n, 33n] };
      const E4 = {
        ...t,
        conditional: [
          { counts: [0n, 0n, 0n], requested: [0n, 0n, 0n] },
          { counts: [0n, 1n, 1n], requested: [0n, 2n, 9n] },
        ],
      };
      const s = model.conditionSummary([5, 6, 7], E4, HALF_ALL);
      expect(s.resolution.committed).to.equal(7n);
      expect(s.conditions).to.deep.equal([
        row(0, 0, [6, 6, 37, 37], 10_000),
        row(1, 5_000, [0, 0, 0, 0], 10_000),
        row(2, 10_000, [1, 2, 11, 2], 10_000),
      ]);
      expect(s.buckets).to.deep.equal([
        { level: 1, condition: 0, count: 1n, requested: 4n, binds: true, slack: null },
        { level: 2, condition: 0, count: 3n, requested: 26n, binds: true, slack: null },
        { level: 3, condition: 0, count: 2n, requested: 7n, binds: true, slack: null },
        { level: 2, condition: 2, count: 1n, requested: 2n, binds: true, slack: 5n },
        { level: 3, condition: 2, count: 1n, requested: 9n, binds: false, slack: null },
      ]);
    });

    it("adds up to the resolution on random histories", function () {
      fc.assert(
        fc.property(historyArb(HALF_ALL), (h) => {
          const s = model.conditionSummary(h.ladder, talliesOf(h), h.conditions);
          expect(s.resolution).to.deep.equal(resolveOf(h));
          expect(s.conditions.reduce((a, x) => a + x.count, 0n)).to.equal(s.resolution.committed);
          expect(s.conditions.reduce((a, x) => a + x.boundRequested, 0n)).to.equal(s.resolution.requestedSupport);
          expect(s.conditions.reduce((a, x) => a + x.pledged, 0n)).to.equal(BigInt(h.pledges.length));
          for (const b of s.buckets) {
            const inside = h.pledges.filter((x) => x.level === b.level && x.condition === b.condition);
            expect(BigInt(inside.length)).to.equal(b.count);
            expect(b.binds).to.equal(model.binds(s.resolution, b));
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});
