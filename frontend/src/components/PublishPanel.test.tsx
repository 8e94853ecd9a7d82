/**
 * The check-in page's "send the list for publication" (issue 19, item 9): only the organiser's
 * wallet is offered to sign; what is signed is the checked-in keys for this campaign on this chain
 * (the relayer checks it: test/relayer/participation.test.ts); what was sent and what the service
 * holds is said with its count (0, 1, many), in English and French; once published, nothing more to do.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { Address, Hex } from "viem";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { participationKeysHash } from "@bascule/core/participation";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import { PublishPanel } from "./PublishPanel.tsx";

const CAMPAIGN = "0x00000000000000000000000000000000000000C1" as Address;
const ORGANISER = "0x00000000000000000000000000000000000000Aa" as Address;
const OTHER = "0x00000000000000000000000000000000000000bB" as Address;
const KEYS = ["0x0000000000000000000000000000000000000002", "0x0000000000000000000000000000000000000001"] as Address[];

const wallet = {
  isConnected: true,
  address: ORGANISER as Address | undefined,
  signTyped: vi.fn(async (_data: unknown) => "0xsig" as Hex),
};
const relayer = {
  sendParticipation: vi.fn(async (_c: Address, body: { pledgeKeys: Address[] }) => ({
    campaign: CAMPAIGN,
    count: body.pledgeKeys.length,
    issuedAt: 1,
    keysHash: "0x" as Hex,
  })),
  keptParticipation: vi.fn(async (_c: Address) => null as { count: number; issuedAt: number } | null),
};
vi.mock("../hooks/useWallet.ts", () => ({ useWalletWrite: () => wallet }));
vi.mock("../hooks/app.tsx", () => ({
  useApp: () => ({ config: { chainId: 31337, relayerUrl: "./relayer" }, relayer }),
}));
vi.mock("./WalletButton.tsx", () => ({ WalletButton: () => <button type="button">connect</button> }));

beforeEach(() => {
  wallet.isConnected = true;
  wallet.address = ORGANISER;
  wallet.signTyped.mockClear();
  relayer.sendParticipation.mockClear();
  relayer.keptParticipation.mockResolvedValue(null);
});
afterEach(cleanup);

function show(lang: Lang, over: Partial<Parameters<typeof PublishPanel>[0]> = {}) {
  return render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <PublishPanel
          campaign={CAMPAIGN}
          organiser={ORGANISER}
          organiserName="SUD-Rail Lyon"
          published={false}
          pledgeKeys={KEYS}
          {...over}
        />
      </QueryClientProvider>
    </I18nProvider>,
  );
}

describe("PublishPanel", () => {
  it("the organiser signs this campaign's checked-in keys and sends them; the count is said", async () => {
    show("en");
    fireEvent.click(screen.getByTestId("publish-send"));
    await screen.findByTestId("publish-sent");
    expect(screen.getByTestId("publish-sent").textContent).toBe(
      "The list of 2 people was sent; it will be published from the action day.",
    );
    const typed = wallet.signTyped.mock.calls[0][0] as {
      domain: { chainId: number; verifyingContract: Address };
      message: { keysHash: Hex; count: number };
    };
    expect(typed.domain).toMatchObject({ chainId: 31337, verifyingContract: CAMPAIGN });
    expect(typed.message.keysHash).toBe(participationKeysHash(KEYS));
    expect(typed.message.count).toBe(2);
    expect(relayer.sendParticipation.mock.calls[0][1]).toMatchObject({ pledgeKeys: KEYS, signature: "0xsig" });
  });

  it("offers no send to another wallet, naming the organiser with the account one tap away", () => {
    wallet.address = OTHER;
    show("fr");
    expect(screen.queryByTestId("publish-send")).toBeNull();
    expect(screen.getByTestId("publish-not-organiser").textContent).toContain(
      "Seul l’organisateur de la campagne (SUD-Rail Lyon) peut envoyer la liste\u202f: connectez ce portefeuille.",
    );
    expect(screen.queryByTestId("account-address")).toBeNull();
    fireEvent.click(screen.getByTestId("account-toggle"));
    expect(screen.getByTestId("account-address").textContent).toBe(ORGANISER);
  });

  it("without a wallet, offers to connect one", () => {
    wallet.isConnected = false;
    wallet.address = undefined;
    show("en");
    expect(screen.getByText("connect")).toBeTruthy();
    expect(screen.queryByTestId("publish-send")).toBeNull();
  });

  it("says what the service holds (0, 1, many), in French too", async () => {
    for (const [count, fr] of [
      [0, "Le service de publication détient une liste vide"],
      [1, "Le service de publication détient une liste de 1 personne"],
      [12, "Le service de publication détient une liste de 12 personnes"],
    ] as const) {
      relayer.keptParticipation.mockResolvedValue({ count, issuedAt: 1_800_000_000 });
      show("fr");
      await waitFor(() => expect(screen.getByTestId("publish-kept").textContent).toContain(fr));
      cleanup();
    }
  });

  it("once published, says so and offers nothing", () => {
    show("en", { published: true });
    expect(screen.getByTestId("publish-done").textContent).toContain("Who came is published on the network");
    expect(screen.queryByTestId("publish-send")).toBeNull();
  });
});
