/**
 * The attester service (scripts/attester) over HTTP: invite codes, one blind voucher per code, the
 * organiser's endpoints, bilingual refusals, and what its database holds (never a pledge key, a
 * blinded message nor a signature). The vouchers it signs are checked by the verifier contract.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { expect } from "chai";
import type { Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  blind,
  decodeWire,
  encodeWire,
  publicKeyFromModulus,
  unblind,
  verify,
  voucherBytes,
  voucherDigest,
} from "@bascule/core/blind-rsa";
import { type AttesterHandle, startAttester } from "../../scripts/attester/server.js";
import { normaliseInviteCode } from "../../scripts/attester/service.js";
import { ethers } from "../helpers/fixtures.js";
import { storeFiles } from "../helpers/store-files.js";

const TOKEN = "test-organiser-token";
const DESK_TOKEN = "test-desk-clerks-token";
const DESK = "0x00000000000000000000000000000000000000d1" as Address;
const CAMPAIGN = "0x00000000000000000000000000000000000ba5c0" as Address;
const CHAIN = 31337;

describe("attester service", function () {
  this.timeout(120_000);
  let dir: string;
  let dbPath: string;
  let attester: AttesterHandle;

  const call = async (method: string, route: string, body?: unknown, token: string | null = TOKEN) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${attester.url}${route}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const newKey = async (label = "Grève du 1er mai") =>
    (await call("POST", "/keys", { label })).body as { keyId: Hex; modulus: Hex; exponent: string };
  const newCodes = async (keyId: Hex, count: number) =>
    (await call("POST", `/keys/${keyId}/codes`, { count })).body as { batch: number; codes: string[] };

  /** The member's browser: fresh pledge key, blind, redeem, unblind, check. */
  async function member(key: { keyId: Hex; modulus: Hex; exponent: string }, code: string, campaign = CAMPAIGN) {
    const pledgeKey = privateKeyToAccount(generatePrivateKey()).address;
    const pub = publicKeyFromModulus(key.modulus, BigInt(key.exponent));
    const digest = voucherDigest(campaign, CHAIN, pledgeKey);
    const { blinded, inverse } = blind(pub, digest);
    const res = await call("POST", `/keys/${key.keyId}/vouchers`, { code, blinded: encodeWire(blinded) }, null);
    const voucher = res.status === 200 ? unblind(pub, decodeWire(res.body.blindSignature as string), inverse) : null;
    return { res, pledgeKey, blinded: encodeWire(blinded), voucher, digest, pub };
  }

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "bascule-attester-"));
    dbPath = path.join(dir, "attester.db");
    attester = await startAttester({ port: 0, dbPath, corsOrigins: ["*"], token: TOKEN, deskToken: DESK_TOKEN });
  });
  afterEach(async () => {
    await attester.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("vouchers", () => {
    it("blind-signs once per code; the unblinded voucher passes the verifier contract", async () => {
      const key = await newKey();
      const { codes } = await newCodes(key.keyId, 3);
      const m = await member(key, codes[0]);
      expect(m.res.status).to.equal(200);
      expect(verify(m.pub, m.digest, m.voucher!)).to.equal(true);
      // Bound to the test account that asks, standing for the campaign (RsaVoucherVerifier.test.ts).
      const [caller] = await ethers.getSigners();
      const verifier = await ethers.deployContract("RsaVoucherVerifier", [
        key.modulus,
        BigInt(key.exponent),
        caller.address,
      ]);
      expect(await verifier.connect(caller).isValidSignature(m.digest, voucherBytes(m.voucher!))).to.equal(
        "0x1626ba7e",
      );
    });

    it("refuses a second use of a code, in French and English", async () => {
      const key = await newKey();
      const { codes } = await newCodes(key.keyId, 1);
      expect((await member(key, codes[0])).res.status).to.equal(200);
      const again = await member(key, codes[0]);
      expect(again.res.status).to.equal(409);
      expect(again.res.body.error.code).to.equal("CODE_USED");
      expect(again.res.body.error.message.fr).to.match(/déjà servi/);
      expect(again.res.body.error.message.en).to.match(/already been used/);
    });

    it("accepts a code typed loosely (lower case, spaces, O for 0, I or L for 1)", async () => {
      const key = await newKey();
      const { codes } = await newCodes(key.keyId, 1);
      const typed = codes[0].toLowerCase().replace(/-/g, " ").replace(/0/g, "o").replace(/1/g, "l");
      expect(normaliseInviteCode(typed)).to.equal(codes[0]);
      expect((await member(key, typed)).res.status).to.equal(200);
    });

    it("refuses an unknown code and a malformed one", async () => {
      const key = await newKey();
      await newCodes(key.keyId, 1);
      for (const code of ["AAAA-BBBB-CCCC-DDDD", "not a code", "UUUU-UUUU-UUUU-UUUU"]) {
        const m = await member(key, code);
        expect(m.res.status).to.equal(404);
        expect(m.res.body.error.code).to.equal("CODE_UNKNOWN");
      }
    });

    it("refuses a revoked code; a used code stays used after a revocation", async () => {
      const key = await newKey();
      const { codes, batch } = await newCodes(key.keyId, 3);
      expect((await member(key, codes[0])).res.status).to.equal(200);
      const revoked = await call("POST", `/keys/${key.keyId}/codes/revoke`, { batch });
      expect(revoked.body.revoked).to.equal(2);
      const m = await member(key, codes[1]);
      expect(m.res.status).to.equal(410);
      expect(m.res.body.error.code).to.equal("CODE_REVOKED");
      expect((await member(key, codes[0])).res.body.error.code).to.equal("CODE_USED");
    });

    it("revokes single codes by value", async () => {
      const key = await newKey();
      const { codes } = await newCodes(key.keyId, 2);
      expect(
        (await call("POST", `/keys/${key.keyId}/codes/revoke`, { codes: [codes[1].toLowerCase()] })).body.revoked,
      ).to.equal(1);
      expect((await member(key, codes[1])).res.body.error.code).to.equal("CODE_REVOKED");
      expect((await member(key, codes[0])).res.status).to.equal(200);
    });

    it("refuses a code of another campaign's key without using it up", async () => {
      const a = await newKey("A");
      const b = await newKey("B");
      const { codes } = await newCodes(a.keyId, 1);
      const wrong = await member(b, codes[0]);
      expect(wrong.res.status).to.equal(409);
      expect(wrong.res.body.error.code).to.equal("CODE_OTHER_CAMPAIGN");
      expect((await member(a, codes[0])).res.status).to.equal(200);
    });

    it("refuses, without using the code, a page on another campaign than the one its key is bound to", async () => {
      const key = await newKey();
      const { codes } = await newCodes(key.keyId, 1);
      const LOOK_ALIKE = "0x00000000000000000000000000000000000ba5c1";
      const bound = await call("POST", `/keys/${key.keyId}/campaign`, { chainId: CHAIN, address: CAMPAIGN });
      expect(bound.status).to.equal(200);
      expect(bound.body.campaign).to.deep.equal({ chainId: CHAIN, address: CAMPAIGN.toLowerCase() });
      expect((await call("GET", `/keys/${key.keyId}`, undefined, null)).body.campaign.address).to.equal(
        CAMPAIGN.toLowerCase(),
      );
      // A key's campaign never changes; naming the same one again is harmless.
      const again = await call("POST", `/keys/${key.keyId}/campaign`, { chainId: CHAIN, address: LOOK_ALIKE });
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal("KEY_CAMPAIGN_SET");
      expect(again.body.error.message.fr).to.match(/ne change jamais/);
      expect(
        (
          await call("POST", `/keys/${key.keyId}/campaign`, {
            chainId: CHAIN,
            address: CAMPAIGN.toUpperCase().replace("0X", "0x"),
          })
        ).status,
      ).to.equal(200);
      expect(
        (await call("POST", `/keys/${key.keyId}/campaign`, { chainId: CHAIN, address: CAMPAIGN }, null)).status,
      ).to.equal(401);
      // A look-alike's page (another address, or the same address on another chain) names its campaign: refused.
      const pub = publicKeyFromModulus(key.modulus, BigInt(key.exponent));
      for (const campaign of [
        { chainId: CHAIN, address: LOOK_ALIKE },
        { chainId: CHAIN + 1, address: CAMPAIGN },
      ]) {
        const { blinded } = blind(pub, voucherDigest(campaign.address as Hex, campaign.chainId, CAMPAIGN));
        const res = await call(
          "POST",
          `/keys/${key.keyId}/vouchers`,
          { code: codes[0], blinded: encodeWire(blinded), campaign },
          null,
        );
        expect(res.status).to.equal(409);
        expect(res.body.error.code).to.equal("CODE_WRONG_CAMPAIGN");
        expect(res.body.error.message.en).to.match(/Your code was not used/);
      }
      expect((await call("GET", `/keys/${key.keyId}/codes`)).body.redeemed).to.equal(0);
      // The code still works for the real campaign, named or not.
      const { blinded } = blind(pub, voucherDigest(CAMPAIGN, CHAIN, CAMPAIGN));
      const ok = await call(
        "POST",
        `/keys/${key.keyId}/vouchers`,
        { code: codes[0], blinded: encodeWire(blinded), campaign: { chainId: CHAIN, address: CAMPAIGN } },
        null,
      );
      expect(ok.status).to.equal(200);
    });

    it("refuses a malformed or out-of-range blinded message without using the code", async () => {
      const key = await newKey();
      const { codes } = await newCodes(key.keyId, 1);
      const n = publicKeyFromModulus(key.modulus, 3n).n;
      for (const blinded of [encodeWire(0n), encodeWire(1n), encodeWire(n), key.modulus]) {
        const res = await call("POST", `/keys/${key.keyId}/vouchers`, { code: codes[0], blinded }, null);
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal("BLINDED_INVALID");
      }
      const short = await call("POST", `/keys/${key.keyId}/vouchers`, { code: codes[0], blinded: "0x1234" }, null);
      expect(short.status).to.equal(400);
      expect(short.body.error.code).to.equal("INVALID_REQUEST");
      expect((await member(key, codes[0])).res.status).to.equal(200);
    });

    it("gives exactly one voucher when the same code is sent 10 times at once", async () => {
      const key = await newKey();
      const { codes } = await newCodes(key.keyId, 1);
      const results = await Promise.all(Array.from({ length: 10 }, () => member(key, codes[0])));
      expect(results.filter((r) => r.res.status === 200)).to.have.length(1);
      expect(results.filter((r) => r.res.body.error?.code === "CODE_USED")).to.have.length(9);
    });

    it("answers an unknown campaign key with KEY_UNKNOWN", async () => {
      const res = await call(
        "POST",
        `/keys/0x${"ab".repeat(32)}/vouchers`,
        { code: "AAAA-AAAA-AAAA-AAAA", blinded: encodeWire(5n) },
        null,
      );
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal("KEY_UNKNOWN");
    });
  });

  describe("organiser endpoints", () => {
    it("refuse a missing or wrong token", async () => {
      const key = await newKey();
      for (const token of [null, "wrong"]) {
        for (const [method, route, body] of [
          ["POST", "/keys", { label: "x" }],
          ["GET", "/keys", undefined],
          ["POST", `/keys/${key.keyId}/codes`, { count: 1 }],
          ["GET", `/keys/${key.keyId}/codes`, undefined],
          ["POST", `/keys/${key.keyId}/codes/revoke`, {}],
        ] as const) {
          const res = await call(method, route, body, token);
          expect(res.status, `${method} ${route}`).to.equal(401);
          expect(res.body.error.code).to.equal("UNAUTHORIZED");
        }
      }
    });

    it("count issued, redeemed and revoked codes per batch", async () => {
      const key = await newKey();
      const first = await newCodes(key.keyId, 4);
      await newCodes(key.keyId, 2);
      await member(key, first.codes[0]);
      await member(key, first.codes[1]);
      await call("POST", `/keys/${key.keyId}/codes/revoke`, { batch: 2 });
      const counts = (await call("GET", `/keys/${key.keyId}/codes`)).body;
      expect(counts).to.deep.include({ issued: 6, redeemed: 2, revoked: 2 });
      expect(counts.batches).to.deep.equal([
        { batch: 1, issued: 4, redeemed: 2, revoked: 0 },
        { batch: 2, issued: 2, redeemed: 0, revoked: 2 },
      ]);
      const list = (await call("GET", "/keys")).body.keys;
      expect(list).to.have.length(1);
      expect(list[0]).to.deep.include({ keyId: key.keyId, issued: 6, redeemed: 2 });
    });

    it("refuse 0 or more than 10,000 codes, and a malformed body, with a 4xx", async () => {
      const key = await newKey();
      for (const count of [0, 10_001]) {
        const res = await call("POST", `/keys/${key.keyId}/codes`, { count });
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal("TOO_MANY_CODES");
      }
      const bad = await call("POST", `/keys/${key.keyId}/codes`, "{not json");
      expect(bad.status).to.equal(400);
      expect(bad.body.error.code).to.equal("INVALID_JSON");
      expect((await call("GET", "/nowhere")).status).to.equal(404);
    });

    it("publishes the public key by its id (keccak256 of the modulus)", async () => {
      const key = await newKey();
      const res = await call("GET", `/keys/${key.keyId}`, undefined, null);
      expect(res.body).to.deep.equal({
        keyId: key.keyId,
        label: "Grève du 1er mai",
        modulus: key.modulus,
        exponent: "3",
      });
    });
  });

  describe("service endpoints", () => {
    it("answers GET /health, and serves the OpenAPI description the dApp's client types are generated from", async () => {
      expect((await call("GET", "/health", undefined, null)).body).to.deep.equal({ ok: true });
      const doc = (await call("GET", "/v1/openapi.json", undefined, null)).body;
      expect(Object.keys(doc.paths)).to.include.members([
        "/keys/{keyId}",
        "/keys/{keyId}/vouchers",
        "/keys",
        "/keys/{keyId}/codes",
        "/keys/{keyId}/codes/revoke",
        "/desks/{desk}/chains/{chainId}/campaigns/{campaign}/paid",
      ]);
      const { apiDocument, apiSource, apiFile } = await import("../../scripts/tools/gen-api.js");
      expect(await apiDocument("attester")).to.deep.equal(doc);
      const { readFile } = await import("node:fs/promises");
      expect(
        await readFile(apiFile("attester"), "utf8"),
        "packages/core/src/generated/attester-api.ts is stale: npm run gen:api",
      ).to.equal(await apiSource("attester"));
    });
  });

  describe("the payout desks' ledger", () => {
    const paidRoute = (desk: string = DESK, campaign: string = CAMPAIGN, chainId = CHAIN) =>
      `/desks/${desk}/chains/${chainId}/campaigns/${campaign}/paid`;
    const claim = () => privateKeyToAccount(generatePrivateKey()).address;

    it("marks a claim paid once; the second mark is refused ALREADY_PAID with when and by whom, in French and English", async () => {
      const pledgeKey = claim();
      const first = await call("POST", paidRoute(), { claim: pledgeKey, clerk: "Guichet A" }, DESK_TOKEN);
      expect(first.status).to.equal(201);
      expect(first.body).to.deep.include({ claim: pledgeKey.toLowerCase(), clerk: "Guichet A" });
      const again = await call("POST", paidRoute(), { claim: pledgeKey.toLowerCase(), clerk: "Guichet B" }, DESK_TOKEN);
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal("ALREADY_PAID");
      expect(again.body.error.details).to.deep.include({ paidAt: first.body.paidAt, clerk: "Guichet A" });
      expect(again.body.error.message.fr).to.match(/déjà marquée payée/);
      expect(again.body.error.message.en).to.match(/already marked paid/);
      // Through another desk's route too: a claim is paid once in its campaign.
      const elsewhere = await call(
        "POST",
        paidRoute("0x00000000000000000000000000000000000000d2"),
        { claim: pledgeKey, clerk: "C" },
        DESK_TOKEN,
      );
      expect(elsewhere.body.error.code).to.equal("ALREADY_PAID");
      const list = await call("GET", paidRoute(), undefined, DESK_TOKEN);
      expect(list.body.paid).to.deep.equal([first.body]);
      // The same claim in another campaign or on another chain is another claim.
      expect((await call("GET", paidRoute(DESK, CAMPAIGN, 1), undefined, DESK_TOKEN)).body.paid).to.deep.equal([]);
    });

    it("lets exactly one of ten clerks marking the same claim at once succeed", async () => {
      const pledgeKey = claim();
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          call("POST", paidRoute(), { claim: pledgeKey, clerk: `clerk ${i}` }, DESK_TOKEN),
        ),
      );
      expect(answers.filter((a) => a.status === 201)).to.have.length(1);
      expect(answers.filter((a) => a.status === 409 && a.body.error.code === "ALREADY_PAID")).to.have.length(9);
      expect((await call("GET", paidRoute(), undefined, DESK_TOKEN)).body.paid).to.have.length(1);
    });

    it("refuses a missing or wrong token, and the organiser's token, with DESK_UNAUTHORIZED; and refuses when no desk token is configured", async () => {
      for (const token of [null, "wrong", TOKEN]) {
        for (const [method, body] of [
          ["GET", undefined],
          ["POST", { claim: claim(), clerk: "x" }],
        ] as const) {
          const res = await call(method, paidRoute(), body, token);
          expect(res.status, `${method} ${token}`).to.equal(401);
          expect(res.body.error.code).to.equal("DESK_UNAUTHORIZED");
        }
      }
      // The organiser's routes do not take the desk token.
      expect((await call("GET", "/keys", undefined, DESK_TOKEN)).status).to.equal(401);
      await attester.close();
      attester = await startAttester({ port: 0, dbPath, corsOrigins: ["*"], token: TOKEN });
      expect((await call("GET", paidRoute(), undefined, DESK_TOKEN)).body.error.code).to.equal("DESK_UNAUTHORIZED");
      expect((await call("GET", paidRoute(), undefined, "")).body.error.code).to.equal("DESK_UNAUTHORIZED");
    });

    it("refuses a malformed claim, desk or clerk label with a 400", async () => {
      expect((await call("POST", paidRoute(), { claim: "A48N-WE6N", clerk: "x" }, DESK_TOKEN)).status).to.equal(400);
      expect((await call("POST", paidRoute(), { claim: claim(), clerk: "" }, DESK_TOKEN)).status).to.equal(400);
      expect((await call("POST", paidRoute(), { claim: claim(), clerk: "   " }, DESK_TOKEN)).status).to.equal(400);
      expect((await call("GET", paidRoute("0x12"), undefined, DESK_TOKEN)).status).to.equal(400);
    });

    it("keeps the marks across a restart, and stores only the claim, the desk, the time and the clerk's label", async () => {
      const pledgeKey = claim();
      const marked = await call("POST", paidRoute(), { claim: pledgeKey, clerk: "Guichet A" }, DESK_TOKEN);
      await attester.close();
      const db = new DatabaseSync(dbPath, { readOnly: true });
      expect(db.prepare("SELECT * FROM desk_paid").all()).to.deep.equal([
        {
          chain_id: CHAIN,
          campaign: CAMPAIGN.toLowerCase(),
          claim: pledgeKey.toLowerCase(),
          desk: DESK,
          paid_at: marked.body.paidAt,
          clerk: "Guichet A",
        },
      ]);
      db.close();
      attester = await startAttester({ port: 0, dbPath, corsOrigins: ["*"], token: TOKEN, deskToken: DESK_TOKEN });
      expect((await call("GET", paidRoute(), undefined, DESK_TOKEN)).body.paid).to.deep.equal([marked.body]);
      const again = await call("POST", paidRoute(), { claim: pledgeKey, clerk: "Guichet B" }, DESK_TOKEN);
      expect(again.body.error.code).to.equal("ALREADY_PAID");
    });
  });

  describe("what it stores", () => {
    it("holds no pledge key, blinded message, signature nor plain code; used codes stay used after a restart", async () => {
      const key = await newKey();
      const { codes } = await newCodes(key.keyId, 5);
      const members = [];
      for (const code of codes.slice(0, 3)) members.push(await member(key, code));
      const signatures = members.map((m) => encodeWire(m.voucher!));
      await attester.close();

      const db = new DatabaseSync(dbPath, { readOnly: true });
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
      ).map((t) => t.name);
      // key_campaigns holds a key's public campaign address, nothing of a member; desk_paid is empty
      // (no claim was paid at a desk).
      expect(tables.sort()).to.deep.equal(["codes", "desk_paid", "key_campaigns", "keys"]);
      expect(Object.keys(db.prepare("SELECT * FROM codes LIMIT 1").get()!).sort()).to.deep.equal([
        "batch",
        "code_hash",
        "key_id",
        "state",
      ]);
      let dump = "";
      for (const table of tables) dump += JSON.stringify(db.prepare(`SELECT * FROM ${table}`).all()).toLowerCase();
      db.close();
      // Every file of the store as raw bytes: the database and any -wal, -shm or -journal beside it.
      const bytes = [...storeFiles(dbPath).values()];
      const raw = bytes.map((b) => b.toString("latin1").toLowerCase()).join("");
      for (const m of members) {
        for (const haystack of [dump, raw]) {
          expect(haystack).to.not.include(m.pledgeKey.slice(2).toLowerCase());
          expect(haystack).to.not.include(m.blinded.slice(2, 66).toLowerCase());
          expect(haystack).to.not.include(m.digest.slice(2).toLowerCase());
        }
      }
      for (const s of signatures) expect(raw).to.not.include(s.slice(2, 66).toLowerCase());
      for (const code of codes) expect(raw).to.not.include(code.toLowerCase());
      // Binary check too: the pledge key's 20 bytes do not appear in the files.
      for (const m of members)
        for (const b of bytes) expect(b.includes(Buffer.from(m.pledgeKey.slice(2), "hex"))).to.equal(false);

      attester = await startAttester({ port: 0, dbPath, corsOrigins: ["*"], token: TOKEN });
      expect((await member(key, codes[0])).res.body.error.code).to.equal("CODE_USED");
      expect((await member(key, codes[3])).res.status).to.equal(200);
    });
  });
});
