import { type Chain, createPublicClient, defineChain, http, type PublicClient } from "viem";
import { createConfig } from "wagmi";
import { injected } from "wagmi/connectors";
import { type AppConfig, absoluteUrl } from "./lib/config.ts";

/** The campaign's chain as viem sees it, from the runtime configuration. */
export function appChain(c: AppConfig): Chain {
  const url = absoluteUrl(c.rpcUrl);
  return defineChain({
    id: c.chainId,
    name: c.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
}

/**
 * The one wagmi configuration: EIP-6963 wallet discovery (every injected wallet announces itself),
 * plus the generic injected connector. WalletConnect is not bundled (see README): no third-party
 * requests unless a deployment adds it.
 */
export function makeWagmiConfig(c: AppConfig) {
  const chain = appChain(c);
  return createConfig({
    chains: [chain],
    connectors: [injected()],
    multiInjectedProviderDiscovery: true,
    transports: { [chain.id]: http(absoluteUrl(c.rpcUrl)) },
    pollingInterval: 1000,
  });
}

export type WagmiConfig = ReturnType<typeof makeWagmiConfig>;

/**
 * A public client whose reads of many contract calls go out as one eth_call: "deployless"
 * Multicall3 (viem sends Multicall3's creation code with the call), so it works on chains where
 * Multicall3 is not deployed, such as a fresh Hardhat node.
 */
export function makePublicClient(c: AppConfig): PublicClient {
  return createPublicClient({
    chain: appChain(c),
    transport: http(absoluteUrl(c.rpcUrl)),
    pollingInterval: 1000,
  }) as PublicClient;
}

declare module "wagmi" {
  interface Register {
    config: WagmiConfig;
  }
}
