/**
 * Reading a campaign's code as a sceptic would: every campaign is an ERC-1167 minimal proxy (the
 * 45 bytes every explorer knows) to the factory's Campaign implementation, followed by its
 * parameters, appended once by the factory and never changeable (OpenZeppelin
 * `Clones.cloneDeterministicWithImmutableArgs`). This module checks the 45 bytes, names the
 * implementation they delegate to, and decodes the appended bytes, using the one description of
 * their layout below. Shared by `npm run verify:campaign-code`, the tests and the dApp's verify page.
 */
import { type Address, type Hex, getAddress, hexToBigInt, isHex, size, slice } from "viem";

/** ERC-1167: the bytes before and after the implementation's address (EIP-1167, OpenZeppelin Clones). */
export const ERC1167_PREFIX = "0x363d3d373d3d3d363d73" as const;
export const ERC1167_SUFFIX = "0x5af43d82803e903d91602b57fd5bf3" as const;
/** 10 + 20 + 15 bytes. */
export const ERC1167_SIZE = 45;

/**
 * The appended parameters, in order, as `CampaignFactory._encodeArgs` packs them and
 * `Campaign._config` reads them: the only place TypeScript knows this layout. After these fields
 * comes the ladder, 4 bytes per level to the end of the code.
 */
export const CAMPAIGN_ARGS_LAYOUT = [
  { name: "organiser", type: "address", bytes: 20 },
  { name: "token", type: "address", bytes: 20 },
  { name: "attester", type: "address", bytes: 20 },
  { name: "oracle", type: "address", bytes: 20 },
  { name: "pledgeDeadline", type: "uint", bytes: 8 },
  { name: "finalLock", type: "uint", bytes: 8 },
  { name: "actionDate", type: "uint", bytes: 8 },
  { name: "oracleWindow", type: "uint", bytes: 8 },
  { name: "claimWindow", type: "uint", bytes: 8 },
  { name: "supportCap", type: "uint", bytes: 16 },
  { name: "metadataHash", type: "bytes32", bytes: 32 },
  // The conditions c_1, c_2 in basis points, 0 when absent (`parameters().conditions` lists the others).
  { name: "condition1", type: "uint", bytes: 2 },
  { name: "condition2", type: "uint", bytes: 2 },
] as const;
/** Each ladder level: a 4-byte big-endian count of people, level 1 first. */
export const LADDER_LEVEL_BYTES = 4;
/** The factory's bounds on the ladder (CampaignFactory._MAX_LEVELS). */
export const MAX_LEVELS = 64;

type Layout = typeof CAMPAIGN_ARGS_LAYOUT;
type FieldValue<T extends Layout[number]["type"]> = T extends "address" ? Address : T extends "uint" ? bigint : Hex;

/** The decoded parameters: one property per row of the layout, plus the ladder and the conditions (c_1..c_K). */
export type CampaignArgs = { [F in Layout[number] as F["name"]]: FieldValue<F["type"]> } & {
  ladder: number[];
  conditions: number[];
};

/** Bytes taken by the fixed fields, before the ladder. */
export const CAMPAIGN_ARGS_HEAD_SIZE = CAMPAIGN_ARGS_LAYOUT.reduce((sum, field) => sum + field.bytes, 0);

/** Why a code is not a Bascule campaign's. */
export type CloneProblem =
  /** No code at the address (nothing deployed, or not yet). */
  | "no-code"
  /** The first 45 bytes are not the ERC-1167 proxy. */
  | "not-erc1167"
  /** A proxy, but to another contract than the factory's implementation. */
  | "other-implementation"
  /** The appended bytes do not have the length of a head plus whole ladder levels (1 to 64). */
  | "bad-arguments";

export type CampaignCodeReturnType =
  | {
      ok: true;
      /** The 45-byte ERC-1167 proxy, as found. */
      proxy: Hex;
      implementation: Address;
      /** The appended bytes. */
      args: Hex;
      parameters: CampaignArgs;
    }
  | { ok: false; problem: CloneProblem; implementation?: Address };

/**
 * Decodes appended campaign arguments (without the 45-byte proxy).
 * @example
 * const { organiser, ladder } = decodeCampaignArgs(args);
 */
export function decodeCampaignArgs(args: Hex): CampaignArgs {
  const length = size(args);
  const ladderBytes = length - CAMPAIGN_ARGS_HEAD_SIZE;
  const levels = ladderBytes / LADDER_LEVEL_BYTES;
  if (ladderBytes <= 0 || !Number.isInteger(levels) || levels > MAX_LEVELS) {
    throw new Error(
      `${length} bytes of arguments: expected ${CAMPAIGN_ARGS_HEAD_SIZE} + 4 × (1 to ${MAX_LEVELS} levels)`,
    );
  }
  const decoded: Record<string, unknown> = {};
  let at = 0;
  for (const field of CAMPAIGN_ARGS_LAYOUT) {
    const bytes = slice(args, at, at + field.bytes);
    decoded[field.name] =
      field.type === "address" ? getAddress(bytes) : field.type === "uint" ? hexToBigInt(bytes) : bytes;
    at += field.bytes;
  }
  const ladder: number[] = [];
  for (let i = 0; i < levels; i++)
    ladder.push(Number(hexToBigInt(slice(args, at + i * LADDER_LEVEL_BYTES, at + (i + 1) * LADDER_LEVEL_BYTES))));
  const head = decoded as Omit<CampaignArgs, "ladder" | "conditions">;
  const conditions = [head.condition1, head.condition2].filter((c) => c !== 0n).map(Number);
  return { ...head, ladder, conditions };
}

/**
 * Checks a campaign's runtime code: the exact 45-byte ERC-1167 proxy, to `expectedImplementation`
 * when given (the factory's `implementation()`), followed by well-formed parameters, decoded.
 * @example
 * const code = await client.getCode({ address: campaign });
 * const facts = decodeCampaignCode(code, implementation);
 * if (facts.ok) console.log(facts.parameters.ladder);
 */
export function decodeCampaignCode(code: Hex | undefined, expectedImplementation?: Address): CampaignCodeReturnType {
  if (!code || !isHex(code) || code === "0x") return { ok: false, problem: "no-code" };
  const lower = code.toLowerCase() as Hex;
  if (size(lower) < ERC1167_SIZE) return { ok: false, problem: "not-erc1167" };
  const proxy = slice(lower, 0, ERC1167_SIZE);
  if (!proxy.startsWith(ERC1167_PREFIX) || !proxy.endsWith(ERC1167_SUFFIX.slice(2)))
    return { ok: false, problem: "not-erc1167" };
  const implementation = getAddress(slice(proxy, 10, 30));
  if (expectedImplementation && implementation !== getAddress(expectedImplementation)) {
    return { ok: false, problem: "other-implementation", implementation };
  }
  const args = size(lower) > ERC1167_SIZE ? slice(lower, ERC1167_SIZE) : ("0x" as Hex);
  let parameters: CampaignArgs;
  try {
    parameters = decodeCampaignArgs(args);
  } catch {
    return { ok: false, problem: "bad-arguments", implementation };
  }
  return { ok: true, proxy, implementation, args, parameters };
}

/** The ERC-1167 proxy to `implementation` (what a campaign's first 45 bytes must be). */
export function erc1167Proxy(implementation: Address): Hex {
  return `${ERC1167_PREFIX}${implementation.slice(2).toLowerCase()}${ERC1167_SUFFIX.slice(2)}` as Hex;
}

/**
 * The fields where the decoded code and what the campaign's `parameters()` view returns differ
 * (none for an honest campaign: the view reads the very same bytes), and any field of the view
 * that the layout lacks (the layout is then out of date).
 * @example
 * const [params, organiser] = await client.readContract({ address, abi: campaignAbi, functionName: "parameters" });
 * const differ = differingParameters(facts.parameters, params, organiser); // []
 */
export function differingParameters(
  decoded: CampaignArgs,
  params: { readonly ladder: readonly number[] } & Record<string, unknown>,
  organiser: Address,
): string[] {
  const differ: string[] = [];
  const same = (a: unknown, b: unknown) =>
    typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;
  for (const field of CAMPAIGN_ARGS_LAYOUT) {
    // The view lists the conditions as one array, compared below.
    if (field.name === "condition1" || field.name === "condition2") continue;
    const expected = field.name === "organiser" ? organiser : params[field.name];
    if (!same(decoded[field.name], expected)) differ.push(field.name);
  }
  const conditions = (params.conditions ?? []) as readonly number[];
  if (
    decoded.conditions.length !== conditions.length ||
    decoded.conditions.some((c, i) => c !== Number(conditions[i]))
  ) {
    differ.push("conditions");
  }
  // A parameter the layout does not know means the layout above is out of date.
  const known = new Set<string>([...CAMPAIGN_ARGS_LAYOUT.map((f) => f.name), "ladder", "conditions"]);
  for (const key of Object.keys(params)) if (!known.has(key)) differ.push(key);
  if (
    decoded.ladder.length !== params.ladder.length ||
    decoded.ladder.some((level, i) => level !== Number(params.ladder[i]))
  ) {
    differ.push("ladder");
  }
  return differ;
}
