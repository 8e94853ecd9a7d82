/**
 * Every service's configuration read the same way: one TypeBox schema of its environment variables
 * (types, defaults, ranges), checked by env-schema (Ajv, as Fastify's own @fastify/env does), with
 * command-line flags of the same meaning winning over the environment (`--rpc-url` over RPC_URL).
 */
import { parseArgs } from "node:util";
import envSchema from "env-schema";
import { type Static, type TObject, Type } from "typebox";

/** A comma-separated list in one variable ("a, b,c" → ["a", "b", "c"]). */
export const List = (options: { default?: string; description?: string } = {}) =>
  Type.Unsafe<string[]>({ type: "string", separator: ",", ...options });

/** A uint as a decimal string (read with BigInt where it is used). */
export const Decimal = (options: { default?: string; description?: string } = {}) =>
  Type.String({ pattern: "^[0-9]+$", ...options });

/** An address, 0x and 40 hex digits. */
export const Address = (options: { description?: string } = {}) =>
  Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", ...options });

/** A private key, 0x and 64 hex digits. */
export const PrivateKey = (options: { description?: string } = {}) =>
  Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", ...options });

/** The configuration is not valid: the message says which variable, in English and French. */
export class ConfigError extends Error {
  constructor(detail: string) {
    super(`Invalid configuration: ${detail} / Configuration invalide : ${detail}`);
    this.name = "ConfigError";
  }
}

export interface ReadConfigOptions<Schema extends TObject> {
  /** Flag name → the variable it sets (`{ "rpc-url": "RPC_URL" }`); a boolean variable makes a boolean flag. */
  flags?: Record<string, keyof Static<Schema> & string>;
  /** Default process.argv.slice(2). */
  args?: string[];
  /** Default process.env. */
  env?: Record<string, string | undefined>;
}

/**
 * Reads a service's configuration: flags over the environment, checked and given its defaults by
 * the schema. Throws ConfigError naming the first wrong variable.
 * @example
 * const config = readConfig(Type.Object({ PORT: Type.Integer({ default: 8787 }) }), { flags: { port: "PORT" } });
 */
export function readConfig<Schema extends TObject>(
  schema: Schema,
  options: ReadConfigOptions<Schema> = {},
): Static<Schema> {
  const flags = options.flags ?? {};
  const properties = schema.properties as Record<string, { type?: unknown }>;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: options.args ?? process.argv.slice(2),
      options: Object.fromEntries(
        Object.entries(flags).map(([flag, variable]) => [
          flag,
          { type: properties[variable]?.type === "boolean" ? "boolean" : "string" } as const,
        ]),
      ),
    }));
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const fromFlags = Object.fromEntries(
    Object.entries(flags)
      .filter(([flag]) => values[flag] !== undefined)
      .map(([flag, variable]) => [variable, values[flag]]),
  );
  // An empty variable (`FACTORY=`) counts as unset, as the services always read it.
  const env = Object.fromEntries(
    Object.entries(options.env ?? process.env).filter(([, v]) => v !== undefined && v !== ""),
  );
  try {
    // A copy: env-schema closes the schema (additionalProperties: false) in place.
    return envSchema({
      schema: structuredClone(schema) as object,
      env: false,
      dotenv: false,
      data: [env, fromFlags],
    }) as Static<Schema>;
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/** readConfig for a main.ts: prints what is wrong and exits 1 instead of throwing. */
export function loadConfig<Schema extends TObject>(
  schema: Schema,
  options: ReadConfigOptions<Schema> = {},
): Static<Schema> {
  try {
    return readConfig(schema, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
