/**
 * The final lock on the receipt (issue 19, item 3): its date before it starts; during it no
 * withdrawal, no higher threshold and no higher support offered, each with the reason; and a change
 * the relayer queued then refused never leaves "Sent; waiting…" beside the red error.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { PublicClient } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppProvider } from "../hooks/app.tsx";
import type { ActionEvents } from "../hooks/usePledge.ts";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import { RelayerError } from "../lib/errors.ts";
import type { KeptReceipt } from "../lib/receiptStore.ts";
import { ReceiptPage } from "./ReceiptPage.tsx";
import { TEST_CONFIG, testCampaign, testLive } from "../test/fixtures.ts";

const campaign = "0x00000000000000000000000000000000000000C1" as const;
const now = Math.floor(Date.now() / 1000);
const s = testCampaign(campaign, now, {
  params: { pledgeDeadline: BigInt(now + 3600), actionDate: BigInt(now + 7 * 86_400), supportCap: 10n ** 18n },
});
const live = testLive({ tallies: { counts: [0n, 3n, 0n], requested: [0n, 10n ** 17n, 0n], donated: [0n, 0n, 0n] } });
const record = {
  level: 2,
  support: 10n ** 17n,
  condition: 0,
  nonce: 1,
  claimed: false,
  claimable: 0n,
  entitlement: 0,
  amount: 0n,
};

const sent = vi.hoisted(() => ({
  pledge: async (_r: unknown, _t: unknown, _e: ActionEvents): Promise<undefined> => undefined,
}));
vi.mock("../hooks/useCampaign.ts", () => ({ useCampaign: () => ({ static: s, live, error: null }) }));
vi.mock("../hooks/useWallet.ts", () => ({ useWalletWrite: () => ({ isConnected: false, write: async () => {} }) }));
vi.mock("../hooks/useUnion.ts", () => ({ useUnion: () => ({ data: undefined }) }));
const proofAnswer = vi.hoisted(() => ({ data: undefined as unknown }));
vi.mock("../hooks/useProof.ts", () => ({ useParticipationProof: () => ({ data: proofAnswer.data }) }));
vi.mock("../components/NotifyPanel.tsx", () => ({ NotifyPanel: () => null }));
vi.mock("../components/GateNote.tsx", () => ({ GateNote: () => null }));
vi.mock("../hooks/usePledge.ts", async (actual) => {
  const { privateKeyToAccount } = await import("viem/accounts");
  const key = privateKeyToAccount(`0x${"11".repeat(32)}`);
  return {
    ...(await actual<typeof import("../hooks/usePledge.ts")>()),
    usePledgeRecord: () => ({ data: record, refetch: async () => {} }),
    useReceiptActions: () => ({
      key,
      pledge: (r: unknown, t: unknown, e: ActionEvents) => sent.pledge(r, t, e),
      claim: async () => ({}),
    }),
  };
});

const config = TEST_CONFIG;
const receipt = { campaign, chainId: 31337, key: generatePrivateKey(), savedAt: 0 } as unknown as KeptReceipt;

beforeEach(() => {
  s.params.finalLock = 0n;
  s.params.ladder = [2, 5, 10];
  live.tallies = { counts: [0n, 3n, 0n], requested: [0n, 10n ** 17n, 0n], donated: [0n, 0n, 0n] };
  sent.pledge = async () => undefined;
});
afterEach(cleanup);

function show(lang: Lang = "en") {
  render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient()}>
        <AppProvider config={config} client={{} as PublicClient}>
          <ReceiptPage receipt={receipt} localId="r1" />
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}
const options = () =>
  Array.from((screen.getByTestId("change-level") as HTMLSelectElement).options)
    .filter((o) => !o.disabled)
    .map((o) => o.textContent);

describe("ReceiptPage and the final lock", () => {
  it("before it: gives its date and what it will refuse; withdrawal and every threshold offered", () => {
    s.params.finalLock = 1800n; // starts in 30 minutes
    show();
    expect(screen.getByTestId("pledge-lock-ahead").textContent).toMatch(
      /^Final lock from .+: from then until the deadline, this pledge can no longer be withdrawn nor raised, only lowered\.$/,
    );
    expect(screen.queryByTestId("pledge-lock")).toBeNull();
    expect(screen.getByTestId("withdraw-pledge")).toBeTruthy();
    expect(options()).toEqual(["at least 2 people", "at least 5 people", "at least 10 people"]);
  });

  it("during it: no withdrawal, no higher threshold, a higher support refused, each with the reason (EN, FR)", () => {
    s.params.finalLock = 7200n; // began an hour ago
    show();
    expect(screen.getByTestId("pledge-lock").textContent).toMatch(
      /^The final lock began on .+: until the deadline you can lower your threshold or your support, but no longer withdraw this pledge nor raise it\.$/,
    );
    expect(screen.queryByTestId("pledge-lock-ahead")).toBeNull();
    expect(screen.queryByTestId("withdraw-pledge")).toBeNull();
    expect(options()).toEqual(["at least 2 people", "at least 5 people"]);
    fireEvent.change(screen.getByTestId("change-support"), { target: { value: "0.2" } });
    expect(screen.getByTestId("change-support-error").textContent).toMatch(
      /^Final lock: your support request can only go down, to 0\.1\sETH at most\.$/,
    );
    expect((screen.getByTestId("change-submit") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByTestId("change-support"), { target: { value: "0.05" } });
    expect(screen.queryByTestId("change-support-error")).toBeNull();
    expect((screen.getByTestId("change-submit") as HTMLButtonElement).disabled).toBe(false);
    cleanup();
    show("fr");
    expect(screen.getByTestId("pledge-lock").textContent).toMatch(
      /^Le verrou final a commencé le .+\u202f: jusqu’à la date limite, vous pouvez baisser votre seuil ou votre soutien, mais plus retirer cet engagement ni le relever\.$/,
    );
  });

  it("a change the relayer queued then refused shows the refusal only, not 'Sent; waiting…' beside it", async () => {
    sent.pledge = async (_r, _t, events) => {
      events.onQueued();
      throw new RelayerError("FINAL_LOCK_ACTIVE", { en: "The final lock holds.", fr: "Le verrou final tient." }, 200);
    };
    show();
    fireEvent.change(screen.getByTestId("change-level"), { target: { value: "1" } });
    fireEvent.click(screen.getByTestId("change-submit"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("The final lock holds."));
    expect(screen.queryByTestId("receipt-status")).toBeNull();
    expect(screen.queryByText("Sent; waiting to be recorded on-chain…")).toBeNull();
  });
});

describe("ReceiptPage: how far one's own threshold is (issue 19, also seen)", () => {
  const NB = "\u202f";
  const at = (below: bigint, same: bigint, above: bigint) => {
    s.params.ladder = [10, 1000, 2000];
    live.tallies = { counts: [below, same, above], requested: [0n, 0n, 0n], donated: [0n, 0n, 0n] };
  };
  const progress = () => screen.getByTestId("pledge-progress").textContent;

  it("counts the pledges with this threshold or a lower one, at 0, 1 and many (EN, FR)", () => {
    const cases: [bigint, bigint, string, string][] = [
      [
        0n,
        0n,
        "None of the 1,000 you chose has pledged yet, counting those with your threshold or a lower one.",
        `Personne ne s’est encore engagé pour votre seuil de 1${NB}000, en comptant celles qui ont un seuil plus bas.`,
      ],
      [
        0n,
        1n,
        "1 of the 1,000 you chose has pledged, counting those with your threshold or a lower one.",
        `1 personne s’est engagée pour votre seuil de 1${NB}000, en comptant celles qui ont un seuil plus bas.`,
      ],
      [
        26n,
        900n,
        "926 of the 1,000 you chose have pledged, counting those with your threshold or a lower one.",
        `926 personnes se sont engagées pour votre seuil de 1${NB}000, en comptant celles qui ont un seuil plus bas.`,
      ],
    ];
    for (const [below, same, en, fr] of cases) {
      // pledges with a higher threshold (2,000) do not count towards 1,000
      at(below, same, 500n);
      show();
      expect(progress()).toBe(en);
      cleanup();
      show("fr");
      expect(progress()).toBe(fr);
      cleanup();
    }
  });

  it("says the number is reached once it is (EN, FR)", () => {
    at(100n, 1100n, 0n);
    show();
    expect(progress()).toBe(
      "Your number is reached: 1,200 people have pledged with your threshold of 1,000 or a lower one.",
    );
    cleanup();
    show("fr");
    expect(progress()).toBe(
      `Votre nombre est atteint${NB}: 1${NB}200 personnes se sont engagées avec votre seuil de 1${NB}000 ou un seuil plus bas.`,
    );
  });
});

describe("ReceiptPage: changing only the support request (issue 19, also seen)", () => {
  it("sends the new support with the threshold kept, without choosing it again", async () => {
    const calls: unknown[] = [];
    sent.pledge = async (_r, t) => {
      calls.push(t);
      return undefined;
    };
    show();
    expect((screen.getByTestId("change-level") as HTMLSelectElement).value).toBe("2");
    fireEvent.change(screen.getByTestId("change-support"), { target: { value: "0.25" } });
    const submit = screen.getByTestId("change-submit") as HTMLButtonElement;
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await waitFor(() => expect(calls).toEqual([{ level: 2, support: 25n * 10n ** 16n, condition: 0 }]));
  });
});

describe("ReceiptPage: a striker not on the published attendance list (issue 19, also seen)", () => {
  const before = { ...record };
  const liveBefore = { ...live };
  beforeEach(() => {
    Object.assign(live, {
      phase: 2,
      tippingLevel: 2,
      boundCondition: 0,
      boundConditionLevel: 2,
      triggeredDonations: 10n ** 18n,
      requestedSupport: 10n ** 17n,
      participationRoot: `0x${"ab".repeat(32)}`,
      claimEnd: BigInt(now + 30 * 86_400),
    });
    s.params.oracle = "0x00000000000000000000000000000000000000AA";
    Object.assign(record, { entitlement: 2, amount: 10n ** 17n, claimable: 10n ** 17n });
  });
  afterEach(() => {
    Object.assign(record, before);
    Object.assign(live, liveBefore);
    s.params.oracle = "0x0000000000000000000000000000000000000000";
    proofAnswer.data = undefined;
  });
  const claimButton = () => screen.getByRole("button", { name: /claim/i }) as HTMLButtonElement;

  it("is told plainly, before any click, that the receipt is not on the list, and offered no claim (EN, FR)", () => {
    proofAnswer.data = null; // the relayer answered 404
    show();
    expect(screen.getByTestId("claimable").textContent).toMatch(
      /^The list of those who took part is published, and this receipt is not on it: the support of 0\.1\sETH cannot be paid to it\. If you did take part, ask the organisers now whether your check-in was recorded\.$/,
    );
    expect(screen.queryByText(/If you are on it/)).toBeNull();
    expect(claimButton().disabled).toBe(true);
    cleanup();
    show("fr");
    expect(screen.getByTestId("claimable").textContent).toMatch(
      /^La liste des participant·es est publiée, et ce reçu n’y figure pas\u202f: le soutien de 0,1\sETH ne peut pas lui être versé\./,
    );
  });

  it("is told they are on it when the relayer has their proof", () => {
    proofAnswer.data = { root: `0x${"ab".repeat(32)}`, proof: [] };
    show();
    expect(screen.getByTestId("claimable").textContent).toMatch(
      /^You are on the list of those who took part: you can claim 0\.1\sETH until .+\. The proof is attached for you\.$/,
    );
  });

  it("keeps the cautious sentence while the relayer has not answered", () => {
    show();
    expect(screen.getByTestId("claimable").textContent).toMatch(
      /^The list of those who took part is published\. If you are on it/,
    );
  });
});
