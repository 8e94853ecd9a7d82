/**
 * Desk slips (issue 20): what a beneficiary shows a payout desk to be paid a claim by bank transfer.
 *
 * A claim sent to a desk is public (the `SupportClaimed` event names the pledge key and the desk), so
 * nothing computed from the event can tell the desk who the beneficiary is. The slip is the pledge
 * key's EIP-712 signature of `DeskSlip(address desk, bytes32 bankHash)` under the domain
 * "Bascule desk slip" (chain id, verifyingContract = the campaign): only the receipt's holder can
 * make it, and it names the bank account the desk is to pay (bankHash = keccak256 of the IBAN and
 * the holder's name, normalised), so a slip seen by someone else pays nobody but the beneficiary.
 *
 * The slip as text: "BDS1" + base64url of version (1) ‖ chain id (8) ‖ campaign (20) ‖ desk (20) ‖
 * pledge key (20) ‖ bankHash (32) ‖ signature (65) = 166 bytes, 225 characters: short enough for a
 * QR code, made again at any time from the receipt and the bank details typed again.
 *
 * IBANs are checked with ibantools (country, length, format and the ISO 7064 mod-97 checksum).
 */
import { electronicFormatIBAN, validateIBAN, ValidationErrorsIBAN } from "ibantools";
import {
  type Address,
  type Hex,
  type LocalAccount,
  bytesToHex,
  getAddress,
  hashTypedData,
  hexToBytes,
  keccak256,
  numberToBytes,
  bytesToBigInt,
  recoverAddress,
  stringToBytes,
} from "viem";
import { base64urlToBytes, bytesToBase64url } from "./base64url.ts";

export const DESK_SLIP_PREFIX = "BDS1";
const VERSION = 1;
const SLIP_BYTES = 1 + 8 + 20 + 20 + 20 + 32 + 65;

export const DESK_SLIP_TYPES = {
  DeskSlip: [
    { name: "desk", type: "address" },
    { name: "bankHash", type: "bytes32" },
  ],
} as const;

/** The slip's EIP-712 domain: its own name, so no other Bascule signature can pass for a slip. */
export function deskSlipDomain(campaign: Address, chainId: number | bigint) {
  return { name: "Bascule desk slip", version: "1", chainId: BigInt(chainId), verifyingContract: campaign } as const;
}

/** Why bank details were refused: no IBAN, an unknown country, a wrong length or format, a wrong checksum, no name. */
export type BankDetailsError = "ibanMissing" | "ibanCountry" | "ibanFormat" | "ibanChecksum" | "nameMissing";

export interface BankDetails {
  iban: string;
  holder: string;
}

/** An IBAN as typed (spaces, dashes, lower case) in electronic format, checked; or why it cannot be one. */
export function normaliseIban(input: string): { ok: true; iban: string } | { ok: false; reason: BankDetailsError } {
  const iban = electronicFormatIBAN(input.replace(/[\s-]/g, "")) ?? "";
  if (iban === "") return { ok: false, reason: "ibanMissing" };
  const { valid, errorCodes } = validateIBAN(iban);
  if (valid) return { ok: true, iban };
  if (errorCodes.includes(ValidationErrorsIBAN.NoIBANCountry)) return { ok: false, reason: "ibanCountry" };
  // A wrong length or format also fails the checksum: say what the person can see first.
  if (
    errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength) ||
    errorCodes.includes(ValidationErrorsIBAN.WrongBBANFormat) ||
    errorCodes.includes(ValidationErrorsIBAN.ChecksumNotNumber)
  )
    return { ok: false, reason: "ibanFormat" };
  return { ok: false, reason: "ibanChecksum" };
}

/**
 * The holder's name as the bank reads it: Unicode NFD without accents, spaces collapsed, upper case
 * ("  Élise  Durand-Lévy " → "ELISE DURAND-LEVY"), so a name typed with or without accents matches.
 */
export function normaliseHolder(input: string): string {
  return input.normalize("NFD").replace(/\p{M}/gu, "").replace(/\s+/g, " ").trim().toUpperCase();
}

/**
 * keccak256 of the normalised bank details ("bascule-desk-bank:1\n" IBAN "\n" NAME), or why they are refused.
 * @example bankHash({ iban: "fr76 3000 6000 0112 3456 7890 189", holder: "Élise Durand" })
 */
export function bankHash(
  details: BankDetails,
): { ok: true; hash: Hex; iban: string } | { ok: false; reason: BankDetailsError } {
  const iban = normaliseIban(details.iban);
  if (!iban.ok) return iban;
  const holder = normaliseHolder(details.holder);
  if (holder === "") return { ok: false, reason: "nameMissing" };
  return { ok: true, iban: iban.iban, hash: keccak256(stringToBytes(`bascule-desk-bank:1\n${iban.iban}\n${holder}`)) };
}

export interface DeskSlipFields {
  chainId: number;
  campaign: Address;
  desk: Address;
  pledgeKey: Address;
  bankHash: Hex;
  signature: Hex;
}

function slipDigest(o: { chainId: number; campaign: Address; desk: Address; bankHash: Hex }): Hex {
  return hashTypedData({
    domain: deskSlipDomain(o.campaign, o.chainId),
    types: DESK_SLIP_TYPES,
    primaryType: "DeskSlip",
    message: { desk: o.desk, bankHash: o.bankHash },
  });
}

/**
 * The slip a receipt's pledge key signs for a desk and a bank account (see the module's comment).
 * @example const slip = await signDeskSlip(account, { chainId, campaign, desk, bankHash: h.hash });
 */
export async function signDeskSlip(
  pledgeKey: LocalAccount,
  o: { chainId: number; campaign: Address; desk: Address; bankHash: Hex },
): Promise<string> {
  const signature = await pledgeKey.signTypedData({
    domain: deskSlipDomain(o.campaign, o.chainId),
    types: DESK_SLIP_TYPES,
    primaryType: "DeskSlip",
    message: { desk: o.desk, bankHash: o.bankHash },
  });
  return encodeDeskSlip({ ...o, pledgeKey: pledgeKey.address, signature });
}

export function encodeDeskSlip(f: DeskSlipFields): string {
  const bytes = new Uint8Array([
    VERSION,
    ...numberToBytes(BigInt(f.chainId), { size: 8 }),
    ...hexToBytes(f.campaign),
    ...hexToBytes(f.desk),
    ...hexToBytes(f.pledgeKey),
    ...hexToBytes(f.bankHash),
    ...hexToBytes(f.signature),
  ]);
  return DESK_SLIP_PREFIX + bytesToBase64url(bytes);
}

/** A slip's fields as written in it (nothing checked but its shape), or null if it is not a slip. */
export function decodeDeskSlip(text: string): DeskSlipFields | null {
  const t = text.replace(/\s/g, "");
  if (!t.startsWith(DESK_SLIP_PREFIX)) return null;
  let bytes: Uint8Array;
  try {
    bytes = base64urlToBytes(t.slice(DESK_SLIP_PREFIX.length));
  } catch {
    return null;
  }
  if (bytes.length !== SLIP_BYTES || bytes[0] !== VERSION) return null;
  const chainId = bytesToBigInt(bytes.slice(1, 9));
  if (chainId === 0n || chainId > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return {
    chainId: Number(chainId),
    campaign: getAddress(bytesToHex(bytes.slice(9, 29))),
    desk: getAddress(bytesToHex(bytes.slice(29, 49))),
    pledgeKey: getAddress(bytesToHex(bytes.slice(49, 69))),
    bankHash: bytesToHex(bytes.slice(69, 101)),
    signature: bytesToHex(bytes.slice(101)),
  };
}

export type DeskSlipRefusal =
  "malformed" | "otherChain" | "otherCampaign" | "otherDesk" | "badSignature" | "bankMismatch";

export type DeskSlipCheck = { ok: true; pledgeKey: Address } | { ok: false; reason: DeskSlipRefusal };

/**
 * Checks a slip for the desk that reads it: well formed, for this chain, campaign and desk, signed by
 * the pledge key it names over the bank hash it carries, and that hash equal to the one of the bank
 * details the desk will pay (`bank`, from bankHash). Whether that pledge key has a claim to this desk
 * is the caller's to check (the SupportClaimed events).
 */
export async function checkDeskSlip(
  text: string,
  o: { chainId: number; campaign: Address; desk: Address; bank: Hex },
): Promise<DeskSlipCheck> {
  const f = decodeDeskSlip(text);
  if (!f) return { ok: false, reason: "malformed" };
  if (f.chainId !== o.chainId) return { ok: false, reason: "otherChain" };
  if (f.campaign.toLowerCase() !== o.campaign.toLowerCase()) return { ok: false, reason: "otherCampaign" };
  if (f.desk.toLowerCase() !== o.desk.toLowerCase()) return { ok: false, reason: "otherDesk" };
  let signer: Address;
  try {
    signer = await recoverAddress({ hash: slipDigest(f), signature: f.signature });
  } catch {
    return { ok: false, reason: "badSignature" };
  }
  if (signer !== f.pledgeKey) return { ok: false, reason: "badSignature" };
  if (f.bankHash.toLowerCase() !== o.bank.toLowerCase()) return { ok: false, reason: "bankMismatch" };
  return { ok: true, pledgeKey: f.pledgeKey };
}

/** An IBAN in electronic format as people read it, by groups of four ("FR76 3000 6000 …"). */
export function friendlyIban(iban: string): string {
  return iban.match(/.{1,4}/g)?.join(" ") ?? "";
}
