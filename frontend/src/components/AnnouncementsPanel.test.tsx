/**
 * The organiser's announcements in the dApp (issue 22): the panel shows only what verifies against
 * the organiser the chain names (a notifier serving a forged one does not get it shown), one
 * version per announcement in the reader's language, the successor link; the receipt shows the
 * latest; the form appears for the organiser's wallet only, signs the French and English versions
 * with one `issuedAt`, and shows the notifier's refusal in the page's language.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { type PublicClient, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AnnouncementContent,
  type SignedAnnouncement,
  announcementId,
  signAnnouncement,
  verifyAnnouncement,
} from "@bascule/core/announcements";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { AppConfig } from "../lib/config.ts";
import { AnnounceForm } from "./AnnounceForm.tsx";
import { AnnouncementsPanel } from "./AnnouncementsPanel.tsx";

const wallet = vi.hoisted(() => ({
  account: null as null | { address: `0x${string}`; signTypedData: (d: never) => Promise<`0x${string}`> },
}));
vi.mock("../hooks/useWallet.ts", () => ({
  useWalletWrite: () => ({
    address: wallet.account?.address,
    isConnected: wallet.account !== null,
    signTyped: (d: never) => wallet.account!.signTypedData(d),
    write: async () => {},
  }),
}));

vi.mock("./WalletButton.tsx", () => ({ WalletButton: () => <button type="button">Connect</button> }));

const CAMPAIGN = getAddress("0x00000000000000000000000000000000000000c1");
const NEXT = getAddress("0x00000000000000000000000000000000000000c2");
const CHAIN = 31337;
const NOTIFIER = "http://notifier.test";
const organiser = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const s = { address: CAMPAIGN, organiser: organiser.address };
const config: AppConfig = {
  chainId: CHAIN,
  chainName: "local",
  rpcUrl: "/rpc",
  factory: "0x0000000000000000000000000000000000000001",
  fromBlock: "0",
  relayerUrl: "",
  listMinPledges: 3,
  notifierUrl: NOTIFIER,
};
const T = 1_780_000_000;

function content(lang: Lang, title: string, issuedAt: number, extra: Partial<AnnouncementContent> = {}) {
  return {
    lang,
    title,
    text: `${title} — texte`,
    place: null,
    startTime: null,
    successor: null,
    issuedAt,
    ...extra,
  } satisfies AnnouncementContent;
}

async function served(signer: typeof organiser, c: AnnouncementContent) {
  const a = await signAnnouncement(signer, CAMPAIGN, CHAIN, c);
  return { ...a, id: announcementId(a), publishedAt: c.issuedAt + 5 };
}

/** A notifier: GET answers `list`; POST answers `post(body)`. */
function notifier(list: unknown[], post?: (body: SignedAnnouncement) => Response) {
  const posted: SignedAnnouncement[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      if ((init?.method ?? "GET") === "POST") {
        const body = JSON.parse(String(init!.body)) as SignedAnnouncement;
        posted.push(body);
        return post ? post(body) : new Response(JSON.stringify({ ...body, id: "0x", publishedAt: T }), { status: 201 });
      }
      expect(url).toContain(`/v1/campaigns/${CAMPAIGN}/announcements`);
      return new Response(JSON.stringify({ announcements: list }), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    }),
  );
  return posted;
}

function show(lang: Lang, ui: ReactNode) {
  return render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <AppProvider config={config} client={{} as PublicClient}>
          {ui}
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

afterEach(cleanup);
afterEach(() => vi.unstubAllGlobals());
beforeEach(() => {
  wallet.account = null;
  localStorage.clear();
});

describe("AnnouncementsPanel", () => {
  it("shows the organiser's announcements in the reader's language and drops a forged one", async () => {
    notifier([
      await served(organiser, content("en", "Picket at dawn", T + 100)),
      await served(organiser, content("fr", "Piquet à l’aube", T + 100)),
      await served(stranger, content("en", "Strike cancelled", T + 50)),
      await served(organiser, content("fr", "Assemblée jeudi", T, { place: "Bourse du travail" })),
    ]);
    show("en", <AnnouncementsPanel s={s} />);
    await waitFor(() => expect(screen.getAllByTestId("announcement")).toHaveLength(2));
    const items = screen.getAllByTestId("announcement").map((li) => li.textContent);
    expect(items[0]).toContain("Picket at dawn");
    expect(items[0]).not.toContain("Piquet");
    // Written in French only: shown in French, saying so.
    expect(items[1]).toContain("Assemblée jeudi (in French)");
    expect(items[1]).toContain("Where: Bourse du travail");
    expect(screen.queryByText(/Strike cancelled/)).toBeNull();
    expect(screen.getByTestId("announcements-dropped").textContent).toBe(
      "1 announcement is not shown: not signed by the organiser.",
    );
  });

  it("says it in French, with the plural", async () => {
    notifier([
      await served(organiser, content("fr", "Piquet à l’aube", T + 100)),
      await served(stranger, content("fr", "Grève annulée", T + 50)),
      await served(stranger, content("fr", "Grève reportée", T + 40)),
    ]);
    show("fr", <AnnouncementsPanel s={s} />);
    await waitFor(() => expect(screen.getAllByTestId("announcement")).toHaveLength(1));
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Annonces");
    expect(screen.getByTestId("announcements-dropped").textContent).toBe(
      "2 annonces ne sont pas affichées\u202f: pas signées par l’organisation.",
    );
  });

  it("says there is none yet, and links a failed campaign to its successor", async () => {
    notifier([]);
    const { unmount } = show("en", <AnnouncementsPanel s={s} />);
    await screen.findByText("No announcement from the organiser yet.");
    unmount();
    notifier([await served(organiser, content("en", "We try again", T, { successor: NEXT }))]);
    show("en", <AnnouncementsPanel s={s} />);
    const link = await screen.findByTestId("successor-link");
    expect(link.getAttribute("href")).toBe(`#/c/${NEXT}`);
  });

  it("shows only the latest on the receipt, and nothing when there is none", async () => {
    notifier([
      await served(organiser, content("en", "Newest", T + 100)),
      await served(organiser, content("en", "Older", T)),
    ]);
    const { unmount } = show("en", <AnnouncementsPanel s={s} latest />);
    await waitFor(() => expect(screen.getAllByTestId("announcement")).toHaveLength(1));
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Latest from the organiser");
    expect(screen.getByTestId("announcement").textContent).toContain("Newest");
    unmount();
    notifier([]);
    show("en", <AnnouncementsPanel s={s} latest />);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId("announcements")).toBeNull();
  });
});

describe("AnnounceForm", () => {
  it("is not shown to a wallet that is not the organiser's; without a wallet, offers to connect one", () => {
    notifier([]);
    wallet.account = stranger;
    const { unmount } = show("en", <AnnounceForm s={s} failed={false} />);
    expect(screen.queryByTestId("announce-form")).toBeNull();
    expect(screen.queryByTestId("announce-connect")).toBeNull();
    unmount();
    wallet.account = null;
    show("fr", <AnnounceForm s={s} failed={false} />);
    expect(screen.queryByTestId("announce-form")).toBeNull();
    expect(screen.getByTestId("announce-connect").textContent).toContain(
      "Vous organisez cette campagne\u202f? Connectez son portefeuille",
    );
  });

  it("signs the French and English versions with one issuedAt, verifiable as the organiser's", async () => {
    const posted = notifier([]);
    wallet.account = organiser;
    show("en", <AnnounceForm s={s} failed={false} />);
    fireEvent.click(screen.getByTestId("announce-publish"));
    expect(screen.getByTestId("announce-error").textContent).toBe("Write a title and a text in at least one language.");
    const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });
    type("announce-fr-title", "Piquet demain");
    type("announce-fr-text", "Devant l’entrée principale.");
    type("announce-en-title", "Picket tomorrow");
    type("announce-en-text", "At the main gate.");
    type("announce-place", "Usine Nord");
    type("announce-time", "2027-06-12T06:00");
    fireEvent.click(screen.getByTestId("announce-publish"));
    await screen.findByTestId("announce-published");
    expect(posted.map((p) => p.lang)).toEqual(["fr", "en"]);
    expect(posted[0].issuedAt).toBe(posted[1].issuedAt);
    expect(posted[0].startTime).toBe(Math.floor(new Date("2027-06-12T06:00").getTime() / 1000));
    for (const p of posted) {
      expect(p.place).toBe("Usine Nord");
      expect(p.successor).toBeNull();
      const problem = await verifyAnnouncement(p, {
        campaign: CAMPAIGN,
        chainId: CHAIN,
        organiser: organiser.address,
        now: p.issuedAt,
      });
      expect(problem).toBeNull();
    }
    expect((screen.getByTestId("announce-fr-title") as HTMLInputElement).value).toBe("");
  });

  it("shows the notifier's refusal in the page's language", async () => {
    notifier([], () =>
      Response.json(
        {
          error: {
            code: "NOT_ORGANISER",
            message: { en: "Not the organiser.", fr: "Pas l’organisateur." },
          },
        },
        { status: 403 },
      ),
    );
    wallet.account = organiser;
    show("fr", <AnnounceForm s={s} failed={false} />);
    fireEvent.change(screen.getByTestId("announce-fr-title"), { target: { value: "Titre" } });
    fireEvent.change(screen.getByTestId("announce-fr-text"), { target: { value: "Texte" } });
    fireEvent.click(screen.getByTestId("announce-publish"));
    expect((await screen.findByTestId("announce-error")).textContent).toBe("Pas l’organisateur.");
  });

  it("offers the successor only for a failed campaign, and sends it", async () => {
    const posted = notifier([]);
    wallet.account = organiser;
    const { unmount } = show("en", <AnnounceForm s={s} failed={false} />);
    expect(screen.queryByTestId("announce-successor")).toBeNull();
    unmount();
    show("en", <AnnounceForm s={s} failed />);
    fireEvent.change(screen.getByTestId("announce-en-title"), { target: { value: "We try again" } });
    fireEvent.change(screen.getByTestId("announce-en-text"), { target: { value: "On 12 June." } });
    fireEvent.change(screen.getByTestId("announce-successor"), { target: { value: "0x12" } });
    fireEvent.click(screen.getByTestId("announce-publish"));
    expect(screen.getByTestId("announce-error").textContent).toContain("by its address");
    fireEvent.change(screen.getByTestId("announce-successor"), { target: { value: NEXT.toLowerCase() } });
    fireEvent.click(screen.getByTestId("announce-publish"));
    await screen.findByTestId("announce-published");
    expect(posted.map((p) => p.successor)).toEqual([NEXT]);
  });

  it("lets the organiser leave a delegate key in this browser, which then signs without the wallet", async () => {
    const posted = notifier([]);
    wallet.account = organiser;
    const { unmount } = show("en", <AnnounceForm s={s} failed={false} />);
    fireEvent.click(screen.getByTestId("announce-make-delegate"));
    await screen.findByTestId("announce-delegate");
    unmount();
    wallet.account = null;
    show("en", <AnnounceForm s={s} failed={false} />);
    fireEvent.change(screen.getByTestId("announce-en-title"), { target: { value: "Picket" } });
    fireEvent.change(screen.getByTestId("announce-en-text"), { target: { value: "At six." } });
    fireEvent.click(screen.getByTestId("announce-publish"));
    await screen.findByTestId("announce-published");
    const [p] = posted;
    expect(p.delegation).not.toBeNull();
    expect(p.signer).not.toBe(organiser.address);
    expect(
      await verifyAnnouncement(p, {
        campaign: CAMPAIGN,
        chainId: CHAIN,
        organiser: organiser.address,
        now: p.issuedAt,
      }),
    ).toBeNull();
  });
});
