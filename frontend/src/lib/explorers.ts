import type { Address } from "viem";
import { EXPLORERS } from "./config.ts";

/** Blockscout instances per chain id (none for local chains). */
export const BLOCKSCOUT: Record<number, string> = {
  1: "https://eth.blockscout.com",
  10: "https://optimism.blockscout.com",
  100: "https://gnosis.blockscout.com",
  8453: "https://base.blockscout.com",
  42161: "https://arbitrum.blockscout.com",
  10200: "https://gnosis-chiado.blockscout.com",
  84532: "https://base-sepolia.blockscout.com",
  421614: "https://arbitrum-sepolia.blockscout.com",
  11155111: "https://eth-sepolia.blockscout.com",
  11155420: "https://optimism-sepolia.blockscout.com",
};

/** Chains no public explorer or verifier knows (Hardhat, Anvil, Ganache, geth --dev). */
const LOCAL_CHAINS = new Set([31337, 1337]);

/**
 * Where to check an address's code, by explorer; empty on a local chain.
 * @example codeLinks(11155111, implementation) // [{ name: "Sourcify", href: "https://repo.sourcify.dev/11155111/0x…" }, …]
 */
export function codeLinks(chainId: number, address: Address): { name: string; href: string }[] {
  if (LOCAL_CHAINS.has(chainId)) return [];
  const links = [{ name: "Sourcify", href: `https://repo.sourcify.dev/${chainId}/${address}` }];
  if (EXPLORERS[chainId]) links.push({ name: "Etherscan", href: `${EXPLORERS[chainId]}/address/${address}#code` });
  if (BLOCKSCOUT[chainId])
    links.push({ name: "Blockscout", href: `${BLOCKSCOUT[chainId]}/address/${address}?tab=contract` });
  return links;
}
