/**
 * The launcher's config file (scripts/launch/config.ts): the two committed examples are valid, and
 * each wrong file is refused with every problem named by its field, in English and in French:
 * an unknown field, a secret in the file, a bad URL, two services on one port. And the log scrubber
 * (scripts/launch/launcher.ts) takes IP addresses out of a line.
 */
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import {
  DEFAULT_PORTS,
  LaunchConfigError,
  checkLaunchConfig,
  portsOf,
  readLaunchConfig,
} from "../../scripts/launch/config.js";
import { scrub } from "../../scripts/launch/launcher.js";

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../deploy/${file}`, import.meta.url), "utf8"));
const EXAMPLE = read("bascule.config.example.json");
const DEMO = read("bascule.config.demo.json");

function problemsOf(input: unknown, env: Record<string, string> = {}): LaunchConfigError["problems"] {
  try {
    checkLaunchConfig(input, { env });
  } catch (error) {
    if (error instanceof LaunchConfigError) return error.problems;
    throw error;
  }
  throw new Error("accepted");
}

/** The example with `edit` applied to a deep copy. */
function example(edit: (c: typeof EXAMPLE) => void) {
  const copy = structuredClone(EXAMPLE);
  edit(copy);
  return copy;
}

describe("launcher config file", function () {
  it("accepts the production example and the demo config (its RPC URL given at start)", function () {
    const config = checkLaunchConfig(EXAMPLE, { env: {} });
    expect(Object.keys(config.services)).to.deep.equal([
      "relayer",
      "keeper",
      "notifier",
      "attester",
      "indexer",
      "federation",
      "dapp",
    ]);
    expect(() => checkLaunchConfig(DEMO, { env: { RPC_URL: "http://127.0.0.1:8545" } })).not.to.throw();
  });

  it("gives every service its own default port: the attester and the notifier no longer share 8788", function () {
    const ports = Object.values(DEFAULT_PORTS);
    expect(new Set(ports).size).to.equal(ports.length);
    const bare = example((c) => {
      for (const name of Object.keys(c.services)) c.services[name] = {};
      // The federation's one required field: where the fediverse reaches it.
      c.services.federation = { publicUrl: "https://fed.greve.example.org" };
      delete c.metrics;
    });
    expect(() => checkLaunchConfig(bare, { env: {} })).not.to.throw();
    const used = portsOf(checkLaunchConfig(bare, { env: {} })).map(([, port]) => port);
    expect(new Set(used).size).to.equal(used.length);
  });

  it("refuses an unknown field, naming it, in English and French", function () {
    const problems = problemsOf(example((c) => (c.services.relayer.batchSise = 10)));
    expect(problems).to.deep.equal([
      {
        field: "services.relayer.batchSise",
        en: "is not a field of bascule.config.json (misspelt?)",
        fr: "n’est pas un champ de bascule.config.json (faute de frappe ?)",
      },
    ]);
    const top = problemsOf(example((c) => (c.service = {})));
    expect(top.map((p) => p.field)).to.deep.equal(["service"]);
  });

  it("refuses a secret in the file, by its name or by its look, and says which variable to set", function () {
    const named = problemsOf(
      example((c) => {
        c.services.relayer.privateKey = "0x" + "11".repeat(32);
        c.services.attester.token = "abc";
        c.services.indexer.databaseUrl = "postgres://u:p@db/bascule";
      }),
    );
    expect(named.map((p) => p.field)).to.deep.equal([
      "services.relayer.privateKey",
      "services.attester.token",
      "services.indexer.databaseUrl",
    ]);
    expect(named[0].en).to.equal(
      "is a secret: secrets never go in the file; set RELAYER_PRIVATE_KEY in the environment",
    );
    expect(named[0].fr).to.equal(
      "est un secret : un secret ne va jamais dans le fichier ; indiquez RELAYER_PRIVATE_KEY dans l’environnement",
    );
    expect(named[1].en).to.include("ATTESTER_TOKEN");
    expect(named[2].en).to.include("DATABASE_URL");
    // A key pasted into an innocent-looking field.
    const looks = problemsOf(example((c) => (c.chain.chainName = "ab".repeat(32))));
    expect(looks).to.have.length(1);
    expect(looks[0].field).to.equal("chain.chainName");
    expect(looks[0].en).to.include("looks like a private key");
    expect(looks[0].fr).to.include("ressemble à une clé privée");
    // A password inside the RPC URL.
    const inUrl = problemsOf(example((c) => (c.chain.rpcUrl = "https://user:pass@rpc.example.org")));
    expect(inUrl).to.deep.equal([
      {
        field: "chain.rpcUrl",
        en: "must not carry a user name or password (secrets go in the environment)",
        fr: "ne doit pas contenir d’identifiant ni de mot de passe (les secrets vont dans l’environnement)",
      },
    ]);
  });

  it("refuses a bad URL: not a URL, not http(s), plain http to another machine, an origin with a path", function () {
    expect(problemsOf(example((c) => (c.chain.rpcUrl = "not a url")))).to.deep.equal([
      { field: "chain.rpcUrl", en: `"not a url" is not a URL`, fr: "« not a url » n’est pas une URL" },
    ]);
    expect(problemsOf(example((c) => (c.chain.rpcUrl = "ws://rpc.example.org")))[0].en).to.equal(
      `"ws://rpc.example.org" must be http or https`,
    );
    expect(problemsOf(example((c) => (c.publicUrl = "http://greve.example.org/")))).to.deep.equal([
      {
        field: "publicUrl",
        en: `"http://greve.example.org/" must be https (plain http only to localhost)`,
        fr: "« http://greve.example.org/ » doit être en https (http seulement vers localhost)",
      },
    ]);
    expect(
      problemsOf(example((c) => (c.services.relayer.corsOrigins = ["https://greve.example.org/app"])))[0],
    ).to.deep.include({ field: "services.relayer.corsOrigins[0]" });
    // No RPC URL at all: the file's or RPC_URL's.
    const none = example((c) => delete c.chain.rpcUrl);
    expect(problemsOf(none)[0]).to.deep.equal({
      field: "chain.rpcUrl",
      en: "is missing (or set RPC_URL in the environment)",
      fr: "manque (ou indiquez RPC_URL dans l’environnement)",
    });
    expect(() => checkLaunchConfig(none, { env: { RPC_URL: "https://base-sepolia.example/v2/key" } })).not.to.throw();
  });

  it("takes a federation service: its own default port, an https origin for its public URL, no secret", function () {
    expect(DEFAULT_PORTS.federation).to.equal(8791);
    const config = checkLaunchConfig(EXAMPLE, { env: {} });
    expect(config.services.federation?.publicUrl).to.equal("https://fed.greve.example.org");
    const bare = example((c) => (c.services.federation = { publicUrl: "https://fed.example.org/" }));
    expect(portsOf(checkLaunchConfig(bare, { env: {} }))).to.deep.include(["services.federation.port", 8791]);
    // Its public URL is required (the handles use its host); the schema's sentence names the missing field.
    const missing = problemsOf(example((c) => (c.services.federation = {})));
    expect(missing).to.have.length(1);
    expect(missing[0].field).to.match(/publicUrl$/);
    // …an origin, since the actors' ids keep only that…
    expect(
      problemsOf(example((c) => (c.services.federation.publicUrl = "https://greve.example.org/fed"))),
    ).to.deep.equal([
      {
        field: "services.federation.publicUrl",
        en: `"https://greve.example.org/fed" must be an origin (scheme, host and port, no path)`,
        fr: "« https://greve.example.org/fed » doit être une origine (schéma, hôte et port, sans chemin)",
      },
    ]);
    // …https, plain http only to localhost (and at launch only on the local chain).
    expect(problemsOf(example((c) => (c.services.federation.publicUrl = "http://fed.example.org")))).to.deep.equal([
      {
        field: "services.federation.publicUrl",
        en: `"http://fed.example.org" must be https (plain http only to localhost)`,
        fr: "« http://fed.example.org » doit être en https (http seulement vers localhost)",
      },
    ]);
    expect(() =>
      checkLaunchConfig(
        example((c) => (c.services.federation.publicUrl = "http://localhost:8791")),
        { env: {} },
      ),
    ).not.to.throw();
    // Its actors' keys stay in its store: a key or a TLS key in the file is refused.
    const secret = problemsOf(example((c) => (c.services.federation.privateKey = "x")));
    expect(secret.map((p) => p.field)).to.deep.equal(["services.federation.privateKey"]);
    // Two services on one port.
    const clash = problemsOf(example((c) => (c.services.federation.port = 8790)));
    expect(clash[0]).to.deep.include({ field: "services.federation.port" });
  });

  it("refuses two services on one port, naming both; port 0 (any free port) never clashes", function () {
    const problems = problemsOf(example((c) => (c.services.attester.port = 8788)));
    expect(problems).to.deep.equal([
      {
        field: "services.attester.port",
        en: "port 8788 is already services.notifier.port's: give each service its own port",
        fr: "le port 8788 est déjà celui de services.notifier.port : donnez à chaque service son propre port",
      },
    ]);
    // A clash with a default port counts too.
    expect(problemsOf(example((c) => (c.metrics.port = 8787)))[0].field).to.equal("metrics.port");
    expect(() =>
      checkLaunchConfig(
        example((c) => {
          c.services.attester.port = 0;
          c.services.notifier.port = 0;
        }),
        { env: {} },
      ),
    ).not.to.throw();
  });

  it("lists every problem at once, and reads a file's JSON errors the same way", function () {
    const problems = problemsOf(
      example((c) => {
        c.services.relayer.batchSize = 0;
        c.services.keeper.pollMs = "fast";
        delete c.dataDir;
      }),
    );
    expect(problems.map((p) => p.field).sort()).to.deep.equal([
      "dataDir",
      "services.keeper.pollMs",
      "services.relayer.batchSize",
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), "bascule-launch-config-"));
    try {
      const file = path.join(dir, "bascule.config.json");
      writeFileSync(file, "{ not json");
      expect(() => readLaunchConfig(file, {}))
        .to.throw(LaunchConfigError)
        .with.property("message")
        .that.matches(/is not JSON .* n’est pas du JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes IP addresses out of a log line, and keeps times, loopback and chain addresses", function () {
    expect(scrub("client 203.0.113.7 and 2001:db8::7 and fe80:0:0:0:0:0:0:1")).to.equal(
      "client [ip] and [ip] and [ip]",
    );
    expect(
      scrub("listening on http://127.0.0.1:8787 at 18:42:40, campaign 0xAbC0000000000000000000000000000000000001"),
    ).to.equal("listening on http://127.0.0.1:8787 at 18:42:40, campaign 0xAbC0000000000000000000000000000000000001");
  });
});
