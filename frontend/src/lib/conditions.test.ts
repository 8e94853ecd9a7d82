import { describe, expect, it } from "vitest";
import { type Tallies, conditionSummary } from "@bascule/core/model";
import {
  atLeastChoice,
  conditionRows,
  slacks,
  conditionForAtLeast,
  conditionKind,
  formatCoverage,
  guaranteed,
  lockRules,
  parseAtLeast,
  pledgeStanding,
  withPledge,
} from "./conditions.ts";

const HALF_ALL = [5_000, 10_000];
const EURO = 2; // a euro stablecoin's cents, for readable amounts: 7_500n is €75.00

describe("conditionKind", () => {
  it("names none, half, all, and any other class by its percentage", () => {
    expect([0, 5_000, 10_000, 2_500].map(conditionKind)).toEqual(["none", "half", "all", "percent"]);
  });
});

describe("conditionForAtLeast", () => {
  it("picks the smallest class whose guarantee covers the amount", () => {
    // a request of €75: at least half guarantees €37.50, all guarantees €75
    expect(conditionForAtLeast(3_750n, 7_500n, HALF_ALL)).toEqual({ kind: "class", condition: 1, amount: 3_750n });
    expect(conditionForAtLeast(3_751n, 7_500n, HALF_ALL)).toEqual({ kind: "class", condition: 2, amount: 3_751n });
    expect(conditionForAtLeast(7_500n, 7_500n, HALF_ALL)).toEqual({ kind: "class", condition: 2, amount: 7_500n });
    expect(conditionForAtLeast(1n, 7_500n, HALF_ALL)).toEqual({ kind: "class", condition: 1, amount: 1n });
  });

  it("needs no condition for nothing, and explains that more than the request cannot be covered", () => {
    expect(conditionForAtLeast(0n, 7_500n, HALF_ALL)).toEqual({ kind: "class", condition: 0, amount: 0n });
    expect(conditionForAtLeast(7_501n, 7_500n, HALF_ALL)).toEqual({ kind: "aboveRequest", amount: 7_501n });
    expect(conditionForAtLeast(-1n, 7_500n, HALF_ALL)).toEqual({ kind: "invalid" });
  });

  it("says what the largest class covers when the campaign's classes stop below 100 %", () => {
    expect(conditionForAtLeast(5_000n, 7_500n, [2_500, 6_000])).toEqual({
      kind: "aboveOffered",
      amount: 5_000n,
      most: 4_500n,
    });
  });

  it("never rounds a need down: the class's guarantee is at least X, the class below's is not", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (const conditions of [HALF_ALL, [3_333], [1, 9_999], [2_500, 10_000]]) {
      for (let i = 0; i < 400; i++) {
        const support = BigInt(1 + random(100_000));
        const x = BigInt(1 + random(Number(support)));
        const choice = conditionForAtLeast(x, support, conditions);
        if (choice.kind === "aboveOffered") {
          expect(
            guaranteed(support, conditions.at(-1)!) < x || conditions.at(-1)! * Number(support) < Number(x) * 1e4,
          ).toBe(true);
          continue;
        }
        expect(choice.kind).toBe("class");
        if (choice.kind !== "class") continue;
        const k = choice.condition;
        expect(guaranteed(support, conditions[k - 1]), `${x} of ${support}`).toBeGreaterThanOrEqual(x);
        if (k > 1) expect(BigInt(conditions[k - 2]) * support < x * 10_000n).toBe(true);
      }
    }
  });
});

describe("the 'at least X' field, as tired or hostile people type it", () => {
  const pick = (text: string, decimals = EURO) => atLeastChoice(text, decimals, 7_500n, HALF_ALL);

  it("reads French and English decimals, a euro sign and spaces", () => {
    expect(pick("37,5")).toEqual({ kind: "class", condition: 1, amount: 3_750n });
    expect(pick("37.50")).toEqual({ kind: "class", condition: 1, amount: 3_750n });
    expect(pick(" 37,50 € ")).toEqual({ kind: "class", condition: 1, amount: 3_750n });
    expect(pick("€40")).toEqual({ kind: "class", condition: 2, amount: 4_000n });
    expect(pick("40 euros")).toEqual({ kind: "class", condition: 2, amount: 4_000n });
    expect(pick("40\u202f€")).toEqual({ kind: "class", condition: 2, amount: 4_000n });
    expect(pick("0")).toEqual({ kind: "class", condition: 0, amount: 0n });
  });

  it("is empty, not wrong, while nothing is typed", () => {
    expect(pick("")).toBeNull();
    expect(pick("   ")).toBeNull();
  });

  it("refuses letters, signs, exponents, several separators and too many decimals", () => {
    for (const bad of [
      "abc",
      "trente",
      "-5",
      "−5",
      "+5",
      "1e9",
      "1E3",
      "37,5,0",
      "1.2.3",
      "37.555",
      "0x10",
      "Infinity",
      "NaN",
      "€",
      "5-",
      "½",
      "١٢",
    ]) {
      expect(pick(bad), bad).toEqual({ kind: "invalid" });
    }
  });

  it("explains that a huge amount cannot be more than the request", () => {
    expect(pick("1000000000")).toEqual({ kind: "aboveRequest", amount: 100_000_000_000n });
    expect(pick("75,01")).toEqual({ kind: "aboveRequest", amount: 7_501n });
    expect(pick("75")).toEqual({ kind: "class", condition: 2, amount: 7_500n });
    expect(pick(`${"9".repeat(80)}`)?.kind).toBe("aboveRequest");
  });

  it("parses exactly, without floating point", () => {
    expect(parseAtLeast("0.1", 18)).toBe(100_000_000_000_000_000n);
    expect(parseAtLeast("37,5", 6)).toBe(37_500_000n);
  });
});

/** Tallies with conditions [half, all] from buckets (level, count, requested, condition). */
function tallies(levels: number, buckets: [number, number, number, number][], donated: number[], K = 2): Tallies {
  let t: Tallies = {
    counts: Array(levels).fill(0n),
    requested: Array(levels).fill(0n),
    donated: donated.map(BigInt),
    conditional: Array.from({ length: K }, () => ({
      counts: Array(levels).fill(0n),
      requested: Array(levels).fill(0n),
    })),
  };
  for (const [level, count, requested, condition] of buckets) {
    for (let i = 0; i < count; i++) {
      t = withPledge(t, K, { level, support: i === 0 ? BigInt(requested) : 0n, condition });
    }
  }
  return t;
}

describe("withPledge", () => {
  it("adds one pledge to the totals and to its condition's part", () => {
    const t = withPledge(tallies(2, [], [0, 0]), 2, { level: 2, support: 5n, condition: 1 });
    expect(t.counts).toEqual([0n, 1n]);
    expect(t.requested).toEqual([0n, 5n]);
    expect(t.conditional![0]).toEqual({ counts: [0n, 1n], requested: [0n, 5n] });
    expect(t.conditional![1]).toEqual({ counts: [0n, 0n], requested: [0n, 0n] });
  });
  it("leaves the tallies it was given alone", () => {
    const t = tallies(1, [], [0]);
    withPledge(t, 2, { level: 1, support: 5n, condition: 2 });
    expect(t.counts).toEqual([0n]);
    expect(t.conditional![1].counts).toEqual([0n]);
  });
});

describe("pledgeStanding", () => {
  it("counts a pledge whose condition the fund meets, with the uniform coverage", () => {
    // ladder 1; one (1, 10, all) pledge and 15 donated: bound, fully covered
    const s = pledgeStanding([1], tallies(1, [[1, 1, 10, 2]], [15]), HALF_ALL, { level: 1, condition: 2 });
    expect(s).toMatchObject({ counted: true, coverageBp: 10_000 });
  });

  it("says how much more donated would let a pledge's group in", () => {
    // the model's own example: 4 donated, 6 more make the (1, 10, all) pledge bind
    const s = pledgeStanding([1], tallies(1, [[1, 1, 10, 2]], [4]), HALF_ALL, { level: 1, condition: 2 });
    expect(s).toMatchObject({ counted: false, donation: 6n, level: 1 });
    // at least half: 5 covers it, 1 more
    const half = pledgeStanding([1], tallies(1, [[1, 1, 10, 1]], [4]), HALF_ALL, { level: 1, condition: 1 });
    expect(half).toMatchObject({ counted: false, donation: 1n });
  });

  it("gives MECHANISM's E6: the (1, 4, half) pledge out, and coverage 9/17 once it declared no condition", () => {
    const e6 = tallies(
      1,
      [
        [1, 1, 0, 0],
        [1, 1, 10, 0],
        [1, 1, 3, 0],
        [1, 1, 4, 1],
        [1, 1, 9, 2],
        [1, 1, 0, 0],
        [1, 1, 2, 1],
      ],
      [9],
    );
    expect(pledgeStanding([1], e6, HALF_ALL, { level: 1, condition: 1 }).counted).toBe(false);
    const declared = tallies(
      1,
      [
        [1, 1, 0, 0],
        [1, 1, 10, 0],
        [1, 1, 3, 0],
        [1, 1, 4, 0],
        [1, 1, 9, 2],
        [1, 1, 0, 0],
        [1, 1, 2, 1],
      ],
      [9],
    );
    expect(pledgeStanding([1], declared, HALF_ALL, { level: 1, condition: 0 })).toMatchObject({
      counted: true,
      coverageBp: 5_294,
    });
  });

  it("finds no donation when the count keeps a group out", () => {
    // ladder 1, 3: two unconditional pledges at level 2 can never reach 3 on their own
    const s = pledgeStanding([1, 3], tallies(2, [[2, 2, 0, 0]], [0, 0]), HALF_ALL, { level: 2, condition: 0 });
    expect(s).toMatchObject({ counted: false, donation: null });
  });
});

describe("lockRules", () => {
  it("leaves everything open outside the lock", () => {
    expect(lockRules(false, null)).toEqual({ newPledgeConditionFree: false, conditionalSupportOnly: false });
    expect(lockRules(false, { level: 1, condition: 2 })).toEqual({
      newPledgeConditionFree: false,
      conditionalSupportOnly: false,
    });
  });
  it("during the lock: a new pledge has no condition, a conditional one may only lower its support", () => {
    expect(lockRules(true, null).newPledgeConditionFree).toBe(true);
    expect(lockRules(true, { level: 0, condition: 0 }).newPledgeConditionFree).toBe(true);
    expect(lockRules(true, { level: 2, condition: 1 })).toEqual({
      newPledgeConditionFree: false,
      conditionalSupportOnly: true,
    });
    expect(lockRules(true, { level: 2, condition: 0 }).conditionalSupportOnly).toBe(false);
  });
});

describe("formatCoverage", () => {
  it("rounds down to a tenth of a percent, so nearly all never reads all", () => {
    expect(formatCoverage(5_294, "en-GB")).toBe("52.9%");
    expect(formatCoverage(9_999, "en-GB")).toBe("99.9%");
    expect(formatCoverage(10_000, "en-GB")).toBe("100%");
    expect(formatCoverage(0, "en-GB")).toBe("0%");
    // a no-break space before % in French (narrow or not, as the ICU data has it)
    expect(formatCoverage(5_000, "fr-FR")).toMatch(/^50[\u00a0\u202f]%$/);
  });
});

describe("conditionRows and slacks", () => {
  it("are the model's conditionSummary, split in its cheap part and its slacks, on random histories", () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 200; run++) {
      const m = 1 + random(4);
      const ladder = Array.from({ length: m }, (_, i) => 1 + i * (1 + random(3)));
      const buckets: [number, number, number, number][] = Array.from({ length: random(8) }, () => [
        1 + random(m),
        1 + random(3),
        random(20),
        random(3),
      ]);
      const t = tallies(
        m,
        buckets,
        Array.from({ length: m }, () => random(30)),
      );
      const model = conditionSummary(ladder, t, HALF_ALL);
      const rows = conditionRows(ladder, t, HALF_ALL);
      expect(rows.resolution).toEqual(model.resolution);
      expect(rows.conditions).toEqual(model.conditions);
      expect(rows.buckets).toEqual(model.buckets.map((b) => ({ ...b, slack: null })));
      const want = Object.fromEntries(
        model.buckets.filter((b) => b.slack !== null).map((b) => [`${b.level}-${b.condition}`, b.slack]),
      );
      expect(slacks(ladder, t, HALF_ALL)).toEqual(want);
    }
  });
});
