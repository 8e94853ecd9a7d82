import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n/i18n.tsx";
import { Chart } from "./Chart.tsx";

afterEach(cleanup);

describe("Chart", () => {
  it("colours levels at or below the tipping level as committed, the others as pending", () => {
    const { container } = render(
      <I18nProvider initial="en">
        <Chart ladder={[2, 5, 10, 20]} counts={[3n, 4n, 1n, 2n]} tippingLevel={2} />
      </I18nProvider>,
    );
    expect(container.querySelectorAll("rect.bar.committed")).toHaveLength(2);
    expect(container.querySelectorAll("rect.bar.pending")).toHaveLength(2);
    // the tipping point is marked on the cumulative curve; levels short of the diagonal are hollow
    expect(container.querySelectorAll("circle.point.tip")).toHaveLength(1);
    expect(container.querySelectorAll("circle.point.short")).toHaveLength(2);
  });

  it("gives screen readers the data as a table, with cumulative counts", () => {
    render(
      <I18nProvider initial="fr">
        <Chart ladder={[2, 5]} counts={[3n, 4n]} tippingLevel={2} />
      </I18nProvider>,
    );
    const rows = screen.getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[2].textContent).toContain("5 personnes");
    expect(rows[2].textContent).toContain("7");
    expect(screen.getAllByRole("img")[0].getAttribute("aria-labelledby")).toBeTruthy();
  });

  it("announces new pledges as they arrive", () => {
    const ui = (counts: bigint[]) => (
      <I18nProvider initial="en">
        <Chart ladder={[2, 5]} counts={counts} tippingLevel={0} />
      </I18nProvider>
    );
    const { rerender, container } = render(ui([1n, 0n]));
    rerender(ui([1n, 3n]));
    expect(container.querySelector("[aria-live]")!.textContent).toBe("+3");
  });
});
