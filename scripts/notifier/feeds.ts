/**
 * A campaign's Atom feed (thresholds reached and lost, resolution, the day before the action, the
 * organiser's announcements) and its calendar (iCalendar, RFC 5545): the action day, and each
 * announcement with a time as an event of its own. Both are built from public chain facts and
 * signed announcements only, identical for every reader: following them tells the notifier nothing
 * about anyone.
 * Libraries: `feed` (Atom 1.0) and `ical-generator` (RFC 5545 escaping, folding, DTSTAMP, UID).
 */
import { Feed } from "feed";
import ical, { ICalCalendarMethod } from "ical-generator";
import { NotifierError } from "./errors.js";
import {
  type CampaignFacts,
  type Lang,
  announcementText,
  dateOf,
  entryText,
  formatDay,
  isThreshold,
} from "./messages.js";
import type { AnnouncementRow, CampaignRow, EntryRow } from "./store.js";

export interface FeedLinks {
  /** The campaign's page in the dApp. */
  campaignUrl: string;
  /** This feed's own URL. */
  feedUrl: string;
  /** The dApp's base URL (links to a successor campaign). */
  appBase?: string;
}

/**
 * One version of each announcement for a reader of `lang`: theirs when the organiser wrote one,
 * else the other language's. Newest first, as `announcements` is.
 */
export function announcementsIn(all: readonly AnnouncementRow[], lang: Lang): AnnouncementRow[] {
  const byTime = new Map<number, AnnouncementRow>();
  for (const a of all) {
    const kept = byTime.get(a.issued_at);
    if (!kept || (kept.lang !== lang && a.lang === lang)) byTime.set(a.issued_at, a);
  }
  return [...byTime.values()].sort((x, y) => y.issued_at - x.issued_at);
}

function campaignName(c: CampaignFacts, lang: Lang): string {
  return c.title || (lang === "fr" ? `Campagne ${c.address}` : `Campaign ${c.address}`);
}

/**
 * The Atom feed of one campaign, newest entry first. Its texts say what is true when it is
 * generated (`now`): once the pledge deadline has passed, the threshold entries say what held at
 * that point and that the period has ended; their `updated` is then the deadline, so that a reader
 * that already fetched them before picks up the new wording.
 */
export function atomFeed(
  c: CampaignFacts,
  row: Pick<CampaignRow, "created_at">,
  entries: readonly EntryRow[],
  lang: Lang,
  links: FeedLinks,
  timeZone: string,
  announcements: readonly AnnouncementRow[] = [],
  /** When the feed is generated (seconds; the clock by default). */
  now: number = Math.floor(Date.now() / 1000),
): string {
  const fr = lang === "fr";
  const told = new Map(announcementsIn(announcements, lang).map((a) => [a.issued_at, a]));
  const past = now >= c.pledgeDeadline;
  /** An entry's last change: its own time, or the deadline for a threshold entry reworded after it. */
  const changed = (e: EntryRow) => (past && isThreshold(e.kind) ? Math.max(e.at, c.pledgeDeadline) : e.at);
  const updated = new Date(1000 * (entries.length ? Math.max(...entries.map(changed)) : row.created_at));
  const feed = new Feed({
    id: `urn:bascule:campaign:${c.address.toLowerCase()}`,
    title: campaignName(c, lang),
    description: fr
      ? `Les seuils atteints, le résultat, la veille de l’action et les messages de l’organisation, pour l’action du ${formatDay(c, lang, timeZone)}.`
      : `Thresholds reached, the result, the day before the action and the organiser's messages, for the action on ${formatDay(c, lang, timeZone)}.`,
    link: links.campaignUrl,
    language: lang,
    updated,
    generator: "Bascule notifier",
    feedLinks: { atom: links.feedUrl },
    copyright: "",
  });
  for (const e of [...entries].reverse()) {
    const announcement = e.kind === "announcement" ? told.get(e.at) : undefined;
    const text = entryText(c, e, lang, timeZone, announcement, links.appBase, now);
    feed.addItem({
      id: `urn:bascule:campaign:${c.address.toLowerCase()}:${e.seq}`,
      title: text.title,
      link: links.campaignUrl,
      date: new Date(changed(e) * 1000),
      published: new Date(e.at * 1000),
      content: text.content,
      category: [{ term: e.kind }],
    });
  }
  return feed.atom1();
}

/**
 * One all-day event on the action day (or timed at the action date when no day is described).
 * Refused with DATE_BEYOND_CALENDAR when that day is past what iCalendar writes (four-digit years:
 * 31 December 9999 at the latest); anyone can create a campaign, with any uint64 for its dates.
 */
export function calendarEntry(
  c: CampaignFacts,
  lang: Lang,
  links: Pick<FeedLinks, "campaignUrl" | "appBase">,
  announcements: readonly AnnouncementRow[] = [],
  timeZone = "UTC",
): string {
  const fr = lang === "fr";
  const cal = ical({
    prodId: { company: "Bascule", product: "notifier", language: lang.toUpperCase() },
    name: campaignName(c, lang),
    method: ICalCalendarMethod.PUBLISH,
  });
  const day = /^\d{4}-\d{2}-\d{2}$/.test(c.actionDay) ? new Date(`${c.actionDay}T00:00:00Z`) : null;
  const allDay = day !== null && !Number.isNaN(day.getTime());
  const start = allDay ? day : dateOf(c.actionDate);
  if (!start || start.getTime() + 86_400_000 > Date.UTC(10_000, 0, 1)) throw new NotifierError("DATE_BEYOND_CALENDAR");
  cal.createEvent({
    id: `${c.address.toLowerCase()}@bascule`,
    start,
    end: new Date(start.getTime() + (allDay ? 86_400_000 : 3_600_000)),
    allDay,
    // Same instant for every reader: the entry never changes with who downloads it.
    stamp: dateOf(c.pledgeDeadline) ?? start,
    summary: campaignName(c, lang),
    location: c.place || undefined,
    url: links.campaignUrl,
    description: fr
      ? `Votre engagement ne compte que si votre seuil est atteint à la date limite. Vérifiez sur la page de la campagne\u202f: ${links.campaignUrl}`
      : `Your pledge binds only if your threshold is reached at the deadline. Check on the campaign page: ${links.campaignUrl}`,
  });
  // Each announcement with a time (a meeting, a picket) is an event of its own, an hour long by default.
  for (const a of announcementsIn(announcements, lang)) {
    if (!a.start_time) continue;
    const at = dateOf(a.start_time);
    if (!at || at.getTime() + 3_600_000 > Date.UTC(10_000, 0, 1)) continue;
    cal.createEvent({
      // One event whichever language it is read in.
      id: `${a.campaign.toLowerCase()}-${a.issued_at}@bascule`,
      start: at,
      end: new Date(at.getTime() + 3_600_000),
      stamp: dateOf(a.issued_at) ?? at,
      summary: a.title,
      location: a.place || undefined,
      url: links.campaignUrl,
      description: `${announcementText(a, lang, timeZone, links.appBase).content}\n\n${links.campaignUrl}`,
    });
  }
  return cal.toString();
}
