import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n/i18n.tsx";
import { nextTippingPoint } from "@bascule/core/model";
import { Chart, type ChartProps } from "./Chart.tsx";

afterEach(cleanup);

const NB = "\u202f";

function ui(props: ChartProps, lang: "en" | "fr" = "en") {
  return (
    <I18nProvider initial={lang}>
      <Chart {...props} />
    </I18nProvider>
  );
}

describe("Chart", () => {
  it("fills the thresholds at or below the tipping point, marks the next one, leaves the others pending", () => {
    // ladder 2,5,10,20; counts 3,4,1,2: C = 3,7,8,10; j* = 2 (7 >= 5), next = 10 (8 of 10)
    const ladder = [2, 5, 10, 20];
    const counts = [3n, 4n, 1n, 2n];
    const { container } = render(ui({ ladder, counts, tippingLevel: 2, next: nextTippingPoint(ladder, counts) }));
    const rungs = [...container.querySelectorAll("[data-testid=rung]")];
    expect(rungs.map((r) => r.className)).toEqual(["rung committed", "rung committed", "rung next", "rung pending"]);
    expect(rungs[2].textContent).toBe("10 people8 of 10 · 2 missingnext tipping point: 2 more");
    expect(screen.getByTestId("crowd-committed").textContent).toBe("7 would strike now");
    expect(screen.getByTestId("crowd-waiting").textContent).toBe("3 wait for a higher count");
  });

  it("marks the next tipping point the model names, the highest of tied lines, in words on its line", () => {
    // C(1,000) = 925 and C(2,000) = 1,925: both need 75; the 2,000 line is the one to mark (issue 19)
    const ladder = [500, 1000, 2000, 5000];
    const counts = [0n, 925n, 1000n, 0n];
    const { container } = render(ui({ ladder, counts, tippingLevel: 0, next: nextTippingPoint(ladder, counts) }, "fr"));
    const rungs = [...container.querySelectorAll("[data-testid=rung]")];
    expect(rungs.map((r) => r.className)).toEqual(["rung pending", "rung pending", "rung next", "rung pending"]);
    expect(screen.getAllByTestId("rung-next")).toHaveLength(1);
    expect(rungs[2].querySelector("[data-testid=rung-next]")!.textContent).toBe(`prochaine bascule${NB}: encore 75`);
    // and the table screen readers get says it too
    const rows = screen.getAllByRole("row");
    expect(rows[3].textContent).toContain(`prochaine bascule${NB}: encore 75`);
  });

  it("marks nothing once pledges are closed or without a next tipping point", () => {
    const { container } = render(
      ui({ ladder: [2, 5], counts: [3n, 1n], tippingLevel: 1, phase: "failed", next: null }),
    );
    expect(container.querySelectorAll(".rung.next")).toHaveLength(0);
    expect(screen.queryByTestId("rung-next")).toBeNull();
  });

  it("counts apart those at or below the tipping point whose support condition the fund cannot meet", () => {
    // the e2e campaign: C(5) = 7, but the two "all" pledges at threshold 2 are out: P = 5
    render(ui({ ladder: [2, 5, 10, 20], counts: [2n, 5n, 0n, 0n], tippingLevel: 2, committed: 5n }));
    expect(screen.getByTestId("crowd-committed").textContent).toBe("5 would strike now");
    expect(screen.getByTestId("crowd-uncovered").textContent).toBe("2 wait for their support to be covered");
    expect(screen.getByTestId("crowd-waiting").textContent).toBe("nobody waits for a higher count");
    cleanup();
    render(ui({ ladder: [2, 5], counts: [2n, 5n], tippingLevel: 2, committed: 6n, phase: "succeeded" }, "fr"));
    expect(screen.getByTestId("crowd-committed").textContent).toBe("6 tenues de faire grève");
    expect(screen.getByTestId("crowd-uncovered").textContent).toBe(`1 libérée${NB}: soutien pas assez couvert`);
    cleanup();
    // without conditions P = C(j*): nothing apart
    render(ui({ ladder: [2, 5], counts: [3n, 1n], tippingLevel: 1, committed: 3n }));
    expect(screen.queryByTestId("crowd-uncovered")).toBeNull();
  });

  it("speaks in the past once the campaign is resolved", () => {
    render(ui({ ladder: [2, 5], counts: [3n, 1n], tippingLevel: 1, phase: "succeeded" }, "fr"));
    expect(screen.getByText("Les engagements à la date limite")).toBeTruthy();
    expect(screen.getByTestId("crowd-committed").textContent).toBe("3 tenues de faire grève");
    expect(screen.getByTestId("crowd-waiting").textContent).toBe(`1 libérée${NB}: seuil non atteint`);
  });

  it("gives screen readers the same data as a table", () => {
    render(ui({ ladder: [2, 5], counts: [3n, 4n], tippingLevel: 2 }, "fr"));
    const rows = screen.getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect([...rows[2].querySelectorAll("th,td")].map((c) => c.textContent)).toEqual([
      "5 personnes",
      "4",
      "7 sur 5",
      "atteint",
    ]);
    expect(screen.getByTestId("chart-visual").getAttribute("aria-hidden")).toBe("true");
  });

  it("announces and highlights new pledges as they arrive", () => {
    const { rerender, container } = render(ui({ ladder: [2, 5], counts: [1n, 0n], tippingLevel: 0 }));
    rerender(ui({ ladder: [2, 5], counts: [1n, 3n], tippingLevel: 0 }));
    expect(screen.getByTestId("arrived").textContent).toBe("3 new pledges");
    expect(container.querySelectorAll(".rung.arrive")).toHaveLength(1);
  });

  describe("every sentence with a number, at 0, 1, 2 and 1,000", () => {
    const cases: { n: number; en: [string, string, string]; fr: [string, string, string] }[] = [
      {
        n: 0,
        en: ["Nobody has pledged yet", "nobody would strike now", "nobody waits for a higher count"],
        fr: [
          "Personne ne s’est encore engagé",
          "personne ne ferait grève maintenant",
          "personne n’attend un nombre plus grand",
        ],
      },
      {
        n: 1,
        en: ["1 person pledged", "1 would strike now", "1 waits for a higher count"],
        fr: ["1 personne engagée", "1 ferait grève maintenant", "1 attend un nombre plus grand"],
      },
      {
        n: 2,
        en: ["2 people pledged", "2 would strike now", "2 wait for a higher count"],
        fr: ["2 personnes engagées", "2 feraient grève maintenant", "2 attendent un nombre plus grand"],
      },
      {
        n: 1000,
        en: ["1,000 people pledged", "1,000 would strike now", "1,000 wait for a higher count"],
        fr: [
          `1${NB}000 personnes engagées`,
          `1${NB}000 feraient grève maintenant`,
          `1${NB}000 attendent un nombre plus grand`,
        ],
      },
    ];
    for (const c of cases) {
      for (const lang of ["en", "fr"] as const) {
        it(`${c.n} (${lang})`, () => {
          // n committed at threshold 1, n more waiting at threshold 1,000,000
          const committed = ui(
            { ladder: [1, 1_000_000], counts: [BigInt(c.n), 0n], tippingLevel: c.n > 0 ? 1 : 0 },
            lang,
          );
          const { container, unmount } = render(committed);
          const [total, now] = c[lang];
          expect(container.querySelector(".crowd-total")!.textContent).toBe(total);
          expect(screen.getByTestId("crowd-committed").textContent).toBe(now);
          unmount();
          render(ui({ ladder: [1_000_000], counts: [BigInt(c.n)], tippingLevel: 0 }, lang));
          expect(screen.getByTestId("crowd-waiting").textContent).toBe(c[lang][2]);
        });
      }
    }
  });
});
