/**
 * The organiser's announcements in the dApp (issue 22): read from the notifier and verified here,
 * with the same core function the notifier uses, against the organiser the chain names — the
 * notifier is not trusted to say who wrote what. Written and signed here: by the connected wallet
 * when it is the organiser's, or by a delegate key kept in this browser with the organiser's
 * delegation. The organiser (an account, or a contract such as a Safe: ERC-1271 through the chain
 * client) can revoke a delegate key; the check then skips what that key signed from the revocation on.
 */
import { type Address, type Hex, type PublicClient, isErc6492Signature } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  type AnnouncementContent,
  type AnnouncementLang,
  type SignedAnnouncement,
  type SignedDelegation,
  type SignedRevocation,
  type TypedDataSigner,
  type TypedDataVerifier,
  signAnnouncement,
  signRevocation,
  verifyAnnouncement,
  verifyRevocation,
} from "@bascule/core/announcements";
import type { paths } from "@bascule/core/generated/notifier-api";
import { serviceClient } from "./api.ts";
import { call } from "./notify.ts";

/** An announcement as the notifier gives it back. */
export interface Announcement extends SignedAnnouncement {
  id: string;
  publishedAt: number;
}

/** A revocation as the notifier gives it back. */
export interface Revocation extends SignedRevocation {
  publishedAt: number;
}

/** The campaign's announcements (newest first) and revocations from the notifier (unverified). */
export async function fetchAnnouncements(
  notifierUrl: string,
  campaign: Address,
  limit = 20,
): Promise<{ announcements: Announcement[]; revocations: Revocation[] }> {
  const data = await call(() =>
    serviceClient<paths>(notifierUrl).GET("/v1/campaigns/{address}/announcements", {
      params: { path: { address: campaign }, query: { limit: String(limit) } },
    }),
  );
  return {
    announcements: (data?.announcements ?? []) as Announcement[],
    revocations: (data?.revocations ?? []) as Revocation[],
  };
}

/** The organiser revokes a delegate key from now on; a refusal is a NotifierRequestError (FR/EN). */
export async function revokeDelegate(
  notifierUrl: string,
  organiser: TypedDataSigner,
  campaign: Address,
  chainId: number,
  delegate: Address,
  now: number = Math.floor(Date.now() / 1000),
): Promise<Revocation> {
  const signed = await signRevocation(organiser, campaign, chainId, delegate, now);
  const data = await call(() =>
    serviceClient<paths>(notifierUrl).POST("/v1/campaigns/{address}/revocations", {
      params: { path: { address: campaign } },
      body: signed,
    }),
  );
  return data as Revocation;
}

/**
 * The chain's check of a signature a contract organiser (a Safe) made: ERC-1271, ERC-6492. Asks
 * only when the address has code (one `eth_getCode` per address for this verifier's life) or the
 * signature is an ERC-6492 wrapper, so forged announcements of an account organiser cost no call.
 */
export function chainVerifier(client: PublicClient): TypedDataVerifier {
  const code = new Map<string, Promise<boolean>>();
  return async (args) => {
    if (!isErc6492Signature(args.signature)) {
      let has = code.get(args.address);
      if (!has) {
        has = client.getCode({ address: args.address }).then((c) => c !== undefined && c !== "0x");
        code.set(args.address, has);
      }
      if (!(await has)) return false;
    }
    return client.verifyTypedData(args as never);
  };
}

/** Publishes one signed announcement; a refusal is a NotifierRequestError with the notifier's FR/EN message. */
export async function publishAnnouncement(notifierUrl: string, signed: SignedAnnouncement): Promise<Announcement> {
  const data = await call(() =>
    serviceClient<paths>(notifierUrl).POST("/v1/campaigns/{address}/announcements", {
      params: { path: { address: signed.campaign } },
      body: signed,
    }),
  );
  return data as Announcement;
}

/**
 * The announcements that verify against the campaign's organiser on this chain (an account's
 * signature, or a contract's through `verifyTypedData`); a delegation is judged at the time the
 * notifier published the announcement, against the revocations the organiser signed (each checked
 * here too): what a revoked key signed or the notifier published from `revokedAt` on is skipped,
 * what it signed before stays. The others are dropped and counted: `revoked` those of revoked
 * keys, `dropped` the rest.
 */
export async function verified(
  data: { announcements: readonly Announcement[]; revocations?: readonly Revocation[] },
  ctx: { campaign: Address; chainId: number; organiser: Address; verifyTypedData?: TypedDataVerifier },
): Promise<{ good: Announcement[]; dropped: number; revoked: number }> {
  const all = data.revocations ?? [];
  const revocationChecks = await Promise.all(all.map((r) => verifyRevocation(r, { ...ctx, now: r.publishedAt })));
  const revocations = all.filter((_, i) => revocationChecks[i] === null);
  const list = data.announcements;
  const checks = await Promise.all(list.map((a) => verifyAnnouncement(a, { ...ctx, now: a.publishedAt, revocations })));
  const good = list.filter((_, i) => checks[i] === null);
  const revoked = checks.filter((c) => c?.code === "DELEGATION_REVOKED").length;
  return { good, dropped: list.length - good.length - revoked, revoked };
}

/**
 * One version of each announcement for a reader of `lang`: theirs when written, else the other
 * language's (the French and English versions share `issuedAt`). Newest first.
 */
export function inLanguage(list: readonly Announcement[], lang: AnnouncementLang): Announcement[] {
  const byTime = new Map<number, Announcement>();
  for (const a of list) {
    const kept = byTime.get(a.issuedAt);
    if (!kept || (kept.lang !== lang && a.lang === lang)) byTime.set(a.issuedAt, a);
  }
  return [...byTime.values()].sort((x, y) => y.issuedAt - x.issuedAt);
}

/** What the organiser's form gives: one or both languages, and what they share. */
export interface AnnouncementDraft {
  versions: { lang: AnnouncementLang; title: string; text: string }[];
  place: string | null;
  startTime: number | null;
  successor: Address | null;
}

/**
 * Signs each language's version with the same `issuedAt` (so that they are one announcement) and
 * publishes them in turn. Stops at the first refusal.
 */
export async function signAndPublish(
  notifierUrl: string,
  signer: TypedDataSigner,
  campaign: Address,
  chainId: number,
  draft: AnnouncementDraft,
  delegation: SignedDelegation | null,
  now: number = Math.floor(Date.now() / 1000),
): Promise<Announcement[]> {
  const signed: SignedAnnouncement[] = [];
  for (const v of draft.versions) {
    const content: AnnouncementContent = {
      lang: v.lang,
      title: v.title.trim(),
      text: v.text.trim(),
      place: draft.place?.trim() || null,
      startTime: draft.startTime,
      successor: draft.successor,
      issuedAt: now,
    };
    signed.push(await signAnnouncement(signer, campaign, chainId, content, delegation));
  }
  const published: Announcement[] = [];
  for (const s of signed) published.push(await publishAnnouncement(notifierUrl, s));
  return published;
}

const DELEGATE = "bascule.delegate.";

/** A delegate key this browser holds for one campaign, with the organiser's delegation. */
export interface StoredDelegate {
  privateKey: Hex;
  delegation: SignedDelegation;
}

/** The delegate key kept in this browser for this campaign, if any and not expired. */
export function storedDelegate(campaign: Address, now: number = Math.floor(Date.now() / 1000)): StoredDelegate | null {
  try {
    const raw = localStorage.getItem(DELEGATE + campaign.toLowerCase());
    if (!raw) return null;
    const d = JSON.parse(raw) as StoredDelegate;
    if (typeof d.privateKey !== "string" || typeof d.delegation?.expiry !== "number") return null;
    return d.delegation.expiry > now ? d : null;
  } catch {
    return null;
  }
}

/** A new delegate key for this browser (the organiser signs its delegation next). */
export function newDelegateKey(): { privateKey: Hex; address: Address } {
  const privateKey = generatePrivateKey();
  return { privateKey, address: privateKeyToAccount(privateKey).address };
}

export function keepDelegate(campaign: Address, d: StoredDelegate): void {
  localStorage.setItem(DELEGATE + campaign.toLowerCase(), JSON.stringify(d));
}

export function forgetDelegate(campaign: Address): void {
  localStorage.removeItem(DELEGATE + campaign.toLowerCase());
}
