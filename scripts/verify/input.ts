/**
 * The standard-JSON input published for verification (Etherscan's "Solidity (Standard-Json-Input)",
 * Blockscout, Sourcify): the `production` build profile's compilation job of one contract file,
 * which holds that contract's own sources and the OpenZeppelin files it imports, and nothing else
 * (no test contract). The same input hardhat-verify submits first (`npm run verify`).
 *
 *   npm run verify:input -- Campaign > Campaign.input.json       # or CampaignFactory
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isPublishedSource } from "../lib/deployment.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The contracts a deployment publishes, by name, with their source file. */
export const PUBLISHED_CONTRACTS = {
  CampaignFactory: "contracts/CampaignFactory.sol",
  Campaign: "contracts/Campaign.sol",
} as const;
export type PublishedContract = keyof typeof PUBLISHED_CONTRACTS;

export interface SolcStandardInput {
  language: string;
  sources: Record<string, { content: string }>;
  settings: Record<string, unknown> & { remappings?: string[] };
}

export interface VerificationInputReturnType {
  /** The source file name inside the input, e.g. "project/contracts/Campaign.sol". */
  sourceName: string;
  /** What the explorers call the contract: `<sourceName>:<name>`. */
  fullyQualifiedName: string;
  /** e.g. "0.8.37+commit.…": the compiler to pick on an explorer's form. */
  solcLongVersion: string;
  input: SolcStandardInput;
}

/**
 * The standard-JSON input of one published contract, from Hardhat's `production` profile.
 * @example
 * const { input, fullyQualifiedName } = await verificationInput("Campaign");
 */
export async function verificationInput(contract: PublishedContract): Promise<VerificationInputReturnType> {
  const { default: hre } = await import("hardhat");
  const file = path.join(root, PUBLISHED_CONTRACTS[contract]);
  const result = await hre.solidity.getCompilationJobs([file], {
    buildProfile: "production",
    quiet: true,
    force: true,
  });
  if (!result.success) throw new Error(`no compilation job for ${PUBLISHED_CONTRACTS[contract]}: ${result.reason}`);
  const job = result.compilationJobsPerFile.get(file);
  if (!job) throw new Error(`no compilation job for ${PUBLISHED_CONTRACTS[contract]}`);
  const input = (await job.getSolcInput()) as unknown as SolcStandardInput;
  const sourceName = Object.keys(input.sources).find((s) => s.endsWith(`/${PUBLISHED_CONTRACTS[contract]}`));
  if (!sourceName) throw new Error(`${PUBLISHED_CONTRACTS[contract]} is not in its own compilation job`);
  return { sourceName, fullyQualifiedName: `${sourceName}:${contract}`, solcLongVersion: job.solcLongVersion, input };
}

/** The sources of an input that should never be published (test contracts, anything outside contracts/ and npm). */
export function unpublishedSources(input: SolcStandardInput): string[] {
  return Object.keys(input.sources).filter((source) => !isPublishedSource(source));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const contract = process.argv[2] as PublishedContract;
  if (!(contract in PUBLISHED_CONTRACTS)) {
    console.error(
      `Name a contract: ${Object.keys(PUBLISHED_CONTRACTS).join(" or ")}.\nNommez un contrat : ${Object.keys(PUBLISHED_CONTRACTS).join(" ou ")}.`,
    );
    process.exit(1);
  }
  const { input, fullyQualifiedName, solcLongVersion } = await verificationInput(contract);
  const extra = unpublishedSources(input);
  if (extra.length > 0) {
    console.error(
      `Refused: the input holds unpublished sources / Refusé : l'entrée contient des sources non publiées: ${extra.join(", ")}`,
    );
    process.exit(1);
  }
  console.error(`${fullyQualifiedName}, solc ${solcLongVersion}, ${Object.keys(input.sources).length} sources`);
  console.log(JSON.stringify(input, null, 2));
}
