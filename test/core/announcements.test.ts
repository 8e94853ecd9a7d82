/**
 * Organiser announcements (packages/core/src/announcements.ts, issue 22): only the campaign's
 * organiser, or a delegate it authorised for this campaign until an expiry, makes an announcement
 * that verifies; a copy on another campaign or chain, an altered text, an oversized one or one by
 * anyone else is refused with its code. A revocation by the organiser stops a delegate from its
 * `revokedAt` on, on that campaign and chain only.
 */
import { expect } from "chai";
import { type Address, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  ANNOUNCEMENT_LIMITS,
  type AnnouncementContent,
  type SignedAnnouncement,
  announcementDomain,
  announcementId,
  signAnnouncement,
  signDelegation,
  signRevocation,
  verifyAnnouncement,
  verifyRevocation,
} from "@bascule/core/announcements";
import { campaignDomain } from "@bascule/core/signing";

const CAMPAIGN = "0x00000000000000000000000000000000000ba5c0" as Address;
const OTHER_CAMPAIGN = "0x00000000000000000000000000000000000ba5c1" as Address;
const CHAIN = 31337;
const NOW = 1_780_000_000;

const organiser = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const delegate = privateKeyToAccount(generatePrivateKey());

const content: AnnouncementContent = {
  lang: "fr",
  title: "Assemblée générale jeudi",
  text: "Rendez-vous à la Bourse du travail pour voter la suite.",
  place: "Bourse du travail, Lille",
  startTime: NOW + 86_400,
  successor: null,
  issuedAt: NOW,
};

const ctx = { campaign: CAMPAIGN, chainId: CHAIN, organiser: organiser.address, now: NOW };

describe("announcements (core)", function () {
  it("verifies the organiser's announcement, with an id that is the digest of what was signed", async function () {
    const a = await signAnnouncement(organiser, CAMPAIGN, CHAIN, content);
    expect(await verifyAnnouncement(a, ctx)).to.equal(null);
    expect(a.signer).to.equal(getAddress(organiser.address));
    expect(announcementId(a)).to.match(/^0x[0-9a-f]{64}$/);
    // The same words written at another time are another announcement.
    const later = await signAnnouncement(organiser, CAMPAIGN, CHAIN, { ...content, issuedAt: NOW + 1 });
    expect(announcementId(later)).to.not.equal(announcementId(a));
  });

  it("refuses an announcement signed by anyone but the organiser", async function () {
    const a = await signAnnouncement(stranger, CAMPAIGN, CHAIN, content);
    expect(await verifyAnnouncement(a, ctx)).to.deep.equal({ code: "NOT_ORGANISER" });
  });

  it("refuses an altered text, or a signer who did not sign", async function () {
    const a = await signAnnouncement(organiser, CAMPAIGN, CHAIN, content);
    expect(await verifyAnnouncement({ ...a, text: "Grève annulée." }, ctx)).to.deep.equal({ code: "BAD_SIGNATURE" });
    expect(await verifyAnnouncement({ ...a, startTime: NOW + 2 * 86_400 }, ctx)).to.deep.equal({
      code: "BAD_SIGNATURE",
    });
    const s = await signAnnouncement(stranger, CAMPAIGN, CHAIN, content);
    // A stranger's signature presented as the organiser's.
    expect(await verifyAnnouncement({ ...s, signer: organiser.address }, ctx)).to.deep.equal({
      code: "BAD_SIGNATURE",
    });
    expect(await verifyAnnouncement({ ...a, signature: "0x1234" }, ctx)).to.deep.equal({ code: "BAD_SIGNATURE" });
  });

  it("refuses a copy on another campaign or chain", async function () {
    const a = await signAnnouncement(organiser, CAMPAIGN, CHAIN, content);
    // Posted as is to another campaign: the campaign it names is not that one.
    expect(await verifyAnnouncement(a, { ...ctx, campaign: OTHER_CAMPAIGN })).to.deep.equal({
      code: "WRONG_CAMPAIGN",
    });
    // Relabelled for the other campaign (same organiser there): the signature is bound to the first one.
    expect(
      await verifyAnnouncement({ ...a, campaign: OTHER_CAMPAIGN }, { ...ctx, campaign: OTHER_CAMPAIGN }),
    ).to.deep.equal({ code: "BAD_SIGNATURE" });
    expect(await verifyAnnouncement(a, { ...ctx, chainId: 1 })).to.deep.equal({ code: "WRONG_CHAIN" });
    expect(await verifyAnnouncement({ ...a, chainId: 1 }, { ...ctx, chainId: 1 })).to.deep.equal({
      code: "BAD_SIGNATURE",
    });
  });

  it("signs under a domain of its own, never one the campaign contract accepts", function () {
    // Pledges, claims and vouchers are signed under campaignDomain ("Bascule").
    expect(announcementDomain(CAMPAIGN, CHAIN).name).to.not.equal(campaignDomain(CAMPAIGN, CHAIN).name);
    expect(announcementDomain(CAMPAIGN, CHAIN).verifyingContract).to.equal(CAMPAIGN);
  });

  it("refuses oversized or empty fields, counting characters, not bytes", async function () {
    for (const field of ["title", "text", "place"] as const) {
      const max = ANNOUNCEMENT_LIMITS[field];
      const atMax = await signAnnouncement(organiser, CAMPAIGN, CHAIN, { ...content, [field]: "é".repeat(max) });
      expect(await verifyAnnouncement(atMax, ctx), `${field} at the limit`).to.equal(null);
      const over = await signAnnouncement(organiser, CAMPAIGN, CHAIN, { ...content, [field]: "é".repeat(max + 1) });
      expect(await verifyAnnouncement(over, ctx), field).to.deep.equal({ code: "TOO_LARGE", field, max });
    }
    // An emoji is one character.
    const emoji = await signAnnouncement(organiser, CAMPAIGN, CHAIN, {
      ...content,
      title: "✊🏽".repeat(ANNOUNCEMENT_LIMITS.title / 2),
    });
    expect(await verifyAnnouncement(emoji, ctx)).to.equal(null);
    const blank = await signAnnouncement(organiser, CAMPAIGN, CHAIN, { ...content, title: "  " });
    expect(await verifyAnnouncement(blank, ctx)).to.deep.equal({ code: "EMPTY", field: "title" });
  });

  it("refuses times a uint64 or a Date cannot hold, and one written far in the future", async function () {
    const bad: SignedAnnouncement = {
      ...(await signAnnouncement(organiser, CAMPAIGN, CHAIN, content)),
      startTime: -1,
    };
    expect(await verifyAnnouncement(bad, ctx)).to.deep.equal({ code: "BAD_TIME", field: "startTime" });
    const future = await signAnnouncement(organiser, CAMPAIGN, CHAIN, { ...content, issuedAt: NOW + 3_600 });
    expect(await verifyAnnouncement(future, ctx)).to.deep.equal({ code: "FROM_THE_FUTURE" });
  });

  it("accepts a delegate the organiser authorised for this campaign, until the expiry", async function () {
    const delegation = await signDelegation(organiser, CAMPAIGN, CHAIN, delegate.address, NOW + 3_600);
    const a = await signAnnouncement(delegate, CAMPAIGN, CHAIN, content, delegation);
    expect(await verifyAnnouncement(a, ctx)).to.equal(null);
    expect(await verifyAnnouncement(a, { ...ctx, now: NOW + 3_599 })).to.equal(null);
    expect(await verifyAnnouncement(a, { ...ctx, now: NOW + 3_600 })).to.deep.equal({
      code: "DELEGATION_EXPIRED",
      expiry: NOW + 3_600,
    });
  });

  it("refuses a delegation by someone else, for another campaign, altered, or for another key", async function () {
    const byStranger = await signDelegation(stranger, CAMPAIGN, CHAIN, delegate.address, NOW + 3_600);
    expect(
      await verifyAnnouncement(await signAnnouncement(delegate, CAMPAIGN, CHAIN, content, byStranger), ctx),
    ).to.deep.equal({ code: "NOT_ORGANISER" });
    const elsewhere = await signDelegation(organiser, OTHER_CAMPAIGN, CHAIN, delegate.address, NOW + 3_600);
    expect(
      await verifyAnnouncement(await signAnnouncement(delegate, CAMPAIGN, CHAIN, content, elsewhere), ctx),
    ).to.deep.equal({ code: "NOT_ORGANISER" });
    const good = await signDelegation(organiser, CAMPAIGN, CHAIN, delegate.address, NOW + 3_600);
    // The expiry pushed back by the delegate: the organiser never signed that.
    const extended = { ...good, expiry: NOW + 365 * 86_400 };
    expect(
      await verifyAnnouncement(await signAnnouncement(delegate, CAMPAIGN, CHAIN, content, extended), ctx),
    ).to.deep.equal({ code: "NOT_ORGANISER" });
    // Someone else's key carrying the delegate's delegation.
    expect(
      await verifyAnnouncement(await signAnnouncement(stranger, CAMPAIGN, CHAIN, content, good), ctx),
    ).to.deep.equal({ code: "BAD_DELEGATION" });
  });

  it("refuses a successor that is no campaign or the campaign itself", async function () {
    const self = await signAnnouncement(organiser, CAMPAIGN, CHAIN, { ...content, successor: CAMPAIGN });
    expect(await verifyAnnouncement(self, ctx)).to.deep.equal({ code: "BAD_SUCCESSOR" });
    const zero = await signAnnouncement(organiser, CAMPAIGN, CHAIN, {
      ...content,
      successor: "0x0000000000000000000000000000000000000000",
    });
    expect(await verifyAnnouncement(zero, ctx)).to.deep.equal({ code: "BAD_SUCCESSOR" });
    const next = await signAnnouncement(organiser, CAMPAIGN, CHAIN, { ...content, successor: OTHER_CAMPAIGN });
    expect(await verifyAnnouncement(next, ctx)).to.equal(null);
  });

  describe("revocations", function () {
    const delegation = () => signDelegation(organiser, CAMPAIGN, CHAIN, delegate.address, NOW + 30 * 86_400);

    it("verifies the organiser's revocation, and refuses anyone else's or one ahead of the clock", async function () {
      const r = await signRevocation(organiser, CAMPAIGN, CHAIN, delegate.address, NOW);
      expect(await verifyRevocation(r, ctx)).to.equal(null);
      const byStranger = await signRevocation(stranger, CAMPAIGN, CHAIN, delegate.address, NOW);
      expect(await verifyRevocation(byStranger, ctx)).to.deep.equal({ code: "NOT_ORGANISER" });
      // The delegate cannot revoke itself in the organiser's name (nor anyone else).
      const byDelegate = await signRevocation(delegate, CAMPAIGN, CHAIN, delegate.address, NOW);
      expect(await verifyRevocation(byDelegate, ctx)).to.deep.equal({ code: "NOT_ORGANISER" });
      expect(await verifyRevocation({ ...r, delegate: stranger.address }, ctx)).to.deep.equal({
        code: "BAD_SIGNATURE",
      });
      const ahead = await signRevocation(organiser, CAMPAIGN, CHAIN, delegate.address, NOW + 601);
      expect(await verifyRevocation(ahead, ctx)).to.deep.equal({ code: "FROM_THE_FUTURE" });
    });

    it("refuses a revocation replayed on another campaign or chain", async function () {
      const r = await signRevocation(organiser, CAMPAIGN, CHAIN, delegate.address, NOW);
      const there = { ...ctx, campaign: OTHER_CAMPAIGN };
      expect(await verifyRevocation(r, there)).to.deep.equal({ code: "WRONG_CAMPAIGN" });
      // Relabelled: the signature was for the first campaign's domain.
      expect(await verifyRevocation({ ...r, campaign: OTHER_CAMPAIGN }, there)).to.deep.equal({
        code: "BAD_SIGNATURE",
      });
      expect(await verifyRevocation(r, { ...ctx, chainId: 1 })).to.deep.equal({ code: "WRONG_CHAIN" });
      expect(await verifyRevocation({ ...r, chainId: 1 }, { ...ctx, chainId: 1 })).to.deep.equal({
        code: "BAD_SIGNATURE",
      });
    });

    it("refuses what the delegate signed from the revocation on, and keeps what it signed before", async function () {
      const d = await delegation();
      const revocations = [{ delegate: delegate.address, revokedAt: NOW + 100 }];
      const before = await signAnnouncement(delegate, CAMPAIGN, CHAIN, { ...content, issuedAt: NOW + 50 }, d);
      const after = await signAnnouncement(delegate, CAMPAIGN, CHAIN, { ...content, issuedAt: NOW + 100 }, d);
      // Judged when it was published (the dApp: at `publishedAt`), before the revocation: valid.
      expect(await verifyAnnouncement(before, { ...ctx, now: NOW + 60, revocations })).to.equal(null);
      expect(await verifyAnnouncement(after, { ...ctx, now: NOW + 100, revocations })).to.deep.equal({
        code: "DELEGATION_REVOKED",
        revokedAt: NOW + 100,
      });
      // Backdated by the revoked key, but published after the revocation: refused.
      expect(await verifyAnnouncement(before, { ...ctx, now: NOW + 200, revocations })).to.deep.equal({
        code: "DELEGATION_REVOKED",
        revokedAt: NOW + 100,
      });
      // Another delegate, and the organiser itself, are not touched.
      const other = privateKeyToAccount(generatePrivateKey());
      const od = await signDelegation(organiser, CAMPAIGN, CHAIN, other.address, NOW + 30 * 86_400);
      const byOther = await signAnnouncement(other, CAMPAIGN, CHAIN, { ...content, issuedAt: NOW + 150 }, od);
      expect(await verifyAnnouncement(byOther, { ...ctx, now: NOW + 200, revocations })).to.equal(null);
      const own = await signAnnouncement(organiser, CAMPAIGN, CHAIN, { ...content, issuedAt: NOW + 150 });
      expect(
        await verifyAnnouncement(own, {
          ...ctx,
          now: NOW + 200,
          revocations: [{ delegate: organiser.address, revokedAt: NOW }],
        }),
      ).to.equal(null);
    });

    it("asks the chain (ERC-1271) only for a signature that does not recover to the organiser", async function () {
      const contract = getAddress("0x00000000000000000000000000000000000c0de1");
      const asked: Address[] = [];
      const byOwner = await signAnnouncement(
        { address: contract, signTypedData: organiser.signTypedData as never },
        CAMPAIGN,
        CHAIN,
        content,
      );
      const contractCtx = {
        ...ctx,
        organiser: contract,
        verifyTypedData: async (args: { address: Address }) => (asked.push(args.address), true),
      };
      expect(await verifyAnnouncement(byOwner, contractCtx)).to.equal(null);
      expect(asked).to.deep.equal([contract]);
      // Without a chain to ask, a contract's signature is refused.
      expect(await verifyAnnouncement(byOwner, { ...ctx, organiser: contract })).to.deep.equal({
        code: "BAD_SIGNATURE",
      });
      // An account organiser's own signature recovers: the chain is not asked.
      asked.length = 0;
      const plain = await signAnnouncement(organiser, CAMPAIGN, CHAIN, content);
      expect(await verifyAnnouncement(plain, { ...contractCtx, organiser: organiser.address })).to.equal(null);
      expect(asked).to.deep.equal([]);
    });
  });
});
