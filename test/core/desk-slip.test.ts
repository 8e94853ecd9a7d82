/**
 * Desk slips (packages/core/src/desk-slip.ts, issue 20): only the receipt's pledge key can make a
 * slip a desk accepts, for one chain, campaign, desk and bank account; what the public
 * SupportClaimed event shows (the pledge key's address, the desk) is not enough to make one.
 */
import { expect } from "chai";
import { type Address, type Hex, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  bankHash,
  checkDeskSlip,
  decodeDeskSlip,
  encodeDeskSlip,
  normaliseHolder,
  normaliseIban,
  signDeskSlip,
} from "@bascule/core/desk-slip";

const CAMPAIGN = "0x00000000000000000000000000000000000ba5c0" as Address;
const OTHER_CAMPAIGN = "0x00000000000000000000000000000000000ba5c1" as Address;
const DESK = "0x00000000000000000000000000000000000000D1" as Address;
const OTHER_DESK = "0x00000000000000000000000000000000000000D2" as Address;
const CHAIN = 31337;
// A valid French IBAN (the checksum is right) and the same one mistyped by one digit.
const IBAN = "FR76 3000 6000 0112 3456 7890 189";
const IBAN_TYPO = "FR76 3000 6000 0112 3456 7890 188";
const OTHER_IBAN = "DE89 3704 0044 0532 0130 00";

function hashOf(iban: string, holder: string): Hex {
  const h = bankHash({ iban, holder });
  if (!h.ok) throw new Error(h.reason);
  return h.hash;
}

describe("desk slips", () => {
  const beneficiary = privateKeyToAccount(generatePrivateKey());
  const at = { chainId: CHAIN, campaign: CAMPAIGN, desk: DESK };

  describe("bank details", () => {
    it("normalise an IBAN typed with spaces and lower case, and refuse a wrong checksum, country or length", () => {
      expect(normaliseIban(" fr76 3000-6000 0112 3456 7890 189 ")).to.deep.equal({
        ok: true,
        iban: "FR7630006000011234567890189",
      });
      expect(normaliseIban(IBAN_TYPO)).to.deep.equal({ ok: false, reason: "ibanChecksum" });
      expect(normaliseIban("ZZ76 3000 6000 0112 3456 7890 189")).to.deep.equal({ ok: false, reason: "ibanCountry" });
      expect(normaliseIban("FR76 3000 6000")).to.deep.equal({ ok: false, reason: "ibanFormat" });
      expect(normaliseIban("  ")).to.deep.equal({ ok: false, reason: "ibanMissing" });
    });

    it("read a holder's name with or without accents, in any case and spacing, as the same", () => {
      expect(normaliseHolder("  Élise   Durand-Lévy ")).to.equal("ELISE DURAND-LEVY");
      expect(hashOf(IBAN, "elise durand-levy")).to.equal(hashOf("fr7630006000011234567890189", "Élise Durand-Lévy"));
      expect(hashOf(IBAN, "Élise Durand")).to.not.equal(hashOf(IBAN, "Élise Durant"));
      expect(bankHash({ iban: IBAN, holder: " " })).to.deep.equal({ ok: false, reason: "nameMissing" });
    });
  });

  describe("checkDeskSlip", () => {
    it("accepts the beneficiary's slip for this desk and these bank details, naming the pledge key", async () => {
      const bank = hashOf(IBAN, "Élise Durand");
      const slip = await signDeskSlip(beneficiary, { ...at, bankHash: bank });
      expect(slip).to.match(/^BDS1[A-Za-z0-9_-]{222}$/);
      expect(await checkDeskSlip(slip, { ...at, bank })).to.deep.equal({ ok: true, pledgeKey: beneficiary.address });
      // The same slip again, made later from the receipt: the same text (deterministic signature).
      expect(await signDeskSlip(beneficiary, { ...at, bankHash: bank })).to.equal(slip);
    });

    it("refuses the slip when the desk is to pay other bank details than the ones signed", async () => {
      const slip = await signDeskSlip(beneficiary, { ...at, bankHash: hashOf(IBAN, "Élise Durand") });
      for (const bank of [hashOf(OTHER_IBAN, "Élise Durand"), hashOf(IBAN, "Mallory Durand")]) {
        expect(await checkDeskSlip(slip, { ...at, bank })).to.deep.equal({ ok: false, reason: "bankMismatch" });
      }
    });

    it("refuses a slip whose bank hash was altered to the attacker's account", async () => {
      const slip = await signDeskSlip(beneficiary, { ...at, bankHash: hashOf(IBAN, "Élise Durand") });
      const attacker = hashOf(OTHER_IBAN, "Mallory");
      const altered = encodeDeskSlip({ ...decodeDeskSlip(slip)!, bankHash: attacker });
      expect(await checkDeskSlip(altered, { ...at, bank: attacker })).to.deep.equal({
        ok: false,
        reason: "badSignature",
      });
    });

    it("refuses an outsider who knows only the public SupportClaimed event (pledge key address, desk)", async () => {
      const outsider = privateKeyToAccount(generatePrivateKey());
      const bank = hashOf(OTHER_IBAN, "Mallory");
      // The outsider signs with their own key and writes the beneficiary's address in the slip.
      const own = decodeDeskSlip(await signDeskSlip(outsider, { ...at, bankHash: bank }))!;
      const forged = encodeDeskSlip({ ...own, pledgeKey: beneficiary.address });
      expect(await checkDeskSlip(forged, { ...at, bank })).to.deep.equal({ ok: false, reason: "badSignature" });
      // A signature of random bytes, or none at all.
      const junk = encodeDeskSlip({ ...own, pledgeKey: beneficiary.address, signature: toHex(new Uint8Array(65)) });
      expect(await checkDeskSlip(junk, { ...at, bank })).to.deep.equal({ ok: false, reason: "badSignature" });
      // What the event gives alone: the old reference, or the pledge key's address, is no slip.
      expect(await checkDeskSlip("A48N-WE6N", { ...at, bank })).to.deep.equal({ ok: false, reason: "malformed" });
      expect(await checkDeskSlip(beneficiary.address, { ...at, bank })).to.deep.equal({
        ok: false,
        reason: "malformed",
      });
    });

    it("refuses a slip made for another desk, campaign or chain, even rewritten to name this one", async () => {
      const bank = hashOf(IBAN, "Élise Durand");
      const cases: [Partial<typeof at>, string][] = [
        [{ desk: OTHER_DESK }, "otherDesk"],
        [{ campaign: OTHER_CAMPAIGN }, "otherCampaign"],
        [{ chainId: 1 }, "otherChain"],
      ];
      for (const [other, reason] of cases) {
        const slip = await signDeskSlip(beneficiary, { ...at, ...other, bankHash: bank });
        expect(await checkDeskSlip(slip, { ...at, bank })).to.deep.equal({ ok: false, reason });
        // Its fields rewritten to this desk, campaign and chain: the signature no longer matches.
        const rewritten = encodeDeskSlip({ ...decodeDeskSlip(slip)!, ...at });
        expect(await checkDeskSlip(rewritten, { ...at, bank })).to.deep.equal({ ok: false, reason: "badSignature" });
      }
    });

    it("refuses malformed text: a cut or padded slip, another prefix, an attendance code", async () => {
      const bank = hashOf(IBAN, "Élise Durand");
      const slip = await signDeskSlip(beneficiary, { ...at, bankHash: bank });
      for (const text of [slip.slice(0, -4), slip + "AAAA", "BDS2" + slip.slice(4), "BA1" + slip.slice(4), ""]) {
        expect(await checkDeskSlip(text, { ...at, bank })).to.deep.equal({ ok: false, reason: "malformed" });
      }
      // Whitespace from a copy and paste or an email line break is ignored.
      const wrapped = `${slip.slice(0, 100)}\n${slip.slice(100)} `;
      expect((await checkDeskSlip(wrapped, { ...at, bank })).ok).to.equal(true);
      expect(keccak256(toHex(slip))).to.not.equal(keccak256(toHex(wrapped)));
    });
  });
});
