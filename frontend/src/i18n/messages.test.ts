import { describe, expect, it } from "vitest";
import { detectLang } from "./i18n.tsx";
import { en, fr } from "./messages.ts";

describe("messages", () => {
  it("has every English message in French too, never empty and not left in English", () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    const same = ["appName", "tokenEth"];
    for (const [k, v] of Object.entries(fr)) {
      const text = typeof v === "function" ? (v as (...a: string[]) => string)("1", "2", "3", "4") : v;
      expect(text.length, k).toBeGreaterThan(0);
      if (!same.includes(k) && typeof v === "string") expect(v, k).not.toBe(en[k as keyof typeof en]);
    }
  });
  it("follows the browser's language, English otherwise", () => {
    expect(detectLang(["fr-CA", "en"])).toBe("fr");
    expect(detectLang(["de-DE", "en-US"])).toBe("en");
    expect(detectLang(["es"])).toBe("en");
  });
});
