/**
 * The dApp's static release (scripts/tools/build-static.ts on scripts/kit/release.ts): the
 * config.json schema and its FR/EN errors, the connect-src its endpoints give, the CID against
 * values `ipfs add --cid-version 1` gives, and two clean builds giving one CID. Serving it under a
 * gateway path and a sub-path in Chromium is frontend/e2e/static.e2e.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as dagPb from "@ipld/dag-pb";
import { MemoryBlockstore } from "blockstore-core/memory";
import { expect } from "chai";
import { importer } from "ipfs-unixfs-importer";
import { parseCsp } from "@bascule/core/csp";
import { checkReleaseConfig, directoryCid, ReleaseConfigError } from "../../scripts/kit/release.js";
import { buildStatic } from "../../scripts/tools/build-static.js";

const EXAMPLE = JSON.parse(readFileSync(new URL("../../deploy/dapp.config.example.json", import.meta.url), "utf8"));

function problemsOf(input: unknown): ReleaseConfigError["problems"] {
  try {
    checkReleaseConfig(input);
  } catch (error) {
    if (error instanceof ReleaseConfigError) return error.problems;
    throw error;
  }
  throw new Error("accepted");
}

describe("static release", function () {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), "bascule-release-test-"));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  describe("config.json", function () {
    it("accepts the example and names each endpoint's origin for connect-src, once", function () {
      const { connectSrc } = checkReleaseConfig({ ...EXAMPLE, indexerUrl: "https://rpc.bascule.example.org/indexer" });
      expect(connectSrc).to.deep.equal([
        "'self'",
        "https://rpc.bascule.example.org",
        "https://relayer.bascule.example.org",
        "https://notify.bascule.example.org",
      ]);
    });

    it("adds each further relayer's origin, and checks each like the first (https, at most 8)", function () {
      const { connectSrc } = checkReleaseConfig({
        ...EXAMPLE,
        relayerUrls: ["https://relayer2.other-union.example/", "https://relayer.bascule.example.org/b"],
      });
      expect(connectSrc).to.include("https://relayer2.other-union.example");
      expect(connectSrc.filter((s) => s === "https://relayer.bascule.example.org")).to.have.length(1);
      const plain = problemsOf({ ...EXAMPLE, relayerUrls: ["http://relayer.example"] });
      expect(plain.map((p) => p.field)).to.deep.equal(["relayerUrls.0"]);
      const many = problemsOf({
        ...EXAMPLE,
        relayerUrls: Array.from({ length: 9 }, (_, i) => `https://r${i}.example`),
      });
      expect(many.map((p) => p.field)).to.deep.equal(["relayerUrls"]);
      expect(many[0]!.fr).to.match(/au plus 8/);
    });

    it("keeps relative endpoints on the page's own origin", function () {
      const { connectSrc } = checkReleaseConfig({
        ...EXAMPLE,
        rpcUrl: "./rpc",
        relayerUrl: "",
        indexerUrl: "../indexer",
        notifierUrl: undefined,
      });
      expect(connectSrc).to.deep.equal(["'self'"]);
    });

    it("names every problem with its field, in English and French", function () {
      const { factory: _f, ...noFactory } = EXAMPLE;
      const problems = problemsOf({ ...noFactory, chainId: 0, relayrUrl: "https://x.example", fromBlock: "-1" });
      const byField = Object.fromEntries(problems.map((p) => [p.field, p]));
      expect(byField.factory).to.include({ en: "is missing", fr: "manque" });
      expect(byField.chainId).to.include({ en: "must be at least 1", fr: "doit valoir au moins 1" });
      expect(byField.relayrUrl?.en).to.match(/not a field of config.json \(misspelt\?\)/);
      expect(byField.relayrUrl?.fr).to.match(/n’est pas un champ/);
      expect(byField.fromBlock?.fr).to.equal("n’a pas la forme attendue");
    });

    it("refuses endpoints that would leave the release, travel in clear or carry a password", function () {
      const cases: [string, string, RegExp][] = [
        ["rpcUrl", "/rpc", /write "\.\/rpc" so it works under a sub-path/],
        ["relayerUrl", "http://relayer.example.org", /must be https/],
        ["notifierUrl", "https://user:secret@notify.example.org", /user name or password/],
        ["indexerUrl", "javascript:alert(1)", /must be https/],
        ["rpcUrl", "not a url", /is not a URL/],
        ["rpcUrl", "", /must not be empty/],
      ];
      for (const [field, value, en] of cases) {
        const [problem, ...rest] = problemsOf({ ...EXAMPLE, [field]: value });
        expect(rest, `${field}=${value}`).to.deep.equal([]);
        expect(problem?.field).to.equal(field);
        expect(problem?.en).to.match(en);
        expect(problem?.fr, `${field}=${value} in French`).to.not.equal(problem?.en);
      }
      // Plain http to this machine is for tests and the local stack.
      expect(checkReleaseConfig({ ...EXAMPLE, rpcUrl: "http://127.0.0.1:8545" }).connectSrc).to.include(
        "http://127.0.0.1:8545",
      );
    });

    it("refuses what is not JSON, and a non-empty directory that is not a release", async function () {
      const bad = path.join(work, "bad.json");
      writeFileSync(bad, "{ chainId: 1 ");
      try {
        await buildStatic({ configFile: bad, out: path.join(work, "out") });
        expect.fail("accepted");
      } catch (error) {
        expect((error as Error).message).to.match(/cannot be read as JSON.*ne peut pas être lu comme du JSON/);
      }
      const good = path.join(work, "good.json");
      writeFileSync(good, JSON.stringify(EXAMPLE));
      const home = path.join(work, "home");
      mkdirSync(home);
      writeFileSync(path.join(home, "thesis.odt"), "years of work");
      try {
        await buildStatic({ configFile: good, out: home });
        expect.fail("accepted");
      } catch (error) {
        expect((error as Error).message).to.match(/is not empty and is not an earlier release/);
      }
      expect(readFileSync(path.join(home, "thesis.odt"), "utf8")).to.equal("years of work");
    });
  });

  describe("CID", function () {
    it("gives what ipfs add --cid-version 1 gives: a raw leaf per small file, linked by name", async function () {
      const dir = path.join(work, "d");
      mkdirSync(path.join(dir, "assets"), { recursive: true });
      writeFileSync(path.join(dir, "hello.txt"), "hello world\n");
      writeFileSync(path.join(dir, "assets", "a.js"), "1");
      const cid = await directoryCid(dir);
      expect(cid).to.match(/^bafybei[a-z2-7]{52}$/);
      // Read the root back: its links are the names, and hello.txt is the well-known raw CID of "hello world\n".
      const store = new MemoryBlockstore();
      const entries = [];
      for await (const e of importer(
        [
          { path: "r/hello.txt", content: new TextEncoder().encode("hello world\n") },
          { path: "r/assets/a.js", content: new TextEncoder().encode("1") },
        ],
        store,
        { cidVersion: 1, rawLeaves: true },
      ))
        entries.push(e);
      const root = entries.find((e) => e.path === "r");
      expect(root?.cid.toString()).to.equal(cid);
      const node = dagPb.decode(await collect(store.get(root!.cid)));
      expect(node.Links.map((l) => [l.Name, l.Hash.toString()])).to.deep.include([
        "hello.txt",
        "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
      ]);
    });

    it("depends on names and bytes only, not on file times", async function () {
      const dir = path.join(work, "d");
      mkdirSync(dir);
      writeFileSync(path.join(dir, "index.html"), "<!doctype html>");
      const before = await directoryCid(dir);
      utimesSync(path.join(dir, "index.html"), new Date(0), new Date(0));
      expect(await directoryCid(dir)).to.equal(before);
      writeFileSync(path.join(dir, "index.html"), "<!doctype html> ");
      expect(await directoryCid(dir)).to.not.equal(before);
    });
  });

  describe("build", function () {
    this.timeout(240_000);

    it("two clean builds of one commit and config give one CID; another config another; the policy follows the endpoints", async function () {
      const configFile = path.join(work, "config.json");
      writeFileSync(configFile, JSON.stringify(EXAMPLE));
      const a = await buildStatic({ configFile, out: path.join(work, "a") });
      const b = await buildStatic({ configFile, out: path.join(work, "b") });
      expect(b.cid).to.equal(a.cid);
      // Building again into a's directory (an earlier release) replaces it and gives the same CID.
      expect((await buildStatic({ configFile, out: path.join(work, "a") })).cid).to.equal(a.cid);

      const html = readFileSync(path.join(work, "a", "index.html"), "utf8");
      const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
      expect(parseCsp(meta ?? "")["connect-src"]).to.deep.equal(a.connectSrc);
      // Everything relative: nothing breaks under /ipfs/<cid>/ or a sub-path.
      expect(html).to.not.match(/(src|href)="\//);
      expect(JSON.parse(readFileSync(path.join(work, "a", "config.json"), "utf8"))).to.deep.equal(EXAMPLE);

      writeFileSync(configFile, JSON.stringify({ ...EXAMPLE, listMinPledges: 4 }));
      const c = await buildStatic({ configFile, out: path.join(work, "c") });
      expect(c.cid).to.not.equal(a.cid);
    });
  });
});

/** A block as the blockstore gives it (one array, or its parts as an iterable). */
async function collect(
  value: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array> | Promise<Uint8Array>,
): Promise<Uint8Array> {
  const v = await value;
  if (v instanceof Uint8Array) return v;
  const parts: Uint8Array[] = [];
  for await (const p of v) parts.push(p);
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}
