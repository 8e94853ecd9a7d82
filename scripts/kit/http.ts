/**
 * What every service's HTTP side shares, as one Fastify plugin (fastify/demo's shape): one
 * `setErrorHandler` (every refusal a coded ServiceError with its FR/EN message; a schema failure,
 * bad JSON or any other 4xx stays a 4xx, only the service's own fault is a 5xx), the not-found
 * answer, CORS, `GET /health`, and the OpenAPI description at `GET /v1/openapi.json` from which
 * packages/core/src/generated/<service>-api.ts is generated (scripts/tools/gen-api.ts).
 *
 * `serviceApp` makes the Fastify instance itself, with the TypeBox type provider and the same strict
 * Ajv in every service: no coercion of "5" into 5, an unknown property is refused where the schema
 * says so, never silently dropped. Routes write their schemas with `Type` from "typebox".
 */
import cors from "@fastify/cors";
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from "fastify";
import fp from "fastify-plugin";
import { Type } from "typebox";
import { type ServiceErrorTable, ServiceError, httpErrorCode } from "./errors.js";

/** A Fastify app whose routes are typed from their TypeBox schemas. */
export type ServiceApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The schema of every refusal body, for the routes' `response` (and so for the generated types). */
export const RefusalSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({
        description: "Stable code, listed in the service's errors.ts (the relayer's also at GET /v1/errors).",
      }),
      message: Type.Object({ en: Type.String(), fr: Type.String() }),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { description: "A refusal: a stable code and a message in English and French." },
);

/**
 * A route's refusals for its `response` schema.
 * @example app.post("/v1/x", { schema: { body, response: { 201: Created, ...refusals(400, 409) } } }, handler);
 */
export function refusals(...statuses: number[]): Record<number, typeof RefusalSchema> {
  return Object.fromEntries(statuses.map((status) => [status, RefusalSchema]));
}

export interface CorsOptions {
  /** Origins allowed; "*" allows any. Empty: no CORS headers at all (same-origin use only). */
  origins: readonly string[];
  methods: string[];
  allowedHeaders?: string[];
  /**
   * Refuse a request from any other origin with 403 ORIGIN_NOT_ALLOWED instead of only withholding
   * the CORS headers (the relayer: it spends gas for the sites it serves).
   */
  refuseOthers?: boolean;
}

export interface ServicePluginOptions<Table extends ServiceErrorTable = ServiceErrorTable> {
  /** The service's error table (HTTP_ERRORS spread in). */
  errors: Table;
  cors?: CorsOptions;
  /** The OpenAPI description's title and text; the routes' schemas give the rest. */
  openapi: { title: string; description: string };
  /**
   * The service's own code for an unexpected error (a 5xx), e.g. CHAIN_UNAVAILABLE when the chain is
   * unreachable; INTERNAL_ERROR when absent or when it returns undefined.
   */
  internalCode?: (error: unknown) => keyof Table | undefined;
  /** Where an unexpected error is written (its message only: never a request body). */
  log: (line: string) => void;
  /**
   * The service's readiness (chain reachable, store open, caught up): `GET /ready` answers 200 when
   * every check holds, 503 otherwise, with each check. Absent: no /ready route.
   */
  ready?: () => Promise<Readiness>;
}

/** What `GET /ready` answers: each check by name, true when it holds or a short reason when not. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, true | string>;
}

/**
 * Runs named checks, each given `timeoutMs` (a chain that does not answer is not ready): a check
 * resolves true, or a string saying why not; a throw or a timeout is its message.
 * @example await readiness({ chain: async () => (await client.getBlockNumber(), true) })
 */
export async function readiness(
  checks: Record<string, () => Promise<true | string> | true | string>,
  timeoutMs = 3_000,
): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, true | string]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`no answer in ${timeoutMs} ms`), timeoutMs);
      });
      try {
        return [name, await Promise.race([Promise.resolve().then(check), timeout])];
      } catch (error) {
        return [name, (error instanceof Error ? error.message : String(error)).split("\n")[0].slice(0, 200)];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const result = Object.fromEntries(entries);
  return { ready: entries.every(([, v]) => v === true), checks: result };
}

/**
 * Turns anything thrown in a route into a coded refusal.
 * @example toServiceError(new Error("boom"), RELAYER_ERRORS, console.log) // INTERNAL_ERROR, logged
 */
export function toServiceError<Table extends ServiceErrorTable>(
  error: unknown,
  table: Table,
  log: (line: string) => void,
  internalCode?: (error: unknown) => keyof Table | undefined,
): ServiceError {
  if (error instanceof ServiceError) return error;
  const http = httpErrorCode(error);
  if (http) return new ServiceError(http.code, table[http.code], http.details);
  const message = error instanceof Error ? error.message : String(error);
  log(`error: ${message.slice(0, 300)}`);
  const code = (internalCode?.(error) ?? "INTERNAL_ERROR") as string;
  return new ServiceError(code, table[code]);
}

/** Sends a refusal as JSON with its status. */
export function sendError(reply: FastifyReply, error: ServiceError): FastifyReply {
  return reply.code(error.status).type("application/json; charset=utf-8").send(error.toBody());
}

const plugin: FastifyPluginAsync<ServicePluginOptions> = async (app, options) => {
  const { errors, log } = options;
  app.setErrorHandler((error, _request, reply) =>
    sendError(reply, toServiceError(error, errors, log, options.internalCode)),
  );
  app.setNotFoundHandler((_request, reply) => sendError(reply, new ServiceError("NOT_FOUND", errors.NOT_FOUND)));

  const corsOptions = options.cors;
  if (corsOptions && (corsOptions.origins.length > 0 || corsOptions.refuseOthers)) {
    const allowAny = corsOptions.origins.includes("*");
    await app.register(cors, {
      origin: (origin, cb) => {
        if (!origin) return cb(null, false);
        if (allowAny || corsOptions.origins.includes(origin)) return cb(null, allowAny ? "*" : origin);
        if (corsOptions.refuseOthers)
          return cb(new ServiceError("ORIGIN_NOT_ALLOWED", errors.ORIGIN_NOT_ALLOWED), false);
        cb(null, false);
      },
      methods: corsOptions.methods,
      allowedHeaders: corsOptions.allowedHeaders ?? ["content-type"],
      maxAge: 600,
    });
  }

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: options.openapi.title, version: "1", description: options.openapi.description },
    },
  });
  app.get("/health", { schema: { hide: true } }, async () => ({ ok: true }));
  const ready = options.ready;
  if (ready)
    app.get("/ready", { schema: { hide: true } }, async (_request, reply) => {
      const answer = await ready();
      return reply
        .code(answer.ready ? 200 : 503)
        .header("cache-control", "no-store")
        .send(answer);
    });
  app.get("/v1/openapi.json", { schema: { hide: true } }, async () => app.swagger());
};

/** The plugin itself, for an app made elsewhere: `await app.register(servicePlugin, options)`. */
export const servicePlugin = fp(plugin, { name: "bascule-service", fastify: "5.x" });

export interface ServiceAppOptions extends ServicePluginOptions {
  bodyLimit: number;
  trustProxy?: boolean | string | string[];
  /** Fastify's own timeouts and the like (the relayer's, facing the public). */
  fastify?: {
    keepAliveTimeout?: number;
    requestTimeout?: number;
    connectionTimeout?: number;
    return503OnClosing?: boolean;
  };
}

/**
 * A service's Fastify app, not listening yet (`app.listen`, or `app.inject` in a test), with the
 * service plugin registered and JSON as the only body type.
 * @example
 * const app = await serviceApp({ errors: ERRORS, bodyLimit: 4096, log: console.log,
 *   cors: { origins: ["http://localhost:5173"], methods: ["GET", "POST"] },
 *   openapi: { title: "Bascule notifier", description: "…" } });
 * app.get("/v1/thing", { schema: { response: { 200: Thing } } }, async () => thing);
 */
export async function serviceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const app = Fastify({
    // No request logging: a log line would be one more place a key, a code or an IP could stay.
    logger: false,
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy ?? false,
    ...options.fastify,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // JSON only: a text/plain body is refused with 415, not parsed as a string.
  app.removeContentTypeParser("text/plain");
  await app.register(servicePlugin, options);
  return app;
}

/** The OpenAPI document of an app (its routes' schemas), as served at GET /v1/openapi.json. */
export async function openapiOf(app: FastifyInstance): Promise<Record<string, unknown>> {
  await app.ready();
  const doc = app.swagger() as unknown as Record<string, unknown>;
  await app.close();
  return doc;
}
