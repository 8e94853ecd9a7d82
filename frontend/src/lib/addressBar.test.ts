import { bytesToBase64url } from "@bascule/core/base64url";
import { parseRoute } from "@bascule/core/routes";
import { generatePrivateKey } from "viem/accounts";
import { beforeEach, describe, expect, it } from "vitest";
import { heldInviteCode, heldLockedReceipt, takeSecretsFromAddressBar } from "./addressBar.ts";
import { LOCKED_VERSION } from "./receipt.ts";
import { keptReceipt } from "./receiptStore.ts";

const campaign = "0xd9992E703aa4Ac06E53a2af03D0c45AB536e0A83" as const;
const code = "7K3M-Q9XD-2HPA-WV4R";
/** A protected receipt link's blob of the right shape (version, scrypt log N, salt, nonce, sealed key). */
const blob = bytesToBase64url(Uint8Array.from([LOCKED_VERSION, 17, ...Array.from({ length: 76 }, (_, i) => i)]));

/** Everything this page has written where it persists: both storages. */
const stored = () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage });

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  window.history.replaceState(null, "", "/");
});

describe("secrets leave the address bar and the history entry", () => {
  it("an invite link: the code is held in memory only, the page shows the campaign", () => {
    window.history.pushState(null, "", `/app/#/c/${campaign}/invite/${code}`);
    const before = window.history.length;
    takeSecretsFromAddressBar();
    expect(window.location.hash).toBe(`#/c/${campaign}`);
    expect(window.location.pathname).toBe("/app/");
    expect(window.location.href).not.toContain(code);
    expect(window.history.length).toBe(before);
    expect(heldInviteCode(campaign)).toBe(code);
    expect(heldInviteCode(campaign.toLowerCase() as typeof campaign)).toBe(code);
    expect(stored()).not.toContain(code);
  });

  it("an invite code with characters that need escaping comes back as typed", () => {
    window.history.replaceState(null, "", `/#/c/${campaign}/invite/${encodeURIComponent("ab c/é")}`);
    takeSecretsFromAddressBar();
    expect(window.location.hash).toBe(`#/c/${campaign}`);
    expect(heldInviteCode(campaign)).toBe("ab c/é");
  });

  it("a protected receipt link: the encrypted key is held in memory only, the page shows an opaque id", () => {
    window.history.pushState(null, "", `/#/rp/31337/${campaign}/${blob}`);
    const before = window.history.length;
    takeSecretsFromAddressBar();
    const route = parseRoute(window.location.hash.slice(1));
    expect(route).toMatchObject({ page: "unlock" });
    expect(window.location.href).not.toContain(blob);
    expect(window.history.length).toBe(before);
    const id = (route as { id: string }).id;
    expect(heldLockedReceipt(id)).toEqual({ chainId: 31337, campaign, blob });
    expect(heldLockedReceipt("0000000000000000")).toBeNull();
    expect(stored()).not.toContain(blob);
  });

  it("a receipt link: the key is kept on the device, the page shows #/my/<id>", () => {
    const key = generatePrivateKey();
    window.history.replaceState(null, "", `/#/r/31337/${campaign}/${key}`);
    takeSecretsFromAddressBar();
    const m = /^#\/my\/([0-9a-f]{16})$/.exec(window.location.hash);
    expect(m).not.toBeNull();
    expect(keptReceipt(m![1])).toMatchObject({ campaign, key });
  });

  it("leaves every other route alone", () => {
    for (const route of [`/c/${campaign}`, `/v/${campaign}`, "/create", `/rp/1/${campaign}/short`, "/"]) {
      window.history.replaceState(null, "", `/#${route}`);
      takeSecretsFromAddressBar();
      expect(window.location.hash).toBe(`#${route}`);
    }
  });

  it("also when the link arrives later, by a change of the fragment (scrub.ts listens)", async () => {
    await import("../scrub.ts");
    window.location.hash = `#/c/${campaign}/invite/LATE-CODE`;
    await new Promise((resolve) => window.addEventListener("hashchange", resolve, { once: true }));
    expect(window.location.hash).toBe(`#/c/${campaign}`);
    expect(heldInviteCode(campaign)).toBe("LATE-CODE");
  });
});
