/**
 * What the campaign page, the receipt and the donate panel say about a campaign's attester (issue 20),
 * in English and French: Bascule's verifier bound to this campaign, an account, a look-alike's verifier
 * (bound to another campaign), or a contract that cannot be checked (a 16-byte "always valid" one).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { type Address, type Hex, type PublicClient, zeroAddress } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { rsaVoucherVerifierDeployedBytecode } from "@bascule/core/generated/abis";
import { AppProvider } from "../hooks/app.tsx";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { DonatePanel } from "./DonatePanel.tsx";
import { GateNote } from "./GateNote.tsx";

vi.mock("../hooks/useDonations.ts", () => ({
  useDonate: () => ({ isConnected: false, address: undefined, donate: async () => "0x" }),
  useMyDonations: () => ({ donations: [], act: async () => {} }),
}));
vi.mock("./WalletButton.tsx", () => ({ WalletButton: () => <button type="button">wallet</button> }));

afterEach(cleanup);

const campaign = "0x00000000000000000000000000000000000000C1" as Address;
const elsewhere = "0x00000000000000000000000000000000000000C2" as Address;
const organiser = "0x00000000000000000000000000000000000000Aa" as Address;
const attester = "0x00000000000000000000000000000000000A77e5" as Address;
const ALWAYS_VALID = "0x631626ba7e60e01b60005260206000f3" as Hex;
const MODULUS = `0x80${"00".repeat(254)}01` as Hex;

const staticOf = (a: Address = attester) =>
  ({
    address: campaign,
    organiser,
    params: {
      token: zeroAddress,
      pledgeDeadline: BigInt(Math.floor(Date.now() / 1000) + 14 * 86_400),
      finalLock: 0n,
      actionDate: BigInt(Math.floor(Date.now() / 1000) + 21 * 86_400),
      oracleWindow: 0n,
      claimWindow: 30n * 86_400n,
      supportCap: 10n ** 18n,
      conditions: [],
      attester: a,
      oracle: zeroAddress,
      metadataHash: `0x${"00".repeat(32)}`,
      ladder: [2, 5, 10],
    },
    metadataURI: "data:application/json,{}",
    metadata: null,
    metadataOmitted: [],
    metadataCheck: "ok",
    union: {},
    token: { address: zeroAddress, symbol: "ETH", decimals: 18 },
    createdAt: 1n,
  }) as unknown as CampaignStatic;

const KEEPER = "0x00000000000000000000000000000000000Cee9e" as Address;

const live = { phase: 1, tallies: { counts: [0n, 0n, 0n], requested: [0n, 0n, 0n], donated: [0n, 0n, 0n] } };

/** A chain where the attester has `code`, and, if it is a verifier, is bound to `boundTo`. */
function chain(code: Hex, boundTo: Address = campaign): PublicClient {
  return {
    getCode: async () => code,
    readContract: async ({ functionName }: { functionName: string }) => {
      if (functionName === "campaign") return boundTo;
      if (functionName === "modulus") return MODULUS;
      if (functionName === "exponent") return 3n;
      throw new Error(functionName);
    },
  } as unknown as PublicClient;
}

function show(client: PublicClient, lang: Lang, ui: ReactNode) {
  const config = {
    chainId: 31337,
    chainName: "local",
    rpcUrl: "/rpc",
    factory: zeroAddress,
    fromBlock: "0",
    relayerUrl: "",
    listMinPledges: 3,
    keeperAddress: KEEPER,
  };
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

const settled = async () => {
  await waitFor(() => expect(screen.getByTestId("gate-attester").dataset.gate).not.toBe("checking"));
  return screen.getByTestId("gate-attester");
};

describe("GateNote: what the attester is", () => {
  it("says a contract it cannot check may accept anyone, as a warning (EN, FR)", async () => {
    show(chain(ALWAYS_VALID), "en", <GateNote s={staticOf()} />);
    const line = await settled();
    expect(line.dataset.gate).toBe("unchecked");
    expect(line.getAttribute("role")).toBe("alert");
    expect(line.textContent).toMatch(
      /^Warning: the attester 0x.* is a contract we cannot check\. It may accept anyone/,
    );
    cleanup();
    show(chain(ALWAYS_VALID), "fr", <GateNote s={staticOf()} />);
    expect((await settled()).textContent).toMatch(
      /^Attention\u202f: l’attestateur 0x.* est un contrat que nous ne pouvons pas vérifier/,
    );
  });

  it("says Bascule's verifier bound to this campaign is checked (EN, FR)", async () => {
    show(chain(rsaVoucherVerifierDeployedBytecode), "en", <GateNote s={staticOf()} />);
    const line = await settled();
    expect(line.dataset.gate).toBe("verified");
    expect(line.getAttribute("role")).toBe(null);
    expect(line.textContent).toContain("Each pledge needs an invite code from the union. Its code checker");
    expect(line.textContent).toContain(
      "is Bascule's own (its program checked here) and works for this campaign only: a code counts here and nowhere else.",
    );
    cleanup();
    show(chain(rsaVoucherVerifierDeployedBytecode), "fr", <GateNote s={staticOf()} />);
    expect((await settled()).textContent).toContain(
      "est celui de Bascule (son programme est vérifié ici) et ne sert que pour cette campagne\u202f: un code compte ici et nulle part ailleurs.",
    );
  });

  it("says loudly that the union's verifier bound to another campaign makes this one a look-alike (EN, FR)", async () => {
    show(chain(rsaVoucherVerifierDeployedBytecode, elsewhere), "en", <GateNote s={staticOf()} />);
    const line = await settled();
    expect(line.dataset.gate).toBe("look-alike");
    expect(line.getAttribute("role")).toBe("alert");
    expect(line.textContent).toMatch(
      /^Warning, look-alike: .* bound to another campaign \(0x.*\)\. No voucher can count here\. Do not enter an invite code/,
    );
    cleanup();
    show(chain(rsaVoucherVerifierDeployedBytecode, elsewhere), "fr", <GateNote s={staticOf()} />);
    expect((await settled()).textContent).toMatch(
      /^Attention, imitation\u202f: .* Ne saisissez pas de code d’invitation sur cette page/,
    );
  });

  it("says an account decides who pledges, and when it is the organiser's own", async () => {
    show(chain("0x"), "en", <GateNote s={staticOf()} />);
    expect((await settled()).textContent).toMatch(
      /^Each pledge needs a voucher signed by the account 0x.*whoever holds its key decides/,
    );
    cleanup();
    show(chain("0x"), "fr", <GateNote s={staticOf(organiser)} />);
    expect((await settled()).textContent).toMatch(
      /^Chaque engagement demande un aval signé par le compte de l’organisateur lui-même/,
    );
  });
});

describe("DonatePanel: the warning a donor sees before connecting a wallet or signing", () => {
  const panel = (client: PublicClient, lang: Lang) =>
    show(client, lang, <DonatePanel s={staticOf()} live={live as unknown as CampaignLive} />);

  it("warns before a donation to a campaign whose gate cannot be checked (EN, FR)", async () => {
    panel(chain(ALWAYS_VALID), "en");
    await waitFor(() =>
      expect(screen.getByTestId("donate-gate-warning").textContent).toMatch(
        /^Before you donate: this campaign's attester 0x.* is a contract we cannot check\. It may accept anyone, so the support you give may be paid to throw-away keys/,
      ),
    );
    expect(screen.getByTestId("donate-gate-warning").getAttribute("role")).toBe("alert");
    cleanup();
    panel(chain(ALWAYS_VALID), "fr");
    await waitFor(() =>
      expect(screen.getByTestId("donate-gate-warning").textContent).toMatch(
        /^Avant de donner\u202f: l’attestateur de cette campagne/,
      ),
    );
  });

  it("warns before a donation to a look-alike (EN, FR), and says nothing for a verified gate", async () => {
    panel(chain(rsaVoucherVerifierDeployedBytecode, elsewhere), "en");
    await waitFor(() =>
      expect(screen.getByTestId("donate-gate-warning").textContent).toMatch(
        /^Before you donate: this campaign is a look-alike/,
      ),
    );
    cleanup();
    panel(chain(rsaVoucherVerifierDeployedBytecode, elsewhere), "fr");
    await waitFor(() =>
      expect(screen.getByTestId("donate-gate-warning").textContent).toMatch(
        /^Avant de donner\u202f: cette campagne est une imitation/,
      ),
    );
    cleanup();
    const client = chain(rsaVoucherVerifierDeployedBytecode);
    const read = vi.spyOn(client, "readContract");
    panel(client, "en");
    await waitFor(() => expect(read).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId("donate-gate-warning")).toBe(null);
  });
});

describe("GateNote: who confirms presence, by name (issue 19, item 9)", () => {
  const withOracle = (oracle: Address, organiserName?: string) => {
    const s = staticOf();
    return {
      ...s,
      params: { ...s.params, oracle },
      union: organiserName ? { organiserName } : {},
    } as unknown as CampaignStatic;
  };
  const oracleLine = () => screen.getByTestId("gate-note").querySelectorAll("p")[1];

  it("names the union's publishing service, not its account, the account one tap away (EN, FR)", async () => {
    show(chain(rsaVoucherVerifierDeployedBytecode), "en", <GateNote s={withOracle(KEEPER)} />);
    await settled();
    expect(oracleLine().textContent).toBe(
      "Support is paid only to the people whose presence the union’s publishing service Show the account confirms after the action.",
    );
    cleanup();
    show(chain(rsaVoucherVerifierDeployedBytecode), "fr", <GateNote s={withOracle(KEEPER)} />);
    await settled();
    expect(oracleLine().textContent).toContain("dont le service de publication du syndicat");
    expect(oracleLine().textContent).not.toContain("oracle");
  });

  it("names the organiser when it confirms presence itself, and shows an unknown oracle's account", async () => {
    show(chain(rsaVoucherVerifierDeployedBytecode), "en", <GateNote s={withOracle(organiser, "SUD-Rail Lyon")} />);
    await settled();
    expect(oracleLine().textContent).toContain("whose presence SUD-Rail Lyon");
    cleanup();
    show(chain(rsaVoucherVerifierDeployedBytecode), "en", <GateNote s={withOracle(elsewhere)} />);
    await settled();
    expect(oracleLine().textContent).toContain("0x0000…00C2");
  });
});
