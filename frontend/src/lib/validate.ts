import { METADATA_LIMITS } from "@bascule/core/metadata";
import { type Address, isAddress, zeroAddress } from "viem";
import type { MessageId, Translate } from "../i18n/i18n.tsx";
import { parseAmount } from "./format.ts";
import {
  type CampaignParameterErrorName,
  type CampaignParameters,
  PROPOSED_CONDITIONS,
  campaignParameterErrors,
} from "@bascule/core/campaign-params";

/**
 * The 1-2-5 series up to `max`: 1, 2, 5, 10, 20, 50, …
 * @example series125(100) // [1, 2, 5, 10, 20, 50, 100]
 */
export function series125(max: number): number[] {
  const out: number[] = [];
  for (let p = 1; out.length < 64; p *= 10) {
    for (const m of [1, 2, 5]) {
      if (m * p > max) return out;
      out.push(m * p);
    }
  }
  return out;
}

export interface CreateForm {
  title: string;
  text: string;
  place: string;
  preset: "125" | "custom";
  ladderMax: string;
  ladderCustom: string;
  deadline: string; // datetime-local
  actionDate: string; // date
  token: string; // "" for ETH
  cap: string;
  decimals: number;
  attester: string;
  oracle: string;
  oracleWindowDays: string;
  claimWindowDays: string;
  /** Hours before the pledge deadline during which withdrawals and raises are refused (0..168). */
  finalLockHours: string;
  /**
   * The coverage conditions offered to strikers who ask for support (only with a support cap):
   * "proposed" none / at least half / all (PROPOSED_CONDITIONS), "none", or "custom" percentages.
   */
  conditions: "proposed" | "none" | "custom";
  /** "custom": up to two rising percentages, "50, 100". */
  conditionsCustom: string;
}

export type CreateParams = Omit<CampaignParameters, "metadataHash">;

export type CreateErrors = Partial<Record<keyof CreateForm, string>>;

const DAY = 86400n;
const HOUR = 3600n;

/** Parses the ladder a form describes; null if invalid (as the factory would refuse it). */
export function parseLadder(form: Pick<CreateForm, "preset" | "ladderMax" | "ladderCustom">): number[] | null {
  let ladder: number[];
  if (form.preset === "125") {
    const max = Number(form.ladderMax);
    if (!Number.isInteger(max) || max < 1 || max > 2 ** 32 - 1) return null;
    ladder = series125(max);
  } else {
    const parts = form.ladderCustom.split(",").map((p) => p.trim());
    if (parts.some((p) => !/^\d+$/.test(p))) return null;
    ladder = parts.map(Number);
  }
  if (ladder.length < 1 || ladder.length > 64) return null;
  for (let i = 0; i < ladder.length; i++) {
    if (ladder[i] < 1 || ladder[i] > 2 ** 32 - 1) return null;
    if (i > 0 && ladder[i] <= ladder[i - 1]) return null;
  }
  return ladder;
}

/**
 * Percentages as a person types them ("50, 100", "33,5 ; 100", "50 %") into basis points; null if a
 * part is not a percentage with at most two decimals. The count, order and range are the factory's
 * rules, checked by `campaignParameterErrors`.
 * @example parsePercentages("50, 100") // [5000, 10000]
 */
export function parsePercentages(text: string): number[] | null {
  // "33,5" is a French decimal; "50,100" and "50, 100" are lists.
  const tokens = text
    .replace(/%/g, " ")
    .replace(/,\s+/g, " ")
    .split(/[;\s]+/)
    .filter((p) => p !== "")
    .flatMap((p) => (/^\d{1,3},\d{1,2}$/.test(p) ? [p.replace(",", ".")] : p.split(",")));
  const out: number[] = [];
  for (const p of tokens) {
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(p)) return null;
    out.push(Math.round(Number(p) * 100));
  }
  return out;
}

/** The conditions a form asks for, in basis points: none without a support cap; null if unreadable. */
export function formConditions(
  form: Pick<CreateForm, "conditions" | "conditionsCustom">,
  supportCap: bigint | undefined,
): number[] | null {
  if (supportCap === undefined || supportCap === 0n || form.conditions === "none") return [];
  if (form.conditions === "proposed") return [...PROPOSED_CONDITIONS];
  return parsePercentages(form.conditionsCustom);
}

/** Where the create page shows each of the factory's errors, and in which words. */
const FACTORY_ERRORS: Record<CampaignParameterErrorName, [keyof CreateForm | "ladder", MessageId] | null> = {
  InvalidLadderLength: ["ladder", "create.errLadder"],
  LadderNotIncreasing: ["ladder", "create.errLadder"],
  DeadlineNotInFuture: ["deadline", "create.errDeadlinePast"],
  InvalidFinalLock: ["finalLockHours", "create.errFinalLock"],
  ActionBeforeDeadline: ["actionDate", "create.errAction"],
  ZeroClaimWindow: ["claimWindowDays", "create.errWindow"],
  OracleWindowMismatch: ["oracleWindowDays", "create.errOracleWindow"],
  WindowTooLong: ["claimWindowDays", "create.errWindow"],
  SupportCapTooLarge: ["cap", "create.errCap"],
  // MECHANISM "Gates": money for strikers needs someone to check them
  GateRequired: ["cap", "create.errGate"],
  // The page hashes the description it builds: never zero.
  MissingMetadataHash: null,
  TooManyConditions: ["conditionsCustom", "create.errConditions"],
  InvalidCondition: ["conditionsCustom", "create.errConditions"],
  ConditionsWithoutSupport: ["conditions", "create.errConditionsCap"],
};

/**
 * The action date the campaign records for the day a person chose (YYYY-MM-DD, in their time zone):
 * the start of that day, or the deadline itself when the day is the deadline's own, since the factory
 * wants actionDate ≥ pledgeDeadline (ActionBeforeDeadline) and the help promises "on the deadline's
 * day or later". Undefined when the day is not a date or ends before the deadline.
 * @example actionDateOf("2027-02-01", deadline of 2027-02-01 at 12:00) // that deadline
 */
export function actionDateOf(day: string, pledgeDeadline: bigint | undefined): bigint | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const start = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(start.getTime()) || start.getDate() !== Number(m[3])) return undefined;
  const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1);
  const from = BigInt(Math.floor(start.getTime() / 1000));
  if (pledgeDeadline === undefined) return from;
  if (BigInt(Math.floor(end.getTime() / 1000)) <= pledgeDeadline) return undefined;
  return from >= pledgeDeadline ? from : pledgeDeadline;
}

/** Whole numbers in [min, max] only, as the form's day and hour fields take them. */
function whole(value: string, min: number, max: number): bigint | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max && value.trim() !== "" ? BigInt(n) : undefined;
}

/**
 * Checks a campaign form before any transaction with the factory's rules (the one validator,
 * `campaignParameterErrors`); returns the parameters or the errors per field, in the person's language.
 */
export function validateCreate(
  form: CreateForm,
  nowSeconds: number,
  t: Translate,
): { params?: CreateParams; errors: CreateErrors } {
  const errors: CreateErrors = {};
  const set = (field: keyof CreateForm, message: string) => {
    errors[field] ??= message;
  };
  if (form.title.trim() === "") set("title", t("create.errTitle"));
  // The bounds every reader of a description holds it to (METADATA_LIMITS): beyond them the list and
  // the campaign page would leave the field out.
  for (const k of ["title", "text", "place"] as const) {
    if (form[k].trim().length > METADATA_LIMITS[k]) set(k, t("create.errTooLong", { count: METADATA_LIMITS[k] }));
  }
  const ladderField = form.preset === "125" ? "ladderMax" : "ladderCustom";
  const ladder = parseLadder(form) ?? undefined;
  if (!ladder) set(ladderField, t("create.errLadder"));
  const deadlineMs = Date.parse(form.deadline);
  const pledgeDeadline = Number.isNaN(deadlineMs) ? undefined : BigInt(Math.floor(deadlineMs / 1000));
  if (pledgeDeadline === undefined) set("deadline", t("create.errDeadline"));
  const actionDate = actionDateOf(form.actionDate, pledgeDeadline);
  if (actionDate === undefined) set("actionDate", t("create.errAction"));
  if (form.token !== "" && !isAddress(form.token)) set("token", t("errors.address"));
  const supportCap = form.cap.trim() === "" ? 0n : (parseAmount(form.cap, form.decimals) ?? undefined);
  if (supportCap === undefined) set("cap", t("create.errCap"));
  const attester = form.attester === "" ? zeroAddress : isAddress(form.attester) ? form.attester : undefined;
  if (attester === undefined) set("attester", t("errors.address"));
  const oracle = form.oracle === "" ? zeroAddress : isAddress(form.oracle) ? form.oracle : undefined;
  if (oracle === undefined) set("oracle", t("errors.address"));
  const claimDays = whole(form.claimWindowDays, 1, 3650);
  if (claimDays === undefined) set("claimWindowDays", t("create.errWindow"));
  const oracleDays = whole(form.oracleWindowDays || "0", 0, 3650);
  if (oracleDays === undefined) set("oracleWindowDays", t("create.errOracleWindow"));
  const lockHours = whole(form.finalLockHours || "0", 0, 168);
  if (lockHours === undefined) set("finalLockHours", t("create.errFinalLock"));
  const conditions = formConditions(form, supportCap) ?? undefined;
  if (conditions === undefined) set("conditionsCustom", t("create.errConditions"));
  const candidate = {
    token: (form.token || zeroAddress) as Address,
    pledgeDeadline,
    finalLock: lockHours === undefined ? undefined : lockHours * HOUR,
    actionDate,
    oracleWindow: oracleDays === undefined ? undefined : oracleDays * DAY,
    claimWindow: claimDays === undefined ? undefined : claimDays * DAY,
    supportCap,
    attester,
    oracle,
    ladder,
    conditions,
  };
  const deadlinePast = pledgeDeadline !== undefined && pledgeDeadline <= BigInt(nowSeconds);
  for (const { errorName } of campaignParameterErrors(candidate, BigInt(nowSeconds))) {
    const shown = FACTORY_ERRORS[errorName];
    if (!shown) continue;
    // A lock of 0..168 hours is refused only because no time is left before a past deadline: the
    // deadline's own error says what to change.
    if (errorName === "InvalidFinalLock" && deadlinePast && lockHours !== undefined) continue;
    const [field, message] = shown;
    set(field === "ladder" ? ladderField : field, t(message));
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, params: candidate as unknown as CreateParams };
}
