import { createContext, type ReactNode, useContext, useMemo } from "react";
import type { PublicClient } from "viem";
import type { AppConfig } from "../lib/config.ts";
import { type RelayerClient, relayerClient } from "../lib/relayer.ts";
import { relayerBases } from "../lib/config.ts";

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
  // One client for the page's life: it remembers which relayer answered last.
  const relayer = useMemo(() => relayerClient(relayerBases(config)), [config]);
  return <AppContext.Provider value={{ config, client, relayer }}>{children}</AppContext.Provider>;
}

/** The runtime configuration, the public client and the relayer client. */
export function useApp(): App {
  const app = useContext(AppContext);
  if (!app) throw new Error("useApp outside AppProvider");
  return app;
}
