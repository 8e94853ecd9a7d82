import { formatUnits, parseUnits } from "viem";

/** Euro stablecoins (and the demo's stand-in): their amounts read in euros. */
const EURO_TOKENS = new Set(["EURC", "EURE", "EURS", "EURCV", "EURI", "EUROC", "TEUR", "MEURC"]);

export function isEuroToken(symbol: string): boolean {
  return EURO_TOKENS.has(symbol.toUpperCase());
}

/**
 * A token amount (bigint base units) for people, in the token's own unit: "1,5 ETH" / "1.5 ETH";
 * a euro stablecoin reads in euros, in cents rounded down: "12,50 €" / "€12.50" (never more decimals).
 * @example formatAmount(12_500_000n, 6, "EURC", "fr-FR") // "12,50 €" (with a narrow no-break space)
 */
export function formatAmount(amount: bigint, decimals: number, symbol: string, locale: string): string {
  if (isEuroToken(symbol)) {
    const f = new Intl.NumberFormat(locale, {
      style: "currency",
      currency: "EUR",
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    // Cents, rounded down (never show more than is there: "€204.49", not "€204.491255" nor "€204.50");
    // an exact decimal string: Intl formats it without going through a float.
    const cents = roundShown(amount, decimals, symbol, "down");
    // less than a cent is not nothing: "< €0.01", not "€0.00"
    if (cents === 0n && amount > 0n) return `<\u00a0${f.format("0.01" as unknown as number)}`;
    return f.format(formatUnits(cents, decimals) as unknown as number);
  }
  const text = formatUnits(amount, decimals);
  const [whole, fraction = ""] = text.split(".");
  const grouped = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(BigInt(whole));
  const trimmed = fraction.slice(0, 6).replace(/0+$/, "");
  const sep = new Intl.NumberFormat(locale).format(1.5).includes(",") ? "," : ".";
  return `${grouped}${trimmed ? sep + trimmed : ""}\u00a0${symbol}`;
}

/**
 * An amount rounded to what `formatAmount` shows (cents for a euro stablecoin, 6 decimals otherwise),
 * down for what someone receives, up for what is still needed, so "€44.11" is never more than is paid
 * and "€0.01 more" never less than is missing.
 * @example roundShown(44_117_647n, 6, "EURC", "down") // 44_110_000n
 */
export function roundShown(amount: bigint, decimals: number, symbol: string, mode: "down" | "up"): bigint {
  const shown = Math.min(decimals, isEuroToken(symbol) ? 2 : 6);
  const unit = 10n ** BigInt(decimals - shown);
  const down = (amount / unit) * unit;
  return mode === "up" && down < amount ? down + unit : down;
}

/** Parses what a person typed ("1,5" or "1.5") into base units; null if it is not an amount. */
export function parseAmount(text: string, decimals: number): bigint | null {
  const clean = text.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(clean)) return null;
  const fraction = clean.split(".")[1] ?? "";
  if (fraction.length > decimals) return null;
  try {
    return parseUnits(clean, decimals);
  } catch {
    return null;
  }
}

export function formatCount(n: bigint | number, locale: string): string {
  return new Intl.NumberFormat(locale).format(typeof n === "bigint" ? n : BigInt(n));
}

export function formatDate(seconds: bigint | number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(Number(seconds) * 1000));
}

export function formatDateTime(seconds: bigint | number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(Number(seconds) * 1000),
  );
}

/** "2 d 3 h" / "2 j 3 h": the time left, coarse. */
export function formatDuration(seconds: number, lang: "en" | "fr"): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const day = lang === "fr" ? "j" : "d";
  if (d > 0) return `${d} ${day} ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min ${s % 60} s`;
}

/**
 * A length of time in plain words, in the locale: "1 day, 2 hours" / "1 jour et 2 heures", exact
 * down to the second (zero units left out); "0 seconds" for 0.
 * @example formatSpan(86_400, "fr-FR") // "1 jour"
 */
export function formatSpan(seconds: bigint | number, locale: string): string {
  let left = typeof seconds === "bigint" ? seconds : BigInt(Math.max(0, Math.floor(seconds)));
  if (left < 0n) left = 0n;
  const parts: string[] = [];
  for (const [unit, size] of [
    ["day", 86_400n],
    ["hour", 3_600n],
    ["minute", 60n],
    ["second", 1n],
  ] as const) {
    const n = left / size;
    left %= size;
    if (n > 0n) parts.push(new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(n));
  }
  if (parts.length === 0)
    return new Intl.NumberFormat(locale, { style: "unit", unit: "second", unitDisplay: "long" }).format(0);
  return new Intl.ListFormat(locale, { type: "unit", style: "long" }).format(parts);
}

export function shortAddress(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

/** Ratio a/b as a percentage with one decimal, computed in bigint. */
export function formatRatio(a: bigint, b: bigint, locale: string): string {
  if (b === 0n) return "—";
  const permille = (a * 1000n) / b;
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(Number(permille) / 1000);
}
