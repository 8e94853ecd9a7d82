import {
  encodeAbiParameters,
  encodeEventTopics,
  getAbiItem,
  getAddress,
  type Hex,
  type PublicClient,
  toHex,
  zeroAddress,
  zeroHash,
} from "viem";
import { campaignFactoryAbi } from "@bascule/core/generated/abis";
import { describe, expect, it } from "vitest";
import type { ApiCampaign } from "../../../indexer/lib/api.ts";
import type { AppConfig } from "../lib/config.ts";
import { INDEXER_MAX_LAG_BLOCKS, loadCampaignList } from "./useCampaignList.ts";

const factory = "0x00000000000000000000000000000000000000f1" as const;
const a1 = getAddress("0x00000000000000000000000000000000000000a1");
const a2 = getAddress("0x00000000000000000000000000000000000000a2");
const rogue = getAddress("0x00000000000000000000000000000000000000bd");

const config: AppConfig = {
  chainId: 31337,
  chainName: "local",
  rpcUrl: "/rpc",
  factory,
  fromBlock: "0",
  relayerUrl: "",
  indexerUrl: "http://indexer.test",
  listMinPledges: 3,
};

const CREATED = getAbiItem({ abi: campaignFactoryAbi, name: "CampaignCreated" });

/** A raw CampaignCreated log of the factory. */
function created(
  campaign: `0x${string}`,
  metadataURI: string,
  ladder: number[],
  pledgeDeadline: bigint,
  block: bigint,
  conditions: number[] = [],
) {
  const params = {
    token: zeroAddress,
    pledgeDeadline,
    finalLock: 0n,
    actionDate: pledgeDeadline + 86_400n,
    oracleWindow: 0n,
    claimWindow: 86_400n,
    supportCap: 0n,
    attester: zeroAddress,
    oracle: zeroAddress,
    metadataHash: zeroHash,
    ladder,
    conditions,
  };
  return {
    address: factory,
    topics: encodeEventTopics({
      abi: campaignFactoryAbi,
      eventName: "CampaignCreated",
      args: { campaign, organiser: factory, token: zeroAddress },
    }) as Hex[],
    data: encodeAbiParameters(
      CREATED.inputs.filter((i) => !i.indexed),
      [params, metadataURI],
    ),
    blockNumber: toHex(block),
    logIndex: "0x0",
    transactionHash: zeroHash,
    removed: false,
  };
}

/** The chain: two campaigns, [3, 1] and [0, 4] pledged on ladders [2, 5] and [1, 4]; the second resolved. */
function fakeChain(latest = 100n) {
  const calls: string[] = [];
  const client = {
    getBlockNumber: async () => {
      calls.push("getBlockNumber");
      return latest;
    },
    // The factory's CampaignCreated logs, raw, as eth_getLogs gives them to the paged reader.
    request: async ({ method }: { method: string }) => {
      calls.push(method);
      if (method === "eth_blockNumber") return toHex(latest);
      if (method === "eth_getLogs")
        return [created(a1, "data:,a1", [2, 5], 2_000_000_000n, 3n), created(a2, "data:,a2", [1, 4], 1_000n, 4n)];
      throw new Error(`unexpected ${method}`);
    },
    multicall: async (p: { contracts: { functionName: string; args?: readonly unknown[] }[] }) => {
      calls.push(`multicall:${p.contracts.map((c) => c.functionName).join(",")}`);
      if (p.contracts[0].functionName === "isCampaign") return p.contracts.map((c) => c.args![0] !== rogue);
      return asAllowed([
        { phase: 1, tippingLevel: 0, committed: 0, donationCount: 2n },
        [
          [3, 1],
          [0n, 0n],
          [0n, 0n],
        ],
        { phase: 2, tippingLevel: 2, committed: 4, donationCount: 0n },
        [
          [0, 4],
          [0n, 0n],
          [0n, 0n],
        ],
      ]);
    },
  };
  return { client: client as unknown as PublicClient, calls };
}

/** What viem's multicall gives with allowFailure: each result with its status. */
const asAllowed = (results: unknown[]) => results.map((result) => ({ status: "success" as const, result }));

const row = (address: `0x${string}`, over: Partial<ApiCampaign> = {}): ApiCampaign => ({
  address,
  organiser: factory,
  token: "0x0000000000000000000000000000000000000000",
  metadataURI: `data:,${address}`,
  metadataHash: `0x${"00".repeat(32)}`,
  ladder: [2, 5],
  conditions: [],
  pledgeDeadline: "2000000000",
  actionDate: "2000100000",
  createdBlock: "3",
  counts: [3, 1],
  requested: ["0", "0"],
  donated: ["0", "0"],
  conditional: [],
  pledgeCount: 4,
  donationCount: 2,
  donatedTotal: "0",
  provisionalTippingLevel: 1,
  provisionalCommitted: 3,
  provisionalBoundCondition: 0,
  provisionalBoundConditionLevel: 0,
  phase: 1,
  tippingLevel: null,
  committed: null,
  boundCondition: null,
  boundConditionLevel: null,
  activity: 6,
  updatedBlock: "9",
  ...over,
});

/** A fetch stand-in for the indexer: answers /campaigns and /status, records what was asked. */
function fakeIndexer(opts: { campaigns?: unknown; indexed?: number; status?: number; down?: boolean } = {}) {
  const asked: string[] = [];
  const fetcher = (async (input: string | URL | Request) => {
    const url = String(input);
    asked.push(url);
    if (opts.down) throw new TypeError("Failed to fetch");
    if (opts.status && opts.status !== 200) return new Response("{}", { status: opts.status });
    if (url.includes("/status"))
      return Response.json({ bascule: { id: 31337, block: { number: opts.indexed ?? 100, timestamp: 1 } } });
    return Response.json({
      campaigns: opts.campaigns ?? [row(a1, { pledgeCount: 40, provisionalCommitted: 30 })],
      listed: 1,
      hidden: 1,
    });
  }) as typeof fetch;
  return { fetcher, asked };
}

describe("loadCampaignList", () => {
  it("reads the counts, the would-act-now figure and the phase from the indexer when it is up", async () => {
    const { client, calls } = fakeChain();
    const { fetcher, asked } = fakeIndexer();
    const list = await loadCampaignList(config, client, fetcher);
    expect(list.source).toBe("indexer");
    expect(list.hidden).toBe(1);
    expect(list.listed.map((c) => [c.address, c.pledges, c.committed, c.phase, c.tippingLevel])).toEqual([
      [a1, 40n, 30n, 1, 1],
    ]);
    expect(asked[0]).toBe("http://indexer.test/campaigns?minPledges=3&limit=500");
    // No scan of the factory's logs: only the latest block and the factory check.
    expect(calls).toEqual(["getBlockNumber", "multicall:isCampaign"]);

    // Checksummed like the chain path, whatever case the indexer used.
    const lower = "0x62b9f159529e3277941733836f2f064ee8a0980d" as const;
    const again = await loadCampaignList(config, client, fakeIndexer({ campaigns: [row(lower)] }).fetcher);
    expect(again.listed[0].address).toBe("0x62b9F159529e3277941733836F2F064ee8a0980D");
    expect(getAddress(lower)).toBe(again.listed[0].address);
  });

  it("drops an address the factory did not create, whatever the indexer says", async () => {
    const { client } = fakeChain();
    const { fetcher } = fakeIndexer({ campaigns: [row(rogue, { pledgeCount: 1_000_000 }), row(a1)] });
    const list = await loadCampaignList(config, client, fetcher);
    expect(list.listed.map((c) => c.address)).toEqual([a1]);
  });

  it("shows the contract's result for a resolved campaign", async () => {
    const { client } = fakeChain();
    const { fetcher } = fakeIndexer({
      campaigns: [
        row(a2, { phase: 2, tippingLevel: 2, committed: 4, provisionalTippingLevel: 2, provisionalCommitted: 4 }),
      ],
    });
    const [c] = (await loadCampaignList(config, client, fetcher)).listed;
    expect([c.phase, c.tippingLevel, c.committed]).toEqual([2, 2, 4n]);
  });

  const chainList = [
    [a1, 4n, 3n, 1, 1],
    [a2, 4n, 4n, 2, 2],
  ];
  const summary = (l: Awaited<ReturnType<typeof loadCampaignList>>) =>
    l.listed.map((c) => [c.address, c.pledges, c.committed, c.phase, c.tippingLevel]);

  it("falls back to the chain when the indexer is down, with the same figures from levelTallies and the model", async () => {
    const { client, calls } = fakeChain();
    const { fetcher } = fakeIndexer({ down: true });
    const list = await loadCampaignList(config, client, fetcher);
    expect(list.source).toBe("chain");
    expect(summary(list)).toEqual(chainList);
    expect(calls).toContain("eth_getLogs");
  });

  it("falls back to the chain on an HTTP error", async () => {
    const { client } = fakeChain();
    const list = await loadCampaignList(config, client, fakeIndexer({ status: 503 }).fetcher);
    expect([list.source, summary(list)]).toEqual(["chain", chainList]);
  });

  it(`falls back to the chain when the indexer is more than ${INDEXER_MAX_LAG_BLOCKS} blocks behind`, async () => {
    const behind = await loadCampaignList(config, fakeChain(200n).client, fakeIndexer({ indexed: 100 }).fetcher);
    expect(behind.source).toBe("chain");
    const close = await loadCampaignList(config, fakeChain(130n).client, fakeIndexer({ indexed: 100 }).fetcher);
    expect(close.source).toBe("indexer");
  });

  it("falls back to the chain when the indexer's answer is malformed", async () => {
    const list = await loadCampaignList(config, fakeChain().client, fakeIndexer({ campaigns: "nope" }).fetcher);
    expect(list.source).toBe("chain");
  });

  it("never asks an indexer when none is configured", async () => {
    const { fetcher, asked } = fakeIndexer();
    const list = await loadCampaignList({ ...config, indexerUrl: "" }, fakeChain().client, fetcher);
    expect(list.source).toBe("chain");
    expect(asked).toEqual([]);
  });
});

describe("listFromChain with support conditions", () => {
  it("reads each condition's part of the tallies and counts only the pledges that would bind", async () => {
    // ladder [2, 5]; at level 1 three pledges, two of them asking 10 each with condition "all"
    // (10,000 bp), 5 donated there: the two do not fit, and one pledge alone reaches no threshold.
    // From the counts alone C(1) = 3 ≥ 2 would read "3 would act".
    const calls: string[] = [];
    const client = {
      getBlockNumber: async () => 100n,
      request: async ({ method }: { method: string }) => {
        if (method === "eth_blockNumber") return toHex(100n);
        if (method === "eth_getLogs") return [created(a1, "data:,a1", [2, 5], 2_000_000_000n, 3n, [10_000])];
        throw new Error(`unexpected ${method}`);
      },
      multicall: async (p: { contracts: { functionName: string }[] }) => {
        calls.push(p.contracts.map((c) => c.functionName).join(","));
        return asAllowed([
          { phase: 1, tippingLevel: 0, committed: 0, donationCount: 1n },
          [
            [3, 1],
            [20n, 0n],
            [5n, 0n],
          ],
          [[[2, 0]], [[20n, 0n]]],
        ]);
      },
    } as unknown as PublicClient;
    const list = await loadCampaignList({ ...config, indexerUrl: "", listMinPledges: 1 }, client);
    expect(calls).toEqual(["status,levelTallies,conditionTallies"]);
    expect(list.listed.map((c) => [c.pledges, c.tippingLevel, c.committed])).toEqual([[4n, 0, 0n]]);
  });
});

describe("listFromChain when a campaign's state cannot be read", () => {
  it("lists the others and says how many it left out, instead of blanking the list", async () => {
    const client = {
      getBlockNumber: async () => 100n,
      request: async ({ method }: { method: string }) => {
        if (method === "eth_blockNumber") return toHex(100n);
        if (method === "eth_getLogs")
          return [created(a1, "data:,a1", [2, 5], 2_000_000_000n, 3n), created(a2, "data:,a2", [1, 4], 1_000n, 4n)];
        throw new Error(`unexpected ${method}`);
      },
      multicall: async () => [
        { status: "failure", error: new Error("execution reverted") },
        { status: "failure", error: new Error("execution reverted") },
        { status: "success", result: { phase: 2, tippingLevel: 2, committed: 4, donationCount: 0n } },
        {
          status: "success",
          result: [
            [0, 4],
            [0n, 0n],
            [0n, 0n],
          ],
        },
      ],
    } as unknown as PublicClient;
    const list = await loadCampaignList({ ...config, indexerUrl: "", listMinPledges: 1 }, client);
    expect(list.listed.map((c) => c.address)).toEqual([a2]);
    expect(list.unreadable).toBe(1);
  });

  it("asks each campaign directly when the whole multicall fails, and lists them", async () => {
    const direct: string[] = [];
    const client = {
      getBlockNumber: async () => 100n,
      request: async ({ method }: { method: string }) => {
        if (method === "eth_blockNumber") return toHex(100n);
        if (method === "eth_getLogs") return [created(a2, "data:,a2", [1, 4], 1_000n, 4n)];
        throw new Error(`unexpected ${method}`);
      },
      multicall: async () => [
        { status: "failure", error: new Error("deployless call refused") },
        { status: "failure", error: new Error("deployless call refused") },
      ],
      readContract: async (c: { functionName: string }) => {
        direct.push(c.functionName);
        return c.functionName === "status"
          ? { phase: 2, tippingLevel: 2, committed: 4, donationCount: 0n }
          : [
              [0, 4],
              [0n, 0n],
              [0n, 0n],
            ];
      },
    } as unknown as PublicClient;
    const list = await loadCampaignList({ ...config, indexerUrl: "", listMinPledges: 1 }, client);
    expect(direct).toEqual(["status", "levelTallies"]);
    expect(list.listed.map((c) => [c.address, c.committed])).toEqual([[a2, 4n]]);
    expect(list.unreadable).toBe(0);
  });
});
