import { describe, expect, it } from "vitest";
import { detectLang, translator } from "./i18n.tsx";
import { frenchTypographyFaults } from "@bascule/core/typography";
import { features, frenchTypography, messages, NNBSP } from "./index.ts";

/** Sample values for every placeholder a message may take. */
const values = {
  count: 2,
  expected: 3,
  seen: 2,
  missing: 1,
  more: 2,
  then: 2,
  threshold: 5,
  date: "1 May",
  duration: "2 d",
  cap: "5 ETH",
  amount: "1 ETH",
  address: "0x12…34",
  campaign: "0x56…78",
  id: "1",
  condition: "x",
  command: "npm run verify:campaign-code",
  fields: "ladder",
  percent: 0.5,
  block: 2,
  toBlock: 3,
  events: 2,
  pages: 2,
  level: 1,
  field: "x",
  left: "1",
  right: "2",
  code: "X",
  seconds: "1",
  place: "Lyon",
  have: 3,
  need: 5,
  free: 2,
  symbol: "ETH",
  euro: "no",
  deadline: "1 May",
  from: 1,
  to: 50,
  total: 200,
  lockStart: "1 May",
  kind: "half",
  name: "At least half covered",
  guaranteed: "€37.50",
  unit: "€",
  pledged: 3,
  file: "a.json",
  why: "x",
  done: 1,
  entries: 10_000,
  megabytes: 4,
  desk: "Caisse de grève",
  when: "1 May 2026, 10:00",
  clerk: "Guichet A",
  holder: "ELISE DURAND",
  iban: "FR76 3000 6000 0112 3456 7890 189",
  reference: "ABCD-EFGH-JKMN-PQRS",
  oracleEnd: "3 May",
  claimEnd: "2 June",
  desks: "Caisse de grève SUD-Rail",
  levels: "2 · 5",
  handle: "@campaign-0x12…34@greve.example.org",
  decimals: 6,
};

describe("messages", () => {
  it("has every English message in French too, never empty and not left in English", () => {
    expect(Object.keys(messages.fr).sort()).toEqual(Object.keys(messages.en).sort());
    const same = ["common.appName", "create.tokenEth"];
    for (const [k, v] of Object.entries(messages.fr)) {
      expect(v.length, k).toBeGreaterThan(0);
      if (!same.includes(k)) expect(v, k).not.toBe(messages.en[k as keyof typeof messages.en]);
    }
  });

  it("gives each id to one feature only, prefixed with the feature's name", () => {
    const seen = new Map<string, string>();
    for (const [name, f] of Object.entries(features)) {
      expect(Object.keys(f.fr).sort(), name).toEqual(Object.keys(f.en).sort());
      for (const id of Object.keys(f.en)) {
        expect(seen.get(id), `${id} in ${name} and ${seen.get(id)}`).toBeUndefined();
        expect(id.startsWith(`${name}.`), id).toBe(true);
        seen.set(id, name);
      }
    }
  });

  it("parses and formats every message in both languages", () => {
    for (const lang of ["en", "fr"] as const) {
      const t = translator(lang);
      for (const id of Object.keys(messages[lang]) as (keyof typeof messages.en)[]) {
        const text = t(id, values);
        expect(text, id).not.toMatch(/[{}]/);
        expect(text.length, id).toBeGreaterThan(0);
      }
    }
  });

  it("puts a narrow no-break space before : ; ! ? in French, and nowhere a plain one", () => {
    for (const [id, v] of Object.entries(messages.fr)) {
      for (const m of v.matchAll(/[:;!?]/g)) {
        if (v.slice(m.index, m.index + 3) === "://") continue;
        expect(v[m.index - 1], `${id}: ${v}`).toBe(NNBSP);
      }
    }
    expect(frenchTypography("Connecté : {address}")).toBe(`Connecté${NNBSP}: {address}`);
    expect(frenchTypography("Vraiment?")).toBe(`Vraiment${NNBSP}?`);
    expect(frenchTypography("« grève »")).toBe(`«${NNBSP}grève${NNBSP}»`);
    expect(frenchTypography("voir https://example.org")).toBe("voir https://example.org");
  });

  it("writes every French message with typographic apostrophes and no-break spaces, in every plural branch", () => {
    const fr = translator("fr");
    const faults: string[] = [];
    for (const [id, raw] of Object.entries(messages.fr)) {
      // the text as written (every branch of a plural or select at once), then as read at 0, 1 and 2
      for (const f of frenchTypographyFaults(raw)) faults.push(`${id} (source): ${f}`);
      for (const n of [0, 1, 2]) {
        const text = fr(id as keyof typeof messages.fr, { ...values, count: n, more: n, then: n, free: n, done: n });
        for (const f of frenchTypographyFaults(text)) faults.push(`${id} at ${n}: ${f}`);
      }
    }
    expect(faults).toEqual([]);
  });

  it("finds the faults issue 19 saw: a straight apostrophe, no space before a colon", () => {
    expect(frenchTypographyFaults("Résultat d'après")).toHaveLength(1);
    expect(frenchTypographyFaults("Guichet de paiement: Caisse")).toHaveLength(1);
    expect(frenchTypographyFaults("Guichet de paiement : Caisse")).toHaveLength(1);
    expect(frenchTypographyFaults(`Guichet de paiement${NNBSP}: Caisse, à 10:00, voir https://a.example/x`)).toEqual(
      [],
    );
    expect(frenchTypographyFaults("« grève »")).toHaveLength(2);
  });

  it("groups thousands with a narrow no-break space in French and a comma in English", () => {
    expect(translator("fr")("chart.threshold", { count: 1000 })).toBe(`1${NNBSP}000 personnes`);
    expect(translator("en")("chart.threshold", { count: 1000 })).toBe("1,000 people");
  });

  it("follows the browser's language, English otherwise", () => {
    expect(detectLang(["fr-CA", "en"])).toBe("fr");
    expect(detectLang(["de-DE", "en-US"])).toBe("en");
    expect(detectLang(["es"])).toBe("en");
  });
});
