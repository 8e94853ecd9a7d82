/**
 * Crash and restart: the relayer runs as a real child process, is killed with SIGKILL while its
 * batches are in the mempool and more requests wait in its queue, and restarted on the same
 * database. Nothing accepted is lost, nothing is sent twice.
 */
import { privateKeyToAccount } from "viem/accounts";
import type { ChildProcess } from "node:child_process";
import { spawnNode } from "../../scripts/lib/children.js";
import { appendFileSync, openSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { createPublicClient, http, keccak256, toHex } from "viem";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { postAll, signLoad, waitForRequests } from "../../scripts/bench/load.js";
import { type LocalNode, ROOT, TEST_KEYS, startNode } from "../helpers/node.js";
import { campaignParams } from "../helpers/campaign.js";

/** The relayer's proof of work for the open campaign (low: the test signs 400 keys). */
const POW_BITS = 4;

describe("relayer crash and restart", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let dir: string;
  let child: ChildProcess | null = null;

  /**
   * Starts the relayer as a child on a port it picks itself (PORT=0) and reads its URL from its
   * output. Not a port chosen here and passed down: between the choice and the child's bind,
   * another process on this shared machine can take it (the flake: the restarted relayer died
   * with EADDRINUSE while /health was answered by whoever held the port, about 1 run in 7).
   */
  async function startChild(): Promise<string> {
    // Node itself with tsx as a loader (not the tsx binary, which forks): SIGKILL hits the relayer, and
    // its lifeline ends it if this test process dies first.
    const log = openSync(path.join(dir, "relayer.log"), "a");
    const started = spawnNode(["--import", "tsx", "scripts/relayer/main.ts"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", log],
      env: {
        ...process.env,
        RPC_URL: node.url,
        RELAYER_PRIVATE_KEY: TEST_KEYS[2],
        RELAYER_DB: path.join(dir, "relayer.db"),
        PORT: "0",
        BATCH_SIZE: "40",
        BATCH_LATENCY_MS: "50",
        RATE_PER_SECOND: "100000",
        REPLACE_AFTER_MS: "600000",
        POW_BITS: String(POW_BITS),
      },
    });
    child = started;
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`relayer did not start: ${out}`)), 120_000);
      started.stdout!.on("data", (chunk: Buffer) => {
        appendFileSync(path.join(dir, "relayer.log"), chunk);
        out += chunk.toString();
        const found = /relayer 0x[0-9a-fA-F]{40} at (http:\/\/\S+)/.exec(out);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      started.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`relayer exited with ${code} before listening: ${out}`));
      });
    });
    // The URL is this child's: it answers with our gas account.
    const status = (await (await fetch(`${url}/status`)).json()) as { relayer: string };
    expect(status.relayer).to.equal(privateKeyToAccount(TEST_KEYS[2]).address);
    return url;
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
      params: campaignParams(now, {
        pledgeDeadline: now + 86_400n * 10n,
        actionDate: now + 86_400n * 11n,
        // Support needs a gate (GateRequired): a participation oracle costs the pledges nothing.
        oracleWindow: 86_400n,
        claimWindow: 86_400n,
        supportCap: 1000n,
        oracle: privateKeyToAccount(TEST_KEYS[3]).address,
        metadataHash: keccak256(toHex("crash")),
        ladder: [5, 50, 500],
      }),
      metadataURI: "ipfs://crash",
      salt: keccak256(toHex("crash")),
    });
    const load = await signLoad({ campaign, chainId, count: 400, levels: 3, supportCap: 1000n, powBits: POW_BITS });
    let url = await startChild();

    // Blocks stop being mined: batches go to the mempool and stay there.
    await node.rpc("evm_setAutomine", [false]);
    const results = await postAll(
      url,
      "/v1/pledges",
      load.map((l) => l.body),
      16,
    );
    const accepted = results.filter((r) => r.status === 202).map((r) => r.body.id as string);
    expect(accepted.length).to.equal(400);
    // Until a batch is signed and broadcast (a fixed 5 s was too short on a loaded machine).
    for (let i = 0; i < 1200; i++) {
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
    // A new port (PORT=0): the test's HTTP client must not reuse connections to the killed process.
    url = await startChild();
    const states = await waitForRequests(url, accepted, 120_000);
    for (const id of accepted) expect(states.get(id)?.status, id).to.equal("confirmed");

    const [counts] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" });
    const expected = [0, 0, 0];
    for (const l of load) expected[l.level - 1] += 1;
    expect(counts.map(Number)).to.deep.equal(expected);
    for (const l of load.slice(0, 50)) {
      const record = await client.readContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "pledgeOf",
        args: [l.key],
      });
      expect(record.nonce).to.equal(1);
    }
    // A resubmission after the restart is still refused as a duplicate.
    const [again] = await postAll(url, "/v1/pledges", [load[0].body], 1);
    expect(again.body.error?.code).to.equal("DUPLICATE_PLEDGE");
    child!.kill("SIGTERM");
    await new Promise((r) => child!.once("exit", r));
  });
});
