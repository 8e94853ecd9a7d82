/**
 * A notification sent after the pledge deadline (a late delivery, issue 19 "also seen") no longer
 * asks for anything "before the deadline": it says the pledge period has ended. Before the
 * deadline, the same texts still say what can change until then.
 */
import { expect } from "chai";
import { type CampaignFacts, notificationText } from "../../scripts/notifier/messages.js";

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
