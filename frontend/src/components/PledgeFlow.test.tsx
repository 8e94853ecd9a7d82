/**
 * A first pledge the relayer took is not reported as failed (issue 19, item 2): when the relayer stops
 * answering while the page waits, or a retry is told the pledge was already received or recorded, the
 * page reads the key's record on the chain and opens the receipt page once it shows; a relayer that
 * cannot be reached at all still offers the wallet.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { type Address, type PublicClient, zeroAddress } from "viem";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { CampaignStatic } from "../lib/types.ts";
import { PledgeFlow, RECORD_WAIT_MS } from "./PledgeFlow.tsx";

const navigate = vi.fn();
vi.mock("../router.ts", () => ({ navigate: (to: string) => navigate(to) }));
vi.mock("../hooks/useUnion.ts", () => ({ useUnion: () => ({ data: undefined }) }));
vi.mock("../hooks/useWallet.ts", () => ({ useWalletWrite: () => ({ isConnected: false, write: async () => "0x" }) }));
vi.mock("./WalletButton.tsx", () => ({ WalletButton: () => <p data-testid="wallet-button">No wallet found</p> }));
vi.mock("./ReceiptCard.tsx", () => ({ ReceiptCard: () => <p>receipt</p> }));

const campaign = "0x00000000000000000000000000000000000000C1" as Address;
const s = {
  address: campaign,
  params: { attester: "0x00000000000000000000000000000000000A77e5", ladder: [2, 5, 10], conditions: [] },
  token: { address: zeroAddress, symbol: "ETH", decimals: 18 },
} as unknown as CampaignStatic;

type Answer = { status: number; body?: unknown } | "down";
/** The relayer, as fetch sees it: each path's answers in turn (the last one repeats). */
function relayer(routes: Record<string, Answer[]>) {
  const calls: string[] = [];
  vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
    const path = new URL(url).pathname.replace(/^\/relayer/, "");
    const key = `${init?.method ?? "GET"} ${path.startsWith("/v1/requests/") ? "/v1/requests/:id" : path}`;
    calls.push(key);
    const list = routes[key] ?? ["down"];
    const answer = list.length > 1 ? list.shift()! : list[0];
    if (answer === "down") throw new TypeError("Failed to fetch");
    return new Response(JSON.stringify(answer.body ?? {}), {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  });
  return calls;
}
const refusal = (code: string) => ({
  status: 409,
  body: { error: { code, message: { en: `relayer says ${code}`, fr: `le relais dit ${code}` } } },
});

/** A chain where the key's record shows (nonce 1) from the `after`-th read on (never: Infinity). */
function chain(after: number) {
  let reads = 0;
  return {
    readContract: async () => ({
      level: 0,
      support: 0n,
      condition: 0,
      nonce: ++reads >= after ? 1 : 0,
      claimed: false,
    }),
    reads: () => reads,
  };
}

function show(client: ReturnType<typeof chain>) {
  const config = {
    chainId: 31337,
    chainName: "local",
    rpcUrl: "/rpc",
    factory: zeroAddress,
    fromBlock: "0",
    relayerUrl: "http://dapp.test/relayer",
    listMinPledges: 3,
  };
  render(
    <I18nProvider initial="en">
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <AppProvider config={config} client={client as unknown as PublicClient}>
          <PledgeFlow s={s} level={2} support={0n} condition={0} onCancel={() => {}} />
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>,
  );
  fireEvent.click(screen.getByTestId("saved-confirm"));
  fireEvent.click(screen.getByTestId("submit-pledge"));
}

beforeEach(() => {
  navigate.mockClear();
  localStorage.clear();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const accepted = { status: 202, body: { id: "req-1", status: "queued" } };

describe("PledgeFlow: a pledge the relayer took", () => {
  it("accepted, then the relayer stops answering: the chain is read and the receipt page opened, with no error", async () => {
    relayer({ "POST /v1/pledges": [accepted], "GET /v1/requests/:id": ["down"] });
    const c = chain(2);
    show(c);
    await waitFor(() => expect(navigate).toHaveBeenCalledWith(expect.stringMatching(/^\/my\/[0-9a-f]{16}$/)), {
      timeout: 10_000,
    });
    expect(c.reads()).toBeGreaterThanOrEqual(2);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByText(/cannot be reached/)).toBeNull();
    expect(screen.queryByTestId("wallet-button")).toBeNull();
  });

  it.each(["DUPLICATE_PLEDGE", "PLEDGE_ALREADY_RECORDED"])(
    "a retry told %s leads to the pledge, not to a red error",
    async (code) => {
      relayer({ "POST /v1/pledges": [refusal(code)] });
      show(chain(1));
      await waitFor(() => expect(navigate).toHaveBeenCalledWith(expect.stringMatching(/^\/my\//)));
      expect(screen.queryByText(`relayer says ${code}`)).toBeNull();
    },
  );

  it("says it is checking while the record does not show yet, then after a while says why and offers the wallet", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    relayer({ "POST /v1/pledges": [refusal("DUPLICATE_PLEDGE")] });
    show(chain(Infinity));
    expect((await screen.findByTestId("pledge-checking")).textContent).toBe(
      "The relayer has your pledge; checking that it is recorded on the network…",
    );
    expect(screen.queryByTestId("wallet-button")).toBeNull();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(RECORD_WAIT_MS + 100);
    });
    expect(screen.getByRole("alert").textContent).toMatch(/^The relayer received your pledge, but it is not recorded/);
    expect(screen.getByTestId("wallet-button")).toBeTruthy();
    expect(screen.queryByTestId("pledge-checking")).toBeNull();
    expect(navigate).not.toHaveBeenCalled();
  });

  it("a relayer that cannot be reached at all still offers the wallet, and a later record opens the pledge", async () => {
    relayer({ "POST /v1/pledges": ["down"] });
    const c = chain(3);
    show(c);
    expect((await screen.findByRole("alert")).textContent).toMatch(/cannot be reached/);
    expect(screen.getByTestId("wallet-button")).toBeTruthy();
    await waitFor(() => expect(navigate).toHaveBeenCalled(), { timeout: 10_000 });
  });

  it("a refusal is shown as the relayer's, and the chain is not watched", async () => {
    relayer({ "POST /v1/pledges": [refusal("PLEDGE_DEADLINE_PASSED")] });
    const c = chain(1);
    show(c);
    expect((await screen.findByText("relayer says PLEDGE_DEADLINE_PASSED")).textContent).toBeTruthy();
    await new Promise((r) => setTimeout(r, 2000));
    expect(c.reads()).toBe(0);
    expect(navigate).not.toHaveBeenCalled();
  });
});
