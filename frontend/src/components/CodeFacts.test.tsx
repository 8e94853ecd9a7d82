import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { type Address, type Hex, type PublicClient, concat, keccak256, numberToHex, toHex } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { CAMPAIGN_ARGS_HEAD_SIZE, CAMPAIGN_ARGS_LAYOUT, erc1167Proxy } from "@bascule/core/clone";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import { en, fr } from "../i18n/messages/verify-code.ts";
import { codeLinks } from "../lib/explorers.ts";
import { CodeFacts } from "./CodeFacts.tsx";

afterEach(cleanup);

const campaign = "0x00000000000000000000000000000000000000c1" as Address;
const factory = "0x00000000000000000000000000000000000000f1" as Address;
const implementation = "0x00000000000000000000000000000000000001e1" as Address;
const organiser = "0x00000000000000000000000000000000000000aa" as Address;
/** The campaign's parameters; any field the layout gained since (e.g. finalLock) is zero. */
const params = withLayoutDefaults({
  token: "0x0000000000000000000000000000000000000000" as Address,
  attester: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as Address,
  oracle: "0x0000000000000000000000000000000000000000" as Address,
  pledgeDeadline: 2_000_000_000n,
  finalLock: 86_400n,
  actionDate: 2_000_100_000n,
  oracleWindow: 0n,
  claimWindow: 86_400n,
  supportCap: 10n,
  metadataHash: keccak256(toHex("Grève")),
  ladder: [2, 5],
});

function withLayoutDefaults<T extends Record<string, unknown>>(known: T): T {
  const filled: Record<string, unknown> = { ...known };
  for (const f of CAMPAIGN_ARGS_LAYOUT)
    if (f.name !== "organiser" && !(f.name in filled))
      filled[f.name] = f.type === "uint" ? 0n : `0x${"00".repeat(f.bytes)}`;
  return filled as T;
}
// Solidity-like metadata: a2 64 'ipfs' … then its length (0x0033 = 51 bytes).
const METADATA = `0xa2646970667358221220${"ab".repeat(32)}64736f6c6343000825` as Hex;
const implementationCode = concat(["0x6080", METADATA, "0x0033"]);

function campaignCode(p = params, impl: Address = implementation): Hex {
  const values: Record<string, unknown> = { ...p, organiser };
  const head = CAMPAIGN_ARGS_LAYOUT.map((f) =>
    typeof values[f.name] === "bigint"
      ? numberToHex(values[f.name] as bigint, { size: f.bytes })
      : (values[f.name] as Hex),
  );
  return concat([erc1167Proxy(impl), ...head, ...p.ladder.map((l) => numberToHex(l, { size: 4 }))]);
}

function fakeClient(options: { code: Hex; listed: boolean }): PublicClient {
  return {
    getCode: async ({ address }: { address: Address }) =>
      address === implementation ? implementationCode : options.code,
    readContract: async ({ functionName }: { functionName: string }) => {
      if (functionName === "implementation") return implementation;
      if (functionName === "isCampaign") return options.listed;
      if (functionName === "parameters") return [params, organiser];
      throw new Error(functionName);
    },
    // The paged log reader's JSON-RPC (the campaign's creation lookup): an empty chain here.
    request: async ({ method }: { method: string }) => (method === "eth_blockNumber" ? "0x1" : []),
    multicall: async () => [],
  } as unknown as PublicClient;
}

function renderFacts(client: PublicClient, chainId = 31337, lang: "en" | "fr" = "en") {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const config = {
    chainId,
    chainName: "local",
    rpcUrl: "/rpc",
    factory,
    fromBlock: "0",
    relayerUrl: "",
    listMinPledges: 3,
  };
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <I18nProvider initial={lang}>
      <QueryClientProvider client={queryClient}>
        <AppProvider config={config} client={client}>
          {children}
        </AppProvider>
      </QueryClientProvider>
    </I18nProvider>
  );
  return render(<CodeFacts address={campaign} />, { wrapper: Wrapper });
}

describe("CodeFacts", () => {
  it("shows the three facts of an honest campaign, and says a local chain has no explorer", async () => {
    renderFacts(fakeClient({ code: campaignCode(), listed: true }));
    await waitFor(() =>
      expect(screen.getByTestId("code-facts-params").textContent).toContain("decode to exactly the parameters"),
    );
    expect(screen.getByTestId("code-facts").textContent).toContain(implementation);
    expect(screen.getByTestId("code-facts").textContent).toContain(METADATA);
    expect(screen.getByTestId("code-facts-proxy").textContent).toMatch(/^✔ .*45-byte ERC-1167 proxy/);
    expect(screen.getByTestId("code-facts-listed").textContent).toMatch(/^✔ The factory lists this campaign/);
    expect(screen.getByTestId("code-facts-params").textContent).toMatch(
      new RegExp(`^✔ The ${CAMPAIGN_ARGS_HEAD_SIZE + 2 * 4} bytes after the proxy`),
    );
    expect(screen.getByTestId("code-facts-local").textContent).toContain(`npm run verify:campaign-code -- ${campaign}`);
    expect(screen.queryAllByRole("link")).toHaveLength(0);
  });

  it("shows dates in the page's language and lengths of time in words, the raw value one tap away (EN, FR)", async () => {
    renderFacts(fakeClient({ code: campaignCode(), listed: true }));
    const deadline = await screen.findByTestId("param-pledgeDeadline");
    const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" }).format(
      new Date(2_000_000_000_000),
    );
    expect(deadline.textContent).toMatch(new RegExp(`^Pledge deadline${when}`));
    expect(deadline.querySelector("summary")!.textContent).toBe(when);
    expect(deadline.querySelector("details code")!.textContent).toBe("pledgeDeadline = 2000000000");
    expect(deadline.querySelector("details")!.open).toBe(false);
    expect(screen.getByTestId("param-finalLock").querySelector("summary")!.textContent).toBe("1 day");
    expect(screen.getByTestId("param-claimWindow").querySelector("summary")!.textContent).toBe("1 day");
    expect(screen.getByTestId("param-oracleWindow").querySelector("summary")!.textContent).toBe("none");
    expect(screen.getByTestId("param-oracle").querySelector("summary")!.textContent).toBe("none");
    expect(screen.getByTestId("param-token").querySelector("summary")!.textContent).toMatch(/^ETH/);
    expect(screen.getByTestId("param-ladder").querySelector("summary")!.textContent).toBe("2 · 5 people");
    // an address is shown as it is: nothing to tap
    expect(screen.getByTestId("param-attester").querySelector("details")).toBeNull();
    expect(screen.getByTestId("code-facts").textContent).not.toMatch(/pledgeDeadline\s*2000000000/);
    cleanup();
    renderFacts(fakeClient({ code: campaignCode(), listed: true }), 31337, "fr");
    const fr = await screen.findByTestId("param-pledgeDeadline");
    expect(fr.querySelector("th")!.textContent).toBe("Date limite des engagements");
    expect(fr.querySelector("summary")!.textContent).toBe(
      new Intl.DateTimeFormat("fr-FR", { dateStyle: "medium", timeStyle: "short" }).format(new Date(2_000_000_000_000)),
    );
    expect(screen.getByTestId("param-finalLock").querySelector("summary")!.textContent).toBe("1\u00a0jour");
    expect(screen.getByTestId("param-oracleWindow").querySelector("summary")!.textContent).toBe("aucun");
  });

  it("reads the support cap in the campaign's currency and conditions in percent", async () => {
    const p = { ...params, supportCap: 150_000_000n, condition1: 5_000n };
    const client = fakeClient({ code: campaignCode(p), listed: true });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const config = {
      chainId: 31337,
      chainName: "local",
      rpcUrl: "/rpc",
      factory,
      fromBlock: "0",
      relayerUrl: "",
      listMinPledges: 3,
    };
    render(
      <I18nProvider initial="en">
        <QueryClientProvider client={queryClient}>
          <AppProvider config={config} client={client}>
            <CodeFacts address={campaign} token={{ decimals: 6, symbol: "EURC" }} />
          </AppProvider>
        </QueryClientProvider>
      </I18nProvider>,
    );
    const cap = await screen.findByTestId("param-supportCap");
    expect(cap.querySelector("summary")!.textContent).toBe("€150.00");
    expect(cap.querySelector("details code")!.textContent).toBe("supportCap = 150000000");
    expect(screen.getByTestId("param-condition1").querySelector("summary")!.textContent).toBe("50%");
    expect(screen.getByTestId("param-condition2").querySelector("summary")!.textContent).toBe("none");
  });

  it("warns about a look-alike the factory did not create", async () => {
    renderFacts(fakeClient({ code: campaignCode(), listed: false }));
    await waitFor(() => expect(screen.getByTestId("code-facts-listed").textContent).toMatch(/^✘ .*look-alike/));
  });

  it("flags a proxy to another implementation", async () => {
    const rogue = "0x000000000000000000000000000000000000dEaD" as Address;
    renderFacts(fakeClient({ code: campaignCode(params, rogue), listed: false }));
    await waitFor(() =>
      expect(screen.getByTestId("code-facts-proxy").textContent).toMatch(
        /^✘ .*proxy to 0x000000000000000000000000000000000000dEaD/,
      ),
    );
    expect(screen.getByTestId("code-facts-params").textContent).toMatch(/^✘ /);
  });

  it("names the parameters the code and the campaign disagree on", async () => {
    renderFacts(fakeClient({ code: campaignCode({ ...params, supportCap: 11n, ladder: [2, 6] }), listed: true }));
    await waitFor(() =>
      expect(screen.getByTestId("code-facts-params").textContent).toMatch(/^✘ .*for: supportCap, ladder\./),
    );
  });

  it("links to Sourcify, Etherscan and Blockscout on a public chain, in French", async () => {
    renderFacts(fakeClient({ code: campaignCode(), listed: true }), 11155111, "fr");
    await waitFor(() => expect(screen.getByTestId("code-facts-params").textContent).toContain("donnent exactement"));
    const hrefs = screen.getAllByRole("link").map((a) => a.getAttribute("href"));
    expect(hrefs).toContain(`https://repo.sourcify.dev/11155111/${implementation}`);
    expect(hrefs).toContain(`https://sepolia.etherscan.io/address/${campaign}#code`);
    expect(hrefs).toContain(`https://eth-sepolia.blockscout.com/address/${implementation}?tab=contract`);
    expect(screen.queryByTestId("code-facts-local")).toBeNull();
  });

  it("has no explorer link on a local chain, Sourcify only where no other explorer is known", () => {
    expect(codeLinks(31337, campaign)).toEqual([]);
    expect(codeLinks(1337, campaign)).toEqual([]);
    expect(codeLinks(999_999, campaign).map((l) => l.name)).toEqual(["Sourcify"]);
  });
});

describe("verify-code messages", () => {
  it("has every English message in French, with the same arguments", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    const args = (s: string) => [...s.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]).sort();
    for (const id of Object.keys(en) as (keyof typeof en)[]) expect(args(fr[id]), id).toEqual(args(en[id]));
  });
});
