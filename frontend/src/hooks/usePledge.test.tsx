/**
 * A change sent from the receipt page that the relayer took is not reported as failed (issue 19,
 * item 2): when the relayer goes silent after accepting it, or a retry is told it was already
 * received, the key's record on the chain decides.
 */
import { renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { type Address, type PublicClient, zeroAddress } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppProvider } from "./app.tsx";
import { RelayerDownError, RelayerError } from "../lib/errors.ts";
import { type PledgeRecord, useReceiptActions } from "./usePledge.ts";

vi.mock("./useWallet.ts", () => ({ useWalletWrite: () => ({ write: async () => "0x" }) }));

const campaign = "0x00000000000000000000000000000000000000C1" as Address;
afterEach(() => vi.unstubAllGlobals());

/** The relayer through fetch: POST /v1/pledges answers `post`; polling its request answers nothing. */
function relayer(post: { status: number; body: unknown } | "down") {
  vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
    if (init?.method === "POST" && url.endsWith("/v1/pledges")) {
      if (post === "down") throw new TypeError("Failed to fetch");
      return new Response(JSON.stringify(post.body), {
        status: post.status,
        headers: { "content-type": "application/json" },
      });
    }
    throw new TypeError("Failed to fetch");
  });
}

function actions(nonceOnChain: () => number) {
  const client = {
    readContract: async () => ({ level: 1, support: 0n, condition: 0, nonce: nonceOnChain(), claimed: false }),
  } as unknown as PublicClient;
  const config = {
    chainId: 31337,
    chainName: "local",
    rpcUrl: "/rpc",
    factory: zeroAddress,
    fromBlock: "0",
    relayerUrl: "http://dapp.test/relayer",
    listMinPledges: 3,
  };
  const wrapper = ({ children }: { children: ReactNode }) => (
    <AppProvider config={config} client={client}>
      {children}
    </AppProvider>
  );
  const receipt = { chainId: 31337, campaign, key: generatePrivateKey(), savedAt: 0 };
  return renderHook(() => useReceiptActions(receipt, "0123456789abcdef"), { wrapper }).result.current;
}

const record = { level: 2, support: 0n, condition: 0, nonce: 1 } as unknown as PledgeRecord;
const events = () => ({ onQueued: vi.fn(), onRelayerDown: vi.fn() });

describe("useReceiptActions.pledge: a change the relayer took", () => {
  it("accepted, then the relayer goes silent: recorded on the chain, so it resolves", async () => {
    relayer({ status: 202, body: { id: "req-1", status: "queued" } });
    let reads = 0;
    const a = actions(() => (++reads >= 2 ? 2 : 1));
    const e = events();
    await expect(a.pledge(record, { level: 1, support: 0n, condition: 0 }, e)).resolves.toBeUndefined();
    expect(e.onQueued).toHaveBeenCalledOnce();
    expect(e.onRelayerDown).not.toHaveBeenCalled();
  });

  it("a retry told DUPLICATE_PLEDGE resolves once the chain shows the change", async () => {
    relayer({
      status: 409,
      body: { error: { code: "DUPLICATE_PLEDGE", message: { en: "already received", fr: "déjà reçu" } } },
    });
    const e = events();
    await expect(actions(() => 2).pledge(record, { level: 1, support: 0n, condition: 0 }, e)).resolves.toBeUndefined();
    expect(e.onQueued).toHaveBeenCalledOnce();
  });

  it("a relayer never reached is still a failure with the wallet offered, and a refusal stays one", async () => {
    relayer("down");
    const e = events();
    await expect(actions(() => 2).pledge(record, { level: 1, support: 0n, condition: 0 }, e)).rejects.toBeInstanceOf(
      RelayerDownError,
    );
    expect(e.onRelayerDown).toHaveBeenCalledOnce();
    relayer({
      status: 409,
      body: { error: { code: "FINAL_LOCK_ACTIVE", message: { en: "locked", fr: "verrouillé" } } },
    });
    await expect(
      actions(() => 2).pledge(record, { level: 0, support: 0n, condition: 0 }, events()),
    ).rejects.toBeInstanceOf(RelayerError);
  });
});
