/**
 * The reproducibility check against a real `hardhat node`: the deployed factory and implementation
 * match the build; a deliberately different build at the same address is reported as a mismatch.
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { deployBascule, readArtifact } from "../scripts/lib/deployment.js";
import { checkBytecode, maskImmutables, metadataOf } from "../scripts/verify/bytecode.js";
import { type LocalNode, TEST_KEYS, startNode } from "./helpers/node.js";

describe("verify: bytecode reproducibility", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let factory: `0x${string}`;

  before(async function () {
    node = await startNode();
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
  });

  after(async function () {
    await node?.stop();
  });

  it("reports a match for the factory and the implementation, metadata hash included", async function () {
    const checks = await checkBytecode({ rpcUrl: node.url });
    expect(checks.map((c) => [c.contract, c.match])).to.deep.equal([
      ["CampaignFactory", true],
      ["Campaign", true],
    ]);
    for (const c of checks) expect(c.deployedMetadata).to.equal(c.expectedMetadata).and.not.equal(null);
  });

  it("reports a mismatch when the deployed code comes from a different build", async function () {
    const artifact = await readArtifact("CampaignFactory");
    const code = (await node.rpc<Hex>("eth_getCode", [factory, "latest"])).slice(2);
    // Same code, other metadata hash: what a build from other sources or settings leaves.
    const metadata = metadataOf(artifact.deployedBytecode)!.slice(2);
    const at = code.lastIndexOf(metadata);
    const flipped = metadata.slice(0, 20) + (metadata[20] === "0" ? "1" : "0") + metadata.slice(21);
    const other = `0x${code.slice(0, at)}${flipped}${code.slice(at + metadata.length)}`;
    await node.rpc("hardhat_setCode", [factory, other]);
    const checks = await checkBytecode({ rpcUrl: node.url, factory });
    const factoryCheck = checks.find((c) => c.contract === "CampaignFactory")!;
    expect(factoryCheck.match).to.equal(false);
    expect(factoryCheck.reason).to.match(/metadata/);
    expect(checks.find((c) => c.contract === "Campaign")!.match).to.equal(true);
  });

  it("reports a mismatch when nothing is deployed", async function () {
    const checks = await checkBytecode({ rpcUrl: node.url, factory: "0x000000000000000000000000000000000000dEaD" });
    expect(checks.every((c) => !c.match)).to.equal(true);
  });

  it("masks only the immutable slots", function () {
    expect(maskImmutables("0xaabbccdd", { x: [{ start: 1, length: 2 }] })).to.equal("0xaa0000dd");
  });
});
