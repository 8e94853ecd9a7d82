import { generatePrivateKey } from "viem/accounts";
import { beforeEach, describe, expect, it } from "vitest";
import { parseReceiptRoute } from "./receipt.ts";
import { forgetReceipt, keepReceipt, keptReceipt, rememberSupport, takeReceiptFromAddressBar } from "./receiptStore.ts";

const campaign = "0xd9992E703aa4Ac06E53a2af03D0c45AB536e0A83" as const;

beforeEach(() => {
  localStorage.clear();
  window.history.replaceState(null, "", "/");
});

describe("receipts kept on this device", () => {
  it("takes the key out of the address bar and the current history entry at once", () => {
    const key = generatePrivateKey();
    window.history.pushState(null, "", `/app/#/r/31337/${campaign}/${key}`);
    const before = window.history.length;
    const id = takeReceiptFromAddressBar(parseReceiptRoute)!;
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(window.location.href).not.toContain(key.slice(2));
    expect(window.location.hash).toBe(`#/my/${id}`);
    expect(window.location.pathname).toBe("/app/");
    expect(window.history.length).toBe(before);
    expect(keptReceipt(id)).toMatchObject({ chainId: 31337, campaign, key });
  });

  it("leaves other addresses alone, and a malformed receipt link too", () => {
    window.history.replaceState(null, "", `/#/c/${campaign}`);
    expect(takeReceiptFromAddressBar(parseReceiptRoute)).toBeNull();
    expect(window.location.hash).toBe(`#/c/${campaign}`);
    window.history.replaceState(null, "", `/#/r/1/${campaign}/0x12`);
    expect(takeReceiptFromAddressBar(parseReceiptRoute)).toBeNull();
  });

  it("gives the same id to the same receipt, remembers the support asked, and forgets on request", () => {
    const r = { chainId: 1, campaign, key: generatePrivateKey() };
    const id = keepReceipt(r, 5n);
    expect(keepReceipt(r)).toBe(id);
    expect(keptReceipt(id)!.support).toBe("5");
    rememberSupport(id, 7n);
    expect(keptReceipt(id)!.support).toBe("7");
    forgetReceipt(id);
    expect(keptReceipt(id)).toBeNull();
  });
});
