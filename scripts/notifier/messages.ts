/**
 * What the notifier says, in French and in English: the push notifications (one text per event and
 * per subscriber's situation) and the public feed entries. Plain words; numbers and dates through
 * Intl in the reader's language; French typography (narrow no-break space before : ; ! ?).
 */
import type { CampaignRow, EntryRow } from "./store.js";
import { campaignPath, href } from "@bascule/core/routes";

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
  lang: Lang;
}

const NNBSP = "\u202f";

export interface CampaignFacts {
  address: string;
  ladder: number[];
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

/** The action day as the reader says it ("1 May 2027", "1 mai 2027"). */
export function formatDay(c: Pick<CampaignFacts, "actionDay" | "actionDate">, lang: Lang, timeZone: string): string {
  const locale = lang === "fr" ? "fr-FR" : "en-GB";
  if (/^\d{4}-\d{2}-\d{2}$/.test(c.actionDay)) {
    return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(
      new Date(`${c.actionDay}T00:00:00Z`),
    );
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(new Date(c.actionDate * 1000));
}

export function formatDeadline(c: Pick<CampaignFacts, "pledgeDeadline">, lang: Lang, timeZone: string): string {
  const locale = lang === "fr" ? "fr-FR" : "en-GB";
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone }).format(
    new Date(c.pledgeDeadline * 1000),
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
 * // { title: "Votre seuil est atteint : Grève…", body: "52 personnes sont maintenant engagées…", … }
 */
export function notificationText(
  c: CampaignFacts,
  e: Pick<EntryRow, "kind" | "from_level" | "to_level" | "committed" | "paid">,
  sub: { level: number; lang: Lang },
  timeZone: string,
): PushPayload {
  const lang = sub.lang;
  const fr = lang === "fr";
  const title = name(c, lang);
  const wanted = people(c.ladder[sub.level - 1] ?? 0, lang);
  const committed = people(e.committed, lang);
  const day = formatDay(c, lang, timeZone);
  const deadline = formatDeadline(c, lang, timeZone);
  const binds = e.kind === "lost" ? false : e.to_level >= sub.level && e.to_level > 0;
  let head: string;
  let body: string;
  switch (e.kind) {
    case "reached":
      head = fr ? `Votre seuil est atteint${colon(lang)} ${title}` : `Your threshold is reached: ${title}`;
      body = fr
        ? `${committed} sont maintenant engagées, au moins les ${wanted} que vous attendiez. Votre engagement compte désormais${NNBSP}: sauf si le nombre redescend avant la date limite (${deadline}), vous agissez le ${day}.`
        : `${committed} are now committed, at least the ${wanted} you were waiting for. Your pledge now binds: unless the count drops again before the deadline (${deadline}), you act on ${day}.`;
      break;
    case "lost":
      head = fr
        ? `Votre seuil n'est plus atteint${colon(lang)} ${title}`
        : `Your threshold is no longer reached: ${title}`;
      body =
        e.to_level === 0
          ? fr
            ? `Des engagements ont été retirés${NNBSP}: plus aucun seuil n'est atteint, il en faut ${wanted} pour le vôtre. Votre engagement ne compte plus pour l'instant. Partagez la campagne avant la date limite (${deadline}).`
            : `Some pledges were withdrawn: no threshold is reached any more, and yours needs ${wanted}. Your pledge does not bind for now. Share the campaign before the deadline (${deadline}).`
          : fr
            ? `Des engagements ont été retirés${NNBSP}: ${committed} agiraient maintenant, moins que les ${wanted} que vous attendiez. Votre engagement ne compte plus pour l'instant. Partagez la campagne avant la date limite (${deadline}).`
            : `Some pledges were withdrawn: ${committed} would act now, fewer than the ${wanted} you were waiting for. Your pledge does not bind for now. Share the campaign before the deadline (${deadline}).`;
      break;
    case "resolved":
      if (binds) {
        head = fr
          ? `C'est décidé, vous agissez le ${day}${colon(lang)} ${title}`
          : `It is decided, you act on ${day}: ${title}`;
        body = fr
          ? `${committed} sont engagées, votre seuil de ${wanted} est atteint${NNBSP}: votre engagement compte.`
          : `${committed} are committed, your threshold of ${wanted} is reached: your pledge binds.`;
        if (e.paid > 0) {
          body += fr
            ? ` Un soutien est dû${NNBSP}: si vous en avez demandé un, réclamez-le depuis votre page de reçu.`
            : ` Support is due: if you asked for some, claim it from your receipt page.`;
        }
      } else if (e.to_level === 0) {
        head = fr ? `C'est décidé, vous êtes libre${colon(lang)} ${title}` : `It is decided, you are free: ${title}`;
        body = fr
          ? `Aucun seuil n'a été atteint${NNBSP}: aucun engagement ne compte, les dons retournent aux donateurs.`
          : `No threshold was reached: no pledge binds, and donations go back to the donors.`;
      } else {
        head = fr ? `C'est décidé, vous êtes libre${colon(lang)} ${title}` : `It is decided, you are free: ${title}`;
        body = fr
          ? `${committed} sont engagées, moins que les ${wanted} que vous attendiez${NNBSP}: votre engagement ne compte pas, vous êtes libre de vous joindre ou non à l'action du ${day}.`
          : `${committed} are committed, fewer than the ${wanted} you were waiting for: your pledge does not bind, you are free to join the action on ${day} or not.`;
      }
      break;
    case "reminder":
      head = fr ? `C'est demain${colon(lang)} ${title}` : `Tomorrow: ${title}`;
      body = binds
        ? fr
          ? `Votre engagement compte${NNBSP}: ${committed} agissent avec vous le ${day}${c.place ? `, ${c.place}` : ""}. Gardez votre reçu, c'est votre seule preuve.`
          : `Your pledge binds: ${committed} act with you on ${day}${c.place ? `, ${c.place}` : ""}. Keep your receipt: it is your only proof.`
        : fr
          ? `Votre seuil de ${wanted} n'a pas été atteint${NNBSP}: vous êtes libre de vous joindre ou non à l'action du ${day}. ${committed} sont engagées.`
          : `Your threshold of ${wanted} was not reached: you are free to join the action on ${day} or not. ${committed} are committed.`;
      break;
  }
  return {
    kind: e.kind,
    binds,
    title: head,
    body,
    url: href(campaignPath(c.address as `0x${string}`)),
    // Reached and lost replace each other on the device: only the latest state matters.
    tag: `bascule-${c.address.toLowerCase()}-${e.kind === "reached" || e.kind === "lost" ? "threshold" : e.kind}`,
    campaign: c.address,
    level: sub.level,
    lang,
  };
}

/** A feed entry's title and text (the same for every reader). */
export function entryText(
  c: CampaignFacts,
  e: EntryRow,
  lang: Lang,
  timeZone: string,
): { title: string; content: string } {
  const fr = lang === "fr";
  const day = formatDay(c, lang, timeZone);
  const committed = people(e.committed, lang);
  switch (e.kind) {
    case "reached": {
      const threshold = people(c.ladder[e.to_level - 1] ?? 0, lang);
      return {
        title: fr ? `Seuil atteint${colon(lang)} ${threshold}` : `Threshold reached: ${threshold}`,
        content: fr
          ? `${committed} agiraient maintenant. Les engagements aux seuils jusqu'à ${threshold} comptent désormais, tant que le nombre ne redescend pas avant la date limite.`
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
              ? `Des engagements ont été retirés${NNBSP}: plus aucun seuil n'est atteint.`
              : `Some pledges were withdrawn: no threshold is reached any more.`
            : fr
              ? `Des engagements ont été retirés${NNBSP}: ${committed} agiraient maintenant.`
              : `Some pledges were withdrawn: ${committed} would act now.`,
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
              ? `Les engagements aux seuils jusqu'à ${people(c.ladder[e.to_level - 1] ?? 0, lang)} comptent.${e.paid > 0 ? " Le soutien demandé peut être réclamé." : ""}`
              : `Pledges at thresholds up to ${people(c.ladder[e.to_level - 1] ?? 0, lang)} bind.${e.paid > 0 ? " Requested support can be claimed." : ""}`,
          };
    case "reminder":
      return {
        title: fr ? `C'est demain${colon(lang)} ${name(c, lang)}` : `Tomorrow: ${name(c, lang)}`,
        content: fr
          ? `L'action a lieu le ${day}${c.place ? `, ${c.place}` : ""}. ${committed} sont engagées.`
          : `The action is on ${day}${c.place ? `, ${c.place}` : ""}. ${committed} are committed.`,
      };
  }
}
