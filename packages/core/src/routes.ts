/**
 * The dApp's routes, spelled once: the builders every room uses to link to a page (the dApp's own
 * links, the notifier's messages and feeds, the command line's printouts) and the parser the dApp's
 * router reads the address bar with.
 *
 * Routes live in the URL fragment ("#/c/0x…"): a static server serves the dApp, and the pledge key
 * in a receipt link ("#/r/…") is never sent to any server.
 */
import { type Address, type Hex, isAddress } from "viem";

/** A route: the URL fragment without its "#" ("/c/0x…"). */
export type RoutePath = `/${string}`;

/** Where a receipt lives: its chain, its campaign and its pledge key. */
export interface ReceiptRouteParameters {
  chainId: number;
  campaign: Address;
  key: Hex;
}

/**
 * A campaign's page; with an invite code, the page a union's invite link opens.
 * @example campaignPath("0xC0ffee…") // "/c/0xC0ffee…"
 */
export function campaignPath(campaign: Address, inviteCode?: string): RoutePath {
  return inviteCode === undefined ? `/c/${campaign}` : `/c/${campaign}/invite/${encodeURIComponent(inviteCode)}`;
}

/** A campaign's verify page (its code and its history recomputed). */
export function verifyPath(campaign: Address): RoutePath {
  return `/v/${campaign}`;
}

/** A campaign's printable poster. */
export function posterPath(campaign: Address): RoutePath {
  return `/c/${campaign}/poster`;
}

/** A union's invite codes for a campaign. */
export function unionPath(campaign: Address): RoutePath {
  return `/union/${campaign}`;
}

/** The organiser's check-in at the action. */
export function checkinPath(campaign: Address): RoutePath {
  return `/checkin/${campaign}`;
}

/** A payout desk's page for a campaign. */
export function deskPath(campaign: Address, desk: Address): RoutePath {
  return `/desk/${campaign}/${desk}`;
}

/**
 * A receipt link's route: the pledge key travels in it (after "#" only).
 * @example receiptPath({ chainId: 1, campaign, key }) // "/r/1/0xCamp…/0xkey…"
 */
export function receiptPath(r: ReceiptRouteParameters): RoutePath {
  return `/r/${r.chainId}/${r.campaign}/${r.key}`;
}

/** A passphrase-protected receipt's route (`blob`: the encrypted key, base64url). */
export function lockedReceiptPath(r: { chainId: number; campaign: Address; blob: string }): RoutePath {
  return `/rp/${r.chainId}/${r.campaign}/${r.blob}`;
}

/** A receipt kept on this device, by its opaque local id (no key in the address bar). */
export function keptReceiptPath(id: string): RoutePath {
  return `/my/${id}`;
}

/**
 * A protected receipt link held in this tab's memory (by an opaque id), once its encrypted key has
 * left the address bar: the route the dApp shows while it asks for the passphrase.
 */
export function unlockPath(id: string): RoutePath {
  return `/unlock/${id}`;
}

/**
 * The fragment of a link inside the dApp.
 * @example <a href={href(campaignPath(address))}> // "#/c/0x…"
 */
export function href(path: RoutePath): `#${RoutePath}` {
  return `#${path}`;
}

/**
 * A full link to a page of the dApp served at `base` (anything after a "#" in `base` is dropped).
 * @example appUrl("https://bascule.example/", verifyPath(campaign)) // "https://bascule.example/#/v/0x…"
 */
export function appUrl(base: string, path: RoutePath): string {
  return `${base.split("#")[0]}#${path}`;
}

/**
 * A full link to a campaign's page.
 * @example campaignUrl("https://bascule.example/", campaign) // "https://bascule.example/#/c/0x…"
 */
export function campaignUrl(base: string, campaign: Address): string {
  return appUrl(base, campaignPath(campaign));
}

/** What the address bar's route names; `null` from parseRoute for a route no page has. */
export type Route =
  | { page: "list" }
  | { page: "create" }
  | { page: "how" }
  | { page: "campaign"; campaign: Address; inviteCode?: string }
  | { page: "verify"; campaign: Address }
  | { page: "poster"; campaign: Address }
  | { page: "union"; campaign: Address }
  | { page: "checkin"; campaign: Address }
  | { page: "desk"; campaign: Address; desk: Address }
  | { page: "kept-receipt"; id: string }
  | { page: "unlock"; id: string }
  /** The shape of a receipt link; whether its key is a valid key is for the caller to check. */
  | ({ page: "receipt" } & ReceiptRouteParameters)
  /** The shape of a protected receipt link; whether its blob decrypts is for the caller to check. */
  | { page: "locked-receipt"; chainId: number; campaign: Address; blob: string }
  /** A route under "/r/" or "/rp/" that is not a receipt link. */
  | { page: "bad-receipt" };

const ADDRESS = "(0x[0-9a-fA-F]{40})";

/**
 * Reads a route (the fragment without "#"; "" is the list). Addresses must be valid (checksummed
 * when mixed-case); anything else is `null`.
 * @example parseRoute("/c/0xC0ffee…/invite/ab%20c") // { page: "campaign", campaign: "0xC0ffee…", inviteCode: "ab c" }
 */
export function parseRoute(route: string): Route | null {
  if (route === "/" || route === "") return { page: "list" };
  if (route === "/create") return { page: "create" };
  if (route === "/how") return { page: "how" };
  let m = new RegExp(`^/(union|checkin)/${ADDRESS}$`).exec(route);
  if (m && isAddress(m[2])) return { page: m[1] as "union" | "checkin", campaign: m[2] };
  m = new RegExp(`^/desk/${ADDRESS}/${ADDRESS}$`).exec(route);
  if (m && isAddress(m[1]) && isAddress(m[2])) return { page: "desk", campaign: m[1], desk: m[2] };
  m = new RegExp(`^/c/${ADDRESS}/invite/([^/]{1,64})$`).exec(route);
  if (m && isAddress(m[1])) {
    try {
      return { page: "campaign", campaign: m[1], inviteCode: decodeURIComponent(m[2]) };
    } catch {
      return null;
    }
  }
  m = new RegExp(`^/c/${ADDRESS}/poster$`).exec(route);
  if (m && isAddress(m[1])) return { page: "poster", campaign: m[1] };
  m = new RegExp(`^/(c|v)/${ADDRESS}$`).exec(route);
  if (m && isAddress(m[2]))
    return m[1] === "c" ? { page: "campaign", campaign: m[2] } : { page: "verify", campaign: m[2] };
  m = /^\/my\/([0-9a-f]{16})$/.exec(route);
  if (m) return { page: "kept-receipt", id: m[1] };
  m = /^\/unlock\/([0-9a-f]{16})$/.exec(route);
  if (m) return { page: "unlock", id: m[1] };
  if (route.startsWith("/rp/")) {
    m = new RegExp(`^/rp/(\\d+)/${ADDRESS}/([A-Za-z0-9_-]{100,140})$`).exec(route);
    return m
      ? { page: "locked-receipt", chainId: Number(m[1]), campaign: m[2] as Address, blob: m[3] }
      : { page: "bad-receipt" };
  }
  if (route.startsWith("/r/")) {
    m = new RegExp(`^/r/(\\d+)/${ADDRESS}/(0x[0-9a-fA-F]{64})$`).exec(route);
    return m && isAddress(m[2])
      ? { page: "receipt", chainId: Number(m[1]), campaign: m[2], key: m[3] as Hex }
      : { page: "bad-receipt" };
  }
  return null;
}
