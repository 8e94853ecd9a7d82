import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../i18n/i18n.tsx";
import { LevelSelect } from "./LevelSelect.tsx";

afterEach(cleanup);

describe("LevelSelect", () => {
  it("offers every level of the ladder, counted from 1, and reports the one chosen", () => {
    const onChange = vi.fn();
    render(
      <I18nProvider initial="en">
        <LevelSelect ladder={[2, 5, 10]} value={1} onChange={onChange} testId="level" />
      </I18nProvider>,
    );
    const select = screen.getByTestId("level") as HTMLSelectElement;
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ["1", "at least 2 people"],
      ["2", "at least 5 people"],
      ["3", "at least 10 people"],
    ]);
    fireEvent.change(select, { target: { value: "3" } });
    expect(onChange).toHaveBeenCalledWith(3);
  });

  it("starts on a disabled placeholder when none is chosen yet", () => {
    render(
      <I18nProvider initial="fr">
        <LevelSelect ladder={[2]} value={0} onChange={() => {}} placeholder="choisissez" required testId="level" />
      </I18nProvider>,
    );
    const select = screen.getByTestId("level") as HTMLSelectElement;
    expect(select.required).toBe(true);
    expect(select.options[0]).toMatchObject({ value: "0", disabled: true, selected: true, textContent: "choisissez" });
    expect(select.options[1].textContent).toBe("au moins 2 personnes");
  });
});
