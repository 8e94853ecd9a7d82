/**
 * The notifier's HTTP API (Fastify, schemas in TypeBox: the framework validates, nothing is parsed
 * by hand). No request is logged: the server keeps no trace of who asked what (no IP, no feed reader).
 *
 *   GET    /health                                    (kit/http.ts; and GET /v1/openapi.json)
 *   GET    /v1/vapid-public-key                       the key the browser subscribes with
 *   POST   /v1/subscriptions                          { campaign, level, condition?, lang, subscription }
 *   DELETE /v1/subscriptions                          { endpoint, campaign? }
 *   GET    /v1/campaigns/:address/feed.atom?lang=fr   the campaign's Atom feed
 *   GET    /v1/campaigns/:address/event.ics?lang=fr   the action day, and announcements with a time, as calendar entries
 *   GET    /v1/campaigns/:address/announcements       the organiser's signed announcements, newest first (?limit)
 *   POST   /v1/campaigns/:address/announcements       publishes one (signed by the organiser or its delegate)
 *   POST   /v1/campaigns/:address/revocations         the organiser revokes a delegate key before its expiry
 */
import { Type } from "typebox";
import { MAX_CONDITIONS } from "@bascule/core/campaign-params";
import { type ServiceApp, refusals, serviceApp } from "../kit/http.js";
import * as routes from "@bascule/core/routes";
import { ERRORS, NotifierError } from "./errors.js";
import { atomFeed, calendarEntry } from "./feeds.js";
import type { Lang } from "./messages.js";
import type { Notifier } from "./service.js";
import { ANNOUNCEMENT_LIMITS, type SignedAnnouncement, type SignedRevocation } from "@bascule/core/announcements";

export interface RoutesOptions {
  /** Origins allowed by CORS (the dApp's); the dApp served by `npm start` is same-origin. */
  corsOrigins?: string[];
  /** This service's public base URL, for the feed's self link (default `<appUrl>notifier/`). */
  publicUrl?: string;
  /**
   * Where an internal route error goes (a line, no request in it). The launcher gives the
   * service's pino logger; the standalone `npm run notifier` writes it to stderr.
   */
  log?: (line: string) => void;
}

const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$" });
const LangSchema = Type.Union([Type.Literal("en"), Type.Literal("fr")]);
const Base64Url = Type.String({ pattern: "^[A-Za-z0-9_-]+={0,2}$", maxLength: 200 });

const SubscribeBody = Type.Object(
  {
    campaign: Address,
    level: Type.Integer({ minimum: 1, maximum: 64 }),
    condition: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_CONDITIONS,
        description:
          "The condition class of the subscriber's group (0 or omitted: none; k: at least the campaign's conditions[k-1] of the support covered): told when that group (level, condition) starts or stops counting. A class, never a key.",
      }),
    ),
    lang: LangSchema,
    subscription: Type.Object(
      {
        endpoint: Type.String({ minLength: 8, maxLength: 1024 }),
        // Browsers add expirationTime (often null) to PushSubscription.toJSON(): accepted, not kept.
        expirationTime: Type.Optional(Type.Union([Type.Null(), Type.Number()])),
        keys: Type.Object({ p256dh: Base64Url, auth: Base64Url }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const UnsubscribeBody = Type.Object(
  { endpoint: Type.String({ minLength: 8, maxLength: 1024 }), campaign: Type.Optional(Address) },
  { additionalProperties: false },
);

const CampaignParams = Type.Object({ address: Address });

const Hex = Type.String({ pattern: "^0x[0-9a-fA-F]*$", maxLength: 400 });
const Time = Type.Integer({ minimum: 0, description: "Unix seconds." });
/**
 * An announcement as signed (packages/core/src/announcements.ts). The lengths are checked by the
 * core's verifier, which answers TOO_LARGE with the field and its limit; the body limit of the
 * route caps the rest.
 */
const AnnouncementFields = {
  campaign: Address,
  chainId: Type.Integer({ minimum: 0 }),
  lang: LangSchema,
  title: Type.String({ description: `At most ${ANNOUNCEMENT_LIMITS.title} characters.` }),
  text: Type.String({ description: `At most ${ANNOUNCEMENT_LIMITS.text} characters.` }),
  place: Type.Union([Type.Null(), Type.String({ description: `At most ${ANNOUNCEMENT_LIMITS.place} characters.` })]),
  startTime: Type.Union([Type.Null(), Time]),
  successor: Type.Union([Type.Null(), Address]),
  issuedAt: Time,
  signer: Address,
  signature: Hex,
  delegation: Type.Union([
    Type.Null(),
    Type.Object(
      { delegate: Address, expiry: Time, signature: Hex },
      {
        additionalProperties: false,
        description: "The organiser's EIP-712 Delegation(delegate, expiry) of the signing key, for this campaign.",
      },
    ),
  ]),
};
const AnnouncementBody = Type.Object(
  {
    ...AnnouncementFields,
    // What GET gives back may be posted again as is (to another notifier): recomputed, not trusted.
    id: Type.Optional(Type.String({ maxLength: 66 })),
    publishedAt: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
const AnnouncementItem = Type.Object({
  ...AnnouncementFields,
  id: Type.String({ description: "The EIP-712 digest of the signed message (hex)." }),
  publishedAt: Type.Integer({ description: "When this notifier published it (unix seconds)." }),
});
/** The organiser's EIP-712 Revocation(delegate, revokedAt) of a delegate key, for this campaign. */
const RevocationFields = {
  campaign: Address,
  chainId: Type.Integer({ minimum: 0 }),
  delegate: Address,
  revokedAt: { ...Time, description: "From when (unix seconds) the key's announcements are refused." },
  signer: Address,
  signature: Hex,
};
const RevocationBody = Type.Object(
  { ...RevocationFields, publishedAt: Type.Optional(Type.Integer()) },
  { additionalProperties: false },
);
const RevocationItem = Type.Object({
  ...RevocationFields,
  publishedAt: Type.Integer({ description: "When this notifier took it (unix seconds)." }),
});
const LimitQuery = Type.Object(
  {
    // A query string is text (the framework does not coerce types): a number 1..200, 20 by default.
    limit: Type.Optional(Type.String({ pattern: "^(200|1[0-9]{2}|[1-9][0-9]?)$", description: "1 to 200 (20)." })),
  },
  { additionalProperties: false },
);
const LangQuery = Type.Object({ lang: Type.Optional(LangSchema) }, { additionalProperties: false });

/** Builds the HTTP server around a notifier. */
export async function buildRoutes(notifier: Notifier, options: RoutesOptions = {}): Promise<ServiceApp> {
  const app = await serviceApp({
    errors: ERRORS,
    bodyLimit: 4096,
    cors: { origins: options.corsOrigins ?? [], methods: ["GET", "POST", "DELETE"] },
    openapi: {
      title: "Bascule notifier",
      description:
        "Web Push subscriptions to a campaign's threshold, each campaign's Atom feed and calendar entry, and the organiser's signed announcements. Keeps no pledge key, no wallet address but the organiser's (public), no IP. Every refusal carries a stable code and a message in English and French.",
    },
    log: options.log ?? ((line) => console.error(`notifier: ${line}`)),
    ready: () => notifier.readiness(),
  });
  const publicUrl = (options.publicUrl ?? new URL("notifier/", notifier.appUrl).href).replace(/\/?$/, "/");
  const campaignUrl = (address: string) =>
    routes.campaignUrl(notifier.appUrl.replace(/\/?$/, "/"), address as `0x${string}`);

  app.get(
    "/v1/vapid-public-key",
    {
      schema: {
        summary: "The VAPID key a browser subscribes with.",
        response: { 200: Type.Object({ publicKey: Type.String() }) },
      },
    },
    async () => ({ publicKey: notifier.publicKey }),
  );

  app.post(
    "/v1/subscriptions",
    {
      schema: {
        summary:
          "Subscribes a browser to one campaign's threshold, and condition class (the same device again: changes them).",
        body: SubscribeBody,
        response: {
          201: Type.Object({ campaign: Address, level: Type.Integer(), condition: Type.Integer(), lang: LangSchema }),
          ...refusals(400, 404, 409, 413, 415, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const { campaign, level, condition, lang, subscription } = request.body;
      const saved = notifier.subscribe({
        campaign,
        level,
        condition,
        lang,
        subscription: { endpoint: subscription.endpoint, keys: subscription.keys },
      });
      return reply.code(201).send(saved);
    },
  );

  app.delete(
    "/v1/subscriptions",
    {
      schema: {
        summary:
          "Unsubscribes a browser from one campaign, or from all; the same answer whether anything was deleted or not.",
        body: UnsubscribeBody,
      },
    },
    async (request, reply) => {
      notifier.unsubscribe(request.body.endpoint, request.body.campaign);
      // The same answer whether anything was deleted or not.
      return reply.code(204).send();
    },
  );

  app.get(
    "/v1/campaigns/:address/feed.atom",
    { schema: { summary: "The campaign's Atom feed.", params: CampaignParams, querystring: LangQuery } },
    async (request, reply) => {
      const found = notifier.campaign(request.params.address);
      if (!found) throw new NotifierError("UNKNOWN_CAMPAIGN");
      const lang: Lang = request.query.lang ?? "en";
      const address = found.row.address;
      const xml = atomFeed(
        found.facts,
        found.row,
        found.entries,
        lang,
        {
          campaignUrl: campaignUrl(address),
          feedUrl: `${publicUrl}v1/campaigns/${address}/feed.atom?lang=${lang}`,
          appBase: notifier.appUrl,
        },
        notifier.zone,
        notifier.visibleAnnouncements(address),
      );
      return reply.type("application/atom+xml; charset=utf-8").header("cache-control", "public, max-age=60").send(xml);
    },
  );

  app.get(
    "/v1/campaigns/:address/event.ics",
    { schema: { summary: "The action day as a calendar entry.", params: CampaignParams, querystring: LangQuery } },
    async (request, reply) => {
      const found = notifier.campaign(request.params.address);
      if (!found) throw new NotifierError("UNKNOWN_CAMPAIGN");
      const lang: Lang = request.query.lang ?? "en";
      const ics = calendarEntry(
        found.facts,
        lang,
        { campaignUrl: campaignUrl(found.row.address), appBase: notifier.appUrl },
        notifier.visibleAnnouncements(found.row.address),
        notifier.zone,
      );
      return reply
        .type("text/calendar; charset=utf-8")
        .header(
          "content-disposition",
          `attachment; filename="bascule-${found.row.address.slice(2, 10).toLowerCase()}.ics"`,
        )
        .header("cache-control", "public, max-age=300")
        .send(ics);
    },
  );

  app.get(
    "/v1/campaigns/:address/announcements",
    {
      schema: {
        summary:
          "The organiser's signed announcements, newest first, and its signed revocations of delegate keys; anyone can check each signature. Announcements a revoked delegate signed (or this notifier published) from the revocation's time on are left out.",
        params: CampaignParams,
        querystring: LimitQuery,
        response: {
          200: Type.Object({ announcements: Type.Array(AnnouncementItem), revocations: Type.Array(RevocationItem) }),
          ...refusals(400, 404),
        },
      },
    },
    async (request, reply) => {
      const announcements = notifier.announcements(request.params.address, Number(request.query.limit ?? 20));
      if (!announcements) throw new NotifierError("UNKNOWN_CAMPAIGN");
      const revocations = notifier.revocations(request.params.address) ?? [];
      return reply.header("cache-control", "public, max-age=30").send({ announcements, revocations });
    },
  );

  app.post(
    "/v1/campaigns/:address/revocations",
    {
      bodyLimit: 4096,
      schema: {
        summary:
          "The organiser revokes a delegate key (EIP-712 Revocation, or ERC-1271 for an organiser that is a contract): no announcement of that key is taken any more, and those it signed from `revokedAt` on are no longer served.",
        params: CampaignParams,
        body: RevocationBody,
        response: { 201: RevocationItem, ...refusals(400, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const { publishedAt: _publishedAt, ...signed } = request.body;
      const saved = await notifier.revoke(request.params.address, signed as SignedRevocation);
      return reply.code(201).send(saved);
    },
  );

  app.post(
    "/v1/campaigns/:address/announcements",
    {
      // A text of 2,000 characters of up to 4 bytes each, with its title, place and signatures.
      bodyLimit: 16 * 1024,
      schema: {
        summary:
          "Publishes an announcement signed (EIP-712) by the campaign's organiser or a delegate it authorised: stored, in the feed and calendar, pushed to the campaign's subscribers.",
        params: CampaignParams,
        body: AnnouncementBody,
        response: { 201: AnnouncementItem, ...refusals(400, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const { id: _id, publishedAt: _publishedAt, ...signed } = request.body;
      // The schema checked every address and hex string's shape.
      const saved = await notifier.publish(request.params.address, signed as SignedAnnouncement);
      return reply.code(201).send(saved);
    },
  );

  return app;
}
