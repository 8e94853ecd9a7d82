/**
 * The launcher's metrics read from a relayer's real store (scripts/relayer/store.ts on a file):
 * the batch latency is a Prometheus histogram of every confirmed batch, from its first sending to
 * its confirmation, rebuilt from the store at each scrape, so a second scrape or a restart on the
 * same file counts no batch twice and loses none.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { PublicClient } from "viem";
import { BATCH_LATENCY_BUCKETS, launcherMetrics } from "../../scripts/launch/metrics.js";
import type { Relayer } from "../../scripts/relayer/service.js";
import { Store } from "../../scripts/relayer/store.js";

describe("launcher metrics: the relayer's batch latency histogram", function () {
  let dir: string;
  let store: Store;

  /** A signed batch recorded at `created` ms, confirmed at `confirmed` ms (or left pending). */
  function batch(n: number, created: number, confirmed?: number, resentAt?: number) {
    const id = store.recordBatch(
      {
        kind: "pledge",
        campaign: "0x" + "11".repeat(20),
        tx_nonce: n,
        tx_hash: `0x${n.toString(16).padStart(64, "0")}`,
        raw_tx: "0x",
        max_fee_per_gas: "1",
        max_priority_fee_per_gas: "1",
        data: "0x",
        gas: "1",
        sent_at: created,
        request_count: 1,
      },
      [],
    );
    store.db.prepare(`UPDATE batches SET created_at = ? WHERE id = ?`).run(created, id);
    if (resentAt !== undefined) store.touchBatch(id, resentAt);
    if (confirmed !== undefined) {
      store.confirmBatch(id, `0x${n.toString(16).padStart(64, "0")}`);
      store.db.prepare(`UPDATE batches SET confirmed_at = ? WHERE id = ?`).run(confirmed, id);
    }
  }
  const scrape = async (s: Store) => {
    const relayer = {
      store: s,
      options: { lowBalanceWei: 0n },
      checkBalance: async () => 10n ** 18n,
    } as unknown as Relayer;
    return launcherMetrics({ client: {} as PublicClient, relayer, ready: {} }).metrics();
  };
  const line = (text: string, series: string) => {
    const m = new RegExp(`^${series.replace(/[{}"+.]/g, "\\$&")} (\\S+)$`, "m").exec(text);
    if (!m) throw new Error(`${series} missing from\n${text}`);
    return Number(m[1]);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "bascule-metrics-"));
    store = new Store(path.join(dir, "relayer.db"));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is a histogram with the documented buckets, empty on an empty store", async function () {
    const text = await scrape(store);
    expect(text).to.match(/^# TYPE bascule_relayer_batch_latency_seconds histogram$/m);
    expect(text).not.to.match(/last_batch_latency/);
    for (const le of BATCH_LATENCY_BUCKETS)
      expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="${le}"}`)).to.equal(0);
    expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="+Inf"}`)).to.equal(0);
    expect(line(text, "bascule_relayer_batch_latency_seconds_count")).to.equal(0);
  });

  it("counts each confirmed batch once in its bucket, from its first sending, across scrapes and a restart", async function () {
    const t = 1_700_000_000_000;
    batch(0, t, t + 800); // 0.8 s
    batch(1, t, t + 1_500); // 1.5 s
    batch(2, t, t + 45_000, t + 40_000); // stuck, resent at 40 s, confirmed at 45 s: 45 s, not 5
    batch(3, t, t + 900_000); // 15 min: past the last bucket
    batch(4, t); // signed, not yet confirmed: not counted
    for (const text of [await scrape(store), await scrape(store)]) {
      expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="0.5"}`)).to.equal(0);
      expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="1"}`)).to.equal(1);
      expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="2"}`)).to.equal(2);
      expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="30"}`)).to.equal(2);
      expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="60"}`)).to.equal(3);
      expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="600"}`)).to.equal(3);
      expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="+Inf"}`)).to.equal(4);
      expect(line(text, "bascule_relayer_batch_latency_seconds_count")).to.equal(4);
      // Not chai's closeTo: hardhat-ethers-chai-matchers, loaded by other test files in the same run,
      // replaces it with a bigint version that refuses fractions.
      const sum = line(text, "bascule_relayer_batch_latency_seconds_sum");
      expect(Math.abs(sum - (0.8 + 1.5 + 45 + 900)), `sum ${sum}`).to.be.lessThan(1e-9);
    }
    // The restart: a new process opens the same file and counts the same batches, no more.
    store.close();
    store = new Store(path.join(dir, "relayer.db"));
    batch(5, t, t + 3_000);
    const text = await scrape(store);
    expect(line(text, "bascule_relayer_batch_latency_seconds_count")).to.equal(5);
    expect(line(text, `bascule_relayer_batch_latency_seconds_bucket{le="5"}`)).to.equal(3);
  });
});
