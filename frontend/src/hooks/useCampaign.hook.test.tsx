import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { encodeAbiParameters, encodeEventTopics, getAbiItem, type PublicClient, zeroAddress } from "viem";
import { campaignFactoryAbi } from "@bascule/core/generated/abis";
import { afterEach, describe, expect, it } from "vitest";
import { embedMetadata } from "@bascule/core/metadata";
import { NotACampaignError } from "../lib/errors.ts";
import { relayerClient } from "../lib/relayer.ts";
import { AppProvider } from "./app.tsx";
import { useCampaign } from "./useCampaign.ts";

afterEach(cleanup);

const campaign = "0x00000000000000000000000000000000000000c1" as const;
const factory = "0x00000000000000000000000000000000000000f1" as const;
const { uri, hash } = embedMetadata({
  title: "Grève",
  text: "",
  actionDate: "2027-05-01",
  place: "",
  languages: ["fr"],
});

/** A public client stand-in that records every call the hook makes. */
function fakeClient(known = true, conditions: number[] = []) {
  const calls: { method: string; detail: unknown }[] = [];
  let blocks = 0;
  const params = {
    token: "0x0000000000000000000000000000000000000000",
    pledgeDeadline: 2_000_000_000n,
    finalLock: 0n,
    actionDate: 2_000_100_000n,
    oracleWindow: 0n,
    claimWindow: 86_400n,
    supportCap: 10n,
    attester: "0x0000000000000000000000000000000000000000",
    oracle: "0x0000000000000000000000000000000000000000",
    metadataHash: hash,
    ladder: [2, 5],
    conditions,
  };
  const client = {
    readContract: async (a: { functionName: string; address: string; args?: unknown[] }) => {
      calls.push({ method: "readContract", detail: a.functionName });
      if (a.functionName === "isCampaign") return a.address === factory && a.args?.[0] === campaign && known;
      return [params, "0x00000000000000000000000000000000000000aa"];
    },
    // JSON-RPC as the paged log reader sends it: the factory's CampaignCreated log, then new blocks.
    request: async ({
      method,
      params: rpc,
    }: {
      method: string;
      params?: [{ address: string; fromBlock: string; toBlock: string }];
    }) => {
      calls.push({ method, detail: rpc?.[0] ?? null });
      // a new block on every call, as on a live chain
      if (method === "eth_blockNumber") return `0x${(16 + blocks++).toString(16)}`;
      if (method !== "eth_getLogs") throw new Error(`unexpected ${method}`);
      const filter = rpc![0];
      if (filter.address.toLowerCase() !== factory || Number(filter.fromBlock) > 7 || Number(filter.toBlock) < 7)
        return [];
      const log = encodeEventTopics({
        abi: campaignFactoryAbi,
        eventName: "CampaignCreated",
        args: { campaign, organiser: campaign, token: zeroAddress },
      });
      const data = encodeAbiParameters(
        getAbiItem({ abi: campaignFactoryAbi, name: "CampaignCreated" }).inputs.filter((i) => !i.indexed),
        [{ ...params, ladder: [...params.ladder], conditions: [...params.conditions] } as never, uri],
      );
      return [
        {
          address: factory,
          topics: log,
          data,
          blockNumber: "0x7",
          logIndex: "0x0",
          transactionHash: `0x${"ab".repeat(32)}`,
        },
      ];
    },
    multicall: async (a: { contracts: { functionName: string }[]; deployless?: boolean }) => {
      calls.push({
        method: "multicall",
        detail: { fns: a.contracts.map((c) => c.functionName), deployless: a.deployless },
      });
      const status = {
        phase: 1,
        tippingLevel: 0,
        committed: 0,
        triggeredDonations: 0n,
        requestedSupport: 0n,
        claimedTotal: 0n,
        donationCount: 1n,
        participationRoot: `0x${"00".repeat(32)}`,
      };
      return [
        status,
        [
          [3, 1],
          [4n, 0n],
          [7n, 1n],
        ],
        [0n, 2_000_186_400n],
        status,
        // conditionTallies: condition 1 then 2, per level (status again without conditions)
        conditions.length > 0
          ? [
              [
                [1, 0],
                [2, 1],
              ],
              [
                [1n, 0n],
                [3n, 0n],
              ],
            ]
          : status,
      ];
    },
    getBalance: async () => {
      calls.push({ method: "getBalance", detail: null });
      return 8n;
    },
    getBlock: async () => ({ timestamp: BigInt(Math.floor(Date.now() / 1000)) }),
  };
  return { client: client as unknown as PublicClient, calls };
}

function wrapper(client: PublicClient) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const config = {
    chainId: 31337,
    chainName: "local",
    rpcUrl: "/rpc",
    factory,
    fromBlock: "0",
    relayerUrl: "",
    listMinPledges: 3,
  };
  return ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <AppProvider config={config} client={client}>
        {children}
      </AppProvider>
    </QueryClientProvider>
  );
}

describe("useCampaign", () => {
  it("reads the live state in one deployless multicall, finds the creation block and follows only new blocks", async () => {
    const { client, calls } = fakeClient();
    const { result } = renderHook(() => useCampaign(campaign), { wrapper: wrapper(client) });
    await waitFor(() => expect(result.current.live).toBeDefined());
    const multicalls = calls.filter((c) => c.method === "multicall");
    expect(multicalls).toHaveLength(1);
    expect(multicalls[0].detail).toEqual({
      fns: ["status", "levelTallies", "windows", "status", "status"],
      deployless: true,
    });
    expect(result.current.static!.createdAt).toBe(7n);
    // Following the campaign reads from the latest block on, never from the factory's block.
    await waitFor(() =>
      expect(
        calls.some((c) => c.method === "eth_getLogs" && (c.detail as { address: string }).address === campaign),
      ).toBe(true),
    );
    const follow = calls.filter(
      (c) => c.method === "eth_getLogs" && (c.detail as { address: string }).address === campaign,
    );
    expect(Number((follow[0].detail as { fromBlock: string }).fromBlock)).toBeGreaterThan(16);
    const live = result.current.live!;
    expect(live.tallies.counts).toEqual([3n, 1n]);
    expect(live.balance).toBe(8n);
    expect(result.current.static!.metadata?.title).toBe("Grève");
    expect(result.current.static!.metadataCheck).toBe("ok");
  });
});

describe("useCampaign on a campaign with conditions", () => {
  it("reads each condition's part of the tallies in the same multicall", async () => {
    const { client, calls } = fakeClient(true, [5_000, 10_000]);
    const { result } = renderHook(() => useCampaign(campaign), { wrapper: wrapper(client) });
    await waitFor(() => expect(result.current.live).toBeDefined());
    const multicalls = calls.filter((c) => c.method === "multicall");
    expect(multicalls).toHaveLength(1);
    expect((multicalls[0].detail as { fns: string[] }).fns).toEqual([
      "status",
      "levelTallies",
      "windows",
      "status",
      "conditionTallies",
    ]);
    expect(result.current.live!.tallies.conditional).toEqual([
      { counts: [1n, 0n], requested: [1n, 0n] },
      { counts: [2n, 1n], requested: [3n, 0n] },
    ]);
    expect(result.current.live!.boundCondition).toBe(0);
  });
});

describe("useCampaign on an address the factory does not know", () => {
  it("refuses it with a clear error and reads nothing else from it", async () => {
    const { client, calls } = fakeClient(false);
    const { result } = renderHook(() => useCampaign(campaign), { wrapper: wrapper(client) });
    await waitFor(() => expect(result.current.error).toBeTruthy());
    expect(result.current.error).toBeInstanceOf(NotACampaignError);
    expect(calls.map((c) => c.detail)).not.toContain("parameters");
    expect(result.current.live).toBeUndefined();
  });
});

describe("relayerClient", () => {
  it("sends a pledge's condition with it", async () => {
    const bodies: unknown[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(String(init.body)));
      return Response.json({ id: "1", status: "queued" }, { status: 202 });
    }) as typeof fetch;
    try {
      await relayerClient("http://relayer.test").pledge(campaign, {
        level: 2,
        support: 75_000_000n,
        condition: 1,
        nonce: 0,
        r: `0x${"11".repeat(32)}`,
        vs: `0x${"22".repeat(32)}`,
        voucher: "0x",
      });
    } finally {
      globalThis.fetch = original;
    }
    expect(bodies).toEqual([
      {
        campaign,
        pledge: {
          level: 2,
          support: "75000000",
          condition: 1,
          nonce: 0,
          r: `0x${"11".repeat(32)}`,
          vs: `0x${"22".repeat(32)}`,
          voucher: "0x",
        },
      },
    ]);
  });

  it("reports an unconfigured relayer as down, so the dApp offers the wallet instead", async () => {
    await expect(relayerClient("").status()).rejects.toThrow("no relayer configured");
  });
});
