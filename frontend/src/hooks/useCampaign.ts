import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { type Address, type Hex, keccak256, type PublicClient, zeroAddress } from "viem";
import { type Resolution, resolve, type Tallies } from "@bascule/core/model";
import { campaignAbi, campaignFactoryAbi, erc20PermitAbi } from "@bascule/core/generated/abis";
import { LogTail, latestBlock, sizerFor } from "@bascule/core/logs";
import { type CampaignMetadata, dataUriBytes, parseMetadata } from "@bascule/core/metadata";
import { findCampaignCreation } from "@bascule/core/replay";
import type { AppConfig } from "../lib/config.ts";
import { NotACampaignError } from "../lib/errors.ts";
import { useApp } from "./app.tsx";
import type { CampaignParameters } from "@bascule/core/campaign-params";

/** The description document a campaign's metadata URI points to. */
export type { CampaignMetadata };

export type MetadataCheck = "ok" | "bad" | "unknown";

/** What never changes: parameters, organiser, description, token. */
export interface CampaignStatic {
  address: Address;
  organiser: Address;
  params: CampaignParameters;
  metadataURI: string;
  metadata: CampaignMetadata | null;
  metadataCheck: MetadataCheck;
  token: { address: Address; symbol: string; decimals: number };
  /** The block the factory created it in: where reading its events starts. */
  createdAt: bigint;
}

/** What changes: state and tallies, read in one multicall, plus the escrow's balance. */
export interface CampaignLive {
  phase: number;
  tippingLevel: number;
  committed: bigint;
  triggeredDonations: bigint;
  requestedSupport: bigint;
  claimedTotal: bigint;
  donationCount: bigint;
  participationRoot: Hex;
  tallies: Tallies;
  oracleEnd: bigint;
  claimEnd: bigint;
  balance: bigint;
  /** Seconds between the chain's latest block and this computer's clock (time travel on test chains). */
  chainOffset: number;
}

export type CampaignPhase = "open" | "awaiting" | "succeeded" | "failed";

/** Reads a description from a data: URI or from this same site; nothing else is fetched (privacy). */
export async function loadMetadata(uri: string, hash: Hex): Promise<{ doc: CampaignMetadata | null; check: MetadataCheck }> {
  let bytes: Uint8Array | null = null;
  try {
    if (uri.startsWith("data:")) {
      bytes = dataUriBytes(uri);
    } else {
      const url = new URL(uri, window.location.href);
      if (url.origin === window.location.origin) {
        const r = await fetch(url, { credentials: "omit", referrerPolicy: "no-referrer" });
        if (r.ok) bytes = new Uint8Array(await r.arrayBuffer());
      }
    }
  } catch {
    bytes = null;
  }
  if (!bytes) return { doc: null, check: "unknown" };
  const check: MetadataCheck = keccak256(bytes) === hash ? "ok" : "bad";
  return { doc: parseMetadata(bytes), check };
}

/**
 * A campaign's parameters, organiser, description and token. Refuses (NotACampaignError) an address
 * the configured factory did not create: a wrong link, another network's campaign or a rogue clone.
 */
export async function readCampaignStatic(client: PublicClient, config: AppConfig, address: Address): Promise<CampaignStatic> {
  const known = await client.readContract({ address: config.factory, abi: campaignFactoryAbi, functionName: "isCampaign", args: [address] });
  if (!known) throw new NotACampaignError(address);
  const [parameters, created] = await Promise.all([
    client.readContract({ address, abi: campaignAbi, functionName: "parameters" }),
    // Paged under the endpoint's limits (or bisected on eth_getCode), never one call from the factory's block.
    findCampaignCreation({ client, factory: config.factory, campaign: address, fromBlock: BigInt(config.fromBlock), sizer: sizerFor(client) }),
  ]);
  const [params, organiser] = parameters;
  const metadataURI = created?.metadataURI ?? "";
  const { doc, check } = metadataURI ? await loadMetadata(metadataURI, params.metadataHash) : { doc: null, check: "unknown" as const };
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
    metadataCheck: check,
    token,
    createdAt: created?.blockNumber ?? BigInt(config.fromBlock),
  };
}

export async function readCampaignLive(client: PublicClient, s: CampaignStatic): Promise<CampaignLive> {
  const isToken = s.token.address !== zeroAddress;
  const [status, tallies, windows, tokenBalance] = await client.multicall({
    contracts: [
      { address: s.address, abi: campaignAbi, functionName: "status" },
      { address: s.address, abi: campaignAbi, functionName: "levelTallies" },
      { address: s.address, abi: campaignAbi, functionName: "windows" },
      // An ERC-20 escrow's balance; for ETH campaigns, the status again stands in and is ignored.
      isToken
        ? { address: s.token.address, abi: erc20PermitAbi, functionName: "balanceOf", args: [s.address] }
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
  return {
    ...status,
    committed: BigInt(status.committed),
    tallies: { counts: counts.map((c) => BigInt(c)), requested: [...requested], donated: [...donated] },
    oracleEnd: windows[0],
    claimEnd: windows[1],
    balance: isToken ? (tokenBalance as bigint) : ethBalance,
    chainOffset: Math.max(0, Number(block.timestamp) - Math.floor(Date.now() / 1000)),
  };
}

/** The chain's "now", in seconds. */
export function chainNow(live: Pick<CampaignLive, "chainOffset"> | undefined): number {
  return Math.floor(Date.now() / 1000) + (live?.chainOffset ?? 0);
}

export function campaignPhase(s: CampaignStatic, live: CampaignLive): CampaignPhase {
  if (live.phase === 2) return live.tippingLevel > 0 ? "succeeded" : "failed";
  return chainNow(live) > Number(s.params.pledgeDeadline) ? "awaiting" : "open";
}

/** The result as it stands: the contract's once resolved, the reference model's before. */
export function currentResolution(s: CampaignStatic, live: CampaignLive): Resolution {
  if (live.phase === 2) {
    const paid = live.triggeredDonations < live.requestedSupport ? live.triggeredDonations : live.requestedSupport;
    return {
      succeeded: live.tippingLevel > 0,
      tippingLevel: live.tippingLevel,
      committed: live.committed,
      triggeredDonations: live.triggeredDonations,
      requestedSupport: live.requestedSupport,
      paid,
    };
  }
  return resolve(s.params.ladder, live.tallies);
}

export function totalPledges(live: CampaignLive): bigint {
  return live.tallies.counts.reduce((a, b) => a + b, 0n);
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
        if ((await tail.poll()).length > 0) void queryClient.invalidateQueries({ queryKey: ["campaign-live", address] });
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
