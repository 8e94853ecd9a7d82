/**
 * The three facts a sceptic checks about one campaign's code (docs/verify.md), read from any
 * client: the implementation the factory clones (and the metadata solc appended to it), the 45-byte
 * ERC-1167 proxy and the factory's own record of the campaign, and the parameters decoded from the
 * bytes after the proxy, held against what `parameters()` returns. Shared by the dApp's verify page
 * and `npm run verify:campaign-code` (which also compares the implementation with the build).
 */
import { decode } from "cbor2/decoder";
import { type Address, type Hex, type PublicClient, bytesToHex, hexToBytes, isHex } from "viem";
import { type CampaignCodeReturnType, ERC1167_SIZE, decodeCampaignCode, differingParameters } from "./clone.ts";
import { campaignAbi, campaignFactoryAbi } from "./generated/abis.ts";

/**
 * The metadata solc appends to a contract's runtime code, decoded: a CBOR map whose keys say where
 * the metadata file is (`ipfs`, or `bzzr0`/`bzzr1` on old builds) and which compiler built it.
 */
export interface SolcMetadata {
  /** The CBOR bytes, as found (what explorers and `npm run verify:bytecode` print). */
  cbor: Hex;
  /** The metadata file's IPFS multihash (0x1220…). */
  ipfs?: Hex;
  bzzr0?: Hex;
  bzzr1?: Hex;
  /** The compiler's version ("0.8.37"; a full version string on pre-release builds). */
  solc?: string;
  /** Built with experimental features. */
  experimental?: boolean;
}

/**
 * Reads solc's metadata from the end of runtime code: the last two bytes give the CBOR section's
 * length, and the section must decode as solc's map. `null` when the code carries none.
 * @example
 * decodeMetadata(await client.getCode({ address: implementation }))?.solc // "0.8.37"
 */
export function decodeMetadata(code: Hex | undefined): SolcMetadata | null {
  if (!code || !isHex(code)) return null;
  const bytes = hexToBytes(code);
  if (bytes.length < 2) return null;
  const length = (bytes[bytes.length - 2] << 8) | bytes[bytes.length - 1];
  if (length === 0 || length + 2 > bytes.length) return null;
  const cbor = bytes.subarray(bytes.length - 2 - length, bytes.length - 2);
  let map: unknown;
  try {
    map = decode(cbor);
  } catch {
    return null;
  }
  if (typeof map !== "object" || map === null || Array.isArray(map) || map instanceof Uint8Array) return null;
  const m = map as Record<string, unknown>;
  const out: SolcMetadata = { cbor: bytesToHex(cbor) };
  for (const name of ["ipfs", "bzzr0", "bzzr1"] as const)
    if (m[name] instanceof Uint8Array) out[name] = bytesToHex(m[name]);
  if (m.solc instanceof Uint8Array && m.solc.length === 3) out.solc = `${m.solc[0]}.${m.solc[1]}.${m.solc[2]}`;
  else if (typeof m.solc === "string") out.solc = m.solc;
  if (typeof m.experimental === "boolean") out.experimental = m.experimental;
  return out;
}

/**
 * The CBOR metadata section solc appends (its length is in the last two bytes), or null.
 * @example metadataOf(artifact.deployedBytecode) // "0xa2646970667358221220…64736f6c6343000825"
 */
export function metadataOf(code: Hex): Hex | null {
  return decodeMetadata(code)?.cbor ?? null;
}

export interface ReadCodeFactsParameters {
  factory: Address;
  campaign: Address;
  /**
   * The implementation the proxy must delegate to. Default: the factory's `implementation()`.
   * `null`: none is known (the factory has none): the proxy's target is named, not checked.
   */
  implementation?: Address | null;
}

export interface ReadCodeFactsReturnType {
  campaign: Address;
  factory: Address;
  /** The implementation the proxy was held against (null: none known). */
  implementation: Address | null;
  /** The metadata at the end of the implementation's code. */
  implementationMetadata: SolcMetadata | null;
  /** Facts 2 and 3 as decoded from the campaign's code (clone.ts). */
  code: CampaignCodeReturnType;
  /** The campaign's code size in bytes, and the bytes after the 45-byte proxy. */
  codeSize: number;
  argsSize: number;
  /** The factory's `isCampaign` record (false when the factory cannot answer). */
  listedByFactory: boolean;
  /**
   * The fields where the decoded parameters and `parameters()` differ (none for an honest
   * campaign; none either when the code is not a sound proxy, nothing being decoded).
   */
  differing: string[];
}

/**
 * Reads what the three facts need: the campaign's code, the factory's implementation and record,
 * the implementation's metadata, and `parameters()` to hold the decoded bytes against.
 * @example
 * const facts = await readCodeFacts(client, { factory, campaign });
 * const honest = facts.code.ok && facts.listedByFactory && facts.differing.length === 0;
 */
export async function readCodeFacts(
  client: Pick<PublicClient, "getCode" | "readContract">,
  { factory, campaign, implementation: given }: ReadCodeFactsParameters,
): Promise<ReadCodeFactsReturnType> {
  const [code, implementation, listedByFactory] = await Promise.all([
    client.getCode({ address: campaign }),
    given === undefined
      ? client.readContract({ address: factory, abi: campaignFactoryAbi, functionName: "implementation" })
      : given,
    client
      .readContract({ address: factory, abi: campaignFactoryAbi, functionName: "isCampaign", args: [campaign] })
      .catch(() => false),
  ]);
  const implementationCode = implementation ? await client.getCode({ address: implementation }) : undefined;
  const decoded = decodeCampaignCode(code, implementation ?? undefined);
  const codeSize = code ? (code.length - 2) / 2 : 0;
  let differing: string[] = [];
  if (decoded.ok) {
    try {
      const [params, organiser] = await client.readContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "parameters",
      });
      differing = differingParameters(
        decoded.parameters,
        params as unknown as Parameters<typeof differingParameters>[1],
        organiser,
      );
    } catch {
      differing = ["parameters() reverted"];
    }
  }
  return {
    campaign,
    factory,
    implementation,
    implementationMetadata: decodeMetadata(implementationCode),
    code: decoded,
    codeSize,
    argsSize: Math.max(0, codeSize - ERC1167_SIZE),
    listedByFactory,
    differing,
  };
}
