/**
 * Indexing functions: each campaign event folds into its campaign's row (counts, the reference
 * model's provisional result), is appended to the campaign's history, and a change of the
 * provisional tipping level is recorded for notifiers.
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
  reason?: number;
}

const totalsOf = (c: CampaignRow): LevelTotals => ({ counts: c.counts, requested: c.requested, donated: c.donated });

async function load(context: Context, address: Address): Promise<CampaignRow> {
  const row = await context.db.find(campaign, { address });
  // Ponder only delivers events of campaigns whose CampaignCreated it indexed, which comes first.
  if (!row) throw new Error(`campaign ${address} has events but no CampaignCreated`);
  return row;
}

/**
 * Writes the campaign's new state, its history row, and a tipping change if j* moved.
 * `totals` are the new totals (unchanged for events that do not move them).
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
      }
    : provisional(c.ladder, totals);
  // Read before the update: Ponder's cache updates the row object `c` in place.
  const seq = c.eventCount;
  const address = c.address;
  const fromLevel = c.provisionalTippingLevel;
  await context.db.update(campaign, { address }).set({
    ...fields,
    counts: totals.counts,
    requested: totals.requested,
    donated: totals.donated,
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
  if (now.provisionalTippingLevel !== fromLevel || kind === "CampaignResolved") {
    await context.db.insert(tippingChange).values({
      campaign: address,
      seq,
      blockNumber: event.block.number,
      timestamp: event.block.timestamp,
      fromLevel,
      toLevel: now.provisionalTippingLevel,
      committed: now.provisionalCommitted,
      final: kind === "CampaignResolved",
    });
  }
}

ponder.on("CampaignFactory:CampaignCreated", async ({ event, context }) => {
  const { campaign: address, organiser, token, params, metadataURI } = event.args;
  const ladder = params.ladder.map(Number);
  const totals = emptyTotals(ladder.length);
  await context.db.insert(campaign).values({
    address,
    organiser,
    token,
    metadataURI,
    metadataHash: params.metadataHash,
    ladder,
    pledgeDeadline: params.pledgeDeadline,
    actionDate: params.actionDate,
    supportCap: params.supportCap,
    attester: params.attester,
    oracle: params.oracle,
    createdBlock: event.block.number,
    createdAt: event.block.timestamp,
    ...totals,
    ...provisional(ladder, totals),
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
) {
  const c = await load(context, event.log.address);
  const key = { campaign: c.address, pledgeKey };
  // Copied out: Ponder's cache hands back the row it later updates in place.
  const row = await context.db.find(pledge, key);
  const before = { level: row?.level ?? 0, support: row?.support ?? 0n };
  await context.db
    .insert(pledge)
    .values({ ...key, level, support })
    .onConflictDoUpdate({ level, support });
  await record(
    context,
    event,
    c,
    kind,
    { pledgeKey, level, amount: level === 0 ? undefined : support },
    {
      totals: movePledge(totalsOf(c), before, { level, support }),
      activity: c.activity + (kind === "Pledged" ? 1 : 0),
    },
  );
}

ponder.on("Campaign:Pledged", async ({ event, context }) => {
  await onPledge(context, event, "Pledged", event.args.pledgeKey, Number(event.args.level), event.args.support);
});

ponder.on("Campaign:PledgeChanged", async ({ event, context }) => {
  await onPledge(context, event, "PledgeChanged", event.args.pledgeKey, Number(event.args.level), event.args.support);
});

ponder.on("Campaign:PledgeWithdrawn", async ({ event, context }) => {
  await onPledge(context, event, "PledgeWithdrawn", event.args.pledgeKey, 0, 0n);
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
  await record(
    context,
    event,
    c,
    "CampaignResolved",
    { level: tippingLevel, amount: event.args.paid },
    {
      phase: 2,
      tippingLevel,
      committed,
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
