/**
 * The one campaign-parameter validator (packages/core/src/campaign-params.ts) held against
 * CampaignFactory on random parameter sets: it accepts exactly what `createCampaign` accepts, and
 * where the factory reverts, it names the same custom error with the same arguments. The sets sit
 * on and around every bound, so several rules often break at once and their order is tested too.
 * `BASCULE_PROPERTY_RUNS` runs more sets (at least 1000); `BASCULE_PROPERTY_SEED` replays one.
 */
import { expect } from "chai";
import fc from "fast-check";
import { type Address, type Hex, getAddress } from "viem";
import {
  CAMPAIGN_PARAMETER_ERRORS,
  type CampaignParameterError,
  type CampaignParameters,
  FINAL_LOCK_MAX,
  FULL_COVERAGE,
  MAX_CONDITIONS,
  MAX_LEVELS,
  PROPOSED_CONDITIONS,
  SUPPORT_CAP_MAX,
  campaignParameterErrors,
  validateCampaignParameters,
} from "@bascule/core/campaign-params";
import { DAY, ZERO, deployFactory, ethers, networkHelpers } from "../helpers/fixtures.js";

/** At least 1000 sets (a few seconds), so every rule is the first one broken in some of them. */
const RUNS = Math.max(1000, Number(process.env.BASCULE_PROPERTY_RUNS ?? "0"));
const SEED = process.env.BASCULE_PROPERTY_SEED === undefined ? undefined : Number(process.env.BASCULE_PROPERTY_SEED);
const U64_MAX = (1n << 64n) - 1n;
const SOME_ADDRESS = getAddress("0x000000000000000000000000000000000000a77e");
const SOME_HASH = `0x${"ab".repeat(32)}` as Hex;

/** An offset from a bound: often exactly on it or one off, sometimes far. */
const around = (spread: bigint) => fc.oneof(fc.constantFrom(-1n, 0n, 1n), fc.bigInt({ min: -spread, max: spread }));

/** Mostly a valid value, sometimes one on or past a bound, so each set breaks about one rule. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<U>) =>
  fc.oneof({ weight: 7, arbitrary: valid }, { weight: 1, arbitrary: edge });

/** What a random set is made of, relative to the block time `now` it is checked at. */
const specArb = fc.record({
  ladder: mostly(
    fc
      .uniqueArray(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: MAX_LEVELS })
      .map((l) => l.sort((a, b) => a - b)),
    fc.oneof(
      fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 0, maxLength: 8 }),
      fc.integer({ min: MAX_LEVELS, max: MAX_LEVELS + 2 }).map((n) => Array.from({ length: n }, (_, i) => i + 1)),
    ),
  ),
  /** Seconds from now to the deadline. */
  deadline: mostly(fc.bigInt({ min: 2n * BigInt(DAY), max: 30n * BigInt(DAY) }), around(3n)),
  /** The final lock: against its cap, or against the time left. */
  finalLock: mostly(
    fc.bigInt({ min: 0n, max: BigInt(DAY) }),
    fc.oneof(
      around(10n).map((d) => ({ from: "max" as const, d })),
      around(10n).map((d) => ({ from: "left" as const, d })),
    ),
  ),
  /** Seconds from the deadline to the action date. */
  action: mostly(fc.bigInt({ min: 0n, max: 10n * BigInt(DAY) }), around(2n)),
  claimWindow: mostly(fc.bigInt({ min: 1n, max: 365n * BigInt(DAY) }), fc.constantFrom(0n, "huge" as const)),
  /** With an oracle, its window; the edge puts one without the other. */
  oracle: mostly(
    fc.oneof(
      fc.constant({ has: false, window: 0n }),
      fc.bigInt({ min: 1n, max: 30n * BigInt(DAY) }).map((window) => ({ has: true, window })),
    ),
    fc.oneof(
      fc.constant({ has: true, window: 0n }),
      fc.bigInt({ min: 1n, max: 30n * BigInt(DAY) }).map((window) => ({ has: false, window })),
    ),
  ),
  supportCap: mostly(
    fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 1n << 80n })),
    around(2n).map((d) => SUPPORT_CAP_MAX + d),
  ),
  /** A gate where there is money, mostly. */
  attester: mostly(fc.constant(true), fc.constant(false)),
  metadataHash: mostly(fc.constant(true), fc.constant(false)),
  /**
   * The conditions: mostly a valid list (dropped where there is no support cap), sometimes too many, out
   * of order or range (0, equal, decreasing, above 10,000), or a valid list kept without a cap.
   */
  conditions: mostly(
    validConditionsArb().map((list) => ({ list, withoutCap: false })),
    fc
      .oneof(
        fc
          .array(fc.integer({ min: 1, max: FULL_COVERAGE }), { minLength: MAX_CONDITIONS + 1, maxLength: 5 })
          .map((list) => list.sort((a, b) => a - b)),
        fc.tuple(fc.integer({ min: 0, max: 2 ** 16 - 1 }), fc.integer({ min: 0, max: 2 ** 16 - 1 })),
        fc.constantFrom([0], [0, 5_000], [5_000, 5_000], [10_000, 5_000], [FULL_COVERAGE + 1], [1, FULL_COVERAGE + 1]),
        validConditionsArb().filter((list) => list.length > 0),
      )
      .map((list) => ({ list: [...list], withoutCap: true })),
  ),
});

/** A valid list of conditions: none, the proposed ones, full coverage only, 1 basis point, or any rising pair. */
function validConditionsArb(): fc.Arbitrary<number[]> {
  return fc.oneof(
    fc.constantFrom<number[]>([], [...PROPOSED_CONDITIONS], [FULL_COVERAGE], [1], [1, FULL_COVERAGE]),
    fc
      .uniqueArray(fc.integer({ min: 1, max: FULL_COVERAGE }), { minLength: 1, maxLength: MAX_CONDITIONS })
      .map((list) => list.sort((a, b) => a - b)),
  );
}

type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

function parameters(spec: Spec, now: bigint): CampaignParameters {
  const pledgeDeadline = now + spec.deadline;
  const left = pledgeDeadline - now;
  const finalLock =
    typeof spec.finalLock === "bigint"
      ? spec.finalLock
      : (spec.finalLock.from === "max" ? FINAL_LOCK_MAX : left) + spec.finalLock.d;
  const actionDate = pledgeDeadline + spec.action;
  const { has: hasOracle, window: oracleWindow } = spec.oracle;
  const claimWindow =
    spec.claimWindow === "huge" ? U64_MAX - actionDate - oracleWindow + (actionDate % 2n) : spec.claimWindow;
  const clamp = (x: bigint) => (x < 0n ? 0n : x > U64_MAX ? U64_MAX : x);
  return {
    token: ZERO,
    pledgeDeadline: clamp(pledgeDeadline),
    finalLock: clamp(finalLock),
    actionDate: clamp(actionDate),
    oracleWindow,
    claimWindow: clamp(claimWindow),
    supportCap: spec.supportCap,
    conditions: spec.supportCap === 0n && !spec.conditions.withoutCap ? [] : spec.conditions.list,
    attester: spec.attester ? SOME_ADDRESS : ZERO,
    oracle: hasOracle ? getAddress("0x90F79bf6EB2c4f870365E785982E1f101E93b906") : ZERO,
    metadataHash: spec.metadataHash ? SOME_HASH : (`0x${"00".repeat(32)}` as Hex),
    ladder: spec.ladder,
  };
}

describe("campaign parameters: the validator and the factory", function () {
  it(`gives the factory's verdict, error and arguments, on ${RUNS} random parameter sets`, async function () {
    this.timeout(0);
    const { factory, organiser } = await deployFactory();
    const seen = new Map<string, number>();
    let salt = 0n;
    await fc.assert(
      fc.asyncProperty(specArb, async (spec) => {
        const now = BigInt(await networkHelpers.time.latest()) + 10n;
        const params = parameters(spec, now);
        const verdict = validateCampaignParameters(params, now);
        // Every rule broken is listed, in the factory's order; the verdict is the first.
        const all = campaignParameterErrors(params, now);
        expect(all[0] ?? null).to.deep.equal(verdict);
        const order = all.map((e) => CAMPAIGN_PARAMETER_ERRORS.indexOf(e.errorName));
        expect(order).to.deep.equal([...order].sort((a, b) => a - b));

        salt += 1n;
        await networkHelpers.time.setNextBlockTimestamp(now);
        const tx = factory
          .connect(organiser)
          .createCampaign(
            { ...params, ladder: [...params.ladder], conditions: [...params.conditions] },
            "ipfs://bascule",
            ethers.toBeHex(salt, 32),
          );
        const name = verdict?.errorName ?? "accepted";
        seen.set(name, (seen.get(name) ?? 0) + 1);
        if (verdict === null) await expect(tx).to.emit(factory, "CampaignCreated");
        else
          await expect(tx)
            .to.be.revertedWithCustomError(factory, verdict.errorName)
            .withArgs(...verdict.args);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`      verdicts: ${[...seen].map(([k, v]) => `${k} ${v}`).join(", ")}`);
    // The sets are not degenerate: every rule was the factory's answer at least once, and so was "accepted".
    for (const name of [...CAMPAIGN_PARAMETER_ERRORS, "accepted"])
      expect(seen.get(name) ?? 0, name).to.be.greaterThan(0);
  });

  it("checks the conditions as the factory does: each error with its arguments, and the lists it accepts", async function () {
    const { factory, organiser } = await deployFactory();
    const baseAt = (now: bigint): CampaignParameters => ({
      token: ZERO as Address,
      pledgeDeadline: now + 7n * BigInt(DAY),
      finalLock: 0n,
      actionDate: now + 8n * BigInt(DAY),
      oracleWindow: 0n,
      claimWindow: 30n * BigInt(DAY),
      supportCap: 10n ** 18n,
      conditions: [],
      attester: SOME_ADDRESS,
      oracle: ZERO as Address,
      metadataHash: SOME_HASH,
      ladder: [2, 5, 10],
    });
    const cases: [Partial<CampaignParameters>, CampaignParameterError[]][] = [
      [{ conditions: [1_000, 5_000, 10_000] }, [{ errorName: "TooManyConditions", args: [3n] }]],
      [{ conditions: [0] }, [{ errorName: "InvalidCondition", args: [0n, 0] }]],
      [{ conditions: [5_000, 5_000] }, [{ errorName: "InvalidCondition", args: [1n, 5_000] }]],
      [{ conditions: [10_000, 5_000] }, [{ errorName: "InvalidCondition", args: [1n, 5_000] }]],
      [{ conditions: [10_001] }, [{ errorName: "InvalidCondition", args: [0n, 10_001] }]],
      [{ conditions: [5_000, 10_000], supportCap: 0n }, [{ errorName: "ConditionsWithoutSupport", args: [] }]],
      [
        { conditions: [0], supportCap: 0n },
        [
          { errorName: "InvalidCondition", args: [0n, 0] },
          { errorName: "ConditionsWithoutSupport", args: [] },
        ],
      ],
      [{ conditions: [...PROPOSED_CONDITIONS] }, []],
      [{ conditions: [10_000] }, []],
      [{ conditions: [1] }, []],
      [{ conditions: [] }, []],
      [{ conditions: [], supportCap: 0n }, []],
    ];
    let salt = 0n;
    for (const [overrides, expected] of cases) {
      const now = BigInt(await networkHelpers.time.latest()) + 10n;
      const params = { ...baseAt(now), ...overrides };
      const label = `conditions [${params.conditions.join(", ")}], cap ${params.supportCap}`;
      expect(campaignParameterErrors(params, now), label).to.deep.equal(expected);
      salt += 1n;
      await networkHelpers.time.setNextBlockTimestamp(now);
      const tx = factory
        .connect(organiser)
        .createCampaign(
          { ...params, ladder: [...params.ladder], conditions: [...params.conditions] },
          "ipfs://bascule",
          ethers.toBeHex(salt, 32),
        );
      if (expected.length === 0) await expect(tx, label).to.emit(factory, "CampaignCreated");
      else
        await expect(tx, label)
          .to.be.revertedWithCustomError(factory, expected[0].errorName)
          .withArgs(...expected[0].args);
    }
  });

  it("skips a rule that reads a parameter left out, as a form with a field not yet valid has", function () {
    const now = 1_000n;
    const partial = { pledgeDeadline: 500n, actionDate: 400n } satisfies Partial<CampaignParameters>;
    expect(campaignParameterErrors(partial, now).map((e) => e.errorName)).to.deep.equal([
      "DeadlineNotInFuture",
      "ActionBeforeDeadline",
    ]);
    expect(campaignParameterErrors({ ...partial, finalLock: 0n }, now).map((e) => e.errorName)).to.deep.equal([
      "DeadlineNotInFuture",
      "InvalidFinalLock",
      "ActionBeforeDeadline",
    ]);
    expect(campaignParameterErrors({ supportCap: 1n, attester: ZERO as Address }, now)).to.deep.equal([]);
    expect(
      campaignParameterErrors({ supportCap: 1n, attester: ZERO as Address, oracle: ZERO as Address }, now),
    ).to.deep.equal([{ errorName: "GateRequired", args: [] }]);
  });
});
