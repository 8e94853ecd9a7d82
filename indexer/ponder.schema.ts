/**
 * What the indexer stores (Ponder tables; columns listed in docs/indexer.md). Only what the chain
 * already shows publicly, folded for reading: never anything a participant did not put on-chain.
 *
 * Amounts and block numbers are bigint (numeric(78) in Postgres); counts of people fit an integer
 * (the contract keeps them in uint32).
 */
import { index, onchainTable, primaryKey } from "ponder";

/** One row per campaign the factory created: its parameters and its counts as they stand. */
export const campaign = onchainTable(
  "campaign",
  (t) => ({
    address: t.hex().primaryKey(),
    organiser: t.hex().notNull(),
    token: t.hex().notNull(),
    metadataURI: t.text().notNull(),
    metadataHash: t.hex().notNull(),
    /** Thresholds L_1..L_m. */
    ladder: t.integer().array().notNull(),
    /** Conditions c_1..c_K in basis points (empty: none). */
    conditions: t.integer().array().notNull(),
    pledgeDeadline: t.bigint().notNull(),
    actionDate: t.bigint().notNull(),
    supportCap: t.bigint().notNull(),
    attester: t.hex().notNull(),
    oracle: t.hex().notNull(),
    createdBlock: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
    /** Per-level totals, as the contract's levelTallies (decimal strings, level 1 first). */
    counts: t.integer().array().notNull(),
    requested: t.text().array().notNull(),
    donated: t.text().array().notNull(),
    /**
     * Each condition's part of counts and requested (the contract's conditionTallies), per bucket
     * (level j, condition k = 1..K) flat: entry (k - 1) · m + (j - 1). Empty without conditions.
     */
    conditionCounts: t.integer().array().notNull(),
    conditionRequested: t.text().array().notNull(),
    /** People ready: pledges standing now (the sum of counts). */
    pledgeCount: t.integer().notNull(),
    /** Donations still in escrow, and their total. */
    donationCount: t.integer().notNull(),
    donatedTotal: t.bigint().notNull(),
    /** The reference model on the counts: j* and P, "how many would act now". */
    provisionalTippingLevel: t.integer().notNull(),
    provisionalCommitted: t.integer().notNull(),
    /** The model's bound set beyond j*: k* and j*_k (0 and j* when no conditional bucket binds). */
    provisionalBoundCondition: t.integer().notNull(),
    provisionalBoundConditionLevel: t.integer().notNull(),
    /** 1 open, 2 resolved (the contract's phase). */
    phase: t.integer().notNull(),
    /** The contract's result once resolved (CampaignResolved: j*, P, k*, j*_k), else null. */
    tippingLevel: t.integer(),
    committed: t.integer(),
    boundCondition: t.integer(),
    boundConditionLevel: t.integer(),
    resolvedAt: t.bigint(),
    /** Pledges plus donations ever made: the list's sort key. */
    activity: t.integer().notNull(),
    /** Events recorded in `campaignEvent` for this campaign (the next one's sequence number). */
    eventCount: t.integer().notNull(),
    updatedBlock: t.bigint().notNull(),
  }),
  (table) => ({ activityIndex: index().on(table.activity) }),
);

/** A pledge key's current pledge in a campaign (public on-chain; needed to fold changes). */
export const pledge = onchainTable(
  "pledge",
  (t) => ({
    campaign: t.hex().notNull(),
    pledgeKey: t.hex().notNull(),
    level: t.integer().notNull(),
    support: t.bigint().notNull(),
    /** The recorded condition (0: none; 0 too when support or level is 0). */
    condition: t.integer().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.campaign, table.pledgeKey] }) }),
);

/** A donation still in escrow before resolution (needed to fold withdrawals). */
export const donation = onchainTable(
  "donation",
  (t) => ({
    campaign: t.hex().notNull(),
    donationId: t.bigint().notNull(),
    donor: t.hex().notNull(),
    level: t.integer().notNull(),
    amount: t.bigint().notNull(),
    withdrawn: t.boolean().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.campaign, table.donationId] }) }),
);

/** Each campaign's history, numbered 0, 1, 2… per campaign (paged by `seq`). */
export const campaignEvent = onchainTable(
  "campaign_event",
  (t) => ({
    campaign: t.hex().notNull(),
    seq: t.integer().notNull(),
    kind: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    pledgeKey: t.hex(),
    donationId: t.bigint(),
    /** Donor, payee or fee recipient. */
    account: t.hex(),
    level: t.integer(),
    /** Support requested, amount donated, paid or returned. */
    amount: t.bigint(),
    fee: t.bigint(),
    /** Pledged, PledgeChanged: the pledge's recorded condition; CampaignResolved: k*. */
    condition: t.integer(),
    /**
     * PledgeSkipped: the batch item's index (in `amount`) and the contract's SkipReason
     * (0 InvalidSignature … 7 LevelLimitExceeded, 8 ConditionOutOfRange).
     */
    reason: t.integer(),
    /** State after the event: people ready, and the reference model's j*, P, k*, j*_k. */
    pledgeCount: t.integer().notNull(),
    provisionalTippingLevel: t.integer().notNull(),
    provisionalCommitted: t.integer().notNull(),
    provisionalBoundCondition: t.integer().notNull(),
    provisionalBoundConditionLevel: t.integer().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.campaign, table.seq] }) }),
);

/**
 * Every change of a campaign's provisional bound set (j*, and with conditions k*, j*_k), in order:
 * what a notifier watches ("the result now reaches level j": unconditional pledges at or below it
 * bind if it holds at the deadline; a pledge with condition k binds iff k < k*, or k = k* and its
 * level is at most j*_k).
 */
export const tippingChange = onchainTable(
  "tipping_change",
  (t) => ({
    campaign: t.hex().notNull(),
    seq: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    fromLevel: t.integer().notNull(),
    toLevel: t.integer().notNull(),
    committed: t.integer().notNull(),
    /** k* and j*_k after the change. */
    boundCondition: t.integer().notNull(),
    boundConditionLevel: t.integer().notNull(),
    /** True for the contract's final result (CampaignResolved), false for a provisional change. */
    final: t.boolean().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.campaign, table.seq] }) }),
);
