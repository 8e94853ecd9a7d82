/**
 * The dApp's routes: every builder's route is read back by the parser the dApp's router uses, and
 * the links the services print are the ones the dApp opens.
 */
import { expect } from "chai";
import type { Address, Hex } from "viem";
import {
  appUrl,
  campaignPath,
  campaignUrl,
  checkinPath,
  deskPath,
  href,
  keptReceiptPath,
  lockedReceiptPath,
  parseRoute,
  posterPath,
  receiptPath,
  unionPath,
  unlockPath,
  verifyPath,
} from "@bascule/core/routes";

const campaign = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;
const desk = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as Address;
const key = `0x${"ab".repeat(32)}` as Hex;

describe("routes", function () {
  describe("builders and parseRoute", function () {
    it("reads back every page's route", function () {
      expect(parseRoute(campaignPath(campaign))).to.deep.equal({ page: "campaign", campaign });
      expect(parseRoute(campaignPath(campaign, "ab c/é"))).to.deep.equal({
        page: "campaign",
        campaign,
        inviteCode: "ab c/é",
      });
      expect(parseRoute(verifyPath(campaign))).to.deep.equal({ page: "verify", campaign });
      expect(parseRoute(posterPath(campaign))).to.deep.equal({ page: "poster", campaign });
      expect(parseRoute(unionPath(campaign))).to.deep.equal({ page: "union", campaign });
      expect(parseRoute(checkinPath(campaign))).to.deep.equal({ page: "checkin", campaign });
      expect(parseRoute(deskPath(campaign, desk))).to.deep.equal({ page: "desk", campaign, desk });
      expect(parseRoute(receiptPath({ chainId: 31337, campaign, key }))).to.deep.equal({
        page: "receipt",
        chainId: 31337,
        campaign,
        key,
      });
      const blob = "A".repeat(104);
      expect(parseRoute(lockedReceiptPath({ chainId: 1, campaign, blob }))).to.deep.equal({
        page: "locked-receipt",
        chainId: 1,
        campaign,
        blob,
      });
      expect(parseRoute(keptReceiptPath("0123456789abcdef"))).to.deep.equal({
        page: "kept-receipt",
        id: "0123456789abcdef",
      });
      expect(parseRoute(unlockPath("0123456789abcdef"))).to.deep.equal({ page: "unlock", id: "0123456789abcdef" });
      expect(parseRoute("/unlock/0123")).to.equal(null);
      expect(parseRoute("/")).to.deep.equal({ page: "list" });
      expect(parseRoute("/create")).to.deep.equal({ page: "create" });
      expect(parseRoute("/how")).to.deep.equal({ page: "how" });
    });

    it("refuses a wrongly checksummed address, and tells a malformed receipt link from an unknown page", function () {
      const badChecksum = campaign.replace("F", "f");
      expect(parseRoute(`/c/${badChecksum}`)).to.equal(null);
      expect(parseRoute(`/c/${campaign.toLowerCase()}`)).to.deep.equal({
        page: "campaign",
        campaign: campaign.toLowerCase(),
      });
      expect(parseRoute("/r/1/0x12/0x34")).to.deep.equal({ page: "bad-receipt" });
      expect(parseRoute("/rp/1/nothing")).to.deep.equal({ page: "bad-receipt" });
      expect(parseRoute("/nowhere")).to.equal(null);
      expect(parseRoute(`/c/${campaign}/invite/%E0%A4%A`)).to.equal(null);
    });
  });

  describe("links", function () {
    it("builds the fragment and the full link the services print", function () {
      expect(href(campaignPath(campaign))).to.equal(`#/c/${campaign}`);
      expect(campaignUrl("http://127.0.0.1:5173/", campaign)).to.equal(`http://127.0.0.1:5173/#/c/${campaign}`);
      expect(appUrl("https://bascule.example/app/#/c/other", verifyPath(campaign))).to.equal(
        `https://bascule.example/app/#/v/${campaign}`,
      );
    });
  });
});
