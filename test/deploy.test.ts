/**
 * The numbered deploy scripts against a real `hardhat node`: the factory lands at its predicted
 * CREATE2 address (the same on every chain), a second run changes nothing, addresses are recorded.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { createPublicClient, http } from "viem";
import { runDeploy } from "../deploy/run.js";
import { CREATE2_PROXY, predictBascule, readArtifact } from "../scripts/lib/deployment.js";
import { campaignFactoryAbi } from "../scripts/lib/generated.js";
import { type LocalNode, TEST_KEYS, startNode } from "./helpers/node.js";

describe("deploy scripts", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let dir: string;

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-deploy-"));
  });

  after(async function () {
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("deploys the factory and implementation at their deterministic addresses", async function () {
    const predicted = predictBascule((await readArtifact("CampaignFactory")).bytecode);
    const { chainId, addresses } = await runDeploy({ rpcUrl: node.url, privateKey: TEST_KEYS[0], tags: ["core"], outDir: dir, log: () => {} });
    expect(chainId).to.equal(31337);
    expect(addresses).to.deep.equal({ CampaignFactory: predicted.factory, Campaign: predicted.implementation });
    const client = createPublicClient({ transport: http(node.url) });
    expect(await client.getCode({ address: CREATE2_PROXY })).to.not.equal(undefined);
    const implementation = await client.readContract({ address: predicted.factory, abi: campaignFactoryAbi, functionName: "implementation" });
    expect(implementation).to.equal(predicted.implementation);
    const recorded = JSON.parse(await readFile(path.join(dir, "31337.json"), "utf8"));
    expect(recorded.CampaignFactory).to.equal(predicted.factory);
  });

  it("is idempotent: a second run sends nothing and keeps the addresses", async function () {
    const client = createPublicClient({ transport: http(node.url) });
    const blockBefore = await client.getBlockNumber();
    const { addresses } = await runDeploy({ rpcUrl: node.url, privateKey: TEST_KEYS[0], outDir: dir, log: () => {} });
    expect(await client.getBlockNumber()).to.equal(blockBefore);
    expect(addresses.CampaignFactory).to.equal(predictBascule((await readArtifact("CampaignFactory")).bytecode).factory);
  });

  it("runs nothing for an unknown tag", async function () {
    const { addresses } = await runDeploy({ rpcUrl: node.url, privateKey: TEST_KEYS[0], tags: ["nope"], outDir: dir, log: () => {} });
    expect(addresses).to.deep.equal({});
  });
});
