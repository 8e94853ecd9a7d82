/**
 * Indexing functions: each campaign event folds into its campaign's row (counts, each condition's
 * part, the reference model's provisional result with the campaign's conditions), is appended to the
 * campaign's history, and a change of the provisional bound set (j*, k*, j*_k) is recorded for
 * notifiers.
 */
import { ponder, type Context } from "ponder:registry";
import { campaign, campaignEvent, donation, pledge, tippingChange } from "ponder:schema";
import { emptyTotals, type LevelTotals, moveDonation, movePledge, provisional } from "../lib/fold.ts";

type Address = `0x${string}`;
type CampaignRow = typeof campaign.$inferSelect;

interface LogContext {
  log: { address: Address; logIndex: number };
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}` };
}

/** What a history row carries beyond the campaign, position and state after it. */
interface Detail {
  pledgeKey?: Address;
  donationId?: bigint;
  account?: Address;
  level?: number;
  amount?: bigint;
  fee?: bigint;
  condition?: number;
  reason?: number;
}

const totalsOf = (c: CampaignRow): LevelTotals => ({
  counts: c.counts,
  requested: c.requested,
  donated: c.donated,
  conditionCounts: c.conditionCounts,
  conditionRequested: c.conditionRequested,
});

async function load(context: Context, address: Address): Promise<CampaignRow> {
  const row = await context.db.find(campaign, { address });
  // Ponder only delivers events of campaigns whose CampaignCreated it indexed, which comes first.
  if (!row) throw new Error(`campaign ${address} has events but no CampaignCreated`);
  return row;
}

/**
 * Writes the campaign's new state, its history row, and a tipping change if the bound set moved
 * (j*, or with conditions k*, j*_k: a donation can move those). `totals` are the new totals
 * (unchanged for events that do not move them).
 */
async function record(
  context: Context,
  event: LogContext,
  c: CampaignRow,
  kind: string,
  detail: Detail,
  change: Partial<CampaignRow> & { totals?: LevelTotals } = {},
) {
  const { totals = totalsOf(c), ...fields } = change;
  const resolved = (fields.phase ?? c.phase) === 2;
  const now = resolved
    ? {
        pledgeCount: totals.counts.reduce((a, n) => a + n, 0),
        provisionalTippingLevel: fields.tippingLevel ?? c.tippingLevel ?? 0,
        provisionalCommitted: fields.committed ?? c.committed ?? 0,
        provisionalBoundCondition: fields.boundCondition ?? c.boundCondition ?? 0,
        provisionalBoundConditionLevel: fields.boundConditionLevel ?? c.boundConditionLevel ?? 0,
      }
    : provisional(c.ladder, totals, c.conditions);
  // Read before the update: Ponder's cache updates the row object `c` in place.
  const seq = c.eventCount;
  const address = c.address;
  const fromLevel = c.provisionalTippingLevel;
  const moved =
    now.provisionalTippingLevel !== fromLevel ||
    now.provisionalBoundCondition !== c.provisionalBoundCondition ||
    now.provisionalBoundConditionLevel !== c.provisionalBoundConditionLevel;
  await context.db.update(campaign, { address }).set({
    ...fields,
    counts: totals.counts,
    requested: totals.requested,
    donated: totals.donated,
    conditionCounts: totals.conditionCounts,
    conditionRequested: totals.conditionRequested,
    ...now,
    eventCount: seq + 1,
    updatedBlock: event.block.number,
  });
  await context.db.insert(campaignEvent).values({
    campaign: address,
    seq,
    kind,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    ...detail,
    ...now,
  });
  if (moved || kind === "CampaignResolved") {
    await context.db.insert(tippingChange).values({
      campaign: address,
      seq,
      blockNumber: event.block.number,
      timestamp: event.block.timestamp,
      fromLevel,
      toLevel: now.provisionalTippingLevel,
      committed: now.provisionalCommitted,
      boundCondition: now.provisionalBoundCondition,
      boundConditionLevel: now.provisionalBoundConditionLevel,
      final: kind === "CampaignResolved",
    });
  }
}

ponder.on("CampaignFactory:CampaignCreated", async ({ event, context }) => {
  const { campaign: address, organiser, token, params, metadataURI } = event.args;
  const ladder = params.ladder.map(Number);
  const conditions = params.conditions.map(Number);
  const totals = emptyTotals(ladder.length, conditions.length);
  await context.db.insert(campaign).values({
    address,
    organiser,
    token,
    metadataURI,
    metadataHash: params.metadataHash,
    ladder,
    conditions,
    pledgeDeadline: params.pledgeDeadline,
    actionDate: params.actionDate,
    supportCap: params.supportCap,
    attester: params.attester,
    oracle: params.oracle,
    createdBlock: event.block.number,
    createdAt: event.block.timestamp,
    ...totals,
    ...provisional(ladder, totals, conditions),
    donationCount: 0,
    donatedTotal: 0n,
    phase: 1,
    activity: 0,
    eventCount: 0,
    updatedBlock: event.block.number,
  });
});

async function onPledge(
  context: Context,
  event: LogContext,
  kind: string,
  pledgeKey: Address,
  level: number,
  support: bigint,
  condition: number,
) {
  const c = await load(context, event.log.address);
  const key = { campaign: c.address, pledgeKey };
  // Copied out: Ponder's cache hands back the row it later updates in place.
  const row = await context.db.find(pledge, key);
  const before = { level: row?.level ?? 0, support: row?.support ?? 0n, condition: row?.condition ?? 0 };
  await context.db
    .insert(pledge)
    .values({ ...key, level, support, condition })
    .onConflictDoUpdate({ level, support, condition });
  await record(
    context,
    event,
    c,
    kind,
    {
      pledgeKey,
      level,
      amount: level === 0 ? undefined : support,
      condition: level === 0 ? undefined : condition,
    },
    {
      totals: movePledge(totalsOf(c), before, { level, support, condition }),
      activity: c.activity + (kind === "Pledged" ? 1 : 0),
    },
  );
}

ponder.on("Campaign:Pledged", async ({ event, context }) => {
  const { pledgeKey, level, support, condition } = event.args;
  await onPledge(context, event, "Pledged", pledgeKey, Number(level), support, Number(condition));
});

ponder.on("Campaign:PledgeChanged", async ({ event, context }) => {
  const { pledgeKey, level, support, condition } = event.args;
  await onPledge(context, event, "PledgeChanged", pledgeKey, Number(level), support, Number(condition));
});

ponder.on("Campaign:PledgeWithdrawn", async ({ event, context }) => {
  await onPledge(context, event, "PledgeWithdrawn", event.args.pledgeKey, 0, 0n, 0);
});

ponder.on("Campaign:Donated", async ({ event, context }) => {
  const c = await load(context, event.log.address);
  const { donationId, donor, amount } = event.args;
  const level = Number(event.args.level);
  await context.db.insert(donation).values({ campaign: c.address, donationId, donor, level, amount, withdrawn: false });
  await record(
    context,
    event,
    c,
    "Donated",
    { donationId, account: donor, level, amount },
    {
      totals: moveDonation(totalsOf(c), level, amount),
      donationCount: c.donationCount + 1,
      donatedTotal: c.donatedTotal + amount,
      activity: c.activity + 1,
    },
  );
});

ponder.on("Campaign:DonationWithdrawn", async ({ event, context }) => {
  const c = await load(context, event.log.address);
  const { donationId, donor, amount } = event.args;
  const d = await context.db.find(donation, { campaign: c.address, donationId });
  if (!d) throw new Error(`donation ${donationId} of ${c.address} withdrawn but never indexed`);
  const level = d.level;
  await context.db.update(donation, { campaign: c.address, donationId }).set({ withdrawn: true });
  await record(
    context,
    event,
    c,
    "DonationWithdrawn",
    { donationId, account: donor, level, amount },
    {
      totals: moveDonation(totalsOf(c), level, -amount),
      donationCount: c.donationCount - 1,
      donatedTotal: c.donatedTotal - amount,
    },
  );
});

ponder.on("Campaign:CampaignResolved", async ({ event, context }) => {
  const c = await load(context, event.log.address);
  const tippingLevel = Number(event.args.tippingLevel);
  const committed = Number(event.args.committed);
  const boundCondition = Number(event.args.boundCondition);
  const boundConditionLevel = Number(event.args.boundConditionLevel);
  await record(
    context,
    event,
    c,
    "CampaignResolved",
    { level: tippingLevel, amount: event.args.paid, condition: boundCondition },
    {
      phase: 2,
      tippingLevel,
      committed,
      boundCondition,
      boundConditionLevel,
      resolvedAt: event.block.timestamp,
    },
  );
});

// A batch item the contract skipped (issue 8): nothing changes, but its key can see why.
ponder.on("Campaign:PledgeSkipped", async ({ event, context }) => {
  const c = await load(context, event.log.address);
  const { index, pledgeKey, reason } = event.args;
  await record(context, event, c, "PledgeSkipped", { pledgeKey, amount: index, reason: Number(reason) });
});

ponder.on("Campaign:ParticipationPublished", async ({ event, context }) => {
  const c = await load(context, event.log.address);
  await record(context, event, c, "ParticipationPublished", {});
});

ponder.on("Campaign:SupportClaimed", async ({ event, context }) => {
  const c = await load(context, event.log.address);
  const { pledgeKey, payee, amount, fee } = event.args;
  await record(context, event, c, "SupportClaimed", { pledgeKey, account: payee, amount, fee });
});

for (const kind of ["DonationRefunded", "SurplusReturned", "RemainderReturned"] as const) {
  ponder.on(`Campaign:${kind}`, async ({ event, context }) => {
    const c = await load(context, event.log.address);
    const { donationId, donor, amount } = event.args;
    await record(context, event, c, kind, { donationId, account: donor, amount });
  });
}
