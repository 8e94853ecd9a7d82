/**
 * `npm run campaign -- <command>`: the organiser's CLI.
 *   create <file.json> [--conditions 5000,10000]
 *                        creates a campaign from a JSON file (see CampaignFile in campaign.ts);
 *                        --conditions: the coverage conditions a pledge may require, in basis
 *                        points (default none; only with a support cap)
 *   status <address>     tallies, provisional result from the reference model, balances
 *   resolve <address>    resolves a campaign whose deadline has passed
 *   verifier <attester-url> <keyId>   deploys the blind-voucher verifier of an attester's campaign
 *                        key (docs/blind-vouchers.md); use its address as the campaign's attester
 * RPC_URL (default http://127.0.0.1:8545), ORGANISER_PRIVATE_KEY (default on a local chain only:
 * Hardhat's test account #1), FACTORY (default: the deterministic Bascule address).
 */
import { readFile } from "node:fs/promises";
import { type Address, type Hex, createPublicClient, getAddress, http, isAddress } from "viem";
import { defaultFactory } from "@bascule/core/deployments";
import { signingKeyOrExit } from "../kit/local-key.js";
import {
  CampaignFileError,
  campaignStatus,
  createCampaign,
  createVerifier,
  parseCampaignFile,
  parseConditions,
  resolveCampaign,
} from "./campaign.js";

const env = process.env;
const rpcUrl = env.RPC_URL ?? "http://127.0.0.1:8545";
const args = process.argv.slice(2);
/** `--conditions 5000,10000` (or `--conditions=5000,10000`), taken out of the positional arguments. */
let conditionsOption: string | undefined;
for (let i = 0; i < args.length; i++) {
  const [name, inline] = args[i].split(/=(.*)/s, 2);
  if (name !== "--conditions") continue;
  conditionsOption = inline ?? args[i + 1] ?? "";
  args.splice(i, inline === undefined ? 2 : 1);
  break;
}
const [command, argument, argument2] = args;

function usage(): never {
  console.error(
    "usage: npm run campaign -- create <file.json> [--conditions 5000,10000] | status <address> | resolve <address> | verifier <attester-url> <keyId>",
  );
  console.error(
    "usage : npm run campaign -- create <fichier.json> [--conditions 5000,10000] | status <adresse> | resolve <adresse> | verifier <url-attestation> <keyId>",
  );
  process.exit(2);
}

/** The organiser's key: ORGANISER_PRIVATE_KEY, or Hardhat's test account 1 on a local chain only. */
async function key(): Promise<Hex> {
  const chainId = env.ORGANISER_PRIVATE_KEY ? 0 : await createPublicClient({ transport: http(rpcUrl) }).getChainId();
  return signingKeyOrExit({
    given: env.ORGANISER_PRIVATE_KEY,
    variable: "ORGANISER_PRIVATE_KEY",
    chainId,
    testAccount: 1,
  });
}

function address(value: string | undefined): Address {
  if (!value || !isAddress(value, { strict: false })) usage();
  return getAddress(value);
}

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);

try {
  if (conditionsOption !== undefined && command !== "create") usage();
  if (command === "create") {
    if (!argument) usage();
    let input: unknown;
    try {
      input = JSON.parse(await readFile(argument, "utf8"));
    } catch (error) {
      throw new CampaignFileError(
        "(file)",
        `cannot read JSON: ${(error as Error).message}`,
        `JSON illisible : ${(error as Error).message}`,
      );
    }
    // The factory checks the deadline and the final lock against the chain's time, not this machine's.
    const chain = createPublicClient({ transport: http(rpcUrl) });
    const latest = await chain.getBlock({ blockTag: "latest" });
    if (conditionsOption !== undefined && typeof input === "object" && input !== null) {
      input = { ...input, conditions: parseConditions(conditionsOption) };
    }
    const { params, metadataURI, salt } = parseCampaignFile(input, latest.timestamp);
    const factory = (env.FACTORY as Address | undefined) ?? defaultFactory(await chain.getChainId());
    const result = await createCampaign({ rpcUrl, privateKey: await key(), factory, params, metadataURI, salt });
    console.log(json(result));
  } else if (command === "status") {
    console.log(json(await campaignStatus({ rpcUrl, campaign: address(argument) })));
  } else if (command === "resolve") {
    console.log(
      json({ txHash: await resolveCampaign({ rpcUrl, privateKey: await key(), campaign: address(argument) }) }),
    );
  } else if (command === "verifier") {
    if (!argument || !argument2 || !/^0x[0-9a-fA-F]{64}$/.test(argument2)) usage();
    console.log(
      json(await createVerifier({ rpcUrl, privateKey: await key(), attesterUrl: argument, keyId: argument2 as Hex })),
    );
  } else {
    usage();
  }
} catch (error) {
  if (error instanceof CampaignFileError) {
    console.error(`invalid campaign file, field ${error.field}: ${error.en}`);
    console.error(`fichier de campagne invalide, champ ${error.field} : ${error.fr}`);
    process.exit(1);
  }
  console.error(error instanceof Error ? error.message.split("\n").slice(0, 3).join("\n") : String(error));
  process.exit(1);
}
