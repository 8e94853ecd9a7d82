/**
 * The donate panel shows the donor's balance and refuses more than it before the wallet opens
 * (issue 19, item 5); during the final lock it offers no "Withdraw", and says why (item 3).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { type Address, type PublicClient, zeroAddress } from "viem";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { DonatePanel } from "./DonatePanel.tsx";

const donor = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as Address;
const donate = vi.fn(async () => "0x01");
let myDonations: unknown[] = [];
vi.mock("../hooks/useDonations.ts", () => ({
  useDonate: () => ({ isConnected: true, address: donor, donate }),
  useMyDonations: () => ({ donations: myDonations, act: async () => {} }),
}));
vi.mock("./WalletButton.tsx", () => ({ WalletButton: () => <button type="button">wallet</button> }));
vi.mock("./GateNote.tsx", () => ({ DonateGateWarning: () => null }));

beforeEach(() => {
  donate.mockClear();
  myDonations = [];
});
afterEach(cleanup);

const now = Math.floor(Date.now() / 1000);
const staticOf = (finalLock: number, token: Address = zeroAddress) =>
  ({
    address: "0x00000000000000000000000000000000000000C1",
    params: {
      token,
      pledgeDeadline: BigInt(now + 3600),
      finalLock: BigInt(finalLock),
      actionDate: BigInt(now + 7 * 86_400),
      supportCap: 10n ** 18n,
      conditions: [],
      attester: zeroAddress,
      oracle: zeroAddress,
      ladder: [2, 5, 10],
    },
    token: { address: token, symbol: token === zeroAddress ? "ETH" : "EURC", decimals: token === zeroAddress ? 18 : 6 },
  }) as unknown as CampaignStatic;
const live = {
  phase: 1,
  chainOffset: 0,
  donationCount: 1n,
  claimedTotal: 0n,
  tallies: { counts: [0n, 0n, 0n], requested: [0n, 0n, 0n], donated: [0n, 0n, 0n] },
} as unknown as CampaignLive;

function show(s: CampaignStatic, held: bigint, lang: Lang = "en", l: CampaignLive = live) {
  const client = {
    getBalance: async () => held,
    readContract: async () => held,
  } as unknown as PublicClient;
  const config = {
    chainId: 31337,
    chainName: "local",
    rpcUrl: "/rpc",
    factory: zeroAddress,
    fromBlock: "0",
    relayerUrl: "",
    listMinPledges: 3,
  };
  render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <AppProvider config={config} client={client}>
          <DonatePanel s={s} live={l} />
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

describe("DonatePanel: the donor's balance", () => {
  it("shows what the wallet holds, and refuses more than that before the wallet opens (EN)", async () => {
    show(staticOf(0), 5n * 10n ** 17n);
    expect((await screen.findByTestId("donate-balance")).textContent).toMatch(/^In your wallet: 0\.5\sETH\.$/);
    fireEvent.change(screen.getByTestId("donate-amount"), { target: { value: "0.6" } });
    expect(screen.getByTestId("donate-above-balance").textContent).toMatch(
      /^Your wallet holds 0\.5\sETH, and the network fee comes on top: lower the amount, or add funds to your wallet first\.$/,
    );
    const button = screen.getByTestId("donate-submit") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.submit(button.closest("form")!);
    expect(donate).not.toHaveBeenCalled();
    fireEvent.change(screen.getByTestId("donate-amount"), { target: { value: "0.4" } });
    expect(screen.queryByTestId("donate-above-balance")).toBeNull();
    fireEvent.change(screen.getByTestId("donate-level"), { target: { value: "1" } });
    expect(button.disabled).toBe(false);
  });

  it("says it in French for a token, without the network fee (the permit costs the donor no token)", async () => {
    show(staticOf(0, "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0"), 12_500_000n, "fr");
    expect((await screen.findByTestId("donate-balance")).textContent).toMatch(
      /^Dans votre portefeuille\u202f: 12,50\s€\.$/,
    );
    fireEvent.change(screen.getByTestId("donate-amount"), { target: { value: "13" } });
    expect(screen.getByTestId("donate-above-balance").textContent).toMatch(
      /^Votre portefeuille contient 12,50\s€\u202f: baissez le montant, ou ajoutez d’abord des fonds à votre portefeuille\.$/,
    );
  });
});

describe("DonatePanel: the donor chooses the number (issue 19, also seen)", () => {
  it("preselects no number, and sends nothing until one is chosen", async () => {
    show(staticOf(0), 10n ** 18n);
    await screen.findByTestId("donate-balance");
    const select = screen.getByTestId("donate-level") as HTMLSelectElement;
    expect(select.value).toBe("0");
    expect(select.selectedOptions[0].textContent).toBe("choose a number…");
    fireEvent.change(screen.getByTestId("donate-amount"), { target: { value: "0.1" } });
    const button = screen.getByTestId("donate-submit") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.submit(button.closest("form")!);
    expect(donate).not.toHaveBeenCalled();
    fireEvent.change(select, { target: { value: "2" } });
    expect(button.disabled).toBe(false);
    fireEvent.submit(button.closest("form")!);
    expect(donate).toHaveBeenCalledWith(2, 10n ** 17n);
  });
});

describe("DonatePanel: the final lock", () => {
  const donation = { id: 0n, level: 1, given: 10n ** 17n, amount: 10n ** 17n, withdrawn: false };

  it("offers Withdraw before the lock", async () => {
    myDonations = [donation];
    show(staticOf(600), 10n ** 18n);
    await screen.findByTestId("donate-balance");
    expect(screen.getByRole("button", { name: "Withdraw" })).toBeTruthy();
    expect(screen.queryByTestId("donate-locked")).toBeNull();
  });

  it("offers no Withdraw during it, and says why (EN, FR)", async () => {
    myDonations = [donation];
    show(staticOf(7200), 10n ** 18n);
    await screen.findByTestId("donate-balance");
    expect(screen.queryByRole("button", { name: "Withdraw" })).toBeNull();
    expect(screen.getByTestId("donate-locked").textContent).toMatch(
      /^The final lock has begun: donations can no longer be withdrawn\./,
    );
    cleanup();
    show(staticOf(7200), 10n ** 18n, "fr");
    expect((await screen.findByTestId("donate-locked")).textContent).toMatch(
      /^Le verrou final a commencé\u202f: les dons ne peuvent plus être retirés\./,
    );
  });
});

describe("DonatePanel: the donor's list once resolved", () => {
  const EURC = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0" as Address;
  const resolved = { ...live, phase: 2, tippingLevel: 2 } as unknown as CampaignLive;
  const given = 500_000_000n;
  const donations = [
    { id: 4n, level: 1, given, amount: given, withdrawn: false, surplusTaken: false, reclaimable: 204_491_255n },
    { id: 9n, level: 2, given, amount: given, withdrawn: false, surplusTaken: false, reclaimable: 7_000n },
  ];

  it("numbers the donor's donations from 1, and shows what they take back in cents, rounded down", async () => {
    myDonations = donations;
    show(staticOf(0, EURC), 0n, "en", resolved);
    await screen.findByTestId("donate-balance");
    expect(screen.getByTestId("donation-4").textContent).toMatch(/^Donation no\. 1: €500\.00, if at least 2 people/);
    expect(screen.getByTestId("donation-9").textContent).toMatch(/^Donation no\. 2: /);
    expect(screen.getByTestId("donation-4").querySelector("button")!.textContent).toBe("Take back surplus (€204.49)");
    // less than a cent is still shown as something, not as €0.00, and with no more than 2 decimals
    expect(screen.getByTestId("donation-9").querySelector("button")!.textContent).toBe(
      "Take back surplus (<\u00a0€0.01)",
    );
  });
});
