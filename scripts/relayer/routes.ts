/**
 * The relayer's HTTP API on Fastify: every route with its TypeBox schema (validated by Fastify's
 * Ajv before the handler runs, no hand parsing), the error mapping (every refusal carries a stable
 * code and a French and English message; a malformed request is a 4xx, never a 500), CORS, the
 * nested per-prefix rate limit (limits.ts), and the OpenAPI description at GET /v1/openapi.json from which the dApp's
 * client types are generated (`npm run gen:api`). Error mapping, CORS and /health: kit/http.ts.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type, type Static } from "typebox";
import { getAddress } from "viem";
import { RefusalSchema, type ServiceApp, refusals, serviceApp } from "../kit/http.js";
import { ERRORS, RelayerError } from "./errors.js";
import { NestedRateLimiter, checkTrustProxy } from "./limits.js";
import type { Relayer } from "./service.js";
import { MAX_PARTICIPATION_KEYS } from "@bascule/core/participation";

const HEX_ADDRESS = "^0x[0-9a-fA-F]{40}$";
const HEX_BYTES32 = "^0x[0-9a-fA-F]{64}$";
const DECIMAL = "^(0|[1-9][0-9]{0,77})$";

const Address = Type.String({ pattern: HEX_ADDRESS, description: "An address, 0x and 40 hex digits (any case)." });
const Bytes32 = Type.String({ pattern: HEX_BYTES32, description: "32 bytes, 0x and 64 hex digits." });
const Uint = (what: string) =>
  Type.Union([Type.String({ pattern: DECIMAL }), Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })], {
    description: `${what}: a decimal string (or a safe integer).`,
  });

const Localized = Type.Object({ en: Type.String(), fr: Type.String() }, { $id: "LocalizedMessage" });

export const PledgeBodySchema = Type.Object({
  campaign: Address,
  pledge: Type.Object({
    level: Type.Integer({ minimum: 0, maximum: 255, description: "Threshold index, 1-based; 0 withdraws." }),
    support: Uint("Support requested, in the campaign's token units (uint128)"),
    condition: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 255,
        description:
          "The condition k signed (0 or omitted: none): the pledge binds only if at least the campaign's conditions[k-1] basis points of its request are covered. 1..K where the campaign has K conditions; recorded as 0 with support 0.",
      }),
    ),
    nonce: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
    r: Bytes32,
    vs: Bytes32,
    voucher: Type.Optional(
      Type.String({
        pattern: "^0x(?:[0-9a-fA-F]{2}){0,1024}$",
        description:
          "The attester's voucher on the pledge key (gated campaigns, first pledge): an account's 65-byte signature, or up to 1 KiB for a contract attester (ERC-1271). Omitted or 0x otherwise.",
      }),
    ),
  }),
  pow: Type.Optional(
    Type.Object(
      { nonce: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) },
      {
        description:
          "Proof of work (packages/core/src/pow.ts), asked for a key's first pledge in an open campaign: see GET /status, pow.",
      },
    ),
  ),
});

export const ClaimBodySchema = Type.Object({
  campaign: Address,
  claim: Type.Object({
    payee: Address,
    feeRecipient: Address,
    maxFee: Uint("Largest fee allowed (uint256)"),
    proof: Type.Optional(Type.Array(Bytes32, { maxItems: 64 })),
    r: Bytes32,
    vs: Bytes32,
  }),
});

const AcceptedSchema = Type.Object({
  id: Type.String(),
  pledgeKey: Type.String({ pattern: HEX_ADDRESS }),
  status: Type.Literal("queued"),
});

const RequestStateSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal("pledge"), Type.Literal("claim")]),
  status: Type.Union([
    Type.Literal("queued"),
    Type.Literal("submitted"),
    Type.Literal("confirmed"),
    Type.Literal("failed"),
  ]),
  campaign: Type.String(),
  pledgeKey: Type.String(),
  txHash: Type.Optional(Type.String()),
  error: Type.Optional(
    Type.Object({
      code: Type.String(),
      message: Type.Object({ en: Type.String(), fr: Type.String() }),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  ),
});

const PowSchema = Type.Object({
  algorithm: Type.Literal("sha256"),
  tag: Type.String(),
  bits: Type.Integer({ description: "Leading zero bits asked; 0: no proof of work." }),
});

const StatusSchema = Type.Object({
  chainId: Type.Integer(),
  relayer: Type.String(),
  factory: Type.String(),
  balance: Type.String(),
  lowBalance: Type.Boolean({ description: "balance < lowBalanceWei; the relayer also logs each crossing." }),
  lowBalanceWei: Type.String({ description: "The threshold, LOW_BALANCE_WEI (wei of the chain's token)." }),
  queueDepth: Type.Integer(),
  lastBatch: Type.Union([
    Type.Null(),
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      campaign: Type.String(),
      size: Type.Integer(),
      status: Type.String(),
      txHash: Type.String(),
      sentAt: Type.String(),
      confirmedAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ]),
  batch: Type.Object({ size: Type.Integer(), latencyMs: Type.Integer() }),
  fee: Type.Object({ maxFeeSuggested: Type.String() }),
  pow: PowSchema,
});

const ProofSchema = Type.Object({ root: Bytes32, proof: Type.Array(Bytes32) });

const ErrorsListSchema = Type.Record(
  Type.String(),
  Type.Object({ status: Type.Integer(), message: Type.Object({ en: Type.String(), fr: Type.String() }) }),
);

export type PledgeBody = Static<typeof PledgeBodySchema>;
export type ClaimBody = Static<typeof ClaimBodySchema>;

/** The relayer's own 5xx: the chain unreachable is CHAIN_UNAVAILABLE (503), anything else INTERNAL_ERROR. */
function internalCode(error: unknown): "CHAIN_UNAVAILABLE" | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return /fetch failed|ECONNREFUSED|timed? ?out|HTTP request failed/i.test(message) ? "CHAIN_UNAVAILABLE" : undefined;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Counted by the per-prefix rate limit. */
    rateLimited?: boolean;
  }
}

export interface AppOptions {
  corsOrigins: string[];
  maxBodyBytes: number;
  rateLimit: { perSecond: number; burst: number; capacity?: number };
  /** The reverse proxies' addresses or CIDRs (checkTrustProxy refuses anything else). */
  trustProxy?: string[];
  log: (line: string) => void;
}

/**
 * Builds the Fastify app around a Relayer (not listening yet: `app.listen` or `app.inject`).
 * @example
 * const app = await buildApp(relayer, { corsOrigins: ["http://localhost:5173"], maxBodyBytes: 16384,
 *   rateLimit: { perSecond: 10, burst: 30 }, log: console.log });
 * await app.listen({ port: 0 });
 */
export async function buildApp(
  relayer: Relayer,
  options: AppOptions,
): Promise<{ app: ServiceApp; limiter: NestedRateLimiter }> {
  // Checked here too, not only by main.ts: whoever builds the app cannot make it trust every client.
  const trustProxy = options.trustProxy === undefined ? false : checkTrustProxy(options.trustProxy);
  const app = await serviceApp({
    errors: ERRORS,
    bodyLimit: options.maxBodyBytes,
    trustProxy,
    fastify: { keepAliveTimeout: 5_000, requestTimeout: 30_000, connectionTimeout: 10_000, return503OnClosing: true },
    cors: {
      origins: options.corsOrigins,
      methods: ["GET", "POST", "OPTIONS"],
      allowedHeaders: ["content-type"],
      refuseOthers: true,
    },
    openapi: {
      title: "Bascule relayer",
      description:
        "Takes signed pledges and claims from participants with neither wallet nor ETH, checks them against the chain, and submits them. Every refusal carries a stable code and a message in English and French (GET /v1/errors).",
    },
    internalCode,
    log: options.log,
    ready: () => relayer.readiness(),
  });
  const limiter = new NestedRateLimiter(
    options.rateLimit.perSecond,
    options.rateLimit.burst,
    options.rateLimit.capacity,
  );
  app.addSchema(Localized);

  // The rate limit runs before the body is read: a refused request costs almost nothing.
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.routeOptions.config?.rateLimited) return;
    const verdict = limiter.take(request.ip);
    if (!verdict.allowed) {
      reply.header("retry-after", String(verdict.retryAfterSeconds));
      throw new RelayerError("RATE_LIMITED", { retryAfterSeconds: verdict.retryAfterSeconds });
    }
  });

  app.get(
    "/status",
    {
      schema: {
        summary: "The relayer's gas account, queue, batch settings, claim fee and proof-of-work difficulty.",
        response: { 200: StatusSchema },
      },
    },
    async () => relayer.status(),
  );

  app.get(
    "/v1/errors",
    {
      schema: {
        summary: "Every refusal code with its HTTP status and its English and French message.",
        response: { 200: ErrorsListSchema },
      },
    },
    async () => ERRORS,
  );

  app.post(
    "/v1/pledges",
    {
      config: { rateLimited: true },
      schema: {
        summary: "Queue a signed pledge (first pledge, change or withdrawal) for submission.",
        body: PledgeBodySchema,
        response: { 202: AcceptedSchema, ...refusals(400, 403, 404, 409, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      try {
        return reply.code(202).send(await relayer.acceptPledge(request.body));
      } catch (error) {
        // A key's changes over its budget: say when the next one is taken, as the rate limit does.
        if (error instanceof RelayerError && error.code === "TOO_MANY_CHANGES") {
          reply.header("retry-after", String(error.details?.retryAfterSeconds));
        }
        throw error;
      }
    },
  );

  app.post(
    "/v1/claims",
    {
      config: { rateLimited: true },
      schema: {
        summary: "Queue a signed claim of support for submission.",
        body: ClaimBodySchema,
        response: { 202: AcceptedSchema, ...refusals(400, 403, 404, 409, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => reply.code(202).send(await relayer.acceptClaim(request.body)),
  );

  for (const url of ["/v1/pledges", "/v1/claims"]) {
    app.route({
      method: ["GET", "PUT", "DELETE", "PATCH"],
      url,
      schema: { hide: true },
      handler: async (_request, reply) => {
        reply.header("allow", "POST, OPTIONS");
        throw new RelayerError("METHOD_NOT_ALLOWED");
      },
    });
  }

  app.get(
    "/v1/requests/:id",
    {
      schema: {
        summary:
          "The state of a queued request: queued, submitted, confirmed (with its transaction) or failed (with why).",
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: RequestStateSchema, 404: RefusalSchema },
      },
    },
    async (request) => {
      const found = relayer.request(request.params.id);
      if (!found) throw new RelayerError("NOT_FOUND");
      return found;
    },
  );

  const ParticipationKept = Type.Object({
    campaign: Address,
    count: Type.Integer({ description: "How many pledge keys the list holds." }),
    issuedAt: Type.Integer({ description: "When the organiser signed it, unix seconds." }),
  });

  app.post(
    "/v1/participation/:campaign",
    {
      bodyLimit: 1024 * 1024,
      config: { rateLimited: true },
      schema: {
        summary:
          "The check-in list of a campaign, signed by its organiser (EIP-712 ParticipationSet, packages/core/src/participation.ts): kept for the keeper, which publishes its root as the campaign's participation oracle from the action day.",
        params: Type.Object({ campaign: Address }),
        body: Type.Object(
          {
            pledgeKeys: Type.Array(Address, { maxItems: MAX_PARTICIPATION_KEYS }),
            issuedAt: Type.Integer({ minimum: 0, maximum: 2 ** 40 }),
            signature: Type.String({ pattern: "^0x(?:[0-9a-fA-F]{2}){1,1024}$" }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ...ParticipationKept.properties, keysHash: Bytes32 }),
          ...refusals(400, 403, 404, 409, 503),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await relayer.acceptParticipation({
          campaign: request.params.campaign,
          pledgeKeys: request.body.pledgeKeys,
          issuedAt: request.body.issuedAt,
          signature: request.body.signature as `0x${string}`,
        }),
      ),
  );

  app.get(
    "/v1/participation/:campaign",
    {
      schema: {
        summary: "The check-in list kept for the keeper, if any: its size and when it was signed.",
        params: Type.Object({ campaign: Address }),
        response: { 200: ParticipationKept, 404: RefusalSchema },
      },
    },
    async (request) => {
      const campaign = getAddress(request.params.campaign);
      const kept = await relayer.keptParticipation(campaign);
      if (!kept) throw new RelayerError("NOT_FOUND");
      return { campaign, ...kept };
    },
  );

  app.get(
    "/v1/proofs/:campaign/:pledgeKey",
    {
      schema: {
        summary: "The participation proof the keeper published for a pledge key, if any.",
        params: Type.Object({ campaign: Address, pledgeKey: Address }),
        response: { 200: ProofSchema, 404: RefusalSchema },
      },
    },
    async (request) => {
      const proof = await relayer.proofFor(getAddress(request.params.campaign), getAddress(request.params.pledgeKey));
      if (!proof) throw new RelayerError("NOT_FOUND");
      return proof;
    },
  );

  return { app, limiter };
}
