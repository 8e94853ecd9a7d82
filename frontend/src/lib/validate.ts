import { type Address, isAddress, zeroAddress } from "viem";
import type { Translate } from "../i18n/i18n.tsx";
import { parseAmount } from "./format.ts";
import type { CampaignParameters } from "@bascule/core/campaign-params";

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
}

export type CreateParams = Omit<CampaignParameters, "metadataHash">;

export type CreateErrors = Partial<Record<keyof CreateForm, string>>;

const DAY = 86400n;

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
 * Checks a campaign form before any transaction, with the factory's rules; returns the parameters
 * or the errors per field, in the person's language.
 */
export function validateCreate(form: CreateForm, nowSeconds: number, t: Translate): { params?: CreateParams; errors: CreateErrors } {
  const errors: CreateErrors = {};
  if (form.title.trim() === "") errors.title = t("create.errTitle");
  const ladder = parseLadder(form);
  if (!ladder) errors[form.preset === "125" ? "ladderMax" : "ladderCustom"] = t("create.errLadder");
  const deadlineMs = Date.parse(form.deadline);
  const deadline = Number.isNaN(deadlineMs) ? null : BigInt(Math.floor(deadlineMs / 1000));
  if (deadline === null || deadline <= BigInt(nowSeconds)) errors.deadline = t("create.errDeadline");
  const actionMs = Date.parse(form.actionDate);
  const action = Number.isNaN(actionMs) ? null : BigInt(Math.floor(actionMs / 1000));
  if (action === null || (deadline !== null && action < deadline)) errors.actionDate = t("create.errAction");
  if (form.token !== "" && !isAddress(form.token)) errors.token = t("errors.address");
  const cap = form.cap.trim() === "" ? 0n : parseAmount(form.cap, form.decimals);
  if (cap === null || cap >= 2n ** 90n) errors.cap = t("create.errCap");
  if (form.attester !== "" && !isAddress(form.attester)) errors.attester = t("errors.address");
  if (form.oracle !== "" && !isAddress(form.oracle)) errors.oracle = t("errors.address");
  const claimDays = Number(form.claimWindowDays);
  if (!Number.isInteger(claimDays) || claimDays < 1 || claimDays > 3650) errors.claimWindowDays = t("create.errWindow");
  const oracleDays = Number(form.oracleWindowDays || "0");
  const hasOracle = form.oracle !== "";
  if (!Number.isInteger(oracleDays) || oracleDays < 0 || oracleDays > 3650 || hasOracle !== oracleDays > 0)
    errors.oracleWindowDays = t("create.errOracleWindow");
  const lockHours = Number(form.finalLockHours || "0");
  if (!Number.isInteger(lockHours) || lockHours < 0 || lockHours > 168 || (deadline !== null && BigInt(lockHours * 3600) >= deadline - BigInt(nowSeconds)))
    errors.finalLockHours = t("create.errFinalLock");
  // MECHANISM "Gates": money for strikers needs someone to check them (the factory refuses it otherwise)
  if (cap !== null && cap > 0n && form.attester === "" && form.oracle === "" && !errors.cap) errors.cap = t("create.errGate");
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    params: {
      token: (form.token || zeroAddress) as Address,
      pledgeDeadline: deadline!,
      actionDate: action!,
      oracleWindow: BigInt(oracleDays) * DAY,
      claimWindow: BigInt(claimDays) * DAY,
      supportCap: cap!,
      attester: (form.attester || zeroAddress) as Address,
      oracle: (form.oracle || zeroAddress) as Address,
      ladder: ladder!,
      finalLock: BigInt(lockHours * 3600),
    },
  };
}
