/**
 * Stuck transactions. Underpriced: the network's base fee rises above what the batch transaction
 * offers, the relayer replaces it at the same account nonce with higher fees, and exactly one lands.
 * Not underpriced (the relayer's key cannot pay): it is sent again as it is, its fees never climb,
 * and once the key is funded it lands at the fees it was signed with.
 */
import { expect } from "chai";
import { type Hex, createPublicClient, http, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
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

  /** A campaign, five signed pledges for it, and a relayer sending them as one batch. */
  async function setUp(name: string, relayerKey: Hex) {
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
      salt: keccak256(toHex(name)),
    });
    const load = await signLoad({ campaign, chainId, count: 5, levels: 1, supportCap: 0n });
    const lines: string[] = [];
    const relayer = await startRelayer({
      rpcUrl: node.url,
      privateKey: relayerKey,
      port: 0,
      dbPath: ":memory:",
      corsOrigins: [],
      // The batch leaves when all five are in: one transaction, whatever the timing.
      batchSize: 5,
      batchLatencyMs: 60_000,
      replaceAfterMs: 300,
      log: (line) => lines.push(line),
    });
    return { client, campaign, load, lines, relayer };
  }

  async function post(relayerUrl: string, load: Awaited<ReturnType<typeof signLoad>>): Promise<string[]> {
    const results = await postAll(
      relayerUrl,
      "/v1/pledges",
      load.map((l) => l.body),
      5,
    );
    return results.map((r) => r.body.id as string);
  }

  it("replaces an underpriced batch at the same nonce with higher fees, and it lands once", async function () {
    const { client, campaign, load, lines, relayer } = await setUp("stuck", TEST_KEYS[3]);
    try {
      await node.rpc("evm_setAutomine", [false]);
      const ids = await post(relayer.url, load);
      // Wait for the batch to be in the pool, then make the network ask far more than it offers:
      // a block mined at a base fee of 1,000 gwei leaves it out.
      for (let i = 0; i < 400 && !lines.some((l) => l.startsWith("batch")); i++) {
        const pending = await client.getTransactionCount({ address: relayer.address, blockTag: "pending" });
        if (pending > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await node.rpc("hardhat_setNextBlockBaseFeePerGas", [toHex(1_000_000_000_000n)]);
      await node.rpc("evm_mine");
      expect(await client.getTransactionCount({ address: relayer.address })).to.equal(0);
      const deadline = Date.now() + 20_000;
      while (!lines.some((l) => l.includes("replaced stuck transaction")) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(
        lines.some((l) => l.includes("replaced stuck transaction")),
        lines.join("\n"),
      ).to.equal(true);
      await node.rpc("evm_setAutomine", [true]);
      // Blocks keep coming while the relayer follows its transaction, as on a live chain: a
      // replacement broadcast between two reads is mined by the next block, not left waiting.
      const miner = setInterval(() => void node.rpc("evm_mine").catch(() => undefined), 250);
      const states = await waitForRequests(relayer.url, ids, 30_000).finally(() => clearInterval(miner));
      for (const id of ids) expect(states.get(id)!.status).to.equal("confirmed");
      const nonce = await client.getTransactionCount({ address: relayer.address });
      expect(nonce).to.equal(1);
      const [counts] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" });
      expect(counts.map(Number)).to.deep.equal([5]);
    } finally {
      await relayer.close();
    }
  });

  it("does not raise the fees of a batch its empty key cannot pay, and sends it at its signed fees once funded", async function () {
    const key = TEST_KEYS[4];
    const address = privateKeyToAccount(key).address;
    await node.rpc("hardhat_setBalance", [address, "0x0"]);
    const { client, campaign, lines, relayer, load } = await setUp("empty key", key);
    try {
      const ids = await post(relayer.url, load);
      // Several replacement periods (300 ms each) go by while the key cannot pay.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(
        lines.filter((l) => l.includes("replaced stuck transaction")),
        lines.join("\n"),
      ).to.deep.equal([]);
      await node.rpc("hardhat_setBalance", [address, toHex(10n ** 18n)]);
      const states = await waitForRequests(relayer.url, ids, 30_000);
      for (const id of ids) expect(states.get(id)!.status).to.equal("confirmed");
      expect(await client.getTransactionCount({ address })).to.equal(1);
      const block = await client.getBlock({ includeTransactions: true });
      const tx = block.transactions.find((t) => t.from.toLowerCase() === address.toLowerCase());
      expect(tx, "the batch transaction is in the last block").to.not.equal(undefined);
      // Signed once, at the fees of the moment: not 1.125^n of them.
      const base = (await client.getBlock({ blockNumber: block.number - 1n })).baseFeePerGas!;
      expect(tx!.maxFeePerGas! < base * 3n, `${tx!.maxFeePerGas} against a base fee of ${base}`).to.equal(true);
      const [counts] = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" });
      expect(counts.map(Number)).to.deep.equal([5]);
    } finally {
      await relayer.close();
    }
  });
});
