/**
 * The dApp as a static release: a `config.json` naming its endpoints, checked by a schema with
 * FR/EN errors; a Content-Security-Policy whose `connect-src` follows those endpoints; and the
 * content identifier (CIDv1, UnixFS, as `ipfs add --cid-version 1` computes it) of the built
 * directory, computed offline with ipfs-unixfs-importer, the importer Helia and the IPFS JS tools
 * use (rather than a hand-written dag-pb encoder: the CID must be the one a gateway serves).
 *
 * A release built from the same commit and the same config.json has the same CID (tested), so
 * anyone can rebuild it and check what a gateway or a union's server serves.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { MemoryBlockstore } from "blockstore-core/memory";
import { importer, type ImportCandidate } from "ipfs-unixfs-importer";
import { connectSourceAllowed } from "@bascule/core/csp";
import { type Static, Type } from "typebox";
import { Value } from "typebox/value";

/** An endpoint: relative to the page (`./rpc`, served by the same origin) or an absolute https URL. */
const Endpoint = Type.String({ maxLength: 2048 });

/** The schema of the dApp's config.json (frontend/src/lib/config.ts, AppConfig). */
export const AppConfigSchema = Type.Object(
  {
    chainId: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }),
    chainName: Type.String({ minLength: 1, maxLength: 80 }),
    rpcUrl: Type.String({ minLength: 1, maxLength: 2048 }),
    factory: Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" }),
    fromBlock: Type.String({ pattern: "^[0-9]{1,20}$" }),
    relayerUrl: Endpoint,
    /** More relayers, asked in order when the one before cannot be reached. */
    relayerUrls: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { maxItems: 8 })),
    indexerUrl: Type.Optional(Endpoint),
    notifierUrl: Type.Optional(Endpoint),
    /** The union's attester service, offered on the create page for a union campaign. */
    attesterUrl: Type.Optional(Endpoint),
    /** The keeper's account, named as participation oracle when the check-in list goes through the relayer. */
    keeperAddress: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" })),
    listMinPledges: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
    /** The federation service's host (name[:port]): the campaign page shows @campaign-0x…@<host>. */
    federationHost: Type.Optional(
      Type.String({ pattern: "^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?(:[0-9]{1,5})?$" }),
    ),
    walletConnectProjectId: Type.Optional(Type.String({ pattern: "^[0-9a-zA-Z]{0,64}$" })),
  },
  { additionalProperties: false },
);

export type AppConfigFile = Static<typeof AppConfigSchema>;

/** The config is not valid: every problem, each naming its field, in English and in French. */
export class ReleaseConfigError extends Error {
  constructor(readonly problems: { field: string; en: string; fr: string }[]) {
    super(
      [
        "config.json is not valid / config.json n’est pas valide :",
        ...problems.map((p) => `  ${p.field}: ${p.en} / ${p.fr}`),
      ].join("\n"),
    );
    this.name = "ReleaseConfigError";
  }
}

type Problem = ReleaseConfigError["problems"][number];

/**
 * One error of a TypeBox schema (`Value.Errors`) as a sentence in each language; `file` names the
 * file in "is not a field of …". Shared with the launcher's config (scripts/launch/config.ts).
 */
export function describeSchemaError(
  error: { keyword: string; instancePath: string; params: Record<string, unknown> },
  file = "config.json",
): Problem | null {
  const field = error.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(config)";
  const p = error.params;
  switch (error.keyword) {
    case "required":
      return {
        field: String((p.requiredProperties as string[] | undefined)?.join(", ") ?? p.missingProperty ?? field),
        en: "is missing",
        fr: "manque",
      };
    case "additionalProperties":
      return null; // each unknown field gets its own "boolean" error below
    case "boolean":
      return {
        field,
        en: `is not a field of ${file} (misspelt?)`,
        fr: `n’est pas un champ de ${file} (faute de frappe ?)`,
      };
    case "type":
      return { field, en: `must be of type ${String(p.type)}`, fr: `doit être de type ${String(p.type)}` };
    case "minimum":
    case "maximum":
      return {
        field,
        en: `must be ${error.keyword === "minimum" ? "at least" : "at most"} ${String(p.limit)}`,
        fr: `doit valoir ${error.keyword === "minimum" ? "au moins" : "au plus"} ${String(p.limit)}`,
      };
    case "minLength":
      return { field, en: "must not be empty", fr: "ne doit pas être vide" };
    case "maxLength":
      return {
        field,
        en: `must be at most ${String(p.limit)} characters`,
        fr: `doit faire au plus ${String(p.limit)} caractères`,
      };
    case "maxItems":
      return { field, en: `must list at most ${String(p.limit)}`, fr: `doit en donner au plus ${String(p.limit)}` };
    case "pattern":
      return { field, en: "does not have the expected form", fr: "n’a pas la forme attendue" };
    default:
      return { field, en: `is not valid (${error.keyword})`, fr: `n’est pas valide (${error.keyword})` };
  }
}

/**
 * Where an endpoint points: `self` for a path relative to the page, or the origin of an absolute
 * URL. Absolute URLs must be https (plain http only to this machine, for tests); a path starting
 * with `/` is refused, because under a gateway's `/ipfs/<cid>/` it would leave the release.
 */
function endpointOrigin(field: string, value: string): { origin: string } | Problem {
  if (value === "") return { origin: "'self'" };
  if (value.startsWith("./") || value.startsWith("../")) return { origin: "'self'" };
  if (value.startsWith("/"))
    return {
      field,
      en: `"${value}" starts with "/": write "./${value.replace(/^\/+/, "")}" so it works under a sub-path or a gateway`,
      fr: `« ${value} » commence par « / » : écrivez « ./${value.replace(/^\/+/, "")} » pour qu’il marche sous un sous-chemin ou une passerelle`,
    };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { field, en: `"${value}" is not a URL`, fr: `« ${value} » n’est pas une URL` };
  }
  if (url.username || url.password)
    return {
      field,
      en: "must not carry a user name or password",
      fr: "ne doit pas contenir d’identifiant ni de mot de passe",
    };
  if (connectSourceAllowed(url.origin)) return { origin: url.origin };
  return {
    field,
    en: `"${value}" must be https (plain http only to localhost)`,
    fr: `« ${value} » doit être en https (http seulement vers localhost)`,
  };
}

/**
 * Checks a config.json for a release and returns it with the `connect-src` sources its endpoints
 * need. Throws ReleaseConfigError listing every problem.
 * @example checkReleaseConfig({ ...config, rpcUrl: "https://rpc.example" }).connectSrc // ["'self'", "https://rpc.example"]
 */
export function checkReleaseConfig(input: unknown): { config: AppConfigFile; connectSrc: string[] } {
  const problems: Problem[] = [];
  for (const error of Value.Errors(AppConfigSchema, input)) {
    const problem = describeSchemaError(error as never);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new ReleaseConfigError(problems);
  const config = input as AppConfigFile;
  const sources = new Set<string>(["'self'"]);
  const endpoints: [string, string | undefined][] = [
    ["rpcUrl", config.rpcUrl],
    ["relayerUrl", config.relayerUrl],
    ["indexerUrl", config.indexerUrl],
    ["notifierUrl", config.notifierUrl],
    ["attesterUrl", config.attesterUrl],
    ...(config.relayerUrls ?? []).map((url, i): [string, string] => [`relayerUrls.${i}`, url]),
  ];
  for (const [field, value] of endpoints) {
    // An empty rpcUrl was refused by the schema (minLength); an empty service URL means "none".
    if (value === undefined) continue;
    const result = endpointOrigin(field, value);
    if ("origin" in result) sources.add(result.origin);
    else problems.push(result);
  }
  if (problems.length > 0) throw new ReleaseConfigError(problems);
  return { config, connectSrc: [...sources] };
}

/** Every file under `dir`, as paths relative to it with `/` separators, sorted. */
async function filesUnder(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesUnder(dir, relative)));
    else if (entry.isFile()) out.push(relative);
    else throw new Error(`${relative}: not a file or a directory (a link?): a release holds files only`);
  }
  return out.sort();
}

/**
 * The CIDv1 of a directory as `ipfs add -r --cid-version 1` gives it (raw leaves, 256 KiB chunks,
 * balanced DAG; no modes or times, so the CID depends on names and bytes only).
 * @example await directoryCid("frontend/dist-static") // "bafybei…"
 */
export async function directoryCid(dir: string): Promise<string> {
  const files = await filesUnder(dir);
  const name = "release";
  const source: ImportCandidate[] = await Promise.all(
    files.map(async (f) => ({ path: `${name}/${f}`, content: await readFile(path.join(dir, f)) })),
  );
  let root: string | undefined;
  for await (const entry of importer(source, new MemoryBlockstore(), { cidVersion: 1, rawLeaves: true })) {
    if (entry.path === name) root = entry.cid.toString();
  }
  if (root === undefined) throw new Error(`${dir}: no files`);
  return root;
}
