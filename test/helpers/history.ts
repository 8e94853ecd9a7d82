/**
 * Random campaign histories for the differential property tests (fast-check), and the plain
 * simulation of what each one must leave: who pledged what, which donations are still in escrow.
 *
 * A generated `HistorySpec` is raw (a withdrawal may name a key that has no pledge); `planHistory`
 * turns it into a valid sequence of steps and the state the campaign must record, without using
 * the reference model, so the test can hold three things against each other: the plan, the model
 * replaying the contract's event log, and the contract itself.
 */
import fc from "fast-check";

/** Most pledge keys one history uses (keys are reused across histories, signatures are not). */
export const MAX_KEYS = 72;
/** Donor accounts (signers) a history may use. */
export const DONORS = 4;
/** Amounts stay below these bounds so no level reaches the contract's per-level limit (2^90 - 1). */
export const MAX_DONATION = 1n << 84n;
export const MAX_CAP = 1n << 80n;

export interface PledgeOp {
  key: number;
  /** 1..m, or 0 to withdraw (turned into a pledge by `planHistory` when the key has none). */
  level: number;
  support: bigint;
}

export type RawAction =
  | { kind: "pledges"; ops: PledgeOp[] }
  | { kind: "donate"; donor: number; level: number; amount: bigint }
  | { kind: "withdrawDonation"; pick: number }
  | { kind: "wait"; seconds: number };

export interface HistorySpec {
  ladder: number[];
  cap: bigint;
  erc20: boolean;
  actions: RawAction[];
  /** The last pre-deadline step lands exactly on the deadline (the last second it is accepted). */
  lastAtDeadline: boolean;
  /** Per pledge key (index), whether it claims inside the window, and the fee it leaves, in 1/256 of its claim. */
  claimsEarly: boolean[];
  feeFraction: number[];
  /** Per donation (in creation order), whether its donor reclaims inside the claim window. */
  reclaimsEarly: boolean[];
  /** Seconds after resolution the early claims happen (clamped to the claim window). */
  earlyDelay: number;
  /** Late actions happen exactly at the window's end (claims still allowed) or after it. */
  lateAtClaimEnd: boolean;
  /**
   * Per pledge step, how many already-used signed pledges are copied at the end of its batch (the
   * batch-veto attack): each must be skipped with PledgeSkipped(InvalidNonce), the rest land.
   */
  replays: number[];
}

export type PlannedStep =
  | {
      kind: "pledges";
      ops: { key: number; level: number; support: bigint; nonce: number }[];
    }
  | { kind: "donate"; donor: number; level: number; amount: bigint; id: bigint }
  | { kind: "withdrawDonation"; id: bigint; donor: number; amount: bigint }
  | { kind: "wait"; seconds: number };

export interface PlannedDonation {
  id: bigint;
  donor: number;
  level: number;
  amount: bigint;
  withdrawn: boolean;
}

export interface Plan {
  steps: PlannedStep[];
  /** Final pledge per key that ever pledged: level 0 once withdrawn. */
  pledges: Map<number, { level: number; support: bigint }>;
  donations: PlannedDonation[];
}

/** Turns a raw spec into valid steps (nonces, donation ids) and the state they must leave. */
export function planHistory(spec: HistorySpec): Plan {
  const m = spec.ladder.length;
  const pledges = new Map<number, { level: number; support: bigint }>();
  const nonces = new Map<number, number>();
  const donations: PlannedDonation[] = [];
  const steps: PlannedStep[] = [];
  for (const action of spec.actions) {
    switch (action.kind) {
      case "pledges": {
        const ops = action.ops.map((op) => {
          const current = pledges.get(op.key);
          let level = op.level;
          // A withdrawal needs a pledge: without one, pledge at a level derived from the key instead.
          if (level === 0 && (current === undefined || current.level === 0)) level = (op.key % m) + 1;
          const support = level === 0 ? 0n : op.support;
          const nonce = nonces.get(op.key) ?? 0;
          nonces.set(op.key, nonce + 1);
          pledges.set(op.key, { level, support });
          return { key: op.key, level, support: op.support, nonce };
        });
        steps.push({ kind: "pledges", ops });
        break;
      }
      case "donate": {
        const id = BigInt(donations.length);
        donations.push({
          id,
          donor: action.donor,
          level: action.level,
          amount: action.amount,
          withdrawn: false,
        });
        steps.push({
          kind: "donate",
          donor: action.donor,
          level: action.level,
          amount: action.amount,
          id,
        });
        break;
      }
      case "withdrawDonation": {
        const live = donations.filter((d) => !d.withdrawn);
        if (live.length === 0) break;
        const d = live[action.pick % live.length];
        d.withdrawn = true;
        steps.push({
          kind: "withdrawDonation",
          id: d.id,
          donor: d.donor,
          amount: d.amount,
        });
        break;
      }
      case "wait":
        steps.push(action);
        break;
    }
  }
  return { steps, pledges, donations };
}

/** Strictly increasing ladders of 1..64 levels; small steps so that the tipping level lands anywhere. */
export const ladderArb = fc
  .record({
    first: fc.integer({ min: 1, max: 6 }),
    steps: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, fc.integer({ min: 1, max: 5 })), {
      minLength: 0,
      maxLength: 63,
      // "max": lengths over the whole 0..63 range, not only fast-check's small default sizes.
      size: "max",
    }),
  })
  .map(({ first, steps }) => {
    const ladder = [first];
    for (const s of steps) ladder.push(ladder[ladder.length - 1] + s);
    return ladder;
  });

/** Amounts biased toward the edges: tiny ones (rounding), and large ones (overflow, precision). */
function amountArb(max: bigint): fc.Arbitrary<bigint> {
  return fc.oneof(
    fc.bigInt({ min: 1n, max: 1000n < max ? 1000n : max }),
    fc.bigInt({ min: 1n, max: max < 10n ** 18n ? max : 10n ** 18n }),
    fc.bigInt({ min: 1n, max }),
  );
}

const capArb = fc.constantFrom(1n, 7n, 1000n, 10n ** 18n, MAX_CAP);

export const historyArb: fc.Arbitrary<HistorySpec> = fc
  .record({
    ladder: ladderArb,
    cap: capArb,
    // Mostly small crowds (cheap histories); one in six large enough to tip a long ladder high.
    keys: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 24 }) }, fc.integer({ min: 25, max: MAX_KEYS })),
    spreadSeed: fc.nat(),
  })
  .chain(({ ladder, cap, keys, spreadSeed }) => {
    const m = ladder.length;
    // Pledge levels favour the rungs 1..spread, so the tipping level can land anywhere up to the crowd's size.
    const spread = 1 + (spreadSeed % Math.min(m, keys));
    const levelArb = fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: spread }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: m }) },
      { weight: 1, arbitrary: fc.constant(0) },
    );
    const supportArb = fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: cap }), fc.constant(cap));
    const opArb = fc.record({
      key: fc.integer({ min: 0, max: keys - 1 }),
      level: levelArb,
      support: supportArb,
    });
    const firstPledges = fc
      .array(
        fc.record({
          level: levelArb.filter((l) => l !== 0),
          support: supportArb,
        }),
        {
          minLength: keys,
          maxLength: keys,
        },
      )
      .map((ops) => ({
        kind: "pledges" as const,
        ops: ops.map((op, key) => ({ key, ...op })),
      }));
    const actionArb: fc.Arbitrary<RawAction> = fc.oneof(
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant("pledges" as const),
          ops: fc.array(opArb, { minLength: 1, maxLength: 8 }),
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant("donate" as const),
          donor: fc.integer({ min: 0, max: DONORS - 1 }),
          level: fc.integer({ min: 1, max: m }),
          amount: amountArb(MAX_DONATION),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("withdrawDonation" as const),
          pick: fc.nat(100),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("wait" as const),
          seconds: fc.integer({ min: 1, max: 86_400 }),
        }),
      },
    );
    return fc.record({
      ladder: fc.constant(ladder),
      cap: fc.constant(cap),
      erc20: fc.boolean(),
      actions: fc.tuple(firstPledges, fc.array(actionArb, { maxLength: 8 })).map(([first, rest]) => [first, ...rest]),
      lastAtDeadline: fc.boolean(),
      claimsEarly: fc.array(fc.boolean(), { minLength: keys, maxLength: keys }),
      feeFraction: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 256 })), {
        minLength: keys,
        maxLength: keys,
      }),
      reclaimsEarly: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      earlyDelay: fc.integer({ min: 1, max: 40 * 86_400 }),
      lateAtClaimEnd: fc.boolean(),
      replays: fc.array(fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 2 })), {
        minLength: 9,
        maxLength: 9,
      }),
    });
  });
