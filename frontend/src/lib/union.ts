/**
 * The union's side in the dApp, free of React: the attester service client (blind vouchers for an
 * invite code, the organiser's invite-code endpoints), attendance codes for check-in (the files that
 * carry them: lib/checkinFile.ts), payout desks. Blind RSA itself is packages/core/src/blind-rsa.ts.
 */
import {
  type Address,
  type Hex,
  type LocalAccount,
  bytesToHex,
  getAddress,
  hexToBytes,
  hashTypedData,
  isAddress,
  keccak256,
  recoverAddress,
} from "viem";
import { base64urlToBytes, bytesToBase64url } from "@bascule/core/base64url";
import {
  type RsaPublicKey,
  blind,
  decodeWire,
  encodeWire,
  unblind,
  verify,
  voucherBytes,
  voucherDigest,
} from "@bascule/core/blind-rsa";
import type { paths } from "@bascule/core/generated/attester-api";
import { campaignDomain } from "@bascule/core/signing";
import {
  type BankDetails,
  type DeskSlipRefusal,
  type BankDetailsError,
  bankHash,
  checkDeskSlip,
} from "@bascule/core/desk-slip";
import { appUrl, campaignPath } from "@bascule/core/routes";
import type { PayoutDeskEntry, UnionDescription } from "@bascule/core/metadata";
import type { Client } from "openapi-fetch";
import { isRefusal, serviceClient } from "./api.ts";
import { RelayerDownError, RelayerError } from "./errors.ts";

/** What a campaign's metadata may say about its union (see scripts/demo/union.ts). */
export type PayoutDesk = PayoutDeskEntry;
export type UnionMetadata = UnionDescription;

/** The union fields of a metadata document, checked (anything malformed is dropped). */
export function unionMetadata(doc: unknown): UnionMetadata {
  const out: UnionMetadata = {};
  if (typeof doc !== "object" || doc === null) return out;
  const d = doc as Record<string, unknown>;
  const a = d.attester as Record<string, unknown> | undefined;
  if (a && typeof a.url === "string" && typeof a.keyId === "string" && /^0x[0-9a-fA-F]{64}$/.test(a.keyId)) {
    out.attester = { url: a.url, keyId: a.keyId as Hex };
  }
  if (typeof d.organiserName === "string" && d.organiserName.trim() !== "" && d.organiserName.length <= 120)
    out.organiserName = d.organiserName;
  if (Array.isArray(d.payoutDesks)) {
    out.payoutDesks = d.payoutDesks.filter(
      (p): p is PayoutDesk =>
        typeof p === "object" &&
        p !== null &&
        typeof p.name === "string" &&
        typeof p.address === "string" &&
        isAddress(p.address) &&
        typeof p.instructions?.en === "string" &&
        typeof p.instructions?.fr === "string" &&
        (p.contact === undefined || typeof p.contact === "string"),
    );
  }
  return out;
}

/** Turns a relative service URL from the metadata or config ("./attester") into an absolute one. */
export function serviceUrl(url: string): string {
  return new URL(url, window.location.href.split("#")[0]).toString().replace(/\/$/, "");
}

/** One call to the attester service: its answer, a RelayerError for a refusal, RelayerDownError when unreachable. */
async function call<T>(
  attesterUrl: string,
  run: (api: Client<paths>) => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await run(serviceClient<paths>(attesterUrl));
  } catch (e) {
    throw new RelayerDownError(String(e));
  }
  const { data, error, response } = result;
  if (!response.ok || data === undefined) {
    if (isRefusal(error))
      throw new RelayerError(error.error.code, error.error.message, response.status, error.error.details);
    throw new RelayerDownError(`HTTP ${response.status}`);
  }
  return data;
}

export class VoucherCheckError extends Error {}

/**
 * Gets a blind voucher for `pledgeKey` with an invite code: blinds the voucher digest here, sends only
 * the blinded number and the code, unblinds the answer and checks it against the verifier's key
 * before returning the voucher bytes. The attester never sees the pledge key.
 * @example const voucher = await fetchBlindVoucher({ attesterUrl, keyId, key, campaign, chainId, pledgeKey, code });
 */
export async function fetchBlindVoucher(o: {
  attesterUrl: string;
  keyId: Hex;
  key: RsaPublicKey;
  campaign: Address;
  chainId: number;
  pledgeKey: Address;
  code: string;
}): Promise<Hex> {
  const digest = voucherDigest(o.campaign, o.chainId, o.pledgeKey);
  const { blinded, inverse } = blind(o.key, digest);
  const { blindSignature } = await call(o.attesterUrl, (api) =>
    api.POST("/keys/{keyId}/vouchers", {
      params: { path: { keyId: o.keyId } },
      // The campaign this page is on: a key bound to another campaign refuses, the code unused.
      body: { code: o.code, blinded: encodeWire(blinded), campaign: { chainId: o.chainId, address: o.campaign } },
    }),
  );
  const signature = unblind(o.key, decodeWire(blindSignature), inverse);
  if (!verify(o.key, digest, signature))
    throw new VoucherCheckError("the union's signature does not match the campaign's key");
  return voucherBytes(signature);
}

/** The organiser's calls to the attester service (bearer token printed by the service at start). */
export function attesterAdmin(attesterUrl: string, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    createCodes: (keyId: Hex, count: number) =>
      call(attesterUrl, (api) =>
        api.POST("/keys/{keyId}/codes", { params: { path: { keyId } }, headers, body: { count } }),
      ),
    counts: (keyId: Hex) =>
      call(attesterUrl, (api) => api.GET("/keys/{keyId}/codes", { params: { path: { keyId } }, headers })),
    revoke: (keyId: Hex, filter: { batch?: number; codes?: string[] }) =>
      call(attesterUrl, (api) =>
        api.POST("/keys/{keyId}/codes/revoke", { params: { path: { keyId } }, headers, body: filter }),
      ),
  };
}

/** The link printed on an invite card: the campaign page with the code, which the dApp fills in. */
export function inviteLink(base: string, campaign: Address, code: string): string {
  return appUrl(base, campaignPath(campaign, code));
}

/** Invite codes as CSV (one per line, with the link to open). */
export function invitesCsv(base: string, campaign: Address, codes: string[]): string {
  return ["code,link", ...codes.map((c) => `${c},${inviteLink(base, campaign, c)}`)].join("\n") + "\n";
}

// ------------------------------------------------------------------------------------ check-in

export const ATTENDANCE_TYPES = { Attendance: [{ name: "actionDate", type: "uint64" }] } as const;
const ATTENDANCE_PREFIX = "BA1";

function attendanceDigest(campaign: Address, chainId: number | bigint, actionDate: bigint): Hex {
  return hashTypedData({
    domain: campaignDomain(campaign, chainId),
    types: ATTENDANCE_TYPES,
    primaryType: "Attendance",
    message: { actionDate },
  });
}

/**
 * The attendance code a receipt shows on the action day: the pledge key's EIP-712 signature of
 * `Attendance(uint64 actionDate)` under the campaign's domain, with the key's address, as short text
 * ("BA1" + base64url of 20 + 65 bytes, 117 characters) for a QR code or pasting.
 */
export async function attendanceCode(
  pledgeKey: LocalAccount,
  campaign: Address,
  chainId: number,
  actionDate: bigint,
): Promise<string> {
  const signature = await pledgeKey.signTypedData({
    domain: campaignDomain(campaign, chainId),
    types: ATTENDANCE_TYPES,
    primaryType: "Attendance",
    message: { actionDate },
  });
  return (
    ATTENDANCE_PREFIX + bytesToBase64url(new Uint8Array([...hexToBytes(pledgeKey.address), ...hexToBytes(signature)]))
  );
}

export type AttendanceCheck =
  { ok: true; pledgeKey: Address } | { ok: false; reason: "malformed" | "badSignature" | "notPledged" };

/**
 * Checks an attendance code offline: well formed, signed by the key it names for this campaign and
 * action date, and that key has a pledge here (`pledged`: the campaign's pledge keys, read while
 * online and kept).
 */
export async function checkAttendance(
  code: string,
  o: { campaign: Address; chainId: number; actionDate: bigint; pledged: ReadonlySet<string> },
): Promise<AttendanceCheck> {
  const text = code.trim();
  if (!text.startsWith(ATTENDANCE_PREFIX)) return { ok: false, reason: "malformed" };
  let bytes: Uint8Array;
  try {
    bytes = base64urlToBytes(text.slice(ATTENDANCE_PREFIX.length));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (bytes.length !== 85) return { ok: false, reason: "malformed" };
  const claimed = getAddress(bytesToHex(bytes.slice(0, 20)));
  let signer: Address;
  try {
    signer = await recoverAddress({
      hash: attendanceDigest(o.campaign, o.chainId, o.actionDate),
      signature: bytesToHex(bytes.slice(20)),
    });
  } catch {
    return { ok: false, reason: "badSignature" };
  }
  if (signer !== claimed) return { ok: false, reason: "badSignature" };
  if (!o.pledged.has(claimed.toLowerCase())) return { ok: false, reason: "notPledged" };
  return { ok: true, pledgeKey: claimed };
}

// ------------------------------------------------------------------------------------ payout desks

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A claim's name for people to talk about it ("XXXX-XXXX-XXXX-XXXX", 80 bits of keccak256 of the
 * pledge key's address in Crockford base32: no two claims of a campaign share one). It is no proof of
 * anything: anyone reading the SupportClaimed event computes it. A desk pays only on a desk slip
 * (packages/core/src/desk-slip.ts).
 */
export function claimReference(pledgeKey: Address): string {
  const bytes = hexToBytes(keccak256(getAddress(pledgeKey)));
  let bits = 0n;
  for (const b of bytes.slice(0, 10)) bits = (bits << 8n) | BigInt(b);
  let out = "";
  for (let i = 15; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(5 * i)) & 31n)];
  return out.match(/.{4}/g)!.join("-");
}

/** The desk's list as CSV: reference, amount (in token units), pledge key, transaction, paid, when, by whom. */
export function deskCsv(
  rows: {
    reference: string;
    amount: string;
    pledgeKey: Address;
    txHash: string;
    paid: { paidAt: number; clerk: string } | null;
  }[],
): string {
  const field = (v: string) => (/[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return (
    [
      "reference,amount,pledgeKey,transaction,paid,paidAt,clerk",
      ...rows.map((r) =>
        [
          r.reference,
          r.amount,
          r.pledgeKey,
          r.txHash,
          r.paid ? "yes" : "no",
          r.paid ? new Date(r.paid.paidAt * 1000).toISOString() : "",
          field(r.paid?.clerk ?? ""),
        ].join(","),
      ),
    ].join("\n") + "\n"
  );
}

/** A claim the desk ledger holds as paid. */
export interface DeskPaid {
  claim: string;
  paidAt: number;
  clerk: string;
}

/**
 * The desk clerks' calls to the union's desk ledger (the attester service, desk token): the claims
 * paid at this desk, and marking one paid, once (RelayerError ALREADY_PAID the second time, with
 * `details.paidAt` and `details.clerk`).
 */
export function deskLedger(
  attesterUrl: string,
  token: string,
  at: { chainId: number; campaign: Address; desk: Address },
) {
  const headers = { authorization: `Bearer ${token}` };
  const path = { desk: at.desk, chainId: String(at.chainId), campaign: at.campaign };
  return {
    list: async (): Promise<DeskPaid[]> =>
      (
        await call(attesterUrl, (api) =>
          api.GET("/desks/{desk}/chains/{chainId}/campaigns/{campaign}/paid", { params: { path }, headers }),
        )
      ).paid,
    markPaid: (claim: Address, clerk: string): Promise<DeskPaid> =>
      call(attesterUrl, (api) =>
        api.POST("/desks/{desk}/chains/{chainId}/campaigns/{campaign}/paid", {
          params: { path },
          headers,
          body: { claim, clerk },
        }),
      ),
  };
}

/** Why the desk must not pay: the bank details typed, the slip, or the claim it names. */
export type DeskRefusal = BankDetailsError | DeskSlipRefusal | "noClaim" | "alreadyPaid";

export type DeskCheck<C> = { ok: true; claim: C; iban: string } | { ok: false; reason: DeskRefusal; paid?: DeskPaid };

/**
 * What the desk page does with a slip and the bank details the clerk is about to pay: the details
 * checked (IBAN checksum, a name), the slip checked against them (packages/core/src/desk-slip.ts),
 * then the claim the slip's pledge key sent to this desk (the SupportClaimed events read), and
 * whether the ledger already holds it paid (`paid`, by lower-case pledge key).
 */
export async function checkAtDesk<C extends { pledgeKey: Address }>(
  slip: string,
  bank: BankDetails,
  at: { chainId: number; campaign: Address; desk: Address },
  claims: readonly C[],
  paid: ReadonlyMap<string, DeskPaid>,
): Promise<DeskCheck<C>> {
  const h = bankHash(bank);
  if (!h.ok) return { ok: false, reason: h.reason };
  const checked = await checkDeskSlip(slip, { ...at, bank: h.hash });
  if (!checked.ok) return { ok: false, reason: checked.reason };
  const claim = claims.find((c) => c.pledgeKey.toLowerCase() === checked.pledgeKey.toLowerCase());
  if (!claim) return { ok: false, reason: "noClaim" };
  const mark = paid.get(checked.pledgeKey.toLowerCase());
  if (mark) return { ok: false, reason: "alreadyPaid", paid: mark };
  return { ok: true, claim, iban: h.iban };
}
