/**
 * Deploys Bascule at the same address on every chain: the CampaignFactory is created through the
 * deterministic deployment proxy (CREATE2, 0x4e59…956C) with a fixed salt, and the factory itself
 * creates the Campaign implementation (CREATE, nonce 1), so both addresses depend only on the
 * compiled bytecode. Used by `deploy/`, `npm start`, the test fixtures and the oracle scripts.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Address,
  type Chain,
  type Hex,
  concat,
  createPublicClient,
  createWalletClient,
  defineChain,
  getContractAddress,
  http,
  keccak256,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { campaignFactoryAbi } from "./generated.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The deterministic deployment proxy (Arachnid), present on most EVM chains. */
export const CREATE2_PROXY = "0x4e59b44847b379578588920cA78FbF26c0B4956C" as Address;
/** Its runtime code, put in place with `hardhat_setCode` on local chains. */
export const CREATE2_PROXY_RUNTIME =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3" as Hex;
/** The proxy's one-time deployer and its presigned (chain-agnostic, pre-EIP-155) transaction. */
export const CREATE2_PROXY_DEPLOYER = "0x3fab184622dc19b6109349b94811493bf2a45362" as Address;
export const CREATE2_PROXY_FUNDING = 10_000_000_000_000_000n;
export const CREATE2_PROXY_SIGNED_TX =
  "0xf8a58085174876e800830186a08080b853604580600e600039806000f350fe7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf31ba02222222222222222222222222222222222222222222222222222222222222222a02222222222222222222222222222222222222222222222222222222222222222" as Hex;

/** The salt every Bascule deployment uses, so the factory's address is the same everywhere. */
export const BASCULE_SALT = keccak256(toHex("Bascule CampaignFactory v1"));

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

/** Where the factory and its implementation land for a given factory creation code. */
export function predictBascule(factoryBytecode: Hex, salt: Hex = BASCULE_SALT): { factory: Address; implementation: Address } {
  const factory = getContractAddress({ opcode: "CREATE2", from: CREATE2_PROXY, salt, bytecode: factoryBytecode });
  const implementation = getContractAddress({ opcode: "CREATE", from: factory, nonce: 1n });
  return { factory, implementation };
}

export interface DeployBasculeParameters {
  rpcUrl: string;
  privateKey: Hex;
  /** Defaults to Hardhat's artifacts directory. */
  artifactsDir?: string;
  salt?: Hex;
  log?: (line: string) => void;
}

export interface DeployBasculeReturnType {
  chainId: number;
  factory: Address;
  implementation: Address;
  /** false when the factory was already there (idempotent). */
  newlyDeployed: boolean;
  txHash?: Hex;
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

/** Puts the deterministic deployment proxy on a chain that lacks it. */
export async function ensureCreate2Proxy(rpcUrl: string, privateKey: Hex, log: (line: string) => void = () => {}) {
  const probe = createPublicClient({ transport: http(rpcUrl) });
  const chainId = await probe.getChainId();
  const client = createPublicClient({ chain: chainFor(chainId, rpcUrl), transport: http(rpcUrl) });
  const code = await client.getCode({ address: CREATE2_PROXY });
  if (code && code !== "0x") return;
  try {
    // Local development chains (Hardhat, Anvil) let us place the code directly.
    await client.request({
      method: "hardhat_setCode" as never,
      params: [CREATE2_PROXY, CREATE2_PROXY_RUNTIME] as never,
    });
    log(`placed the CREATE2 proxy at ${CREATE2_PROXY} (hardhat_setCode)`);
    return;
  } catch {
    // A real chain: fund the one-time deployer and broadcast the presigned transaction.
  }
  const wallet = createWalletClient({
    account: privateKeyToAccount(privateKey),
    chain: chainFor(chainId, rpcUrl),
    transport: http(rpcUrl),
  });
  const balance = await client.getBalance({ address: CREATE2_PROXY_DEPLOYER });
  if (balance < CREATE2_PROXY_FUNDING) {
    const hash = await wallet.sendTransaction({ to: CREATE2_PROXY_DEPLOYER, value: CREATE2_PROXY_FUNDING - balance });
    await client.waitForTransactionReceipt({ hash });
  }
  const hash = await client.sendRawTransaction({ serializedTransaction: CREATE2_PROXY_SIGNED_TX });
  await client.waitForTransactionReceipt({ hash });
  log(`deployed the CREATE2 proxy at ${CREATE2_PROXY} (tx ${hash})`);
}

/**
 * Deploys the CampaignFactory (and through it the Campaign implementation) at its deterministic
 * address; does nothing if it is already there.
 * @example
 * const { factory } = await deployBascule({ rpcUrl: "http://127.0.0.1:8545", privateKey });
 */
export async function deployBascule(params: DeployBasculeParameters): Promise<DeployBasculeReturnType> {
  const log = params.log ?? (() => {});
  const artifact = await readArtifact("CampaignFactory", params.artifactsDir);
  const salt = params.salt ?? BASCULE_SALT;
  const predicted = predictBascule(artifact.bytecode, salt);
  const probe = createPublicClient({ transport: http(params.rpcUrl) });
  const chainId = await probe.getChainId();
  const chain = chainFor(chainId, params.rpcUrl);
  const client = createPublicClient({ chain, transport: http(params.rpcUrl) });
  const existing = await client.getCode({ address: predicted.factory });
  if (existing && existing !== "0x") {
    log(`CampaignFactory already at ${predicted.factory} on chain ${chainId}`);
    return { chainId, ...predicted, newlyDeployed: false };
  }
  await ensureCreate2Proxy(params.rpcUrl, params.privateKey, log);
  const wallet = createWalletClient({ account: privateKeyToAccount(params.privateKey), chain, transport: http(params.rpcUrl) });
  const hash = await wallet.sendTransaction({ to: CREATE2_PROXY, data: concat([salt, artifact.bytecode]) });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`CampaignFactory deployment reverted (tx ${hash})`);
  const code = await client.getCode({ address: predicted.factory });
  if (!code || code === "0x") throw new Error(`CampaignFactory not found at ${predicted.factory} after tx ${hash}`);
  const implementation = await client.readContract({
    address: predicted.factory,
    abi: campaignFactoryAbi,
    functionName: "implementation",
  });
  if (implementation.toLowerCase() !== predicted.implementation.toLowerCase()) {
    throw new Error(`unexpected implementation ${implementation}, expected ${predicted.implementation}`);
  }
  log(`CampaignFactory deployed at ${predicted.factory} on chain ${chainId} (tx ${hash})`);
  return { chainId, ...predicted, newlyDeployed: true, txHash: hash };
}
