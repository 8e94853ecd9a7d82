/**
 * Deploys Bascule at the same address on every chain, through the Hardhat Ignition modules of
 * deploy/modules/ and Ignition's `create2` strategy: the CampaignFactory is created by CreateX
 * with a fixed salt (deploy/salt.ts), and the factory itself creates the Campaign implementation
 * (CREATE, nonce 1), so both addresses depend only on the compiled bytecode. Used by
 * `npm run deploy`, `npm start`, the test fixtures and the oracle scripts; `npm run build` writes
 * predictBascule's addresses into @bascule/core/generated/deployments, where the tools look the
 * default factory up (defaultFactory in @bascule/core/deployments).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type ArtifactResolver,
  type BuildInfo,
  DeploymentResultType,
  type IgnitionModule,
  deploy as ignitionDeploy,
} from "@nomicfoundation/ignition-core";
import {
  type Address,
  type Chain,
  type Hex,
  createPublicClient,
  defineChain,
  getAddress,
  getContractAddress,
  http,
  keccak256,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { BASCULE_SALT } from "../../deploy/salt.js";
import { campaignFactoryAbi } from "@bascule/core/generated/abis";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * CreateX (v0.1.0), the CREATE2 factory Ignition's `create2` strategy deploys through: the same
 * address on every chain that has it (Ignition puts it on a local Hardhat node itself).
 */
export const CREATEX = "0xba5Ed099633D3B313e4D5F7bdc1305d3c28ba5Ed" as Address;

/** The salt every Bascule deployment uses (deploy/salt.ts), so the factory's address is the same everywhere. */
export { BASCULE_SALT };

export interface Artifact {
  contractName: string;
  sourceName: string;
  abi: unknown[];
  bytecode: Hex;
  deployedBytecode: Hex;
  immutableReferences?: Record<string, { start: number; length: number }[]>;
  buildInfoId?: string;
}

/** Reads a compiled contract from Hardhat's artifacts (`npm run build` writes them). */
export async function readArtifact(name: string, artifactsDir = path.join(root, "artifacts")): Promise<Artifact> {
  const file = path.join(artifactsDir, "contracts", `${name}.sol`, `${name}.json`);
  const artifact = JSON.parse(await readFile(file, "utf8")) as Artifact;
  // A clean copy survives a coverage run (which rewrites artifacts/ with instrumented bytecode
  // calling 0xc0bE…c0BE: such bytecode must never be deployed).
  const clean = path.join(artifactsDir, "..", "cache", "clean-artifacts", `${name}.json`);
  if (artifact.bytecode.toLowerCase().includes("c0bec0bec0bec0bec0bec0bec0bec0bec0bec0be")) {
    try {
      return JSON.parse(await readFile(clean, "utf8")) as Artifact;
    } catch {
      throw new Error(`${file} was built with coverage instrumentation; run \`npm run build\` first`);
    }
  }
  await mkdir(path.dirname(clean), { recursive: true });
  await writeFile(clean, JSON.stringify(artifact));
  return artifact;
}

/**
 * Where the factory and its implementation land for a given factory creation code: CreateX's
 * `deployCreate2(salt, initCode)` deploys with CREATE2 under `keccak256(abi.encode(salt))` (the
 * "unguarded" salt: see deploy/salt.ts), and the factory creates the implementation with CREATE
 * at its nonce 1.
 */
export function predictBascule(
  factoryBytecode: Hex,
  salt: Hex = BASCULE_SALT,
): { factory: Address; implementation: Address } {
  const factory = getContractAddress({
    opcode: "CREATE2",
    from: CREATEX,
    salt: keccak256(salt),
    bytecode: factoryBytecode,
  });
  const implementation = getContractAddress({ opcode: "CREATE", from: factory, nonce: 1n });
  return { factory, implementation };
}

/** The Ignition modules of deploy/modules/, by id (what tags were under hardhat-deploy). */
export const MODULE_IDS = ["Bascule", "CampaignFactory"] as const;
export type ModuleId = (typeof MODULE_IDS)[number];

export interface DeployBasculeParameters {
  rpcUrl: string;
  privateKey: Hex;
  /** Which Ignition module to deploy; default "Bascule" (everything). */
  module?: ModuleId;
  /** Defaults to Hardhat's artifacts directory. */
  artifactsDir?: string;
  salt?: Hex;
  /**
   * Where Ignition keeps its journal. Default: nowhere (in memory), so a local deployment writes
   * nothing into the checkout; public deployments go through `hardhat ignition deploy`, which
   * keeps it in deploy/deployments/chain-<id>/ (committed on purpose: see docs/operator-guide.md).
   */
  deploymentDir?: string;
  log?: (line: string) => void;
}

export interface DeployBasculeReturnType {
  chainId: number;
  factory: Address;
  implementation: Address;
  /** false when the factory was already there (idempotent). */
  newlyDeployed: boolean;
  /** Every contract of the module, by Ignition future id (e.g. "CampaignFactory#CampaignFactory"). */
  contracts: Record<string, Address>;
}

/** A viem chain for any RPC, once its id is known. */
export function chainFor(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/**
 * Ignition's view of our artifacts: through `readArtifact`, so an artifacts/ left instrumented by a
 * coverage run is never deployed. With `buildInfo`, the build info a file-based deployment keeps
 * (and verifies from) must come from the `production` profile, whose compilation jobs hold no test
 * contract: anything else is refused. Without it, none is given (an in-memory deployment keeps none).
 */
export function artifactResolver(
  artifactsDir = path.join(root, "artifacts"),
  options: { buildInfo: boolean } = { buildInfo: true },
): ArtifactResolver {
  return {
    async loadArtifact(contractName) {
      const a = await readArtifact(contractName, artifactsDir);
      return {
        _format: "hh3-artifact-1",
        contractName: a.contractName,
        sourceName: a.sourceName,
        abi: a.abi,
        bytecode: a.bytecode,
        deployedBytecode: a.deployedBytecode,
        linkReferences: {},
        deployedLinkReferences: {},
        immutableReferences: a.immutableReferences,
        buildInfoId: a.buildInfoId,
      };
    },
    async getBuildInfo(contractName) {
      if (!options.buildInfo) return undefined;
      const a = await readArtifact(contractName, artifactsDir);
      if (!a.buildInfoId) return undefined;
      const info = JSON.parse(
        await readFile(path.join(artifactsDir, "build-info", `${a.buildInfoId}.json`), "utf8"),
      ) as BuildInfo;
      const unreviewed = Object.keys(info.input.sources).filter((source) => !isPublishedSource(source));
      if (unreviewed.length > 0) {
        throw new Error(
          `${contractName}'s build info holds sources that are not published (${unreviewed.join(", ")}): ` +
            "build with `npx hardhat build --build-profile production` first",
        );
      }
      return info;
    },
  };
}

/** A source that may appear in a published verification input: the project's contracts (not contracts/test/) and npm dependencies. */
export function isPublishedSource(sourceName: string): boolean {
  if (sourceName.startsWith("npm/")) return true;
  const local = sourceName.replace(/^project\//, "");
  return local.startsWith("contracts/") && !local.startsWith("contracts/test/");
}

async function loadModule(id: ModuleId): Promise<IgnitionModule> {
  const file = pathToFileURL(path.join(root, "deploy", "modules", `${id}.ts`)).href;
  return ((await import(file)) as { default: IgnitionModule }).default;
}

/**
 * Deploys an Ignition module (default: everything) with the `create2` strategy: the CampaignFactory
 * lands at its deterministic address (the same on every chain) and creates the Campaign
 * implementation. Does nothing if the factory is already there. Keeps Ignition's journal in memory
 * unless `deploymentDir` is given, so a local deployment leaves the checkout as it found it.
 * @example
 * const { factory } = await deployBascule({ rpcUrl: "http://127.0.0.1:8545", privateKey });
 */
export async function deployBascule(params: DeployBasculeParameters): Promise<DeployBasculeReturnType> {
  const log = params.log ?? (() => {});
  const moduleId = params.module ?? "Bascule";
  if (!MODULE_IDS.includes(moduleId))
    throw new Error(`unknown module "${String(moduleId)}" (known: ${MODULE_IDS.join(", ")})`);
  const artifact = await readArtifact("CampaignFactory", params.artifactsDir);
  const salt = params.salt ?? BASCULE_SALT;
  const predicted = predictBascule(artifact.bytecode, salt);
  const probe = createPublicClient({ transport: http(params.rpcUrl) });
  const chainId = await probe.getChainId();
  const client = createPublicClient({ chain: chainFor(chainId, params.rpcUrl), transport: http(params.rpcUrl) });
  const contracts = (factory: Address, implementation: Address) => ({
    "CampaignFactory#CampaignFactory": factory,
    "CampaignFactory#Campaign": implementation,
  });
  const existing = await client.getCode({ address: predicted.factory });
  if (existing && existing !== "0x") {
    // CREATE2: whoever deployed it, the code there is the one compiled from these sources and salt.
    log(`CampaignFactory already at ${predicted.factory} on chain ${chainId}`);
    return {
      chainId,
      ...predicted,
      newlyDeployed: false,
      contracts: contracts(predicted.factory, predicted.implementation),
    };
  }

  const { default: hre } = await import("hardhat");
  const connection = await hre.network.create({
    network: "localhost",
    override: { url: params.rpcUrl, accounts: [params.privateKey] },
  });
  try {
    const accounts = (await connection.provider.request({ method: "eth_accounts" })) as string[];
    const result = await ignitionDeploy({
      provider: connection.provider,
      artifactResolver: artifactResolver(params.artifactsDir, { buildInfo: params.deploymentDir !== undefined }),
      deploymentDir: params.deploymentDir,
      ignitionModule: await loadModule(moduleId),
      deploymentParameters: {},
      accounts,
      defaultSender: privateKeyToAccount(params.privateKey).address,
      strategy: "create2",
      strategyConfig: { salt },
      // An automined local chain answers at once: no need to wait Ignition's default second per poll.
      config: { blockPollingInterval: 100 },
    });
    if (result.type !== DeploymentResultType.SUCCESSFUL_DEPLOYMENT) {
      throw new Error(
        `Ignition deployment of ${moduleId} did not succeed: ${JSON.stringify(result, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`,
      );
    }
    const deployed = Object.fromEntries(Object.entries(result.contracts).map(([id, c]) => [id, getAddress(c.address)]));
    // Futures keep the id of the module that declares them, whoever uses it.
    const factory = deployed["CampaignFactory#CampaignFactory"];
    const implementation = deployed["CampaignFactory#Campaign"];
    if (factory !== predicted.factory)
      throw new Error(`CampaignFactory landed at ${factory}, expected ${predicted.factory}`);
    if (implementation !== predicted.implementation) {
      throw new Error(`unexpected implementation ${implementation}, expected ${predicted.implementation}`);
    }
    const onChain = await client.readContract({
      address: factory,
      abi: campaignFactoryAbi,
      functionName: "implementation",
    });
    if (getAddress(onChain) !== predicted.implementation)
      throw new Error(`factory reports implementation ${onChain}, expected ${predicted.implementation}`);
    log(`CampaignFactory deployed at ${factory} on chain ${chainId} (Ignition module ${moduleId}, create2)`);
    return { chainId, ...predicted, newlyDeployed: true, contracts: deployed };
  } finally {
    await connection.close();
  }
}
