/**
 * Crash and restart: the relayer runs as a real child process, is killed with SIGKILL while its
 * batches are in the mempool and more requests wait in its queue, and restarted on the same
 * database. Nothing accepted is lost, nothing is sent twice.
 */
import { privateKeyToAccount } from "viem/accounts";
import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { type Address, createPublicClient, http, keccak256, toHex } from "viem";
import { createCampaign } from "../scripts/cli/campaign.js";
import { deployBascule } from "../scripts/lib/deployment.js";
import { campaignAbi } from "../scripts/lib/generated.js";
import { postAll, signLoad, waitForRequests } from "../scripts/relayer/load.js";
import { type LocalNode, ROOT, TEST_KEYS, freePort, startNode } from "./helpers/node.js";

const ZERO = "0x0000000000000000000000000000000000000000" as Address;

describe("relayer crash and restart", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let dir: string;
  let child: ChildProcess | null = null;

  async function startChild(port: number): Promise<string> {
    // Node itself with tsx as a loader (not the tsx binary, which forks): SIGKILL hits the relayer.
    child = spawn(process.execPath, ["--import", "tsx", "scripts/relayer/main.ts"], {
      cwd: ROOT,
      stdio: ["ignore", openSync(path.join(dir, "relayer.log"), "a"), openSync(path.join(dir, "relayer.log"), "a")],
      env: {
        ...process.env,
        RPC_URL: node.url,
        RELAYER_PRIVATE_KEY: TEST_KEYS[2],
        RELAYER_DB: path.join(dir, "relayer.db"),
        PORT: String(port),
        BATCH_SIZE: "40",
        BATCH_LATENCY_MS: "50",
        RATE_PER_SECOND: "100000",
        REPLACE_AFTER_MS: "600000",
      },
    });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${url}/health`)).ok) return url;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("relayer did not start");
  }

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-crash-"));
  });

  after(async function () {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await node?.stop();
    if (dir && process.env.KEEP_CRASH_DIR === undefined) await rm(dir, { recursive: true, force: true });
    else if (dir) console.log(`kept ${dir}`);
  });

  it("loses nothing accepted and sends nothing twice across a SIGKILL", async function () {
    const client = createPublicClient({ transport: http(node.url) });
    const chainId = await client.getChainId();
    const { factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
    const now = (await client.getBlock()).timestamp;
    const { campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: {
        token: ZERO,
        pledgeDeadline: now + 86_400n * 10n,
        finalLock: 0n,
        actionDate: now + 86_400n * 11n,
        // Support needs a gate (GateRequired): a participation oracle costs the pledges nothing.
        oracleWindow: 86_400n,
        claimWindow: 86_400n,
        supportCap: 1000n,
        attester: ZERO,
        oracle: privateKeyToAccount(TEST_KEYS[3]).address,
        metadataHash: keccak256(toHex("crash")),
        ladder: [5, 50, 500],
      },
      metadataURI: "ipfs://crash",
      salt: keccak256(toHex("crash")),
    });
    const load = await signLoad({ campaign, chainId, count: 400, levels: 3, supportCap: 1000n });
    let url = await startChild(await freePort());

    // Blocks stop being mined: batches go to the mempool and stay there.
    await node.rpc("evm_setAutomine", [false]);
    const results = await postAll(url, "/v1/pledges", load.map((l) => l.body), 16);
    const accepted = results.filter((r) => r.status === 202).map((r) => r.body.id as string);
    expect(accepted.length).to.equal(400);
    for (let i = 0; i < 100; i++) {
      const status = (await (await fetch(`${url}/status`)).json()) as { lastBatch: unknown };
      if (status.lastBatch) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child!.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));

    // The kill caught batches signed and broadcast but not mined.
    const db = new DatabaseSync(path.join(dir, "relayer.db"));
    const inFlight = db.prepare(`SELECT COUNT(*) AS n FROM requests WHERE status = 'submitted'`).get() as { n: number };
    db.close();
    expect(Number(inFlight.n)).to.be.greaterThan(0);

    // Mining resumes while the relayer is down; then it restarts on the same database.
    await node.rpc("evm_setAutomine", [true]);
    await node.rpc("evm_mine");
    // A new port: the test's HTTP client must not reuse connections to the killed process.
    url = await startChild(await freePort());
    const states = await waitForRequests(url, accepted, 120_000);
    for (const id of accepted) expect(states.get(id)?.status, id).to.equal("confirmed");

    const [counts] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" });
    const expected = [0, 0, 0];
    for (const l of load) expected[l.level - 1] += 1;
    expect(counts.map(Number)).to.deep.equal(expected);
    for (const l of load.slice(0, 50)) {
      const record = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "pledgeOf", args: [l.key] });
      expect(record.nonce).to.equal(1);
    }
    // A resubmission after the restart is still refused as a duplicate.
    const [again] = await postAll(url, "/v1/pledges", [load[0].body], 1);
    expect(again.body.error?.code).to.equal("DUPLICATE_PLEDGE");
    child!.kill("SIGTERM");
    await new Promise((r) => child!.once("exit", r));
  });
});
