/**
 * A notification sent after the pledge deadline (a late delivery, issue 19 "also seen") no longer
 * asks for anything "before the deadline": it says the pledge period has ended. Before the
 * deadline, the same texts still say what can change until then.
 */
import { expect } from "chai";
import { type CampaignFacts, entryText, notificationText } from "../../scripts/notifier/messages.js";
import { atomFeed } from "../../scripts/notifier/feeds.js";
import type { EntryRow } from "../../scripts/notifier/store.js";

const deadline = 1_800_000_000;
const facts: CampaignFacts = {
  address: "0x00000000000000000000000000000000000000C1",
  ladder: [2, 5],
  conditions: [5_000],
  title: "Grève",
  place: "",
  actionDay: "",
  actionDate: deadline + 7 * 86_400,
  pledgeDeadline: deadline,
};
const cases = [
  { kind: "reached" as const, from_level: 0, to_level: 1, committed: 3, paid: 0 },
  { kind: "lost" as const, from_level: 1, to_level: 0, committed: 1, paid: 0 },
  { kind: "lost" as const, from_level: 2, to_level: 1, committed: 3, paid: 0 },
  { kind: "covered" as const, from_level: 0, to_level: 1, committed: 3, paid: 0, coverage: 6_000 },
  { kind: "uncovered" as const, from_level: 1, to_level: 1, committed: 3, paid: 0, coverage: 4_000 },
  { kind: "uncovered" as const, from_level: 1, to_level: 0, committed: 1, paid: 0, coverage: 4_000 },
];
const subs = [
  { level: 1, condition: 0 },
  { level: 2, condition: 0 },
  { level: 1, condition: 1 },
];

describe("notifier texts around the pledge deadline", function () {
  it("say nothing of 'before the deadline' once it has passed, and that the pledge period has ended", function () {
    for (const e of cases)
      for (const sub of subs)
        for (const lang of ["en", "fr"] as const) {
          const p = notificationText(facts, e, { ...sub, lang }, "Europe/Paris", undefined, deadline + 60);
          const what = `${e.kind} ${e.to_level} ${JSON.stringify(sub)} ${lang}: ${p.body}`;
          expect(p.body, what).not.to.match(/before the deadline|avant la date limite/);
          if (e.kind !== "uncovered" || sub.condition > 0 || e.to_level === 0)
            expect(p.body, what).to.match(/pledge period has ended|période d’engagement est close/i);
        }
  });

  it("still say what can change before the deadline when it is ahead", function () {
    for (const e of cases)
      for (const lang of ["en", "fr"] as const) {
        const p = notificationText(
          facts,
          e,
          { level: 1, condition: 1, lang },
          "Europe/Paris",
          undefined,
          deadline - 60,
        );
        expect(p.body, `${e.kind} ${lang}: ${p.body}`).to.match(/before the deadline|avant la date limite/);
      }
  });
});

describe("feed entries around the pledge deadline", function () {
  const rows: EntryRow[] = cases.flatMap((e, i) =>
    [0, 1].map((condition) => ({
      campaign: facts.address,
      seq: 2 * i + condition + 1,
      block: 1,
      at: deadline - 3_600,
      condition,
      bound_condition: 0,
      bound_condition_level: e.to_level,
      coverage: 6_000,
      ...e,
    })),
  );
  const links = { campaignUrl: "https://bascule.example/#/c/x", feedUrl: "https://n.example/feed" };

  it("read once the deadline has passed, say what held at that point and that the period has ended", function () {
    for (const e of rows)
      for (const lang of ["en", "fr"] as const) {
        const { content } = entryText(facts, e, lang, "Europe/Paris", undefined, undefined, deadline + 60);
        const what = `${e.kind} ${e.to_level} condition ${e.condition} ${lang}: ${content}`;
        expect(content, what).not.to.match(
          /before the deadline|avant la date limite|does not bind for now|pour l’instant/,
        );
        expect(content, what).not.to.match(/would act now|agiraient maintenant|now bind|comptent désormais/);
        expect(content, what).to.match(/pledge period has ended|période d’engagement est close/);
      }
  });

  it("read before it, still say what binds now and until when", function () {
    const reached = rows.find((e) => e.kind === "reached")!;
    for (const lang of ["en", "fr"] as const) {
      const { content } = entryText(facts, reached, lang, "Europe/Paris", undefined, undefined, deadline - 60);
      expect(content).to.match(/before the deadline|avant la date limite/);
      expect(content).not.to.match(/pledge period has ended|période d’engagement est close/);
    }
  });

  it("the Atom feed generated after the deadline carries the new wording, updated at the deadline", function () {
    const before = atomFeed(facts, { created_at: deadline - 86_400 }, rows, "en", links, "UTC", [], deadline - 60);
    const after = atomFeed(facts, { created_at: deadline - 86_400 }, rows, "en", links, "UTC", [], deadline + 60);
    expect(before).to.contain("as long as the count does not drop before the deadline");
    expect(after).not.to.contain("before the deadline");
    expect(after).to.contain("The pledge period has ended");
    const stamp = new Date(deadline * 1000).toISOString();
    expect(after).to.contain(`<updated>${stamp}</updated>`);
    expect(before).not.to.contain(`<updated>${stamp}</updated>`);
    // the entry's own time is kept as its publication
    expect(after).to.contain(`<published>${new Date((deadline - 3_600) * 1000).toISOString()}</published>`);
  });
});

describe("push texts after the deadline", function () {
  it("never say a pledge 'does not bind for now' once the period has ended", function () {
    for (const e of cases)
      for (const sub of subs)
        for (const lang of ["en", "fr"] as const) {
          const p = notificationText(facts, e, { ...sub, lang }, "Europe/Paris", undefined, deadline + 60);
          expect(p.body, `${e.kind} ${lang}: ${p.body}`).not.to.match(
            /for now|pour l’instant|would act now|agiraient maintenant/,
          );
        }
  });
});
