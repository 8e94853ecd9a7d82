/**
 * The verify page's totals (issue 19, also seen): "donations for the strikers" counts only what the
 * result releases; the rest is said to be refundable to the donors.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import type { PublicClient } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import { TEST_CONFIG, testCampaign, testLive } from "../test/fixtures.ts";
import { VerifyPage } from "./VerifyPage.tsx";

const campaign = "0x00000000000000000000000000000000000000C1" as const;
const now = Math.floor(Date.now() / 1000);
const ETH = 10n ** 18n;

let current = { s: testCampaign(campaign, now), live: testLive() };
vi.mock("../hooks/useCampaign.ts", () => ({
  useCampaign: () => ({ static: current.s, live: current.live, error: null }),
}));
// The replay (a Web Worker) and the code facts (RPC reads) have their own tests.
vi.mock("../components/ReplayPanel.tsx", () => ({ ReplayPanel: () => null }));
vi.mock("../components/CodeFacts.tsx", () => ({ CodeFacts: () => null }));
vi.mock("../components/GateNote.tsx", () => ({ GateNote: () => null }));

afterEach(cleanup);

function show(lang: Lang) {
  return render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient()}>
        <AppProvider config={TEST_CONFIG} client={{} as PublicClient}>
          <VerifyPage address={campaign} />
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

// 3 people at level 1 (2 people), 1 at level 3 (10): level 1 tips. 1 ETH at level 1, 2 ETH at level 3.
const tallies = { counts: [3n, 0n, 1n], requested: [0n, 0n, 0n], donated: [ETH, 0n, 2n * ETH] };

describe("VerifyPage totals", () => {
  it("counts for the strikers only the donations the result releases, the rest refundable (EN)", () => {
    current = {
      s: testCampaign(campaign, now, { params: { pledgeDeadline: BigInt(now - 86_400) } }),
      live: testLive({ phase: 2, tippingLevel: 1, committed: 4n, triggeredDonations: ETH, tallies }),
    };
    show("en");
    expect(screen.getByTestId("verify-released").textContent).toBe(
      "Donations the result releases to the strikers: 1\u00a0ETH",
    );
    expect(screen.getByTestId("verify-refundable").textContent).toBe(
      "Donations refundable to their donors: 2\u00a0ETH",
    );
  });

  it("says what the result would release before it is known, and nothing released when nothing tips (FR)", () => {
    current = { s: testCampaign(campaign, now), live: testLive({ tallies: { ...tallies, counts: [1n, 0n, 0n] } }) };
    show("fr");
    expect(screen.getByTestId("verify-released").textContent).toBe(
      "Dons que le résultat verserait aux grévistes s’il était connu maintenant\u202f: 0\u00a0ETH",
    );
    expect(screen.getByTestId("verify-refundable").textContent).toBe(
      "Dons remboursables à leurs donateurs\u202f: 3\u00a0ETH",
    );
  });
});
