import { describe, expect, it } from "vitest";
import { formatAmount, formatDuration, formatRatio, formatSpan, parseAmount, roundShown } from "./format.ts";

describe("amounts", () => {
  it("parses what people type, with a comma or a dot, into exact base units", () => {
    expect(parseAmount("1,5", 18)).toBe(1_500_000_000_000_000_000n);
    expect(parseAmount("0.000000000000000001", 18)).toBe(1n);
    expect(parseAmount("2", 6)).toBe(2_000_000n);
  });
  it("refuses what is not an amount", () => {
    for (const bad of ["", "-1", "1e3", "abc", "1.2.3", "0.0000001"]) expect(parseAmount(bad, 6), bad).toBeNull();
  });
  it("formats in the person's locale without going through floating point", () => {
    expect(formatAmount(123_456_789_000_000_000_000_000n, 18, "ETH", "en-GB")).toBe("123,456.789\u00a0ETH");
    expect(formatAmount(1_500_000n, 6, "USDC", "fr-FR")).toBe("1,5\u00a0USDC");
    expect(formatAmount(1_234_000_000_000_000_000_000n, 18, "ETH", "fr-FR")).toBe("1\u202f234\u00a0ETH");
    expect(formatAmount(0n, 18, "ETH", "en-GB")).toBe("0\u00a0ETH");
  });
  it("reads a euro stablecoin in euros, exactly", () => {
    expect(formatAmount(12_500_000n, 6, "tEUR", "fr-FR")).toBe("12,50\u00a0€");
    expect(formatAmount(1_000_000_000n, 6, "EURC", "fr-FR")).toBe("1\u202f000,00\u00a0€");
  });
  it("shows euros in cents, rounded down, never with more decimals", () => {
    expect(formatAmount(1_234_567_891n, 6, "EURC", "en-GB")).toBe("€1,234.56");
    expect(formatAmount(204_491_255n, 6, "EURC", "en-GB")).toBe("€204.49");
    expect(formatAmount(204_499_999n, 6, "tEUR", "fr-FR")).toBe("204,49\u00a0€");
    expect(formatAmount(9_999n, 6, "EURC", "en-GB")).toBe("<\u00a0€0.01");
    expect(formatAmount(1n, 6, "EURC", "fr-FR")).toBe("<\u00a00,01\u00a0€");
    expect(formatAmount(0n, 6, "EURC", "en-GB")).toBe("€0.00");
    expect(formatAmount(10_000n, 6, "EURC", "en-GB")).toBe("€0.01");
    expect(formatAmount(1_990_000_000_000_000_000n, 18, "EURe", "en-GB")).toBe("€1.99");
    expect(formatAmount(7n, 0, "EURC", "en-GB")).toBe("€7.00");
  });
  it("formats coverage ratios and durations", () => {
    expect(formatRatio(1n, 2n, "en-GB")).toBe("50%");
    expect(formatRatio(1n, 0n, "en-GB")).toBe("—");
    expect(formatDuration(2 * 86400 + 3 * 3600, "fr")).toBe("2 j 3 h");
    expect(formatDuration(65, "en")).toBe("1 min 5 s");
  });
});

describe("roundShown", () => {
  it("rounds what is received down and what is missing up, to what is shown", () => {
    expect(roundShown(44_117_647n, 6, "EURC", "down")).toBe(44_110_000n);
    expect(roundShown(44_117_647n, 6, "EURC", "up")).toBe(44_120_000n);
    expect(roundShown(44_110_000n, 6, "EURC", "up")).toBe(44_110_000n);
    expect(formatAmount(roundShown(1n, 18, "ETH", "up"), 18, "ETH", "en-GB")).toBe("0.000001\u00a0ETH");
    expect(roundShown(7n, 0, "EURC", "up")).toBe(7n);
  });
});

describe("formatSpan", () => {
  it("says a length of time in plain words, in the page's language, at 0, 1 and many", () => {
    expect(formatSpan(86_400n, "en-GB")).toBe("1 day");
    expect(formatSpan(86_400n, "fr-FR")).toBe("1\u00a0jour");
    expect(formatSpan(2 * 86_400 + 3 * 3_600, "en-GB")).toBe("2 days, 3 hours");
    expect(formatSpan(2 * 86_400 + 3 * 3_600, "fr-FR")).toBe("2\u00a0jours et 3\u00a0heures");
    expect(formatSpan(3_661n, "en-GB")).toBe("1 hour, 1 minute, 1 second");
    expect(formatSpan(0, "en-GB")).toBe("0 seconds");
    expect(formatSpan(0, "fr-FR")).toBe("0\u00a0seconde");
  });
});
