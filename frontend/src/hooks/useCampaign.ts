import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { type Address, type PublicClient, zeroAddress } from "viem";
import { campaignAbi, campaignFactoryAbi, erc20PermitAbi } from "@bascule/core/generated/abis";
import { LogTail, latestBlock, sizerFor } from "@bascule/core/logs";
import { findCampaignCreation } from "@bascule/core/replay";
import type { AppConfig } from "../lib/config.ts";
import { NotACampaignError } from "../lib/errors.ts";
import { loadMetadata } from "../lib/metadata.ts";
import { unionMetadata } from "../lib/union.ts";
import type { Tallies } from "@bascule/core/model";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { useApp } from "./app.tsx";

/**
 * A campaign's parameters, organiser, description and token. Refuses (NotACampaignError) an address
 * the configured factory did not create: a wrong link, another network's campaign or a rogue clone.
 */
export async function readCampaignStatic(
  client: PublicClient,
  config: AppConfig,
  address: Address,
): Promise<CampaignStatic> {
  const known = await client.readContract({
    address: config.factory,
    abi: campaignFactoryAbi,
    functionName: "isCampaign",
    args: [address],
  });
  if (!known) throw new NotACampaignError(address);
  const [parameters, created] = await Promise.all([
    client.readContract({ address, abi: campaignAbi, functionName: "parameters" }),
    // Paged under the endpoint's limits (or bisected on eth_getCode), never one call from the factory's block.
    findCampaignCreation({
      client,
      factory: config.factory,
      campaign: address,
      fromBlock: BigInt(config.fromBlock),
      sizer: sizerFor(client),
    }),
  ]);
  const [params, organiser] = parameters;
  const metadataURI = created?.metadataURI ?? "";
  const { doc, omitted, raw, check } = metadataURI
    ? await loadMetadata(metadataURI, params.metadataHash)
    : { doc: null, omitted: [], raw: null, check: "unknown" as const };
  let token = { address: zeroAddress as Address, symbol: "ETH", decimals: 18 };
  if (params.token !== zeroAddress) {
    const [symbol, decimals] = await client.multicall({
      contracts: [
        { address: params.token, abi: erc20PermitAbi, functionName: "symbol" },
        { address: params.token, abi: erc20PermitAbi, functionName: "decimals" },
      ],
      allowFailure: false,
      deployless: true,
    });
    token = { address: params.token, symbol, decimals };
  }
  return {
    address,
    organiser,
    params,
    metadataURI,
    metadata: doc,
    metadataOmitted: omitted,
    metadataCheck: check,
    // The union's fields count only in a description the campaign's hash vouches for.
    union: check === "ok" ? unionMetadata(raw) : {},
    token,
    createdAt: created?.blockNumber ?? BigInt(config.fromBlock),
  };
}

/**
 * The live state in one `eth_call`: status, level tallies, windows, the escrow's token balance, and
 * each condition's part of the tallies when the campaign offers conditions (so the provisional
 * resolution can be computed as the contract will, MECHANISM "Resolution with conditions").
 */
export async function readCampaignLive(client: PublicClient, s: CampaignStatic): Promise<CampaignLive> {
  const isToken = s.token.address !== zeroAddress;
  const hasConditions = s.params.conditions.length > 0;
  const [status, tallies, windows, tokenBalance, conditionTallies] = await client.multicall({
    contracts: [
      { address: s.address, abi: campaignAbi, functionName: "status" },
      { address: s.address, abi: campaignAbi, functionName: "levelTallies" },
      { address: s.address, abi: campaignAbi, functionName: "windows" },
      // An ERC-20 escrow's balance; for ETH campaigns, the status again stands in and is ignored.
      isToken
        ? { address: s.token.address, abi: erc20PermitAbi, functionName: "balanceOf", args: [s.address] }
        : { address: s.address, abi: campaignAbi, functionName: "status" },
      // Likewise without conditions.
      hasConditions
        ? { address: s.address, abi: campaignAbi, functionName: "conditionTallies" }
        : { address: s.address, abi: campaignAbi, functionName: "status" },
    ] as const,
    allowFailure: false,
    deployless: true,
  });
  const [ethBalance, block] = await Promise.all([
    isToken ? Promise.resolve(0n) : client.getBalance({ address: s.address }),
    client.getBlock({ blockTag: "latest" }),
  ]);
  const [counts, requested, donated] = tallies;
  const t: Tallies = { counts: counts.map((c) => BigInt(c)), requested: [...requested], donated: [...donated] };
  if (hasConditions) {
    const [conditionCounts, conditionRequested] = conditionTallies as readonly [
      readonly (readonly number[])[],
      readonly (readonly bigint[])[],
    ];
    t.conditional = conditionCounts.map((c, k) => ({
      counts: c.map((n) => BigInt(n)),
      requested: [...conditionRequested[k]],
    }));
  }
  return {
    ...status,
    committed: BigInt(status.committed),
    boundCondition: status.boundCondition ?? 0,
    boundConditionLevel: status.boundConditionLevel ?? 0,
    conditional: status.conditional ?? false,
    tallies: t,
    oracleEnd: windows[0],
    claimEnd: windows[1],
    balance: isToken ? (tokenBalance as bigint) : ethBalance,
    chainOffset: Math.max(0, Number(block.timestamp) - Math.floor(Date.now() / 1000)),
  };
}

/** A campaign's static data (cached for the session). */
export function useCampaignStatic(address: Address | undefined) {
  const { client, config } = useApp();
  return useQuery({
    queryKey: ["campaign-static", address],
    queryFn: () => readCampaignStatic(client, config, address!),
    enabled: !!address,
    staleTime: Infinity,
  });
}

/**
 * A campaign's live state, refreshed as events arrive (the campaign's new blocks are read, paged,
 * never its whole log) and every few seconds in any case.
 */
export function useCampaign(address: Address | undefined) {
  const { client } = useApp();
  const queryClient = useQueryClient();
  const st = useCampaignStatic(address);
  const live = useQuery({
    queryKey: ["campaign-live", address],
    queryFn: () => readCampaignLive(client, st.data!),
    enabled: !!st.data,
    refetchInterval: 4000,
  });
  useEffect(() => {
    if (!address) return;
    // Follow the campaign's log from the latest block on, reading only the new blocks each time.
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let tail: LogTail | null = null;
    const tick = async () => {
      try {
        tail ??= new LogTail({ client, address, fromBlock: (await latestBlock(client)) + 1n, sizer: sizerFor(client) });
        if ((await tail.poll()).length > 0)
          void queryClient.invalidateQueries({ queryKey: ["campaign-live", address] });
      } catch {
        // the next tick tries again; the live state also refreshes on its own interval
      }
      if (!stopped) timer = setTimeout(() => void tick(), 1500);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [address, client, queryClient]);
  return { static: st.data, live: live.data, error: st.error ?? live.error, isLoading: st.isLoading || live.isLoading };
}
