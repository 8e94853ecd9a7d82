import type { Address } from "viem";

/** What the server tells the dApp at /config.json: where the chain, the factory and the relayer are. */
export interface AppConfig {
  chainId: number;
  chainName: string;
  /** JSON-RPC endpoint; relative URLs are resolved against the page (the dev server proxies /rpc). */
  rpcUrl: string;
  factory: Address;
  /** Block the factory was deployed at, where log scans start. */
  fromBlock: string;
  /** Relayer base URL; empty when there is none (pledges then go through a wallet). */
  relayerUrl: string;
  /**
   * More relayers (each with its own key and store, sending to the same chain), asked in this order
   * when the one before cannot be reached (frontend/src/lib/relayer.ts).
   */
  relayerUrls?: string[];
  /**
   * Indexer base URL (the list's counts, faster at scale; not a trustless check); empty or absent:
   * the list reads the chain.
   */
  indexerUrl?: string;
  /** Notifier base URL (push subscriptions, feeds, calendar); empty or absent when there is none. */
  notifierUrl?: string;
  /** Smallest number of pledges before a campaign is listed (anti-spam). */
  listMinPledges: number;
  /**
   * The union's attester service (invite codes, blind vouchers), offered on the create page for a
   * union campaign; relative URLs are resolved against the page. Empty or absent: typed there.
   */
  attesterUrl?: string;
  /**
   * The keeper's account: the participation oracle a union campaign names when the officer sends
   * the check-in list through the relayer (POST /v1/participation) for the keeper to publish.
   */
  keeperAddress?: Address;
  /**
   * Host (name[:port]) of the federation service, the operator's domain: the campaign page shows
   * "@campaign-0x…@<host>" to follow from Mastodon or Mobilizon. Absent: nothing is shown.
   */
  federationHost?: string;
  /** WalletConnect project id, if configured. */
  walletConnectProjectId?: string;
}

export function absoluteUrl(url: string): string {
  return new URL(url, window.location.href).href.replace(/\/$/, "");
}

/** Block explorers per chain id, for the verify page (none for local chains). */
export const EXPLORERS: Record<number, string> = {
  1: "https://etherscan.io",
  10: "https://optimistic.etherscan.io",
  100: "https://gnosisscan.io",
  137: "https://polygonscan.com",
  8453: "https://basescan.org",
  42161: "https://arbiscan.io",
  11155111: "https://sepolia.etherscan.io",
  84532: "https://sepolia.basescan.org",
};

/** Every relayer of the config, first the main one, as absolute URLs. */
export function relayerBases(config: Pick<AppConfig, "relayerUrl" | "relayerUrls">): string[] {
  return [config.relayerUrl, ...(config.relayerUrls ?? [])].filter((u) => u !== "").map(absoluteUrl);
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch("./config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as AppConfig;
}
