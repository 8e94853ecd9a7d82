/**
 * The attester's HTTP API (Fastify, schemas in TypeBox: Fastify validates every body before a
 * handler runs). Operator guide: docs/attester.md.
 *
 * Public (the member's browser):
 *   GET  /health
 *   GET  /keys/:keyId                        the campaign's public key (modulus, exponent)
 *   POST /keys/:keyId/vouchers {code, blinded} → {blindSignature}   once per invite code
 * Organiser (Authorization: Bearer <token printed at start>):
 *   GET  /keys                               every key with its counts
 *   POST /keys {label}                       a new campaign key → {keyId, modulus, exponent}
 *   POST /keys/:keyId/codes {count}          a batch of invite codes, shown once → {batch, codes}
 *   GET  /keys/:keyId/codes                  counts issued / redeemed / revoked, per batch
 *   POST /keys/:keyId/codes/revoke {batch?, codes?}  revokes unused codes → {revoked}
 */
import { createHash, timingSafeEqual } from "node:crypto";
import cors from "@fastify/cors";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { Type } from "typebox";
import { ATTESTER_ERRORS, AttesterError } from "./errors.js";
import { type AttesterService, MAX_CODES_PER_BATCH } from "./service.js";

export interface RoutesOptions {
  service: AttesterService;
  /** The organiser's bearer token. */
  token: string;
  /** Origins allowed by CORS; "*" allows any. */
  corsOrigins: string[];
}

const KeyParams = Type.Object({ keyId: Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" }) });
const Hex256 = Type.String({ pattern: "^0x[0-9a-fA-F]{512}$" });

const digest = (s: string) => createHash("sha256").update(s).digest();

export async function buildAttesterApp(options: RoutesOptions): Promise<FastifyInstance> {
  // No request logging: a log line would be one more place a code or a blinded message could stay.
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(cors, {
    origin: options.corsOrigins.includes("*") ? true : options.corsOrigins,
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "authorization"],
  });

  app.setErrorHandler((error: { statusCode?: number; validation?: unknown } & Error, _request, reply) => {
    if (error instanceof AttesterError) return reply.status(error.status).send(error.toBody());
    const status = error.statusCode ?? 500;
    if (error.validation || (status >= 400 && status < 500)) {
      return reply.status(status).send({ error: { code: "INVALID_REQUEST", message: ATTESTER_ERRORS.INVALID_REQUEST.message } });
    }
    console.error(`attester: ${error.message}`);
    return reply.status(500).send(new AttesterError("INTERNAL_ERROR").toBody());
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).send(new AttesterError("NOT_FOUND").toBody()));

  const expected = digest(options.token);
  const organiser = async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!timingSafeEqual(digest(given), expected)) throw new AttesterError("UNAUTHORIZED");
  };

  const { service } = options;

  app.get("/health", async () => ({ ok: true }));

  app.get("/keys/:keyId", { schema: { params: KeyParams } }, async (request) => service.publicKey(request.params.keyId));

  app.post(
    "/keys/:keyId/vouchers",
    {
      schema: {
        params: KeyParams,
        body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }), blinded: Hex256 }, { additionalProperties: false }),
      },
    },
    async (request) => ({ blindSignature: service.redeem(request.params.keyId, request.body.code, request.body.blinded) }),
  );

  app.get("/keys", { preHandler: organiser }, async () => ({ keys: service.listKeys() }));

  app.post(
    "/keys",
    {
      preHandler: organiser,
      schema: { body: Type.Object({ label: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }) },
    },
    async (request, reply) => reply.status(201).send(await service.createKey(request.body.label)),
  );

  app.post(
    "/keys/:keyId/codes",
    {
      preHandler: organiser,
      schema: {
        params: KeyParams,
        body: Type.Object({ count: Type.Integer() }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      if (request.body.count < 1 || request.body.count > MAX_CODES_PER_BATCH) throw new AttesterError("TOO_MANY_CODES");
      return reply.status(201).send(service.createCodes(request.params.keyId, request.body.count));
    },
  );

  app.get("/keys/:keyId/codes", { preHandler: organiser, schema: { params: KeyParams } }, async (request) =>
    service.counts(request.params.keyId),
  );

  app.post(
    "/keys/:keyId/codes/revoke",
    {
      preHandler: organiser,
      schema: {
        params: KeyParams,
        body: Type.Object(
          {
            batch: Type.Optional(Type.Integer({ minimum: 1 })),
            codes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: MAX_CODES_PER_BATCH })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ revoked: service.revoke(request.params.keyId, request.body) }),
  );

  return app;
}
