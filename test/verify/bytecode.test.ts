/**
 * The reproducibility check against a real `hardhat node`: the deployed factory and implementation
 * match the build; a deliberately different build at the same address is reported as a mismatch.
 * The standard-JSON input published for verification holds no test contract, and compiles to the
 * very bytecode deployed.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Hex } from "viem";
import type { ChildProcess } from "node:child_process";
import { exited, spawnNode, stopChild } from "../../scripts/lib/children.js";
import {
  type Artifact,
  artifactResolver,
  deployBascule,
  isPublishedSource,
  readArtifact,
} from "../../scripts/lib/deployment.js";
import { checkBytecode, maskImmutables, metadataOf, recompile } from "../../scripts/verify/bytecode.js";
import {
  PUBLISHED_CONTRACTS,
  type PublishedContract,
  unpublishedSources,
  verificationInput,
} from "../../scripts/verify/input.js";
import { type LocalNode, TEST_KEYS, startNode } from "../helpers/node.js";

/**
 * `recompile([name])` (scripts/verify/bytecode.ts) in a child process, which prints its artifacts
 * as JSON: so that one published input compiles on the other core while this process compiles the
 * other one (solc is synchronous: one compilation at a time a thread).
 */
function recompileInChild(name: PublishedContract): { child: ChildProcess; built: Promise<Record<string, Artifact>> } {
  const child = spawnNode(
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      'import { recompile } from "./scripts/verify/bytecode.ts";' +
        "process.stdout.write(JSON.stringify(await recompile([process.env.BASCULE_RECOMPILE])));",
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BASCULE_RECOMPILE: name } },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString();
  });
  const built = exited(child).then(() => {
    if (child.exitCode !== 0) throw new Error(`recompile ${name} exited with ${child.exitCode}: ${stderr}`);
    return JSON.parse(stdout) as Record<string, Artifact>;
  });
  // Awaited by the test that compares; a failure is reported there, not as an unhandled rejection.
  built.catch(() => {});
  return { child, built };
}

describe("verify: bytecode reproducibility", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let factory: `0x${string}`;
  let factoryBuild: ReturnType<typeof recompileInChild>;

  before(async function () {
    // The longer of the two compilations (the factory's input compiles the campaign it embeds too),
    // from the start, alongside everything else.
    factoryBuild = recompileInChild("CampaignFactory");
    node = await startNode();
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
  });

  after(async function () {
    await node?.stop();
    if (factoryBuild) await stopChild(factoryBuild.child);
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
    await node.rpc("hardhat_setCode", [factory, `0x${code}`]);
  });

  it("reports a mismatch when nothing is deployed", async function () {
    const checks = await checkBytecode({ rpcUrl: node.url, factory: "0x000000000000000000000000000000000000dEaD" });
    expect(checks.every((c) => !c.match)).to.equal(true);
  });

  it("masks only the immutable slots", function () {
    expect(maskImmutables("0xaabbccdd", { x: [{ start: 1, length: 2 }] })).to.equal("0xaa0000dd");
  });

  describe("the published verification input", function () {
    for (const name of Object.keys(PUBLISHED_CONTRACTS) as (keyof typeof PUBLISHED_CONTRACTS)[]) {
      it(`${name}: its own sources and OpenZeppelin's, no test contract, the build's settings`, async function () {
        const { input, sourceName, fullyQualifiedName, solcLongVersion } = await verificationInput(name);
        const sources = Object.keys(input.sources);
        expect(sources).to.include(sourceName);
        expect(fullyQualifiedName).to.equal(`project/contracts/${name}.sol:${name}`);
        expect(sources.filter((s) => s.includes("/test/") || s.includes(".t.sol"))).to.deep.equal([]);
        expect(unpublishedSources(input)).to.deep.equal([]);
        expect(
          sources.every((s) => s.startsWith("project/contracts/") || s.startsWith("npm/@openzeppelin/contracts@")),
        ).to.equal(true);
        // Both published contracts are built with hardhat.config.ts's CAMPAIGN_RUNS (200): the campaign
        // must fit EIP-170, and the factory embeds its creation code.
        expect(input.settings).to.deep.include({
          viaIR: true,
          evmVersion: "cancun",
          optimizer: { enabled: true, runs: 200 },
        });
        expect(solcLongVersion).to.match(/^0\.8\.37\+commit\./);
      });
    }

    it("compiles to exactly the deployed bytecode, metadata hash included", async function () {
      this.timeout(600_000);
      const campaignBuild = await recompile(["Campaign"]);
      const checks = await checkBytecode({
        rpcUrl: node.url,
        expected: { ...(await factoryBuild.built), ...campaignBuild },
      });
      expect(checks.map((c) => [c.contract, c.match])).to.deep.equal([
        ["CampaignFactory", true],
        ["Campaign", true],
      ]);
      for (const c of checks) expect(c.deployedMetadata).to.equal(c.expectedMetadata);
    });

    it("tells published sources from the rest", function () {
      expect(isPublishedSource("project/contracts/Campaign.sol")).to.equal(true);
      expect(isPublishedSource("npm/@openzeppelin/contracts@5.7.0/proxy/Clones.sol")).to.equal(true);
      expect(isPublishedSource("project/contracts/test/TestTokens.sol")).to.equal(false);
      expect(isPublishedSource("project/test/solidity/CampaignInvariants.t.sol")).to.equal(false);
      expect(isPublishedSource("project/scripts/Evil.sol")).to.equal(false);
    });

    it("refuses to hand Ignition a build info that carries test contracts", async function () {
      const dir = await mkdtemp(path.join(tmpdir(), "bascule-artifacts-"));
      try {
        const artifact = { ...(await readArtifact("Campaign")), buildInfoId: "mixed" };
        await mkdir(path.join(dir, "contracts", "Campaign.sol"), { recursive: true });
        await mkdir(path.join(dir, "build-info"), { recursive: true });
        await writeFile(path.join(dir, "contracts", "Campaign.sol", "Campaign.json"), JSON.stringify(artifact));
        const input = {
          language: "Solidity",
          settings: {},
          sources: {
            "project/contracts/Campaign.sol": { content: "" },
            "project/contracts/test/TestTokens.sol": { content: "" },
          },
        };
        await writeFile(path.join(dir, "build-info", "mixed.json"), JSON.stringify({ id: "mixed", input }));
        let error: unknown;
        try {
          await artifactResolver(dir).getBuildInfo("Campaign");
        } catch (e) {
          error = e;
        }
        expect(String(error)).to.match(
          /not published \(project\/contracts\/test\/TestTokens\.sol\).*--build-profile production/,
        );
        // An in-memory deployment keeps no build info at all.
        expect(await artifactResolver(dir, { buildInfo: false }).getBuildInfo("Campaign")).to.equal(undefined);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
