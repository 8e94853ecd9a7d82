// First, before any other module of the app: secrets leave the address bar and the history entry.
import "./scrub.ts";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";
import { App } from "./App.tsx";
import { AppProvider } from "./hooks/app.tsx";
import { I18nProvider } from "./i18n/i18n.tsx";
import { loadConfig } from "./lib/config.ts";
import { registerServiceWorker } from "./lib/notify.ts";
import "./styles.css";
import { makePublicClient, makeWagmiConfig } from "./wagmi.ts";

const root = createRoot(document.getElementById("root")!);
// The offline shell and push notifications (frontend/sw/sw.js); the app works without it.
void registerServiceWorker();

loadConfig()
  .then((config) => {
    const wagmiConfig = makeWagmiConfig(config);
    const client = makePublicClient(config);
    const queryClient = new QueryClient({
      defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
    });
    root.render(
      <StrictMode>
        <I18nProvider>
          <WagmiProvider config={wagmiConfig}>
            <QueryClientProvider client={queryClient}>
              <AppProvider config={config} client={client}>
                <App />
              </AppProvider>
            </QueryClientProvider>
          </WagmiProvider>
        </I18nProvider>
      </StrictMode>,
    );
  })
  .catch(() => {
    root.render(<p role="alert">The service cannot be reached. / Le service est injoignable.</p>);
  });
