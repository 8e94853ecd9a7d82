import { generatePrivateKey } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { parseLockedRoute } from "./receipt.ts";
import { lockReceipt, unlockReceipt } from "./receiptLock.ts";

const campaign = "0xd9992E703aa4Ac06E53a2af03D0c45AB536e0A83" as const;
const other = "0x00000000000000000000000000000000000000c1" as const;
// A smaller work factor keeps the test fast; the dApp uses 2^17. The factor travels in the link.
const logN = 10;

describe("passphrase-protected receipt", () => {
  it("holds no trace of the key and opens with the passphrase only", async () => {
    const r = { chainId: 31337, campaign, key: generatePrivateKey() };
    const route = await lockReceipt(r, "grève du 5 mai", { logN });
    expect(route).not.toContain(r.key.slice(2));
    expect(route.toLowerCase()).not.toContain(r.key.slice(2, 18).toLowerCase());
    const locked = parseLockedRoute(route)!;
    expect(locked).not.toBeNull();
    expect(await unlockReceipt(locked, "grève du 5 mai")).toEqual(r);
    expect(await unlockReceipt(locked, "greve du 5 mai")).toBeNull();
  });

  it("cannot be moved to another campaign nor altered", async () => {
    const r = { chainId: 31337, campaign, key: generatePrivateKey() };
    const route = await lockReceipt(r, "passphrase!", { logN });
    const moved = parseLockedRoute(route.replace(campaign, other))!;
    expect(await unlockReceipt(moved, "passphrase!")).toBeNull();
    const blob = route.split("/").pop()!;
    const flipped = blob.slice(0, -3) + (blob.at(-3) === "A" ? "B" : "A") + blob.slice(-2);
    const altered = parseLockedRoute(route.replace(blob, flipped));
    expect(altered === null || (await unlockReceipt(altered, "passphrase!")) === null).toBe(true);
  });

  it("uses a fresh salt each time and refuses short passphrases and malformed links", async () => {
    const r = { chainId: 1, campaign, key: generatePrivateKey() };
    const a = await lockReceipt(r, "12345678", { logN });
    const b = await lockReceipt(r, "12345678", { logN });
    expect(a).not.toBe(b);
    await expect(lockReceipt(r, "short", { logN })).rejects.toThrow();
    expect(parseLockedRoute(`/rp/1/${campaign}/abc`)).toBeNull();
    expect(parseLockedRoute(`/rp/1/0x12/${a.split("/").pop()}`)).toBeNull();
  });
});
