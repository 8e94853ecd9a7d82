import { type Hex, keccak256 } from "viem";
import { dataUriBytes, type MetadataReading, readMetadata } from "@bascule/core/metadata";
import type { MetadataCheck } from "./types.ts";

/**
 * Reads a description from a data: URI or from this same site (nothing else is fetched: privacy),
 * every field checked against its schema (`readMetadata`): what does not match is in `omitted`,
 * never in `doc`.
 */
export async function loadMetadata(uri: string, hash: Hex): Promise<MetadataReading & { check: MetadataCheck }> {
  let bytes: Uint8Array | null = null;
  try {
    if (uri.startsWith("data:")) {
      bytes = dataUriBytes(uri);
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
  if (!bytes) return { doc: null, omitted: [], raw: null, check: "unknown" };
  const check: MetadataCheck = keccak256(bytes) === hash ? "ok" : "bad";
  return { ...readMetadata(bytes), check };
}
