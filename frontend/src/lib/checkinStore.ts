/**
 * What the check-in page keeps in this browser, so that it opens again at the rally without a
 * connection: the check-ins so far (with their codes), the campaign's pledge keys read last time, and the few
 * facts of the campaign the page shows.
 */
import { type Address, getAddress } from "viem";
import { array, safeParse } from "valibot";
import { type CheckinEntry, EntrySchema } from "./checkinFile.ts";

const storeKey = (campaign: Address, what: string) => `bascule.checkin.${what}.${campaign.toLowerCase()}`;

function loadList(key: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? "[]") as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The check-ins made or merged on this device, each with its attendance code (only entries that
 * passed the check are ever saved). Lists kept by earlier versions held addresses without codes
 * (`bascule.checkin.keys.*`): they are not read, since nothing in them can be checked again.
 */
export function keptEntries(campaign: Address): CheckinEntry[] {
  try {
    const v = JSON.parse(localStorage.getItem(storeKey(campaign, "entries")) ?? "[]") as unknown;
    const kept = safeParse(array(EntrySchema), v);
    return kept.success ? kept.output.map((e) => ({ code: e.code, pledgeKey: getAddress(e.pledgeKey) })) : [];
  } catch {
    return [];
  }
}

export function saveEntries(campaign: Address, entries: readonly CheckinEntry[]): void {
  localStorage.setItem(storeKey(campaign, "entries"), JSON.stringify(entries));
}

/** The campaign's pledge keys this device read last time (for checks without a connection). */
export const keptPledgeKeys = (campaign: Address): Set<string> => new Set(loadList(storeKey(campaign, "pledged")));

export function savePledgeKeys(campaign: Address, keys: string[]): void {
  localStorage.setItem(storeKey(campaign, "pledged"), JSON.stringify(keys));
}

/** What the page needs of the campaign, kept so that it opens again without a connection. */
export interface KeptFacts {
  title: string | null;
  actionDate: bigint;
}

export function keptFacts(campaign: Address): KeptFacts | null {
  try {
    const v = JSON.parse(localStorage.getItem(storeKey(campaign, "facts")) ?? "null") as {
      title?: unknown;
      actionDate?: unknown;
    } | null;
    if (!v || typeof v.actionDate !== "string" || !/^\d{1,20}$/.test(v.actionDate)) return null;
    return { title: typeof v.title === "string" ? v.title : null, actionDate: BigInt(v.actionDate) };
  } catch {
    return null;
  }
}

export function keepFacts(campaign: Address, facts: KeptFacts): void {
  localStorage.setItem(
    storeKey(campaign, "facts"),
    JSON.stringify({ title: facts.title, actionDate: facts.actionDate.toString() }),
  );
}
