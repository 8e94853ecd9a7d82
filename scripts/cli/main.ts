/**
 * `npm run campaign -- <command>`: the organiser's CLI.
 *   create <file.json> [--conditions 5000,10000] [--blind <attester-url> <keyId>]
 *                        creates a campaign from a JSON file (see CampaignFile in campaign.ts);
 *                        --conditions: the coverage conditions a pledge may require, in basis
 *                        points (default none; only with a support cap);
 *                        --blind: gated by the blind vouchers of an attester's campaign key: deploys
 *                        its verifier bound to the campaign first, then creates the campaign with it as
 *                        attester (docs/blind-vouchers.md); with ATTESTER_TOKEN (the attester's
 *                        organiser token) the key is bound to that campaign at the attester too
 *   status <address>     tallies, provisional result from the reference model, balances
 *   resolve <address>    resolves a campaign whose deadline has passed
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
  createGatedCampaign,
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
/** `--blind <attester-url> <keyId>`, taken out likewise. */
let blindOption: { attesterUrl: string; keyId: Hex } | undefined;
const blindAt = args.indexOf("--blind");
if (blindAt !== -1) {
  const [attesterUrl = "", keyId = ""] = args.splice(blindAt, 3).slice(1);
  blindOption = { attesterUrl, keyId: keyId as Hex };
}
const [command, argument] = args;

function usage(): never {
  console.error(
    "usage: npm run campaign -- create <file.json> [--conditions 5000,10000] [--blind <attester-url> <keyId>] | status <address> | resolve <address>",
  );
  console.error(
    "usage : npm run campaign -- create <fichier.json> [--conditions 5000,10000] [--blind <url-attestation> <keyId>] | status <adresse> | resolve <adresse>",
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
  if ((conditionsOption !== undefined || blindOption !== undefined) && command !== "create") usage();
  if (blindOption && (!blindOption.attesterUrl || !/^0x[0-9a-fA-F]{64}$/.test(blindOption.keyId))) usage();
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
    if (blindOption && typeof input === "object" && input !== null) {
      if ("attester" in input) {
        throw new CampaignFileError(
          "attester",
          "--blind makes the attester (the verifier): the file must not name one",
          "--blind crée l'attestateur (le vérificateur) : le fichier ne doit pas en nommer",
        );
      }
      // A stand-in for the validation (money needs a gate); createGatedCampaign puts the verifier there.
      input = { ...input, attester: "0x0000000000000000000000000000000000000001" };
    }
    const { params, metadataURI, salt } = parseCampaignFile(input, latest.timestamp);
    const factory = (env.FACTORY as Address | undefined) ?? defaultFactory(await chain.getChainId());
    const options = { rpcUrl, privateKey: await key(), factory, params, metadataURI, salt };
    const result = blindOption
      ? await createGatedCampaign({ ...options, ...blindOption, attesterToken: env.ATTESTER_TOKEN })
      : await createCampaign(options);
    console.log(json(result));
  } else if (command === "status") {
    console.log(json(await campaignStatus({ rpcUrl, campaign: address(argument) })));
  } else if (command === "resolve") {
    console.log(
      json({ txHash: await resolveCampaign({ rpcUrl, privateKey: await key(), campaign: address(argument) }) }),
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
