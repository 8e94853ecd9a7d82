/**
 * Receipts kept on this device (the browser's local storage), so a receipt link's key can leave the
 * address bar and the history at once: the page then shows "#/my/<id>", an opaque id that means
 * nothing on another device. Nothing here is ever sent anywhere.
 */
import type { Hex } from "viem";
import { href, keptReceiptPath } from "@bascule/core/routes";
import type { Receipt } from "./receipt.ts";

const STORE = "bascule.receipts.v1";

export interface KeptReceipt extends Receipt {
  /** The support last asked with this receipt, so a new pledge from it keeps it (base units, decimal). */
  support?: string;
  savedAt: number;
}

function readAll(): Record<string, KeptReceipt> {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? "{}") as Record<string, KeptReceipt>;
  } catch {
    return {};
  }
}

function writeAll(all: Record<string, KeptReceipt>) {
  localStorage.setItem(STORE, JSON.stringify(all));
}

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Keeps a receipt on this device; returns its local id (the same one if it is already kept). */
export function keepReceipt(r: Receipt, support?: bigint): string {
  const all = readAll();
  const found = Object.entries(all).find(
    ([, k]) => k.key.toLowerCase() === r.key.toLowerCase() && k.campaign.toLowerCase() === r.campaign.toLowerCase(),
  );
  const id = found?.[0] ?? randomId();
  all[id] = {
    ...found?.[1],
    chainId: r.chainId,
    campaign: r.campaign,
    key: r.key as Hex,
    savedAt: found?.[1].savedAt ?? Date.now(),
    ...(support !== undefined ? { support: support.toString() } : {}),
  };
  writeAll(all);
  return id;
}

export function keptReceipt(id: string): KeptReceipt | null {
  return readAll()[id] ?? null;
}

/** Records the support last asked, so the next pledge from this receipt keeps it. */
export function rememberSupport(id: string, support: bigint) {
  const all = readAll();
  if (!all[id]) return;
  all[id].support = support.toString();
  writeAll(all);
}

export function forgetReceipt(id: string) {
  const all = readAll();
  delete all[id];
  writeAll(all);
}

/**
 * If the address bar holds a receipt key ("#/r/<chain>/<campaign>/<key>"), keeps the receipt on this
 * device and replaces the address and the current history entry by "#/my/<id>" at once
 * (history.replaceState: no new entry, no reload). Returns the local id, or null.
 */
export function takeReceiptFromAddressBar(parse: (route: string) => Receipt | null): string | null {
  const route = window.location.hash.replace(/^#/, "");
  if (!route.startsWith("/r/")) return null;
  const r = parse(route);
  if (!r) return null;
  const id = keepReceipt(r);
  window.history.replaceState(
    window.history.state,
    "",
    `${window.location.pathname}${window.location.search}${href(keptReceiptPath(id))}`,
  );
  return id;
}
