/**
 * A stuck transaction: blocks stop being mined, the relayer replaces its batch transaction at the
 * same account nonce with higher fees, and when mining resumes exactly one of them lands.
 */
import { expect } from "chai";
import { createPublicClient, http, keccak256, toHex } from "viem";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { postAll, signLoad, waitForRequests } from "../../scripts/bench/load.js";
import { startRelayer } from "../../scripts/relayer/server.js";
import { type LocalNode, TEST_KEYS, startNode } from "../helpers/node.js";
import { campaignParams } from "../helpers/campaign.js";

describe("relayer stuck transactions", function () {
  this.timeout(120_000);
  let node: LocalNode;

  before(async function () {
    node = await startNode();
  });

  after(async function () {
    await node?.stop();
  });

  it("replaces a stuck batch at the same nonce with higher fees, and it lands once", async function () {
    const client = createPublicClient({ transport: http(node.url) });
    const chainId = await client.getChainId();
    const { factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
    const now = (await client.getBlock()).timestamp;
    const { campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, {
        pledgeDeadline: now + 86_400n,
        actionDate: now + 2n * 86_400n,
        claimWindow: 86_400n,
        metadataHash: keccak256(toHex("stuck")),
        ladder: [3],
      }),
      metadataURI: "ipfs://stuck",
      salt: keccak256(toHex("stuck")),
    });
    const load = await signLoad({ campaign, chainId, count: 5, levels: 1, supportCap: 0n });
    const lines: string[] = [];
    const relayer = await startRelayer({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[3],
      port: 0,
      dbPath: ":memory:",
      corsOrigins: [],
      // The batch leaves when all five are in: one transaction, whatever the timing.
      batchSize: 5,
      batchLatencyMs: 60_000,
      replaceAfterMs: 300,
      log: (line) => lines.push(line),
    });
    try {
      await node.rpc("evm_setAutomine", [false]);
      const results = await postAll(
        relayer.url,
        "/v1/pledges",
        load.map((l) => l.body),
        5,
      );
      const ids = results.map((r) => r.body.id as string);
      const deadline = Date.now() + 20_000;
      while (!lines.some((l) => l.includes("replaced stuck transaction")) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(
        lines.some((l) => l.includes("replaced stuck transaction")),
        lines.join("\n"),
      ).to.equal(true);
      await node.rpc("evm_setAutomine", [true]);
      await node.rpc("evm_mine");
      const states = await waitForRequests(relayer.url, ids, 30_000);
      for (const id of ids) expect(states.get(id)!.status).to.equal("confirmed");
      const nonce = await client.getTransactionCount({ address: relayer.address });
      expect(nonce).to.equal(1);
      const [counts] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" });
      expect(counts.map(Number)).to.deep.equal([5]);
    } finally {
      await relayer.close();
    }
  });
});
