/**
 * The notifier's and the attester's internal route errors, under the launcher, go to the service's
 * pino logger (an `error` line with its name), not to the console, scrubbed as every other line: no
 * client IP, and no 20-byte address (the attester's desk routes carry claims' pledge keys, and an
 * error's message may quote what the request held). The fault is forced in the service's method the
 * route calls; the route still answers a coded INTERNAL_ERROR.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { pino } from "pino";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { checkLaunchConfig } from "../../scripts/launch/config.js";
import { type Launched, launch } from "../../scripts/launch/launcher.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { type LocalNode, TEST_KEYS, startNode } from "../helpers/node.js";

describe("launcher: the notifier's and attester's internal route errors go to pino, scrubbed", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let dir: string;
  let launched: Launched | null = null;
  const lines: string[] = [];
  const consoleLines: string[] = [];
  const original = { error: console.error, log: console.log, warn: console.warn };
  const pledgeKey = privateKeyToAccount(generatePrivateKey()).address;
  const campaign = privateKeyToAccount(generatePrivateKey()).address;

  before(async function () {
    node = await startNode();
    const { factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
    dir = mkdtempSync(path.join(tmpdir(), "bascule-route-errors-"));
    const config = checkLaunchConfig(
      {
        chain: { rpcUrl: node.url, chainName: "Test chain", factory },
        publicUrl: "http://localhost:5173/",
        dataDir: path.join(dir, "data"),
        metrics: { port: 0 },
        services: { notifier: { port: 0, pollMs: 200 }, attester: { port: 0 } },
      },
      { env: {} },
    );
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    launched = await launch(config, { env: {}, logger });
    for (const k of ["error", "log", "warn"] as const)
      console[k] = (...args: unknown[]) => void consoleLines.push(args.map(String).join(" "));
  });

  after(async function () {
    Object.assign(console, original);
    await launched?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const forced = (what: string) => new Error(`disk I/O error in ${what} for ${pledgeKey} from 203.0.113.9`);
  const errorLines = (service: string) =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.service === service && l.level === 50);

  it("the attester: a desk route's internal error is one pino error line, without the pledge key or the IP", async function () {
    const attester = launched!.attester!;
    attester.service.markPaid = () => {
      throw forced("markPaid");
    };
    const desk = privateKeyToAccount(generatePrivateKey()).address;
    const answer = await fetch(`${attester.url}/desks/${desk}/chains/31337/campaigns/${campaign}/paid`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${attester.deskToken}` },
      body: JSON.stringify({ claim: pledgeKey.toLowerCase(), clerk: "Guichet 1" }),
    });
    expect(answer.status).to.equal(500);
    expect(((await answer.json()) as { error: { code: string } }).error.code).to.equal("INTERNAL_ERROR");
    const logged = errorLines("attester");
    expect(logged, lines.join("")).to.have.length(1);
    expect(logged[0]!.msg).to.equal("error: disk I/O error in markPaid for [address] from [ip]");
    expect(consoleLines, "nothing on the console").to.deep.equal([]);
  });

  it("the notifier: a route's internal error is one pino error line, without the address or the IP", async function () {
    const notifier = launched!.notifier!;
    notifier.campaign = () => {
      throw forced("campaign");
    };
    const answer = await fetch(`${launched!.urls.notifier}/v1/campaigns/${campaign}/feed.atom`);
    expect(answer.status).to.equal(500);
    expect(((await answer.json()) as { error: { code: string } }).error.code).to.equal("INTERNAL_ERROR");
    const logged = errorLines("notifier");
    expect(logged, lines.join("")).to.have.length(1);
    expect(logged[0]!.msg).to.equal("error: disk I/O error in campaign for [address] from [ip]");
    const all = lines.join("\n").toLowerCase();
    expect(all).not.to.contain(pledgeKey.slice(2).toLowerCase());
    expect(all).not.to.contain("203.0.113.9");
    expect(consoleLines, "nothing on the console").to.deep.equal([]);
  });
});
