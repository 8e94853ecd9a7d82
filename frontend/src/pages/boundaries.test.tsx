/**
 * Per-panel error boundaries on the receipt, poster and desk pages: one part that throws as it
 * renders (as any could on data nobody foresaw: anyone can create a campaign) is replaced by its
 * fallback, and the rest of the page stands. The campaign and list pages have their own tests.
 * Also the receipt of a pledge claimed to a payout desk: its desk slip section, in English and
 * French, signs for the desk with the receipt's key (the desk page's own tests: DeskPage.test.tsx).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { type PublicClient, zeroAddress } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { KeptReceipt } from "../lib/receiptStore.ts";
import { Phase } from "../lib/types.ts";
import { DeskPage } from "./DeskPage.tsx";
import { PosterPage } from "./PosterPage.tsx";
import { ReceiptPage } from "./ReceiptPage.tsx";
import { TEST_CONFIG, testCampaign, testLive } from "../test/fixtures.ts";

const campaign = "0x00000000000000000000000000000000000000C1" as const;
const desk = "0x00000000000000000000000000000000000000D1" as const;
const now = Math.floor(Date.now() / 1000);
const s = testCampaign(campaign, now);
const live = testLive({ tallies: { counts: [3n, 0n, 0n], requested: [0n, 0n, 0n], donated: [0n, 0n, 0n] } });
const record = {
  level: 2,
  support: 0n,
  condition: 0,
  nonce: 1n,
  claimed: false,
  claimable: 0n,
  entitlement: 0,
  amount: 0n,
};

vi.mock("../hooks/useCampaign.ts", () => ({ useCampaign: () => ({ static: s, live, error: null }) }));
vi.mock("../hooks/useWallet.ts", () => ({ useWalletWrite: () => ({ isConnected: false, write: async () => {} }) }));
vi.mock("../hooks/usePledge.ts", async (actual) => {
  const { privateKeyToAccount } = await import("viem/accounts");
  const key = privateKeyToAccount(`0x${"11".repeat(32)}`);
  return {
    ...(await actual<typeof import("../hooks/usePledge.ts")>()),
    usePledgeRecord: () => ({ data: record, refetch: async () => {} }),
    useReceiptActions: () => ({ key, pledge: async () => undefined, claim: async () => ({}) }),
  };
});
vi.mock("../hooks/useUnion.ts", () => ({
  useUnion: () => ({ data: { payoutDesks: [{ name: "Caisse", address: desk, instructions: { en: "e", fr: "f" } }] } }),
}));
vi.mock("../hooks/useDeskClaims.ts", () => ({
  useDeskClaims: () => ({
    data: [{ reference: "ABCD-EFGH", amount: 10n ** 17n, pledgeKey: zeroAddress, txHash: "0xab" }],
  }),
}));
// Which part throws as it renders, in each test.
const failing = vi.hoisted(() => ({ part: "" }));
function thrower(part: string, real: (...a: never[]) => ReactNode) {
  return (...a: never[]) => {
    if (failing.part === part) throw new TypeError("Cannot read properties of undefined");
    return real(...a);
  };
}
vi.mock("../components/NotifyPanel.tsx", async (actual) => {
  const real = await actual<typeof import("../components/NotifyPanel.tsx")>();
  return { ...real, NotifyPanel: thrower("notify", real.NotifyPanel as never) };
});
vi.mock("../components/ReceiptCard.tsx", async (actual) => {
  const real = await actual<typeof import("../components/ReceiptCard.tsx")>();
  return { ...real, ReceiptCard: thrower("receiptCard", real.ReceiptCard as never) };
});
vi.mock("../lib/union.ts", async (actual) => {
  const real = await actual<typeof import("../lib/union.ts")>();
  return {
    ...real,
    deskCsv: (...a: Parameters<typeof real.deskCsv>) => {
      if (failing.part === "desk") throw new TypeError("Cannot read properties of undefined");
      return real.deskCsv(...a);
    },
  };
});

const config = TEST_CONFIG;

beforeEach(() => {
  failing.part = "";
  s.params.pledgeDeadline = BigInt(now + 14 * 86_400);
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

function show(page: ReactNode) {
  return render(
    <I18nProvider initial="en">
      <QueryClientProvider client={new QueryClient()}>
        <AppProvider config={config} client={{} as PublicClient}>
          {page}
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

const receipt = {
  campaign,
  chainId: 31337,
  key: generatePrivateKey(),
  savedAt: 0,
} as unknown as KeptReceipt;

describe("ReceiptPage with a panel that fails", () => {
  it("keeps the pledge, the form and the receipt when the notifications panel throws", () => {
    failing.part = "notify";
    show(<ReceiptPage receipt={receipt} localId="r1" />);
    expect(screen.getAllByTestId("part-failed")).toHaveLength(1);
    expect(screen.queryByTestId("notify-panel")).toBeNull();
    expect(screen.getByTestId("pledge-status").textContent).toBe("Pledged: if at least 5 people strike.");
    expect(screen.getByTestId("change-level")).toBeTruthy();
    expect(screen.getByTestId("receipt-link")).toBeTruthy();
  });

  it("keeps the rest when the receipt card throws", () => {
    failing.part = "receiptCard";
    show(<ReceiptPage receipt={receipt} localId="r1" />);
    expect(screen.getAllByTestId("part-failed")).toHaveLength(1);
    expect(screen.queryByTestId("receipt-link")).toBeNull();
    expect(screen.getByTestId("notify-panel")).toBeTruthy();
    expect(screen.getByTestId("forget-receipt")).toBeTruthy();
  });
});

describe("ReceiptPage of a claimed pledge: the desk slip", () => {
  for (const [lang, made] of [
    ["en", "Your desk slip for Caisse, for the account FR76 3000 6000 0112 3456 7890 189 (Élise Durand):"],
    ["fr", "Votre bon pour Caisse, pour le compte FR76 3000 6000 0112 3456 7890 189 (Élise Durand)"],
  ] as const) {
    it(`makes, from the receipt's key and the bank details typed, a slip the desk accepts (${lang})`, async () => {
      const saved = { live: { ...live }, record: { ...record } };
      Object.assign(live, { phase: Phase.Resolved, tippingLevel: 2, boundCondition: 0, boundConditionLevel: 2 });
      Object.assign(record, { support: 10n ** 17n, claimed: true });
      try {
        render(
          <I18nProvider initial={lang}>
            <QueryClientProvider client={new QueryClient()}>
              <AppProvider config={config} client={{} as PublicClient}>
                <ReceiptPage receipt={receipt} localId="r1" />
              </AppProvider>
            </QueryClientProvider>
          </I18nProvider>,
        );
        expect(screen.getByTestId("claimed")).toBeTruthy();
        fireEvent.change(screen.getByTestId("slip-iban"), { target: { value: "FR76 3000 6000 0112 3456 7890 189" } });
        fireEvent.change(screen.getByTestId("slip-holder"), { target: { value: "Élise Durand" } });
        fireEvent.click(screen.getByTestId("slip-make"));
        const text = (await screen.findByTestId("slip-text")).textContent!;
        expect(screen.getByTestId("slip-made").textContent).toContain(made);
        const { bankHash, checkDeskSlip } = await import("@bascule/core/desk-slip");
        const h = bankHash({ iban: "FR7630006000011234567890189", holder: "ELISE DURAND" });
        if (!h.ok) throw new Error(h.reason);
        const { privateKeyToAccount } = await import("viem/accounts");
        expect(await checkDeskSlip(text, { chainId: 31337, campaign, desk, bank: h.hash })).toEqual({
          ok: true,
          pledgeKey: privateKeyToAccount(`0x${"11".repeat(32)}`).address,
        });
      } finally {
        Object.assign(live, saved.live);
        Object.assign(record, saved.record);
      }
    });
  }
});

describe("PosterPage with a pledge deadline of 10^13 s (Intl throws on it)", () => {
  it("keeps the buttons, the QR code's part and the link", async () => {
    s.params.pledgeDeadline = 10n ** 13n;
    show(<PosterPage address={campaign} />);
    expect(screen.getAllByTestId("part-failed")).toHaveLength(1);
    expect(screen.queryByTestId("poster-headline")).toBeNull();
    expect(screen.getByTestId("poster-print")).toBeTruthy();
    expect(screen.getByTestId("poster-link").textContent).toContain(campaign);
    await screen.findByTestId("poster-qr");
  });
});

describe("DeskPage with its panel failing", () => {
  it("shows its fallback, and the panel again once it renders", () => {
    failing.part = "desk";
    show(<DeskPage campaign={campaign} desk={desk} />);
    expect(screen.getByTestId("part-failed").textContent).toBe(
      "This part of the page cannot be shown. The rest of the page works.Try again",
    );
    failing.part = "";
    fireEvent.click(screen.getByText("Try again"));
    expect(screen.queryByTestId("part-failed")).toBeNull();
    expect(screen.getByTestId("desk-claim")).toBeTruthy();
  });
});
