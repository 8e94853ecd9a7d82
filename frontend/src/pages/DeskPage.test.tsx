/**
 * The payout desk page and the receipt's desk slip (issue 20), in English and French: a slip made by
 * the receipt's panel is accepted by the desk page with the same bank details and shows the amount;
 * other bank details, a forged slip, a slip for another desk, the public reference and a claim
 * already paid are refused; a claim is marked paid through the shared ledger, and nothing can be
 * marked when the ledger is unreachable.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { type Address, type PublicClient, zeroAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeskSlipPanel } from "../components/DeskSlipPanel.tsx";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import { claimReference } from "../lib/union.ts";
import type { CampaignStatic } from "../lib/types.ts";
import { DeskPage } from "./DeskPage.tsx";
import { TEST_CONFIG } from "../test/fixtures.ts";

const campaign = "0x00000000000000000000000000000000000000C1" as Address;
const desk = "0x00000000000000000000000000000000000000D1" as Address;
const otherDesk = "0x00000000000000000000000000000000000000D2" as Address;
const beneficiary = privateKeyToAccount(generatePrivateKey());
const IBAN = "FR76 3000 6000 0112 3456 7890 189";
const desks = [
  { name: "Caisse", address: desk, instructions: { en: "Open Mondays", fr: "Ouvert le lundi" } },
  { name: "Autre", address: otherDesk, instructions: { en: "e", fr: "f" } },
];
const s = {
  address: campaign,
  organiser: zeroAddress,
  params: {},
  metadata: { title: "Grève" },
  union: {},
  token: { address: zeroAddress, symbol: "ETH", decimals: 18 },
  createdAt: 1n,
} as unknown as CampaignStatic;

const ledger = vi.hoisted(() => ({
  paid: [] as { claim: string; paidAt: number; clerk: string }[],
  down: false,
  calls: [] as { method: string; url: string; auth: string | null; body: unknown }[],
}));

vi.mock("../hooks/useCampaign.ts", () => ({ useCampaign: () => ({ static: s, live: {}, error: null }) }));
vi.mock("../hooks/useUnion.ts", () => ({
  useUnion: () => ({ data: { payoutDesks: desks, ledgerUrl: "http://ledger.test" } }),
}));
/** Other claims for a test (null: the one claim below). */
const extraClaims = vi.hoisted(() => ({ list: null as null | { amount: bigint; pledgeKey: string }[] }));
vi.mock("../hooks/useDeskClaims.ts", async () => {
  const { claimReference } = await import("../lib/union.ts");
  return {
    useDeskClaims: () => ({
      data: extraClaims.list?.map((c, i) => ({
        reference: claimReference(c.pledgeKey as `0x${string}`),
        pledgeKey: c.pledgeKey,
        amount: c.amount,
        txHash: `0x${i}`,
      })) ?? [
        {
          reference: claimReference(beneficiary.address),
          pledgeKey: beneficiary.address,
          amount: 10n ** 17n,
          txHash: "0xab",
        },
      ],
    }),
  };
});

const config = TEST_CONFIG;

/** The union's ledger, as the attester service answers (one mark per claim, 409 the second time). */
function fakeLedger(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = String(input);
  const auth = new Headers(init?.headers).get("authorization");
  const body = init?.body ? (JSON.parse(String(init.body)) as { claim: string; clerk: string }) : undefined;
  ledger.calls.push({ method: init?.method ?? "GET", url, auth, body });
  if (ledger.down) return Promise.reject(new TypeError("Failed to fetch"));
  const json = (status: number, b: unknown) =>
    Promise.resolve(new Response(JSON.stringify(b), { status, headers: { "content-type": "application/json" } }));
  if (auth !== "Bearer desk-token")
    return json(401, { error: { code: "DESK_UNAUTHORIZED", message: { en: "Desk token wrong", fr: "Jeton faux" } } });
  if ((init?.method ?? "GET") === "GET") return json(200, { paid: ledger.paid });
  const earlier = ledger.paid.find((p) => p.claim === body!.claim.toLowerCase());
  if (earlier)
    return json(409, {
      error: {
        code: "ALREADY_PAID",
        message: { en: "already", fr: "déjà" },
        details: { paidAt: earlier.paidAt, clerk: earlier.clerk },
      },
    });
  const mark = { claim: body!.claim.toLowerCase(), paidAt: 1_780_000_000, clerk: body!.clerk };
  ledger.paid.push(mark);
  return json(201, mark);
}

beforeEach(() => {
  ledger.paid = [];
  ledger.down = false;
  ledger.calls = [];
  sessionStorage.clear();
  localStorage.clear();
  vi.stubGlobal("fetch", vi.fn(fakeLedger));
});
afterEach(cleanup);
afterEach(() => vi.unstubAllGlobals());

function show(page: ReactNode, lang: "en" | "fr" = "en") {
  return render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <AppProvider config={config} client={{} as PublicClient}>
          {page}
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

/** The beneficiary's receipt makes a slip for `forDesk` and these bank details; its text. */
async function makeSlip(lang: "en" | "fr", bank: { iban: string; holder: string }, forDesk = desk) {
  const view = show(
    <DeskSlipPanel pledgeKey={beneficiary} campaign={campaign} chainId={31337} desks={desks} initialDesk={forDesk} />,
    lang,
  );
  type("slip-iban", bank.iban);
  type("slip-holder", bank.holder);
  fireEvent.click(screen.getByTestId("slip-make"));
  const text = (await screen.findByTestId("slip-text")).textContent!;
  view.unmount();
  return text;
}

async function openDesk(lang: "en" | "fr", token = "desk-token") {
  show(<DeskPage campaign={campaign} desk={desk} />, lang);
  type("desk-token", token);
  type("desk-clerk", "Guichet A");
}

async function check(slip: string, bank: { iban: string; holder: string }) {
  type("desk-slip", slip);
  type("desk-iban", bank.iban);
  type("desk-holder", bank.holder);
  fireEvent.click(screen.getByTestId("desk-check"));
}

describe("the receipt's desk slip", () => {
  it("refuses a mistyped IBAN and a missing name, in English and French", async () => {
    for (const [lang, checksum, name] of [
      ["en", /check digits are wrong/, /holder's name/],
      ["fr", /clé de contrôle de cet IBAN est fausse/, /titulaire du compte/],
    ] as const) {
      show(<DeskSlipPanel pledgeKey={beneficiary} campaign={campaign} chainId={31337} desks={desks} />, lang);
      type("slip-iban", "FR76 3000 6000 0112 3456 7890 188");
      type("slip-holder", "Élise Durand");
      fireEvent.click(screen.getByTestId("slip-make"));
      expect((await screen.findByTestId("slip-problem")).textContent).toMatch(checksum);
      type("slip-iban", IBAN);
      type("slip-holder", "  ");
      fireEvent.click(screen.getByTestId("slip-make"));
      await waitFor(() => expect(screen.getByTestId("slip-problem").textContent).toMatch(name));
      expect(screen.queryByTestId("slip-text")).toBeNull();
      cleanup();
    }
  });

  it("makes the same slip again from the same details, with a QR code, naming the account in French", async () => {
    const first = await makeSlip("fr", { iban: IBAN, holder: "Élise Durand" });
    show(<DeskSlipPanel pledgeKey={beneficiary} campaign={campaign} chainId={31337} desks={desks} />, "fr");
    type("slip-iban", IBAN.toLowerCase());
    type("slip-holder", "elise durand");
    fireEvent.click(screen.getByTestId("slip-make"));
    expect((await screen.findByTestId("slip-text")).textContent).toBe(first);
    expect(screen.getByTestId("slip-made").textContent).toContain("Votre bon pour Caisse, pour le compte FR76 3000");
    await screen.findByTestId("slip-qr");
  });
});

describe("the desk page", () => {
  for (const lang of ["en", "fr"] as const) {
    it(`accepts the beneficiary's slip, shows the amount, and marks it paid once (${lang})`, async () => {
      const slip = await makeSlip(lang, { iban: IBAN, holder: "Élise Durand" });
      await openDesk(lang);
      await waitFor(() => expect(screen.getByTestId("desk-ledger").dataset.state).toBe("ok"));
      const reference = claimReference(beneficiary.address);
      expect(screen.getByTestId(`desk-paid-${reference}`).dataset.paid).toBe("no");
      await check(slip, { iban: "fr7630006000011234567890189", holder: "ELISE DURAND" });
      const pay = await screen.findByTestId("desk-pay");
      expect(pay.textContent).toMatch(
        lang === "en"
          ? /Pay 0\.1\sETH to ELISE DURAND, IBAN FR76 3000 6000 0112 3456 7890 189\./
          : /Payez 0,1\sETH à ELISE DURAND/,
      );
      fireEvent.click(screen.getByTestId("desk-mark"));
      await screen.findByTestId("desk-marked");
      const post = ledger.calls.find((c) => c.method === "POST")!;
      expect(post.url).toBe(`http://ledger.test/desks/${desk}/chains/31337/campaigns/${campaign}/paid`);
      expect(post.auth).toBe("Bearer desk-token");
      expect(post.body).toEqual({ claim: beneficiary.address, clerk: "Guichet A" });
      await waitFor(() => expect(screen.getByTestId(`desk-paid-${reference}`).dataset.paid).toBe("yes"));
      const csv = decodeURIComponent(
        screen.getByTestId("desk-csv").getAttribute("href")!.split(",").slice(1).join(","),
      );
      expect(csv).toMatch(new RegExp(`^${reference},0\\.1,${beneficiary.address},0xab,yes,.*,Guichet A$`, "m"));

      // The same slip checked again, at this or another clerk's browser: already paid.
      await check(slip, { iban: IBAN, holder: "Élise Durand" });
      const refusal = await screen.findByTestId("desk-refusal");
      expect(refusal.dataset.reason).toBe("alreadyPaid");
      expect(refusal.textContent).toMatch(
        lang === "en" ? /Already paid .* by Guichet A/ : /Déjà payée le .* par Guichet A/,
      );
      expect(screen.queryByTestId("desk-mark")).toBeNull();
    });
  }

  it("refuses other bank details, a forged slip, a slip for another desk and the public reference, in English and French", async () => {
    const bank = { iban: IBAN, holder: "Élise Durand" };
    const slip = await makeSlip("en", bank);
    const forOther = await makeSlip("en", bank, otherDesk);
    // An outsider who read SupportClaimed: their own key's slip, with the beneficiary's address written in.
    const outsider = privateKeyToAccount(generatePrivateKey());
    const { decodeDeskSlip, encodeDeskSlip } = await import("@bascule/core/desk-slip");
    const own = decodeDeskSlip(
      await (async () => {
        const view = show(<DeskSlipPanel pledgeKey={outsider} campaign={campaign} chainId={31337} desks={desks} />);
        type("slip-iban", "DE89 3704 0044 0532 0130 00");
        type("slip-holder", "Mallory");
        fireEvent.click(screen.getByTestId("slip-make"));
        const text = (await screen.findByTestId("slip-text")).textContent!;
        view.unmount();
        return text;
      })(),
    )!;
    const forged = encodeDeskSlip({ ...own, pledgeKey: beneficiary.address });
    const cases: [string, { iban: string; holder: string }, string, RegExp, RegExp][] = [
      [
        slip,
        { iban: "DE89 3704 0044 0532 0130 00", holder: "Élise Durand" },
        "bankMismatch",
        /not the ones the beneficiary signed/,
        /pas celles que la personne bénéficiaire a signées/,
      ],
      [
        forged,
        { iban: "DE89 3704 0044 0532 0130 00", holder: "Mallory" },
        "badSignature",
        /not made by the beneficiary's receipt/,
        /pas été fait par le reçu/,
      ],
      [forOther, bank, "otherDesk", /for another desk/, /pour un autre guichet/],
      [claimReference(beneficiary.address), bank, "malformed", /not a desk slip/, /pas un bon de guichet/],
      [
        slip,
        { iban: "FR76 3000 6000 0112 3456 7890 188", holder: "Élise Durand" },
        "ibanChecksum",
        /check digits/,
        /clé de contrôle/,
      ],
    ];
    for (const lang of ["en", "fr"] as const) {
      await openDesk(lang);
      for (const [text, details, reason, en, fr] of cases) {
        await check(text, details);
        const refusal = await screen.findByTestId("desk-refusal");
        expect(refusal.dataset.reason, reason).toBe(reason);
        expect(refusal.textContent).toMatch(lang === "en" ? en : fr);
        expect(screen.queryByTestId("desk-pay")).toBeNull();
      }
      cleanup();
    }
    expect(ledger.calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("marks nothing when the ledger is unreachable or the token is wrong, and says not to pay", async () => {
    const slip = await makeSlip("en", { iban: IBAN, holder: "Élise Durand" });
    ledger.down = true;
    await openDesk("en");
    await waitFor(() => expect(screen.getByTestId("desk-ledger").dataset.state).toBe("down"), { timeout: 5000 });
    expect(screen.getByTestId("desk-ledger").textContent).toMatch(/cannot be reached: do not pay anyone now/);
    await check(slip, { iban: IBAN, holder: "Élise Durand" });
    await screen.findByTestId("desk-pay");
    expect(screen.queryByTestId("desk-mark")).toBeNull();
    expect(screen.getByTestId("desk-mark-blocked").textContent).toMatch(/cannot be marked/);
    expect(screen.getByTestId(`desk-paid-${claimReference(beneficiary.address)}`).dataset.paid).toBe("unknown");
    cleanup();

    ledger.down = false;
    await openDesk("fr", "wrong");
    await waitFor(() => expect(screen.getByTestId("desk-ledger").dataset.state).toBe("refused"), { timeout: 5000 });
    expect(screen.getByTestId("error").textContent).toBe("Jeton faux");
    expect(screen.getByTestId("desk-ledger").textContent).toMatch(/a refusé ce jeton de guichet.*\sne payez personne/);
    expect(ledger.calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("refuses a second mark made by another clerk meanwhile, with when and by whom", async () => {
    const slip = await makeSlip("en", { iban: IBAN, holder: "Élise Durand" });
    await openDesk("en");
    await waitFor(() => expect(screen.getByTestId("desk-ledger").dataset.state).toBe("ok"));
    await check(slip, { iban: IBAN, holder: "Élise Durand" });
    await screen.findByTestId("desk-pay");
    // Another clerk marks it between this check and this click.
    ledger.paid.push({ claim: beneficiary.address.toLowerCase(), paidAt: 1_780_000_000, clerk: "Guichet B" });
    fireEvent.click(screen.getByTestId("desk-mark"));
    await waitFor(() => expect(screen.getByTestId("desk-refusal").dataset.reason).toBe("alreadyPaid"));
    expect(screen.getByTestId("desk-refusal").textContent).toMatch(/by Guichet B\. Do not pay again/);
    expect(screen.queryByTestId("desk-marked")).toBeNull();
  });
});

describe("DeskPage: what the desk owes, in euros to the cent (issue 19, item 9)", () => {
  const keys = Array.from({ length: 2 }, () => privateKeyToAccount(generatePrivateKey()).address);
  afterEach(() => {
    extraClaims.list = null;
    (s as { token: unknown }).token = { address: zeroAddress, symbol: "ETH", decimals: 18 };
  });

  for (const [lang, owed, first, unpaid] of [
    ["en", "What the desk owes in total: €13.34", "€12.34", "Still to pay: €13.34"],
    ["fr", "Ce que le guichet doit au total\u202f: 13,34\u00a0€", "12,34\u00a0€", "Reste à payer\u202f: 13,34\u00a0€"],
  ] as const) {
    it(`sums a euro token's claims with 2 decimals, each rounded down to the cent (${lang})`, async () => {
      (s as { token: unknown }).token = { address: otherDesk, symbol: "EURC", decimals: 6 };
      extraClaims.list = [
        { amount: 12_345_678n, pledgeKey: keys[0] }, // €12.345678: €12.34 paid
        { amount: 1_009_999n, pledgeKey: keys[1] }, // €1.009999: €1.00 paid
      ];
      show(<DeskPage campaign={campaign} desk={desk} />, lang);
      expect(screen.getByTestId("desk-owed").textContent).toBe(owed);
      const cells = screen.getAllByTestId("desk-claim").map((r) => r.children[1].textContent);
      expect(cells[0]).toBe(first);
      expect(screen.queryByTestId("desk-no-euro")).toBeNull();
      fireEvent.change(screen.getByTestId("desk-token"), { target: { value: "desk-token" } });
      await waitFor(() => expect(screen.getByTestId("desk-unpaid").textContent).toBe(unpaid));
    });
  }

  it("says a token that is not a euro one is shown in its unit, with no rate invented", () => {
    show(<DeskPage campaign={campaign} desk={desk} />);
    expect(screen.getByTestId("desk-owed").textContent).toBe("What the desk owes in total: 0.1\u00a0ETH");
    expect(screen.getByTestId("desk-no-euro").textContent).toContain("no exchange rate is used here");
  });

  it("names the desk, its account one tap away", () => {
    show(<DeskPage campaign={campaign} desk={desk} />);
    expect(screen.queryByTestId("account-address")).toBeNull();
    fireEvent.click(screen.getByTestId("account-toggle"));
    expect(screen.getByTestId("account-address").textContent).toBe(desk);
  });
});
