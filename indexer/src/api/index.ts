/**
 * The indexer's HTTP API (Hono, served by Ponder next to its /ready, /status, /health):
 *
 *   GET /campaigns?minPledges=&limit=&offset=        the list with counts, most active first
 *   GET /campaigns/:address                           one campaign
 *   GET /campaigns/:address/events?before=&limit=     its history, newest first, paged by `seq`
 *   GET /campaigns/:address/tipping?after=&limit=     changes of its provisional bound set (j*, k*, j*_k), oldest first
 *
 * Not a trustless check: the dApp says so where it shows these figures, and its campaign and
 * verify pages read the chain. Amounts and block numbers are decimal strings.
 */
import { db } from "ponder:api";
import { campaign, campaignEvent, tippingChange } from "ponder:schema";
import { Hono } from "hono";
import { validator } from "hono/validator";
import { and, asc, count, desc, eq, gt, gte, lt, replaceBigInts } from "ponder";
import { type ApiError, parseListQuery, parsePageQuery, toApiCampaign } from "../../lib/api.ts";

const app = new Hono();

const fail = (e: ApiError) => ({ error: e });

const listQuery = validator("query", (q, c) => {
  const parsed = parseListQuery(q);
  return "error" in parsed ? c.json(fail(parsed.error), 400) : parsed;
});
const pageQuery = validator("query", (q, c) => {
  const parsed = parsePageQuery(q);
  return "error" in parsed ? c.json(fail(parsed.error), 400) : parsed;
});
const addressParam = validator("param", (p, c) => {
  const address = String(p.address ?? "").toLowerCase();
  if (!/^0x[0-9a-f]{40}$/.test(address)) {
    return c.json(
      fail({
        code: "BAD_ADDRESS",
        message: {
          en: "This is not a campaign address (0x and 40 hex digits).",
          fr: "Ce n’est pas une adresse de campagne (0x et 40 chiffres hexadécimaux).",
        },
      }),
      400,
    );
  }
  return { address: address as `0x${string}` };
});

const notFound = {
  code: "UNKNOWN_CAMPAIGN",
  message: {
    en: "The indexer knows no campaign at this address (yet): check the address, or read it from the chain.",
    fr: "L’indexeur ne connaît pas (encore) de campagne à cette adresse : vérifiez l’adresse, ou lisez-la sur la chaîne.",
  },
} satisfies ApiError;

app.get("/campaigns", listQuery, async (c) => {
  const { minPledges, limit, offset } = c.req.valid("query");
  const [rows, [totals], [listed]] = await Promise.all([
    db
      .select()
      .from(campaign)
      .where(gte(campaign.pledgeCount, minPledges))
      .orderBy(desc(campaign.activity), asc(campaign.address))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(campaign),
    db.select({ n: count() }).from(campaign).where(gte(campaign.pledgeCount, minPledges)),
  ]);
  return c.json({
    campaigns: rows.map(toApiCampaign),
    listed: listed?.n ?? 0,
    hidden: (totals?.n ?? 0) - (listed?.n ?? 0),
  });
});

app.get("/campaigns/:address", addressParam, async (c) => {
  const { address } = c.req.valid("param");
  const [row] = await db.select().from(campaign).where(eq(campaign.address, address));
  if (!row) return c.json(fail(notFound), 404);
  return c.json(toApiCampaign(row));
});

app.get("/campaigns/:address/events", addressParam, pageQuery, async (c) => {
  const { address } = c.req.valid("param");
  const { before, limit } = c.req.valid("query");
  const rows = await db
    .select()
    .from(campaignEvent)
    .where(and(eq(campaignEvent.campaign, address), before === undefined ? undefined : lt(campaignEvent.seq, before)))
    .orderBy(desc(campaignEvent.seq))
    .limit(limit);
  if (rows.length === 0 && before === undefined) {
    const [known] = await db.select({ a: campaign.address }).from(campaign).where(eq(campaign.address, address));
    if (!known) return c.json(fail(notFound), 404);
  }
  const last = rows.at(-1);
  return c.json({
    events: rows.map((r) => replaceBigInts(r, String)),
    next: last && last.seq > 0 && rows.length === limit ? last.seq : null,
  });
});

app.get("/campaigns/:address/tipping", addressParam, pageQuery, async (c) => {
  const { address } = c.req.valid("param");
  const { after, limit } = c.req.valid("query");
  const rows = await db
    .select()
    .from(tippingChange)
    .where(and(eq(tippingChange.campaign, address), after === undefined ? undefined : gt(tippingChange.seq, after)))
    .orderBy(asc(tippingChange.seq))
    .limit(limit);
  return c.json({
    changes: rows.map((r) => replaceBigInts(r, String)),
    next: rows.length === limit ? rows.at(-1)!.seq : null,
  });
});

export default app;
