/**
 * The relayer restored from a backup (`npm run backup`) taken while it takes pledges, with batches
 * in the mempool and more requests queued. After the backup it goes on: its batches are mined, it
 * sends what was queued, and takes more requests. Then its store is lost, the backup restored into
 * a fresh folder and the relayer started on it: everything the backup holds ends confirmed from
 * the chain's receipts and pledges, nothing is sent twice (the relayer's account sends no
 * transaction), and what came after the backup is unknown to it but on-chain.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { type Address, createPublicClient, http, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { campaignAbi } from "@bascule/core/generated/abis";
import { postAll, signLoad, waitForRequests } from "../../scripts/bench/load.js";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { spawnNode } from "../../scripts/lib/children.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { type RelayerHandle, startRelayer } from "../../scripts/relayer/server.js";
import { campaignParams } from "../helpers/campaign.js";
import { type LocalNode, ROOT, TEST_KEYS, startNode } from "../helpers/node.js";
import { until } from "../helpers/until.js";

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

describe("relayer restored from a backup", function () {
  this.timeout(240_000);
  let node: LocalNode;
  let dir: string;
  let relayer: RelayerHandle | null = null;
  const gasAccount = privateKeyToAccount(TEST_KEYS[2]).address;

  const start = (dbPath: string, factory: Address) =>
    startRelayer({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[2],
      port: 0,
      dbPath,
      corsOrigins: [],
      batchSize: 20,
      batchLatencyMs: 50,
      maxInFlight: 4,
      rateLimit: { perSecond: 100_000, burst: 100_000 },
      replaceAfterMs: 600_000,
      factory,
      log: () => {},
    });

  before(async function () {
    node = await startNode();
    dir = mkdtempSync(path.join(tmpdir(), "bascule-relayer-backup-"));
  });
  after(async function () {
    await relayer?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("resumes from the backup: nothing it holds is lost or sent twice, reconciled with the chain", async function () {
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
        metadataHash: keccak256(toHex("backup")),
        ladder: [5, 50, 500],
      }),
      metadataURI: "ipfs://backup",
      salt: keccak256(toHex("backup")),
    });
    const load = await signLoad({ campaign, chainId, count: 260, levels: 3, supportCap: 0n });
    const [before, after, later] = [load.slice(0, 150), load.slice(150, 250), load.slice(250)];
    const live = path.join(dir, "live", "relayer.db");
    mkdirSync(path.dirname(live));
    relayer = await start(live, factory);
    const url = relayer.url;

    // No block mined: batches are signed and broadcast, and wait in the mempool with more queued.
    await node.rpc("evm_setAutomine", [false]);
    const accepted = await postAll(
      url,
      "/v1/pledges",
      before.map((l) => l.body),
      16,
    );
    expect(accepted.map((r) => r.status)).to.deep.equal(before.map(() => 202));
    const beforeIds = accepted.map((r) => r.body.id as string);
    await until("4 batches in flight", async () => relayer!.relayer.store.pendingBatches().length >= 4, 60_000);

    // The backup, while the relayer keeps taking requests.
    const backup = path.join(dir, "relayer-backup.db");
    const [made, afterResults] = await Promise.all([
      backupCommand(["--store", "relayer", "--db", live, "--to", backup]),
      postAll(
        url,
        "/v1/pledges",
        after.map((l) => l.body),
        4,
      ),
    ]);
    expect(made.code, made.out).to.equal(0);
    expect(afterResults.map((r) => r.status)).to.deep.equal(after.map(() => 202));
    const afterIds = afterResults.map((r) => r.body.id as string);

    // The relayer goes on: mining resumes, it confirms its batches and sends the rest.
    await node.rpc("evm_setAutomine", [true]);
    await node.rpc("evm_mine", []);
    const firstRun = await waitForRequests(url, [...beforeIds, ...afterIds], 120_000);
    for (const [id, state] of firstRun) expect(state.status, id).to.equal("confirmed");
    await relayer.close();
    relayer = null;
    const sent = await client.getTransactionCount({ address: gasAccount });

    // The backup held requests in flight and queued (accepted before it), not all of those after it.
    const { DatabaseSync } = await import("node:sqlite");
    const held = new DatabaseSync(backup, { readOnly: true });
    const states = Object.fromEntries(
      (
        held.prepare("SELECT status, COUNT(*) AS n FROM requests GROUP BY status").all() as {
          status: string;
          n: number;
        }[]
      ).map((r) => [r.status, Number(r.n)]),
    );
    const heldIds = new Set((held.prepare("SELECT id FROM requests").all() as { id: string }[]).map((r) => r.id));
    held.close();
    expect(states.submitted, JSON.stringify(states)).to.be.above(0);
    expect(states.queued, JSON.stringify(states)).to.be.above(0);
    for (const id of beforeIds) expect(heldIds.has(id), id).to.equal(true);

    // The store is lost; the backup is restored into a fresh folder and the relayer started on it.
    const fresh = path.join(dir, "fresh", "relayer.db");
    mkdirSync(path.dirname(fresh));
    const restored = await backupCommand(["--restore", "--store", "relayer", "--from", backup, "--db", fresh]);
    expect(restored.code, restored.out).to.equal(0);
    relayer = await start(fresh, factory);
    const resumed = await waitForRequests(relayer.url, [...heldIds], 120_000);
    for (const id of heldIds) expect(resumed.get(id)?.status, id).to.equal("confirmed");
    // Nothing sent again: every one was found on-chain (receipts, pledges), none rebatched.
    expect(await client.getTransactionCount({ address: gasAccount })).to.equal(sent);
    // What came after the backup: unknown to the restored relayer, on-chain all the same.
    const unknown = afterIds.filter((id) => !heldIds.has(id));
    expect(unknown.length).to.be.above(0);
    expect((await fetch(`${relayer.url}/v1/requests/${unknown[0]}`)).status).to.equal(404);
    const [counts] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" });
    const expected = [0, 0, 0];
    for (const l of [...before, ...after]) expected[l.level - 1] += 1;
    expect(counts.map(Number)).to.deep.equal(expected);
    // A copy of a request it holds is a duplicate; one it lost is checked against the chain, found there, and refused.
    const [dup] = await postAll(relayer.url, "/v1/pledges", [before[0].body], 1);
    expect(dup.body.error?.code).to.equal("DUPLICATE_PLEDGE");
    const [lost] = await postAll(
      relayer.url,
      "/v1/pledges",
      [after.find((l, i) => !heldIds.has(afterIds[i]))!.body],
      1,
    );
    expect([lost.status, lost.body.error?.code]).to.deep.equal([409, "PLEDGE_ALREADY_RECORDED"]);
    expect(await client.getTransactionCount({ address: gasAccount })).to.equal(sent);
    // And it relays new pledges as before.
    const fresh10 = await postAll(
      relayer.url,
      "/v1/pledges",
      later.map((l) => l.body),
      4,
    );
    const done = await waitForRequests(
      relayer.url,
      fresh10.map((r) => r.body.id as string),
    );
    for (const state of done.values()) expect(state.status).to.equal("confirmed");
    expect(await client.getTransactionCount({ address: gasAccount })).to.be.above(sent);
  });
});
