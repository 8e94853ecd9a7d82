import { type Hex, keccak256, toBytes, toHex } from "viem";

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
