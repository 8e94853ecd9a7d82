/**
 * The attester: one RSA key per campaign, one-time invite codes, blind signatures. Free of HTTP.
 * It sees an invite code and a blinded message, answers the blind signature, and remembers only that
 * the code was used (see store.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { type Hex, keccak256 } from "viem";
import {
  BlindRsaError,
  type RsaPrivateKey,
  decodeWire,
  encodeWire,
  generateKey,
  privateKeyFromJwk,
  privateKeyToJwk,
  publicKeyArgs,
} from "@bascule/core/blind-rsa";
import { AttesterError } from "./errors.js";
import { blindSign } from "./rsa.js";
import { AttesterStore, type CodeCounts, type DeskPaidRow } from "./store.js";

/** Crockford's base32: no I, L, O, U, so a code read aloud or from paper is not misread. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** 16 characters = 80 bits: guessing a valid code online, or from the hashes of a leaked database, is hopeless. */
export const CODE_LENGTH = 16;
export const MAX_CODES_PER_BATCH = 10_000;

/** A fresh invite code, as printed: XXXX-XXXX-XXXX-XXXX. */
export function newInviteCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = "";
  for (const byte of bytes) code += ALPHABET[byte & 31];
  return code.match(/.{4}/g)!.join("-");
}

/**
 * An invite code as typed (any case, spaces or dashes, O for 0, I or L for 1) in canonical form, or
 * null if it cannot be one.
 */
export function normaliseInviteCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (compact.length !== CODE_LENGTH || [...compact].some((c) => !ALPHABET.includes(c))) return null;
  return compact.match(/.{4}/g)!.join("-");
}

const hashCode = (canonical: string) => createHash("sha256").update(`bascule-invite:${canonical}`).digest("hex");

export interface PublicKeyInfo {
  keyId: Hex;
  label: string;
  /** 256 bytes big-endian, as the verifier contract's constructor takes it. */
  modulus: Hex;
  exponent: string;
  /** The one campaign this key signs for, once the organiser named it (POST /keys/:keyId/campaign). */
  campaign?: { chainId: number; address: Hex };
}

/** A campaign as the attester names it: its chain and address (lower case). */
export interface CampaignRef {
  chainId: number;
  address: string;
}

/** A claim paid at a payout desk, as the API answers it. */
export interface DeskPaid {
  claim: string;
  paidAt: number;
  clerk: string;
}

const deskPaid = (row: DeskPaidRow): DeskPaid => ({ claim: row.claim, paidAt: row.paid_at, clerk: row.clerk });

export class AttesterService {
  private readonly keys = new Map<string, RsaPrivateKey>();

  constructor(
    readonly store: AttesterStore,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /**
   * The desk ledger (issue 20): marks `claim` (the pledge key of its SupportClaimed event) paid by
   * `desk`, once for the campaign, whoever the clerk and whichever browser; a second mark is refused
   * ALREADY_PAID with when and by whom the first was made. The desk page checks the slip and the
   * claim on chain before it asks; this service has no chain to check them against.
   */
  markPaid(o: { chainId: number; campaign: string; desk: string; claim: string; clerk: string }): DeskPaid {
    const { inserted, row } = this.store.markPaid({
      chain_id: o.chainId,
      campaign: o.campaign.toLowerCase(),
      claim: o.claim.toLowerCase(),
      desk: o.desk.toLowerCase(),
      paid_at: this.now(),
      clerk: o.clerk.trim(),
    });
    if (!inserted)
      throw new AttesterError("ALREADY_PAID", {
        paidAt: row.paid_at,
        clerk: row.clerk,
        desk: row.desk,
      });
    return deskPaid(row);
  }

  /** The claims a desk has paid in a campaign. */
  listPaid(o: { chainId: number; campaign: string; desk: string }): DeskPaid[] {
    return this.store.listPaid(o.chainId, o.campaign.toLowerCase(), o.desk.toLowerCase()).map(deskPaid);
  }

  /** A new campaign key; its id is keccak256 of the modulus, so anyone can find it from the verifier. */
  async createKey(label: string): Promise<PublicKeyInfo> {
    const key = await generateKey();
    const { modulus } = publicKeyArgs(key);
    const keyId = keccak256(modulus);
    this.store.insertKey({ key_id: keyId, jwk: JSON.stringify(privateKeyToJwk(key)), label });
    this.keys.set(keyId, key);
    return { keyId, label, modulus, exponent: key.e.toString() };
  }

  private key(keyId: string): RsaPrivateKey {
    const cached = this.keys.get(keyId);
    if (cached) return cached;
    const row = this.store.getKey(keyId.toLowerCase());
    if (!row) throw new AttesterError("KEY_UNKNOWN");
    const key = privateKeyFromJwk(JSON.parse(row.jwk) as JsonWebKey);
    this.keys.set(keyId, key);
    return key;
  }

  publicKey(keyId: string): PublicKeyInfo {
    const key = this.key(keyId);
    const { modulus } = publicKeyArgs(key);
    const bound = this.store.getKeyCampaign(keccak256(modulus));
    return {
      keyId: keccak256(modulus),
      label: this.store.getKey(keccak256(modulus))!.label,
      modulus,
      exponent: key.e.toString(),
      ...(bound ? { campaign: { chainId: bound.chainId, address: bound.campaign as Hex } } : {}),
    };
  }

  /**
   * Names the one campaign a key signs for (its predicted address, before the verifier is deployed):
   * set once; the same campaign again is a no-op, another one is refused KEY_CAMPAIGN_SET. A member's
   * browser then names the campaign it is on, and a look-alike's request is refused before the code is
   * used (redeem).
   */
  bindCampaign(keyId: string, campaign: CampaignRef): PublicKeyInfo {
    this.key(keyId);
    const id = keyId.toLowerCase();
    const address = campaign.address.toLowerCase();
    if (!this.store.insertKeyCampaign(id, campaign.chainId, address)) {
      const bound = this.store.getKeyCampaign(id)!;
      if (bound.chainId !== campaign.chainId || bound.campaign !== address) throw new AttesterError("KEY_CAMPAIGN_SET");
    }
    return this.publicKey(keyId);
  }

  listKeys(): (PublicKeyInfo & CodeCounts)[] {
    return this.store.listKeys().map((row) => {
      const { issued, redeemed, revoked } = this.store.counts(row.key_id);
      return { ...this.publicKey(row.key_id), issued, redeemed, revoked };
    });
  }

  /** A batch of fresh codes: returned once, only their hashes are kept. */
  createCodes(keyId: string, count: number): { batch: number; codes: string[] } {
    this.key(keyId);
    if (!Number.isInteger(count) || count < 1 || count > MAX_CODES_PER_BATCH) throw new AttesterError("TOO_MANY_CODES");
    const codes = Array.from({ length: count }, newInviteCode);
    const batch = this.store.insertCodes(keyId.toLowerCase(), codes.map(hashCode));
    return { batch, codes };
  }

  counts(keyId: string) {
    this.key(keyId);
    return this.store.counts(keyId.toLowerCase());
  }

  /** Revokes unused codes: all, one batch, or the listed ones. Used codes stay used. */
  revoke(keyId: string, filter: { batch?: number; codes?: string[] }): number {
    this.key(keyId);
    const hashes = filter.codes
      ?.map((c) => normaliseInviteCode(c))
      .filter((c): c is string => c !== null)
      .map(hashCode);
    return this.store.revoke(keyId.toLowerCase(), { batch: filter.batch, hashes });
  }

  /**
   * Blind-signs `blinded` once for `code`, for `campaign` when the browser names it (a key bound to
   * another campaign refuses). Every check happens before the code is marked used, and
   * the code is used by one atomic write before the signature is released; the blinded message is
   * only in memory for the time of this call.
   */
  redeem(keyId: string, code: string, blinded: string, campaign?: CampaignRef): Hex {
    const key = this.key(keyId);
    // The page the member is on is not the key's campaign (a look-alike): refused before anything else.
    const bound = this.store.getKeyCampaign(keyId.toLowerCase());
    if (
      bound &&
      campaign &&
      (bound.chainId !== campaign.chainId || bound.campaign !== campaign.address.toLowerCase())
    ) {
      throw new AttesterError("CODE_WRONG_CAMPAIGN", { campaign: bound.campaign, chainId: bound.chainId });
    }
    const canonical = normaliseInviteCode(code);
    if (canonical === null) throw new AttesterError("CODE_UNKNOWN");
    const hash = hashCode(canonical);
    const row = this.store.getCode(hash);
    if (!row) throw new AttesterError("CODE_UNKNOWN");
    if (row.key_id !== keyId.toLowerCase()) throw new AttesterError("CODE_OTHER_CAMPAIGN");
    if (row.state === "revoked") throw new AttesterError("CODE_REVOKED");
    if (row.state === "redeemed") throw new AttesterError("CODE_USED");
    let message: bigint;
    try {
      message = decodeWire(blinded);
    } catch {
      throw new AttesterError("BLINDED_INVALID");
    }
    if (message <= 1n || message >= key.n - 1n) throw new AttesterError("BLINDED_INVALID");
    if (!this.store.redeem(hash)) {
      // Another request redeemed or revoked it between the read and the write.
      throw new AttesterError(this.store.getCode(hash)?.state === "revoked" ? "CODE_REVOKED" : "CODE_USED");
    }
    try {
      return encodeWire(blindSign(key, message));
    } catch (error) {
      this.store.unredeem(hash);
      if (error instanceof BlindRsaError) throw new AttesterError("INTERNAL_ERROR");
      throw error;
    }
  }
}
