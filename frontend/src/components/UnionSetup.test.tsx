/**
 * The create page's union section (issue 19, item 9): payout desks typed in a form, never JSON, each
 * checked before the wallet opens (a desk paid to the zero address burns support; two desks on one
 * account make a clerk's list wrong); invite codes need the service's address and token; what the
 * metadata then carries; names with the address one tap away. English and French.
 */
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { type Address, getAddress } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { embedMetadata, dataUriBytes, readMetadata } from "@bascule/core/metadata";
import { I18nProvider, translator } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import { unionMetadata } from "../lib/union.ts";
import { AccountName } from "./AccountName.tsx";
import { type UnionSetupValue, UnionSetup, checkUnionSetup, initialUnionSetup } from "./UnionSetup.tsx";

afterEach(cleanup);

/** Typed in lower case, as an officer may copy it: kept checksummed in the metadata. */
const DESK = "0x00000000000000000000000000000000000de5c1" as Address;
const KEEPER = "0x00000000000000000000000000000000000Cee9e" as Address;
const t = translator("en");
const tFr = translator("fr");
const desk = (over: Partial<UnionSetupValue["desks"][number]> = {}) => ({
  name: "Caisse de grève SUD-Rail",
  contact: "04 72 00 00 00",
  instructions: "Bring your desk slip and your IBAN.",
  address: DESK,
  ...over,
});
const value = (over: Partial<UnionSetupValue> = {}): UnionSetupValue => ({
  ...initialUnionSetup({ attesterUrl: "./attester" }),
  ...over,
});

describe("checkUnionSetup", () => {
  it("takes no desk and no codes: nothing to add to the metadata", () => {
    expect(checkUnionSetup(value(), t)).toEqual({ desks: [], organiserName: null, errors: {} });
  });

  it("turns typed desks into the metadata's entries, the one text of instructions in both languages", () => {
    const { desks, errors } = checkUnionSetup(value({ desks: [desk({ name: "  Caisse  " })] }), t);
    expect(errors).toEqual({});
    expect(desks).toEqual([
      {
        name: "Caisse",
        address: getAddress(DESK),
        contact: "04 72 00 00 00",
        instructions: { en: "Bring your desk slip and your IBAN.", fr: "Bring your desk slip and your IBAN." },
      },
    ]);
    // What the dApp reads back from the embedded description is that same desk, contact included.
    const { uri } = embedMetadata({
      title: "t",
      text: "",
      actionDate: "2027-05-01",
      place: "",
      languages: ["fr"],
      payoutDesks: desks!,
    });
    expect(unionMetadata(readMetadata(dataUriBytes(uri)!).raw).payoutDesks).toEqual(desks);
  });

  it("refuses a desk at the zero address, one on another desk's account, one not an address, one unnamed", () => {
    const { desks, errors } = checkUnionSetup(
      value({
        desks: [
          desk({ address: "0x0000000000000000000000000000000000000000" }),
          desk(),
          desk({ address: getAddress(DESK) }),
          desk({ address: "0x1234", name: " ", instructions: "" }),
        ],
      }),
      t,
    );
    expect(desks).toBeNull();
    expect(errors.desk?.[0].address).toBe("This address belongs to nobody: support sent there is lost.");
    expect(errors.desk?.[1]).toEqual({});
    expect(errors.desk?.[2].address).toBe("This account is already another desk’s.");
    expect(errors.desk?.[3]).toEqual({
      name: "Required.",
      instructions: "Required.",
      address: "Not an account address (0x followed by 40 characters).",
    });
  });

  it("refuses names and instructions longer than the bounds, saying the bound (1 and many)", () => {
    const { errors } = checkUnionSetup(value({ desks: [desk({ name: "x".repeat(121) })] }), t);
    expect(errors.desk?.[0].name).toBe("At most 120 characters.");
    expect(t("officer.errTooLong", { count: 1 })).toBe("At most 1 character.");
    expect(tFr("officer.errTooLong", { count: 1 })).toBe("1 caractère au plus.");
    expect(tFr("officer.errTooLong", { count: 120 })).toBe("120 caractères au plus.");
  });

  it("with invite codes, asks for the service's address and the organiser's password", () => {
    const { errors } = checkUnionSetup(value({ inviteCodes: true, attesterUrl: "", token: "" }), t);
    expect(errors).toEqual({ attesterUrl: "Required.", token: "Required." });
    expect(checkUnionSetup(value({ inviteCodes: true, attesterUrl: "attester", token: "x" }), t).errors).toEqual({
      attesterUrl: "Not a web address.",
    });
    expect(checkUnionSetup(value({ inviteCodes: true, token: "x" }), t).errors).toEqual({});
  });

  it("says in French, with typographic apostrophes and spaces", () => {
    const { errors } = checkUnionSetup(
      value({ desks: [desk({ address: "0x0000000000000000000000000000000000000000" })] }),
      tFr,
    );
    expect(errors.desk?.[0].address).toBe(
      "Cette adresse n’appartient à personne\u202f: le soutien envoyé là est perdu.",
    );
  });
});

function Harness({ lang, keeper }: { lang: Lang; keeper?: Address }) {
  const [v, setV] = useState(value());
  const [errors, setErrors] = useState({});
  return (
    <I18nProvider initial={lang}>
      <UnionSetup value={v} onChange={setV} errors={errors} keeperAddress={keeper} />
      <button type="button" onClick={() => setErrors(checkUnionSetup(v, translator(lang)).errors)}>
        check
      </button>
      <output data-testid="value">{JSON.stringify(v)}</output>
    </I18nProvider>
  );
}

describe("UnionSetup", () => {
  it("adds a payout desk with labelled fields, shows its errors, removes it", () => {
    render(<Harness lang="en" />);
    expect(screen.getByText("No payout desk yet.")).toBeTruthy();
    fireEvent.click(screen.getByTestId("union-desk-add"));
    fireEvent.change(screen.getByLabelText("Name of the desk"), { target: { value: "Caisse" } });
    fireEvent.change(screen.getByLabelText("The desk’s account (0x…)"), {
      target: { value: "0x0000000000000000000000000000000000000000" },
    });
    fireEvent.click(screen.getByText("check"));
    expect(screen.getByText("This address belongs to nobody: support sent there is lost.")).toBeTruthy();
    expect(screen.getByLabelText("The desk’s account (0x…)").getAttribute("aria-invalid")).toBe("true");
    expect(JSON.parse(screen.getByTestId("value").textContent!).desks[0].name).toBe("Caisse");
    fireEvent.click(screen.getByTestId("union-desk-remove"));
    expect(screen.queryAllByTestId("union-desk")).toHaveLength(0);
  });

  it("asks for the service and the password only with invite codes, and names the publishing service", () => {
    render(<Harness lang="fr" keeper={KEEPER} />);
    expect(screen.queryByTestId("union-token")).toBeNull();
    fireEvent.click(screen.getByTestId("union-invite-codes"));
    expect((screen.getByTestId("union-attester-url") as HTMLInputElement).value).toBe("./attester");
    expect((screen.getByTestId("union-token") as HTMLInputElement).type).toBe("password");
    const keeper = screen.getByTestId("union-keeper");
    expect(keeper.textContent).toContain("service de publication du syndicat");
    expect(keeper.textContent).not.toContain(KEEPER);
    fireEvent.click(screen.getByTestId("account-toggle"));
    expect(screen.getByTestId("account-address").textContent).toBe(KEEPER);
  });
});

describe("AccountName", () => {
  it("shows the address itself where no name is known", () => {
    render(
      <I18nProvider initial="en">
        <AccountName address={DESK} />
      </I18nProvider>,
    );
    expect(screen.getByTestId("account-address").textContent).toBe(DESK);
  });
});
