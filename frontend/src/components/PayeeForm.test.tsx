/** The claim form refuses payees where the support would be lost (issue 19, item 4), in EN and FR. */
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { zeroAddress } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import { PayeeForm } from "./PayeeForm.tsx";

afterEach(cleanup);

const known = {
  campaign: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  factory: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  token: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
  pledgeKey: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
} as const;
const wallet = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

function show(lang: Lang = "en") {
  const onClaim = vi.fn();
  render(
    <I18nProvider initial={lang}>
      <PayeeForm known={known} disabled={false} onClaim={onClaim} />
    </I18nProvider>,
  );
  const type = (v: string) => fireEvent.change(screen.getByTestId("payee"), { target: { value: v } });
  return { onClaim, type, button: () => screen.getByTestId("claim-submit") as HTMLButtonElement };
}

describe("PayeeForm", () => {
  it("refuses address zero with the reason, and sends nothing (EN, FR)", () => {
    const { onClaim, type, button } = show("en");
    type(zeroAddress);
    expect(screen.getByTestId("payee-error").textContent).toBe(
      "This address burns what it receives: the support would be lost for good. Enter the address of a wallet you hold.",
    );
    expect(button().disabled).toBe(true);
    fireEvent.submit(button().closest("form")!);
    expect(onClaim).not.toHaveBeenCalled();
    cleanup();
    show("fr").type(zeroAddress);
    expect(screen.getByTestId("payee-error").textContent).toBe(
      "Cette adresse détruit ce qu’elle reçoit\u202f: le soutien serait perdu pour de bon. Saisissez l’adresse d’un portefeuille que vous détenez.",
    );
  });

  it.each([
    [known.campaign, "errors.payeeCampaign"],
    [known.factory.toLowerCase(), "errors.payeeCampaign"],
    [known.token, "errors.payeeToken"],
    [known.pledgeKey, "errors.payeePledgeKey"],
    ["0x1234", "errors.address"],
  ])("refuses %s (%s)", (payee, problem) => {
    const { type, button } = show();
    type(payee);
    expect(screen.getByTestId("payee-error").dataset.problem).toBe(problem);
    expect(button().disabled).toBe(true);
  });

  it("claims to a wallet's address, checksummed", () => {
    const { onClaim, type, button } = show();
    expect(button().disabled).toBe(true);
    type(wallet.toLowerCase());
    expect(screen.queryByTestId("payee-error")).toBeNull();
    expect(button().disabled).toBe(false);
    fireEvent.click(button());
    expect(onClaim).toHaveBeenCalledWith(wallet);
  });
});
