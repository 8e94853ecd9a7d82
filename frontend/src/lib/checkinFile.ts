/**
 * Check-in files: what one scanner exports and another merges, and what the organiser drops in the
 * keeper's directory. Each entry carries the attendance code as it was scanned, so whoever merges a
 * file checks every entry again exactly as a scan does (signature, campaign, chain, action date,
 * pledge); a list of addresses alone proves nothing and is refused.
 *
 * The file is hostile input (anyone can hand a scanner a file): its shape is checked with its schema
 * (Valibot, as packages/core/src/metadata.ts) and its size bounded before any code is checked.
 */
import { type Address, getAddress } from "viem";
import * as v from "valibot";
import { type AttendanceCheck, checkAttendance } from "./union.ts";

/** The format written by this version; files without it (bare lists, `{ pledgeKeys }`) are refused. */
export const CHECKIN_FILE_VERSION = 1;

/**
 * What a check-in file may hold: a larger one is refused before it is read. One entry is about 190
 * bytes; checking one takes 1 to 6 ms, so 10,000 entries take up to a minute on a slow phone.
 */
export const CHECKIN_LIMITS = { entries: 10_000, bytes: 4 * 1024 * 1024 } as const;

const AddressText = v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{40}$/));

/** One check-in: the attendance code as scanned, and the pledge key it names (for whoever reads the file). */
export const EntrySchema = v.object({ code: v.pipe(v.string(), v.maxLength(200)), pledgeKey: AddressText });

/** A check-in file, version 1. `pledgeKeys` is the keeper's list (scripts/keeper), the entries' keys. */
export const CheckinFileSchema = v.object({
  version: v.literal(CHECKIN_FILE_VERSION),
  chainId: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  campaign: AddressText,
  /** The action date the codes are signed for, in seconds (a decimal string: it is a uint64). */
  actionDate: v.pipe(v.string(), v.regex(/^\d{1,20}$/)),
  entries: v.pipe(v.array(EntrySchema), v.maxLength(CHECKIN_LIMITS.entries)),
  pledgeKeys: v.pipe(v.array(AddressText), v.maxLength(CHECKIN_LIMITS.entries)),
});

export type CheckinFile = v.InferOutput<typeof CheckinFileSchema>;

/** A check-in that passed `checkAttendance` on this device. */
export interface CheckinEntry {
  code: string;
  pledgeKey: Address;
}

/** What a check-in is checked against: the campaign, its chain and action date, its pledge keys. */
export interface CheckinContext {
  campaign: Address;
  chainId: number;
  actionDate: bigint;
  pledged: ReadonlySet<string>;
}

/** Why entries of a file failed their check, by reason (`checkAttendance`'s, and a key that is not its code's). */
export type EntryFailures = Record<Exclude<AttendanceCheck, { ok: true }>["reason"], number>;

/** Why a whole file is refused. */
export type CheckinFileRefusal =
  | "tooLarge" // more than CHECKIN_LIMITS
  | "notCheckin" // not JSON, or not the shape of a check-in file
  | "oldFormat" // a bare list of addresses or `{ pledgeKeys }`: no attendance codes
  | "otherCampaign" // names another campaign or chain
  | "otherDate" // names another action date
  | "listMismatch" // its keeper's list is not the keys of its entries
  | "entries"; // some entries fail their check (see `failed`)

export type CheckinFileReading =
  | { ok: true; entries: CheckinEntry[] }
  | { ok: false; reason: Exclude<CheckinFileRefusal, "entries"> }
  | { ok: false; reason: "entries"; failed: EntryFailures; count: number };

/**
 * Reads a check-in file and checks every entry again as a scan does. All or nothing: a file that an
 * honest scanner exported has only entries that passed this same check, so one that fails means the
 * file was altered, or comes from another campaign or date, or from a device that knows other pledge
 * keys; it is refused whole, with how many entries failed and why, and the scanner exports again.
 * Merging only the entries that pass would let an altered file in unnoticed.
 * `onProgress(done, total)` is called every 100 entries (the checks yield to the page between them).
 * @example const reading = await readCheckinFile(await file.text(), { campaign, chainId, actionDate, pledged });
 */
export async function readCheckinFile(
  text: string,
  ctx: CheckinContext,
  onProgress?: (done: number, total: number) => void,
): Promise<CheckinFileReading> {
  if (text.length > CHECKIN_LIMITS.bytes) return { ok: false, reason: "tooLarge" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: "notCheckin" };
  }
  if (Array.isArray(parsed))
    return { ok: false, reason: parsed.length > CHECKIN_LIMITS.entries ? "tooLarge" : "oldFormat" };
  if (typeof parsed === "object" && parsed !== null && !("version" in parsed) && "pledgeKeys" in parsed)
    return { ok: false, reason: "oldFormat" };
  const result = v.safeParse(CheckinFileSchema, parsed);
  if (!result.success) {
    const long = result.issues.some((i) => i.type === "max_length" && Array.isArray(i.input));
    return { ok: false, reason: long ? "tooLarge" : "notCheckin" };
  }
  const file = result.output;
  if (file.chainId !== ctx.chainId || getAddress(file.campaign) !== getAddress(ctx.campaign))
    return { ok: false, reason: "otherCampaign" };
  if (BigInt(file.actionDate) !== ctx.actionDate) return { ok: false, reason: "otherDate" };
  const listed = new Set(file.pledgeKeys.map((k) => k.toLowerCase()));
  const named = new Set(file.entries.map((e) => e.pledgeKey.toLowerCase()));
  if (listed.size !== named.size || [...named].some((k) => !listed.has(k)))
    return { ok: false, reason: "listMismatch" };

  const failed: EntryFailures = { malformed: 0, badSignature: 0, notPledged: 0 };
  const entries: CheckinEntry[] = [];
  for (const [i, entry] of file.entries.entries()) {
    if (i > 0 && i % 100 === 0) {
      onProgress?.(i, file.entries.length);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const check = await checkAttendance(entry.code, ctx);
    if (!check.ok) failed[check.reason]++;
    // The key written beside the code must be the code's own (the code names and proves it).
    else if (check.pledgeKey.toLowerCase() !== entry.pledgeKey.toLowerCase()) failed.badSignature++;
    else entries.push({ code: entry.code.trim(), pledgeKey: check.pledgeKey });
  }
  const count = failed.malformed + failed.badSignature + failed.notPledged;
  if (count > 0) return { ok: false, reason: "entries", failed, count };
  return { ok: true, entries };
}

/**
 * Adds checked entries to a list, one per pledge key (the first code kept): the merged list, and
 * how many keys were new.
 */
export function mergeEntries(
  current: readonly CheckinEntry[],
  incoming: readonly CheckinEntry[],
): { entries: CheckinEntry[]; added: number } {
  const seen = new Set(current.map((e) => e.pledgeKey.toLowerCase()));
  const entries = [...current];
  for (const e of incoming) {
    const key = e.pledgeKey.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push(e);
  }
  return { entries, added: entries.length - current.length };
}

/**
 * The check-in file of a list of checked entries, as text: for other scanners to merge, and for the
 * keeper's participation directory (it reads `pledgeKeys`, sorted).
 */
export function checkinFileText(ctx: Omit<CheckinContext, "pledged">, entries: readonly CheckinEntry[]): string {
  const file: CheckinFile = {
    version: CHECKIN_FILE_VERSION,
    chainId: ctx.chainId,
    campaign: getAddress(ctx.campaign),
    actionDate: ctx.actionDate.toString(),
    entries: entries.map((e) => ({ code: e.code, pledgeKey: getAddress(e.pledgeKey) })),
    pledgeKeys: [...new Set(entries.map((e) => getAddress(e.pledgeKey)))].sort(),
  };
  return JSON.stringify(file, null, 2) + "\n";
}
