/**
 * The notifier's dates for any uint64 a campaign may carry (issue 20): anyone can create a campaign,
 * and an action date or pledge deadline of 10^13 s (year 318,857) or 2^64 - 1 made `Intl` throw
 * ("RangeError: Invalid time value") out of every notification, feed and calendar entry of it.
 */
import { expect } from "chai";
import ICAL from "ical.js";
import { XMLValidator } from "fast-xml-parser";
import { calendarEntry, atomFeed } from "../../scripts/notifier/feeds.js";
import { NotifierError } from "../../scripts/notifier/errors.js";
import { type CampaignFacts, formatDay, formatDeadline, notificationText } from "../../scripts/notifier/messages.js";

const NNBSP = "\u202f";
const MAX_UINT64 = Number(2n ** 64n - 1n); // as the store keeps it (a JavaScript number)

function facts(seconds: number, actionDay = ""): CampaignFacts {
  return {
    address: "0x00000000000000000000000000000000000000C1",
    ladder: [2, 5],
    conditions: [],
    title: "Grève",
    place: "",
    actionDay,
    actionDate: seconds,
    pledgeDeadline: seconds,
  };
}

describe("notifier dates", function () {
  describe("formatDay and formatDeadline", function () {
    it("render 0 and 1 s as 1 January 1970", function () {
      for (const s of [0, 1]) {
        expect(formatDay(facts(s), "en", "UTC")).to.equal("1 January 1970");
        expect(formatDay(facts(s), "fr", "UTC")).to.equal("1 janvier 1970");
        expect(formatDeadline(facts(s), "en", "UTC")).to.equal("1 January 1970 at 00:00");
        expect(formatDeadline(facts(s), "fr", "UTC")).to.equal("1 janvier 1970 à 00:00");
      }
    });

    it("render 10^13 s and 2^64 - 1 s as past the calendar, in both languages, without throwing", function () {
      for (const s of [1e13, MAX_UINT64, Number.MAX_VALUE, Infinity, NaN]) {
        expect(formatDay(facts(s), "en", "Europe/Paris"), String(s)).to.equal("after the year 275,760");
        expect(formatDay(facts(s), "fr", "Europe/Paris")).to.equal(`après l\u2019an 275${NNBSP}760`);
        expect(formatDeadline(facts(s), "en", "Europe/Paris")).to.equal("after the year 275,760");
        expect(formatDeadline(facts(s), "fr", "Europe/Paris")).to.equal(`après l\u2019an 275${NNBSP}760`);
      }
    });

    it("render the last instant a Date holds, and the described day when it is a real one", function () {
      expect(formatDay(facts(8.64e12), "en", "UTC")).to.equal("13 September 275760");
      expect(formatDay(facts(1e13, "2027-05-01"), "fr", "UTC")).to.equal("1 mai 2027");
      // A described day that is no day: the action date instead.
      expect(formatDay(facts(0, "2027-13-45"), "en", "UTC")).to.equal("1 January 1970");
      expect(formatDay(facts(1e13, "2027-13-45"), "en", "UTC")).to.equal("after the year 275,760");
    });
  });

  describe("a campaign whose dates are 10^13 s or 2^64 - 1 s", function () {
    for (const s of [1e13, MAX_UINT64]) {
      it(`gets its notifications and feed (${s} s)`, function () {
        const entry = { kind: "reached" as const, from_level: 0, to_level: 1, committed: 2, paid: 0 };
        const fr = notificationText(facts(s), entry, { level: 1, lang: "fr" }, "Europe/Paris");
        expect(fr.body).to.include(`après l\u2019an 275${NNBSP}760`);
        const en = notificationText(facts(s), entry, { level: 1, lang: "en" }, "Europe/Paris");
        expect(en.body).to.include("after the year 275,760");
        const xml = atomFeed(
          facts(s),
          { created_at: 1_800_000_000 },
          [],
          "en",
          { campaignUrl: "https://x/", feedUrl: "https://x/f" },
          "UTC",
        );
        expect(XMLValidator.validate(xml)).to.equal(true);
        expect(xml).to.include("for the action on after the year 275,760");
      });

      it(`has its calendar entry refused with DATE_BEYOND_CALENDAR (${s} s)`, function () {
        expect(() => calendarEntry(facts(s), "fr", { campaignUrl: "https://x/" }))
          .to.throw(NotifierError)
          .with.property("code", "DATE_BEYOND_CALENDAR");
      });
    }

    it("gets a calendar entry up to 31 December 9999, none after", function () {
      const last = Date.UTC(9999, 11, 31) / 1000;
      const cal = new ICAL.Component(
        ICAL.parse(calendarEntry(facts(last, "9999-12-31"), "en", { campaignUrl: "https://x/" })),
      );
      expect(new ICAL.Event(cal.getFirstSubcomponent("vevent")!).startDate.toString()).to.equal("9999-12-31");
      expect(() => calendarEntry(facts(last + 86_400), "en", { campaignUrl: "https://x/" })).to.throw(NotifierError);
    });
  });
});
