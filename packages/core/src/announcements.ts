/**
 * Organiser announcements (issue 22): short texts in French or English, optionally with a place, a
 * time and, after a failure, a successor campaign. Each is an EIP-712 message signed by the
 * campaign's organiser (the `organiser` that `Campaign.parameters()` returns), or by a delegate key
 * the organiser authorised for this campaign with a `Delegation` (carried with the announcement,
 * with an expiry). The domain binds both to one campaign (`verifyingContract`) on one chain
 * (`chainId`): a signature copied to another campaign or chain recovers another address.
 *
 * The dApp builds and signs with these helpers; the notifier (scripts/notifier) and any reader
 * verify with the same ones. An organiser that is a contract (ERC-1271) is not supported: only an
 * account's ECDSA signature is recovered. Works in Node and in the browser (viem only).
 */
import {
  type Address,
  type Hex,
  getAddress,
  hashTypedData,
  isAddress,
  isHex,
  recoverTypedDataAddress,
  zeroAddress,
} from "viem";

export type AnnouncementLang = "en" | "fr";

/** The most an announcement carries, in characters (code points): a short message, not an article. */
export const ANNOUNCEMENT_LIMITS = { title: 120, text: 2000, place: 200 } as const;

/** How far ahead of the verifier's clock an announcement may say it was written (clock skew), in seconds. */
export const MAX_CLOCK_SKEW = 600;

/**
 * The domain of announcements and delegations: a name of its own, so that no signature made here
 * is ever one the campaign contract accepts (its domain is "Bascule"), and the campaign and chain.
 */
export function announcementDomain(campaign: Address, chainId: number | bigint) {
  return {
    name: "Bascule announcements",
    version: "1",
    chainId: BigInt(chainId),
    verifyingContract: campaign,
  } as const;
}

export const ANNOUNCEMENT_TYPES = {
  Announcement: [
    { name: "lang", type: "string" },
    { name: "title", type: "string" },
    { name: "text", type: "string" },
    { name: "place", type: "string" },
    { name: "startTime", type: "uint64" },
    { name: "successor", type: "address" },
    { name: "issuedAt", type: "uint64" },
  ],
} as const;

export const DELEGATION_TYPES = {
  Delegation: [
    { name: "delegate", type: "address" },
    { name: "expiry", type: "uint64" },
  ],
} as const;

/** What the signer writes. `place` "" and `startTime` 0 and `successor` null mean none. */
export interface AnnouncementContent {
  lang: AnnouncementLang;
  title: string;
  text: string;
  place: string | null;
  /** Unix seconds of the meeting, or null. */
  startTime: number | null;
  /** The campaign that takes over from a failed one, or null. */
  successor: Address | null;
  /** Unix seconds when it was written: two identical texts written at different times are two announcements. */
  issuedAt: number;
}

/** The organiser's authorisation of a delegate key for one campaign, until `expiry` (unix seconds). */
export interface SignedDelegation {
  delegate: Address;
  expiry: number;
  /** The organiser's signature of `Delegation(delegate, expiry)` under the campaign's domain. */
  signature: Hex;
}

/** An announcement as it travels (POST body, and what readers get back with `id` and `publishedAt`). */
export interface SignedAnnouncement extends AnnouncementContent {
  campaign: Address;
  chainId: number;
  /** Who signed: the organiser, or the delegate of `delegation`. */
  signer: Address;
  signature: Hex;
  delegation: SignedDelegation | null;
}

/** The typed data of an announcement, for `signTypedData` of a wallet or a local account. */
export function announcementTypedData(campaign: Address, chainId: number | bigint, content: AnnouncementContent) {
  return {
    domain: announcementDomain(campaign, chainId),
    types: ANNOUNCEMENT_TYPES,
    primaryType: "Announcement",
    message: {
      lang: content.lang,
      title: content.title,
      text: content.text,
      place: content.place ?? "",
      startTime: BigInt(content.startTime ?? 0),
      successor: content.successor ?? zeroAddress,
      issuedAt: BigInt(content.issuedAt),
    },
  } as const;
}

/** The typed data of a delegation, for the organiser's `signTypedData`. */
export function delegationTypedData(
  campaign: Address,
  chainId: number | bigint,
  delegation: Pick<SignedDelegation, "delegate" | "expiry">,
) {
  return {
    domain: announcementDomain(campaign, chainId),
    types: DELEGATION_TYPES,
    primaryType: "Delegation",
    message: { delegate: delegation.delegate, expiry: BigInt(delegation.expiry) },
  } as const;
}

/**
 * An announcement's id: the EIP-712 digest of what was signed (hex). The same message is the same
 * id wherever it is posted, which is how a second copy is recognised.
 */
export function announcementId(a: Pick<SignedAnnouncement, "campaign" | "chainId"> & AnnouncementContent): Hex {
  return hashTypedData(announcementTypedData(a.campaign, a.chainId, a));
}

/** Anything that signs typed data: a viem LocalAccount, or a wallet client bound to an account. */
export interface TypedDataSigner {
  address: Address;
  signTypedData: (typedData: never) => Promise<Hex>;
}

/**
 * Signs an announcement with the organiser's account, or with a delegate's and its delegation.
 * @example
 * const a = await signAnnouncement(organiser, campaign, 31337, { lang: "fr", title: "AG", text: "…",
 *   place: "Bourse du travail", startTime: 1780000000, successor: null, issuedAt: now });
 */
export async function signAnnouncement(
  signer: TypedDataSigner,
  campaign: Address,
  chainId: number,
  content: AnnouncementContent,
  delegation: SignedDelegation | null = null,
): Promise<SignedAnnouncement> {
  const sign = signer.signTypedData as (t: ReturnType<typeof announcementTypedData>) => Promise<Hex>;
  const signature = await sign(announcementTypedData(campaign, chainId, content));
  return {
    ...content,
    campaign: getAddress(campaign),
    chainId,
    signer: getAddress(signer.address),
    signature,
    delegation,
  };
}

/** The organiser authorises `delegate` to announce for this campaign until `expiry`. */
export async function signDelegation(
  organiser: TypedDataSigner,
  campaign: Address,
  chainId: number,
  delegate: Address,
  expiry: number,
): Promise<SignedDelegation> {
  const sign = organiser.signTypedData as (t: ReturnType<typeof delegationTypedData>) => Promise<Hex>;
  const signature = await sign(delegationTypedData(campaign, chainId, { delegate, expiry }));
  return { delegate: getAddress(delegate), expiry, signature };
}

/** Why an announcement is refused; the notifier answers with the same code. */
export type AnnouncementProblem =
  | { code: "TOO_LARGE"; field: "title" | "text" | "place"; max: number }
  | { code: "EMPTY"; field: "title" | "text" }
  | { code: "WRONG_CAMPAIGN" }
  | { code: "WRONG_CHAIN" }
  | { code: "BAD_SIGNATURE" }
  | { code: "NOT_ORGANISER" }
  | { code: "DELEGATION_EXPIRED"; expiry: number }
  | { code: "BAD_DELEGATION" }
  | { code: "FROM_THE_FUTURE" }
  | { code: "BAD_SUCCESSOR" }
  | { code: "BAD_TIME"; field: "startTime" | "issuedAt" };

/** Unix seconds a uint64 and a JavaScript Date both hold. */
function isTime(t: number): boolean {
  return Number.isSafeInteger(t) && t >= 0 && t <= 8.64e12;
}

/** Code points, as a person counts characters (an emoji is one, not two). */
function length(s: string): number {
  return [...s].length;
}

/** The size and shape problems of an announcement's content, before any signature is checked. */
export function contentProblem(a: AnnouncementContent, campaign?: Address): AnnouncementProblem | null {
  if (a.title.trim() === "") return { code: "EMPTY", field: "title" };
  if (a.text.trim() === "") return { code: "EMPTY", field: "text" };
  for (const field of ["title", "text", "place"] as const) {
    const value = a[field] ?? "";
    if (length(value) > ANNOUNCEMENT_LIMITS[field])
      return { code: "TOO_LARGE", field, max: ANNOUNCEMENT_LIMITS[field] };
  }
  if (a.startTime !== null && !isTime(a.startTime)) return { code: "BAD_TIME", field: "startTime" };
  if (!isTime(a.issuedAt)) return { code: "BAD_TIME", field: "issuedAt" };
  if (a.successor !== null) {
    if (!isAddress(a.successor, { strict: false }) || a.successor.toLowerCase() === zeroAddress)
      return { code: "BAD_SUCCESSOR" };
    if (campaign && a.successor.toLowerCase() === campaign.toLowerCase()) return { code: "BAD_SUCCESSOR" };
  }
  return null;
}

export interface VerifyContext {
  /** The campaign the announcement is posted to (the URL's). */
  campaign: Address;
  /** The chain the verifier reads. */
  chainId: number;
  /** The campaign's organiser, as `parameters()` returns it. */
  organiser: Address;
  /** The verifier's clock (unix seconds): delegations expire against it. */
  now: number;
}

/**
 * Checks an announcement: size, campaign and chain, the signature of `signer`, and that `signer` is
 * the organiser or a delegate the organiser authorised for this campaign, unexpired at `now`.
 * Returns null when it is the organiser's, or the first problem.
 */
export async function verifyAnnouncement(
  a: SignedAnnouncement,
  ctx: VerifyContext,
): Promise<AnnouncementProblem | null> {
  const shape = contentProblem(a, ctx.campaign);
  if (shape) return shape;
  if (!isAddress(a.campaign, { strict: false }) || getAddress(a.campaign) !== getAddress(ctx.campaign))
    return { code: "WRONG_CAMPAIGN" };
  if (a.chainId !== ctx.chainId) return { code: "WRONG_CHAIN" };
  if (a.issuedAt > ctx.now + MAX_CLOCK_SKEW) return { code: "FROM_THE_FUTURE" };
  if (!isHex(a.signature) || !isAddress(a.signer, { strict: false })) return { code: "BAD_SIGNATURE" };
  let recovered: Address;
  try {
    recovered = await recoverTypedDataAddress({
      ...announcementTypedData(ctx.campaign, ctx.chainId, a),
      signature: a.signature,
    });
  } catch {
    return { code: "BAD_SIGNATURE" };
  }
  if (recovered !== getAddress(a.signer)) return { code: "BAD_SIGNATURE" };
  const organiser = getAddress(ctx.organiser);
  if (recovered === organiser) return null;
  const d = a.delegation;
  if (!d) return { code: "NOT_ORGANISER" };
  if (!isAddress(d.delegate, { strict: false }) || getAddress(d.delegate) !== recovered || !isHex(d.signature))
    return { code: "BAD_DELEGATION" };
  let delegator: Address;
  try {
    delegator = await recoverTypedDataAddress({
      ...delegationTypedData(ctx.campaign, ctx.chainId, d),
      signature: d.signature,
    });
  } catch {
    return { code: "BAD_DELEGATION" };
  }
  if (delegator !== organiser) return { code: "NOT_ORGANISER" };
  if (ctx.now >= d.expiry) return { code: "DELEGATION_EXPIRED", expiry: d.expiry };
  return null;
}
