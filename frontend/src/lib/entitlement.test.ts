import { describe, expect, it } from "vitest";
import { Entitlement } from "@bascule/core/model";
import { translator } from "../i18n/i18n.tsx";
import { entitlementMessage } from "./entitlement.ts";

const facts = { hasOracle: true, rootPublished: false, now: 1_000, oracleEnd: 2_000n, claimEnd: 9_000n };

describe("the receipt's support sentence", () => {
  it("names each entitlement state with its own sentence and the date that matters", () => {
    expect(entitlementMessage(Entitlement.Pending, 7n, facts)).toEqual({
      id: "receipt.entitlementPending",
      amount: 7n,
      date: 2_000n,
    });
    expect(entitlementMessage(Entitlement.NeedsProof, 7n, { ...facts, rootPublished: true })).toEqual({
      id: "receipt.entitlementNeedsProof",
      amount: 7n,
      date: 9_000n,
    });
    expect(entitlementMessage(Entitlement.Due, 7n, { ...facts, hasOracle: false })).toEqual({
      id: "receipt.entitlementDue",
      amount: 7n,
      date: 9_000n,
    });
    expect(entitlementMessage(Entitlement.Taken, 7n, facts).id).toBe("receipt.claimedAlready");
    expect(entitlementMessage(Entitlement.Expired, 7n, { ...facts, now: 10_000 })).toEqual({
      id: "receipt.entitlementExpired",
      amount: 7n,
      date: 9_000n,
    });
  });

  it("tells an absent oracle from an empty pot when nothing is payable", () => {
    expect(entitlementMessage(Entitlement.None, 0n, { ...facts, now: 2_001 })).toEqual({
      id: "receipt.entitlementNoList",
      amount: 0n,
      date: 2_000n,
    });
    // Inside the oracle's window, or once it published, or without an oracle: nothing was donated at this level.
    expect(entitlementMessage(Entitlement.None, 0n, { ...facts, now: 2_000 }).id).toBe("receipt.entitlementNoMoney");
    expect(entitlementMessage(Entitlement.None, 0n, { ...facts, now: 2_001, rootPublished: true }).id).toBe(
      "receipt.entitlementNoMoney",
    );
    expect(entitlementMessage(Entitlement.None, 0n, { ...facts, now: 2_001, hasOracle: false }).id).toBe(
      "receipt.entitlementNoMoney",
    );
  });

  it("reads in both languages with the amount and the date in it", () => {
    for (const lang of ["en", "fr"] as const) {
      const t = translator(lang);
      for (const state of [Entitlement.Pending, Entitlement.NeedsProof, Entitlement.Due, Entitlement.Expired]) {
        const m = entitlementMessage(state, 7n, facts);
        const text = t(m.id, { amount: "7 €", date: "1 May 2027, 18:00" });
        expect(text, `${lang} ${m.id}`).toContain("7 €");
        expect(text, `${lang} ${m.id}`).toContain("1 May 2027, 18:00");
      }
    }
    expect(translator("fr")("receipt.entitlementNoList", { date: "1 mai" })).toMatch(
      /pas été publiée à temps \(1 mai\)/,
    );
  });
});
