/**
 * What the attester's files tell someone who takes the disk (issue 20): which codes are used, and
 * nothing of the order in which they were used. The store's files are read as raw bytes (the
 * database and any -wal, -shm or -journal) after redemptions, after a kill -9 in the middle of
 * them, and after opening a file of the earlier layout.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import { exited, spawnNode } from "../../scripts/lib/children.js";
import { AttesterStore, type CodeState } from "../../scripts/attester/store.js";
import { ROOT } from "../helpers/node.js";
import {
  SIDE_FILES,
  copyStore,
  foundIn,
  journalPages,
  page,
  shuffled,
  storeFiles,
  withoutCounters,
} from "../helpers/store-files.js";
import { until } from "../helpers/until.js";

const KEY = `0x${"ab".repeat(32)}`;
const hash = () => createHash("sha256").update(randomBytes(16)).digest("hex");

/**
 * The attester's schema as the store wrote it before issue 20 (rowid table, states as words, WAL),
 * to the indentation: SQLite keeps the text of a CREATE statement as it was given.
 */
const EARLIER_LAYOUT = `
      PRAGMA journal_mode = WAL;
      CREATE TABLE IF NOT EXISTS keys (
        key_id TEXT PRIMARY KEY,
        jwk TEXT NOT NULL,
        label TEXT NOT NULL
      ) STRICT;
      CREATE TABLE IF NOT EXISTS codes (
        code_hash TEXT PRIMARY KEY,
        key_id TEXT NOT NULL REFERENCES keys(key_id),
        batch INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('issued', 'redeemed', 'revoked'))
      ) STRICT;
      CREATE INDEX IF NOT EXISTS codes_by_key ON codes(key_id, batch);
    `;

describe("attester store: what its files keep", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "bascule-attester-store-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A store holding `batches` of codes, the `redeemed` ones used in that order and `revoked` revoked; its file. */
  function build(name: string, batches: string[][], redeemed: readonly string[], revoked: string[] = []): Buffer {
    const file = path.join(dir, name);
    const store = new AttesterStore(file);
    store.insertKey({ key_id: KEY, jwk: "{}", label: "Grève" });
    for (const batch of batches) store.insertCodes(KEY, batch);
    for (const code of redeemed) expect(store.redeem(code)).to.equal(true);
    if (revoked.length > 0) store.revoke(KEY, { hashes: revoked });
    store.close();
    return readFileSync(file);
  }

  it("writes the same bytes whatever order the codes were redeemed in", function () {
    const codes = Array.from({ length: 300 }, hash);
    const used = shuffled(codes).slice(0, 120);
    const files = [used, [...used].reverse(), [...used].sort(), shuffled(used)].map((order, i) =>
      build(`order-${i}.db`, [codes], order),
    );
    for (const file of files.slice(1)) expect(file.equals(files[0])).to.equal(true);
  });

  it("(the earlier layout told the order: the same redemptions in two orders gave two different files)", function () {
    const codes = Array.from({ length: 300 }, hash);
    const used = shuffled(codes).slice(0, 120);
    const files = [used, [...used].reverse()].map((order, i) => {
      const file = path.join(dir, `earlier-${i}.db`);
      const db = new DatabaseSync(file);
      db.exec(EARLIER_LAYOUT);
      db.prepare("INSERT INTO keys VALUES (?, '{}', 'Grève')").run(KEY);
      const insert = db.prepare("INSERT INTO codes VALUES (?, ?, 1, 'issued')");
      for (const code of codes) insert.run(code, KEY);
      for (const code of order) db.prepare("UPDATE codes SET state = 'redeemed' WHERE code_hash = ?").run(code);
      db.close();
      return readFileSync(file);
    });
    expect(withoutCounters(files[0]).equals(withoutCounters(files[1]))).to.equal(false);
  });

  it("leaves no -wal, -shm or -journal beside the database, and a used code stays used", function () {
    const codes = Array.from({ length: 20 }, hash);
    build("attester.db", [codes], codes.slice(0, 5), codes.slice(15));
    const files = storeFiles(path.join(dir, "attester.db"));
    expect([...files.keys()]).to.deep.equal([""]);
    const store = new AttesterStore(path.join(dir, "attester.db"));
    expect(codes.map((c) => store.getCode(c)?.state)).to.deep.equal([
      ...Array<CodeState>(5).fill("redeemed"),
      ...Array<CodeState>(10).fill("issued"),
      ...Array<CodeState>(5).fill("revoked"),
    ]);
    expect(store.counts(KEY)).to.deep.include({ issued: 20, redeemed: 5, revoked: 5 });
    store.close();
  });

  describe("killed with SIGKILL in the middle of redemptions", function () {
    /** Opens a store, writes the codes, then redeems them in the given order, printing the count after each commit. */
    const CHILD = `
      import { readFileSync, writeSync } from "node:fs";
      import { AttesterStore } from "${pathToFileURL(path.join(ROOT, "scripts/attester/store.ts")).href}";
      const [file, plan] = process.argv.slice(1);
      const { key, codes, order } = JSON.parse(readFileSync(plan, "utf8"));
      const store = new AttesterStore(file);
      store.insertKey({ key_id: key, jwk: "{}", label: "Grève" });
      store.insertCodes(key, codes);
      writeSync(1, "ready\\n");
      for (const [i, code] of order.entries()) {
        store.redeem(code);
        writeSync(1, (i + 1) + "\\n");
      }
      writeSync(1, "done\\n");
      setInterval(() => {}, 1000);
    `;

    for (const round of [1, 2, 3]) {
      it(`leaves files that say which codes are used, never in what order (round ${round})`, async function () {
        const codes = Array.from({ length: 1500 }, hash);
        const order = shuffled(codes);
        const file = path.join(dir, "attester.db");
        writeFileSync(path.join(dir, "plan.json"), JSON.stringify({ key: KEY, codes, order }));
        const child = spawnNode(
          ["--import", "tsx", "--input-type=module", "-e", CHILD, file, path.join(dir, "plan.json")],
          {
            stdio: ["ignore", "pipe", "inherit"],
          },
        );
        let out = "";
        child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
        // Kill it somewhere after 100 to 400 redemptions: inside a transaction, a commit or between two.
        const after = 100 + (randomBytes(2).readUInt16BE(0) % 300);
        await until(`${after} redemptions`, async () => Number(out.trim().split("\n").at(-1)) >= after, 60_000, 1);
        child.kill("SIGKILL");
        await exited(child);
        const reported = Number(out.trim().split("\n").at(-1));

        // As the thief finds them: the database, perhaps a hot journal; never a log of past pages.
        const files = storeFiles(file);
        for (const side of SIDE_FILES.filter((s) => s !== "-journal")) expect(files.has(side), side).to.equal(false);
        copyStore(file, path.join(dir, "crashed.db"));

        // What a restart (or the thief) makes of them: SQLite rolls the hot journal back.
        const recovered = new AttesterStore(path.join(dir, "crashed.db"));
        const used = codes.filter((c) => recovered.getCode(c)?.state === "redeemed");
        recovered.close();
        // Every redemption the child saw committed is there, and at most the one in flight besides.
        expect(used.length).to.be.within(reported, reported + 1);
        const usedSet = new Set(used);
        expect(order.slice(0, reported).every((c) => usedSet.has(c))).to.equal(true);

        // Once restarted (opening compacts), the file of a store that redeemed these codes in hash order.
        const reference = build("reference.db", [codes], [...used].sort());
        copyStore(path.join(dir, "reference.db"), path.join(dir, "reference-opened.db"));
        new AttesterStore(path.join(dir, "reference-opened.db")).close();
        const crashed = readFileSync(path.join(dir, "crashed.db"));
        const opened = readFileSync(path.join(dir, "reference-opened.db"));
        expect(withoutCounters(crashed).equals(withoutCounters(opened))).to.equal(true);

        // Before any restart, the database is the file of the codes used before the kill, or of
        // those and the one in flight; a hot journal holds only pages of the committed file.
        const inFlight = order[reported];
        const raw = files.get("")!;
        const candidates = [reference, build("with-in-flight.db", [codes], [...new Set([...used, inFlight])].sort())];
        expect(candidates.some((c) => withoutCounters(c).equals(withoutCounters(raw)))).to.equal(true);
        for (const { page: n, bytes } of journalPages(files.get("-journal") ?? Buffer.alloc(0))) {
          const committed = n === 1 ? withoutCounters(page(reference, 1)) : page(reference, n);
          expect((n === 1 ? withoutCounters(bytes) : bytes).equals(committed), `journal page ${n}`).to.equal(true);
        }
      });
    }
  });

  describe("the desk ledger, killed with SIGKILL in the middle of paid marks", function () {
    const CHILD = `
      import { writeSync } from "node:fs";
      import { AttesterStore } from "${pathToFileURL(path.join(ROOT, "scripts/attester/store.ts")).href}";
      const [file, count] = process.argv.slice(1);
      const store = new AttesterStore(file);
      writeSync(1, "ready\\n");
      for (let i = 0; i < Number(count); i++) {
        const claim = "0x" + i.toString(16).padStart(40, "0");
        store.markPaid({ chain_id: 31337, campaign: "0xca", claim, desk: "0xd1", paid_at: 1700000000 + i, clerk: "A" });
        writeSync(1, (i + 1) + "\\n");
      }
      writeSync(1, "done\\n");
      setInterval(() => {}, 1000);
    `;

    it("keeps every mark it answered, and a restart still refuses to mark them again", async function () {
      const file = path.join(dir, "attester.db");
      const child = spawnNode(["--import", "tsx", "--input-type=module", "-e", CHILD, file, "3000"], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
      const after = 100 + (randomBytes(2).readUInt16BE(0) % 300);
      await until(`${after} marks`, async () => Number(out.trim().split("\n").at(-1)) >= after, 60_000, 1);
      child.kill("SIGKILL");
      await exited(child);
      const reported = Number(out.trim().split("\n").at(-1));
      const store = new AttesterStore(file);
      const paid = store.listPaid(31337, "0xca", "0xd1");
      // Every mark the child saw committed, and at most the one in flight besides.
      expect(paid.length).to.be.within(reported, reported + 1);
      for (let i = 0; i < reported; i++) {
        const claim = "0x" + i.toString(16).padStart(40, "0");
        const again = store.markPaid({
          chain_id: 31337,
          campaign: "0xca",
          claim,
          desk: "0xd1",
          paid_at: 1,
          clerk: "B",
        });
        expect(again.inserted, claim).to.equal(false);
        expect(again.row.clerk).to.equal("A");
      }
      store.close();
    });
  });

  describe("a file of the earlier layout", function () {
    it("is converted on opening into the file a new store holding the same codes has, its write-ahead log gone", function () {
      const [first, second] = [Array.from({ length: 200 }, hash), Array.from({ length: 50 }, hash)];
      const used = shuffled(first).slice(0, 80);
      const revoked = second.slice(0, 10);
      // The earlier store, left as a crash leaves it: pages still in its write-ahead log.
      const live = new DatabaseSync(path.join(dir, "live.db"));
      live.exec(EARLIER_LAYOUT);
      live.prepare("INSERT INTO keys VALUES (?, '{}', 'Grève')").run(KEY);
      for (const [batch, codes] of [first, second].entries()) {
        for (const code of shuffled(codes))
          live.prepare("INSERT INTO codes VALUES (?, ?, ?, 'issued')").run(code, KEY, batch + 1);
      }
      for (const code of used) live.prepare("UPDATE codes SET state = 'redeemed' WHERE code_hash = ?").run(code);
      for (const code of revoked) live.prepare("UPDATE codes SET state = 'revoked' WHERE code_hash = ?").run(code);
      const file = path.join(dir, "attester.db");
      copyStore(path.join(dir, "live.db"), file);
      live.close();
      expect(storeFiles(file).get("-wal")?.includes("redeemed")).to.equal(true);

      const store = new AttesterStore(file);
      expect(store.counts(KEY)).to.deep.equal({
        issued: 250,
        redeemed: 80,
        revoked: 10,
        batches: [
          { batch: 1, issued: 200, redeemed: 80, revoked: 0 },
          { batch: 2, issued: 50, redeemed: 0, revoked: 10 },
        ],
      });
      expect(store.getCode(used[0])?.state).to.equal("redeemed");
      store.close();

      const files = storeFiles(file);
      expect([...files.keys()]).to.deep.equal([""]);
      for (const word of ["issued", "redeemed", "revoked"]) expect(foundIn(files, `${word}`), word).to.equal(null);
      // Byte for byte the file of a new store given the same codes, once both are compacted (opened).
      build("reference.db", [first, second], [...used].sort(), revoked);
      new AttesterStore(path.join(dir, "reference.db")).close();
      const reference = readFileSync(path.join(dir, "reference.db"));
      expect(withoutCounters(files.get("")!).equals(withoutCounters(reference))).to.equal(true);
    });
  });
});
