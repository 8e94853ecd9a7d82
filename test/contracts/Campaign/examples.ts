/**
 * The examples of MECHANISM.md, "Resolution with conditions" (E1–E6), as on-chain histories, for the
 * resolve, claim and adversarial tests: a campaign with the proposed conditions [5000, 10000] (classes
 * 0, ½, 1 numbered 0, 1, 2), its pledges in one relayed batch, each donation from its own donor.
 * No tests here.
 */
import { expect } from "chai";
import type { Address, LocalAccount } from "viem";
import * as model from "@bascule/core/model";
import { encodePledges } from "@bascule/core/signing";
import {
  type CampaignContract,
  type Factory,
  Entitlement,
  claimFor,
  createCampaign,
  defaultParams,
  ethers,
  networkHelpers,
  newPledgeKey,
  pledgeFor,
} from "../../helpers/fixtures.js";

type Signer = Awaited<ReturnType<typeof ethers.getSigners>>[number];

/** The conditions the dApp proposes, in basis points: class 1 = half, class 2 = all of the request. */
export const CONDITIONS = [5_000, 10_000];

/** A history as MECHANISM.md writes it: pledges (level, s, class), donations (level, D). */
export interface Example {
  ladder: number[];
  pledges: [level: number, support: bigint, condition: number][];
  donations: [level: number, amount: bigint][];
}

const E4_PLEDGES: Example["pledges"] = [
  [2, 2n, 2],
  [3, 7n, 0],
  [2, 8n, 0],
  [2, 9n, 0],
  [2, 9n, 0],
  [3, 9n, 2],
  [3, 0n, 0],
  [1, 4n, 0],
];

export const EXAMPLES = {
  /** No greatest set: either pledge alone is consistent; equal pledges are treated alike, so P = 0. */
  E1: {
    ladder: [1],
    pledges: [
      [1, 10n, 2],
      [1, 10n, 2],
    ],
    donations: [[1, 10n]],
  },
  /** P = 5: the five class-2 pledges at level 1. */
  E2: {
    ladder: [1, 6],
    pledges: [
      [1, 1n, 2],
      [1, 1n, 2],
      [1, 1n, 2],
      [1, 1n, 2],
      [1, 1n, 2],
      [2, 100n, 0],
    ],
    donations: [[1, 5n]],
  },
  /** E2 and a newcomer (1, 0, 0) asking nothing: P = 1. */
  E2newcomer: {
    ladder: [1, 6],
    pledges: [
      [1, 1n, 2],
      [1, 1n, 2],
      [1, 1n, 2],
      [1, 1n, 2],
      [1, 1n, 2],
      [2, 100n, 0],
      [1, 0n, 0],
    ],
    donations: [[1, 5n]],
  },
  /** Hold-out, as everyone declares class 0: P = 3, the first pledge is paid 3. */
  E3: {
    ladder: [1, 3],
    pledges: [
      [1, 10n, 0],
      [2, 10n, 0],
      [2, 10n, 0],
    ],
    donations: [[1, 10n]],
  },
  /** E3 with the first pledge at class 2: P = 1, it is paid 10. */
  E3holdOut: {
    ladder: [1, 3],
    pledges: [
      [1, 10n, 2],
      [2, 10n, 0],
      [2, 10n, 0],
    ],
    donations: [[1, 10n]],
  },
  /** Part of a class: P = 7, j* = 3, k* = 2, j*_k = 2; the class-2 pledge at level 3 is not bound. */
  E4: {
    ladder: [5, 6, 7],
    pledges: E4_PLEDGES,
    donations: [
      [3, 14n],
      [2, 11n],
      [3, 19n],
    ],
  },
  /** Bucket poisoning: E4 plus (2, 9, 2), P = 0. */
  E5: {
    ladder: [5, 6, 7],
    pledges: [...E4_PLEDGES, [2, 9n, 2]],
    donations: [
      [3, 14n],
      [2, 11n],
      [3, 19n],
    ],
  },
  /** Understating: P = 4, the (1, 4, 1) pledge (its whole bucket) out. */
  E6: {
    ladder: [1],
    pledges: [
      [1, 0n, 0],
      [1, 10n, 0],
      [1, 3n, 0],
      [1, 4n, 1],
      [1, 9n, 2],
      [1, 0n, 0],
      [1, 2n, 1],
    ],
    donations: [[1, 9n]],
  },
  /** E6 with the (1, 4, 1) pledge declared (1, 4, 0): P = 5, bound, coverage 9/17. */
  E6declared: {
    ladder: [1],
    pledges: [
      [1, 0n, 0],
      [1, 10n, 0],
      [1, 3n, 0],
      [1, 4n, 0],
      [1, 9n, 2],
      [1, 0n, 0],
      [1, 2n, 1],
    ],
    donations: [[1, 9n]],
  },
} satisfies Record<string, Example>;

/** What MECHANISM.md's example says, and the figures it implies. */
export interface Expected {
  tippingLevel: number;
  committed: bigint;
  triggered: bigint;
  requested: bigint;
  paid: bigint;
  boundCondition: number;
  boundConditionLevel: number;
  /** Index of each bound pledge in the example's list. */
  bound: number[];
}

let salt = 0;

/**
 * Creates a campaign (the default attester, cap 1 ETH, conditions [5000, 10000] unless given) and
 * records the example: its pledges in one batch (each must land), then each donation from `donors[i]`.
 */
export async function exampleCampaign(
  factory: Factory,
  organiser: Signer,
  donors: Signer[],
  example: Example,
  overrides: Parameters<typeof defaultParams>[0] = {},
) {
  const params = await defaultParams({ ladder: example.ladder, conditions: CONDITIONS, ...overrides });
  const campaign = await createCampaign(factory, organiser, params, ethers.id(`example ${++salt}`));
  const keys = example.pledges.map(() => newPledgeKey());
  const signed = await Promise.all(
    example.pledges.map(([level, support, condition], i) =>
      pledgeFor(campaign, keys[i], level, support, { condition }),
    ),
  );
  const receipt = await (await campaign.pledgeBatch(encodePledges(signed))).wait();
  const landed = receipt!.logs.map((l) => campaign.interface.parseLog(l)).filter((e) => e?.name === "Pledged");
  expect(landed.length, "every pledge of the example lands").to.equal(example.pledges.length);
  for (const [i, [level, amount]] of example.donations.entries()) {
    await (await campaign.connect(donors[i]).donate(level, amount, { value: amount })).wait();
  }
  return { campaign, keys, params };
}

/** The example's tallies as the reference model counts them. */
export function exampleTallies(example: Example, conditionCount = CONDITIONS.length): model.Tallies {
  const state: model.HistoryState = { pledges: new Map(), donations: new Map() };
  example.pledges.forEach(([level, support, condition], i) =>
    model.applyEvent(state, { kind: "Pledged", pledgeKey: `0x${(i + 1).toString(16)}`, level, support, condition }),
  );
  example.donations.forEach(([level, amount], i) =>
    model.applyEvent(state, { kind: "Donated", donationId: BigInt(i), donor: "0x0", level, amount }),
  );
  return model.tallies(example.ladder.length, state, conditionCount);
}

/**
 * Resolves the campaign after its deadline and checks everything the example fixes: the event, the
 * status, the model's agreement, `isBound` and `claimableSupport` of each key; then every bound
 * beneficiary claims (at least floor(c_k · s / 10,000)), every other key's claim is refused.
 */
export async function resolveAndCheck(
  campaign: CampaignContract,
  keys: LocalAccount[],
  example: Example,
  expected: Expected,
  payee: Address,
) {
  const params = (await campaign.parameters())[0];
  const conditions = [...params.conditions].map(Number);
  await networkHelpers.time.increaseTo(params.pledgeDeadline + 1n);
  await expect(campaign.resolve())
    .to.emit(campaign, "CampaignResolved")
    .withArgs(
      expected.tippingLevel,
      expected.committed,
      expected.triggered,
      expected.requested,
      expected.paid,
      expected.boundCondition,
      expected.boundConditionLevel,
    );
  const s = await campaign.status();
  expect([
    s.tippingLevel,
    s.committed,
    s.triggeredDonations,
    s.requestedSupport,
    s.boundCondition,
    s.boundConditionLevel,
  ]).to.deep.equal([
    BigInt(expected.tippingLevel),
    expected.committed,
    expected.triggered,
    expected.requested,
    BigInt(expected.boundCondition),
    BigInt(expected.boundConditionLevel),
  ]);
  // The reference model agrees, from the same tallies.
  const r = model.resolve(example.ladder, exampleTallies(example, conditions.length), conditions);
  expect([r.tippingLevel, r.committed, r.triggeredDonations, r.requestedSupport, r.paid]).to.deep.equal([
    expected.tippingLevel,
    expected.committed,
    expected.triggered,
    expected.requested,
    expected.paid,
  ]);
  expect([r.boundCondition, r.boundConditionLevel]).to.deep.equal([
    expected.boundCondition,
    expected.boundConditionLevel,
  ]);

  let claimed = 0n;
  for (const [i, [, support, condition]] of example.pledges.entries()) {
    const key = keys[i];
    const isBound = expected.bound.includes(i);
    expect(await campaign.isBound(key.address), `isBound of pledge ${i}`).to.equal(isBound);
    const share = isBound ? model.supportShare(support, r) : 0n;
    const [state, amount] = await campaign.claimableSupport(key.address);
    expect([state, amount], `claimableSupport of pledge ${i}`).to.deep.equal(
      share === 0n ? [Entitlement.None, 0n] : [Entitlement.Due, share],
    );
    const tx = campaign.claim(await claimFor(campaign, key, { payee }));
    if (expected.tippingLevel === 0) {
      await expect(tx, `claim of pledge ${i}`).to.be.revertedWithCustomError(campaign, "CampaignFailed");
    } else if (!isBound) {
      await expect(tx, `claim of pledge ${i}`)
        .to.be.revertedWithCustomError(campaign, "PledgeNotTriggered")
        .withArgs(key.address);
    } else if (share === 0n) {
      await expect(tx, `claim of pledge ${i}`).to.be.revertedWithCustomError(campaign, "NothingToClaim");
    } else {
      // Its condition holds: at least c_k of its request.
      const floor = condition === 0 ? 0n : (BigInt(conditions[condition - 1]) * support) / 10_000n;
      expect(share >= floor, `pledge ${i} receives ${share}, at least ${floor}`).to.equal(true);
      await expect(tx).to.emit(campaign, "SupportClaimed").withArgs(key.address, payee, share, 0n);
      claimed += share;
    }
  }
  expect((await campaign.status()).claimedTotal).to.equal(claimed);
  expect(claimed <= expected.paid).to.equal(true);
  return r;
}
