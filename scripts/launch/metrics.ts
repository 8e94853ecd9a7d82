/**
 * What an operator watches, as Prometheus text at the launcher's `GET /metrics` (prom-client, the
 * maintained Prometheus client for Node; Ponder uses it too): each series is read when scraped, from
 * the service's store or the chain, so nothing is counted twice across a restart.
 *
 *   bascule_ready{service}                          1 when the service's /ready holds, else 0
 *   bascule_relayer_balance_eth                     the gas account's balance (ETH, float)
 *   bascule_relayer_low_balance                     1 below the low-balance alert threshold
 *   bascule_relayer_queue_depth                     requests accepted, not yet confirmed on-chain
 *   bascule_relayer_requests{status}                requests in the store by status
 *   bascule_relayer_skipped_items                   requests a batch skipped or refused (status failed)
 *   bascule_relayer_batch_latency_seconds           histogram of the store's confirmed batches:
 *                                                   first sent → confirmed (BATCH_LATENCY_BUCKETS)
 *   bascule_notifier_outbox                         deliveries not yet taken by a push service
 *   bascule_notifier_subscriptions                  Web Push subscriptions kept
 *   bascule_notifier_lag_blocks                     blocks between the chain's head and the watcher
 *   bascule_indexer_lag_blocks                      blocks between the chain's head and the indexer
 *   bascule_keeper_last_pass_age_seconds            since the keeper's last pass ended
 *   bascule_keeper_watched_campaigns                campaigns the keeper still watches
 *
 * No label carries a campaign, a key or an address: a series per pledge would be one more place a
 * pledge key stays.
 */
import { formatEther, type PublicClient } from "viem";
import { Gauge, Histogram, Registry } from "prom-client";
import type { Readiness } from "../kit/http.js";
import type { KeeperHandle } from "../keeper/service.js";
import type { Notifier } from "../notifier/service.js";
import type { IndexerHandle } from "../indexer/service.js";
import type { Relayer } from "../relayer/service.js";

export interface Watched {
  client: PublicClient;
  relayer?: Relayer;
  notifier?: Notifier;
  keeper?: KeeperHandle;
  indexer?: IndexerHandle;
  /** Each running service's readiness. */
  ready: Record<string, () => Promise<Readiness>>;
}

/** The names of every series, for the docs and the tests. */
export const METRICS = [
  "bascule_ready",
  "bascule_relayer_balance_eth",
  "bascule_relayer_low_balance",
  "bascule_relayer_queue_depth",
  "bascule_relayer_requests",
  "bascule_relayer_skipped_items",
  "bascule_relayer_batch_latency_seconds",
  "bascule_notifier_outbox",
  "bascule_notifier_subscriptions",
  "bascule_notifier_lag_blocks",
  "bascule_indexer_lag_blocks",
  "bascule_keeper_last_pass_age_seconds",
  "bascule_keeper_watched_campaigns",
] as const;

/** Each series' Prometheus type: every one a gauge but the batch latency. */
export const METRIC_TYPES = Object.fromEntries(
  METRICS.map((m) => [m, m === "bascule_relayer_batch_latency_seconds" ? "histogram" : "gauge"]),
) as Record<(typeof METRICS)[number], "gauge" | "histogram">;

/**
 * Upper bounds (seconds) of the batch latency histogram: a batch waits for its block (2 s on Base
 * and OP Mainnet, 0.25 s on Arbitrum, 5 s on Gnosis) and the relayer's confirmations; a batch
 * still unconfirmed after `replaceAfterMs` gets its fee bumped (scripts/relayer/submitter.ts), so
 * the upper buckets count stuck batches.
 */
export const BATCH_LATENCY_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

/** A registry holding the series of the services that run. */
export function launcherMetrics(w: Watched): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, collect: (g: Gauge) => Promise<void> | void, labelNames: string[] = []) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        try {
          await collect(this);
        } catch {
          // A scrape while the chain is down leaves the series out rather than failing the scrape.
          this.reset();
        }
      },
    });

  gauge(
    "bascule_ready",
    "1 when the service's /ready holds (chain reachable, store open, caught up), else 0.",
    async (g) => {
      const entries = await Promise.all(
        Object.entries(w.ready).map(async ([service, ready]) => [service, (await ready()).ready] as const),
      );
      for (const [service, ok] of entries) g.set({ service }, ok ? 1 : 0);
    },
    ["service"],
  );

  const relayer = w.relayer;
  if (relayer) {
    const db = relayer.store.db;
    gauge("bascule_relayer_balance_eth", "The relayer's gas account balance, in ETH.", async (g) => {
      g.set(Number(formatEther(await relayer.checkBalance())));
    });
    gauge("bascule_relayer_low_balance", "1 when the gas account is below the low-balance threshold.", async (g) => {
      g.set((await relayer.checkBalance()) < relayer.options.lowBalanceWei ? 1 : 0);
    });
    gauge("bascule_relayer_queue_depth", "Requests accepted and not yet confirmed on-chain.", (g) => {
      g.set(relayer.store.queueDepth());
    });
    gauge(
      "bascule_relayer_requests",
      "Requests in the relayer's store, by status.",
      (g) => {
        g.reset();
        for (const status of ["queued", "submitted", "confirmed", "failed"]) g.set({ status }, 0);
        const rows = db.prepare(`SELECT status, COUNT(*) AS n FROM requests GROUP BY status`).all() as {
          status: string;
          n: number;
        }[];
        for (const row of rows) g.set({ status: row.status }, Number(row.n));
      },
      ["status"],
    );
    gauge("bascule_relayer_skipped_items", "Requests a batch skipped or that failed (status failed).", (g) => {
      g.set(
        Number((db.prepare(`SELECT COUNT(*) AS n FROM requests WHERE status = 'failed'`).get() as { n: number }).n),
      );
    });
    // A histogram of the store's confirmed batches, rebuilt at each scrape: a restart neither loses
    // nor counts a batch twice (the store keeps every batch), and a batch confirmed out of order is
    // counted all the same. A store of 1,000,000 pledges in batches of 100 is 10,000 rows a scrape.
    // From the batch's first signed transaction (created_at), so the time a stuck batch waited for
    // its fee bumps counts too (sent_at moves with each resend).
    const latencies = db.prepare(
      `SELECT confirmed_at - created_at AS ms FROM batches WHERE status = 'confirmed' AND confirmed_at IS NOT NULL`,
    );
    new Histogram({
      name: "bascule_relayer_batch_latency_seconds",
      help: "Confirmed batches in the relayer's store, from their first sending to their confirmation.",
      buckets: BATCH_LATENCY_BUCKETS,
      registers: [registry],
      collect() {
        this.reset();
        // Zeros, not an absent series, for a store with no confirmed batch yet.
        this.zero({});
        for (const row of latencies.iterate() as Iterable<{ ms: number }>)
          this.observe(Math.max(0, Number(row.ms)) / 1000);
      },
    });
  }

  const notifier = w.notifier;
  if (notifier) {
    gauge("bascule_notifier_outbox", "Notifications not yet taken by a push service.", (g) => {
      g.set(notifier.store.pendingDeliveries());
    });
    gauge("bascule_notifier_subscriptions", "Web Push subscriptions kept.", (g) => {
      g.set(notifier.store.subscriptionCount());
    });
    gauge("bascule_notifier_lag_blocks", "Blocks between the chain's head and the notifier's watcher.", async (g) => {
      const head = await w.client.getBlockNumber();
      const scanned = BigInt(notifier.store.getMeta("scanned_block") ?? "-1");
      g.set(Number(head - scanned));
    });
  }

  const indexer = w.indexer;
  if (indexer) {
    gauge("bascule_indexer_lag_blocks", "Blocks between the chain's head and the indexer.", async (g) => {
      const [head, indexed] = await Promise.all([w.client.getBlockNumber(), indexer.indexedBlock()]);
      g.set(indexed < 0 ? Number(head) + 1 : Number(head) - indexed);
    });
  }

  const keeper = w.keeper;
  if (keeper) {
    gauge("bascule_keeper_last_pass_age_seconds", "Seconds since the keeper's last pass ended.", (g) => {
      const last = keeper.lastPass();
      if (last) g.set((Date.now() - last.at) / 1000);
      else g.reset();
    });
    gauge("bascule_keeper_watched_campaigns", "Campaigns the keeper still watches.", (g) => {
      const last = keeper.lastPass();
      if (last) g.set(last.watched);
      else g.reset();
    });
  }
  return registry;
}
