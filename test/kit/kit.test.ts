/**
 * The service kit (scripts/kit): what every service shares, tested once here — the refusal shape
 * and its codes, the environment schema, the local-test-key rule, the SQLite opening.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Type } from "typebox";
import { privateKeyToAccount } from "viem/accounts";
import { ConfigError, List, readConfig } from "../../scripts/kit/config.js";
import { HTTP_ERRORS, ServiceError } from "../../scripts/kit/errors.js";
import { serviceApp } from "../../scripts/kit/http.js";
import { KeyRequiredError, LOCAL_CHAIN_ID, localTestKey, signingKey } from "../../scripts/kit/local-key.js";
import { openDatabase } from "../../scripts/kit/sqlite.js";

describe("service kit", function () {
  describe("serviceApp", function () {
    async function app() {
      const logged: string[] = [];
      const a = await serviceApp({
        errors: HTTP_ERRORS,
        bodyLimit: 64,
        cors: { origins: ["https://dapp.example"], methods: ["GET", "POST"] },
        openapi: { title: "test", description: "test" },
        log: (line) => logged.push(line),
      });
      a.post(
        "/echo",
        { schema: { body: Type.Object({ n: Type.Integer() }, { additionalProperties: false }) } },
        async (r) => r.body,
      );
      a.get("/boom", async () => {
        throw new Error("boom");
      });
      a.get("/refused", async () => {
        throw new ServiceError("RATE_LIMITED", HTTP_ERRORS.RATE_LIMITED, { retryAfterSeconds: 1 });
      });
      return { a, logged };
    }

    it("answers GET /health and serves its OpenAPI description", async function () {
      const { a } = await app();
      expect((await a.inject({ method: "GET", url: "/health" })).json()).to.deep.equal({ ok: true });
      expect((await a.inject({ method: "GET", url: "/v1/openapi.json" })).json().openapi).to.match(/^3\./);
    });

    const cases: [
      string,
      { method: "POST" | "GET"; url: string; payload?: string; headers?: Record<string, string> },
      number,
      string,
    ][] = [
      [
        "a field of the wrong type",
        { method: "POST", url: "/echo", payload: '{"n":"5"}', headers: { "content-type": "application/json" } },
        400,
        "INVALID_REQUEST",
      ],
      [
        "an unknown field",
        { method: "POST", url: "/echo", payload: '{"n":5,"x":1}', headers: { "content-type": "application/json" } },
        400,
        "INVALID_REQUEST",
      ],
      [
        "malformed JSON",
        { method: "POST", url: "/echo", payload: "{nope", headers: { "content-type": "application/json" } },
        400,
        "INVALID_JSON",
      ],
      [
        "a text body",
        { method: "POST", url: "/echo", payload: "n=5", headers: { "content-type": "text/plain" } },
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
      [
        "a body too large",
        {
          method: "POST",
          url: "/echo",
          payload: JSON.stringify({ n: 1, pad: "x".repeat(100) }),
          headers: { "content-type": "application/json" },
        },
        413,
        "BODY_TOO_LARGE",
      ],
      ["an unknown path", { method: "GET", url: "/nowhere" }, 404, "NOT_FOUND"],
      ["a refusal thrown by a route", { method: "GET", url: "/refused" }, 429, "RATE_LIMITED"],
      ["a fault of the service", { method: "GET", url: "/boom" }, 500, "INTERNAL_ERROR"],
    ];
    for (const [what, request, status, code] of cases) {
      it(`answers ${what} with ${status} ${code} and its FR/EN message`, async function () {
        const { a } = await app();
        const r = await a.inject(request);
        expect(r.statusCode, r.body).to.equal(status);
        const { error } = r.json();
        expect(error.code).to.equal(code);
        expect(error.message).to.deep.equal(HTTP_ERRORS[code as keyof typeof HTTP_ERRORS].message);
      });
    }

    it("names the wrong field, and logs only a fault of its own", async function () {
      const { a, logged } = await app();
      const r = await a.inject({
        method: "POST",
        url: "/echo",
        payload: "{}",
        headers: { "content-type": "application/json" },
      });
      expect(r.json().error.details).to.deep.equal({ field: "n" });
      expect(logged).to.deep.equal([]);
      await a.inject({ method: "GET", url: "/boom" });
      expect(logged).to.deep.equal(["error: boom"]);
    });

    it("gives CORS headers to the listed origins only", async function () {
      const { a } = await app();
      const ok = await a.inject({
        method: "OPTIONS",
        url: "/echo",
        headers: { origin: "https://dapp.example", "access-control-request-method": "POST" },
      });
      expect(ok.headers["access-control-allow-origin"]).to.equal("https://dapp.example");
      const other = await a.inject({ method: "GET", url: "/health", headers: { origin: "https://evil.example" } });
      expect(other.headers["access-control-allow-origin"]).to.equal(undefined);
    });
  });

  describe("readConfig", function () {
    const Schema = Type.Object({
      RPC_URL: Type.String({ default: "http://127.0.0.1:8545" }),
      PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8787 }),
      ORIGINS: List({ default: "http://localhost:5173" }),
      ONCE: Type.Boolean({ default: false }),
    });
    const flags = { "rpc-url": "RPC_URL", port: "PORT", once: "ONCE" } as const;

    it("gives the defaults, reads the environment with its types, and lets a flag win", function () {
      expect(readConfig(Schema, { args: [], env: {} })).to.deep.equal({
        RPC_URL: "http://127.0.0.1:8545",
        PORT: 8787,
        ORIGINS: ["http://localhost:5173"],
        ONCE: false,
      });
      const config = readConfig(Schema, {
        flags,
        args: ["--port", "9000", "--once"],
        env: { PORT: "8000", RPC_URL: "http://node:8545", ORIGINS: "a,b", OTHER: "x" },
      });
      expect(config).to.deep.equal({ RPC_URL: "http://node:8545", PORT: 9000, ORIGINS: ["a", "b"], ONCE: true });
    });

    it("treats an empty variable as unset", function () {
      expect(readConfig(Schema, { args: [], env: { PORT: "" } }).PORT).to.equal(8787);
    });

    it("refuses a wrong value or an unknown flag, in English and French", function () {
      for (const [args, env] of [
        [[], { PORT: "70000" }],
        [[], { PORT: "eighty" }],
        [["--nope"], {}],
      ] as [string[], Record<string, string>][]) {
        expect(() => readConfig(Schema, { flags, args, env }), JSON.stringify({ args, env }))
          .to.throw(ConfigError)
          .with.property("message")
          .that.match(/Invalid configuration: .* \/ Configuration invalide : /);
      }
    });
  });

  describe("signingKey", function () {
    it("uses the given key anywhere, and a Hardhat test account on a local chain only", function () {
      const given = localTestKey(3);
      expect(signingKey({ given, variable: "K", chainId: 1, testAccount: 9 })).to.equal(given);
      expect(
        privateKeyToAccount(signingKey({ given: undefined, variable: "K", chainId: LOCAL_CHAIN_ID, testAccount: 0 }))
          .address,
      ).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
      expect(() => signingKey({ given: undefined, variable: "RELAYER_PRIVATE_KEY", chainId: 11155111, testAccount: 9 }))
        .to.throw(KeyRequiredError)
        .with.property("message")
        .that.include("RELAYER_PRIVATE_KEY");
    });
  });

  describe("openDatabase", function () {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "bascule-kit-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const pragma = (db: DatabaseSync, name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get() as object)[0];

    it("opens in WAL mode with the durability asked, and can make the file its owner's only", function () {
      const file = path.join(dir, "store.db");
      const db = openDatabase(file, "CREATE TABLE t (x)", { synchronous: "FULL", ownerOnly: true });
      expect(pragma(db, "journal_mode")).to.equal("wal");
      expect(pragma(db, "synchronous")).to.equal(2);
      expect(pragma(db, "secure_delete")).to.equal(0);
      expect(pragma(db, "busy_timeout")).to.equal(5000);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      db.close();
    });

    it("forgetful: a rollback journal deleted at each commit, deleted rows zeroed, VACUUM's copy in memory", function () {
      const file = path.join(dir, "store.db");
      const db = openDatabase(file, "CREATE TABLE t (x)", { synchronous: "EXTRA", forgetful: true });
      expect([
        pragma(db, "journal_mode"),
        pragma(db, "synchronous"),
        pragma(db, "secure_delete"),
        pragma(db, "temp_store"),
      ]).to.deep.equal(["delete", 3, 1, 2]);
      db.prepare("INSERT INTO t VALUES (?)").run("a row to forget");
      db.prepare("DELETE FROM t").run();
      expect(readdirSync(dir)).to.deep.equal(["store.db"]);
      expect(readFileSync(file).includes("a row to forget")).to.equal(false);
      db.close();
    });

    it("forgetful: switches a file left in WAL mode, keeping what its write-ahead log held", function () {
      const file = path.join(dir, "store.db");
      const old = new DatabaseSync(file);
      old.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES ('kept')");
      // Another process still holds it in WAL mode: refused, with a sentence in both languages.
      expect(() => openDatabase(file, "", { forgetful: true }))
        .to.throw(/another process.*un autre processus/)
        .with.property("message")
        .that.include("database is locked");
      old.close();
      const db = openDatabase(file, "", { forgetful: true });
      expect(db.prepare("SELECT x FROM t").all()).to.deep.equal([{ x: "kept" }]);
      expect(readdirSync(dir)).to.deep.equal(["store.db"]);
      db.close();
    });
  });
});
