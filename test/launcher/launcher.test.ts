/**
 * The production launcher as an operator runs it: `npm run serve -- --config <file>` (a child
 * process, scripts/launch/main.ts) from a production-style file (https public URL, a data folder,
 * keys in the environment) against a local node, running a chosen subset (relayer, keeper, notifier,
 * attester and the dApp's server; not the indexer). Each /health and /ready answers; /metrics has
 * the named series; SIGTERM while pledges wait in the queue exits 0 and loses none (a restart sends
 * them); /ready says 503 once the chain is down; the logs are JSON lines with no client IP and no
 * pledge key.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { createPublicClient, http, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { signLoad, waitForRequests } from "../../scripts/bench/load.js";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { spawnNode } from "../../scripts/lib/children.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { METRIC_TYPES, METRICS } from "../../scripts/launch/metrics.js";
import { campaignParams } from "../helpers/campaign.js";
import { type LocalNode, ROOT, TEST_KEYS, startNode } from "../helpers/node.js";

type Urls = Record<string, string>;

describe("launcher (npm run serve)", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let dir: string;
  let configFile: string;
  let child: ChildProcess | null = null;
  /** Every line the launcher wrote, across its starts. */
  let output = "";
  let factory: `0x${string}`;
  let campaign: `0x${string}`;
  let chainId: number;

  /** Starts the launcher; resolves with each service's URL from its "running" line. */
  async function startLauncher(): Promise<Urls> {
    const started = spawnNode(
      ["--disable-warning=ExperimentalWarning", "--import", "tsx", "scripts/launch/main.ts", "--config", configFile],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          RELAYER_PRIVATE_KEY: TEST_KEYS[2],
          KEEPER_PRIVATE_KEY: TEST_KEYS[3],
          ATTESTER_TOKEN: "organiser-token-for-the-test",
        },
      },
    );
    child = started;
    let mine = "";
    return new Promise<Urls>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the launcher did not start:\n${output}`)), 120_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        mine += chunk.toString();
        for (const line of mine.split("\n")) {
          if (!line.includes('"urls"')) continue;
          const parsed = JSON.parse(line) as { urls: Urls };
          clearTimeout(timer);
          resolve(parsed.urls);
        }
      };
      started.stdout!.on("data", onData);
      started.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      started.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the launcher exited with ${code}:\n${output}`));
      });
    });
  }

  async function stopLauncher(): Promise<number | null> {
    const running = child!;
    const code = new Promise<number | null>((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    return code;
  }

  async function untilReady(url: string, timeoutMs = 60_000): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await fetch(`${url}/ready`);
      const body = await response.json();
      if (response.status === 200) return body;
      if (Date.now() > deadline) throw new Error(`${url}/ready: ${response.status} ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  before(async function () {
    node = await startNode();
    dir = mkdtempSync(path.join(tmpdir(), "bascule-launcher-"));
    const client = createPublicClient({ transport: http(node.url) });
    chainId = await client.getChainId();
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    const now = (await client.getBlock()).timestamp;
    ({ campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, {
        pledgeDeadline: now + 86_400n * 10n,
        actionDate: now + 86_400n * 11n,
        oracleWindow: 86_400n,
        claimWindow: 86_400n,
        supportCap: 1000n,
        oracle: privateKeyToAccount(TEST_KEYS[3]).address,
        metadataHash: keccak256(toHex("launcher")),
        ladder: [5, 50, 500],
      }),
      metadataURI: "ipfs://launcher",
      salt: keccak256(toHex("launcher")),
    }));
    // A dApp build stand-in: the launcher serves whatever folder it is given.
    const dist = path.join(dir, "dist");
    mkdirSync(dist);
    writeFileSync(path.join(dist, "index.html"), '<!doctype html><meta charset="UTF-8" /><title>Bascule</title>');
    configFile = path.join(dir, "bascule.config.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        chain: { rpcUrl: node.url, chainName: "Test chain", factory },
        publicUrl: "https://greve.example.org/",
        dataDir: path.join(dir, "data"),
        metrics: { port: 0 },
        services: {
          relayer: { port: 0, batchSize: 20, batchLatencyMs: 50, powBits: 0, trustProxy: ["127.0.0.1"] },
          keeper: { port: 0, pollMs: 500 },
          notifier: { port: 0, pollMs: 500 },
          attester: { port: 0 },
          dapp: { port: 0, dist },
        },
      }),
    );
  });

  after(async function () {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the chosen services with /health, /ready and /metrics, stops on SIGTERM losing nothing, logs no IP or key", async function () {
    let urls = await startLauncher();
    expect(Object.keys(urls).sort()).to.deep.equal(["attester", "dapp", "keeper", "metrics", "notifier", "relayer"]);
    for (const service of ["relayer", "keeper", "notifier", "attester", "dapp", "metrics"]) {
      const health = await fetch(`${urls[service]}/health`);
      expect(health.status, `${service} /health`).to.equal(200);
      await untilReady(urls[service]);
    }
    expect(((await untilReady(urls.relayer)) as { checks: object }).checks).to.deep.equal({ chain: true, store: true });
    // The dApp's runtime config names the chain and proxies the relayer.
    const appConfig = (await (await fetch(`${urls.dapp}/config.json`)).json()) as Record<string, unknown>;
    expect(appConfig).to.deep.include({
      chainId,
      factory,
      chainName: "Test chain",
      relayerUrl: "./relayer",
      indexerUrl: "",
    });

    // Pledges accepted while no block is mined: they wait in the queue when SIGTERM comes.
    const load = await signLoad({ campaign, chainId, count: 30, levels: 3, supportCap: 1000n });
    await node.rpc("evm_setAutomine", [false]);
    const ids: string[] = [];
    for (const pledge of load) {
      const response = await fetch(`${urls.relayer}/v1/pledges`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.77" },
        body: pledge.body,
      });
      expect(response.status).to.equal(202);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const metrics = await (await fetch(`${urls.metrics}/metrics`)).text();
    for (const name of METRICS.filter((m) => !m.startsWith("bascule_indexer"))) {
      expect(metrics, name).to.match(new RegExp(`^# TYPE ${name} ${METRIC_TYPES[name]}$`, "m"));
    }
    expect(metrics).to.match(/^bascule_ready\{service="relayer"\} 1$/m);
    expect(metrics).to.match(/^bascule_relayer_queue_depth 30$/m);
    expect(metrics).to.match(/^bascule_relayer_requests\{status="failed"\} 0$/m);
    expect(metrics).to.match(/^bascule_relayer_skipped_items 0$/m);
    expect(metrics).to.match(/^bascule_relayer_balance_eth \d/m);
    expect(metrics).to.match(/^bascule_notifier_outbox 0$/m);

    expect(await stopLauncher()).to.equal(0);
    // Every accepted pledge is in the store, none confirmed yet, none failed.
    const db = new DatabaseSync(path.join(dir, "data/relayer.db"), { readOnly: true });
    const rows = db.prepare(`SELECT status, COUNT(*) AS n FROM requests GROUP BY status`).all() as {
      status: string;
      n: number;
    }[];
    db.close();
    expect(rows.reduce((n, r) => n + Number(r.n), 0)).to.equal(30);
    expect(rows.map((r) => r.status)).not.to.include("failed");
    expect(rows.map((r) => r.status)).not.to.include("confirmed");

    // Restarted on the same data folder: everything accepted goes on-chain, once.
    await node.rpc("evm_setAutomine", [true]);
    await node.rpc("evm_mine", []);
    urls = await startLauncher();
    const done = await waitForRequests(urls.relayer, ids, 120_000);
    expect([...done.values()].every((r) => r.status === "confirmed")).to.equal(true);
    const hashes = new Set([...done.values()].map((r) => r.txHash));
    const receipts = await Promise.all(
      [...hashes].map((hash) =>
        createPublicClient({ transport: http(node.url) }).getTransactionReceipt({ hash: hash! }),
      ),
    );
    expect(receipts.every((r) => r.status === "success")).to.equal(true);
    const after = await (await fetch(`${urls.metrics}/metrics`)).text();
    expect(after).to.match(/^bascule_relayer_queue_depth 0$/m);
    expect(after).to.match(/^bascule_relayer_requests\{status="confirmed"\} 30$/m);
    expect(after).to.match(/^bascule_relayer_batch_latency_seconds_count [1-9]/m);

    // The chain goes down: every service that reads it says so.
    await node.stop();
    for (const service of ["relayer", "keeper", "notifier", "dapp"]) {
      const response = await fetch(`${urls[service]}/ready`);
      expect(response.status, `${service} /ready with the chain down`).to.equal(503);
      const body = (await response.json()) as { ready: boolean; checks: Record<string, unknown> };
      expect(body.ready).to.equal(false);
      expect(body.checks.chain).to.be.a("string");
    }
    // The attester does not read the chain: still ready.
    expect((await fetch(`${urls.attester}/ready`)).status).to.equal(200);
    expect((await fetch(`${urls.metrics}/ready`)).status).to.equal(503);
    expect(await (await fetch(`${urls.metrics}/metrics`)).text()).to.match(/^bascule_ready\{service="relayer"\} 0$/m);
    expect(await stopLauncher()).to.equal(0);

    // The logs: JSON lines only, with the service's name; no client address, no pledge key.
    const lines = output.split("\n").filter(Boolean);
    for (const line of lines) expect(() => JSON.parse(line), line).not.to.throw();
    expect(lines.some((l) => (JSON.parse(l) as { service?: string }).service === "relayer")).to.equal(true);
    expect(output).not.to.include("203.0.113");
    const lower = output.toLowerCase();
    for (const { key } of load) expect(lower).not.to.include(key.slice(2).toLowerCase());
    expect(readFileSync(configFile, "utf8")).not.to.include(TEST_KEYS[2].slice(2));
  });
});
