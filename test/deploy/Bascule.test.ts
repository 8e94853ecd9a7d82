/**
 * Deployment through the Hardhat Ignition modules (create2 strategy, CreateX, one salt) against a
 * real `hardhat node`: the factory lands at its predicted address, a second run changes nothing,
 * another chain (another chain id) gets the same addresses through Ignition's own deploy helper and
 * hardhat.config.ts's salt, and `npm run deploy` leaves the git checkout exactly as it found it.
 */
import { execFile } from "node:child_process";
import { spawnNode } from "../../scripts/lib/children.js";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import hre from "hardhat";
import { type Hex, createPublicClient, getAddress, http } from "viem";
import BasculeModule from "../../deploy/modules/Bascule.js";
import { BASCULE_SALT } from "../../deploy/salt.js";
import { CREATEX, deployBascule, predictBascule, readArtifact } from "../../scripts/lib/deployment.js";
import { campaignFactoryAbi } from "@bascule/core/generated/abis";
import { type LocalNode, ROOT, TEST_KEYS, startNode } from "../helpers/node.js";

const run = promisify(execFile);

/** Everything `git status` reports (untracked files one by one), ignored files excluded. */
async function gitStatus(): Promise<string> {
  const { stdout } = await run("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: ROOT });
  return stdout;
}

/** Runs `npm run deploy`'s script as npm would, against `rpcUrl`. */
async function npmRunDeploy(
  rpcUrl: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnNode(["--import", "tsx", "scripts/deploy/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, RPC_URL: rpcUrl, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("deploy: Ignition modules, create2", function () {
  this.timeout(240_000);
  let node: LocalNode;
  let predicted: { factory: `0x${string}`; implementation: `0x${string}` };

  before(async function () {
    node = await startNode();
    predicted = predictBascule((await readArtifact("CampaignFactory")).bytecode);
  });

  after(async function () {
    await node?.stop();
  });

  it("deploys the Bascule module at the predicted addresses", async function () {
    const result = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
    expect(result.chainId).to.equal(31337);
    expect(result.newlyDeployed).to.equal(true);
    expect(result.contracts).to.deep.equal({
      "CampaignFactory#CampaignFactory": predicted.factory,
      "CampaignFactory#Campaign": predicted.implementation,
    });
    const client = createPublicClient({ transport: http(node.url) });
    expect(await client.getCode({ address: CREATEX })).to.match(/^0x[0-9a-f]{100,}$/);
    const implementation = await client.readContract({
      address: predicted.factory,
      abi: campaignFactoryAbi,
      functionName: "implementation",
    });
    expect(implementation).to.equal(predicted.implementation);
  });

  it("is idempotent: a second run sends nothing and keeps the addresses", async function () {
    const client = createPublicClient({ transport: http(node.url) });
    const blockBefore = await client.getBlockNumber();
    const result = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[1], module: "CampaignFactory" });
    expect(result.newlyDeployed).to.equal(false);
    expect(await client.getBlockNumber()).to.equal(blockBefore);
    expect([result.factory, result.implementation]).to.deep.equal([predicted.factory, predicted.implementation]);
  });

  it("refuses an unknown module id", async function () {
    let error: unknown;
    try {
      await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0], module: "core" as never });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/unknown module "core" \(known: Bascule, CampaignFactory\)/);
  });

  it("gives the same addresses on another chain, through Ignition's own helper and the configured salt", async function () {
    expect(hre.config.ignition.strategyConfig?.create2?.salt).to.equal(BASCULE_SALT);
    // Ignition's own helper reads artifacts/ as it is: a coverage run leaves it instrumented (other code, other address).
    if (
      (await hre.artifacts.readArtifact("CampaignFactory")).bytecode.includes(
        "c0bec0bec0bec0bec0bec0bec0bec0bec0bec0be",
      )
    )
      this.skip();
    // An in-process chain with another id, where CreateX is already in place as on public chains.
    const connection = await hre.network.create({ override: { chainId: 11155111 } });
    try {
      const createx = await node.rpc<Hex>("eth_getCode", [CREATEX, "latest"]);
      await connection.provider.request({ method: "hardhat_setCode", params: [CREATEX, createx] });
      expect(await connection.provider.request({ method: "eth_chainId" })).to.equal("0xaa36a7");
      const { factory, implementation } = await connection.ignition.deploy(BasculeModule, { strategy: "create2" });
      expect(getAddress(await factory.getAddress())).to.equal(predicted.factory);
      expect(getAddress(await implementation.getAddress())).to.equal(predicted.implementation);
    } finally {
      await connection.close();
    }
  });

  describe("npm run deploy", function () {
    let fresh: LocalNode;

    before(async function () {
      fresh = await startNode();
    });

    after(async function () {
      await fresh?.stop();
    });

    it("deploys on a local node, whoever deploys, and leaves the git checkout as it found it", async function () {
      const before = await gitStatus();
      // Another deployer than the first test's: the addresses do not depend on who deploys.
      const { code, stdout, stderr } = await npmRunDeploy(fresh.url, [], { DEPLOYER_PRIVATE_KEY: TEST_KEYS[3] });
      expect(code, stderr).to.equal(0);
      const printed = JSON.parse(stdout) as Record<string, unknown>;
      expect(printed).to.include({ chainId: 31337, module: "Bascule", newlyDeployed: true });
      expect(printed["CampaignFactory#CampaignFactory"]).to.equal(predicted.factory);
      expect(printed["CampaignFactory#Campaign"]).to.equal(predicted.implementation);
      expect(await gitStatus()).to.equal(before);
      // Not even an ignored journal: Ignition's state of a local deployment stays in memory.
      expect(existsSync(path.join(ROOT, "deploy", "deployments"))).to.equal(false);
      expect(existsSync(path.join(ROOT, "deployments"))).to.equal(false);
    });

    it("refuses an unknown module, in English and French", async function () {
      const { code, stderr } = await npmRunDeploy(fresh.url, ["--module", "nope"]);
      expect(code).to.equal(1);
      expect(stderr)
        .to.match(/Unknown module "nope"/)
        .and.match(/Module « nope » inconnu/);
    });
  });
});
