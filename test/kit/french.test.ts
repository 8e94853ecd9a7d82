/**
 * Every French text the services give a person, held to the rule the dApp's catalogues follow
 * (frontend/src/i18n/messages.test.ts): typographic apostrophes, a no-break space before : ; ! ?
 * (issue 19: "code d'invitation a déjà servi", "Ce site n'a pas accès au relais"). The refusals of
 * every service (scripts/*\/errors.ts) and every notification and feed text of the notifier, in each
 * situation a subscriber can be in.
 */
import { expect } from "chai";
import { frenchTypographyFaults } from "@bascule/core/typography";
import { HTTP_ERRORS } from "../../scripts/kit/errors.js";
import { ERRORS as RELAYER_ERRORS } from "../../scripts/relayer/errors.js";
import { ATTESTER_ERRORS } from "../../scripts/attester/errors.js";
import { ERRORS as NOTIFIER_ERRORS } from "../../scripts/notifier/errors.js";
import { type CampaignFacts, entryText, notificationText } from "../../scripts/notifier/messages.js";
import { atomFeed, calendarEntry } from "../../scripts/notifier/feeds.js";
import type { EntryKind, EntryRow } from "../../scripts/notifier/store.js";
import { resolutionText, tippingText } from "../../scripts/federation/objects.js";
import { fr as fundsFr } from "../../frontend/src/i18n/messages/funds.js";

function faultsOf(where: string, text: string): string[] {
  return frenchTypographyFaults(text).map((f) => `${where}: ${f}`);
}

describe("French typography of the services", function () {
  it("finds a straight apostrophe and a missing no-break space (the checker can fail)", function () {
    expect(frenchTypographyFaults("Ce site n'a pas accès")).to.have.length(1);
    expect(frenchTypographyFaults("Réessayez : maintenant")).to.have.length(1);
    expect(frenchTypographyFaults("Réessayez\u202f: maintenant, à 10:00")).to.deep.equal([]);
  });

  it("writes every refusal of the relayer, attester, notifier and the shared HTTP plugin in French typography", function () {
    const catalogues = {
      kit: HTTP_ERRORS,
      relayer: RELAYER_ERRORS,
      attester: ATTESTER_ERRORS,
      notifier: NOTIFIER_ERRORS,
    };
    const faults: string[] = [];
    let count = 0;
    for (const [service, errors] of Object.entries(catalogues)) {
      for (const [code, def] of Object.entries(errors as Record<string, { message: { fr: string } }>)) {
        count++;
        faults.push(...faultsOf(`${service} ${code}`, def.message.fr));
      }
    }
    expect(count).to.be.greaterThan(50);
    expect(faults).to.deep.equal([]);
  });

  describe("the notifier", function () {
    const campaign: CampaignFacts = {
      address: "0x00000000000000000000000000000000000000C1",
      ladder: [2, 5, 10],
      conditions: [5_000, 10_000],
      title: "",
      place: "Gare de Lyon",
      actionDay: "2027-05-01",
      actionDate: 1_809_000_000,
      pledgeDeadline: 1_808_000_000,
    };
    const kinds: EntryKind[] = ["reached", "lost", "covered", "uncovered", "resolved", "reminder"];
    // bound sets: failed, j* = 1, j* = 3 with conditions bound up to (2, 1)
    const bounds = [
      { to_level: 0, bound_condition: 0, bound_condition_level: 0 },
      { to_level: 1, bound_condition: 0, bound_condition_level: 1 },
      { to_level: 3, bound_condition: 2, bound_condition_level: 1 },
    ];
    function entries(): EntryRow[] {
      return kinds.flatMap((kind) =>
        bounds.flatMap((b) =>
          [0, 1, 2].map((condition) => ({
            campaign: campaign.address,
            seq: 1,
            kind,
            from_level: 2,
            committed: b.to_level === 0 ? 0 : 7,
            paid: b.to_level === 3 ? 1_000 : 0,
            block: 1,
            at: 1_808_500_000,
            condition,
            coverage: 6_250,
            ...b,
          })),
        ),
      );
    }

    it("writes every notification, for every subscriber's situation, in French typography", function () {
      const faults: string[] = [];
      let count = 0;
      for (const e of entries()) {
        for (const level of [1, 2, 3]) {
          for (const condition of [0, 1, 2]) {
            const p = notificationText(campaign, e, { level, condition, lang: "fr" }, "Europe/Paris");
            count++;
            faults.push(...faultsOf(`${e.kind} to ${e.to_level} at level ${level} condition ${condition}`, p.title));
            faults.push(...faultsOf(`${e.kind} to ${e.to_level} at level ${level} condition ${condition}`, p.body));
          }
        }
      }
      expect(count).to.be.greaterThan(400);
      expect(faults).to.deep.equal([]);
    });

    it("writes every feed entry, the feed and the calendar entry in French typography", function () {
      const faults: string[] = [];
      for (const e of entries()) {
        const { title, content } = entryText(campaign, e, "fr", "Europe/Paris");
        faults.push(...faultsOf(`feed ${e.kind} to ${e.to_level}`, title), ...faultsOf(`feed ${e.kind}`, content));
      }
      const links = { campaignUrl: "https://bascule.example/#/c/x", feedUrl: "https://n.example/feed" };
      const feed = atomFeed(campaign, { created_at: 1_807_000_000 }, entries().slice(0, 3), "fr", links, "UTC");
      // the feed's own words (its XML and links aside)
      for (const m of feed.matchAll(/<(title|subtitle|summary|content)[^>]*>([^<]*)</g))
        faults.push(...faultsOf(`atom ${m[1]}`, m[2]));
      const ics = calendarEntry(campaign, "fr", links).replace(/\r\n /g, "");
      for (const m of ics.matchAll(/^(SUMMARY|DESCRIPTION)[^:]*:(.*)$/gm))
        faults.push(...faultsOf(`ics ${m[1]}`, m[2].replace(/\\([,;\\])/g, "$1")));
      expect(faults).to.deep.equal([]);
    });
  });

  // i18n/README.md: "engagé·e" says someone has pledged; people who are bound (their threshold is
  // reached, they strike) are "tenu·e·s de faire grève". Every count the notifier and the federation
  // give is of people who are bound (the tipping count), so none may read "engagé·es".
  describe("one word for the bound", function () {
    const COUNT = 7;
    /** "7 personnes sont (maintenant) engagées", "1 personne engagée", "personne n’est engagé". */
    function boundAsPledged(where: string, text: string): string[] {
      const found = text.match(
        /\b\d[\d\u202f\u00a0]* personnes? (?:(?:sont|est|étaient|était) )?(?:maintenant )?engagée?s?\b|personne n’est engagé/g,
      );
      return (found ?? []).map((m) => `${where}: "${m}"`);
    }
    const campaign: CampaignFacts = {
      address: "0x00000000000000000000000000000000000000C1",
      ladder: [2, 5, 10],
      conditions: [5_000, 10_000],
      title: "Grève",
      place: "Gare de Lyon",
      actionDay: "2027-05-01",
      actionDate: 1_809_000_000,
      pledgeDeadline: 1_808_000_000,
    };
    const kinds: EntryKind[] = ["reached", "lost", "covered", "uncovered", "resolved", "reminder"];

    it("finds 'engagées' used for a count (the check can fail)", function () {
      expect(boundAsPledged("x", "7 personnes sont maintenant engagées, au moins…")).to.have.length(1);
      expect(boundAsPledged("x", "1 personne engagée pour l’instant")).to.have.length(1);
      expect(boundAsPledged("x", "aucun seuil n’a été atteint, personne n’est engagé.")).to.have.length(1);
      expect(boundAsPledged("x", "7 personnes sont tenues de faire grève. Votre engagement compte.")).to.deep.equal([]);
    });

    it("the notifier's push and feed texts say 'tenues de faire grève', before and after the deadline", function () {
      const faults: string[] = [];
      let bound = 0;
      for (const kind of kinds)
        for (const committed of [1, COUNT])
          for (const to_level of [0, 1, 3])
            for (const now of [campaign.pledgeDeadline - 60, campaign.pledgeDeadline + 60]) {
              const e: EntryRow = {
                campaign: campaign.address,
                seq: 1,
                kind,
                from_level: 2,
                to_level,
                committed: to_level === 0 ? 0 : committed,
                paid: 0,
                block: 1,
                at: campaign.pledgeDeadline - 3_600,
                condition: 1,
                bound_condition: 0,
                bound_condition_level: to_level,
                coverage: 6_250,
              };
              const where = `${kind} to ${to_level} committed ${e.committed} at ${now}`;
              for (const level of [1, 2, 3])
                for (const condition of [0, 1]) {
                  const p = notificationText(
                    campaign,
                    e,
                    { level, condition, lang: "fr" },
                    "Europe/Paris",
                    undefined,
                    now,
                  );
                  faults.push(...boundAsPledged(`push ${where} level ${level}`, `${p.title} ${p.body}`));
                  if (/tenues? de faire grève/.test(p.body)) bound++;
                }
              const f = entryText(campaign, e, "fr", "Europe/Paris", undefined, undefined, now);
              faults.push(...boundAsPledged(`feed ${where}`, `${f.title} ${f.content}`));
            }
      expect(faults).to.deep.equal([]);
      // the bound count is still said, in the right words
      expect(bound).to.be.greaterThan(50);
    });

    it("the federation's notes and events say 'tenu·e·s de faire grève'", function () {
      const facts = { levels: 3 } as Parameters<typeof tippingText>[0];
      const faults: string[] = [];
      for (const committed of [0, 1, COUNT])
        for (const [from, to] of [
          [0, 1],
          [2, 1],
          [1, 0],
        ]) {
          const text = tippingText(facts, from, to, committed, "fr");
          faults.push(...boundAsPledged(`tipping ${from}→${to} ${committed}`, text));
          if (to > 0)
            expect(text).to.match(committed === 1 ? /\b1 personne tenue de faire grève/ : /tenues de faire grève/);
        }
      const failed = resolutionText(
        { ...facts, actionDate: 1_809_000_000 } as Parameters<typeof resolutionText>[0],
        { tippingLevel: 0, committed: 0 },
        "fr",
        "Europe/Paris",
      );
      faults.push(...boundAsPledged("resolution failed", failed));
      expect(failed).to.contain("personne n’est tenu de faire grève");
      expect(faults).to.deep.equal([]);
    });

    it("the funds panel's support asked by those bound says 'tenues de faire grève'", function () {
      expect(fundsFr["funds.requested"]).to.match(/tenues de faire grève/);
      expect(fundsFr["funds.requested"]).not.to.match(/engag/);
    });
  });
});
