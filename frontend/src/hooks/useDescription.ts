import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { loadMetadata } from "../lib/metadata.ts";

/**
 * A listed campaign's description, for its title in the list: read from its metadata URI (a data:
 * URI or this same site; nothing else is fetched), not checked against the on-chain hash there (the
 * campaign's page checks it).
 */
export function useDescription(campaign: Address, metadataURI: string) {
  return useQuery({
    queryKey: ["meta", campaign],
    staleTime: Infinity,
    queryFn: () => loadMetadata(metadataURI, "0x"),
  });
}
