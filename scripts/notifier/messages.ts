/**
 * What the notifier says, in French and in English: the push notifications (one text per event and
 * per subscriber's situation) and the public feed entries. Plain words; numbers and dates through
 * Intl in the reader's language; French typography (narrow no-break space before : ; ! ?).
 */
import type { AnnouncementRow, CampaignRow, EntryRow } from "./store.js";
import { binds as bindsUnder } from "@bascule/core/model";
import { campaignPath, campaignUrl, href } from "@bascule/core/routes";

export type Lang = "en" | "fr";
export const LANGS: readonly Lang[] = ["en", "fr"];

/** What a push message carries; the service worker shows `title` and `body` and opens `url`. */
export interface PushPayload {
  kind: EntryRow["kind"];
  /** Whether the subscriber's pledge binds after this event. */
  binds: boolean;
  title: string;
  body: string;
  /** Path of the campaign page in the dApp (the service worker opens it). */
  url: string;
  /** Notifications with the same tag replace each other on the device. */
  tag: string;
  campaign: string;
  level: number;
  /** The subscriber's condition class (0: none). */
  condition: number;
  lang: Lang;
}

const NNBSP = "\u202f";

export interface CampaignFacts {
  address: string;
  ladder: number[];
  /** c_1..c_K in basis points ([]: the campaign has no conditions). */
  conditions: number[];
  title: string;
  place: string;
  actionDay: string;
  actionDate: number;
  pledgeDeadline: number;
}

export function campaignFacts(row: CampaignRow): CampaignFacts {
  return {
    address: row.address,
    ladder: JSON.parse(row.ladder) as number[],
    conditions: JSON.parse(row.conditions ?? "[]") as number[],
    title: row.title,
    place: row.place,
    actionDay: row.action_day,
    actionDate: row.action_date,
    pledgeDeadline: row.pledge_deadline,
  };
}

function people(n: number, lang: Lang): string {
  const count = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB").format(n);
  const one = new Intl.PluralRules(lang === "fr" ? "fr-FR" : "en-GB").select(n) === "one";
  if (lang === "fr") return `${count} ${one ? "personne" : "personnes"}`;
  return `${count} ${one ? "person" : "people"}`;
}

/**
 * A count of people who are bound (their pledges count): "7 personnes sont tenues de faire grève",
 * "1 person is now bound to strike". Never "engagé·e", which says only that someone has pledged
 * (frontend/src/i18n/README.md).
 */
export function boundPeople(n: number, lang: Lang, now = false): string {
  const one = new Intl.PluralRules(lang === "fr" ? "fr-FR" : "en-GB").select(n) === "one";
  if (lang === "fr") {
    if (n === 0) return `Personne n’est${now ? " maintenant" : ""} tenu de faire grève`;
    return `${people(n, lang)} ${one ? "est" : "sont"}${now ? " maintenant" : ""} ${one ? "tenue" : "tenues"} de faire grève`;
  }
  if (n === 0) return `Nobody is${now ? " now" : ""} bound to strike`;
  return `${people(n, lang)} ${one ? "is" : "are"}${now ? " now" : ""} bound to strike`;
}

/**
 * After the pledge deadline: the period is over and the count at that date decides. Said by every
 * text about a change during the pledge period that is read or sent once it has passed.
 */
function periodEnded(deadline: string, lang: Lang): string {
  return lang === "fr"
    ? `La période d’engagement est close (${deadline})${NNBSP}: c’est le nombre à cette date qui décide.`
    : `The pledge period has ended (${deadline}): the count at that date decides.`;
}

/** The latest instant a JavaScript Date holds (8.64e15 ms after 1970: 13 September 275760, UTC). */
const LAST_MS = 8.64e15;

/**
 * A time in seconds since 1970 as a Date, or null past what a Date holds. Anyone can create a
 * campaign, and its dates are any uint64: 10^13 s (year 318,857) or 2^64 - 1 would make `Intl` throw.
 */
export function dateOf(seconds: number): Date | null {
  const ms = seconds * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= LAST_MS ? new Date(ms) : null;
}

/** What the reader reads for a date past the calendar ("after the year 275,760", "après l’an 275 760"). */
function beyondCalendar(lang: Lang): string {
  const year = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB").format(275_760);
  return lang === "fr" ? `après l’an ${year}` : `after the year ${year}`;
}

/**
 * The action day as the reader says it ("1 May 2027", "1 mai 2027"): the description's day when it
 * is a real one, else the campaign's action date; past the calendar, "after the year 275,760".
 */
export function formatDay(c: Pick<CampaignFacts, "actionDay" | "actionDate">, lang: Lang, timeZone: string): string {
  const locale = lang === "fr" ? "fr-FR" : "en-GB";
  const day = /^\d{4}-\d{2}-\d{2}$/.test(c.actionDay) ? new Date(`${c.actionDay}T00:00:00Z`) : null;
  if (day && !Number.isNaN(day.getTime()))
    return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(day);
  const date = dateOf(c.actionDate);
  if (!date) return beyondCalendar(lang);
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(date);
}

/** The pledge deadline, day and time, in the reader's language and time zone (past the calendar, as `formatDay`). */
export function formatDeadline(c: Pick<CampaignFacts, "pledgeDeadline">, lang: Lang, timeZone: string): string {
  const locale = lang === "fr" ? "fr-FR" : "en-GB";
  const date = dateOf(c.pledgeDeadline);
  if (!date) return beyondCalendar(lang);
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone }).format(date);
}

/** Basis points as a percentage in the reader's language ("50%", "50 %" with a narrow no-break space); exact to 0.01 %. */
export function percent(bp: number, lang: Lang): string {
  const text = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    style: "percent",
    maximumFractionDigits: 2,
  }).format(bp / 10_000);
  return lang === "fr" ? text.replace(/[\u00a0 ]%/, `${NNBSP}%`) : text;
}

/** What an entry says about the bound set after it: j* (`to_level`), k*, j*_k. */
type BoundSet = Pick<EntryRow, "to_level" | "bound_condition" | "bound_condition_level">;

/**
 * The levels at which pledges of condition `k` bind under a bound set: 1..n, 0 for none
 * (MECHANISM.md: k < k* up to j*, k = k* up to j*_k). Condition 0 always binds up to j*.
 */
export function boundUpTo(e: BoundSet, k: number): number {
  if (e.to_level === 0) return 0;
  if (k === 0 || k < e.bound_condition) return e.to_level;
  return k === e.bound_condition ? Math.min(e.bound_condition_level, e.to_level) : 0;
}

/** Whether a pledge at (level, condition) binds under the entry's bound set (the model's `binds`). */
export function bindsAfter(e: BoundSet, sub: { level: number; condition: number }): boolean {
  if (sub.condition === 0) return e.to_level > 0 && sub.level <= e.to_level;
  return bindsUnder(
    { tippingLevel: e.to_level, boundCondition: e.bound_condition, boundConditionLevel: e.bound_condition_level },
    sub,
  );
}

function name(c: CampaignFacts, lang: Lang): string {
  if (c.title) return c.title;
  return lang === "fr" ? `la campagne ${c.address.slice(0, 10)}…` : `campaign ${c.address.slice(0, 10)}…`;
}

function colon(lang: Lang): string {
  return lang === "fr" ? `${NNBSP}:` : ":";
}

/**
 * The notification one subscriber receives for one entry.
 * @example
 * notificationText(facts, entry, { level: 2, lang: "fr" }, "Europe/Paris")
 * // { title: "Votre seuil est atteint : Grève…", body: "52 personnes sont maintenant tenues de faire grève…", … }
 */
export function notificationText(
  c: CampaignFacts,
  e: Pick<EntryRow, "kind" | "from_level" | "to_level" | "committed" | "paid"> &
    Partial<Pick<EntryRow, "bound_condition" | "bound_condition_level" | "coverage">>,
  sub: { level: number; condition?: number; lang: Lang },
  timeZone: string,
  announcement?: Pick<AnnouncementRow, "title" | "issued_at">,
  /** When the text is written (seconds; the clock by default): past the deadline, no "before the deadline". */
  now: number = Math.floor(Date.now() / 1000),
): PushPayload {
  const lang = sub.lang;
  const fr = lang === "fr";
  const title = name(c, lang);
  const wanted = people(c.ladder[sub.level - 1] ?? 0, lang);
  const committed = people(e.committed, lang);
  const day = formatDay(c, lang, timeZone);
  const deadline = formatDeadline(c, lang, timeZone);
  // Sent after the deadline (a late delivery), the text says the pledge period is over instead of
  // asking for anything "before the deadline".
  const past = now >= c.pledgeDeadline;
  const ended = periodEnded(deadline, lang);
  // Past the deadline, a change reported late no longer holds "for now": it held at that point.
  const noLonger = past
    ? fr
      ? "Votre engagement ne comptait plus à ce moment-là."
      : "Your pledge no longer bound at that point."
    : fr
      ? "Votre engagement ne compte plus pour l’instant."
      : "Your pledge does not bind for now.";
  const wouldAct = past ? (fr ? "agiraient alors" : "would then act") : fr ? "agiraient maintenant" : "would act now";
  /** Those who are bound (their pledges count), "N personnes sont tenues de faire grève". */
  const bound = boundPeople(e.committed, lang);
  const share = past
    ? ended
    : fr
      ? `Partagez la campagne avant la date limite (${deadline}).`
      : `Share the campaign before the deadline (${deadline}).`;
  const condition = sub.condition ?? 0;
  const boundSet = {
    to_level: e.to_level,
    bound_condition: e.bound_condition ?? 0,
    bound_condition_level: e.bound_condition_level ?? e.to_level,
  };
  const binds = bindsAfter(boundSet, { level: sub.level, condition });
  /** The subscriber's condition ("50%") and the coverage paid / R ("62.5%"). */
  const asked = condition > 0 ? percent(c.conditions[condition - 1] ?? 0, lang) : "";
  const covered = percent(e.coverage ?? 10_000, lang);
  // A conditional pledge at or below j* that does not bind is kept out by coverage, not by the count.
  const keptOut = condition > 0 && !binds && e.to_level > 0 && sub.level <= e.to_level;
  let head: string;
  let body: string;
  switch (e.kind) {
    case "reached":
      head = fr ? `Votre seuil est atteint${colon(lang)} ${title}` : `Your threshold is reached: ${title}`;
      body = fr
        ? `${boundPeople(e.committed, lang, true)}, au moins les ${wanted} que vous attendiez. Votre engagement compte désormais${past ? `. ${ended} S’il n’a pas changé depuis, vous agissez le ${day}.` : `${NNBSP}: sauf si le nombre redescend avant la date limite (${deadline}), vous agissez le ${day}.`}`
        : `${boundPeople(e.committed, lang, true)}, at least the ${wanted} you were waiting for. Your pledge now binds${past ? `. ${ended} Unless it changed since, you act on ${day}.` : `: unless the count drops again before the deadline (${deadline}), you act on ${day}.`}`;
      break;
    case "lost":
      head = fr
        ? `Votre seuil n’est plus atteint${colon(lang)} ${title}`
        : `Your threshold is no longer reached: ${title}`;
      body =
        e.to_level === 0
          ? fr
            ? `Des engagements ont été retirés${NNBSP}: plus aucun seuil n’est atteint, il en faut ${wanted} pour le vôtre. ${noLonger} ${share}`
            : `Some pledges were withdrawn: no threshold is reached any more, and yours needs ${wanted}. ${noLonger} ${share}`
          : fr
            ? `Des engagements ont été retirés${NNBSP}: ${committed} ${wouldAct}, moins que les ${wanted} que vous attendiez. ${noLonger} ${share}`
            : `Some pledges were withdrawn: ${committed} ${wouldAct}, fewer than the ${wanted} you were waiting for. ${noLonger} ${share}`;
      break;
    case "covered":
      head = fr ? `Votre groupe compte désormais${colon(lang)} ${title}` : `Your group now counts: ${title}`;
      body = fr
        ? `Le fonds couvre maintenant ${covered} du soutien demandé, au moins les ${asked} que votre engagement exige${NNBSP}: votre engagement compte désormais. ${bound}${past ? `. ${ended} Sauf changement depuis, vous agissez le ${day}.` : `${NNBSP}; sauf changement avant la date limite (${deadline}), vous agissez le ${day}.`}`
        : `The fund now covers ${covered} of the support requested, at least the ${asked} your pledge asks for: your pledge now binds. ${bound}${past ? `. ${ended} Unless it changed since, you act on ${day}.` : `; unless this changes before the deadline (${deadline}), you act on ${day}.`}`;
      break;
    case "uncovered":
      head = fr ? `Votre groupe ne compte plus${colon(lang)} ${title}` : `Your group no longer counts: ${title}`;
      body = keptOut
        ? fr
          ? `Le fonds couvre moins de ${asked} du soutien demandé si votre groupe est compté${NNBSP}: ${noLonger.charAt(0).toLowerCase()}${noLonger.slice(1)} ${past ? ended : `D’autres dons avant la date limite (${deadline}) peuvent le rétablir.`} ${bound}.`
          : `The fund covers less than ${asked} of the support requested with your group counted: ${noLonger.charAt(0).toLowerCase()}${noLonger.slice(1)} ${past ? ended : `More donations before the deadline (${deadline}) can bring it back.`} ${bound}.`
        : e.to_level === 0
          ? fr
            ? `Plus aucun seuil n’est atteint, il en faut ${wanted} pour le vôtre${NNBSP}: ${noLonger.charAt(0).toLowerCase()}${noLonger.slice(1)} ${share}`
            : `No threshold is reached any more, and yours needs ${wanted}: ${noLonger.charAt(0).toLowerCase()}${noLonger.slice(1)} ${share}`
          : fr
            ? `${committed} ${wouldAct}, moins que les ${wanted} que vous attendiez${NNBSP}: ${noLonger.charAt(0).toLowerCase()}${noLonger.slice(1)} ${share}`
            : `${committed} ${wouldAct}, fewer than the ${wanted} you were waiting for: ${noLonger.charAt(0).toLowerCase()}${noLonger.slice(1)} ${share}`;
      break;
    case "resolved":
      if (binds) {
        head = fr
          ? `C’est décidé, vous agissez le ${day}${colon(lang)} ${title}`
          : `It is decided, you act on ${day}: ${title}`;
        body = fr
          ? `${bound}, votre seuil de ${wanted} est atteint${NNBSP}: votre engagement compte.`
          : `${bound}, your threshold of ${wanted} is reached: your pledge binds.`;
        if (condition > 0) {
          body += fr
            ? ` Le fonds couvre ${covered} de chaque demande de soutien, au moins les ${asked} que vous demandiez.`
            : ` The fund covers ${covered} of each support request, at least the ${asked} you asked for.`;
        }
        if (e.paid > 0) {
          body += fr
            ? ` Un soutien est dû${NNBSP}: si vous en avez demandé un, réclamez-le depuis votre page de reçu.`
            : ` Support is due: if you asked for some, claim it from your receipt page.`;
        }
      } else if (keptOut) {
        head = fr ? `C’est décidé, vous êtes libre${colon(lang)} ${title}` : `It is decided, you are free: ${title}`;
        body = fr
          ? `${bound} et votre seuil de ${wanted} est atteint, mais le fonds ne pouvait pas couvrir ${asked} du soutien demandé avec votre groupe${NNBSP}: votre engagement ne compte pas, vous êtes libre de vous joindre ou non à l’action du ${day}.`
          : `${bound} and your threshold of ${wanted} is reached, but the fund could not cover ${asked} of the support requested with your group: your pledge does not bind, you are free to join the action on ${day} or not.`;
      } else if (e.to_level === 0) {
        head = fr ? `C’est décidé, vous êtes libre${colon(lang)} ${title}` : `It is decided, you are free: ${title}`;
        body = fr
          ? `Aucun seuil n’a été atteint${NNBSP}: aucun engagement ne compte, les dons retournent aux donateurs.`
          : `No threshold was reached: no pledge binds, and donations go back to the donors.`;
      } else {
        head = fr ? `C’est décidé, vous êtes libre${colon(lang)} ${title}` : `It is decided, you are free: ${title}`;
        body = fr
          ? `${bound}, moins que les ${wanted} que vous attendiez${NNBSP}: votre engagement ne compte pas, vous êtes libre de vous joindre ou non à l’action du ${day}.`
          : `${bound}, fewer than the ${wanted} you were waiting for: your pledge does not bind, you are free to join the action on ${day} or not.`;
      }
      break;
    case "announcement":
      // Lock-screen caution: the organiser's title only; the text, the place and the time are on the page.
      head = fr ? `Message de l’organisation${colon(lang)} ${title}` : `From the organiser: ${title}`;
      body = announcement
        ? announcement.title
        : fr
          ? `Un nouveau message est sur la page de la campagne.`
          : `A new message is on the campaign page.`;
      break;
    case "reminder":
      head = fr ? `C’est demain${colon(lang)} ${title}` : `Tomorrow: ${title}`;
      body = binds
        ? fr
          ? `Votre engagement compte${NNBSP}: ${committed} agissent avec vous le ${day}${c.place ? `, ${c.place}` : ""}. Gardez votre reçu, c’est votre seule preuve.`
          : `Your pledge binds: ${committed} act with you on ${day}${c.place ? `, ${c.place}` : ""}. Keep your receipt: it is your only proof.`
        : keptOut
          ? fr
            ? `Le fonds ne couvrait pas ${asked} du soutien demandé avec votre groupe${NNBSP}: vous êtes libre de vous joindre ou non à l’action du ${day}. ${bound}.`
            : `The fund could not cover ${asked} of the support requested with your group: you are free to join the action on ${day} or not. ${bound}.`
          : fr
            ? `Votre seuil de ${wanted} n’a pas été atteint${NNBSP}: vous êtes libre de vous joindre ou non à l’action du ${day}. ${bound}.`
            : `Your threshold of ${wanted} was not reached: you are free to join the action on ${day} or not. ${bound}.`;
      break;
  }
  return {
    kind: e.kind,
    binds,
    title: head,
    body,
    url: href(campaignPath(c.address as `0x${string}`)),
    // Reached, lost, covered and uncovered replace each other on the device: only the latest state
    // matters. Announcements do not replace each other.
    tag: `bascule-${c.address.toLowerCase()}-${isThreshold(e.kind) ? "threshold" : e.kind === "announcement" ? `announcement-${announcement?.issued_at ?? 0}` : e.kind}`,
    campaign: c.address,
    level: sub.level,
    condition,
    lang,
  };
}

/** The kinds that tell whether one's pledge counts during the pledge period (they replace each other). */
export function isThreshold(kind: EntryRow["kind"]): boolean {
  return kind === "reached" || kind === "lost" || kind === "covered" || kind === "uncovered";
}

/**
 * A feed entry's title and text (the same for every reader). A threshold entry read once the pledge
 * deadline has passed says what held at that point and that the period has ended, not what "now"
 * binds "as long as the count does not drop before the deadline".
 */
export function entryText(
  c: CampaignFacts,
  e: EntryRow,
  lang: Lang,
  timeZone: string,
  announcement?: AnnouncementRow,
  appBase?: string,
  /** When the feed is generated (seconds; the clock by default). */
  now: number = Math.floor(Date.now() / 1000),
): { title: string; content: string } {
  const fr = lang === "fr";
  const day = formatDay(c, lang, timeZone);
  const committed = people(e.committed, lang);
  const past = now >= c.pledgeDeadline;
  const wouldAct = past ? (fr ? "agiraient alors" : "would then act") : fr ? "agiraient maintenant" : "would act now";
  /** Past the deadline, a threshold entry ends by saying the period is over. */
  const after = past ? ` ${periodEnded(formatDeadline(c, lang, timeZone), lang)}` : "";
  switch (e.kind) {
    case "reached": {
      const threshold = people(c.ladder[e.to_level - 1] ?? 0, lang);
      return {
        title: fr ? `Seuil atteint${colon(lang)} ${threshold}` : `Threshold reached: ${threshold}`,
        content: past
          ? fr
            ? `${committed} agiraient alors. Les engagements aux seuils jusqu’à ${threshold} comptaient dès lors, sauf si le nombre est redescendu ensuite.${after}`
            : `${committed} would then act. Pledges at thresholds up to ${threshold} bound from then on, unless the count dropped again afterwards.${after}`
          : fr
            ? `${committed} agiraient maintenant. Les engagements aux seuils jusqu’à ${threshold} comptent désormais, tant que le nombre ne redescend pas avant la date limite.`
            : `${committed} would act now. Pledges at thresholds up to ${threshold} now bind, as long as the count does not drop before the deadline.`,
      };
    }
    case "lost": {
      const threshold = people(c.ladder[e.from_level - 1] ?? 0, lang);
      return {
        title: fr ? `Seuil plus atteint${colon(lang)} ${threshold}` : `Threshold no longer reached: ${threshold}`,
        content:
          e.to_level === 0
            ? fr
              ? `Des engagements ont été retirés${NNBSP}: ${past ? "plus aucun seuil n’était alors atteint." : "plus aucun seuil n’est atteint."}${after}`
              : `Some pledges were withdrawn: no threshold ${past ? "was reached any more at that point." : "is reached any more."}${after}`
            : fr
              ? `Des engagements ont été retirés${NNBSP}: ${committed} ${wouldAct}.${after}`
              : `Some pledges were withdrawn: ${committed} ${wouldAct}.${after}`,
      };
    }
    case "covered":
    case "uncovered": {
      const asked = percent(c.conditions[e.condition - 1] ?? 0, lang);
      const covered = percent(e.coverage, lang);
      const upTo = boundUpTo(e, e.condition);
      const threshold = people(c.ladder[upTo - 1] ?? 0, lang);
      if (e.kind === "covered") {
        return {
          title: fr
            ? `Engagements conditionnels comptés${colon(lang)} au moins ${asked} couverts`
            : `Conditional pledges count: at least ${asked} covered`,
          content: fr
            ? past
              ? `Le fonds couvrait alors ${covered} du soutien demandé${NNBSP}: les engagements qui exigent au moins ${asked} couverts comptaient dès lors aux seuils jusqu’à ${threshold}. ${committed} ${wouldAct}.${after}`
              : `Le fonds couvre ${covered} du soutien demandé${NNBSP}: les engagements qui exigent au moins ${asked} couverts comptent désormais aux seuils jusqu’à ${threshold}. ${committed} ${wouldAct}.`
            : past
              ? `The fund then covered ${covered} of the support requested: pledges asking at least ${asked} covered counted from then on at thresholds up to ${threshold}. ${committed} ${wouldAct}.${after}`
              : `The fund covers ${covered} of the support requested: pledges asking at least ${asked} covered now count at thresholds up to ${threshold}. ${committed} ${wouldAct}.`,
        };
      }
      return {
        title: fr
          ? `Moins d’engagements conditionnels comptés${colon(lang)} au moins ${asked} couverts`
          : `Fewer conditional pledges count: at least ${asked} covered`,
        content:
          upTo === 0
            ? fr
              ? `Les engagements qui exigent au moins ${asked} couverts ${past ? "ne comptaient plus dès lors" : "ne comptent plus"} (couverture ${covered}). ${committed} ${wouldAct}.${after}`
              : `Pledges asking at least ${asked} covered ${past ? "no longer counted from then on" : "no longer count"} (coverage ${covered}). ${committed} ${wouldAct}.${after}`
            : fr
              ? `Les engagements qui exigent au moins ${asked} couverts ${past ? "ne comptaient plus dès lors" : "ne comptent plus"} qu’aux seuils jusqu’à ${threshold} (couverture ${covered}). ${committed} ${wouldAct}.${after}`
              : `Pledges asking at least ${asked} covered ${past ? "counted from then on" : "now count"} only at thresholds up to ${threshold} (coverage ${covered}). ${committed} ${wouldAct}.${after}`,
      };
    }
    case "resolved":
      return e.to_level === 0
        ? {
            title: fr ? `Résultat${colon(lang)} aucun seuil atteint` : `Result: no threshold reached`,
            content: fr
              ? `Aucun engagement ne compte, les dons retournent aux donateurs.`
              : `No pledge binds, and donations go back to the donors.`,
          }
        : {
            title: fr ? `Résultat${colon(lang)} ${committed} agissent le ${day}` : `Result: ${committed} act on ${day}`,
            content: fr
              ? `Les engagements aux seuils jusqu’à ${people(c.ladder[e.to_level - 1] ?? 0, lang)} comptent.${e.paid > 0 ? " Le soutien demandé peut être réclamé." : ""}`
              : `Pledges at thresholds up to ${people(c.ladder[e.to_level - 1] ?? 0, lang)} bind.${e.paid > 0 ? " Requested support can be claimed." : ""}`,
          };
    case "announcement":
      if (!announcement) {
        return {
          title: fr ? `Message de l’organisation` : `From the organiser`,
          content: fr ? `Un message est sur la page de la campagne.` : `A message is on the campaign page.`,
        };
      }
      return announcementText(announcement, lang, timeZone, appBase);
    case "reminder":
      return {
        title: fr ? `C’est demain${colon(lang)} ${name(c, lang)}` : `Tomorrow: ${name(c, lang)}`,
        content: fr
          ? `L’action a lieu le ${day}${c.place ? `, ${c.place}` : ""}. ${boundPeople(e.committed, lang)}.`
          : `The action is on ${day}${c.place ? `, ${c.place}` : ""}. ${boundPeople(e.committed, lang)}.`,
      };
  }
}

/** When an announcement's meeting is, in the reader's language and time zone ("12 June 2027 at 18:00"). */
export function formatStart(seconds: number, lang: Lang, timeZone: string): string {
  const date = dateOf(seconds);
  if (!date) return beyondCalendar(lang);
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone,
  }).format(date);
}

/**
 * An announcement in the feed: the organiser's title, then the text, the place and time when given,
 * and the successor campaign's page when there is one. `lang` is the reader's; the words are the
 * organiser's, in the announcement's own language.
 */
export function announcementText(
  a: Pick<AnnouncementRow, "title" | "text" | "place" | "start_time" | "successor">,
  lang: Lang,
  timeZone: string,
  /** The dApp's base URL, for a full link to the successor (else the in-app link). */
  appBase?: string,
): { title: string; content: string } {
  const fr = lang === "fr";
  const parts = [a.text];
  if (a.place || a.start_time) {
    const when = a.start_time ? formatStart(a.start_time, lang, timeZone) : "";
    const where = [when, a.place].filter(Boolean).join(", ");
    parts.push(fr ? `Où et quand${colon(lang)} ${where}.` : `Where and when: ${where}.`);
  }
  if (a.successor) {
    const next = a.successor as `0x${string}`;
    const link = appBase ? campaignUrl(appBase, next) : href(campaignPath(next));
    parts.push(fr ? `La suite${colon(lang)} ${link}` : `What comes next: ${link}`);
  }
  return { title: a.title, content: parts.join("\n\n") };
}
