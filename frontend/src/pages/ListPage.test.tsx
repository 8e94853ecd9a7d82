import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { getAddress, type PublicClient } from "viem";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { METADATA_LIMITS } from "@bascule/core/metadata";
import { AppProvider } from "../hooks/app.tsx";
import type { CampaignList, ListedCampaign } from "../hooks/useCampaignList.ts";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { AppConfig } from "../lib/config.ts";
import { ListPage } from "./ListPage.tsx";

afterEach(cleanup);
// React reports the errors its boundaries catch on the console; the test asserts what the page shows.
beforeEach(() => void vi.spyOn(console, "error").mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

const config: AppConfig = {
  chainId: 31337,
  chainName: "local",
  rpcUrl: "/rpc",
  factory: "0x00000000000000000000000000000000000000f1",
  fromBlock: "0",
  relayerUrl: "",
  listMinPledges: 3,
};
const deadline = BigInt(Math.floor(Date.now() / 1000) + 14 * 86_400);
const json = (doc: unknown) => `data:application/json,${encodeURIComponent(JSON.stringify(doc))}`;

/** A listed campaign with this description (a data: URI, as anyone can put on the chain). */
function campaign(n: number, metadataURI: string, pledgeDeadline = deadline): ListedCampaign {
  return {
    address: getAddress(`0x${n.toString(16).padStart(40, "0")}`),
    metadataURI,
    pledges: 5n,
    donations: 0n,
    phase: 1,
    tippingLevel: 0,
    committed: 0n,
    pledgeDeadline,
    activity: 5n,
  };
}

/** Honest campaigns between hostile ones: each hostile one made by one createCampaign anyone can send. */
const listed = [
  campaign(0xa1, json({ title: "Grève des cantines", text: "", actionDate: "2027-05-01", place: "Lille" })),
  campaign(0xb1, json({ title: { $$typeof: "react.element", type: "script", props: {} }, place: "Lyon" })),
  campaign(0xb2, json(["title", "Grève"])),
  campaign(0xb3, json({ title: "x".repeat(METADATA_LIMITS.title * 50) })),
  campaign(0xb4, json({ title: 42, text: 1e308, place: -1, languages: [1, 2] })),
  campaign(0xb5, json({ title: "p".repeat(10), text: "y".repeat(METADATA_LIMITS.bytes) })),
  // A pledge deadline the factory accepts (uint64, in the future) but no Date can hold: formatting it throws.
  campaign(0xb6, json({ title: "Grève de l’an 300 000" }), 10n ** 13n),
  campaign(0xa2, json({ title: "Railway strike", text: "", actionDate: "2027-06-01", place: "Rennes" })),
];

function renderList(lang: Lang) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  queryClient.setQueryData<CampaignList>(["campaign-list"], { listed, hidden: 0, source: "chain" });
  const client = {} as PublicClient; // never called: the list is already in the cache
  return render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={queryClient}>
        <AppProvider config={config} client={client}>
          <ListPage />
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

const card = (n: number) => {
  const address = getAddress(`0x${n.toString(16).padStart(40, "0")}`);
  const link = screen.getAllByRole("link").find((a) => a.getAttribute("href") === `#/c/${address}`)!;
  return link.closest("li")!;
};

describe("ListPage with hostile campaigns", () => {
  it("renders every other campaign, and says what it left out of each hostile one (EN)", async () => {
    renderList("en");
    await waitFor(() => expect(screen.getByText("Grève des cantines")).toBeTruthy());
    expect(screen.getByText("Railway strike")).toBeTruthy();
    expect(screen.getAllByTestId("campaign-card")).toHaveLength(listed.length);
    await waitFor(() => expect(within(card(0xb1)).getByTestId("metadata-note")).toBeTruthy());
    expect(within(card(0xb1)).getByRole("link").textContent).toMatch(/^Untitled campaign 0x0000…00b1$/i);
    expect(within(card(0xb1)).getByTestId("metadata-note").textContent).toBe(
      "Left out of this campaign's description, not in the expected form: its title.",
    );
    expect(within(card(0xb2)).getByTestId("metadata-note").textContent).toBe(
      "This campaign's description cannot be read: it is not shown.",
    );
    expect(within(card(0xb3)).getByTestId("metadata-note").textContent).toMatch(/: its title\.$/);
    expect(within(card(0xb3)).queryByText(/xxxxxxxxxx/)).toBeNull();
    expect(within(card(0xb4)).getByTestId("metadata-note").textContent).toMatch(
      /: its title, its text, its place and its languages\.$/,
    );
    expect(within(card(0xb5)).getByTestId("metadata-note").textContent).toMatch(/cannot be read/);
    // the card that threw is replaced by a sentence and its link; its neighbours are whole
    expect(within(card(0xb6)).getByTestId("card-failed").textContent).toMatch(
      /^This campaign cannot be shown in the list \(0x0000…00b6\)\.Open its page$/i,
    );
    for (const n of [0xa1, 0xa2]) expect(within(card(n)).getByText(/^Pledge deadline: /)).toBeTruthy();
  });

  it("says the same in French", async () => {
    renderList("fr");
    await waitFor(() => expect(within(card(0xb1)).getByTestId("metadata-note")).toBeTruthy());
    expect(screen.getByText("Grève des cantines")).toBeTruthy();
    expect(within(card(0xb1)).getByRole("link").textContent).toMatch(/^Campagne sans titre 0x0000…00b1$/i);
    expect(within(card(0xb4)).getByTestId("metadata-note").textContent).toMatch(
      /: son titre, son texte, son lieu et ses langues\.$/,
    );
    expect(within(card(0xb6)).getByTestId("card-failed").textContent).toMatch(
      /^Cette campagne ne peut pas être affichée dans la liste \(0x0000…00b6\)\.Ouvrir sa page$/i,
    );
  });
});

describe("ListPage: opening a receipt file", () => {
  const choose = (name: string, text: string) =>
    fireEvent.change(screen.getByLabelText(/^(Receipt file|Fichier de reçu)$/), {
      target: { files: [new File([text], name, { type: "application/json" })] },
    });

  it("calls a bad file a file, not a link, and says which file to choose (EN, FR)", async () => {
    renderList("en");
    choose("notes.json", "{ not a receipt");
    expect((await screen.findByTestId("receipt-file-error")).textContent).toBe(
      "This file is not a Bascule receipt, or it is damaged. Choose the file you downloaded when you pledged (its name ends in .json).",
    );
    cleanup();
    renderList("fr");
    choose("notes.json", "{}");
    expect((await screen.findByTestId("receipt-file-error")).textContent).toBe(
      "Ce fichier n’est pas un reçu Bascule, ou il est abîmé. Choisissez le fichier téléchargé au moment de votre engagement (son nom finit par .json).",
    );
  });
});
