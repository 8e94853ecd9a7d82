/**
 * Every sentence with a number, at 0, 1, 2 and 1,000, in English and French: exact text for the
 * sentences a striker reads first, and for every message with a count, no "1 people" / "1 personnes"
 * / "2 person" and thousands grouped the locale's way.
 */
import { describe, expect, it } from "vitest";
import { translator } from "./i18n.tsx";
import { messages, type MessageId } from "./index.ts";

const NB = "\u202f";
const en = translator("en");
const fr = translator("fr");
const date = "1 May";

const exact: [MessageId, (n: number) => Record<string, string | number>, Record<0 | 1 | 2 | 1000, [string, string]>][] =
  [
    [
      "campaign.headline",
      (n) => ({ count: n, date }),
      {
        0: ["Nobody has pledged yet to strike on 1 May.", "Personne ne s’est encore engagé à faire grève le 1 May."],
        1: [
          "1 person has pledged to strike on 1 May, if the number they chose is reached.",
          "1 personne s’est engagée à faire grève le 1 May, si le nombre qu’elle a choisi est atteint.",
        ],
        2: [
          "2 people have pledged to strike on 1 May, each if the number they chose is reached.",
          "2 personnes se sont engagées à faire grève le 1 May, chacune si le nombre qu’elle a choisi est atteint.",
        ],
        1000: [
          "1,000 people have pledged to strike on 1 May, each if the number they chose is reached.",
          `1${NB}000 personnes se sont engagées à faire grève le 1 May, chacune si le nombre qu’elle a choisi est atteint.`,
        ],
      },
    ],
    [
      "campaign.headlineSucceeded",
      (n) => ({ count: n, date }),
      {
        0: ["0 people are bound to strike on 1 May.", "0 personne est tenue de faire grève le 1 May."],
        1: ["1 person is bound to strike on 1 May.", "1 personne est tenue de faire grève le 1 May."],
        2: ["2 people are bound to strike on 1 May.", "2 personnes sont tenues de faire grève le 1 May."],
        1000: [
          "1,000 people are bound to strike on 1 May.",
          `1${NB}000 personnes sont tenues de faire grève le 1 May.`,
        ],
      },
    ],
    [
      "campaign.nextTip",
      (n) => ({ more: n, threshold: 1000, then: 2000 }),
      {
        0: [
          "Next tipping point: 0 more people who choose 1,000 or fewer, and 2,000 people are bound to strike.",
          `Prochaine bascule${NB}: encore 0 personne qui choisit 1${NB}000 ou moins, et 2${NB}000 personnes sont tenues de faire grève.`,
        ],
        1: [
          "Next tipping point: 1 more person who chooses 1,000 or fewer, and 2,000 people are bound to strike.",
          `Prochaine bascule${NB}: encore 1 personne qui choisit 1${NB}000 ou moins, et 2${NB}000 personnes sont tenues de faire grève.`,
        ],
        2: [
          "Next tipping point: 2 more people who choose 1,000 or fewer, and 2,000 people are bound to strike.",
          `Prochaine bascule${NB}: encore 2 personnes qui choisissent 1${NB}000 ou moins, et 2${NB}000 personnes sont tenues de faire grève.`,
        ],
        1000: [
          "Next tipping point: 1,000 more people who choose 1,000 or fewer, and 2,000 people are bound to strike.",
          `Prochaine bascule${NB}: encore 1${NB}000 personnes qui choisissent 1${NB}000 ou moins, et 2${NB}000 personnes sont tenues de faire grève.`,
        ],
      },
    ],
    [
      "campaign.nextTipAny",
      (n) => ({ more: n, threshold: 3, then: n }),
      {
        0: [
          "Next tipping point: 0 more people, whatever number they choose, and 0 people are bound to strike.",
          `Prochaine bascule${NB}: encore 0 personne, quel que soit le nombre choisi, et 0 personne est tenue de faire grève.`,
        ],
        1: [
          "Next tipping point: 1 more person, whatever number they choose, and 1 person is bound to strike.",
          `Prochaine bascule${NB}: encore 1 personne, quel que soit le nombre choisi, et 1 personne est tenue de faire grève.`,
        ],
        2: [
          "Next tipping point: 2 more people, whatever number they choose, and 2 people are bound to strike.",
          `Prochaine bascule${NB}: encore 2 personnes, quel que soit le nombre choisi, et 2 personnes sont tenues de faire grève.`,
        ],
        1000: [
          "Next tipping point: 1,000 more people, whatever number they choose, and 1,000 people are bound to strike.",
          `Prochaine bascule${NB}: encore 1${NB}000 personnes, quel que soit le nombre choisi, et 1${NB}000 personnes sont tenues de faire grève.`,
        ],
      },
    ],
    [
      "campaign.provisional",
      (n) => ({ count: n }),
      {
        0: ["Right now, 0 people would be bound to strike.", "En ce moment, 0 personne serait tenue de faire grève."],
        1: ["Right now, 1 person would be bound to strike.", "En ce moment, 1 personne serait tenue de faire grève."],
        2: [
          "Right now, 2 people would be bound to strike.",
          "En ce moment, 2 personnes seraient tenues de faire grève.",
        ],
        1000: [
          "Right now, 1,000 people would be bound to strike.",
          `En ce moment, 1${NB}000 personnes seraient tenues de faire grève.`,
        ],
      },
    ],
    [
      "list.pledgesCount",
      (n) => ({ count: n }),
      {
        0: ["0 pledges", "0 engagement"],
        1: ["1 pledge", "1 engagement"],
        2: ["2 pledges", "2 engagements"],
        1000: ["1,000 pledges", `1${NB}000 engagements`],
      },
    ],
    [
      "common.peopleAtLeast",
      (n) => ({ count: n }),
      {
        0: ["at least 0 people", "au moins 0 personne"],
        1: ["at least 1 person", "au moins 1 personne"],
        2: ["at least 2 people", "au moins 2 personnes"],
        1000: ["at least 1,000 people", `au moins 1${NB}000 personnes`],
      },
    ],
    [
      "receipt.pledgeLevel",
      (n) => ({ threshold: n }),
      {
        0: ["Pledged: if at least 0 people strike.", `Mon engagement${NB}: si au moins 0 personnes font grève.`],
        1: ["Pledged: I strike, whatever the number.", `Mon engagement${NB}: je fais grève, quel que soit le nombre.`],
        2: ["Pledged: if at least 2 people strike.", `Mon engagement${NB}: si au moins 2 personnes font grève.`],
        1000: [
          "Pledged: if at least 1,000 people strike.",
          `Mon engagement${NB}: si au moins 1${NB}000 personnes font grève.`,
        ],
      },
    ],
    [
      "union.mergeDone",
      (n) => ({ file: "a.json", count: n }),
      {
        0: [
          "a.json: merged, nothing new (every check-in in it was already here).",
          "a.json : fusionné, rien de nouveau (tous ses pointages étaient déjà là).",
        ],
        1: ["a.json: merged, 1 new check-in.", "a.json : fusionné, 1 nouveau pointage."],
        2: ["a.json: merged, 2 new check-ins.", "a.json : fusionné, 2 nouveaux pointages."],
        1000: ["a.json: merged, 1,000 new check-ins.", `a.json${NB}: fusionné, 1${NB}000 nouveaux pointages.`],
      },
    ],
    [
      "union.import.entries",
      (n) => ({ file: "a.json", count: n, why: "…" }),
      {
        0: [
          "a.json refused, nothing was merged: no code fails the check (…). Ask the scanner to export it again, or check the codes one by one.",
          "a.json refusé, rien n’a été fusionné : aucun code n’échoue à la vérification (…). Demandez au scanner de l’exporter à nouveau, ou vérifiez les codes un par un.",
        ],
        1: [
          "a.json refused, nothing was merged: 1 code fails the check (…). Ask the scanner to export it again, or check the codes one by one.",
          "a.json refusé, rien n’a été fusionné : 1 code échoue à la vérification (…). Demandez au scanner de l’exporter à nouveau, ou vérifiez les codes un par un.",
        ],
        2: [
          "a.json refused, nothing was merged: 2 codes fail the check (…). Ask the scanner to export it again, or check the codes one by one.",
          "a.json refusé, rien n’a été fusionné : 2 codes échouent à la vérification (…). Demandez au scanner de l’exporter à nouveau, ou vérifiez les codes un par un.",
        ],
        1000: [
          "a.json refused, nothing was merged: 1,000 codes fail the check (…). Ask the scanner to export it again, or check the codes one by one.",
          `a.json refusé, rien n’a été fusionné${NB}: 1${NB}000 codes échouent à la vérification (…). Demandez au scanner de l’exporter à nouveau, ou vérifiez les codes un par un.`,
        ],
      },
    ],
    [
      "union.importFailed.badSignature",
      (n) => ({ count: n }),
      {
        0: ["0 altered or signed for another campaign or date", "0 modifié ou signé pour une autre campagne ou date"],
        1: ["1 altered or signed for another campaign or date", "1 modifié ou signé pour une autre campagne ou date"],
        2: ["2 altered or signed for another campaign or date", "2 modifiés ou signés pour une autre campagne ou date"],
        1000: [
          "1,000 altered or signed for another campaign or date",
          `1${NB}000 modifiés ou signés pour une autre campagne ou date`,
        ],
      },
    ],
    [
      "verify.totalPledges",
      (n) => ({ count: n }),
      {
        0: ["No pledge recorded", "Aucun engagement enregistré"],
        1: ["1 pledge recorded", "1 engagement enregistré"],
        2: ["2 pledges recorded", "2 engagements enregistrés"],
        1000: ["1,000 pledges recorded", `1${NB}000 engagements enregistrés`],
      },
    ],
  ];

describe("sentences with a number at 0, 1, 2 and 1,000", () => {
  for (const [id, values, want] of exact) {
    for (const n of [0, 1, 2, 1000] as const) {
      it(`${id} at ${n}`, () => {
        expect(en(id, values(n))).toBe(want[n][0]);
        expect(fr(id, values(n))).toBe(want[n][1]);
      });
    }
  }

  it("no message with a count says '1 people', '1 personnes', '2 person', nor groups thousands wrongly", () => {
    const numeric = [
      "count",
      "more",
      "then",
      "threshold",
      "free",
      "have",
      "need",
      "from",
      "to",
      "total",
      "pledged",
      "done",
    ];
    const ids = (Object.keys(messages.en) as MessageId[]).filter((id) =>
      numeric.some((k) => messages.en[id].includes(`{${k},`)),
    );
    expect(ids.length).toBeGreaterThan(20);
    for (const id of ids) {
      for (const n of [0, 1, 2, 1000]) {
        const v = Object.fromEntries(numeric.map((k) => [k, n]));
        const all = {
          ...v,
          date,
          duration: "2 d",
          cap: "5 €",
          amount: "5 €",
          address: "0x1",
          place: "Lyon",
          symbol: "ETH",
          euro: "no",
          percent: "5 %",
          id: "1",
          condition: "x",
          deadline: date,
          kind: "half",
          name: "x",
          guaranteed: "5 €",
          unit: "€",
          lockStart: date,
          file: "a.json",
          why: "x",
          entries: 10_000,
          megabytes: 4,
        };
        const e = en(id, all);
        const f = fr(id, all);
        expect(e, id).not.toMatch(
          /\b1 (people|pledges|events|characters)\b|\b2 (person|pledge|event|character)\b(?! keys)/,
        );
        expect(f, id).not.toMatch(/\b1 (personnes|engagements|événements|caractères)\b/);
        expect(e, id).not.toMatch(/\b1000\b/);
        expect(f, id).not.toMatch(/\b1[ ,.]?000\b/);
      }
    }
  });
});
