import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { CampaignStatic } from "../lib/types.ts";
import { ConditionPicker } from "./ConditionPicker.tsx";

afterEach(cleanup);

const s = {
  params: { conditions: [5_000, 10_000] },
  token: { address: "0x00000000000000000000000000000000000000e0", symbol: "EURC", decimals: 6 },
} as unknown as CampaignStatic;
const EUR = (n: number) => BigInt(Math.round(n * 1e6));

function Picker({
  lang = "en",
  lockedNew = false,
  frozen = false,
  start = 0,
}: {
  lang?: Lang;
  lockedNew?: boolean;
  frozen?: boolean;
  start?: number;
}) {
  const [value, setValue] = useState(start);
  return (
    <I18nProvider initial={lang}>
      <ConditionPicker
        s={s}
        support={EUR(75)}
        value={value}
        onChange={setValue}
        threshold={10_000}
        date={lang === "fr" ? "5 mai" : "5 May"}
        lockedNew={lockedNew}
        frozen={frozen}
      />
      <output data-testid="value">{value}</output>
    </I18nProvider>
  );
}

const radio = (k: number) => screen.getByTestId(`condition-${k}`) as HTMLInputElement;
const type = (text: string) => fireEvent.change(screen.getByTestId("condition-at-least"), { target: { value: text } });
const said = () => screen.getByTestId("condition-at-least-said").textContent;

describe("ConditionPicker", () => {
  it("offers no condition / at least half / all, and says the pledge's sentence and what it means", () => {
    render(<Picker />);
    expect([0, 1, 2].map((k) => radio(k).parentElement!.textContent)).toEqual([
      "No condition",
      "At least half of my request covered",
      "All of my request covered",
    ]);
    expect(screen.queryByTestId("condition-sentence")).toBeNull();
    fireEvent.click(radio(1));
    expect(screen.getByTestId("value").textContent).toBe("1");
    expect(screen.getByTestId("condition-sentence").textContent).toBe(
      "I strike on 5 May if 10,000 people do and if at least half of my day’s pay (€75.00) is covered.",
    );
    expect(screen.getByTestId("condition-beneath").textContent).toMatch(
      /^If the fund cannot cover that much, my pledge does not count and I am not bound\. .*: at least half\.$/,
    );
  });

  it("picks the smallest class that covers an 'at least' amount, and never one that gives less", () => {
    render(<Picker />);
    type("37,5");
    expect(screen.getByTestId("value").textContent).toBe("1");
    expect(radio(1).checked).toBe(true);
    expect(said()).toBe("Chosen: “At least half covered”. If your pledge counts, you receive at least €37.50.");
    type("37,51");
    expect(screen.getByTestId("value").textContent).toBe("2");
    expect(said()).toBe("Chosen: “All covered”. If your pledge counts, you receive at least €75.00.");
    type("0");
    expect(screen.getByTestId("value").textContent).toBe("0");
  });

  it("explains bad amounts without changing the choice: letters, negative, 1e9, above the request", () => {
    render(<Picker start={1} />);
    for (const bad of ["abc", "-5", "1e9"]) {
      type(bad);
      expect(said(), bad).toBe("Type an amount in figures, such as 37.50.");
      expect(screen.getByTestId("condition-at-least").getAttribute("aria-invalid")).toBe("true");
      expect(screen.getByTestId("value").textContent).toBe("1");
    }
    type("1000000000");
    expect(said()).toBe("It cannot be more than your request (€75.00): lower it, or ask for more support.");
    expect(screen.getByTestId("value").textContent).toBe("1");
  });

  it("in French, with French typography", () => {
    render(<Picker lang="fr" />);
    type("37,5");
    expect(said()).toBe(
      "Choisi\u202f: «\u202fAu moins la moitié couverte\u202f». Si votre engagement compte, vous recevez au moins 37,50\u00a0€.",
    );
    expect(screen.getByTestId("condition-sentence").textContent).toBe(
      "Je fais grève le 5 mai si 10\u202f000 personnes font de même et si au moins la moitié de ma journée de salaire (75,00\u00a0€) est couverte.",
    );
    type("1e9");
    expect(said()).toBe("Saisissez un montant en chiffres, par exemple 37,50.");
  });

  it("during the final lock, shows a new pledge's conditions disabled with the reason", () => {
    render(<Picker lockedNew />);
    expect(radio(0).disabled).toBe(false);
    expect(radio(1).disabled).toBe(true);
    expect(radio(2).disabled).toBe(true);
    expect(screen.getByTestId("condition-locked").textContent).toMatch(
      /^The final lock has begun: a new pledge can no longer have a condition/,
    );
    expect(screen.queryByTestId("condition-at-least")).toBeNull();
  });

  it("keeps a recorded condition frozen", () => {
    render(<Picker frozen start={2} />);
    expect([0, 1, 2].map((k) => radio(k).disabled)).toEqual([true, true, true]);
    expect(radio(2).checked).toBe(true);
  });
});
