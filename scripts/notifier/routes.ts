/**
 * The notifier's HTTP API (Fastify, schemas in TypeBox: the framework validates, nothing is parsed
 * by hand). No request is logged: the server keeps no trace of who asked what (no IP, no feed reader).
 *
 *   GET    /v1/health
 *   GET    /v1/vapid-public-key                       the key the browser subscribes with
 *   POST   /v1/subscriptions                          { campaign, level, lang, subscription }
 *   DELETE /v1/subscriptions                          { endpoint, campaign? }
 *   GET    /v1/campaigns/:address/feed.atom?lang=fr   the campaign's Atom feed
 *   GET    /v1/campaigns/:address/event.ics?lang=fr   the action day as a calendar entry
 */
import cors from "@fastify/cors";
import { type TypeBoxTypeProvider, Type } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance } from "fastify";
import * as routes from "@bascule/core/routes";
import { ERRORS, NotifierError } from "./errors.js";
import { atomFeed, calendarEntry } from "./feeds.js";
import type { Lang } from "./messages.js";
import type { Notifier } from "./service.js";

export interface RoutesOptions {
  /** Origins allowed by CORS (the dApp's); the dApp served by `npm start` is same-origin. */
  corsOrigins?: string[];
  /** This service's public base URL, for the feed's self link (default `<appUrl>notifier/`). */
  publicUrl?: string;
}

const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" });
const LangSchema = Type.Union([Type.Literal("en"), Type.Literal("fr")]);
const Base64Url = Type.String({ pattern: "^[A-Za-z0-9_-]+={0,2}$", maxLength: 200 });

const SubscribeBody = Type.Object(
  {
    campaign: Address,
    level: Type.Integer({ minimum: 1, maximum: 64 }),
    lang: LangSchema,
    subscription: Type.Object({
      endpoint: Type.String({ minLength: 8, maxLength: 1024 }),
      // Browsers add expirationTime (often null) to PushSubscription.toJSON(): accepted, not kept.
      expirationTime: Type.Optional(Type.Union([Type.Null(), Type.Number()])),
      keys: Type.Object({ p256dh: Base64Url, auth: Base64Url }, { additionalProperties: false }),
    }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

const UnsubscribeBody = Type.Object(
  { endpoint: Type.String({ minLength: 8, maxLength: 1024 }), campaign: Type.Optional(Address) },
  { additionalProperties: false },
);

const CampaignParams = Type.Object({ address: Address });
const LangQuery = Type.Object({ lang: Type.Optional(LangSchema) }, { additionalProperties: false });

function send(reply: import("fastify").FastifyReply, error: NotifierError) {
  return reply.code(error.status).type("application/json").send(error.toJSON());
}

/** Builds the HTTP server around a notifier. */
export async function buildRoutes(notifier: Notifier, options: RoutesOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 4096,
    trustProxy: false,
    // Refuse unknown fields and wrong types instead of silently dropping or converting them.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (options.corsOrigins?.length) {
    await app.register(cors, { origin: options.corsOrigins, methods: ["GET", "POST", "DELETE"] });
  }
  const publicUrl = (options.publicUrl ?? new URL("notifier/", notifier.appUrl).href).replace(/\/?$/, "/");
  const campaignUrl = (address: string) => routes.campaignUrl(notifier.appUrl.replace(/\/?$/, "/"), address as `0x${string}`);

  app.setErrorHandler((error: unknown, _request, reply) => {
    if (error instanceof NotifierError) return send(reply, error);
    const e = error as { validation?: unknown; code?: string; statusCode?: number; message?: string };
    if (e.validation) {
      const field = (e.message ?? "").split(" ")[0];
      return send(reply, new NotifierError("INVALID_REQUEST", { field }));
    }
    if (e.code === "FST_ERR_CTP_BODY_TOO_LARGE") return send(reply, new NotifierError("BODY_TOO_LARGE"));
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      // Bad JSON, wrong content type...: always a 4xx with the same shape.
      return reply.code(e.statusCode).send({ error: { code: "INVALID_REQUEST", message: ERRORS.INVALID_REQUEST.message } });
    }
    return send(reply, new NotifierError("INTERNAL"));
  });
  app.setNotFoundHandler((_request, reply) => send(reply, new NotifierError("NOT_FOUND")));

  app.get("/v1/health", async () => ({ ok: true }));

  app.get("/v1/vapid-public-key", async () => ({ publicKey: notifier.publicKey }));

  app.post("/v1/subscriptions", { schema: { body: SubscribeBody } }, async (request, reply) => {
    const { campaign, level, lang, subscription } = request.body;
    const saved = notifier.subscribe({ campaign, level, lang, subscription: { endpoint: subscription.endpoint, keys: subscription.keys } });
    return reply.code(201).send(saved);
  });

  app.delete("/v1/subscriptions", { schema: { body: UnsubscribeBody } }, async (request, reply) => {
    notifier.unsubscribe(request.body.endpoint, request.body.campaign);
    // The same answer whether anything was deleted or not.
    return reply.code(204).send();
  });

  app.get("/v1/campaigns/:address/feed.atom", { schema: { params: CampaignParams, querystring: LangQuery } }, async (request, reply) => {
    const found = notifier.campaign(request.params.address);
    if (!found) throw new NotifierError("UNKNOWN_CAMPAIGN");
    const lang: Lang = request.query.lang ?? "en";
    const address = found.row.address;
    const xml = atomFeed(found.facts, found.row, found.entries, lang, {
      campaignUrl: campaignUrl(address),
      feedUrl: `${publicUrl}v1/campaigns/${address}/feed.atom?lang=${lang}`,
    }, notifier.zone);
    return reply.type("application/atom+xml; charset=utf-8").header("cache-control", "public, max-age=60").send(xml);
  });

  app.get("/v1/campaigns/:address/event.ics", { schema: { params: CampaignParams, querystring: LangQuery } }, async (request, reply) => {
    const found = notifier.campaign(request.params.address);
    if (!found) throw new NotifierError("UNKNOWN_CAMPAIGN");
    const lang: Lang = request.query.lang ?? "en";
    const ics = calendarEntry(found.facts, lang, { campaignUrl: campaignUrl(found.row.address) });
    return reply
      .type("text/calendar; charset=utf-8")
      .header("content-disposition", `attachment; filename="bascule-${found.row.address.slice(2, 10).toLowerCase()}.ics"`)
      .header("cache-control", "public, max-age=300")
      .send(ics);
  });

  return app;
}
