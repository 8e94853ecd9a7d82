/**
 * The check-in list an organiser sends to the keeper from the dApp (docs/operator-guide.md,
 * "Participation"): the pledge keys of the people checked in, signed with the organiser's wallet as
 * EIP-712 typed data over this campaign on this chain. The relayer (POST /v1/participation/:campaign)
 * checks the signer is the campaign's organiser on chain and drops the list where the keeper reads
 * participation files; the keeper, the campaign's participation oracle, publishes its Merkle root
 * from the action day, and writes the proofs the relayer serves to claimants.
 *
 * The signature covers the set (its hash, order and case aside), its size and when it was signed:
 * a list cannot be altered or replayed for another campaign, and an older list cannot replace a
 * newer one.
 */
import { type Address, type Hex, concat, getAddress, keccak256 } from "viem";

/** At most this many pledge keys in one list (the check-in file's own bound, lib/checkinFile.ts). */
export const MAX_PARTICIPATION_KEYS = 20_000;

/** How far from the relayer's clock a list's `issuedAt` may be: one day before, ten minutes after. */
export const PARTICIPATION_CLOCK = { pastSeconds: 86_400, futureSeconds: 600 } as const;

export const participationTypes = {
  ParticipationSet: [
    { name: "keysHash", type: "bytes32" },
    { name: "count", type: "uint32" },
    { name: "issuedAt", type: "uint64" },
  ],
} as const;

/** The EIP-712 domain of a campaign's participation lists (not the campaign's own pledge domain). */
export function participationDomain(chainId: number, campaign: Address) {
  return { name: "Bascule participation", version: "1", chainId, verifyingContract: getAddress(campaign) } as const;
}

/**
 * The keys of a list in one canonical order (checksummed, sorted, each once).
 * @example canonicalKeys(["0xB…", "0xa…", "0xA…"]) // ["0xA…", "0xB…"]
 */
export function canonicalKeys(keys: readonly Address[]): Address[] {
  const unique = [...new Set(keys.map((k) => getAddress(k)))];
  return unique.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
}

/** keccak256 of the canonical keys' 20-byte addresses, one after the other. */
export function participationKeysHash(keys: readonly Address[]): Hex {
  return keccak256(concat(canonicalKeys(keys)));
}

/** The typed data an organiser signs for a list (viem's `signTypedData` / `verifyTypedData` argument). */
export function participationTypedData(o: {
  chainId: number;
  campaign: Address;
  keys: readonly Address[];
  issuedAt: number;
}) {
  const keys = canonicalKeys(o.keys);
  return {
    domain: participationDomain(o.chainId, o.campaign),
    types: participationTypes,
    primaryType: "ParticipationSet" as const,
    message: { keysHash: participationKeysHash(keys), count: keys.length, issuedAt: BigInt(o.issuedAt) },
  };
}
