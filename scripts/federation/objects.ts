/**
 * The ActivityStreams objects a campaign actor publishes, as JSON-LD, and their texts in French and
 * English: the action day as an `Event` (with the properties Mobilizon reads: uuid, category,
 * joinMode, externalParticipationUrl, inLanguage, ical:status), a `Note` for each tipping-level
 * change and each organiser announcement, and the activities that carry them (Create, Update,
 * Accept). Everything here is public: it is what any follower, and anyone fetching the ids, reads.
 *
 * The JSON is built here rather than with Fedify's vocabulary classes because those serialise only
 * the properties they know, and Mobilizon's are not among them.
 */
import { createHash } from "node:crypto";
import { campaignUrl } from "@bascule/core/routes";
import { type Address, getAddress } from "viem";

export type Lang = "fr" | "en";
export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/** The JSON-LD context of every object: ActivityStreams, and the Mobilizon, schema.org and iCalendar terms used. */
export const CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  {
    mz: "https://joinmobilizon.org/ns#",
    sc: "http://schema.org#",
    ical: "http://www.w3.org/2002/12/cal/ical#",
    uuid: "sc:identifier",
    category: "sc:category",
    inLanguage: "sc:inLanguage",
    joinMode: { "@id": "mz:joinMode", "@type": "mz:joinModeType" },
    joinModeType: { "@id": "mz:joinModeType", "@type": "rdfs:Class" },
    externalParticipationUrl: { "@id": "mz:externalParticipationUrl", "@type": "sc:URL" },
    isOnline: { "@id": "mz:isOnline", "@type": "sc:Boolean" },
  },
] as const;

/** Where the service's URLs are: the actor of a campaign, its inbox, its objects. */
export class Urls {
  readonly origin: string;
  readonly host: string;

  constructor(
    publicUrl: string,
    private readonly appUrl: string,
  ) {
    const url = new URL(publicUrl);
    this.origin = url.origin;
    this.host = url.host;
  }

  /** The actor's name: campaign-0x… in lower case (a WebFinger user part is case-sensitive). */
  static identifier(campaign: string): string {
    return `campaign-${campaign.toLowerCase()}`;
  }

  /** The campaign whose actor `url` is on this service, or null. */
  campaignOfActor(url: URL): Address | null {
    if (url.origin !== this.origin) return null;
    const m = /^\/users\/campaign-(0x[0-9a-f]{40})$/.exec(url.pathname);
    return m && !url.search && !url.hash ? getAddress(m[1]) : null;
  }

  handle(campaign: string): string {
    return `@${Urls.identifier(campaign)}@${this.host}`;
  }

  actor(campaign: string): string {
    return `${this.origin}/users/${Urls.identifier(campaign)}`;
  }

  event(campaign: string): string {
    return `${this.origin}/objects/${campaign.toLowerCase()}/event`;
  }

  note(campaign: string, slug: string): string {
    return `${this.origin}/objects/${campaign.toLowerCase()}/notes/${slug}`;
  }

  activity(campaign: string, slug: string): string {
    return `${this.origin}/activities/${campaign.toLowerCase()}/${slug}`;
  }

  page(campaign: string): string {
    return campaignUrl(this.appUrl.replace(/\/?$/, "/"), campaign as Address);
  }
}

/** A stable UUID for a campaign's Event (the RFC 4122 layout over SHA-256 of the address), which Mobilizon keys events by. */
export function eventUuid(campaign: string): string {
  const h = createHash("sha256").update(`bascule-event:${campaign.toLowerCase()}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const NNBSP = "\u202f";

function formatDate(seconds: number, lang: Lang, timeZone: string, withTime: boolean): string {
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "long",
    ...(withTime ? { timeStyle: "short" } : {}),
    timeZone,
  }).format(new Date(seconds * 1000));
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");

/** "1 personne" / "2 personnes", "1 person" / "2 people". */
export function people(n: number, lang: Lang): string {
  if (lang === "fr") return n === 1 ? "1 personne" : `${n} personnes`;
  return n === 1 ? "1 person" : `${n} people`;
}

/** The public facts of a campaign an object is made from. */
export interface CampaignFacts {
  address: string;
  title: string;
  place: string;
  actionDate: number;
  pledgeDeadline: number;
  levels: number;
  /** When the campaign was first seen (its creation block's time). */
  createdAt: number;
  lang: Lang;
}

function campaignName(c: CampaignFacts): string {
  return c.title || `Bascule ${c.address.slice(0, 10)}`;
}

/** The actor's description (HTML, French then English). */
export function groupSummary(c: CampaignFacts, urls: Urls, timeZone: string): string {
  const where = c.place ? ` — ${escapeHtml(c.place)}` : "";
  return (
    `<p>Grève conditionnelle${NNBSP}: on s’engage à faire grève seulement si assez d’autres s’engagent aussi. ` +
    `Journée d’action${NNBSP}: ${formatDate(c.actionDate, "fr", timeZone, false)}${where}. ` +
    `Engagements jusqu’au ${formatDate(c.pledgeDeadline, "fr", timeZone, true)} sur ` +
    `<a href="${escapeHtml(urls.page(c.address))}">la page de la campagne</a>.</p>` +
    `<p>Conditional strike: you pledge to strike only if enough others pledge too. ` +
    `Action day: ${formatDate(c.actionDate, "en", timeZone, false)}${where}. ` +
    `Pledges until ${formatDate(c.pledgeDeadline, "en", timeZone, true)} on ` +
    `<a href="${escapeHtml(urls.page(c.address))}">the campaign page</a>.</p>`
  );
}

const DAY = 86_400;

export interface Resolution {
  tippingLevel: number;
  committed: number;
}

/** The resolution's sentence, in one language. */
export function resolutionText(c: CampaignFacts, r: Resolution, lang: Lang, timeZone: string): string {
  const day = formatDate(c.actionDate, lang, timeZone, false);
  if (r.tippingLevel === 0) {
    return lang === "fr"
      ? `Campagne échouée${NNBSP}: aucun seuil n’a été atteint, personne n’est tenu de faire grève.`
      : "Campaign failed: no threshold was reached, nobody is bound.";
  }
  if (lang === "fr") {
    const verb = r.committed === 1 ? "fait" : "font";
    return `Campagne réussie${NNBSP}: seuil ${r.tippingLevel} sur ${c.levels} atteint, ${people(r.committed, "fr")} ${verb} grève le ${day}.`;
  }
  const verb = r.committed === 1 ? "strikes" : "strike";
  return `Campaign succeeded: threshold ${r.tippingLevel} of ${c.levels} reached, ${people(r.committed, "en")} ${verb} on ${day}.`;
}

/**
 * The action day as a Mobilizon-readable Event: the whole day from the action date, at the place
 * given (if any), participation on the campaign page. With `resolution`, the Event as updated at
 * resolution: its content says the outcome and `ical:status` is CONFIRMED or CANCELLED.
 */
export function eventObject(
  c: CampaignFacts,
  urls: Urls,
  timeZone: string,
  resolution?: { result: Resolution; at: number },
): Record<string, unknown> {
  const page = urls.page(c.address);
  const intro = (lang: Lang) =>
    lang === "fr"
      ? `Grève conditionnelle${NNBSP}: on s’engage à faire grève seulement si assez d’autres s’engagent aussi. Engagements jusqu’au ${formatDate(c.pledgeDeadline, "fr", timeZone, true)}.`
      : `Conditional strike: you pledge to strike only if enough others pledge too. Pledges until ${formatDate(c.pledgeDeadline, "en", timeZone, true)}.`;
  const body = (lang: Lang) =>
    `<p>${escapeHtml(intro(lang))}</p>` +
    (resolution ? `<p>${escapeHtml(resolutionText(c, resolution.result, lang, timeZone))}</p>` : "") +
    `<p><a href="${escapeHtml(page)}">${escapeHtml(page)}</a></p>`;
  const other: Lang = c.lang === "fr" ? "en" : "fr";
  return {
    id: urls.event(c.address),
    type: "Event",
    name: campaignName(c),
    content: body(c.lang),
    contentMap: { [c.lang]: body(c.lang), [other]: body(other) },
    startTime: iso(c.actionDate),
    endTime: iso(c.actionDate + DAY),
    ...(c.place ? { location: { type: "Place", name: c.place } } : {}),
    attributedTo: urls.actor(c.address),
    to: [PUBLIC],
    url: page,
    uuid: eventUuid(c.address),
    externalParticipationUrl: page,
    joinMode: "external",
    category: "CAUSES",
    inLanguage: c.lang,
    isOnline: false,
    "ical:status": resolution ? (resolution.result.tippingLevel === 0 ? "CANCELLED" : "CONFIRMED") : "TENTATIVE",
    published: iso(c.createdAt),
    ...(resolution ? { updated: iso(resolution.at) } : {}),
  };
}

/** The text of a tipping-level change, in one language (`from` and `to` are levels, 0 for none). */
export function tippingText(c: CampaignFacts, from: number, to: number, committed: number, lang: Lang): string {
  if (to === 0) {
    return lang === "fr"
      ? `Plus aucun seuil n’est atteint pour l’instant (il en faut un à la date limite).`
      : "No threshold is reached any more for now (one must be by the deadline).";
  }
  if (lang === "fr") {
    const what = to > from ? `Seuil ${to} sur ${c.levels} atteint` : `Retour au seuil ${to} sur ${c.levels}`;
    // Bound for now, not merely pledged: "tenu·e de faire grève" (frontend/src/i18n/README.md).
    const agreed = committed === 1 ? "tenue de faire grève" : "tenues de faire grève";
    return `${what}${NNBSP}: ${people(committed, "fr")} ${agreed} pour l’instant. Rien n’est joué avant la date limite.`;
  }
  const what = to > from ? `Threshold ${to} of ${c.levels} reached` : `Back to threshold ${to} of ${c.levels}`;
  return `${what}: ${people(committed, "en")} committed for now. Nothing is settled before the deadline.`;
}

function noteBase(c: CampaignFacts, urls: Urls, slug: string, at: number) {
  return {
    id: urls.note(c.address, slug),
    type: "Note",
    attributedTo: urls.actor(c.address),
    to: [PUBLIC],
    url: urls.page(c.address),
    published: iso(at),
  };
}

/** A tipping-level change as a Note, in both languages (the campaign's first). */
export function tippingNote(
  c: CampaignFacts,
  urls: Urls,
  change: { from: number; to: number; committed: number; block: number; at: number },
): Record<string, unknown> {
  const html = (lang: Lang) =>
    `<p>${escapeHtml(campaignName(c))}${lang === "fr" ? NNBSP : ""}: ${escapeHtml(tippingText(c, change.from, change.to, change.committed, lang))}</p>` +
    `<p><a href="${escapeHtml(urls.page(c.address))}">${escapeHtml(urls.page(c.address))}</a></p>`;
  const other: Lang = c.lang === "fr" ? "en" : "fr";
  return {
    ...noteBase(c, urls, `level-${change.block}-${change.to}`, change.at),
    content: html(c.lang),
    contentMap: { [c.lang]: html(c.lang), [other]: html(other) },
  };
}

/** An announcement as the notifier gives it (GET /v1/campaigns/:address/announcements). */
export interface Announcement {
  id: string;
  campaign: string;
  chainId: number;
  lang: Lang;
  title: string;
  text: string;
  place: string | null;
  startTime: number | null;
  successor: string | null;
  signer: string;
  signature: string;
  publishedAt: number;
}

/** An organiser's announcement as a Note in its language: title, text, place and time, successor. */
export function announcementNote(
  c: CampaignFacts,
  urls: Urls,
  a: Announcement,
  timeZone: string,
): Record<string, unknown> {
  const fr = a.lang === "fr";
  const colon = fr ? `${NNBSP}:` : ":";
  const lines = [
    `<p><strong>${escapeHtml(a.title)}</strong></p>`,
    ...a.text
      .split(/\n{2,}/)
      .filter((p) => p.trim())
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`),
  ];
  const facts: string[] = [];
  if (a.place) facts.push(`${fr ? "Lieu" : "Place"}${colon} ${escapeHtml(a.place)}`);
  if (a.startTime !== null)
    facts.push(`${fr ? "Quand" : "When"}${colon} ${formatDate(a.startTime, a.lang, timeZone, true)}`);
  if (facts.length) lines.push(`<p>${facts.join("<br>")}</p>`);
  if (a.successor) {
    const next = urls.page(a.successor);
    lines.push(
      `<p>${fr ? "La suite" : "What next"}${colon} <a href="${escapeHtml(next)}">${fr ? "la nouvelle campagne" : "the new campaign"}</a> ` +
        `(${escapeHtml(urls.handle(a.successor))})</p>`,
    );
  }
  lines.push(`<p><a href="${escapeHtml(urls.page(c.address))}">${escapeHtml(urls.page(c.address))}</a></p>`);
  const html = lines.join("");
  return {
    ...noteBase(c, urls, `announcement-${a.id.replace(/^0x/, "").toLowerCase()}`, a.publishedAt),
    content: html,
    contentMap: { [a.lang]: html },
    ...(a.place || a.startTime !== null
      ? {
          ...(a.place ? { location: { type: "Place", name: a.place } } : {}),
          ...(a.startTime !== null ? { startTime: iso(a.startTime) } : {}),
        }
      : {}),
  };
}

/** An activity by the campaign's actor around `object`, public unless `to` says otherwise. */
export function activity(
  type: "Create" | "Update" | "Accept",
  urls: Urls,
  campaign: string,
  slug: string,
  object: unknown,
  to: string[] = [PUBLIC],
): Record<string, unknown> {
  return {
    "@context": CONTEXT,
    id: urls.activity(campaign, slug),
    type,
    actor: urls.actor(campaign),
    to,
    object,
  };
}

/** The object alone as served at its id, with the context. */
export function withContext(object: Record<string, unknown>): Record<string, unknown> {
  return { "@context": CONTEXT, ...object };
}
