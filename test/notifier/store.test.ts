/**
 * What the notifier's files tell someone who takes the disk (issue 20): the subscriptions it holds
 * now, and neither those it deleted nor the order in which they came. The store's files are read
 * as raw bytes (the database and any -wal, -shm or -journal) after subscriptions, after deletions,
 * after a kill -9 in the middle of them, and after opening a file of the earlier layout.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import { exited, spawnNode } from "../../scripts/lib/children.js";
import { Store, type SubscriptionRow, subscriptionId } from "../../scripts/notifier/store.js";
import { ROOT } from "../helpers/node.js";
import { SIDE_FILES, copyStore, foundIn, shuffled, storeFiles, withoutCounters } from "../helpers/store-files.js";
import { until } from "../helpers/until.js";

type Subscription = Omit<SubscriptionRow, "id">;

const CAMPAIGNS = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"];
const b64 = (bytes: number) => randomBytes(bytes).toString("base64url");
/** A subscription as a browser would make it (the store checks nothing of its shape). */
function subscription(campaign = CAMPAIGNS[0], endpoint = `https://fcm.googleapis.com/fcm/send/${b64(100)}`) {
  return {
    campaign,
    level: 1 + (randomBytes(1)[0] % 3),
    lang: randomBytes(1)[0] % 2 ? "fr" : "en",
    endpoint,
    p256dh: b64(65),
    auth: b64(16),
    condition: randomBytes(1)[0] % 3,
  } satisfies Subscription;
}
/** Where the bytes of a subscription's endpoint or keys are, if anywhere in the files. */
const traces = (files: Map<string, Buffer>, s: Subscription) =>
  [s.endpoint, s.p256dh, s.auth].map((v) => foundIn(files, v)).filter((f) => f !== null);

/**
 * The notifier's schema as the store wrote it before issue 20 (random ids, UNIQUE (campaign,
 * endpoint), WAL), to the indentation: SQLite keeps the text of a CREATE statement as it was given.
 */
const EARLIER_LAYOUT = `
      CREATE TABLE IF NOT EXISTS subscriptions (
        id TEXT PRIMARY KEY,
        campaign TEXT NOT NULL,
        level INTEGER NOT NULL,
        lang TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        condition INTEGER NOT NULL DEFAULT 0,
        UNIQUE (campaign, endpoint)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS subscriptions_by_level ON subscriptions(campaign, level);
      CREATE TABLE IF NOT EXISTS campaigns (
        address TEXT PRIMARY KEY,
        ladder TEXT NOT NULL,
        pledge_deadline INTEGER NOT NULL,
        action_date INTEGER NOT NULL,
        action_day TEXT NOT NULL,
        title TEXT NOT NULL,
        place TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        scanned_block INTEGER NOT NULL,
        tipping_level INTEGER NOT NULL DEFAULT 0,
        committed INTEGER NOT NULL DEFAULT 0,
        resolved INTEGER NOT NULL DEFAULT 0,
        reminder_sent INTEGER NOT NULL DEFAULT 0,
        over INTEGER NOT NULL DEFAULT 0,
        conditions TEXT NOT NULL DEFAULT '[]',
        bound_condition INTEGER NOT NULL DEFAULT 0,
        bound_condition_level INTEGER NOT NULL DEFAULT 0,
        coverage INTEGER NOT NULL DEFAULT 10000
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS entries (
        campaign TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        from_level INTEGER NOT NULL,
        to_level INTEGER NOT NULL,
        committed INTEGER NOT NULL,
        paid INTEGER NOT NULL DEFAULT 0,
        block INTEGER NOT NULL,
        at INTEGER NOT NULL,
        condition INTEGER NOT NULL DEFAULT 0,
        bound_condition INTEGER NOT NULL DEFAULT 0,
        bound_condition_level INTEGER NOT NULL DEFAULT 0,
        coverage INTEGER NOT NULL DEFAULT 10000,
        PRIMARY KEY (campaign, seq)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS outbox (
        subscription_id TEXT NOT NULL,
        campaign TEXT NOT NULL,
        seq INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (subscription_id, campaign, seq)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS outbox_due ON outbox(next_at);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    `;

describe("notifier store: what its files keep", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "bascule-notifier-store-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe("the order of subscriptions", function () {
    it("is not in the files: the same subscriptions in four orders give the same bytes", async function () {
      const subs = Array.from({ length: 150 }, (_, i) => subscription(CAMPAIGNS[i % 2]));
      const gone = subs.slice(0, 20);
      const files: Buffer[] = [];
      for (const [i, order] of [subs, [...subs].reverse(), shuffled(subs), shuffled(subs)].entries()) {
        const file = path.join(dir, `order-${i}.db`);
        const store = new Store(file);
        for (const s of order) {
          store.subscribe(s);
          // Let the store's compactions run when they will, as in the service.
          if (randomBytes(1)[0] < 40) await new Promise((r) => setTimeout(r, 5));
        }
        for (const s of shuffled(gone)) store.unsubscribe(s.endpoint, s.campaign);
        store.close();
        files.push(readFileSync(file));
      }
      for (const f of files.slice(1)) expect(withoutCounters(f).equals(withoutCounters(files[0]))).to.equal(true);
    });

    it("shows in the files until the compaction that follows the changes, and no longer once it has run", async function () {
      const subs = Array.from({ length: 60 }, () => subscription());
      const stores = [subs, [...subs].reverse()].map((order, i) => {
        const store = new Store(path.join(dir, `window-${i}.db`));
        // One synchronous burst: the compaction the first change asked for cannot have run yet.
        for (const s of order) store.subscribe(s);
        return store;
      });
      const now = stores.map((_, i) => withoutCounters(readFileSync(path.join(dir, `window-${i}.db`))));
      expect(now[0].equals(now[1]), "files written in two orders, before compaction").to.equal(false);
      await until(
        "the compactions",
        async () => {
          const [a, b] = stores.map((_, i) => withoutCounters(readFileSync(path.join(dir, `window-${i}.db`))));
          return a.equals(b);
        },
        10_000,
        10,
      );
      for (const store of stores) store.close();
    });
  });

  it("tries a compaction that failed again a second later, and says so", async function () {
    const said: string[] = [];
    const files = [0, 1].map((i) => path.join(dir, `retry-${i}.db`));
    const subs = Array.from({ length: 30 }, () => subscription());
    const stores = files.map((file) => new Store(file, { log: (line) => said.push(line) }));
    // A read left open on the first store's connection: SQLite refuses to VACUUM under it.
    stores[0].subscribe(subs[0]);
    const reading = stores[0].db.prepare("SELECT id FROM subscriptions").iterate();
    expect(reading.next().done).to.equal(false);
    for (const s of subs.slice(1)) stores[0].subscribe(s);
    for (const s of [...subs].reverse()) stores[1].subscribe(s);
    await until("the failure to be told", async () => said.length > 0, 5_000, 10);
    expect(said[0]).to.match(/^compaction failed, trying again in 1 s: .*SQL statements in progress/);
    reading.return?.();
    const [a, b] = await until(
      "the retried compaction",
      async () => {
        const bytes = files.map((f) => withoutCounters(readFileSync(f)));
        return bytes[0].equals(bytes[1]) && bytes;
      },
      5_000,
      50,
    );
    expect(a.equals(b)).to.equal(true);
    for (const store of stores) store.close();
  });

  describe("deleted subscriptions", function () {
    it("leave no byte of their endpoint or keys in any file, from the moment they are deleted", function () {
      const file = path.join(dir, "notifier.db");
      const store = new Store(file);
      const device = `https://fcm.googleapis.com/fcm/send/${b64(100)}`;
      const [a, b, c] = [subscription(), subscription(CAMPAIGNS[1]), subscription()];
      const both = [subscription(CAMPAIGNS[0], device), subscription(CAMPAIGNS[1], device)];
      const kept = Array.from({ length: 40 }, () => subscription(CAMPAIGNS[1]));
      for (const s of [a, b, c, ...both, ...kept]) store.subscribe(s);
      store.db.exec("INSERT INTO outbox SELECT id, campaign, 1, 0, 0 FROM subscriptions");
      for (const s of [a, b, c, ...both, ...kept]) expect(traces(storeFiles(file), s)).to.have.length(3);

      // Unsubscribing from one campaign, from all of a device's, the push service's 410, a campaign's end.
      store.unsubscribe(a.endpoint, a.campaign);
      store.unsubscribe(device);
      store.deleteSubscription(subscriptionId(b.campaign, b.endpoint));
      store.db.exec(`DELETE FROM outbox WHERE campaign = '${CAMPAIGNS[0]}'`);
      expect(store.closeCampaign(CAMPAIGNS[0])).to.equal(true);
      // At once, before any compaction: the rows are zeroed where they stood.
      let files = storeFiles(file);
      expect([...files.keys()]).to.deep.equal([""]);
      for (const s of [a, b, c, ...both]) expect(traces(files, s), s.endpoint).to.deep.equal([]);
      for (const s of kept.filter((k) => k.campaign === CAMPAIGNS[1])) expect(traces(files, s)).to.have.length(3);
      expect(store.subscriptionCount()).to.equal(kept.length);
      store.close();
      files = storeFiles(file);
      for (const s of [a, b, c, ...both]) expect(traces(files, s)).to.deep.equal([]);
      expect(store.db.isOpen).to.equal(false);
    });
  });

  describe("killed with SIGKILL in the middle of subscriptions and deletions", function () {
    /**
     * Runs the plan's operations one by one as the service would (an event-loop turn between two),
     * printing "op <n>" after each commit and "compacted <n>" after each compaction.
     */
    const CHILD = `
      import { readFileSync, writeSync } from "node:fs";
      import { Store } from "${pathToFileURL(path.join(ROOT, "scripts/notifier/store.ts")).href}";
      const [file, plan] = process.argv.slice(1);
      const ops = JSON.parse(readFileSync(plan, "utf8"));
      let done = 0;
      class Reporting extends Store {
        compact() {
          super.compact();
          writeSync(1, "compacted " + done + "\\n");
        }
      }
      const store = new Reporting(file);
      for (const op of ops) {
        if (op.subscribe) store.subscribe(op.subscribe);
        else store.unsubscribe(op.unsubscribe.endpoint, op.unsubscribe.campaign);
        done++;
        writeSync(1, "op " + done + "\\n");
        await new Promise((r) => setImmediate(r));
      }
      writeSync(1, "done\\n");
      setInterval(() => {}, 1000);
    `;
    type Op = { subscribe: Subscription } | { unsubscribe: Subscription };
    const apply = (store: Store, op: Op) =>
      "subscribe" in op
        ? store.subscribe(op.subscribe)
        : store.unsubscribe(op.unsubscribe.endpoint, op.unsubscribe.campaign);

    for (const round of [1, 2, 3]) {
      it(`leaves the rows of the last compaction and, in order, only the changes made since (round ${round})`, async function () {
        // 300 subscriptions; a fifth of them deleted later, some changed in between.
        const subs = Array.from({ length: 300 }, (_, i) => subscription(CAMPAIGNS[i % 2]));
        const ops: Op[] = [];
        const pending = [...subs];
        while (pending.length > 0 || ops.length < 300) {
          const roll = randomBytes(1)[0];
          const made = subs.filter((s) => !pending.includes(s));
          if (pending.length > 0 && (roll < 200 || made.length === 0)) ops.push({ subscribe: pending.pop()! });
          else if (made.length > 0 && roll < 230)
            ops.push({ subscribe: { ...made[roll % made.length], level: 1 + (roll % 3) } });
          else if (made.length > 0) ops.push({ unsubscribe: made[roll % made.length] });
          else break;
        }
        const file = path.join(dir, "notifier.db");
        writeFileSync(path.join(dir, "plan.json"), JSON.stringify(ops));
        const child = spawnNode(
          ["--import", "tsx", "--input-type=module", "-e", CHILD, file, path.join(dir, "plan.json")],
          {
            stdio: ["ignore", "pipe", "inherit"],
          },
        );
        let out = "";
        child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
        const last = (what: string) =>
          Math.max(-1, ...[...out.matchAll(new RegExp(`^${what} (\\d+)$`, "gm"))].map((m) => Number(m[1])));
        const after = 50 + (randomBytes(2).readUInt16BE(0) % 150);
        await until(`${after} operations`, async () => last("op") >= after, 60_000, 1);
        child.kill("SIGKILL");
        await exited(child);
        const [done, compacted] = [last("op"), last("compacted")];

        // As the thief finds them: the database, perhaps a hot journal; never a log of past pages.
        const files = storeFiles(file);
        for (const side of SIDE_FILES.filter((s) => s !== "-journal")) expect(files.has(side), side).to.equal(false);
        // Nothing of a subscription deleted before the kill (and not made again since) in any file.
        const deleted = new Set<Subscription>();
        for (const op of ops.slice(0, done)) {
          if ("unsubscribe" in op) deleted.add(op.unsubscribe);
          else for (const d of deleted) if (d.endpoint === op.subscribe.endpoint) deleted.delete(d);
        }
        for (const s of deleted) expect(traces(files, s), s.endpoint).to.deep.equal([]);

        // What the files hold once SQLite has rolled a hot journal back (as any reader would).
        copyStore(file, path.join(dir, "crashed.db"));
        new DatabaseSync(path.join(dir, "crashed.db")).close();
        const crashed = withoutCounters(readFileSync(path.join(dir, "crashed.db")));

        // It is the file of a store compacted after some operation c (the last compaction reported,
        // or one under way at the kill), then given operations c+1..m one by one, m being the last
        // reported or the one in flight: only those operations' order is in it.
        const matches: [number, number][] = [];
        for (const base of new Set([compacted, done])) {
          const reference = new Store(path.join(dir, `reference-${base}.db`));
          for (const op of ops.slice(0, base)) apply(reference, op);
          reference.compact();
          for (let m = base; m <= done + 1 && m <= ops.length; m++) {
            if (m > base) apply(reference, ops[m - 1]);
            const bytes = withoutCounters(readFileSync(path.join(dir, `reference-${base}.db`)));
            if (m >= done && bytes.equals(crashed)) matches.push([base, m]);
          }
          reference.close();
        }
        expect(matches, `compacted after ${compacted}, ${done} operations reported`).to.not.deep.equal([]);
      });
    }
  });

  describe("a file of the earlier layout", function () {
    it("is converted on opening: ids become hashes, deliveries follow, nothing of the earlier order, ids or deleted rows stays", function () {
      const subs = Array.from({ length: 80 }, (_, i) => subscription(CAMPAIGNS[i % 2]));
      const gone = subs.slice(0, 10);
      const campaignRow = `INSERT INTO campaigns (address, ladder, pledge_deadline, action_date, action_day, title, place, created_at, scanned_block)
        VALUES (?, '[2, 4]', 1000, 2000, '2030-05-01', 'Grève', 'Lille', 10, 20)`;
      const entryRow = `INSERT INTO entries (campaign, seq, kind, from_level, to_level, committed, block, at) VALUES (?, 1, 'reached', 0, 1, 2, 20, 30)`;
      /** An earlier store given `subs` in `order`, left as a crash leaves it: pages still in its write-ahead log. */
      function earlier(name: string, order: Subscription[]): { file: string; ids: string[] } {
        const live = new DatabaseSync(path.join(dir, `live-${name}`));
        live.exec(`PRAGMA journal_mode = WAL; PRAGMA secure_delete = ON; ${EARLIER_LAYOUT}`);
        for (const c of CAMPAIGNS) live.prepare(campaignRow).run(c);
        for (const s of order)
          live
            .prepare("INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .run(b64(16), s.campaign, s.level, s.lang, s.endpoint, s.p256dh, s.auth, s.condition);
        const ids = (live.prepare("SELECT id FROM subscriptions").all() as { id: string }[]).map((r) => r.id);
        for (const c of CAMPAIGNS) live.prepare(entryRow).run(c);
        live.exec("INSERT INTO outbox SELECT id, campaign, 1, 0, 0 FROM subscriptions");
        for (const s of gone) live.prepare("DELETE FROM subscriptions WHERE endpoint = ?").run(s.endpoint);
        live.exec("DELETE FROM outbox WHERE subscription_id NOT IN (SELECT id FROM subscriptions)");
        const file = path.join(dir, name);
        copyStore(path.join(dir, `live-${name}`), file);
        live.close();
        return { file, ids };
      }
      const converted = [subs, shuffled(subs)].map((order, i) => {
        const { file, ids } = earlier(`notifier-${i}.db`, order);
        // The earlier files kept what was deleted (here, in the write-ahead log).
        expect(gone.some((s) => traces(storeFiles(file), s).length > 0)).to.equal(true);
        const store = new Store(file);
        expect(store.subscriptionCount()).to.equal(70);
        for (const s of subs.slice(10)) {
          const id = subscriptionId(s.campaign, s.endpoint);
          expect(store.getSubscription(id)).to.deep.equal({ id, ...s });
        }
        // Every pending delivery follows its subscription to its new id.
        expect(
          store
            .dueDeliveries(Date.now(), 1000)
            .map((d) => d.subscription_id)
            .sort(),
        ).to.deep.equal(
          subs
            .slice(10)
            .map((s) => subscriptionId(s.campaign, s.endpoint))
            .sort(),
        );
        store.close();
        const files = storeFiles(file);
        expect([...files.keys()]).to.deep.equal([""]);
        for (const s of gone) expect(traces(files, s)).to.deep.equal([]);
        for (const id of ids) expect(foundIn(files, id), "an earlier id").to.equal(null);
        return withoutCounters(files.get("")!);
      });
      // Two earlier files that took the same rows in two orders, with other random ids: the same bytes.
      expect(converted[0].equals(converted[1])).to.equal(true);
    });
  });
});
