import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import type { Address } from "viem";
import { attendanceCode, checkAttendance, invitesCsv, unionMetadata } from "./union.ts";

const CAMPAIGN = "0x00000000000000000000000000000000000ba5c0" as Address;
const OTHER = "0x00000000000000000000000000000000000ba5c1" as Address;
const DATE = 1_800_000_000n;

describe("attendance codes", () => {
  const key = privateKeyToAccount(generatePrivateKey());
  const pledged = new Set([key.address.toLowerCase()]);
  const ctx = { campaign: CAMPAIGN, chainId: 31337, actionDate: DATE, pledged };

  it("are short text that checks offline for the key that signed it", async () => {
    const code = await attendanceCode(key, CAMPAIGN, 31337, DATE);
    expect(code.length).toBeLessThan(120);
    expect(await checkAttendance(`  ${code}\n`, ctx)).toEqual({ ok: true, pledgeKey: key.address });
  });
  it("are refused for another campaign, chain or action date", async () => {
    const code = await attendanceCode(key, OTHER, 31337, DATE);
    expect(await checkAttendance(code, ctx)).toEqual({ ok: false, reason: "badSignature" });
    expect(await checkAttendance(await attendanceCode(key, CAMPAIGN, 1, DATE), ctx)).toEqual({
      ok: false,
      reason: "badSignature",
    });
    expect(await checkAttendance(await attendanceCode(key, CAMPAIGN, 31337, DATE + 1n), ctx)).toEqual({
      ok: false,
      reason: "badSignature",
    });
  });
  it("are refused when tampered, truncated or not a code", async () => {
    const code = await attendanceCode(key, CAMPAIGN, 31337, DATE);
    const flipped = code.slice(0, 10) + (code[10] === "A" ? "B" : "A") + code.slice(11);
    expect((await checkAttendance(flipped, ctx)).ok).toBe(false);
    expect(await checkAttendance(code.slice(0, -4), ctx)).toEqual({ ok: false, reason: "malformed" });
    expect(await checkAttendance("hello", ctx)).toEqual({ ok: false, reason: "malformed" });
  });
  it("are refused for a key that has no pledge in the campaign", async () => {
    const stranger = privateKeyToAccount(generatePrivateKey());
    expect(await checkAttendance(await attendanceCode(stranger, CAMPAIGN, 31337, DATE), ctx)).toEqual({
      ok: false,
      reason: "notPledged",
    });
  });
  it("cannot name another key than the signer's", async () => {
    const other = privateKeyToAccount(generatePrivateKey());
    const code = await attendanceCode(other, CAMPAIGN, 31337, DATE);
    // Put the pledged key's address in place of the signer's.
    const bytes = Uint8Array.from(atob(code.slice(3).replace(/-/g, "+").replace(/_/g, "/") + "=="), (c) =>
      c.charCodeAt(0),
    );
    bytes.set(
      Uint8Array.from(
        key.address
          .slice(2)
          .match(/../g)!
          .map((h) => parseInt(h, 16)),
      ),
      0,
    );
    const forged =
      "BA1" +
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    expect(await checkAttendance(forged, ctx)).toEqual({ ok: false, reason: "badSignature" });
  });
});

describe("union metadata", () => {
  it("keeps well-formed attester and desks, drops the rest", () => {
    const desk = {
      name: "Caisse",
      address: "0x1111111111111111111111111111111111111111",
      instructions: { en: "e", fr: "f" },
    };
    const m = unionMetadata({
      attester: { url: "./attester", keyId: `0x${"ab".repeat(32)}` },
      payoutDesks: [desk, { name: "x", address: "nope" }],
    });
    expect(m.attester?.url).toBe("./attester");
    expect(m.payoutDesks).toEqual([desk]);
    expect(unionMetadata({ attester: { url: "x", keyId: "0x12" } })).toEqual({});
  });
  it("invite CSV has one line per code with its link", () => {
    expect(invitesCsv("https://x/", CAMPAIGN, ["AAAA-BBBB"])).toBe(
      `code,link\nAAAA-BBBB,https://x/#/c/${CAMPAIGN}/invite/AAAA-BBBB\n`,
    );
  });
});

describe("payout desk references", () => {
  it("are 16 Crockford characters (80 bits) derived from the pledge key's address, a name and no proof", async () => {
    const { claimReference, deskCsv } = await import("./union.ts");
    const key = privateKeyToAccount(generatePrivateKey()).address;
    const ref = claimReference(key);
    expect(ref).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(claimReference(key.toLowerCase() as Address)).toBe(ref);
    expect(claimReference(privateKeyToAccount(generatePrivateKey()).address)).not.toBe(ref);
    expect(
      deskCsv([
        {
          reference: ref,
          amount: "0.1",
          pledgeKey: key,
          txHash: "0xab",
          paid: { paidAt: 1_700_000_000, clerk: "=A, B" },
        },
        { reference: ref, amount: "0.2", pledgeKey: key, txHash: "0xcd", paid: null },
      ]),
    ).toBe(
      "reference,amount,pledgeKey,transaction,paid,paidAt,clerk\n" +
        `${ref},0.1,${key},0xab,yes,2023-11-14T22:13:20.000Z,"=A, B"\n` +
        `${ref},0.2,${key},0xcd,no,,\n`,
    );
  });
});

describe("checkAtDesk", () => {
  const campaign = "0x00000000000000000000000000000000000000C1" as Address;
  const desk = "0x00000000000000000000000000000000000000D1" as Address;
  const at = { chainId: 31337, campaign, desk };
  const bank = { iban: "FR76 3000 6000 0112 3456 7890 189", holder: "Élise Durand" };

  it("pays the claim the slip's key sent to this desk, and nothing else", async () => {
    const { checkAtDesk } = await import("./union.ts");
    const { bankHash, signDeskSlip } = await import("@bascule/core/desk-slip");
    const beneficiary = privateKeyToAccount(generatePrivateKey());
    const h = bankHash(bank);
    if (!h.ok) throw new Error(h.reason);
    const slip = await signDeskSlip(beneficiary, { ...at, bankHash: h.hash });
    const claim = { pledgeKey: beneficiary.address, amount: 10n };
    const other = { pledgeKey: privateKeyToAccount(generatePrivateKey()).address, amount: 20n };
    expect(await checkAtDesk(slip, bank, at, [other, claim], new Map())).toEqual({
      ok: true,
      claim,
      iban: "FR7630006000011234567890189",
    });
    // No claim of this key to this desk (claimed elsewhere, or not yet).
    expect(await checkAtDesk(slip, bank, at, [other], new Map())).toEqual({ ok: false, reason: "noClaim" });
    // Already in the ledger.
    const mark = { claim: beneficiary.address.toLowerCase(), paidAt: 1, clerk: "A" };
    expect(await checkAtDesk(slip, bank, at, [claim], new Map([[beneficiary.address.toLowerCase(), mark]]))).toEqual({
      ok: false,
      reason: "alreadyPaid",
      paid: mark,
    });
    // Other bank details than those signed; a mistyped IBAN; no name.
    expect(await checkAtDesk(slip, { ...bank, iban: "DE89 3704 0044 0532 0130 00" }, at, [claim], new Map())).toEqual({
      ok: false,
      reason: "bankMismatch",
    });
    expect(
      await checkAtDesk(slip, { ...bank, iban: "FR76 3000 6000 0112 3456 7890 188" }, at, [claim], new Map()),
    ).toEqual({ ok: false, reason: "ibanChecksum" });
    expect(await checkAtDesk(slip, { ...bank, holder: "" }, at, [claim], new Map())).toEqual({
      ok: false,
      reason: "nameMissing",
    });
    // The reference an outsider computes from the public event is no slip.
    const { claimReference } = await import("./union.ts");
    expect(await checkAtDesk(claimReference(beneficiary.address), bank, at, [claim], new Map())).toEqual({
      ok: false,
      reason: "malformed",
    });
  });
});
