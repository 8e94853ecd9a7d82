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
});
