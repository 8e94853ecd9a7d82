/**
 * What an operator watches, as Prometheus text at the launcher's `GET /metrics` (prom-client, the
 * maintained Prometheus client for Node; Ponder uses it too): each gauge is read when scraped, from
 * the service's store or the chain, so nothing is counted twice across a restart.
 *
 *   bascule_ready{service}                          1 when the service's /ready holds, else 0
 *   bascule_relayer_balance_eth                     the gas account's balance (ETH, float)
 *   bascule_relayer_low_balance                     1 below the low-balance alert threshold
 *   bascule_relayer_queue_depth                     requests accepted, not yet confirmed on-chain
 *   bascule_relayer_requests{status}                requests in the store by status
 *   bascule_relayer_skipped_items                   requests a batch skipped or refused (status failed)
 *   bascule_relayer_last_batch_latency_seconds      the last confirmed batch: sent → confirmed
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
import { Gauge, Registry } from "prom-client";
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
  "bascule_relayer_last_batch_latency_seconds",
  "bascule_notifier_outbox",
  "bascule_notifier_subscriptions",
  "bascule_notifier_lag_blocks",
  "bascule_indexer_lag_blocks",
  "bascule_keeper_last_pass_age_seconds",
  "bascule_keeper_watched_campaigns",
] as const;

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
    gauge(
      "bascule_relayer_last_batch_latency_seconds",
      "The last confirmed batch, from its sending to its confirmation.",
      (g) => {
        const row = db
          .prepare(
            `SELECT confirmed_at - sent_at AS ms FROM batches WHERE status = 'confirmed' AND confirmed_at IS NOT NULL ORDER BY id DESC LIMIT 1`,
          )
          .get() as { ms: number } | undefined;
        if (row) g.set(Number(row.ms) / 1000);
        else g.reset();
      },
    );
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
