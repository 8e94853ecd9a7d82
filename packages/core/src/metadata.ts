/**
 * A campaign's description (MECHANISM.md, "A campaign": metadata URI and content hash): embedded
 * as a data: URI so there is nothing to host and nobody fetches a third-party URL to show it, and
 * read back from one. One text for the create page, the CLI's demos, the dApp and the notifier.
 *
 * Anyone can create a campaign, so its description is hostile input: every field is checked
 * against its schema (Valibot: no `eval`, so it runs under the dApp's Content-Security-Policy)
 * before anything renders it; a field that does not match is left out and named, never shown.
 */
import { type Address, type Hex, keccak256 } from "viem";
import * as v from "valibot";

/** The bounds of a description, in UTF-16 code units (as `String.length` and `maxLength` count). */
export const METADATA_LIMITS = {
  title: 200,
  text: 10_000,
  place: 200,
  /** Language tags, each at most 35 characters (BCP 47's longest in practice). */
  languages: 16,
  /** The whole JSON document: a longer one is not parsed. */
  bytes: 64 * 1024,
} as const;

/** Each field of a description and what it must be. */
export const METADATA_FIELDS = {
  title: v.pipe(v.string(), v.maxLength(METADATA_LIMITS.title)),
  text: v.pipe(v.string(), v.maxLength(METADATA_LIMITS.text)),
  /** YYYY-MM-DD. */
  actionDate: v.pipe(v.string(), v.isoDate()),
  place: v.pipe(v.string(), v.maxLength(METADATA_LIMITS.place)),
  languages: v.pipe(v.array(v.pipe(v.string(), v.maxLength(35))), v.maxLength(METADATA_LIMITS.languages)),
};

/** The whole description, every field present and valid: what the create page writes. */
export const MetadataSchema = v.object(METADATA_FIELDS);

/** The description document (title, text, action date, place, languages). */
export type MetadataDocument = v.InferOutput<typeof MetadataSchema>;

/** A field of the description. */
export type MetadataField = keyof MetadataDocument;

/** A description as read: any field may be missing from a document someone else wrote. */
export type CampaignMetadata = Partial<MetadataDocument>;

/**
 * A description read from untrusted bytes: `doc` holds only the fields that match their schema
 * (null when the bytes are not a JSON object of at most `METADATA_LIMITS.bytes`), `omitted` the
 * fields that were there but did not match, so a page can say that something was left out.
 */
export interface MetadataReading {
  doc: CampaignMetadata | null;
  omitted: MetadataField[];
  /** The parsed JSON object itself, for readers of other fields that check them (the union's). */
  raw: Record<string, unknown> | null;
}

/**
 * A payout desk as a union names it in its campaign's description: the strike fund that pays
 * beneficiaries without a wallet by bank transfer, its account (where claims to it are paid on
 * chain), how to reach it, and what to bring (read by the dApp's lib/union.ts, every field checked).
 */
export interface PayoutDeskEntry {
  name: string;
  address: Address;
  /** A telephone number, an e-mail or a street address, as the union writes it (optional). */
  contact?: string;
  instructions: { en: string; fr: string };
}

/** What a union's campaign adds to its description: its attester service and key, its payout desks. */
export interface UnionDescription {
  /** The union's name, shown instead of the organiser's account (the account one tap away). */
  organiserName?: string;
  attester?: { url: string; keyId: Hex };
  payoutDesks?: PayoutDeskEntry[];
}

/** The bounds of a payout desk's fields, in UTF-16 code units (the create page enforces them). */
export const DESK_LIMITS = { desks: 8, name: 120, organiserName: 120, contact: 200, instructions: 1_000 } as const;

/**
 * A description embedded as a data: URI, and the hash the campaign stores (keccak256 of the JSON bytes);
 * a union's campaign carries its attester and payout desks in the same document.
 * @example const { uri, hash } = embedMetadata({ title: "Grève", text: "", actionDate: "2027-05-01", place: "", languages: ["fr"] });
 */
export function embedMetadata(doc: MetadataDocument & UnionDescription): { uri: string; hash: Hex } {
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

/**
 * A description from its bytes (JSON), every field checked: a field that does not match its schema
 * (a title that is an object, a number, a string longer than its bound…) is left out and named in
 * `omitted`; bytes that are not a JSON object, or are longer than `METADATA_LIMITS.bytes`, give
 * `doc: null`.
 * @example readMetadata(new TextEncoder().encode('{"title":{"x":1},"place":"Lyon"}'))
 * // { doc: { place: "Lyon" }, omitted: ["title"], raw: { title: { x: 1 }, place: "Lyon" } }
 */
export function readMetadata(bytes: Uint8Array): MetadataReading {
  const none: MetadataReading = { doc: null, omitted: [], raw: null };
  if (bytes.length > METADATA_LIMITS.bytes) return none;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return none;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return none;
  const raw = parsed as Record<string, unknown>;
  const doc: Record<string, unknown> = {};
  const omitted: MetadataField[] = [];
  for (const [field, schema] of Object.entries(METADATA_FIELDS) as [MetadataField, v.GenericSchema][]) {
    if (!Object.hasOwn(raw, field) || raw[field] === undefined) continue;
    if (v.is(schema, raw[field])) doc[field] = raw[field];
    else omitted.push(field);
  }
  return { doc: doc as CampaignMetadata, omitted, raw };
}

/**
 * The JSON object of a description, unchecked (null when it is not one, or too long): for a reader
 * that checks each field it takes itself, as the notifier does. Anything rendered goes through
 * `readMetadata`.
 */
export function parseMetadata(bytes: Uint8Array): Record<string, unknown> | null {
  return readMetadata(bytes).raw;
}
