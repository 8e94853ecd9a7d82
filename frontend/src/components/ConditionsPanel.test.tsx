import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { ConditionsPanel } from "./ConditionsPanel.tsx";

afterEach(cleanup);

const EUR = (n: number) => BigInt(n) * 1_000_000n;
const s = {
  params: {
    ladder: [2, 5, 10, 20],
    conditions: [5_000, 10_000],
    pledgeDeadline: BigInt(Math.floor(Date.now() / 1000) + 86_400),
  },
  token: { address: "0x00000000000000000000000000000000000000e0", symbol: "EURC", decimals: 6 },
} as unknown as CampaignStatic;

/**
 * Threshold 2: two "all" pledges asking €150; threshold 5: four without condition (€100), two "at least
 * half" (€80 + €75), one "all" (€75); €150 donated at threshold 2. X(2) takes the block and the half
 * group (150 · 10,000 ≥ 5,000 · 255), then stops at the "all" group of threshold 2 (150 < 405):
 * P = 6, coverage 150 / 255; the half group could take 45 more (150 · 10,000 ≥ 5,000 · 300).
 */
const live = {
  phase: 1,
  chainOffset: 0,
  tallies: {
    counts: [2n, 7n, 0n, 0n],
    requested: [EUR(150), EUR(330), 0n, 0n],
    donated: [EUR(150), 0n, 0n, 0n],
    conditional: [
      { counts: [0n, 2n, 0n, 0n], requested: [0n, EUR(155), 0n, 0n] },
      { counts: [2n, 1n, 0n, 0n], requested: [EUR(150), EUR(75), 0n, 0n] },
    ],
  },
} as unknown as CampaignLive;

const panel = (lang: Lang, l: CampaignLive = live) =>
  render(
    <I18nProvider initial={lang}>
      <ConditionsPanel s={s} live={l} />
    </I18nProvider>,
  );
const text = (id: string) => screen.getByTestId(id).textContent;

describe("ConditionsPanel", () => {
  it("shows per condition how many count now, the coverage, and each conditional group's slack", () => {
    panel("en");
    expect(text("conditions-coverage")).toBe("Coverage now: every counted request is covered at 58.8%.");
    expect(text("condition-row-0")).toBe("No condition — 4 count now, of 4 pledges.");
    expect(text("condition-row-1")).toBe("At least half covered — 2 count now, of 2 pledges.");
    expect(text("condition-row-2")).toBe("All covered — none counts now, of 3 pledges.");
    expect(text("bucket-2-1")).toBe(
      "At least half covered, threshold 5: 2 pledges, €155.00 requested. This group can take €45.00 more requests before it stops counting.",
    );
    expect(text("bucket-1-2")).toBe("All covered, threshold 2: 2 pledges, €150.00 requested. Does not count now.");
    expect(text("bucket-2-2")).toBe("All covered, threshold 5: 1 pledge, €75.00 requested. Does not count now.");
    expect(screen.queryByTestId("bucket-2-0")).toBeNull();
  });

  it("in French", () => {
    panel("fr");
    expect(text("conditions-coverage")).toMatch(
      /^Couverture en ce moment\u202f: chaque demande comptée est couverte à 58,8[\u00a0\u202f]%\.$/,
    );
    expect(text("condition-row-2")).toBe(
      "Toute la demande couverte — aucun ne compte en ce moment, sur 3 engagements.",
    );
    expect(text("bucket-2-1")).toBe(
      "Au moins la moitié couverte, seuil 5\u202f: 2 engagements, 155,00\u00a0€ demandés. Ce groupe peut encore recevoir 45,00\u00a0€ de demandes avant de ne plus compter.",
    );
  });

  it("says when nobody would be committed, and when nobody counted asks for support", () => {
    const none = {
      ...live,
      tallies: { ...live.tallies, counts: [0n, 0n, 0n, 0n], requested: [0n, 0n, 0n, 0n], conditional: [] },
    };
    panel("en", none as unknown as CampaignLive);
    expect(text("conditions-coverage")).toBe("Right now, no threshold is reached: nobody would be bound to strike.");
    expect(text("condition-row-1")).toBe("At least half covered — no pledge yet.");
    cleanup();
    const free = { ...none, tallies: { ...none.tallies, counts: [2n, 0n, 0n, 0n] } };
    panel("en", free as unknown as CampaignLive);
    expect(text("conditions-coverage")).toBe("Nobody counted asks for support yet.");
    expect(text("condition-row-0")).toBe("No condition — 2 count now, of 2 pledges.");
  });
});
