/**
 * The support-condition sentences (MECHANISM.md, "Support-conditional pledges"), exactly, in English
 * and French: the pledge's sentence and the one beneath it, and every sentence with a number at 0, 1,
 * 2 and many, with French typography (a no-break space before : ; ? ! and in "75,00 €").
 */
import { describe, expect, it } from "vitest";
import { formatAmount } from "../lib/format.ts";
import { formatCoverage } from "../lib/conditions.ts";
import { translator } from "./i18n.tsx";
import { messages } from "./index.ts";

const NB = "\u202f"; // narrow no-break space: French thousands and before : ; ? !
const NBSP = "\u00a0"; // no-break space: before € in French
const en = translator("en");
const fr = translator("fr");
const euro = (cents: bigint, locale: string) => formatAmount(cents, 2, "EURC", locale);
const half = { kind: "half", percent: "50%" };
const all = { kind: "all", percent: "100%" };

describe("the pledge's sentence", () => {
  it("says the spec's sentence, in English", () => {
    expect(
      en("conditions.sentence", { ...half, threshold: 10_000, date: "5 May", amount: euro(7_500n, "en-GB") }),
    ).toBe("I strike on 5 May if 10,000 people do and if at least half of my day’s pay (€75.00) is covered.");
    expect(en("conditions.sentence", { ...all, threshold: 2, date: "5 May", amount: euro(7_500n, "en-GB") })).toBe(
      "I strike on 5 May if 2 people do and if all of my day’s pay (€75.00) is covered.",
    );
    expect(en("conditions.sentence", { ...half, threshold: 1, date: "5 May", amount: euro(7_500n, "en-GB") })).toBe(
      "I strike on 5 May whatever the number, if at least half of my day’s pay (€75.00) is covered.",
    );
    expect(
      en("conditions.sentence", {
        kind: "percent",
        percent: formatCoverage(2_500, "en-GB"),
        threshold: 0,
        date: "5 May",
        amount: euro(7_500n, "en-GB"),
      }),
    ).toBe("I strike on 5 May if 0 people do and if at least 25% of my day’s pay (€75.00) is covered.");
  });

  it("says it in French, with French typography", () => {
    expect(
      fr("conditions.sentence", { ...half, threshold: 10_000, date: "5 mai", amount: euro(7_500n, "fr-FR") }),
    ).toBe(
      `Je fais grève le 5 mai si 10${NB}000 personnes font de même et si au moins la moitié de ma journée de salaire (75,00${NBSP}€) est couverte.`,
    );
    expect(fr("conditions.sentence", { ...all, threshold: 2, date: "5 mai", amount: euro(7_500n, "fr-FR") })).toBe(
      `Je fais grève le 5 mai si 2 personnes font de même et si la totalité de ma journée de salaire (75,00${NBSP}€) est couverte.`,
    );
    expect(fr("conditions.sentence", { ...half, threshold: 1, date: "5 mai", amount: euro(7_500n, "fr-FR") })).toBe(
      `Je fais grève le 5 mai quel que soit le nombre, si au moins la moitié de ma journée de salaire (75,00${NBSP}€) est couverte.`,
    );
    expect(fr("conditions.sentence", { ...half, threshold: 0, date: "5 mai", amount: euro(7_500n, "fr-FR") })).toBe(
      `Je fais grève le 5 mai si 0 personne fait de même et si au moins la moitié de ma journée de salaire (75,00${NBSP}€) est couverte.`,
    );
  });

  it("says beneath it what the condition means", () => {
    expect(en("conditions.beneath", half)).toBe(
      "If the fund cannot cover that much, my pledge does not count and I am not bound. If it counts, I receive the same share of my request as every supported striker: at least half.",
    );
    expect(en("conditions.beneath", all)).toMatch(/every supported striker: all of it\.$/);
    expect(fr("conditions.beneath", half)).toBe(
      `Si la caisse ne peut pas couvrir autant, mon engagement ne compte pas et je ne suis pas tenu·e. S’il compte, je reçois la même part de ma demande que chaque gréviste soutenu·e${NB}: au moins la moitié.`,
    );
    expect(fr("conditions.beneath", all)).toMatch(new RegExp(`soutenu·e${NB}: la totalité\\.$`));
  });

  it("offers no condition / at least half / all of my request covered", () => {
    expect(["none", "half", "all"].map((kind) => en("conditions.option", { kind, percent: "" }))).toEqual([
      "No condition",
      "At least half of my request covered",
      "All of my request covered",
    ]);
    expect(["none", "half", "all"].map((kind) => fr("conditions.option", { kind, percent: "" }))).toEqual([
      "Sans condition",
      "Au moins la moitié de ma demande couverte",
      "Toute ma demande couverte",
    ]);
    expect(fr("conditions.option", { kind: "percent", percent: formatCoverage(2_500, "fr-FR") })).toMatch(
      /^Au moins 25[\u00a0\u202f]% de ma demande couverte$/,
    );
  });
});

type Cases = Record<0 | 1 | 2 | 1000, [string, string]>;
const check = (id: Parameters<typeof en>[0], values: (n: number) => Record<string, string | number>, want: Cases) => {
  for (const n of [0, 1, 2, 1000] as const) {
    expect(en(id, values(n)), `${id} en ${n}`).toBe(want[n][0]);
    expect(fr(id, values(n)), `${id} fr ${n}`).toBe(want[n][1]);
  }
};

describe("sentences with a number at 0, 1, 2 and 1,000", () => {
  it("how many of a condition count now, of how many", () => {
    check("conditions.rowCount", (n) => ({ count: n, pledged: n }), {
      0: ["no pledge yet.", "aucun engagement pour l’instant."],
      1: ["1 counts now, of 1 pledge.", "1 compte en ce moment, sur 1 engagement."],
      2: ["2 count now, of 2 pledges.", "2 comptent en ce moment, sur 2 engagements."],
      1000: ["1,000 count now, of 1,000 pledges.", `1${NB}000 comptent en ce moment, sur 1${NB}000 engagements.`],
    });
    check("conditions.rowCount", (n) => ({ count: 0, pledged: n === 0 ? 3 : n }), {
      0: ["none counts now, of 3 pledges.", "aucun ne compte en ce moment, sur 3 engagements."],
      1: ["none counts now, of 1 pledge.", "aucun ne compte en ce moment, sur 1 engagement."],
      2: ["none counts now, of 2 pledges.", "aucun ne compte en ce moment, sur 2 engagements."],
      1000: ["none counts now, of 1,000 pledges.", `aucun ne compte en ce moment, sur 1${NB}000 engagements.`],
    });
    check("conditions.rowCountFinal", (n) => ({ count: n, pledged: 1000 }), {
      0: ["none was counted, of 1,000 pledges.", `aucun n’a été compté, sur 1${NB}000 engagements.`],
      1: ["1 was counted, of 1,000 pledges.", `1 a été compté, sur 1${NB}000 engagements.`],
      2: ["2 were counted, of 1,000 pledges.", `2 ont été comptés, sur 1${NB}000 engagements.`],
      1000: ["1,000 were counted, of 1,000 pledges.", `1${NB}000 ont été comptés, sur 1${NB}000 engagements.`],
    });
  });

  it("what more donated would let a group in", () => {
    const amount = { en: euro(1_250n, "en-GB"), fr: euro(1_250n, "fr-FR") };
    for (const n of [0, 1, 2, 1000]) {
      const people = { 0: ["0 people", "0 personne"], 1: ["1 person", "1 personne"], 2: ["2 people", "2 personnes"] }[
        n as 0 | 1 | 2
      ] ?? ["1,000 people", `1${NB}000 personnes`];
      expect(en("conditions.notCounted", { amount: amount.en, threshold: n })).toBe(
        `Not counted yet: €12.50 more donated at a threshold of ${people[0]} or less would let your group in.`,
      );
      expect(fr("conditions.notCounted", { amount: amount.fr, threshold: n })).toBe(
        `Pas encore compté${NB}: 12,50${NBSP}€ de dons en plus à un seuil de ${people[1]} ou moins feraient entrer votre groupe.`,
      );
    }
  });

  it("a group with a condition: its pledges, its request and its slack", () => {
    const want: Record<number, [string, string]> = {
      0: ["threshold 5: 0 pledges", `seuil 5${NB}: 0 engagement`],
      1: ["threshold 10: 1 pledge", `seuil 10${NB}: 1 engagement`],
      2: ["threshold 20: 2 pledges", `seuil 20${NB}: 2 engagements`],
      1000: ["threshold 10,000: 1,000 pledges", `seuil 10${NB}000${NB}: 1${NB}000 engagements`],
    };
    for (const n of [0, 1, 2, 1000]) {
      const threshold = n === 0 ? 5 : n * 10;
      expect(
        en("conditions.bucket", {
          count: n,
          threshold,
          name: en("conditions.name", half),
          amount: euro(7_500n, "en-GB"),
        }),
      ).toBe(`At least half covered, ${want[n][0]}, €75.00 requested.`);
      expect(
        fr("conditions.bucket", {
          count: n,
          threshold,
          name: fr("conditions.name", half),
          amount: euro(7_500n, "fr-FR"),
        }),
      ).toBe(`Au moins la moitié couverte, ${want[n][1]}, 75,00${NBSP}€ demandés.`);
    }
    expect(en("conditions.slack", { amount: euro(12_000n, "en-GB") })).toBe(
      "This group can take €120.00 more requests before it stops counting.",
    );
    expect(fr("conditions.slack", { amount: euro(12_000n, "fr-FR") })).toBe(
      `Ce groupe peut encore recevoir 120,00${NBSP}€ de demandes avant de ne plus compter.`,
    );
  });

  it("counted now, with the coverage", () => {
    expect(en("conditions.countedNow", { percent: formatCoverage(5_294, "en-GB") })).toBe(
      "Counted now, coverage 52.9%.",
    );
    expect(fr("conditions.countedNow", { percent: formatCoverage(5_294, "fr-FR") })).toMatch(
      /^Compté en ce moment, couverture 52,9[\u00a0\u202f]%\.$/,
    );
    expect(en("conditions.coverageNow", { percent: formatCoverage(10_000, "en-GB") })).toBe(
      "Coverage now: every counted request is covered at 100%.",
    );
  });

  it("French messages never have a plain space before : ; ? ! nor before €", () => {
    for (const [id, text] of Object.entries(messages.fr)) {
      if (!id.startsWith("conditions.")) continue;
      expect(text, id).not.toMatch(/ [:;?!]/);
      expect(text, id).not.toMatch(/ €/);
    }
  });
});
