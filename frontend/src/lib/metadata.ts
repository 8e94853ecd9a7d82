import { type Hex, keccak256, toBytes, toHex } from "viem";
import type { CampaignMetadata, MetadataCheck } from "./types.ts";

export interface MetadataDocument {
  title: string;
  text: string;
  actionDate: string;
  place: string;
  languages: string[];
}

/**
 * A description embedded as a data: URI, and the hash the campaign stores: nothing to host, and
 * the dApp never fetches a third-party URL to show it.
 * @example const { uri, hash } = embedMetadata({ title: "Grève", text: "", actionDate: "2027-05-01", place: "", languages: ["fr"] });
 */
export function embedMetadata(doc: MetadataDocument): { uri: string; hash: Hex } {
  const json = JSON.stringify(doc);
  const bytes = toBytes(json);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return { uri: `data:application/json;base64,${btoa(binary)}`, hash: keccak256(toHex(bytes)) };
}

/** Reads a description from a data: URI or from this same site; nothing else is fetched (privacy). */
export async function loadMetadata(uri: string, hash: Hex): Promise<{ doc: CampaignMetadata | null; check: MetadataCheck }> {
  let bytes: Uint8Array | null = null;
  try {
    if (uri.startsWith("data:")) {
      const comma = uri.indexOf(",");
      const header = uri.slice(5, comma);
      const payload = uri.slice(comma + 1);
      bytes = header.endsWith(";base64")
        ? Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))
        : new TextEncoder().encode(decodeURIComponent(payload));
    } else {
      const url = new URL(uri, window.location.href);
      if (url.origin === window.location.origin) {
        const r = await fetch(url, { credentials: "omit", referrerPolicy: "no-referrer" });
        if (r.ok) bytes = new Uint8Array(await r.arrayBuffer());
      }
    }
  } catch {
    bytes = null;
  }
  if (!bytes) return { doc: null, check: "unknown" };
  const check: MetadataCheck = keccak256(bytes) === hash ? "ok" : "bad";
  try {
    return { doc: JSON.parse(new TextDecoder().decode(bytes)) as CampaignMetadata, check };
  } catch {
    return { doc: null, check };
  }
}
