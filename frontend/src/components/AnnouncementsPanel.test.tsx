/**
 * The organiser's announcements in the dApp (issue 22): the panel shows only what verifies against
 * the organiser the chain names (a notifier serving a forged one does not get it shown), one
 * version per announcement in the reader's language, the successor link; the receipt shows the
 * latest; the form appears for the organiser's wallet only, signs the French and English versions
 * with one `issuedAt`, and shows the notifier's refusal in the page's language. An organiser that
 * is a contract (a Safe) is checked through the chain client (ERC-1271); what a key the organiser
 * revoked signed since is skipped; the organiser revokes a key from the form.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { type PublicClient, getAddress, recoverTypedDataAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type AnnouncementContent,
  type SignedAnnouncement,
  type SignedRevocation,
  announcementId,
  signAnnouncement,
  signDelegation,
  signRevocation,
  verifyAnnouncement,
  verifyRevocation,
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
function notifier(list: unknown[], post?: (body: SignedAnnouncement) => Response, revocations: unknown[] = []) {
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
      return new Response(JSON.stringify({ announcements: list, revocations }), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    }),
  );
  return posted;
}

function show(lang: Lang, ui: ReactNode, client: PublicClient = {} as PublicClient) {
  return render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <AppProvider config={config} client={client}>
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

describe("AnnouncementsPanel: contract organisers and revoked keys", () => {
  const owner = privateKeyToAccount(generatePrivateKey());
  const SAFE = getAddress("0x00000000000000000000000000000000000005af");
  /** A chain client whose Safe accepts its owner's signatures (ERC-1271), as viem's verifyTypedData asks it. */
  const chain = {
    getCode: vi.fn(async ({ address }: { address: string }) => (address === SAFE ? "0x6080" : undefined)),
    verifyTypedData: vi.fn(
      async (args: Parameters<typeof recoverTypedDataAddress>[0] & { address: string }) =>
        args.address === SAFE && (await recoverTypedDataAddress(args)) === owner.address,
    ),
  } as unknown as PublicClient;
  const asSafe = { address: SAFE, signTypedData: owner.signTypedData as never };

  it("shows what a Safe organiser's owner signed, checked through the chain, and drops another key's", async () => {
    const mine = await signAnnouncement(asSafe, CAMPAIGN, CHAIN, content("en", "Safe says hello", T + 10));
    const forged = await signAnnouncement(
      { address: SAFE, signTypedData: stranger.signTypedData as never },
      CAMPAIGN,
      CHAIN,
      content("en", "Strike cancelled", T + 5),
    );
    notifier([mine, forged].map((a) => ({ ...a, id: announcementId(a), publishedAt: a.issuedAt + 5 })));
    show("en", <AnnouncementsPanel s={{ address: CAMPAIGN, organiser: SAFE }} />, chain);
    await waitFor(() => expect(screen.getAllByTestId("announcement")).toHaveLength(1));
    expect(screen.getByTestId("announcement").textContent).toContain("Safe says hello");
    expect(screen.getByTestId("announcements-dropped").textContent).toBe(
      "1 announcement is not shown: not signed by the organiser.",
    );
    expect(vi.mocked(chain.verifyTypedData)).toHaveBeenCalledWith(expect.objectContaining({ address: SAFE }));
  });

  it("asks the chain nothing but the code for a forged announcement of an account organiser", async () => {
    vi.mocked(chain.verifyTypedData).mockClear();
    const forged = await signAnnouncement(
      { address: organiser.address, signTypedData: stranger.signTypedData as never },
      CAMPAIGN,
      CHAIN,
      content("en", "Strike cancelled", T + 5),
    );
    notifier([{ ...forged, id: announcementId(forged), publishedAt: T + 10 }]);
    show("en", <AnnouncementsPanel s={s} />, chain);
    await screen.findByTestId("announcements-dropped");
    expect(vi.mocked(chain.getCode)).toHaveBeenCalledWith({ address: organiser.address });
    expect(vi.mocked(chain.verifyTypedData)).not.toHaveBeenCalled();
  });

  async function byDelegate(key: typeof organiser, title: string, issuedAt: number) {
    const d = await signDelegation(organiser, CAMPAIGN, CHAIN, key.address, T + 30 * 86_400);
    const a = await signAnnouncement(key, CAMPAIGN, CHAIN, content("fr", title, issuedAt), d);
    return { ...a, id: announcementId(a), publishedAt: issuedAt + 5 };
  }

  it("skips what a revoked key signed since its revocation, keeps the earlier, and ignores a forged revocation", async () => {
    const helper = privateKeyToAccount(generatePrivateKey());
    const other = privateKeyToAccount(generatePrivateKey());
    const revocation = {
      ...(await signRevocation(organiser, CAMPAIGN, CHAIN, helper.address, T + 100)),
      publishedAt: T + 100,
    };
    // A stranger's "revocation" of the other helper counts for nothing.
    const forged = {
      ...(await signRevocation(stranger, CAMPAIGN, CHAIN, other.address, T + 100)),
      publishedAt: T + 100,
    };
    notifier(
      [
        await byDelegate(helper, "Grève annulée", T + 200),
        await byDelegate(helper, "Grève reportée", T + 150),
        await byDelegate(other, "Piquet à 6 h", T + 120),
        await byDelegate(helper, "Tract à distribuer", T),
      ],
      undefined,
      [revocation, forged],
    );
    show("fr", <AnnouncementsPanel s={s} />);
    await waitFor(() => expect(screen.getAllByTestId("announcement")).toHaveLength(2));
    const items = screen.getAllByTestId("announcement").map((li) => li.textContent);
    expect(items[0]).toContain("Piquet à 6 h");
    expect(items[1]).toContain("Tract à distribuer");
    // Each delegate's announcement shows its key, which the organiser can revoke from anywhere.
    expect(screen.getAllByTestId("announcement-key").map((p) => p.textContent)).toEqual([
      `Clé\u202f: ${other.address}`,
      `Clé\u202f: ${helper.address}`,
    ]);
    expect(screen.getByTestId("announcements-revoked").textContent).toBe(
      "2 annonces ne sont pas affichées\u202f: signées par une clé que l’organisation a révoquée.",
    );
    expect(screen.queryByTestId("announcements-dropped")).toBeNull();
  });

  it("says it for one in English, and nothing when none is revoked", async () => {
    const helper = privateKeyToAccount(generatePrivateKey());
    const revocation = {
      ...(await signRevocation(organiser, CAMPAIGN, CHAIN, helper.address, T + 100)),
      publishedAt: T + 100,
    };
    notifier([await byDelegate(helper, "Late", T + 200), await byDelegate(helper, "Early", T)], undefined, [
      revocation,
    ]);
    const { unmount } = show("en", <AnnouncementsPanel s={s} />);
    await waitFor(() => expect(screen.getAllByTestId("announcement")).toHaveLength(1));
    expect(screen.getByTestId("announcements-revoked").textContent).toBe(
      "1 announcement is not shown: signed by a key the organiser revoked.",
    );
    unmount();
    notifier([await byDelegate(helper, "Early", T)], undefined, []);
    show("en", <AnnouncementsPanel s={s} />);
    await waitFor(() => expect(screen.getAllByTestId("announcement")).toHaveLength(1));
    expect(screen.queryByTestId("announcements-revoked")).toBeNull();
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

  it("lets the organiser revoke this browser's delegate key, signed for this campaign, and forgets it", async () => {
    const posted: { url: string; body: SignedRevocation }[] = [];
    wallet.account = organiser;
    notifier([]);
    const { unmount } = show("en", <AnnounceForm s={s} failed={false} />);
    fireEvent.click(screen.getByTestId("announce-make-delegate"));
    await screen.findByTestId("announce-delegate");
    unmount();
    const held = JSON.parse(localStorage.getItem(`bascule.delegate.${CAMPAIGN.toLowerCase()}`)!) as {
      delegation: { delegate: string };
    };
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        const body = JSON.parse(String(init!.body)) as SignedRevocation;
        posted.push({ url, body });
        return new Response(JSON.stringify({ ...body, publishedAt: T }), { status: 201 });
      }),
    );
    show("fr", <AnnounceForm s={s} failed={false} />);
    fireEvent.change(screen.getByTestId("announce-revoke-address"), { target: { value: "0x12" } });
    fireEvent.click(screen.getByTestId("announce-revoke-submit"));
    expect(screen.getByTestId("announce-revoke-message").textContent).toBe(
      "Une clé se donne par son adresse (0x suivi de 40 caractères).",
    );
    // Empty: the key this browser holds.
    fireEvent.change(screen.getByTestId("announce-revoke-address"), { target: { value: "" } });
    fireEvent.click(screen.getByTestId("announce-revoke-submit"));
    await waitFor(() =>
      expect(screen.getByTestId("announce-revoke-message").textContent).toBe(
        "Révoquée\u202f: cette clé ne peut plus annoncer pour cette campagne.",
      ),
    );
    expect(posted).toHaveLength(1);
    expect(posted[0].url).toContain(`/v1/campaigns/${CAMPAIGN}/revocations`);
    const r = posted[0].body;
    expect(r.delegate).toBe(held.delegation.delegate);
    expect(
      await verifyRevocation(r, { campaign: CAMPAIGN, chainId: CHAIN, organiser: organiser.address, now: r.revokedAt }),
    ).toBeNull();
    // Not valid on another campaign.
    expect(
      await verifyRevocation(r, { campaign: NEXT, chainId: CHAIN, organiser: organiser.address, now: r.revokedAt }),
    ).toEqual({ code: "WRONG_CAMPAIGN" });
    expect(localStorage.getItem(`bascule.delegate.${CAMPAIGN.toLowerCase()}`)).toBeNull();
    expect(screen.queryByTestId("announce-delegate")).toBeNull();
  });

  it("shows the notifier's refusal of a revocation in the page's language, and offers revoking to the organiser only", async () => {
    notifier([], () =>
      Response.json(
        {
          error: {
            code: "REVOCATION_NOT_ORGANISER",
            message: { en: "Only the organiser.", fr: "Seul l’organisateur." },
          },
        },
        { status: 403 },
      ),
    );
    wallet.account = organiser;
    const { unmount } = show("en", <AnnounceForm s={s} failed={false} />);
    fireEvent.change(screen.getByTestId("announce-revoke-address"), { target: { value: stranger.address } });
    fireEvent.click(screen.getByTestId("announce-revoke-submit"));
    expect((await screen.findByTestId("announce-revoke-message")).textContent).toBe("Only the organiser.");
    unmount();
    // A delegate's browser (no organiser wallet) writes, but cannot revoke.
    localStorage.setItem(
      `bascule.delegate.${CAMPAIGN.toLowerCase()}`,
      JSON.stringify({
        privateKey: generatePrivateKey(),
        delegation: { delegate: stranger.address, expiry: Math.floor(Date.now() / 1000) + 3_600, signature: "0x" },
      }),
    );
    wallet.account = null;
    show("en", <AnnounceForm s={s} failed={false} />);
    expect(screen.getByTestId("announce-form")).toBeTruthy();
    expect(screen.queryByTestId("announce-revoke")).toBeNull();
  });
});
