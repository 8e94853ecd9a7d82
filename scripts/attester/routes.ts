/**
 * The attester's HTTP API (Fastify, schemas in TypeBox: Fastify validates every body before a
 * handler runs). Operator guide: docs/attester.md.
 *
 * Public (the member's browser):
 *   GET  /health                             (kit/http.ts; and GET /v1/openapi.json)
 *   GET  /keys/:keyId                        the campaign's public key (modulus, exponent)
 *   POST /keys/:keyId/vouchers {code, blinded, campaign?} → {blindSignature}   once per invite code;
 *                                            refused, the code unused, if the key signs for another campaign
 * Organiser (Authorization: Bearer <token printed at start>):
 *   GET  /keys                               every key with its counts
 *   POST /keys {label}                       a new campaign key → {keyId, modulus, exponent}
 *   POST /keys/:keyId/campaign {chainId, address}   the one campaign the key signs for (set once)
 *   POST /keys/:keyId/codes {count}          a batch of invite codes, shown once → {batch, codes}
 *   GET  /keys/:keyId/codes                  counts issued / redeemed / revoked, per batch
 *   POST /keys/:keyId/codes/revoke {batch?, codes?}  revokes unused codes → {revoked}
 * Desk clerks (Authorization: Bearer <desk token>, distinct from the organiser's):
 *   GET  /desks/:desk/chains/:chainId/campaigns/:campaign/paid      the claims this desk has paid
 *   POST /desks/:desk/chains/:chainId/campaigns/:campaign/paid {claim, clerk}  marks a claim paid,
 *                                            once: 409 ALREADY_PAID (when, by whom) the second time
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { type ServiceApp, readiness, refusals, serviceApp } from "../kit/http.js";
import { storeOpen } from "../kit/sqlite.js";
import { ATTESTER_ERRORS, AttesterError } from "./errors.js";
import { type AttesterService, MAX_CODES_PER_BATCH } from "./service.js";

export interface RoutesOptions {
  service: AttesterService;
  /** The organiser's bearer token. */
  token: string;
  /** The payout desk clerks' bearer token (the desk ledger); without one the desk routes refuse every request. */
  deskToken?: string;
  /** Origins allowed by CORS; "*" allows any. */
  corsOrigins: string[];
  /**
   * Where an internal route error goes (a line, no request in it). The launcher gives the
   * service's pino logger; the standalone `npm run attester` writes it to stderr.
   */
  log?: (line: string) => void;
}

const KeyParams = Type.Object({ keyId: Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" }) });
const Hex256 = Type.String({ pattern: "^0x[0-9a-fA-F]{512}$" });

const Bytes32 = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" });
const Campaign = Type.Object(
  {
    chainId: Type.Integer({ minimum: 1 }),
    address: Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" }),
  },
  { additionalProperties: false },
);
const PublicKey = Type.Object({
  keyId: Bytes32,
  label: Type.String(),
  modulus: Type.String({ description: "256 bytes big-endian, 0x-prefixed, as the verifier contract takes it." }),
  exponent: Type.String({ description: "The public exponent, decimal." }),
  campaign: Type.Optional(
    Type.Object(
      { chainId: Type.Integer(), address: Type.String() },
      { description: "The one campaign this key signs for, once the organiser named it." },
    ),
  ),
});
const Counts = { issued: Type.Integer(), redeemed: Type.Integer(), revoked: Type.Integer() };
const CodeCounts = Type.Object({ ...Counts, batches: Type.Array(Type.Object({ batch: Type.Integer(), ...Counts })) });

const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" });
const DeskParams = Type.Object({
  desk: Address,
  chainId: Type.String({ pattern: "^[1-9][0-9]{0,15}$", description: "The campaign's chain id, decimal." }),
  campaign: Address,
});
const deskRef = (p: { desk: string; chainId: string; campaign: string }) => ({ ...p, chainId: Number(p.chainId) });
const DeskPaid = Type.Object({
  claim: Type.String({ description: "The pledge key of the claim's SupportClaimed event (lower case)." }),
  paidAt: Type.Integer({ description: "When it was marked paid, unix seconds." }),
  clerk: Type.String({ description: "The label the clerk who marked it gave." }),
});

const digest = (s: string) => createHash("sha256").update(s).digest();

export async function buildAttesterApp(options: RoutesOptions): Promise<ServiceApp> {
  const app = await serviceApp({
    errors: ATTESTER_ERRORS,
    bodyLimit: 256 * 1024,
    cors: { origins: options.corsOrigins, methods: ["GET", "POST"], allowedHeaders: ["content-type", "authorization"] },
    openapi: {
      title: "Bascule attester",
      description:
        "The union's blind voucher service: one-time invite codes, one RSA key per campaign, blind signatures. It never sees a pledge key. Every refusal carries a stable code and a message in English and French.",
    },
    log: options.log ?? ((line) => console.error(`attester: ${line}`)),
    ready: () => readiness({ store: () => storeOpen(options.service.store.db) }),
  });

  const expected = digest(options.token);
  const organiser = async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!timingSafeEqual(digest(given), expected)) throw new AttesterError("UNAUTHORIZED");
  };

  // Without a desk token configured, the desk routes refuse every request.
  const expectedDesk = options.deskToken ? digest(options.deskToken) : null;
  const clerk = async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!expectedDesk || !timingSafeEqual(digest(given), expectedDesk)) throw new AttesterError("DESK_UNAUTHORIZED");
  };

  const { service } = options;

  app.get(
    "/desks/:desk/chains/:chainId/campaigns/:campaign/paid",
    {
      preHandler: clerk,
      schema: {
        summary: "The claims a payout desk has paid in a campaign (desk clerks).",
        params: DeskParams,
        response: { 200: Type.Object({ paid: Type.Array(DeskPaid) }), ...refusals(400, 401) },
      },
    },
    async (request) => ({ paid: service.listPaid(deskRef(request.params)) }),
  );

  app.post(
    "/desks/:desk/chains/:chainId/campaigns/:campaign/paid",
    {
      preHandler: clerk,
      schema: {
        summary: "Marks a claim paid at this desk, once for the campaign (desk clerks).",
        params: DeskParams,
        body: Type.Object(
          { claim: Address, clerk: Type.String({ minLength: 1, maxLength: 64, pattern: "\\S" }) },
          { additionalProperties: false },
        ),
        response: { 201: DeskPaid, ...refusals(400, 401, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(service.markPaid({ ...deskRef(request.params), ...request.body })),
  );

  app.get(
    "/keys/:keyId",
    {
      schema: {
        summary: "A campaign's public key.",
        params: KeyParams,
        response: { 200: PublicKey, ...refusals(400, 404) },
      },
    },
    async (request) => service.publicKey(request.params.keyId),
  );

  app.post(
    "/keys/:keyId/vouchers",
    {
      schema: {
        params: KeyParams,
        summary: "A blind signature of `blinded`, once per invite code.",
        body: Type.Object(
          {
            code: Type.String({ minLength: 1, maxLength: 64 }),
            blinded: Hex256,
            campaign: Type.Optional({
              ...Campaign,
              description:
                "The campaign the member's page is on: refused, the code unused, if the key signs for another.",
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ blindSignature: Hex256 }), ...refusals(400, 404, 409, 410, 413, 415) },
      },
    },
    async (request) => ({
      blindSignature: service.redeem(
        request.params.keyId,
        request.body.code,
        request.body.blinded,
        request.body.campaign,
      ),
    }),
  );

  app.get(
    "/keys",
    {
      preHandler: organiser,
      schema: {
        summary: "Every key with its counts (organiser).",
        response: {
          200: Type.Object({ keys: Type.Array(Type.Object({ ...PublicKey.properties, ...Counts })) }),
          ...refusals(401),
        },
      },
    },
    async () => ({ keys: service.listKeys() }),
  );

  app.post(
    "/keys",
    {
      preHandler: organiser,
      schema: {
        summary: "A new campaign key (organiser).",
        body: Type.Object({ label: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: PublicKey, ...refusals(400, 401) },
      },
    },
    async (request, reply) => reply.status(201).send(await service.createKey(request.body.label)),
  );

  app.post(
    "/keys/:keyId/campaign",
    {
      preHandler: organiser,
      schema: {
        params: KeyParams,
        summary: "Names the one campaign the key signs for, once (organiser).",
        body: Campaign,
        response: { 200: PublicKey, ...refusals(400, 401, 404, 409) },
      },
    },
    async (request) => service.bindCampaign(request.params.keyId, request.body),
  );

  app.post(
    "/keys/:keyId/codes",
    {
      preHandler: organiser,
      schema: {
        params: KeyParams,
        summary: "A batch of invite codes, shown once (organiser).",
        body: Type.Object({ count: Type.Integer() }, { additionalProperties: false }),
        response: {
          201: Type.Object({ batch: Type.Integer(), codes: Type.Array(Type.String()) }),
          ...refusals(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      if (request.body.count < 1 || request.body.count > MAX_CODES_PER_BATCH) throw new AttesterError("TOO_MANY_CODES");
      return reply.status(201).send(service.createCodes(request.params.keyId, request.body.count));
    },
  );

  app.get(
    "/keys/:keyId/codes",
    {
      preHandler: organiser,
      schema: {
        summary: "Codes issued, redeemed and revoked, per batch (organiser).",
        params: KeyParams,
        response: { 200: CodeCounts, ...refusals(401, 404) },
      },
    },
    async (request) => service.counts(request.params.keyId),
  );

  app.post(
    "/keys/:keyId/codes/revoke",
    {
      preHandler: organiser,
      schema: {
        summary: "Revokes unused codes: all, one batch, or the listed ones (organiser).",
        params: KeyParams,
        response: { 200: Type.Object({ revoked: Type.Integer() }), ...refusals(400, 401, 404) },
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
