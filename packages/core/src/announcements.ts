/**
 * Organiser announcements (issue 22): short texts in French or English, optionally with a place, a
 * time and, after a failure, a successor campaign. Each is an EIP-712 message signed by the
 * campaign's organiser (the `organiser` that `Campaign.parameters()` returns), or by a delegate key
 * the organiser authorised for this campaign with a `Delegation` (carried with the announcement,
 * with an expiry). The domain binds both to one campaign (`verifyingContract`) on one chain
 * (`chainId`): a signature copied to another campaign or chain recovers another address.
 *
 * The organiser may be a contract (a Safe): its signatures are checked by the contract's
 * ERC-1271 `isValidSignature` (or ERC-6492 for one not deployed yet) through the verifier's chain
 * client (`VerifyContext.verifyTypedData`, viem's `verifyTypedData`). The organiser can revoke a
 * delegate before its expiry with a signed `Revocation`; announcements the delegate signed from
 * then on are refused (`DELEGATION_REVOKED`), the earlier ones stay valid.
 *
 * The dApp builds and signs with these helpers; the notifier (scripts/notifier) and any reader
 * verify with the same ones. Works in Node and in the browser (viem only).
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

/**
 * The organiser's withdrawal of a delegate key for one campaign, from `revokedAt` (unix seconds):
 * what the key signed from then on is refused, what it signed before stays valid. An organiser
 * who learns that the key leaked earlier dates the revocation back to then.
 */
export const REVOCATION_TYPES = {
  Revocation: [
    { name: "delegate", type: "address" },
    { name: "revokedAt", type: "uint64" },
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

/** A revocation as it travels (POST body, and what readers get back with `publishedAt`). */
export interface SignedRevocation {
  campaign: Address;
  chainId: number;
  delegate: Address;
  revokedAt: number;
  /** The organiser (an account, or a contract that accepts the signature through ERC-1271). */
  signer: Address;
  signature: Hex;
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

/** The typed data of a revocation, for the organiser's `signTypedData`. */
export function revocationTypedData(
  campaign: Address,
  chainId: number | bigint,
  revocation: Pick<SignedRevocation, "delegate" | "revokedAt">,
) {
  return {
    domain: announcementDomain(campaign, chainId),
    types: REVOCATION_TYPES,
    primaryType: "Revocation",
    message: { delegate: revocation.delegate, revokedAt: BigInt(revocation.revokedAt) },
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

/** The organiser withdraws `delegate`'s authorisation for this campaign from `revokedAt` on. */
export async function signRevocation(
  organiser: TypedDataSigner,
  campaign: Address,
  chainId: number,
  delegate: Address,
  revokedAt: number,
): Promise<SignedRevocation> {
  const sign = organiser.signTypedData as (t: ReturnType<typeof revocationTypedData>) => Promise<Hex>;
  const signature = await sign(revocationTypedData(campaign, chainId, { delegate, revokedAt }));
  return {
    campaign: getAddress(campaign),
    chainId,
    delegate: getAddress(delegate),
    revokedAt,
    signer: getAddress(organiser.address),
    signature,
  };
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
  | { code: "DELEGATION_REVOKED"; revokedAt: number }
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

/**
 * Asks the chain whether `address` accepts `signature` of the typed data: viem's
 * `publicClient.verifyTypedData`, which recovers an account's signature and asks a contract's
 * ERC-1271 `isValidSignature` (ERC-6492 for a contract not deployed yet).
 */
export type TypedDataVerifier = (
  args: { address: Address; signature: Hex } & (
    | ReturnType<typeof announcementTypedData>
    | ReturnType<typeof delegationTypedData>
    | ReturnType<typeof revocationTypedData>
  ),
) => Promise<boolean>;

export interface VerifyContext {
  /** The campaign the announcement is posted to (the URL's). */
  campaign: Address;
  /** The chain the verifier reads. */
  chainId: number;
  /** The campaign's organiser, as `parameters()` returns it. */
  organiser: Address;
  /** The verifier's clock (unix seconds): delegations expire against it. */
  now: number;
  /**
   * Checks a signature the organiser's key did not make by recovery: an organiser that is a
   * contract (ERC-1271). Without it, only an account's ECDSA signature is accepted.
   */
  verifyTypedData?: TypedDataVerifier;
  /**
   * Revocations of delegates the verifier holds, already checked with `verifyRevocation`. An
   * announcement by a revoked delegate is refused when it was written, or judged (`now`), at or
   * after `revokedAt`.
   */
  revocations?: readonly Pick<SignedRevocation, "delegate" | "revokedAt">[];
}

/**
 * Whether `organiser` signed the typed data: by recovery (an account), else by asking the chain
 * (a contract, ERC-1271/ERC-6492) when the context can.
 */
async function organiserSigned(
  typed:
    | ReturnType<typeof announcementTypedData>
    | ReturnType<typeof delegationTypedData>
    | ReturnType<typeof revocationTypedData>,
  signature: Hex,
  organiser: Address,
  ctx: Pick<VerifyContext, "verifyTypedData">,
): Promise<boolean> {
  try {
    if ((await recoverTypedDataAddress({ ...typed, signature } as never)) === organiser) return true;
  } catch {
    // Not a 65-byte ECDSA signature: a contract's (or an ERC-6492 wrapper) may still be.
  }
  if (!ctx.verifyTypedData) return false;
  try {
    return await ctx.verifyTypedData({ ...typed, address: organiser, signature } as never);
  } catch {
    return false;
  }
}

/** Why a revocation is refused; the notifier answers with the same code. */
export type RevocationProblem =
  | { code: "WRONG_CAMPAIGN" }
  | { code: "WRONG_CHAIN" }
  | { code: "BAD_SIGNATURE" }
  | { code: "NOT_ORGANISER" }
  | { code: "FROM_THE_FUTURE" }
  | { code: "BAD_TIME"; field: "revokedAt" };

/**
 * Checks a revocation: this campaign and chain (the domain binds the signature to both, so one
 * copied elsewhere recovers another address), a time, and the organiser's signature (an account's,
 * or a contract's through `verifyTypedData`). Null when the organiser signed it.
 */
export async function verifyRevocation(
  r: SignedRevocation,
  ctx: Omit<VerifyContext, "revocations">,
): Promise<RevocationProblem | null> {
  if (!isAddress(r.campaign, { strict: false }) || getAddress(r.campaign) !== getAddress(ctx.campaign))
    return { code: "WRONG_CAMPAIGN" };
  if (r.chainId !== ctx.chainId) return { code: "WRONG_CHAIN" };
  if (!isTime(r.revokedAt)) return { code: "BAD_TIME", field: "revokedAt" };
  if (r.revokedAt > ctx.now + MAX_CLOCK_SKEW) return { code: "FROM_THE_FUTURE" };
  if (!isHex(r.signature) || !isAddress(r.delegate, { strict: false }) || !isAddress(r.signer, { strict: false }))
    return { code: "BAD_SIGNATURE" };
  const organiser = getAddress(ctx.organiser);
  const typed = revocationTypedData(ctx.campaign, ctx.chainId, r);
  if (await organiserSigned(typed, r.signature, organiser, ctx)) return null;
  // Signed, but by someone else: say who may revoke; otherwise the signature does not match.
  try {
    const recovered = await recoverTypedDataAddress({ ...typed, signature: r.signature });
    if (recovered === getAddress(r.signer)) return { code: "NOT_ORGANISER" };
  } catch {
    // Falls through.
  }
  return { code: "BAD_SIGNATURE" };
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
  const organiser = getAddress(ctx.organiser);
  const typed = announcementTypedData(ctx.campaign, ctx.chainId, a);
  // The organiser's own, an account's or a contract's (ERC-1271): checked against the organiser.
  if (getAddress(a.signer) === organiser) {
    return (await organiserSigned(typed, a.signature, organiser, ctx)) ? null : { code: "BAD_SIGNATURE" };
  }
  let recovered: Address;
  try {
    recovered = await recoverTypedDataAddress({ ...typed, signature: a.signature });
  } catch {
    return { code: "BAD_SIGNATURE" };
  }
  if (recovered !== getAddress(a.signer)) return { code: "BAD_SIGNATURE" };
  const d = a.delegation;
  if (!d) return { code: "NOT_ORGANISER" };
  if (!isAddress(d.delegate, { strict: false }) || getAddress(d.delegate) !== recovered || !isHex(d.signature))
    return { code: "BAD_DELEGATION" };
  if (!(await organiserSigned(delegationTypedData(ctx.campaign, ctx.chainId, d), d.signature, organiser, ctx)))
    return { code: "NOT_ORGANISER" };
  if (ctx.now >= d.expiry) return { code: "DELEGATION_EXPIRED", expiry: d.expiry };
  const revoked = revocationOf(recovered, ctx.revocations ?? []);
  if (revoked !== null && (a.issuedAt >= revoked || ctx.now >= revoked))
    return { code: "DELEGATION_REVOKED", revokedAt: revoked };
  return null;
}

/** The earliest `revokedAt` among the revocations of `delegate`, or null when it is not revoked. */
export function revocationOf(
  delegate: Address,
  revocations: readonly Pick<SignedRevocation, "delegate" | "revokedAt">[],
): number | null {
  let earliest: number | null = null;
  for (const r of revocations) {
    if (isAddress(r.delegate, { strict: false }) && getAddress(r.delegate) === getAddress(delegate))
      earliest = earliest === null ? r.revokedAt : Math.min(earliest, r.revokedAt);
  }
  return earliest;
}
