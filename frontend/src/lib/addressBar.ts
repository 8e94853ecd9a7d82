/**
 * Secrets that arrive in the address bar leave it, and the current history entry, as soon as the
 * page runs (`history.replaceState`: no new entry, no reload), so neither "back", the history list
 * nor a synced browser history holds them afterwards:
 *  - a receipt link's pledge key (`#/r/…`): kept on this device (receiptStore.ts), the page shows
 *    `#/my/<id>`;
 *  - an invite code (`#/c/<campaign>/invite/<code>`): kept in this tab's memory only, the page shows
 *    `#/c/<campaign>`;
 *  - a protected receipt link's encrypted key (`#/rp/…`): kept in this tab's memory only, the page
 *    shows `#/unlock/<id>` while it asks for the passphrase.
 * Nothing but the receipt is written anywhere: an invite code or a protected link is gone when the
 * tab is closed or reloaded (the page then asks for the code, or for the link again).
 */
import type { Address } from "viem";
import { campaignPath, href, parseRoute, type RoutePath, unlockPath } from "@bascule/core/routes";
import { type LockedReceipt, parseLockedRoute, parseReceiptRoute } from "./receipt.ts";
import { takeReceiptFromAddressBar } from "./receiptStore.ts";

const inviteCodes = new Map<string, string>();
const lockedReceipts = new Map<string, LockedReceipt>();

/** The invite code an invite link brought for this campaign in this tab, if any. */
export function heldInviteCode(campaign: Address): string | undefined {
  return inviteCodes.get(campaign.toLowerCase());
}

/** The protected receipt link held under this id in this tab, or null. */
export function heldLockedReceipt(id: string): LockedReceipt | null {
  return lockedReceipts.get(id) ?? null;
}

function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function replaceRoute(route: RoutePath) {
  window.history.replaceState(
    window.history.state,
    "",
    `${window.location.pathname}${window.location.search}${href(route)}`,
  );
}

/**
 * Takes any secret out of the address bar and the current history entry (see above). Called by
 * frontend/src/scrub.ts before the rest of the app runs, on every `hashchange`, and by the router
 * when it reads the route.
 */
export function takeSecretsFromAddressBar(): void {
  const route = window.location.hash.replace(/^#/, "");
  if (route.startsWith("/r/")) {
    takeReceiptFromAddressBar(parseReceiptRoute);
    return;
  }
  if (!route.startsWith("/c/") && !route.startsWith("/rp/")) return;
  const r = parseRoute(route);
  if (r?.page === "campaign" && r.inviteCode !== undefined) {
    inviteCodes.set(r.campaign.toLowerCase(), r.inviteCode);
    replaceRoute(campaignPath(r.campaign));
  } else if (r?.page === "locked-receipt") {
    const locked = parseLockedRoute(route);
    if (!locked) return;
    const id = randomId();
    lockedReceipts.set(id, locked);
    replaceRoute(unlockPath(id));
  }
}
