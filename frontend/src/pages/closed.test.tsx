/**
 * A closed campaign keeps no call to action that no longer applies (issue 19): its page says what
 * happens next (where, when, check-in, how support is paid, by which desks), invites no donation,
 * and its poster no longer says "… have pledged · scan to pledge".
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import { type PublicClient, zeroAddress } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { AppConfig } from "../lib/config.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { CampaignPage } from "./CampaignPage.tsx";
import { PosterPage } from "./PosterPage.tsx";

const NB = "\u202f";
const campaign = "0x00000000000000000000000000000000000000C1" as const;
const now = Math.floor(Date.now() / 1000);
const oracle = "0x00000000000000000000000000000000000000aa";
const desk = "0x00000000000000000000000000000000000000dd";

function campaignStatic(withOracle: boolean): CampaignStatic {
  return {
    address: campaign,
    organiser: zeroAddress,
    params: {
      token: zeroAddress,
      pledgeDeadline: BigInt(now - 3 * 86_400),
      finalLock: 0n,
      actionDate: BigInt(now + 2 * 86_400),
      oracleWindow: withOracle ? 3n * 86_400n : 0n,
      claimWindow: 30n * 86_400n,
      supportCap: 10n ** 17n,
      conditions: [],
      attester: withOracle ? zeroAddress : "0x00000000000000000000000000000000000000a7",
      oracle: withOracle ? oracle : zeroAddress,
      metadataHash: `0x${"00".repeat(32)}`,
      ladder: [2, 5, 10],
    },
    metadataURI: "data:application/json,{}",
    metadata: { title: "Grève des cantines", text: "", place: "Gare de Lyon", actionDate: "2027-05-01" },
    metadataOmitted: [],
    metadataCheck: "ok",
    union: withOracle
      ? { payoutDesks: [{ name: "Caisse de grève SUD-Rail", address: desk, instructions: { en: "x", fr: "x" } }] }
      : {},
    token: { address: zeroAddress, symbol: "ETH", decimals: 18 },
    createdAt: 1n,
  } as unknown as CampaignStatic;
}

function campaignLive(succeeded: boolean): CampaignLive {
  return {
    phase: 2,
    tippingLevel: succeeded ? 2 : 0,
    committed: succeeded ? 6n : 0n,
    triggeredDonations: succeeded ? 10n ** 18n : 0n,
    requestedSupport: succeeded ? 3n * 10n ** 17n : 0n,
    boundCondition: 0,
    boundConditionLevel: succeeded ? 2 : 0,
    conditional: false,
    claimedTotal: 0n,
    donationCount: 1n,
    participationRoot: `0x${"00".repeat(32)}`,
    tallies: { counts: succeeded ? [2n, 4n, 1n] : [1n, 0n, 0n], requested: [0n, 0n, 0n], donated: [0n, 0n, 0n] },
    oracleEnd: BigInt(now + 5 * 86_400),
    claimEnd: BigInt(now + 35 * 86_400),
    balance: 10n ** 18n,
    chainOffset: 0,
  } as unknown as CampaignLive;
}

let current = { s: campaignStatic(true), live: campaignLive(true) };
vi.mock("../hooks/useCampaign.ts", () => ({
  useCampaign: () => ({ static: current.s, live: current.live, error: null }),
}));
vi.mock("../hooks/useWallet.ts", () => ({ useWalletWrite: () => ({ isConnected: false, write: async () => {} }) }));
vi.mock("../components/WalletButton.tsx", () => ({ WalletButton: () => null }));
vi.mock("../hooks/useDonations.ts", () => ({
  useDonate: () => ({ isConnected: false, address: undefined, donate: async () => "0x" }),
  useMyDonations: () => ({ donations: [], act: async () => {} }),
}));

afterEach(cleanup);

const config: AppConfig = {
  chainId: 31337,
  chainName: "local",
  rpcUrl: "/rpc",
  factory: zeroAddress,
  fromBlock: "0",
  relayerUrl: "",
  listMinPledges: 3,
};

function show(page: "campaign" | "poster", lang: Lang) {
  return render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient()}>
        <AppProvider config={config} client={{} as PublicClient}>
          {page === "campaign" ? <CampaignPage address={campaign} /> : <PosterPage address={campaign} />}
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

describe("a campaign whose result is known", () => {
  it("says what happens next once it succeeded: when, where, check-in, support, the desks, the donors (FR)", () => {
    current = { s: campaignStatic(true), live: campaignLive(true) };
    show("campaign", "fr");
    const steps = screen.getByTestId("next-steps");
    expect(steps.querySelector("h2")!.textContent).toBe("Et maintenant");
    expect(screen.getByTestId("next-action").textContent).toMatch(/^6 personnes font grève le .+, Gare de Lyon\.$/);
    expect(screen.getByTestId("next-checkin").textContent).toMatch(/montre son code de présence au pointage/);
    expect(screen.getByTestId("next-support").textContent).toMatch(
      new RegExp(`^Soutien${NB}: une fois que le syndicat a publié qui a participé`),
    );
    expect(screen.getByTestId("next-desks").textContent).toBe(
      `Sans portefeuille, le soutien est versé par un guichet de paiement${NB}: Caisse de grève SUD-Rail.`,
    );
    expect(screen.getByTestId("next-donors").textContent).toMatch(/ce que le soutien n’utilise pas vous revient/);
  });

  it("invites no donation and no pledge once closed", () => {
    current = { s: campaignStatic(true), live: campaignLive(true) };
    show("campaign", "en");
    expect(screen.getByRole("heading", { name: "Donations" })).toBeTruthy();
    expect(screen.getByTestId("donate-explain").textContent).toBe(
      "Donations are closed. If you gave, connect the wallet you gave with to see what comes back to you.",
    );
    expect(document.body.textContent).not.toMatch(/released only if the number you choose is reached/);
    expect(screen.queryByTestId("pledge-button")).toBeNull();
    expect(screen.queryByTestId("next-tip")).toBeNull();
  });

  it("says nobody strikes and donations come back in full once it failed, with no check-in", () => {
    current = { s: campaignStatic(true), live: campaignLive(false) };
    show("campaign", "en");
    expect(screen.getByTestId("next-action").textContent).toMatch(/^Nobody strikes on .+: no threshold was reached/);
    expect(screen.getByTestId("next-donors").textContent).toMatch(/^Donors: every donation comes back in full/);
    expect(screen.queryByTestId("next-checkin")).toBeNull();
    expect(screen.queryByTestId("next-support")).toBeNull();
  });

  it("says no check-in without an oracle, and support from the receipt until the claim window ends", () => {
    current = { s: campaignStatic(false), live: campaignLive(true) };
    show("campaign", "en");
    expect(screen.queryByTestId("next-checkin")).toBeNull();
    expect(screen.getByTestId("next-support").textContent).toMatch(
      /^Support: each person bound who asked for support claims it from their receipt, until /,
    );
  });

  it("prints a poster with the result and no call to pledge (FR)", () => {
    current = { s: campaignStatic(true), live: campaignLive(true) };
    show("poster", "fr");
    expect(screen.getByTestId("poster-headline").textContent).toMatch(
      /^6 personnes sont tenues de faire grève le .+\.$/,
    );
    expect(screen.getByTestId("poster-intro").textContent).toBe(
      "Les engagements sont clos. Le résultat et la suite sont sur la page de la campagne.",
    );
    expect(screen.getByTestId("poster-scan").textContent).toBe(`Scannez pour voir le résultat et la suite${NB}:`);
    expect(document.body.textContent).not.toMatch(/sont prêtes|Scannez pour vous engager|engagez-vous avant/i);
  });

  it("keeps the call to pledge on an open campaign's poster", () => {
    current = {
      s: { ...campaignStatic(true), params: { ...campaignStatic(true).params, pledgeDeadline: BigInt(now + 86_400) } },
      live: { ...campaignLive(true), phase: 1, tippingLevel: 0, committed: 0n } as CampaignLive,
    };
    show("poster", "en");
    expect(screen.getByTestId("poster-headline").textContent).toMatch(/^7 people have pledged to strike on /);
    expect(screen.getByTestId("poster-scan").textContent).toMatch(/^Scan to pledge from your phone/);
  });
});
