import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import type { PublicClient } from "viem";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readMetadata } from "@bascule/core/metadata";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import { CampaignPage } from "./CampaignPage.tsx";
import { TEST_CONFIG, testCampaign, testLive } from "../test/fixtures.ts";

const campaign = "0x00000000000000000000000000000000000000C1" as const;
const now = Math.floor(Date.now() / 1000);
// A description whose title is an object and whose place is a number, read as the dApp reads it.
const reading = readMetadata(
  new TextEncoder().encode(JSON.stringify({ title: { a: 1 }, text: "Trois jours.", place: 75001 })),
);
const s = testCampaign(campaign, now, { metadata: reading.doc, metadataOmitted: reading.omitted });
const live = testLive({ tallies: { counts: [3n, 0n, 0n], requested: [0n, 0n, 0n], donated: [0n, 0n, 0n] } });

vi.mock("../hooks/useCampaign.ts", () => ({ useCampaign: () => ({ static: s, live, error: null }) }));
vi.mock("../hooks/useWallet.ts", () => ({ useWalletWrite: () => ({ isConnected: false, write: async () => {} }) }));
// One panel that fails to render, as any panel could on data nobody foresaw.
vi.mock("../components/DonatePanel.tsx", () => ({
  DonatePanel: () => {
    throw new TypeError("Cannot read properties of undefined");
  },
}));

afterEach(cleanup);
beforeEach(() => void vi.spyOn(console, "error").mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

const config = TEST_CONFIG;

function page(lang: Lang) {
  return render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient()}>
        <AppProvider config={config} client={{} as PublicClient}>
          <CampaignPage address={campaign} />
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

describe("CampaignPage with a hostile description and a panel that fails", () => {
  it("renders the rest of the page, says what was left out and which part failed (EN)", () => {
    page("en");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Untitled campaign");
    expect(screen.getByText("Trois jours.")).toBeTruthy();
    expect(screen.getByTestId("metadata-note").textContent).toBe(
      "Left out of this campaign's description, not in the expected form: its title and its place.",
    );
    // the donate panel threw: its boundary says so; the headline, chart, funds and share panels stand
    expect(screen.getAllByTestId("part-failed")).toHaveLength(1);
    expect(screen.getByTestId("part-failed").textContent).toBe(
      "This part of the page cannot be shown. The rest of the page works.Try again",
    );
    expect(screen.getByTestId("headline").textContent).toMatch(/^3 people have pledged to strike on /);
    expect(screen.getByTestId("pledge-level")).toBeTruthy();
    expect(screen.getByTestId("chart-visual")).toBeTruthy();
    expect(screen.getByTestId("share-panel")).toBeTruthy();
    expect(screen.getByTestId("verify-link")).toBeTruthy();
  });

  it("says it in French", () => {
    page("fr");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Campagne sans titre");
    expect(screen.getByTestId("metadata-note").textContent).toBe(
      "Écarté de la description de cette campagne, car pas dans la forme attendue\u202f: son titre et son lieu.",
    );
    expect(screen.getByTestId("part-failed").textContent).toBe(
      "Cette partie de la page ne peut pas s’afficher. Le reste de la page fonctionne.Réessayer",
    );
  });
});

describe("CampaignPage: the deadline beside the pledge button (issue 19, also seen)", () => {
  it("gives the deadline and the time left in the pledge form, right after its button (EN, FR)", () => {
    page("en");
    const button = screen.getByTestId("pledge-button");
    const deadline = screen.getByTestId("pledge-deadline");
    expect(button.nextElementSibling).toBe(deadline);
    expect(deadline.textContent).toMatch(/^Pledges until .+\. Closes in \d/);
    cleanup();
    page("fr");
    expect(screen.getByTestId("pledge-deadline").textContent).toMatch(/^Engagements jusqu’au .+\. Clôture dans \d/);
  });
});
