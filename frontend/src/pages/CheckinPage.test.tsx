/**
 * The check-in page with files to merge (issue 20): a valid file merged with its count, a tampered
 * one and a bare list refused with what failed, in English and French; and a panel that fails to
 * render leaves the other two standing.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { Address, PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { CampaignStatic } from "../lib/types.ts";
import { attendanceCode } from "../lib/union.ts";
import { checkinFileText } from "../lib/checkinFile.ts";
import { CheckinPage } from "./CheckinPage.tsx";
import { TEST_CONFIG } from "../test/fixtures.ts";

const campaign = "0x00000000000000000000000000000000000000C1" as Address;
const actionDate = 1_800_000_000n;
const members = Array.from({ length: 3 }, () => privateKeyToAccount(generatePrivateKey()));
const s = {
  address: campaign,
  params: { actionDate },
  metadata: { title: "Grève du 1er mai" },
  organiser: "0x00000000000000000000000000000000000000Aa",
  union: {},
  createdAt: 1n,
} as unknown as CampaignStatic;

// Its own test: components/PublishPanel.test.tsx (it needs a wallet).
vi.mock("../components/PublishPanel.tsx", () => ({ PublishPanel: () => <section data-testid="publish-panel" /> }));
vi.mock("../hooks/useCampaign.ts", () => ({ useCampaign: () => ({ static: s, live: null, error: null }) }));
vi.mock("../hooks/usePledgedKeys.ts", () => ({
  usePledgedKeys: () => ({ data: new Set(members.map((m) => m.address.toLowerCase())) }),
}));
// When set, the export throws as it renders (as it could on data nobody foresaw).
const failExport = vi.hoisted(() => ({ on: false }));
vi.mock("../lib/checkinFile.ts", async (actual) => {
  const real = await actual<typeof import("../lib/checkinFile.ts")>();
  return {
    ...real,
    checkinFileText: (...args: Parameters<typeof real.checkinFileText>) => {
      if (failExport.on) throw new TypeError("Cannot read properties of undefined");
      return real.checkinFileText(...args);
    },
  };
});

const config = TEST_CONFIG;
const ctx = { campaign, chainId: config.chainId, actionDate };

beforeEach(() => {
  localStorage.clear();
  failExport.on = false;
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(cleanup);
afterEach(() => vi.restoreAllMocks());

function page(lang: Lang) {
  return render(
    <I18nProvider initial={lang}>
      <QueryClientProvider client={new QueryClient()}>
        <AppProvider config={config} client={{} as PublicClient}>
          <CheckinPage address={campaign} />
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
}

async function entries(n: number) {
  return Promise.all(
    members.slice(0, n).map(async (m) => ({
      code: await attendanceCode(m, campaign, config.chainId, actionDate),
      pledgeKey: m.address,
    })),
  );
}

function drop(files: [string, string][]) {
  fireEvent.change(screen.getByTestId("checkin-import"), {
    target: { files: files.map(([name, text]) => new File([text], name, { type: "application/json" })) },
  });
}

const said = () => screen.getAllByTestId("checkin-merge").map((p) => p.textContent);

describe("CheckinPage merging other scanners' files", () => {
  it("merges a valid file and refuses a tampered one and a bare list, saying why (EN)", async () => {
    const [a, b] = await entries(2);
    const tampered = JSON.parse(checkinFileText(ctx, [a, b])) as { entries: { code: string }[] };
    // One character of the second code's signature changed (still base64url, same length).
    const code = tampered.entries[1].code;
    tampered.entries[1].code = code.slice(0, 60) + (code[60] === "A" ? "B" : "A") + code.slice(61);
    page("en");
    drop([
      ["scanner-1.json", checkinFileText(ctx, [a, b])],
      ["scanner-2.json", JSON.stringify(tampered)],
      ["scanner-3.json", JSON.stringify([members[2].address])],
    ]);
    await waitFor(() => expect(screen.getAllByTestId("checkin-merge")).toHaveLength(3));
    expect(said()).toEqual([
      "scanner-1.json: merged, 2 new check-ins.",
      "scanner-2.json refused, nothing was merged: 1 code fails the check (1 altered or signed for another campaign or date). Ask the scanner to export it again, or check the codes one by one.",
      "scanner-3.json refused: it lists addresses without their attendance codes (a bare list, or a file from an earlier version), so nothing in it can be checked. Nothing was merged: ask the scanner to export it again from the check-in page.",
    ]);
    expect(screen.getByTestId("checkin-count").textContent).toBe("2 people checked in.");
    // The keeper's list is the verified entries' keys, never the bare list's.
    const href = screen.getByTestId("checkin-export").getAttribute("href")!;
    const exported = JSON.parse(decodeURIComponent(href.split(",").slice(1).join(","))) as { pledgeKeys: string[] };
    expect(exported.pledgeKeys).toEqual([a.pledgeKey, b.pledgeKey].sort());
    // Kept on the device with their codes, so a reload shows them.
    cleanup();
    page("en");
    expect(screen.getByTestId("checkin-count").textContent).toBe("2 people checked in.");
  });

  it("says it in French, counting what was already there", async () => {
    const [a, b, c] = await entries(3);
    page("fr");
    drop([["a.json", checkinFileText(ctx, [a])]]);
    await waitFor(() => expect(said()).toEqual(["a.json\u202f: fusionné, 1 nouveau pointage."]));
    drop([
      ["b.json", checkinFileText(ctx, [a, b, c])],
      ["a.json", checkinFileText(ctx, [a])],
      ["autre.json", checkinFileText({ ...ctx, actionDate: actionDate + 1n }, [a])],
    ]);
    await waitFor(() => expect(screen.getAllByTestId("checkin-merge")).toHaveLength(3));
    expect(said()).toEqual([
      "b.json\u202f: fusionné, 2 nouveaux pointages.",
      "a.json\u202f: fusionné, rien de nouveau (tous ses pointages étaient déjà là).",
      "autre.json refusé\u202f: ses codes sont pour une autre date d’action. Rien n’a été fusionné.",
    ]);
    expect(screen.getByTestId("checkin-count").textContent).toBe("3 personnes pointées.");
  });
});

describe("CheckinPage with a panel that fails", () => {
  it("keeps the scan and list panels when the files panel throws", () => {
    failExport.on = true;
    page("en");
    expect(screen.getAllByTestId("part-failed")).toHaveLength(1);
    expect(screen.queryByTestId("checkin-import")).toBeNull();
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Check-in");
    expect(screen.getByTestId("scan-start")).toBeTruthy();
    expect(screen.getByTestId("attendance-paste")).toBeTruthy();
    expect(screen.getByTestId("checkin-count").textContent).toBe("Nobody checked in yet.");
  });
});
