import { describe, expect, it } from "vitest";
import { translator } from "../i18n/i18n.tsx";

const en = translator("en");
import { type CreateForm, parseLadder, series125, validateCreate } from "./validate.ts";

const NOW = Date.parse("2027-01-01T00:00:00Z") / 1000;
const form: CreateForm = {
  title: "Grève",
  text: "",
  place: "",
  preset: "125",
  ladderMax: "100",
  ladderCustom: "",
  deadline: "2027-02-01T12:00",
  actionDate: "2027-02-10",
  token: "",
  cap: "0.05",
  decimals: 18,
  attester: "",
  oracle: "",
  oracleWindowDays: "0",
  claimWindowDays: "30",
};

describe("series125", () => {
  it("builds the 1-2-5 series up to the largest level", () => {
    expect(series125(100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(series125(4)).toEqual([1, 2]);
  });
  it("never exceeds 64 levels", () => {
    expect(series125(4_000_000_000).length).toBeLessThanOrEqual(64);
  });
});

describe("parseLadder", () => {
  it("accepts strictly increasing whole numbers", () => {
    expect(parseLadder({ preset: "custom", ladderMax: "", ladderCustom: "10, 50,100" })).toEqual([10, 50, 100]);
  });
  it("refuses what the factory refuses", () => {
    for (const bad of ["10, 10", "0, 5", "5, 3", "1.5", "", "a", Array.from({ length: 65 }, (_, i) => i + 1).join(",")]) {
      expect(parseLadder({ preset: "custom", ladderMax: "", ladderCustom: bad }), bad).toBeNull();
    }
  });
});

describe("validateCreate", () => {
  it("returns the parameters of a valid form, amounts in base units", () => {
    const { params, errors } = validateCreate(form, NOW, en);
    expect(errors).toEqual({});
    expect(params!.ladder).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(params!.supportCap).toBe(50_000_000_000_000_000n);
    expect(params!.claimWindow).toBe(30n * 86400n);
    expect(params!.actionDate).toBeGreaterThanOrEqual(params!.pledgeDeadline);
  });
  it("refuses a deadline in the past and an action date before the deadline", () => {
    const { params, errors } = validateCreate({ ...form, deadline: "2026-12-01T00:00", actionDate: "2026-11-01" }, NOW, en);
    expect(params).toBeUndefined();
    expect(errors.deadline).toBe(en("create.errDeadline"));
    expect(errors.actionDate).toBe(en("create.errAction"));
  });
  it("requires an oracle window exactly when there is an oracle", () => {
    const oracle = "0x000000000000000000000000000000000000dEaD";
    expect(validateCreate({ ...form, oracle }, NOW, en).errors.oracleWindowDays).toBe(en("create.errOracleWindow"));
    expect(validateCreate({ ...form, oracleWindowDays: "3" }, NOW, en).errors.oracleWindowDays).toBe(en("create.errOracleWindow"));
    expect(validateCreate({ ...form, oracle, oracleWindowDays: "3" }, NOW, en).errors).toEqual({});
  });
  it("refuses bad addresses, amounts, titles and windows", () => {
    const { errors } = validateCreate(
      { ...form, title: " ", token: "0x12", attester: "nope", cap: "-1", claimWindowDays: "0" },
      NOW,
      en,
    );
    expect(Object.keys(errors).sort()).toEqual(["attester", "cap", "claimWindowDays", "title", "token"]);
  });
});
