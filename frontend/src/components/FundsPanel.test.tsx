/**
 * The strike fund once the result is known (issue 19, also seen): where nobody asked for support it
 * says the donations go back instead of "released for the strikers"; "left over for the donors" is
 * what is still held for them, so it falls as they take it back.
 */
import { cleanup, render, screen } from "@testing-library/react";
import type { Resolution } from "@bascule/core/model";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { CampaignLive } from "../lib/types.ts";
import { testCampaign, testLive } from "../test/fixtures.ts";
import { FundsPanel } from "./FundsPanel.tsx";

afterEach(cleanup);

const ETH = 10n ** 18n;
const now = Math.floor(Date.now() / 1000);
const s = testCampaign("0x00000000000000000000000000000000000000C1", now - 30 * 86_400, {
  params: { supportCap: ETH },
});
const resolved = (over: Partial<CampaignLive>) =>
  testLive({ phase: 2, tippingLevel: 1, claimEnd: BigInt(now + 86_400), ...over } as Partial<CampaignLive>);
const result = (F: bigint, R: bigint) =>
  ({ tippingLevel: 1, triggeredDonations: F, requestedSupport: R, paid: F < R ? F : R }) as unknown as Resolution;

function show(live: CampaignLive, r: Resolution, lang: Lang = "en") {
  render(
    <I18nProvider initial={lang}>
      <FundsPanel s={s} live={live} result={r} />
    </I18nProvider>,
  );
}
const text = (id: string) => screen.getByTestId(id).textContent?.replace(/\s/g, " ");

describe("FundsPanel where nobody asked for support", () => {
  it("says the donations go back to the donors, not that they are released for the strikers (EN, FR)", () => {
    const live = resolved({ balance: ETH / 5n, triggeredDonations: ETH / 5n });
    show(live, result(ETH / 5n, 0n));
    expect(text("funds-no-support")).toBe(
      "Nobody bound to strike asked for support: no donation is paid out, each goes back to its donor, who takes it back from this page.",
    );
    expect(screen.queryByTestId("funds-triggered")).toBeNull();
    expect(screen.queryByText(/released for the strikers/)).toBeNull();
    expect(text("funds-surplus")).toBe("0.2 ETH");
    cleanup();
    show(live, result(ETH / 5n, 0n), "fr");
    expect(screen.getByTestId("funds-no-support").textContent).toBe(
      "Aucune personne tenue de faire grève n’a demandé de soutien\u202f: aucun don n’est versé, chacun revient à son donateur, qui le reprend depuis cette page.",
    );
  });
});

describe("FundsPanel: what is left over for the donors", () => {
  // 1 ETH released, 0.4 asked: 0.6 left over for the donors, 0.4 owed to the strikers.
  const r = result(ETH, (4n * ETH) / 10n);
  const surplus = (live: Partial<CampaignLive>) => {
    show(resolved(live), r);
    const v = text("funds-surplus");
    cleanup();
    return v;
  };

  it("falls as donors take theirs back, not as strikers are paid", () => {
    expect(surplus({ balance: ETH })).toBe("0.6 ETH");
    // a donor took 0.3 back
    expect(surplus({ balance: (7n * ETH) / 10n })).toBe("0.3 ETH");
    // then the strikers claimed their 0.4
    expect(surplus({ balance: (3n * ETH) / 10n, claimedTotal: (4n * ETH) / 10n })).toBe("0.3 ETH");
  });

  it("counts the support nobody claimed once claims are closed", () => {
    const closed = { claimEnd: BigInt(now - 60), claimedTotal: (3n * ETH) / 10n, balance: (4n * ETH) / 10n };
    expect(surplus(closed)).toBe("0.4 ETH");
    expect(surplus({ ...closed, claimEnd: BigInt(now + 3600) })).toBe("0.3 ETH");
  });
});
