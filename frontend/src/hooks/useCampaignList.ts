import { useQuery } from "@tanstack/react-query";
import { type Address, type decodeEventLog, getAddress, type PublicClient } from "viem";
import type { ApiCampaignList } from "../../../indexer/lib/api.ts";
import { sizerFor } from "@bascule/core/logs";
import { readCampaignsCreated } from "@bascule/core/replay";
import { type Tallies, resolve } from "@bascule/core/model";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { absoluteUrl, type AppConfig } from "../lib/config.ts";
import { useApp } from "./app.tsx";

export interface ListedCampaign {
  address: Address;
  metadataURI: string;
  /** People ready: pledges standing now. */
  pledges: bigint;
  donations: bigint;
  phase: number;
  /** The contract's j* once resolved; before, the reference model's provisional j*. */
  tippingLevel: number;
  /** How many would act now: P from the reference model on the counts (the contract's once resolved). */
  committed: bigint;
  pledgeDeadline: bigint;
  /** Pledges plus donations: the list's sort key. */
  activity: bigint;
}

type CreatedArgs = ReturnType<typeof decodeEventLog<typeof campaignFactoryAbi, "CampaignCreated">>["args"];
interface ListCache {
  cursor: bigint;
  logs: { args: CreatedArgs }[];
}
/** The factory's creation logs read so far, per client: a refresh reads only the new blocks. */
const listCache = new WeakMap<object, ListCache>();

/**
 * Where the list came from. "indexer": faster, but not a trustless check (the page says so; each
 * campaign's own page reads the chain). "chain": read from the chain directly.
 */
export type ListSource = "indexer" | "chain";

export interface CampaignList {
  listed: ListedCampaign[];
  hidden: number;
  source: ListSource;
  /** Campaigns whose state the chain did not give (a read that failed): left out, and said. */
  unreadable?: number;
}

/** An indexer further behind the chain than this many blocks is treated as down. */
export const INDEXER_MAX_LAG_BLOCKS = 30n;
/** How long the list waits for the indexer before reading the chain. */
export const INDEXER_TIMEOUT_MS = 4_000;

const isAddress = (a: unknown): a is Address => typeof a === "string" && /^0x[0-9a-fA-F]{40}$/.test(a);
const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/**
 * The list from the indexer: its counts and phase, checked for shape, for freshness against the
 * chain's latest block, and each address against the factory (`isCampaign`, one multicall), so a
 * lying indexer cannot send anyone to a contract the factory did not create. Throws when the
 * indexer is down, slow, behind or malformed: the caller then reads the chain.
 */
export async function listFromIndexer(
  config: AppConfig,
  client: PublicClient,
  fetcher: typeof fetch = fetch,
): Promise<CampaignList> {
  const base = absoluteUrl(config.indexerUrl ?? "");
  const get = async (path: string) => {
    const r = await fetcher(`${base}${path}`, {
      signal: AbortSignal.timeout(INDEXER_TIMEOUT_MS),
      credentials: "omit",
      referrerPolicy: "no-referrer",
    });
    if (!r.ok) throw new Error(`indexer ${path}: HTTP ${r.status}`);
    return r.json() as Promise<unknown>;
  };
  const [body, status, latest] = await Promise.all([
    get(`/campaigns?minPledges=${config.listMinPledges}&limit=500`) as Promise<ApiCampaignList>,
    get("/status") as Promise<Record<string, { id?: number; block?: { number?: number } }>>,
    client.getBlockNumber(),
  ]);
  const chain = Object.values(status ?? {}).find((c) => c?.id === config.chainId);
  const indexed = chain?.block?.number;
  if (!isCount(indexed)) throw new Error("indexer: no status for this chain");
  if (BigInt(indexed) + INDEXER_MAX_LAG_BLOCKS < latest)
    throw new Error(`indexer: ${latest - BigInt(indexed)} blocks behind`);
  if (!Array.isArray(body?.campaigns) || !isCount(body.hidden)) throw new Error("indexer: malformed list");
  const rows = body.campaigns.filter(
    (c) =>
      isAddress(c.address) &&
      isCount(c.pledgeCount) &&
      isCount(c.donationCount) &&
      isCount(c.provisionalCommitted) &&
      isCount(c.provisionalTippingLevel) &&
      (c.phase === 1 || c.phase === 2) &&
      /^\d{1,20}$/.test(c.pledgeDeadline),
  );
  if (rows.length === 0) return { listed: [], hidden: body.hidden, source: "indexer" };
  const known = await client.multicall({
    contracts: rows.map(
      (c) =>
        ({ address: config.factory, abi: campaignFactoryAbi, functionName: "isCampaign", args: [c.address] }) as const,
    ),
    allowFailure: false,
    deployless: true,
  });
  const listed = rows
    .filter((_, i) => known[i] === true)
    .map((c): ListedCampaign => ({
      // Checksummed, as the chain's logs give it: the same links whichever source answered.
      address: getAddress(c.address),
      metadataURI: typeof c.metadataURI === "string" ? c.metadataURI : "",
      pledges: BigInt(c.pledgeCount),
      donations: BigInt(c.donationCount),
      phase: c.phase,
      tippingLevel: c.phase === 2 ? (c.tippingLevel ?? 0) : c.provisionalTippingLevel,
      committed: BigInt(c.phase === 2 ? (c.committed ?? 0) : c.provisionalCommitted),
      pledgeDeadline: BigInt(c.pledgeDeadline),
      activity: BigInt(c.pledgeCount) + BigInt(c.donationCount),
    }));
  return { listed, hidden: body.hidden, source: "indexer" };
}

/**
 * Every campaign the factory created, with enough state to list it, in two requests: the
 * factory's logs (paged, only the new blocks on a refresh), then one multicall over all campaigns. Slower than the indexer at scale, and
 * needs no other service.
 */
export async function listFromChain(config: AppConfig, client: PublicClient): Promise<CampaignList> {
  // The factory's CampaignCreated logs from its deployment block, in pages under the endpoint's
  // limits; later refreshes read only the blocks since the last one.
  const cache = listCache.get(client) ?? { cursor: BigInt(config.fromBlock), logs: [] };
  listCache.set(client, cache);
  for await (const page of readCampaignsCreated({
    client,
    factory: config.factory,
    fromBlock: cache.cursor,
    sizer: sizerFor(client),
  })) {
    for (const created of page.created) cache.logs.push({ args: created });
    cache.cursor = page.toBlock + 1n;
  }
  const logs = cache.logs;
  if (logs.length === 0) return { listed: [], hidden: 0, source: "chain" };
  // Each condition's part too where the campaign offers conditions: the provisional result is then
  // the one the contract will compute (MECHANISM "Resolution with conditions").
  const conditionsOf = (l: (typeof logs)[number]) => l.args.params!.conditions ?? [];
  // One read failing (a node's limit, a campaign whose view cannot answer) leaves that campaign
  // out, said on the page, instead of blanking the whole list.
  const contracts = logs.flatMap((l) => [
    { address: l.args.campaign!, abi: campaignAbi, functionName: "status" } as const,
    { address: l.args.campaign!, abi: campaignAbi, functionName: "levelTallies" } as const,
    ...(conditionsOf(l).length > 0
      ? [{ address: l.args.campaign!, abi: campaignAbi, functionName: "conditionTallies" } as const]
      : []),
  ]);
  let reads: { status: "success" | "failure"; result?: unknown; error?: unknown }[] = await client.multicall({
    contracts,
    allowFailure: true,
    deployless: true,
  });
  // Every read of the one multicall failed: ask each campaign directly (plain eth_calls to the
  // campaigns, no deployless contract), as a node that refuses the multicall still answers those.
  if (reads.length > 0 && reads.every((r) => r.status !== "success"))
    reads = await Promise.all(
      contracts.map((c) =>
        client.readContract(c as Parameters<PublicClient["readContract"]>[0]).then(
          (result) => ({ status: "success" as const, result }),
          (error: unknown) => ({ status: "failure" as const, error }),
        ),
      ),
    );
  let at = 0;
  let unreadable = 0;
  const all: ListedCampaign[] = [];
  for (const l of logs) {
    const conditions = conditionsOf(l);
    const mine = reads.slice(at, at + 2 + (conditions.length > 0 ? 1 : 0));
    at += mine.length;
    if (mine.some((r) => r.status !== "success")) {
      unreadable++;
      continue;
    }
    const status = mine[0]!.result as {
      phase: number;
      tippingLevel: number;
      committed: number | bigint;
      donationCount: bigint;
    };
    const [counts, requested, donated] = mine[1]!.result as readonly [
      readonly number[],
      readonly bigint[],
      readonly bigint[],
    ];
    const t: Tallies = { counts: counts.map(BigInt), requested: [...requested], donated: [...donated] };
    if (conditions.length > 0) {
      const [conditionCounts, conditionRequested] = mine[2]!.result as readonly [
        readonly (readonly number[])[],
        readonly (readonly bigint[])[],
      ];
      t.conditional = conditionCounts.map((c, k) => ({ counts: c.map(BigInt), requested: [...conditionRequested[k]] }));
    }
    const pledges = counts.reduce((a, c) => a + BigInt(c), 0n);
    const now = resolve(l.args.params!.ladder.map(Number), t, conditions);
    const resolved = status.phase === 2;
    all.push({
      address: l.args.campaign!,
      metadataURI: l.args.metadataURI ?? "",
      pledges,
      donations: status.donationCount,
      phase: status.phase,
      tippingLevel: resolved ? status.tippingLevel : now.tippingLevel,
      committed: resolved ? BigInt(status.committed) : now.committed,
      pledgeDeadline: l.args.params!.pledgeDeadline,
      activity: pledges + status.donationCount,
    });
  }
  const listed = all
    .filter((c) => c.pledges >= BigInt(config.listMinPledges))
    .sort((a, b) => (a.activity === b.activity ? 0 : a.activity > b.activity ? -1 : 1));
  return { listed, hidden: all.length - listed.length, source: "chain", unreadable };
}

/**
 * The campaign list: from the indexer when one is configured and answers in time, up to date,
 * else from the chain. Campaigns with fewer than `listMinPledges` pledges are left out
 * (anti-spam); they stay reachable by link.
 */
export async function loadCampaignList(
  config: AppConfig,
  client: PublicClient,
  fetcher: typeof fetch = fetch,
): Promise<CampaignList> {
  if (config.indexerUrl) {
    try {
      return await listFromIndexer(config, client, fetcher);
    } catch {
      // Down, slow, behind or malformed: the chain answers, more slowly.
    }
  }
  return listFromChain(config, client);
}

export function useCampaignList() {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["campaign-list"],
    refetchInterval: 10_000,
    queryFn: () => loadCampaignList(config, client),
  });
}
