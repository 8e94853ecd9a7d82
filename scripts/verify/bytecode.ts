/**
 * Reproducibility check anyone can run offline: compares the runtime bytecode deployed at the
 * Bascule addresses (on any RPC) with what the sources compile to, byte for byte, metadata hash
 * included (only the immutable slots, filled in at deployment, are masked as the compiler marks
 * them). `--recompile` compiles the sources again from the standard-JSON input published for
 * verification (`npm run verify:input`, no test contract in it; solc from npm, no download)
 * instead of trusting artifacts/.
 *
 *   npx tsx scripts/verify/bytecode.ts [--rpc URL] [--factory 0x…] [--recompile]
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Address, type Hex, createPublicClient, getAddress, http } from "viem";
import { type Artifact, readArtifact } from "../lib/deployment.js";
import { defaultFactory } from "@bascule/core/deployments";
import { campaignFactoryAbi } from "@bascule/core/generated/abis";
import { metadataOf } from "@bascule/core/code-facts";
import { type PublishedContract, verificationInput } from "./input.js";

export interface BytecodeCheck {
  contract: string;
  address: Address;
  match: boolean;
  /** The CBOR metadata (ipfs hash and solc version) at the end of the expected code. */
  expectedMetadata: Hex | null;
  deployedMetadata: Hex | null;
  reason?: string;
}

/** The metadata section solc appends, decoded by the same reader as the dApp's verify page. */
export { metadataOf };

/** Zeroes the immutable slots so deployed code can be compared with the compiler's output. */
export function maskImmutables(code: Hex, references: Artifact["immutableReferences"]): Hex {
  const bytes = code.slice(2).split("");
  for (const ranges of Object.values(references ?? {})) {
    for (const { start, length } of ranges) {
      for (let i = start * 2; i < (start + length) * 2 && i < bytes.length; i++) bytes[i] = "0";
    }
  }
  return `0x${bytes.join("")}` as Hex;
}

/**
 * Compiles each contract again from the very standard-JSON input published for verification
 * (`production` profile: its own sources, no test contract), with solc from npm (no download).
 */
export async function recompile(names: PublishedContract[]): Promise<Record<string, Artifact>> {
  const artifacts: Record<string, Artifact> = {};
  const require = createRequire(import.meta.url);
  const solc = require("solc") as { compile(input: string): string; version(): string };
  for (const name of names) {
    const { input, sourceName, solcLongVersion } = await verificationInput(name);
    if (!solcLongVersion.startsWith(solc.version().replace(/\.Emscripten.*$/, ""))) {
      throw new Error(`solc from npm is ${solc.version()}, the build uses ${solcLongVersion}`);
    }
    const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
      errors?: { severity: string; formattedMessage: string }[];
      contracts: Record<
        string,
        Record<
          string,
          {
            abi: unknown[];
            evm: {
              bytecode: { object: string };
              deployedBytecode: { object: string; immutableReferences?: Artifact["immutableReferences"] };
            };
          }
        >
      >;
    };
    const fatal = output.errors?.filter((e) => e.severity === "error");
    if (fatal && fatal.length > 0) throw new Error(fatal.map((e) => e.formattedMessage).join("\n"));
    const c = output.contracts[sourceName]?.[name];
    if (!c) throw new Error(`${name} not in the compiler output`);
    artifacts[name] = {
      ...(await readArtifact(name)),
      bytecode: `0x${c.evm.bytecode.object}` as Hex,
      deployedBytecode: `0x${c.evm.deployedBytecode.object}` as Hex,
      immutableReferences: c.evm.deployedBytecode.immutableReferences,
    };
  }
  return artifacts;
}

/** Compares the factory and implementation deployed on `rpcUrl` with the expected builds. */
export async function checkBytecode(options: {
  rpcUrl: string;
  factory?: Address;
  expected?: Record<string, Artifact>;
}): Promise<BytecodeCheck[]> {
  const expected = options.expected ?? {
    CampaignFactory: await readArtifact("CampaignFactory"),
    Campaign: await readArtifact("Campaign"),
  };
  const client = createPublicClient({ transport: http(options.rpcUrl) });
  const factory = options.factory ?? defaultFactory(await client.getChainId());
  const checks: BytecodeCheck[] = [];
  const compare = async (contract: string, address: Address) => {
    const artifact = expected[contract];
    const deployed = (await client.getCode({ address })) ?? "0x";
    const expectedMetadata = metadataOf(artifact.deployedBytecode);
    if (deployed === "0x") {
      checks.push({
        contract,
        address,
        match: false,
        expectedMetadata,
        deployedMetadata: null,
        reason: "no code at this address",
      });
      return;
    }
    const masked = maskImmutables(deployed, artifact.immutableReferences).toLowerCase();
    const match = masked === artifact.deployedBytecode.toLowerCase();
    const deployedMetadata = metadataOf(deployed);
    checks.push({
      contract,
      address,
      match,
      expectedMetadata,
      deployedMetadata,
      ...(match
        ? {}
        : {
            reason:
              deployedMetadata !== expectedMetadata
                ? "different metadata hash (other sources or settings)"
                : "different code",
          }),
    });
  };
  await compare("CampaignFactory", factory);
  let implementation: Address | null;
  try {
    implementation = getAddress(
      await client.readContract({ address: factory, abi: campaignFactoryAbi, functionName: "implementation" }),
    );
  } catch {
    implementation = null;
  }
  if (implementation) await compare("Campaign", implementation);
  else
    checks.push({
      contract: "Campaign",
      address: "0x0000000000000000000000000000000000000000",
      match: false,
      expectedMetadata: null,
      deployedMetadata: null,
      reason: "factory has no implementation()",
    });
  return checks;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const rpcUrl = arg("--rpc") ?? process.env.RPC_URL ?? "http://127.0.0.1:8545";
  const expected = process.argv.includes("--recompile") ? await recompile(["CampaignFactory", "Campaign"]) : undefined;
  const checks = await checkBytecode({ rpcUrl, factory: arg("--factory") as Address | undefined, expected });
  for (const c of checks) {
    console.log(
      `${c.match ? "match   " : "MISMATCH"} ${c.contract.padEnd(16)} ${c.address}${c.reason ? `  (${c.reason})` : ""}`,
    );
    console.log(`         metadata expected ${c.expectedMetadata ?? "-"}`);
    console.log(`         metadata deployed ${c.deployedMetadata ?? "-"}`);
  }
  process.exit(checks.every((c) => c.match) ? 0 : 1);
}
