/**
 * Backups of the forgetful stores (`npm run backup`, scripts/tools/backup.ts on scripts/kit/backup.ts):
 * the attester's taken by the command while the service redeems codes over HTTP, restored into a
 * fresh folder, the service started on it; the notifier's subscriptions and VAPID keys likewise.
 * A backup must not bring back what the forgetful mode forgets: deleted rows, the order of writes,
 * a journal beside it. The relayer's (reconciled with the chain) is test/relayer/backup.test.ts.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { blind, encodeWire, publicKeyFromModulus, voucherDigest } from "@bascule/core/blind-rsa";
import { type AttesterHandle, startAttester } from "../../scripts/attester/server.js";
import { normaliseInviteCode } from "../../scripts/attester/service.js";
import { AttesterStore } from "../../scripts/attester/store.js";
import { copyDatabase } from "../../scripts/kit/backup.js";
import { spawnNode } from "../../scripts/lib/children.js";
import { loadOrCreateVapidKeys } from "../../scripts/notifier/service.js";
import { Store as NotifierStore, type SubscriptionRow } from "../../scripts/notifier/store.js";
import { backupStore, restoreStore } from "../../scripts/tools/backup.js";
import { ROOT } from "../helpers/node.js";
import { foundIn, shuffled, storeFiles, withoutCounters } from "../helpers/store-files.js";

const TOKEN = "backup-test-token";
const CAMPAIGN = "0x00000000000000000000000000000000000ba5c0";

/** `npm run backup -- …` as an operator runs it: its exit code and output. */
function backupCommand(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawnNode(["--import", "tsx", "scripts/tools/backup.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, out })));
}

describe("backups of the forgetful stores", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "bascule-backup-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe("attester", function () {
    let attester: AttesterHandle | null = null;
    afterEach(async () => {
      await attester?.close();
      attester = null;
    });

    const call = async (method: string, route: string, body?: unknown, token: string | null = TOKEN) => {
      const res = await fetch(`${attester!.url}${route}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { error?: { code: string }; [k: string]: unknown } };
    };
    /** A member's browser redeeming `code` for a fresh pledge key: the HTTP status and error code. */
    const redeem = async (key: { keyId: Hex; modulus: Hex; exponent: string }, code: string) => {
      const pub = publicKeyFromModulus(key.modulus, BigInt(key.exponent));
      const digest = voucherDigest(CAMPAIGN, 31337, privateKeyToAccount(generatePrivateKey()).address);
      const { blinded } = blind(pub, digest);
      const r = await call("POST", `/keys/${key.keyId}/vouchers`, { code, blinded: encodeWire(blinded) }, null);
      return r.status === 200 ? "ok" : r.body.error!.code;
    };
    /** The hash the attester stores of a code (scripts/attester/service.ts). */
    const hashOf = (code: string) =>
      createHash("sha256")
        .update(`bascule-invite:${normaliseInviteCode(code)!}`)
        .digest("hex");

    it("backs up while codes are redeemed; restored with --revoke-unused, no code can be used twice", async function () {
      const live = path.join(dir, "live", "attester.db");
      mkdirSync(path.dirname(live));
      attester = await startAttester({ port: 0, dbPath: live, corsOrigins: ["*"], token: TOKEN });
      const key = (await call("POST", "/keys", { label: "Grève" })).body as unknown as {
        keyId: Hex;
        modulus: Hex;
        exponent: string;
      };
      const { codes } = (await call("POST", `/keys/${key.keyId}/codes`, { count: 400 })).body as unknown as {
        codes: string[];
      };
      const order = shuffled(codes.slice(0, 300)); // the last 100 are never used
      const answeredBefore: string[] = [];
      const startedAfter: string[] = [];
      let backupStarted = false;
      let backupDone = false;
      // Members redeem one after another while the command backs the file up.
      const members = (async () => {
        for (const code of order) {
          const after = backupDone;
          expect(await redeem(key, code)).to.equal("ok");
          if (after) startedAfter.push(code);
          else if (!backupStarted) answeredBefore.push(code);
        }
      })();
      while (answeredBefore.length < 40) await new Promise((r) => setTimeout(r, 5));
      const backup = path.join(dir, "attester-backup.db");
      backupStarted = true;
      const made = await backupCommand(["--store", "attester", "--db", live, "--to", backup]);
      backupDone = true;
      expect(made.code, made.out).to.equal(0);
      expect(made.out).to.match(/backed up .* to .*attester-backup\.db/);
      await members;
      await attester.close();
      attester = null;
      expect(startedAfter.length, "redemptions after the backup").to.be.above(0);

      // The backup: owner-only (it holds the private keys), alone (no journal), and a snapshot.
      expect(statSync(backup).mode & 0o777).to.equal(0o600);
      expect([...storeFiles(backup).keys()]).to.deep.equal([""]);
      const held = new AttesterStore(backup);
      for (const code of answeredBefore) expect(held.getCode(hashOf(code))?.state).to.equal("redeemed");
      for (const code of startedAfter) expect(held.getCode(hashOf(code))?.state).to.equal("issued");
      held.close();

      // Restored without saying what to do with the unused codes: refused, in both languages.
      const fresh = path.join(dir, "fresh", "attester.db");
      mkdirSync(path.dirname(fresh));
      const refused = await backupCommand(["--restore", "--store", "attester", "--from", backup, "--db", fresh]);
      expect(refused.code).to.equal(1);
      expect(refused.out)
        .to.match(/--revoke-unused/)
        .and.match(/redeemed again/)
        .and.match(/une seconde fois/);
      expect(existsSync(fresh)).to.equal(false);
      const restored = await backupCommand([
        "--restore",
        "--store",
        "attester",
        "--from",
        backup,
        "--db",
        fresh,
        "--revoke-unused",
      ]);
      expect(restored.code, restored.out).to.equal(0);
      expect(restored.out).to.match(/revoked unused codes/);

      attester = await startAttester({ port: 0, dbPath: fresh, corsOrigins: ["*"], token: TOKEN });
      // Used before the backup: still used. Used after it: not usable a second time. Never used: revoked.
      expect(await redeem(key, answeredBefore[0])).to.equal("CODE_USED");
      for (const code of startedAfter.slice(0, 5)) expect(await redeem(key, code)).to.equal("CODE_REVOKED");
      expect(await redeem(key, codes[399])).to.equal("CODE_REVOKED");
      const counts = (await call("GET", `/keys/${key.keyId}/codes`)).body as unknown as { redeemed: number };
      expect(counts.redeemed).to.be.at.least(answeredBefore.length);
      // New codes for the members who had not used theirs work at once.
      const { codes: again } = (await call("POST", `/keys/${key.keyId}/codes`, { count: 1 })).body as unknown as {
        codes: string[];
      };
      expect(await redeem(key, again[0])).to.equal("ok");
    });

    it("restored with --backup-is-latest, used codes stay used and unused ones work", async function () {
      const live = path.join(dir, "attester.db");
      attester = await startAttester({ port: 0, dbPath: live, corsOrigins: ["*"], token: TOKEN });
      const key = (await call("POST", "/keys", { label: "Grève" })).body as unknown as {
        keyId: Hex;
        modulus: Hex;
        exponent: string;
      };
      const { codes } = (await call("POST", `/keys/${key.keyId}/codes`, { count: 10 })).body as unknown as {
        codes: string[];
      };
      for (const code of codes.slice(0, 4)) expect(await redeem(key, code)).to.equal("ok");
      // Taken while the service runs (its last redemption is in it).
      const backup = path.join(dir, "backup.db");
      backupStore("attester", live, backup);
      await attester.close();
      const fresh = path.join(dir, "fresh.db");
      expect(() => restoreStore("attester", backup, fresh)).to.throw(/--backup-is-latest/);
      restoreStore("attester", backup, fresh, { codes: "backup-is-latest" });
      attester = await startAttester({ port: 0, dbPath: fresh, corsOrigins: ["*"], token: TOKEN });
      for (const code of codes.slice(0, 4)) expect(await redeem(key, code)).to.equal("CODE_USED");
      for (const code of codes.slice(4)) expect(await redeem(key, code)).to.equal("ok");
      // The restored file, like the live one, is readable by its owner only.
      expect(statSync(fresh).mode & 0o777).to.equal(0o600);
    });

    it("writes the same backup whatever order the codes were redeemed in", function () {
      const hashes = Array.from({ length: 200 }, (_, i) => createHash("sha256").update(`code ${i}`).digest("hex"));
      const used = shuffled(hashes).slice(0, 90);
      const backups = [used, [...used].reverse(), shuffled(used)].map((order, i) => {
        const file = path.join(dir, `order-${i}.db`);
        const store = new AttesterStore(file);
        store.insertKey({ key_id: "0xab", jwk: "{}", label: "Grève" });
        store.insertCodes("0xab", hashes);
        for (const h of order) store.redeem(h);
        // Backed up while the store is open, as a running service's is.
        const to = path.join(dir, `backup-${i}.db`);
        copyDatabase(file, to);
        store.close();
        return withoutCounters(readFileSync(to));
      });
      for (const b of backups.slice(1)) expect(b.equals(backups[0])).to.equal(true);
    });
  });

  describe("notifier", function () {
    const b64 = (n: number) => Buffer.from(createHash("sha256").update(`${n}`).digest()).toString("base64url");
    const subscription = (i: number): Omit<SubscriptionRow, "id"> => ({
      campaign: CAMPAIGN,
      level: 1 + (i % 3),
      lang: i % 2 ? "fr" : "en",
      endpoint: `https://fcm.googleapis.com/fcm/send/endpoint-${i}-${b64(i)}`,
      p256dh: `p256dh-${i}-${b64(i + 1000)}`,
      auth: `auth-${i}-${b64(i + 2000)}`,
      condition: i % 3,
    });

    it("holds neither deleted subscriptions nor their order; restored, subscriptions and VAPID keys are intact", async function () {
      const all = Array.from({ length: 120 }, (_, i) => subscription(i));
      const kept = all.slice(0, 80);
      const deleted = all.slice(80);
      /** Subscribes in `order`, deletes the last 40, backs up at once (before the store compacts itself). */
      const take = (name: string, order: Omit<SubscriptionRow, "id">[]) => {
        const data = path.join(dir, name);
        mkdirSync(data);
        loadOrCreateVapidKeys(data);
        const store = new NotifierStore(path.join(data, "notifier.db"));
        for (const s of order) store.subscribe(s);
        for (const s of deleted) store.unsubscribe(s.endpoint);
        const live = withoutCounters(readFileSync(path.join(data, "notifier.db")));
        const to = path.join(dir, `${name}-backup.db`);
        backupStore("notifier", path.join(data, "notifier.db"), to);
        store.close();
        return { data, live, backup: to };
      };
      const a = take("a", shuffled(all));
      const b = take("b", [...all].reverse());
      // The live files, not yet compacted, still differ by the order of writes; the backups do not.
      expect(a.live.equals(b.live), "the live files differ (else this test shows nothing)").to.equal(false);
      expect(withoutCounters(readFileSync(a.backup)).equals(withoutCounters(readFileSync(b.backup)))).to.equal(true);
      const files = storeFiles(a.backup);
      expect([...files.keys()]).to.deep.equal([""]);
      for (const s of deleted)
        for (const v of [s.endpoint, s.p256dh, s.auth]) expect(foundIn(files, v), v).to.equal(null);
      for (const s of kept.slice(0, 3)) expect(foundIn(files, s.endpoint)).to.equal("db");

      // Restored into a new data folder (made by the restore): the same subscriptions, the same
      // VAPID keys (not new ones).
      const fresh = path.join(dir, "fresh");
      restoreStore("notifier", a.backup, path.join(fresh, "notifier.db"));
      expect(loadOrCreateVapidKeys(fresh)).to.deep.equal(loadOrCreateVapidKeys(a.data));
      const store = new NotifierStore(path.join(fresh, "notifier.db"));
      expect(store.subscriptionCount()).to.equal(kept.length);
      for (const s of kept) expect(store.hasSubscription(s.campaign, s.endpoint)).to.equal(true);
      for (const s of deleted) expect(store.hasSubscription(s.campaign, s.endpoint)).to.equal(false);
      store.close();
      // A restore never overwrites a store in place.
      expect(() => restoreStore("notifier", a.backup, path.join(fresh, "notifier.db"))).to.throw(/exists/);
    });

    it("refuses a file that is not this store's backup, and a damaged one", function () {
      const attesterFile = path.join(dir, "attester.db");
      new AttesterStore(attesterFile).close();
      expect(() => restoreStore("notifier", attesterFile, path.join(dir, "n.db"))).to.throw(/not this store's backup/);
      const file = path.join(dir, "notifier.db");
      const store = new NotifierStore(file);
      for (let i = 0; i < 200; i++) store.subscribe(subscription(i));
      store.close();
      const bytes = readFileSync(file);
      bytes.fill(0x55, 4096, 8192); // a page overwritten
      const damaged = path.join(dir, "damaged.db");
      writeFileSync(damaged, bytes);
      expect(() => restoreStore("notifier", damaged, path.join(dir, "n2.db"))).to.throw(/damaged|malformed/);
      expect(existsSync(path.join(dir, "n2.db"))).to.equal(false);
    });
  });
});
