/**
 * The campaign page's "Follow from Mastodon or Mobilizon" line (issue 22): the handle the
 * federation service answers WebFinger for (`@campaign-<address in lower case>@<host>`), in French
 * and English, copyable, and nothing when the site runs no federation service.
 */
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { type PublicClient, getAddress } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { AppConfig } from "../lib/config.ts";
import { FediverseFollow } from "./FediverseFollow.tsx";

const CAMPAIGN = getAddress("0x00000000000000000000000000000000000abcd1");
const base: AppConfig = {
  chainId: 31337,
  chainName: "local",
  rpcUrl: "/rpc",
  factory: "0x0000000000000000000000000000000000000001",
  fromBlock: "0",
  relayerUrl: "",
  listMinPledges: 3,
};

function show(lang: Lang, config: AppConfig) {
  return render(
    <I18nProvider initial={lang}>
      <AppProvider config={config} client={{} as PublicClient}>
        <FediverseFollow campaign={CAMPAIGN} />
      </AppProvider>
    </I18nProvider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("FediverseFollow", () => {
  it("shows nothing when the site has no federation service", () => {
    show("en", base);
    expect(screen.queryByTestId("fediverse-follow")).toBeNull();
  });

  it("gives the campaign's handle on the configured host, in English, with the address in lower case", () => {
    show("en", { ...base, federationHost: "fed.example.org" });
    const handle = `@campaign-${CAMPAIGN.toLowerCase()}@fed.example.org`;
    expect(CAMPAIGN).not.toBe(CAMPAIGN.toLowerCase());
    expect(screen.getByTestId("fediverse-handle").textContent).toBe(handle);
    expect(screen.getByTestId("fediverse-follow").textContent).toContain(
      `Follow from Mastodon or Mobilizon: ${handle}`,
    );
    expect(screen.getByTestId("fediverse-follow").textContent).toContain("one account for its whole instance");
  });

  it("says it in French, with the no-break space before the colon", () => {
    show("fr", { ...base, federationHost: "localhost:8791" });
    const handle = `@campaign-${CAMPAIGN.toLowerCase()}@localhost:8791`;
    expect(screen.getByTestId("fediverse-follow").textContent).toContain(
      `Suivre depuis Mastodon ou Mobilizon\u202f: ${handle}`,
    );
    expect(screen.getByTestId("fediverse-copy").textContent).toBe("Copier l’adresse");
  });

  it("copies the handle", async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    show("en", { ...base, federationHost: "fed.example.org" });
    fireEvent.click(screen.getByTestId("fediverse-copy"));
    await waitFor(() => expect(screen.getByTestId("fediverse-copy").textContent).toBe("Copied"));
    expect(writeText).toHaveBeenCalledWith(`@campaign-${CAMPAIGN.toLowerCase()}@fed.example.org`);
  });
});
