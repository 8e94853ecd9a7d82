import { base64urlToBytes } from "@bascule/core/base64url";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { parseRoute, receiptPath } from "@bascule/core/routes";

/** A pledge receipt: the campaign and the pledge key. It lives only in the URL fragment and files. */
export interface Receipt {
  chainId: number;
  campaign: Address;
  key: Hex;
}

/**
 * The receipt's link. The key goes after "#", which browsers never send to any server.
 * @example receiptLink("https://bascule.example/", { chainId: 1, campaign, key }) // ".../#/r/1/0xCamp…/0xkey…"
 */
export function receiptLink(base: string, r: Receipt): string {
  const url = new URL(base);
  url.hash = receiptPath(r);
  url.search = "";
  return url.href;
}

/** Reads a receipt from a route like "/r/31337/0x…/0x…" (the fragment without "#"). */
export function parseReceiptRoute(route: string): Receipt | null {
  const r = parseRoute(route);
  if (r?.page !== "receipt") return null;
  try {
    privateKeyToAccount(r.key);
  } catch {
    return null;
  }
  return { chainId: r.chainId, campaign: r.campaign, key: r.key };
}

/** The receipt as a file's contents. */
export function receiptFile(link: string, r: Receipt): string {
  return JSON.stringify(
    {
      kind: "bascule-pledge-receipt",
      warning: {
        en: "This file is the only key to your pledge. Keep it private and safe.",
        fr: "Ce fichier est la seule clé de votre engagement. Gardez-le en lieu sûr, sans le partager.",
      },
      link,
      chainId: r.chainId,
      campaign: r.campaign,
      pledgeKey: r.key,
    },
    null,
    2,
  );
}

/** Reads a receipt file back. */
export function parseReceiptFile(text: string): Receipt | null {
  try {
    const j = JSON.parse(text) as { chainId?: number; campaign?: string; pledgeKey?: string };
    if (typeof j.chainId !== "number" || !j.campaign || !j.pledgeKey) return null;
    return parseReceiptRoute(
      receiptPath({ chainId: j.chainId, campaign: j.campaign as Address, key: j.pledgeKey as Hex }),
    );
  } catch {
    return null;
  }
}

/** Version byte of a passphrase-protected receipt (lib/receiptLock.ts encrypts and decrypts it). */
export const LOCKED_VERSION = 1;

/** base64url without padding, as in a protected receipt link. */
export function unb64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    return base64urlToBytes(text);
  } catch {
    return null;
  }
}

export interface LockedReceipt {
  chainId: number;
  campaign: Address;
  blob: string;
}

/** Reads a protected receipt route; null if malformed. */
export function parseLockedRoute(route: string): LockedReceipt | null {
  const r = parseRoute(route);
  if (r?.page !== "locked-receipt") return null;
  const bytes = unb64url(r.blob);
  if (!bytes || bytes.length !== 2 + 16 + 12 + 48 || bytes[0] !== LOCKED_VERSION || bytes[1] < 10 || bytes[1] > 20)
    return null;
  return { chainId: r.chainId, campaign: r.campaign, blob: r.blob };
}
