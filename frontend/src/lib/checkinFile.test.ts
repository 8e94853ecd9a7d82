/**
 * Check-in files (issue 20): a file carries each entry's attendance code and the campaign, and
 * every entry is checked again on merge, exactly as a scan checks it. A bare list of addresses, an
 * old `{ pledgeKeys }` file, a forged or tampered code, another campaign's or date's code inside a
 * file naming this campaign, and a file past the limits are each refused whole.
 */
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Address } from "viem";
import { describe, expect, it } from "vitest";
import { attendanceCode } from "./union.ts";
import {
  CHECKIN_LIMITS,
  type CheckinEntry,
  type CheckinFile,
  checkinFileText,
  mergeEntries,
  readCheckinFile,
} from "./checkinFile.ts";

const CAMPAIGN = "0x00000000000000000000000000000000000Ba5C0" as Address;
const OTHER = "0x00000000000000000000000000000000000ba5c1" as Address;
const DATE = 1_800_000_000n;
const CHAIN = 31337;

const members = Array.from({ length: 3 }, () => privateKeyToAccount(generatePrivateKey()));
const stranger = privateKeyToAccount(generatePrivateKey());
const pledged = new Set(members.map((m) => m.address.toLowerCase()));
const ctx = { campaign: CAMPAIGN, chainId: CHAIN, actionDate: DATE, pledged };

async function entry(
  who = members[0],
  o: { campaign?: Address; chainId?: number; date?: bigint } = {},
): Promise<CheckinEntry> {
  return {
    code: await attendanceCode(who, o.campaign ?? CAMPAIGN, o.chainId ?? CHAIN, o.date ?? DATE),
    pledgeKey: who.address,
  };
}

/** A file as this page exports it, then `edit` applied to its parsed form. */
function fileText(entries: CheckinEntry[], edit: (f: CheckinFile) => void = () => {}): string {
  const f = JSON.parse(checkinFileText(ctx, entries)) as CheckinFile;
  edit(f);
  return JSON.stringify(f);
}

/** The same code with one character of its signature part changed (still base64url, same length). */
function tamper(code: string, at = 60): string {
  return code.slice(0, at) + (code[at] === "A" ? "B" : "A") + code.slice(at + 1);
}

describe("check-in files", () => {
  describe("a file exported by this page", () => {
    it("is versioned, names its chain, campaign and date, and carries each code with the keeper's list", async () => {
      const entries = [await entry(members[1]), await entry(members[0])];
      const f = JSON.parse(checkinFileText(ctx, entries)) as CheckinFile;
      expect(f.version).toBe(1);
      expect(f.chainId).toBe(CHAIN);
      expect(f.campaign).toBe(CAMPAIGN);
      expect(f.actionDate).toBe(DATE.toString());
      expect(f.entries.map((e) => e.code)).toEqual(entries.map((e) => e.code));
      expect(f.pledgeKeys).toEqual([members[0].address, members[1].address].sort());
    });

    it("merges: every entry checked again, the new keys added once", async () => {
      const a = await entry(members[0]);
      const b = await entry(members[1]);
      const reading = await readCheckinFile(fileText([a, b]), ctx);
      expect(reading).toEqual({ ok: true, entries: [a, b] });
      const merged = mergeEntries([a], reading.ok ? reading.entries : []);
      expect(merged).toEqual({ entries: [a, b], added: 1 });
    });

    it("merges duplicate entries once", async () => {
      const a = await entry(members[0]);
      const reading = await readCheckinFile(
        fileText([a, a, { ...a, pledgeKey: a.pledgeKey.toLowerCase() as Address }]),
        ctx,
      );
      expect(reading.ok).toBe(true);
      expect(mergeEntries([], reading.ok ? reading.entries : [])).toEqual({ entries: [a], added: 1 });
      expect(mergeEntries([a], reading.ok ? reading.entries : [])).toEqual({ entries: [a], added: 0 });
    });
  });

  describe("is refused whole", () => {
    it("when it is a bare list of addresses, or an old { pledgeKeys } file, with or without a campaign", async () => {
      const keys = members.map((m) => m.address);
      expect(await readCheckinFile(JSON.stringify(keys), ctx)).toEqual({ ok: false, reason: "oldFormat" });
      expect(await readCheckinFile(JSON.stringify({ pledgeKeys: keys }), ctx)).toEqual({
        ok: false,
        reason: "oldFormat",
      });
      expect(await readCheckinFile(JSON.stringify({ campaign: CAMPAIGN, pledgeKeys: keys }), ctx)).toEqual({
        ok: false,
        reason: "oldFormat",
      });
    });

    it("when it is not a check-in file", async () => {
      for (const text of [
        "",
        "not json",
        "42",
        "null",
        '{"version":1}',
        fileText([], (f) => void (f.version = 2 as 1)),
      ])
        expect(await readCheckinFile(text, ctx), text).toEqual({ ok: false, reason: "notCheckin" });
      const a = await entry();
      expect(
        await readCheckinFile(
          fileText([a], (f) => void (f.entries[0].code = 7 as unknown as string)),
          ctx,
        ),
      ).toEqual({ ok: false, reason: "notCheckin" });
    });

    it("when it names another campaign, chain or action date", async () => {
      const a = await entry();
      expect(
        await readCheckinFile(
          fileText([a], (f) => void (f.campaign = OTHER)),
          ctx,
        ),
      ).toEqual({
        ok: false,
        reason: "otherCampaign",
      });
      expect(
        await readCheckinFile(
          fileText([a], (f) => void (f.chainId = 1)),
          ctx,
        ),
      ).toEqual({
        ok: false,
        reason: "otherCampaign",
      });
      expect(
        await readCheckinFile(
          fileText([a], (f) => void (f.actionDate = `${DATE + 1n}`)),
          ctx,
        ),
      ).toEqual({
        ok: false,
        reason: "otherDate",
      });
    });

    it("when one entry is forged: a stranger's key, a key written beside another's code, a made-up code", async () => {
      const good = await entry(members[0]);
      // A stranger's valid code (no pledge in this campaign).
      expect(await readCheckinFile(fileText([good, await entry(stranger)]), ctx)).toEqual({
        ok: false,
        reason: "entries",
        failed: { malformed: 0, badSignature: 0, notPledged: 1 },
        count: 1,
      });
      // A member's address written beside another member's code (and in the keeper's list).
      const other = await entry(members[1]);
      const swapped = fileText([good, { code: other.code, pledgeKey: members[2].address }]);
      expect(await readCheckinFile(swapped, ctx)).toMatchObject({
        ok: false,
        reason: "entries",
        failed: { badSignature: 1 },
        count: 1,
      });
      // Not a code at all.
      expect(await readCheckinFile(fileText([good, { code: "BA1hello", pledgeKey: members[1].address }]), ctx)).toEqual(
        {
          ok: false,
          reason: "entries",
          failed: { malformed: 1, badSignature: 0, notPledged: 0 },
          count: 1,
        },
      );
    });

    it("when a file naming this campaign holds another campaign's, chain's or date's code", async () => {
      const entries = [
        await entry(members[0]),
        await entry(members[1], { campaign: OTHER }),
        await entry(members[2], { date: DATE + 86_400n }),
      ];
      expect(await readCheckinFile(fileText(entries), ctx)).toEqual({
        ok: false,
        reason: "entries",
        failed: { malformed: 0, badSignature: 2, notPledged: 0 },
        count: 2,
      });
      expect(await readCheckinFile(fileText([await entry(members[1], { chainId: 1 })]), ctx)).toMatchObject({
        reason: "entries",
        count: 1,
      });
    });

    it("when a code was tampered with", async () => {
      const a = await entry(members[0]);
      const b = await entry(members[1]);
      const reading = await readCheckinFile(fileText([a, { ...b, code: tamper(b.code) }]), ctx);
      expect(reading).toMatchObject({ ok: false, reason: "entries", count: 1 });
    });

    it("when its keeper's list is not the keys of its entries", async () => {
      const a = await entry(members[0]);
      const added = fileText([a], (f) => void f.pledgeKeys.push(members[1].address));
      expect(await readCheckinFile(added, ctx)).toEqual({ ok: false, reason: "listMismatch" });
      const emptied = fileText([a], (f) => void (f.pledgeKeys = []));
      expect(await readCheckinFile(emptied, ctx)).toEqual({ ok: false, reason: "listMismatch" });
    });

    it("when it is larger than the limits, before any code is checked", async () => {
      const a = await entry(members[0]);
      const many = Array.from({ length: CHECKIN_LIMITS.entries + 1 }, () => a);
      const started = performance.now();
      expect(await readCheckinFile(fileText(many), ctx)).toEqual({ ok: false, reason: "tooLarge" });
      expect(performance.now() - started).toBeLessThan(5_000); // 10,001 checks would take far longer
      expect(await readCheckinFile(JSON.stringify(many.map((e) => e.pledgeKey)), ctx)).toEqual({
        ok: false,
        reason: "tooLarge",
      });
      expect(await readCheckinFile(" ".repeat(CHECKIN_LIMITS.bytes + 1), ctx)).toEqual({
        ok: false,
        reason: "tooLarge",
      });
    });
  });
});
