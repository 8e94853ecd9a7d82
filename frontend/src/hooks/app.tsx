import { createContext, type ReactNode, useContext } from "react";
import type { PublicClient } from "viem";
import type { AppConfig } from "../lib/config.ts";
import { type RelayerClient, relayerClient } from "../lib/relayer.ts";
import { absoluteUrl } from "../lib/config.ts";

interface App {
  config: AppConfig;
  client: PublicClient;
  relayer: RelayerClient;
}

const AppContext = createContext<App | null>(null);

export function AppProvider({
  config,
  client,
  children,
}: {
  config: AppConfig;
  client: PublicClient;
  children: ReactNode;
}) {
  const relayer = relayerClient(config.relayerUrl ? absoluteUrl(config.relayerUrl) : "");
  return <AppContext.Provider value={{ config, client, relayer }}>{children}</AppContext.Provider>;
}

/** The runtime configuration, the public client and the relayer client. */
export function useApp(): App {
  const app = useContext(AppContext);
  if (!app) throw new Error("useApp outside AppProvider");
  return app;
}
