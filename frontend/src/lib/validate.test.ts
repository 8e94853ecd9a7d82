import { describe, expect, it } from "vitest";
import { translator } from "../i18n/i18n.tsx";

const en = translator("en");
import { type CreateForm, parseLadder, parsePercentages, series125, validateCreate } from "./validate.ts";

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
  attester: "0x000000000000000000000000000000000000a77e",
  oracle: "",
  oracleWindowDays: "0",
  claimWindowDays: "30",
  finalLockHours: "24",
  conditions: "proposed",
  conditionsCustom: "",
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
    for (const bad of [
      "10, 10",
      "0, 5",
      "5, 3",
      "1.5",
      "",
      "a",
      Array.from({ length: 65 }, (_, i) => i + 1).join(","),
    ]) {
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
    expect(params!.finalLock).toBe(24n * 3600n);
  });
  it("refuses a support cap with neither attester nor oracle (the factory's GateRequired), accepts either", () => {
    expect(validateCreate({ ...form, attester: "" }, NOW, en).errors.cap).toBe(en("create.errGate"));
    expect(validateCreate({ ...form, attester: "", cap: "0" }, NOW, en).errors).toEqual({});
    const oracle = "0x000000000000000000000000000000000000dEaD";
    expect(validateCreate({ ...form, attester: "", oracle, oracleWindowDays: "3" }, NOW, en).errors).toEqual({});
  });
  it("takes a final lock of 0 to 168 hours, shorter than the time left before the deadline", () => {
    for (const ok of ["0", "1", "168"])
      expect(validateCreate({ ...form, finalLockHours: ok }, NOW, en).errors, ok).toEqual({});
    for (const bad of ["169", "-1", "1.5", "x"])
      expect(validateCreate({ ...form, finalLockHours: bad }, NOW, en).errors.finalLockHours, bad).toBe(
        en("create.errFinalLock"),
      );
    // deadline two hours away: a lock of 2 hours or more would start before now
    const soon = new Date((NOW + 2 * 3600) * 1000).toISOString().slice(0, 16);
    const tz = { ...form, deadline: soon };
    const left = (Date.parse(soon) / 1000 - NOW) / 3600;
    expect(validateCreate({ ...tz, finalLockHours: String(Math.ceil(left)) }, NOW, en).errors.finalLockHours).toBe(
      en("create.errFinalLock"),
    );
    expect(validateCreate({ ...tz, finalLockHours: "0" }, NOW, en).errors.finalLockHours).toBeUndefined();
  });
  it("refuses a deadline in the past and an action date before the deadline", () => {
    const { params, errors } = validateCreate(
      { ...form, deadline: "2026-12-01T00:00", actionDate: "2026-11-01" },
      NOW,
      en,
    );
    expect(params).toBeUndefined();
    expect(errors.deadline).toBe(en("create.errDeadlinePast"));
    expect(errors.actionDate).toBe(en("create.errAction"));
  });
  it("says a past deadline is past, and not that the final lock is wrong (issue 19)", () => {
    const { errors } = validateCreate({ ...form, deadline: "2026-12-01T00:00", actionDate: "2027-02-10" }, NOW, en);
    expect(errors).toEqual({ deadline: "This deadline is already past: choose a day and a time still to come." });
    // a lock out of 0..168 is still named, past deadline or not
    expect(
      validateCreate({ ...form, deadline: "2026-12-01T00:00", finalLockHours: "200" }, NOW, en).errors.finalLockHours,
    ).toBe(en("create.errFinalLock"));
    expect(validateCreate({ ...form, deadline: "" }, NOW, en).errors.deadline).toBe(en("create.errDeadline"));
  });
  it("accepts an action on the deadline's own day, as the help promises, recorded at the deadline", () => {
    // the deadline is 1 February at 12:00 (local time): the action that day is recorded at 12:00
    const sameDay = validateCreate({ ...form, actionDate: "2027-02-01" }, NOW, en);
    expect(sameDay.errors).toEqual({});
    expect(sameDay.params!.actionDate).toBe(sameDay.params!.pledgeDeadline);
    // a later day starts at its local midnight
    const later = validateCreate({ ...form, actionDate: "2027-02-10" }, NOW, en);
    expect(later.params!.actionDate).toBe(BigInt(new Date(2027, 1, 10).getTime() / 1000));
    // the day before is refused, with the words of the help
    expect(validateCreate({ ...form, actionDate: "2027-01-31" }, NOW, en).errors.actionDate).toBe(
      "The action date must be on the deadline’s day or later.",
    );
    // a deadline at midnight: the day that ends then is before it
    const midnight = { ...form, deadline: "2027-02-02T00:00" };
    expect(validateCreate({ ...midnight, actionDate: "2027-02-01" }, NOW, en).errors.actionDate).toBe(
      en("create.errAction"),
    );
    expect(validateCreate({ ...midnight, actionDate: "2027-02-02" }, NOW, en).errors).toEqual({});
    expect(validateCreate({ ...form, actionDate: "2027-02-30" }, NOW, en).errors.actionDate).toBe(
      en("create.errAction"),
    );
  });
  it("requires an oracle window exactly when there is an oracle", () => {
    const oracle = "0x000000000000000000000000000000000000dEaD";
    expect(validateCreate({ ...form, oracle }, NOW, en).errors.oracleWindowDays).toBe(en("create.errOracleWindow"));
    expect(validateCreate({ ...form, oracleWindowDays: "3" }, NOW, en).errors.oracleWindowDays).toBe(
      en("create.errOracleWindow"),
    );
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
  it("refuses a title, text or place longer than every reader of a description accepts", () => {
    const long = { title: "t".repeat(201), text: "x".repeat(10_001), place: "p".repeat(201) };
    const { errors } = validateCreate({ ...form, ...long }, NOW, en);
    expect(errors).toEqual({
      title: "At most 200 characters.",
      text: "At most 10,000 characters.",
      place: "At most 200 characters.",
    });
    const fits = { title: "t".repeat(200), text: "x".repeat(10_000), place: "p".repeat(200) };
    expect(validateCreate({ ...form, ...fits }, NOW, en).errors).toEqual({});
  });

  it("offers none / at least half / all by default to a campaign with support, and nothing without", () => {
    expect(validateCreate(form, NOW, en).params!.conditions).toEqual([5_000, 10_000]);
    expect(validateCreate({ ...form, conditions: "none" }, NOW, en).params!.conditions).toEqual([]);
    // without a support cap nobody asks for support: no condition is sent, whatever was chosen
    const noCap = { ...form, cap: "0", attester: "" };
    for (const conditions of ["proposed", "custom"] as const)
      expect(validateCreate({ ...noCap, conditions, conditionsCustom: "50" }, NOW, en).params!.conditions).toEqual([]);
  });
  it("takes up to two rising custom percentages, with the factory's rules in the person's words", () => {
    const custom = (conditionsCustom: string) =>
      validateCreate({ ...form, conditions: "custom", conditionsCustom }, NOW, en);
    expect(custom("50, 100").params!.conditions).toEqual([5_000, 10_000]);
    expect(custom("33,5").params!.conditions).toEqual([3_350]);
    expect(custom("25 %; 75 %").params!.conditions).toEqual([2_500, 7_500]);
    expect(custom("").params!.conditions).toEqual([]);
    // TooManyConditions, InvalidCondition (not rising, 0, above 100) and what is not a percentage
    for (const bad of ["25, 50, 100", "100, 50", "0", "50, 50", "101", "half", "-50", "1e2"])
      expect(custom(bad).errors.conditionsCustom, bad).toBe(en("create.errConditions"));
    expect(translator("fr")("create.errConditions")).toMatch(/^Deux pourcentages au plus/);
  });
});

describe("parsePercentages", () => {
  it("reads lists and French decimals", () => {
    expect(parsePercentages("50,100")).toEqual([5_000, 10_000]);
    expect(parsePercentages("12.25")).toEqual([1_225]);
    expect(parsePercentages("12,25 %")).toEqual([1_225]);
    expect(parsePercentages("12.255")).toBeNull();
    expect(parsePercentages("  ")).toEqual([]);
  });
});
