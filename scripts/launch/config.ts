/**
 * The launcher's one configuration file (`npm run serve -- --config bascule.config.json`): which
 * services run, on which ports, against which chain, with which settings. One TypeBox schema, checked
 * with TypeBox's Value (as the static release's config.json is, scripts/kit/release.ts, whose FR/EN
 * sentences it shares); then the checks a schema cannot say: every URL well formed, no two services
 * on one port, and no secret in the file.
 *
 * Secrets never go in the file (it is copied, committed, shown): the keys, tokens and the database
 * URL are read from the environment, or Hardhat's keystore with `--keystore` (`SECRETS` below, keystore.ts); a field named like a secret, or any
 * value that looks like a private key, is refused with the variable to use instead.
 */
import { readFileSync } from "node:fs";
import { type Static, Type } from "typebox";
import { Value } from "typebox/value";
import { describeSchemaError } from "../kit/release.js";

const Port = (fallback: number) => Type.Integer({ minimum: 0, maximum: 65535, default: fallback });
const Url = Type.String({ minLength: 1, maxLength: 2048 });
const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" });
const Decimal = Type.String({ pattern: "^[0-9]{1,78}$" });
const Strict = { additionalProperties: false } as const;

/** Each service's default port: distinct, so any subset runs on one machine as it is. */
export const DEFAULT_PORTS = {
  dapp: 5173,
  relayer: 8787,
  notifier: 8788,
  attester: 8789,
  keeper: 8790,
  federation: 8791,
  indexer: 42069,
  metrics: 9464,
} as const;

export const SERVICES = ["relayer", "keeper", "notifier", "attester", "indexer", "federation", "dapp"] as const;
export type ServiceName = (typeof SERVICES)[number];

export const LaunchConfigSchema = Type.Object(
  {
    chain: Type.Object(
      {
        rpcUrl: Type.Optional(Url),
        chainName: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
        factory: Type.Optional(Address),
        fromBlock: Type.Optional(Decimal),
      },
      Strict,
    ),
    publicUrl: Url,
    dataDir: Type.String({ minLength: 1, maxLength: 1024 }),
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    log: Type.Optional(
      Type.Object(
        {
          level: Type.Optional(Type.Union([Type.Literal("debug"), Type.Literal("info"), Type.Literal("warn")])),
          file: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
        },
        Strict,
      ),
    ),
    metrics: Type.Optional(Type.Object({ port: Type.Optional(Port(DEFAULT_PORTS.metrics)) }, Strict)),
    services: Type.Object(
      {
        relayer: Type.Optional(
          Type.Object(
            {
              port: Type.Optional(Port(DEFAULT_PORTS.relayer)),
              corsOrigins: Type.Optional(Type.Array(Url, { maxItems: 50 })),
              batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
              batchLatencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
              powBits: Type.Optional(Type.Integer({ minimum: 0, maximum: 40 })),
              claimFee: Type.Optional(Decimal),
              lowBalanceWei: Type.Optional(Decimal),
              trustProxy: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
              ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
              rateBurst: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
              replaceAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
              keyChanges: Type.Optional(Type.Integer({ minimum: 0 })),
              keyChangesHours: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
            },
            Strict,
          ),
        ),
        keeper: Type.Optional(
          Type.Object(
            {
              port: Type.Optional(Port(DEFAULT_PORTS.keeper)),
              pollMs: Type.Optional(Type.Integer({ minimum: 1 })),
              confirmations: Type.Optional(Type.Integer({ minimum: 1 })),
            },
            Strict,
          ),
        ),
        notifier: Type.Optional(
          Type.Object(
            {
              port: Type.Optional(Port(DEFAULT_PORTS.notifier)),
              publicUrl: Type.Optional(Url),
              vapidSubject: Type.Optional(Type.String({ pattern: "^(mailto:|https:)", maxLength: 320 })),
              pollMs: Type.Optional(Type.Integer({ minimum: 1 })),
              confirmations: Type.Optional(Type.Integer({ minimum: 0 })),
              timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
              pushHosts: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 255 }), { maxItems: 50 })),
            },
            Strict,
          ),
        ),
        attester: Type.Optional(Type.Object({ port: Type.Optional(Port(DEFAULT_PORTS.attester)) }, Strict)),
        indexer: Type.Optional(
          Type.Object(
            {
              port: Type.Optional(Port(DEFAULT_PORTS.indexer)),
              schema: Type.Optional(Type.String({ pattern: "^[a-z_][a-z0-9_]{0,62}$" })),
              getLogsRange: Type.Optional(Type.Integer({ minimum: 1 })),
            },
            Strict,
          ),
        ),
        federation: Type.Optional(
          Type.Object(
            {
              port: Type.Optional(Port(DEFAULT_PORTS.federation)),
              /** Where the fediverse reaches the service (https origin, the operator's domain): handles use its host. */
              publicUrl: Url,
              pollMs: Type.Optional(Type.Integer({ minimum: 1 })),
              confirmations: Type.Optional(Type.Integer({ minimum: 0 })),
              timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
              bodyLimit: Type.Optional(Type.Integer({ minimum: 1024, maximum: 1_048_576 })),
              maxFollowers: Type.Optional(Type.Integer({ minimum: 1 })),
              trustProxy: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
              /**
               * Local demo only: lift the guards against loopback and private addresses, so a second
               * instance on this machine can follow. Refused at launch on any chain but the local one.
               */
              allowPrivateAddress: Type.Optional(Type.Boolean()),
            },
            Strict,
          ),
        ),
        dapp: Type.Optional(
          Type.Object(
            {
              port: Type.Optional(Port(DEFAULT_PORTS.dapp)),
              dist: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
              listMinPledges: Type.Optional(Type.Integer({ minimum: 0 })),
              walletConnectProjectId: Type.Optional(Type.String({ pattern: "^[0-9a-zA-Z]{0,64}$" })),
            },
            Strict,
          ),
        ),
      },
      Strict,
    ),
  },
  Strict,
);

export type LaunchConfig = Static<typeof LaunchConfigSchema>;

/** The secrets, each read from its environment variable only. */
export const SECRETS = {
  RELAYER_PRIVATE_KEY: "the relayer's gas account key / la clé du compte de gaz du relais",
  KEEPER_PRIVATE_KEY: "the keeper's key / la clé du gardien",
  ATTESTER_TOKEN: "the organiser's token of the attester / le jeton d’organisation de l’attestateur",
  ATTESTER_DESK_TOKEN: "the payout desk clerks' token / le jeton des guichets",
  DATABASE_URL: "the indexer's Postgres URL, with its password / l’URL Postgres de l’indexeur, avec son mot de passe",
  RPC_URL: "an RPC URL carrying a provider's API key (wins over chain.rpcUrl) / une URL RPC contenant une clé d’API",
} as const;

/** Field names that say "secret": refused wherever they appear, with the variable to use. */
const SECRET_NAME = /(private.?key|secret|token|password|passwd|mnemonic|seed.?phrase|database.?url|api.?key)/i;
const PRIVATE_KEY_VALUE = /^(0x)?[0-9a-fA-F]{64}$/;

function secretVariable(name: string): string {
  if (/database/i.test(name)) return "DATABASE_URL";
  if (/desk/i.test(name)) return "ATTESTER_DESK_TOKEN";
  if (/token/i.test(name)) return "ATTESTER_TOKEN";
  if (/keeper/i.test(name)) return "KEEPER_PRIVATE_KEY";
  return "RELAYER_PRIVATE_KEY";
}

export interface Problem {
  field: string;
  en: string;
  fr: string;
}

/** The file is not valid: every problem, each naming its field, in English and in French. */
export class LaunchConfigError extends Error {
  constructor(
    readonly problems: Problem[],
    file = "bascule.config.json",
  ) {
    super(
      [
        `${file} is not valid / ${file} n’est pas valide :`,
        ...problems.map((p) => `  ${p.field}: ${p.en} / ${p.fr}`),
      ].join("\n"),
    );
    this.name = "LaunchConfigError";
  }
}

/** Every secret-looking field or value under `value`, as problems (walks the raw JSON, before the schema). */
function secretsIn(value: unknown, at: string, out: Problem[]): void {
  if (typeof value === "string") {
    if (PRIVATE_KEY_VALUE.test(value.trim()))
      out.push({
        field: at || "(file)",
        en: "looks like a private key: a key never goes in the file; set RELAYER_PRIVATE_KEY or KEEPER_PRIVATE_KEY in the environment",
        fr: "ressemble à une clé privée : une clé ne va jamais dans le fichier ; indiquez RELAYER_PRIVATE_KEY ou KEEPER_PRIVATE_KEY dans l’environnement",
      });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => secretsIn(v, `${at}[${i}]`, out));
    return;
  }
  if (value && typeof value === "object") {
    for (const [name, v] of Object.entries(value)) {
      const field = at ? `${at}.${name}` : name;
      if (SECRET_NAME.test(name)) {
        const variable = secretVariable(name);
        out.push({
          field,
          en: `is a secret: secrets never go in the file; set ${variable} in the environment`,
          fr: `est un secret : un secret ne va jamais dans le fichier ; indiquez ${variable} dans l’environnement`,
        });
        continue;
      }
      secretsIn(v, field, out);
    }
  }
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** An absolute http(s) URL without credentials; plain http only to this machine unless `httpAnywhere`. */
function urlProblem(field: string, value: string, options: { httpAnywhere?: boolean; origin?: boolean } = {}) {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { field, en: `"${value}" is not a URL`, fr: `« ${value} » n’est pas une URL` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { field, en: `"${value}" must be http or https`, fr: `« ${value} » doit être en http ou https` };
  if (url.username || url.password)
    return {
      field,
      en: "must not carry a user name or password (secrets go in the environment)",
      fr: "ne doit pas contenir d’identifiant ni de mot de passe (les secrets vont dans l’environnement)",
    };
  if (url.protocol === "http:" && !options.httpAnywhere && !LOOPBACK.has(url.hostname))
    return {
      field,
      en: `"${value}" must be https (plain http only to localhost)`,
      fr: `« ${value} » doit être en https (http seulement vers localhost)`,
    };
  if (options.origin && url.origin !== value.replace(/\/$/, ""))
    return {
      field,
      en: `"${value}" must be an origin (scheme, host and port, no path)`,
      fr: `« ${value} » doit être une origine (schéma, hôte et port, sans chemin)`,
    };
  return null;
}

/** Which port each chosen service listens on (0: any free port, never a clash). */
export function portsOf(config: LaunchConfig): [string, number][] {
  const out: [string, number][] = [];
  for (const name of SERVICES) {
    const service = config.services[name] as { port?: number } | undefined;
    if (service) out.push([`services.${name}.port`, service.port ?? DEFAULT_PORTS[name]]);
  }
  out.push(["metrics.port", config.metrics?.port ?? DEFAULT_PORTS.metrics]);
  return out;
}

/**
 * Checks a parsed config file; returns it typed, or throws LaunchConfigError listing every problem.
 * `env` is where RPC_URL may come from instead of chain.rpcUrl.
 * @example checkLaunchConfig(JSON.parse(readFileSync("bascule.config.json", "utf8")))
 */
export function checkLaunchConfig(
  input: unknown,
  options: { file?: string; env?: Record<string, string | undefined> } = {},
): LaunchConfig {
  const file = options.file ?? "bascule.config.json";
  const env = options.env ?? process.env;
  const problems: Problem[] = [];
  secretsIn(input, "", problems);
  if (problems.length > 0) throw new LaunchConfigError(problems, file);
  for (const error of Value.Errors(LaunchConfigSchema, input)) {
    const problem = describeSchemaError(error as never, file);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new LaunchConfigError(problems, file);
  const config = input as LaunchConfig;

  const rpcUrl = env.RPC_URL || config.chain.rpcUrl;
  if (!rpcUrl)
    problems.push({
      field: "chain.rpcUrl",
      en: "is missing (or set RPC_URL in the environment)",
      fr: "manque (ou indiquez RPC_URL dans l’environnement)",
    });
  else {
    // An RPC endpoint may be plain http on a private network (one's own node); a credential never.
    const p = urlProblem(env.RPC_URL ? "RPC_URL" : "chain.rpcUrl", rpcUrl, { httpAnywhere: true });
    if (p) problems.push(p);
  }
  const urls: [string, string | undefined][] = [
    ["publicUrl", config.publicUrl],
    ["services.notifier.publicUrl", config.services.notifier?.publicUrl],
  ];
  for (const [field, value] of urls) {
    const p = value === undefined ? null : urlProblem(field, value);
    if (p) problems.push(p);
  }
  // The actors' ids use the origin only: a path would be silently dropped, so it is refused. Plain
  // http only to localhost here, and only on the local chain at launch (launcher.ts).
  const federationUrl = config.services.federation?.publicUrl;
  if (federationUrl !== undefined) {
    const p = urlProblem("services.federation.publicUrl", federationUrl, { origin: true });
    if (p) problems.push(p);
  }
  config.services.relayer?.corsOrigins?.forEach((origin, i) => {
    const p = urlProblem(`services.relayer.corsOrigins[${i}]`, origin, { origin: true });
    if (p) problems.push(p);
  });
  if (!SERVICES.some((name) => config.services[name]))
    problems.push({
      field: "services",
      en: "names no service: add at least one of relayer, keeper, notifier, attester, indexer, federation, dapp",
      fr: "ne nomme aucun service : ajoutez au moins l’un de relayer, keeper, notifier, attester, indexer, federation, dapp",
    });

  const byPort = new Map<number, string>();
  for (const [field, port] of portsOf(config)) {
    if (port === 0) continue;
    const other = byPort.get(port);
    if (other)
      problems.push({
        field,
        en: `port ${port} is already ${other}'s: give each service its own port`,
        fr: `le port ${port} est déjà celui de ${other} : donnez à chaque service son propre port`,
      });
    else byPort.set(port, field);
  }
  if (problems.length > 0) throw new LaunchConfigError(problems, file);
  return config;
}

/** Reads and checks a config file; a JSON syntax error is a LaunchConfigError too. */
export function readLaunchConfig(file: string, env: Record<string, string | undefined> = process.env): LaunchConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new LaunchConfigError(
      [
        {
          field: "(file)",
          en: `cannot be read (${(error as Error).message})`,
          fr: `illisible (${(error as Error).message})`,
        },
      ],
      file,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LaunchConfigError(
      [
        {
          field: "(file)",
          en: `is not JSON (${(error as Error).message})`,
          fr: `n’est pas du JSON (${(error as Error).message})`,
        },
      ],
      file,
    );
  }
  return checkLaunchConfig(parsed, { file, env });
}
