/**
 * The organiser's commands, as functions (the CLI in main.ts and the tests call these):
 * create a campaign from a JSON file, print its status with the reference model's provisional
 * result, resolve it.
 */
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  isAddress,
  keccak256,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainFor } from "../lib/deployment.js";
import { fetchAttesterKey } from "@bascule/core/verifier";
import { bindKeyAtAttester, createBlindCampaign } from "@bascule/core/union-setup";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { conditionSummary, nextTippingPoint, resolve as resolveModel } from "@bascule/core/model";
import { createdCampaign, readOnChainTallies } from "@bascule/core/replay";
import {
  type CampaignParameterError,
  type CampaignParameters,
  FULL_COVERAGE,
  MAX_CONDITIONS,
  validateCampaignParameters,
} from "@bascule/core/campaign-params";

const ZERO = "0x0000000000000000000000000000000000000000" as Address;

/** A campaign file, as an organiser writes it (dates ISO 8601, windows in days, amounts in token units). */
export interface CampaignFile {
  metadataURI: string;
  /** The description document itself (its keccak256 becomes the metadata hash), or give metadataHash. */
  description?: string;
  metadataHash?: Hex;
  token?: Address;
  ladder: number[];
  pledgeDeadline: string;
  /** Hours before the deadline during which nothing promised can be taken back (0 to 168; default 0). */
  finalLockHours?: number;
  actionDate: string;
  claimWindowDays: number;
  oracleWindowDays?: number;
  supportCap: string;
  /**
   * The coverage conditions a pledge may require, in basis points, rising, at most 2 (e.g. [5000, 10000]:
   * at least half, all of the request covered); default none. Only with a support cap above 0.
   * `create --conditions 5000,10000` gives them on the command line instead.
   */
  conditions?: number[];
  attester?: Address;
  oracle?: Address;
  salt?: Hex;
}

export type { CampaignParameters };

/** A problem in a campaign file, with the field and a message in English and French. */
export class CampaignFileError extends Error {
  constructor(
    readonly field: string,
    readonly en: string,
    readonly fr: string,
  ) {
    super(`${field}: ${en} / ${fr}`);
  }
}

const DAY = 86_400n;
const HOUR = 3_600n;

function date(value: unknown, field: string): bigint {
  if (typeof value !== "string" || Number.isNaN(Date.parse(value))) {
    throw new CampaignFileError(
      field,
      "expected a date such as 2026-05-01T00:00:00Z",
      "date attendue, par ex. 2026-05-01T00:00:00Z",
    );
  }
  return BigInt(Math.floor(Date.parse(value) / 1000));
}

function optionalAddress(value: unknown, field: string): Address {
  if (value === undefined || value === null || value === "") return ZERO;
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new CampaignFileError(field, "expected an address 0x…", "adresse 0x… attendue");
  }
  return getAddress(value);
}

/** Where a factory error points in a campaign file, and what it says there, in English and French. */
function fileError(error: CampaignParameterError): CampaignFileError {
  switch (error.errorName) {
    case "InvalidLadderLength":
      return new CampaignFileError("ladder", "expected 1 to 64 thresholds", "1 à 64 seuils attendus");
    case "LadderNotIncreasing":
      return new CampaignFileError(`ladder[${error.args[0]}]`, LADDER_EN, LADDER_FR);
    case "DeadlineNotInFuture":
      return new CampaignFileError("pledgeDeadline", "must be in the future", "doit être dans le futur");
    case "InvalidFinalLock":
      return new CampaignFileError(
        "finalLockHours",
        "expected 0 to 168 hours (7 days), shorter than the time left before the pledge deadline",
        "de 0 à 168 heures (7 jours) attendues, moins que le temps restant avant la date limite d'engagement",
      );
    case "ActionBeforeDeadline":
      return new CampaignFileError(
        "actionDate",
        "must not be before the pledge deadline",
        "ne peut précéder la date limite d'engagement",
      );
    case "ZeroClaimWindow":
      return new CampaignFileError(
        "claimWindowDays",
        "expected a positive number of days",
        "nombre de jours positif attendu",
      );
    case "OracleWindowMismatch":
      return new CampaignFileError(
        "oracleWindowDays",
        "give both an oracle and its window in days, or neither",
        "indiquez l'oracle et sa fenêtre en jours, ou aucun des deux",
      );
    case "WindowTooLong":
      return new CampaignFileError(
        "claimWindowDays",
        "the action date plus the windows is too far away",
        "la date de l'action plus les fenêtres est trop lointaine",
      );
    case "SupportCapTooLarge":
      return new CampaignFileError(
        "supportCap",
        "must be below 2^90 token units",
        "doit rester sous 2^90 unités du jeton",
      );
    case "GateRequired":
      return new CampaignFileError(
        "supportCap",
        "a campaign with support needs a gate: give an attester or an oracle, or set supportCap to 0",
        "une campagne avec soutien a besoin d'un filtre : indiquez un attestateur ou un oracle, ou mettez supportCap à 0",
      );
    case "MissingMetadataHash":
      return new CampaignFileError(
        "description",
        "give the description text or a non-zero metadataHash",
        "donnez le texte de la description ou un metadataHash non nul",
      );
    case "TooManyConditions":
      return new CampaignFileError(
        "conditions",
        `at most ${MAX_CONDITIONS} conditions (${error.args[0]} given), such as 5000,10000`,
        `${MAX_CONDITIONS} conditions au plus (${error.args[0]} données), par ex. 5000,10000`,
      );
    case "InvalidCondition":
      return new CampaignFileError(
        `conditions[${error.args[0]}]`,
        `${error.args[1]}: ${CONDITIONS_EN}`,
        `${error.args[1]} : ${CONDITIONS_FR}`,
      );
    case "ConditionsWithoutSupport":
      return new CampaignFileError(
        "conditions",
        "conditions are on support: give a supportCap above 0, or no conditions",
        "les conditions portent sur le soutien : indiquez un supportCap supérieur à 0, ou aucune condition",
      );
  }
}

const CONDITIONS_EN = `conditions are basis points of the request covered, whole numbers strictly rising from 1 to ${FULL_COVERAGE} (${FULL_COVERAGE} = all of it)`;
const CONDITIONS_FR = `les conditions sont des points de base de la demande couverte, entiers strictement croissants de 1 à ${FULL_COVERAGE} (${FULL_COVERAGE} = la totalité)`;

/**
 * The `--conditions` option: basis points separated by commas ("5000,10000"), or "none"/"" for none.
 * The factory's rules (how many, rising, within 1..10,000, only with support) are checked with the
 * rest of the campaign by `parseCampaignFile`.
 * @example parseConditions("5000,10000") // [5000, 10000]
 */
export function parseConditions(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "none") return [];
  return trimmed.split(",").map((part, i) => {
    const value = part.trim();
    if (!/^[0-9]{1,5}$/.test(value)) {
      throw new CampaignFileError(
        `conditions[${i}]`,
        `"${value}": ${CONDITIONS_EN}`,
        `« ${value} » : ${CONDITIONS_FR}`,
      );
    }
    return Number(value);
  });
}

const LADDER_EN = "thresholds must be whole numbers, strictly increasing, from 1";
const LADDER_FR = "les seuils doivent être des entiers strictement croissants, à partir de 1";

/** A whole number of days or hours in [0, max]. */
function whole(value: unknown, field: string, max: number, en: string, fr: string): bigint {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max)
    throw new CampaignFileError(field, en, fr);
  return BigInt(value);
}

/**
 * Validates a campaign file and turns it into the factory's parameters: the file's shape here, then
 * the factory's own rules at time `now` (seconds; the chain's latest block where there is one).
 */
export function parseCampaignFile(
  input: unknown,
  now = BigInt(Math.floor(Date.now() / 1000)),
): { params: CampaignParameters; metadataURI: string; salt: Hex } {
  if (typeof input !== "object" || input === null)
    throw new CampaignFileError("(file)", "expected a JSON object", "objet JSON attendu");
  const f = input as Partial<CampaignFile>;
  if (typeof f.metadataURI !== "string" || f.metadataURI.length === 0) {
    throw new CampaignFileError(
      "metadataURI",
      "required (where the description lives)",
      "obligatoire (où se trouve la description)",
    );
  }
  if (!Array.isArray(f.ladder))
    throw new CampaignFileError("ladder", "expected 1 to 64 thresholds", "1 à 64 seuils attendus");
  for (const [i, level] of f.ladder.entries()) {
    if (!Number.isInteger(level) || level < 1 || level > 0xffffffff)
      throw new CampaignFileError(`ladder[${i}]`, LADDER_EN, LADDER_FR);
  }
  const pledgeDeadline = date(f.pledgeDeadline, "pledgeDeadline");
  const actionDate = date(f.actionDate, "actionDate");
  const claimDays = whole(
    f.claimWindowDays,
    "claimWindowDays",
    36_500,
    "expected a positive whole number of days",
    "nombre entier de jours positif attendu",
  );
  const oracleDays = whole(
    f.oracleWindowDays ?? 0,
    "oracleWindowDays",
    36_500,
    "expected a whole number of days",
    "nombre entier de jours attendu",
  );
  const lockHours = whole(
    f.finalLockHours ?? 0,
    "finalLockHours",
    168,
    "expected 0 to 168 hours (7 days)",
    "de 0 à 168 heures (7 jours) attendues",
  );
  if (typeof f.supportCap !== "string" || !/^(0|[1-9][0-9]*)$/.test(f.supportCap)) {
    throw new CampaignFileError(
      "supportCap",
      "expected a whole number of token units, as a string",
      "nombre entier d'unités du jeton attendu, en texte",
    );
  }
  let metadataHash: Hex;
  if (typeof f.description === "string") metadataHash = keccak256(toHex(f.description));
  else if (typeof f.metadataHash === "string" && /^0x[0-9a-fA-F]{64}$/.test(f.metadataHash))
    metadataHash = f.metadataHash;
  else {
    throw new CampaignFileError(
      "description",
      "give the description text or a non-zero metadataHash",
      "donnez le texte de la description ou un metadataHash non nul",
    );
  }
  const conditions = f.conditions ?? [];
  if (!Array.isArray(conditions)) throw new CampaignFileError("conditions", CONDITIONS_EN, CONDITIONS_FR);
  for (const [i, c] of conditions.entries()) {
    // uint16 in the factory's ABI: anything else cannot even be sent (the rules themselves are the factory's).
    if (!Number.isInteger(c) || c < 0 || c > 0xffff)
      throw new CampaignFileError(`conditions[${i}]`, CONDITIONS_EN, CONDITIONS_FR);
  }
  const salt = f.salt ?? keccak256(toHex(f.metadataURI));
  if (!/^0x[0-9a-fA-F]{64}$/.test(salt))
    throw new CampaignFileError("salt", "expected 32 bytes in hex", "32 octets en hexadécimal attendus");
  const params: CampaignParameters = {
    token: optionalAddress(f.token, "token"),
    pledgeDeadline,
    finalLock: lockHours * HOUR,
    actionDate,
    oracleWindow: oracleDays * DAY,
    claimWindow: claimDays * DAY,
    supportCap: BigInt(f.supportCap),
    conditions,
    attester: optionalAddress(f.attester, "attester"),
    oracle: optionalAddress(f.oracle, "oracle"),
    metadataHash,
    ladder: f.ladder,
  };
  const error = validateCampaignParameters(params, now);
  if (error) throw fileError(error);
  return { params, metadataURI: f.metadataURI, salt };
}

async function clients(rpcUrl: string, privateKey?: Hex) {
  const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
  const chain = chainFor(chainId, rpcUrl);
  const client = createPublicClient({ chain, transport: http(rpcUrl) });
  const wallet = privateKey
    ? createWalletClient({ account: privateKeyToAccount(privateKey), chain, transport: http(rpcUrl) })
    : null;
  return { chainId, client, wallet };
}

/** Creates a campaign; returns its address. */
export async function createCampaign(options: {
  rpcUrl: string;
  privateKey: Hex;
  factory: Address;
  params: CampaignParameters;
  metadataURI: string;
  salt: Hex;
}): Promise<{ campaign: Address; txHash: Hex }> {
  const { client, wallet } = await clients(options.rpcUrl, options.privateKey);
  if (!wallet) throw new Error("no wallet");
  const { request } = await client.simulateContract({
    account: wallet.account,
    address: options.factory,
    abi: campaignFactoryAbi,
    functionName: "createCampaign",
    args: [options.params, options.metadataURI, options.salt],
  });
  const txHash = await wallet.writeContract(request);
  const receipt = await client.waitForTransactionReceipt({ hash: txHash });
  return { campaign: createdCampaign(receipt.logs), txHash };
}

/**
 * Creates a campaign gated by blind vouchers: fetches the attester's campaign key (checked against its
 * id), predicts the verifier's address (the organiser's next CREATE) and the campaign's with that
 * attester, checks the factory would take it, deploys the verifier bound to that campaign, then
 * creates the campaign. A look-alike created first by anyone else lands elsewhere (the organiser is
 * part of the campaign's address), so it can never capture this verifier. `params.attester` is
 * replaced by the verifier's address.
 */
export async function createGatedCampaign(options: {
  rpcUrl: string;
  privateKey: Hex;
  factory: Address;
  params: CampaignParameters;
  metadataURI: string;
  salt: Hex;
  attesterUrl: string;
  keyId: Hex;
  /** The attester's organiser token: the key is then bound to the campaign there too (set once). */
  attesterToken?: string;
}): Promise<{
  campaign: Address;
  verifier: Address;
  keyId: Hex;
  label: string;
  txHash: Hex;
  verifierTxHash: Hex;
  keyBoundAtAttester: boolean;
}> {
  const key = await fetchAttesterKey(options.attesterUrl, options.keyId);
  const { client, wallet } = await clients(options.rpcUrl, options.privateKey);
  if (!wallet) throw new Error("no wallet");
  // The same order as the dApp's create page (packages/core/src/union-setup.ts).
  const token = options.attesterToken;
  const made = await createBlindCampaign({
    wallet,
    client,
    factory: options.factory,
    params: options.params,
    metadataURI: options.metadataURI,
    salt: options.salt,
    key: { modulus: key.modulus, exponent: BigInt(key.exponent) },
    // The attester signs for this campaign only: a look-alike's page (even with its own verifier of this
    // key) is refused there before a code is used.
    bind: token
      ? (campaign, chainId) => bindKeyAtAttester(options.attesterUrl, token, options.keyId, chainId, campaign)
      : undefined,
  });
  return { ...made, keyId: key.keyId, label: key.label, keyBoundAtAttester: !!token };
}

/**
 * What `status` prints: on-chain tallies (each condition's part too), the model's provisional result
 * with the campaign's conditions, per condition how many count now and the coverage, balances.
 */
export async function campaignStatus(options: { rpcUrl: string; campaign: Address }) {
  const { client } = await clients(options.rpcUrl);
  const address = options.campaign;
  const block = await client.getBlock({ blockTag: "latest" });
  const [[params, organiser], status] = await Promise.all([
    client.readContract({ address, abi: campaignAbi, functionName: "parameters", blockNumber: block.number }),
    client.readContract({ address, abi: campaignAbi, functionName: "status", blockNumber: block.number }),
  ]);
  const tallies = await readOnChainTallies(client, address, block.number, params.conditions.length);
  const provisional = resolveModel(params.ladder, tallies, params.conditions);
  const balance =
    params.token === ZERO
      ? await client.getBalance({ address })
      : await client.readContract({
          address: params.token,
          abi: [
            {
              type: "function",
              name: "balanceOf",
              stateMutability: "view",
              inputs: [{ name: "a", type: "address" }],
              outputs: [{ name: "", type: "uint256" }],
            },
          ] as const,
          functionName: "balanceOf",
          args: [address],
        });
  return {
    campaign: address,
    organiser,
    token: params.token,
    ladder: params.ladder,
    conditions: params.conditions,
    pledgeDeadline: params.pledgeDeadline,
    actionDate: params.actionDate,
    now: block.timestamp,
    resolved: status.phase === 2,
    onChain: status,
    tallies,
    provisional,
    // Who counts now per condition (0 = none) and the uniform coverage; each bucket's slack.
    ...(params.conditions.length > 0
      ? { byCondition: conditionSummary(params.ladder, tallies, params.conditions) }
      : {}),
    next: nextTippingPoint(params.ladder, tallies.counts),
    escrowBalance: balance,
  };
}

/** Resolves a campaign whose deadline has passed (anyone may). */
export async function resolveCampaign(options: { rpcUrl: string; privateKey: Hex; campaign: Address }): Promise<Hex> {
  const { client, wallet } = await clients(options.rpcUrl, options.privateKey);
  if (!wallet) throw new Error("no wallet");
  const { request } = await client.simulateContract({
    account: wallet.account,
    address: options.campaign,
    abi: campaignAbi,
    functionName: "resolve",
  });
  const hash = await wallet.writeContract(request);
  await client.waitForTransactionReceipt({ hash });
  return hash;
}
