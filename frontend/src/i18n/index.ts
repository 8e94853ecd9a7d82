/**
 * Every string a person sees, in English and French, as ICU MessageFormat (react-intl).
 * Each feature keeps its strings in `messages/<feature>.ts` (`en`, and `fr: typeof en`), with ids
 * prefixed by the feature; this file merges them. French typography (a narrow no-break space before
 * : ; ! ? and inside « ») is applied here, so translators may type an ordinary space.
 */
import * as announce from "./messages/announce.ts";
import * as campaign from "./messages/campaign.ts";
import * as chart from "./messages/chart.ts";
import * as common from "./messages/common.ts";
import * as conditions from "./messages/conditions.ts";
import * as create from "./messages/create.ts";
import * as donate from "./messages/donate.ts";
import * as errors from "./messages/errors.ts";
import * as funds from "./messages/funds.ts";
import * as how from "./messages/how.ts";
import * as list from "./messages/list.ts";
import * as pow from "./messages/pow.ts";
import * as notify from "./messages/notify.ts";
import * as officer from "./messages/officer.ts";
import * as receipt from "./messages/receipt.ts";
import * as union from "./messages/union.ts";
import * as replay from "./messages/replay.ts";
import * as share from "./messages/share.ts";
import * as verify from "./messages/verify.ts";
import * as verifyCode from "./messages/verify-code.ts";

export type Lang = "en" | "fr";

/** The features, in one list: a test checks that no two of them use the same id. */
export const features = {
  common,
  list,
  campaign,
  conditions,
  chart,
  funds,
  donate,
  receipt,
  create,
  verify,
  verifyCode,
  replay,
  errors,
  pow,
  union,
  officer,
  notify,
  share,
  how,
  announce,
};

const en = Object.assign({}, ...Object.values(features).map((f) => f.en)) as typeof common.en &
  typeof list.en &
  typeof campaign.en &
  typeof conditions.en &
  typeof chart.en &
  typeof funds.en &
  typeof donate.en &
  typeof receipt.en &
  typeof create.en &
  typeof verify.en &
  typeof verifyCode.en &
  typeof replay.en &
  typeof errors.en &
  typeof pow.en &
  typeof union.en &
  typeof officer.en &
  typeof notify.en &
  typeof share.en &
  typeof how.en &
  typeof announce.en;

export type MessageId = keyof typeof en;
export type Messages = Record<MessageId, string>;

/** Narrow no-break space (U+202F), French thousands separator and the space before high punctuation. */
export const NNBSP = "\u202f";

/**
 * French typography: a narrow no-break space before : ; ! ? and inside « », whatever space
 * (or none) was typed. Leaves "://" (links) and ICU syntax alone.
 * @example frenchTypography("Connecté : {address}") // "Connecté\u202f: {address}"
 */
export function frenchTypography(text: string): string {
  return text
    .replace(/(\S)[ \u00a0\u202f]*([;!?])/g, (_, c: string, p: string) => `${c}${NNBSP}${p}`)
    .replace(/(\S)[ \u00a0\u202f]*:(?!\/\/)/g, (_, c: string) => `${c}${NNBSP}:`)
    .replace(/«[ \u00a0\u202f]*/g, `«${NNBSP}`)
    .replace(/[ \u00a0\u202f]*»/g, `${NNBSP}»`);
}

const fr = Object.fromEntries(
  Object.entries(Object.assign({}, ...Object.values(features).map((f) => f.fr)) as Messages).map(([k, v]) => [
    k,
    frenchTypography(v),
  ]),
) as Messages;

export const messages: Record<Lang, Messages> = { en, fr };

/** The locale given to Intl: fr-FR groups thousands with a narrow no-break space. */
export const locales: Record<Lang, string> = { en: "en-GB", fr: "fr-FR" };
