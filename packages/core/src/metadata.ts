/**
 * A campaign's description (MECHANISM.md, "A campaign": metadata URI and content hash): embedded
 * as a data: URI so there is nothing to host and nobody fetches a third-party URL to show it, and
 * read back from one. One text for the create page, the CLI's demos, the dApp and the notifier.
 */
import { type Hex, keccak256 } from "viem";

/** The description document (title, text, action date, place, languages). */
export interface MetadataDocument {
  title: string;
  text: string;
  /** YYYY-MM-DD. */
  actionDate: string;
  place: string;
  languages: string[];
}

/** A description as read: any field may be missing from a document someone else wrote. */
export type CampaignMetadata = Partial<MetadataDocument>;

/**
 * A description embedded as a data: URI, and the hash the campaign stores (keccak256 of the JSON bytes).
 * @example const { uri, hash } = embedMetadata({ title: "Grève", text: "", actionDate: "2027-05-01", place: "", languages: ["fr"] });
 */
export function embedMetadata(doc: MetadataDocument): { uri: string; hash: Hex } {
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return { uri: `data:application/json;base64,${btoa(binary)}`, hash: keccak256(bytes) };
}

/**
 * The bytes a data: URI carries (base64 or percent-encoded), or null if it is not one or is malformed.
 * @example dataUriBytes("data:application/json,%7B%7D") // Uint8Array [123, 125]
 */
export function dataUriBytes(uri: string): Uint8Array | null {
  if (!uri.startsWith("data:")) return null;
  const comma = uri.indexOf(",");
  if (comma < 0) return null;
  const header = uri.slice(5, comma);
  const payload = uri.slice(comma + 1);
  try {
    return header.endsWith(";base64")
      ? Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))
      : new TextEncoder().encode(decodeURIComponent(payload));
  } catch {
    return null;
  }
}

/** A description from its bytes (JSON); null if they do not parse. */
export function parseMetadata(bytes: Uint8Array): CampaignMetadata | null {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as CampaignMetadata;
  } catch {
    return null;
  }
}
