/**
 * A campaign's event log folded page by page into the reference model's state (model.ts), and the
 * check a sceptic runs: the tallies the replayed events leave equal the contract's tallies at the
 * same block, and the count and running digest of the events read equal the contract's history()
 * at that block (history.ts), so an endpoint hiding a pledge and its withdrawal is caught too. Used by the dApp's verify page (in a Web Worker), `npm run verify:campaign`, and the
 * tests. Memory is the model's state (one entry per pledge key and per donation in escrow) plus a
 * bounded list of the latest events for display: never the whole log.
 */
import { type Address, decodeEventLog, getAddress, type Hex, toEventSelector } from "viem";
import { readContract } from "viem/actions";
import { campaignAbi, campaignFactoryAbi } from "./generated/abis.ts";
import type { CampaignParameters } from "./campaign-params.ts";
import {
  type LogClient,
  LogIntegrityError,
  PageSizer,
  type RawLog,
  type ReadLogsParameters,
  latestBlock,
  readLogPages,
  readLogs,
} from "./logs.ts";
import { applyEvent, type HistoryEvent, type HistoryState, type Tallies, tallies } from "./model.ts";
import { type History, HistoryDigest } from "./history.ts";

/** topic0 of the events the reference model replays (ICampaign). */
export const HISTORY_TOPICS = {
  Pledged: toEventSelector("Pledged(address,uint256,uint256,uint256)"),
  PledgeChanged: toEventSelector("PledgeChanged(address,uint256,uint256,uint256)"),
  PledgeWithdrawn: toEventSelector("PledgeWithdrawn(address)"),
  Donated: toEventSelector("Donated(uint256,address,uint256,uint256)"),
  DonationWithdrawn: toEventSelector("DonationWithdrawn(uint256,address,uint256)"),
} as const;

const TOPIC_KIND = new Map<string, HistoryEvent["kind"]>(
  Object.entries(HISTORY_TOPICS).map(([k, v]) => [v, k as HistoryEvent["kind"]]),
);
const HISTORY_TOPIC_LIST = Object.values(HISTORY_TOPICS) as Hex[];

function word(data: Hex, i: number): bigint {
  const hex = data.slice(2 + 64 * i, 2 + 64 * (i + 1));
  if (hex.length !== 64) throw new LogIntegrityError(`event data too short (${data.length} chars)`);
  return BigInt(`0x${hex}`);
}

function topicAddress(topic: Hex | undefined): string {
  if (!topic || topic.length !== 66) throw new LogIntegrityError("event topic missing");
  return `0x${topic.slice(26)}`.toLowerCase();
}

function topicUint(topic: Hex | undefined): bigint {
  if (!topic || topic.length !== 66) throw new LogIntegrityError("event topic missing");
  return BigInt(topic);
}

/**
 * Decodes one campaign log into the model's event, cheaply (no ABI walk, no address checksum);
 * null for events the model does not replay (claims, refunds, skipped batch items…).
 */
export function decodeHistoryLog(log: Pick<RawLog, "topics" | "data">): HistoryEvent | null {
  const kind = TOPIC_KIND.get(log.topics[0] ?? "");
  switch (kind) {
    case "Pledged":
    case "PledgeChanged":
      return {
        kind,
        pledgeKey: topicAddress(log.topics[1]),
        level: Number(word(log.data, 0)),
        support: word(log.data, 1),
        condition: Number(word(log.data, 2)),
      };
    case "PledgeWithdrawn":
      return { kind, pledgeKey: topicAddress(log.topics[1]) };
    case "Donated":
      return {
        kind,
        donationId: topicUint(log.topics[1]),
        donor: topicAddress(log.topics[2]),
        level: Number(word(log.data, 0)),
        amount: word(log.data, 1),
      };
    case "DonationWithdrawn":
      return { kind, donationId: topicUint(log.topics[1]) };
    default:
      return null;
  }
}

/** An event kept for display: where it is and what it says. */
export interface RecentEvent {
  blockNumber: bigint;
  logIndex: number;
  txHash: Hex | null;
  event: HistoryEvent;
}

export interface ReplayProgress {
  fromBlock: bigint;
  /** Last block folded so far. */
  block: bigint;
  toBlock: bigint;
  events: number;
  pages: number;
}

/**
 * A resumable replay: `advanceTo(block)` folds the campaign's events up to `block` into `state`,
 * page by page, from where the last call stopped.
 * @example
 * const replay = new CampaignReplay({ client, campaign, fromBlock: created, levels: 17 });
 * await replay.advanceTo(await client.getBlockNumber(), { onProgress: (p) => console.log(p.block) });
 * replay.tallies(); // the model's tallies of every event so far
 */
export class CampaignReplay {
  readonly campaign: Address;
  readonly fromBlock: bigint;
  readonly levels: number;
  /** K, the campaign's number of conditions (the length of `parameters().conditions`). */
  readonly conditions: number;
  readonly state: HistoryState = { pledges: new Map(), donations: new Map() };
  /** The count and running digest of the history logs folded so far (ICampaign.history). */
  readonly history = new HistoryDigest();
  /** Next block to read. */
  cursor: bigint;
  events = 0;
  pages = 0;
  /** The latest `keepRecent` events, oldest first. */
  readonly recent: RecentEvent[] = [];
  private readonly keepRecent: number;
  private readonly client: LogClient;
  private readonly sizer: PageSizer;

  constructor(params: {
    client: LogClient;
    campaign: Address;
    fromBlock: bigint;
    levels: number;
    /** K (default 0): the replay's tallies then also count each condition's part. */
    conditions?: number;
    keepRecent?: number;
    sizer?: PageSizer;
  }) {
    this.client = params.client;
    this.campaign = params.campaign;
    this.fromBlock = params.fromBlock;
    this.cursor = params.fromBlock;
    this.levels = params.levels;
    this.conditions = params.conditions ?? 0;
    this.keepRecent = params.keepRecent ?? 200;
    this.sizer = params.sizer ?? new PageSizer();
  }

  /**
   * Sizes the first page from what the contract says is there (`events` logs expected up to
   * `toBlock`), instead of a fixed block span: a dense campaign's first page would otherwise come
   * back near the endpoint's result cap (10,000 logs, about 6 MB parsed at once), the replay's
   * memory peak. Only before the first page; later pages follow the density actually read.
   */
  expect(events: bigint, toBlock: bigint): void {
    if (this.pages > 0 || events <= 0n || toBlock < this.cursor) return;
    const blocks = toBlock - this.cursor + 1n;
    const span = (BigInt(this.sizer.targetResults) * blocks) / events;
    this.sizer.span = span < 1n ? 1n : span > this.sizer.ceiling ? this.sizer.ceiling : span;
  }

  /** Folds every event of blocks cursor..toBlock. */
  async advanceTo(
    toBlock: bigint,
    options: { onProgress?: (p: ReplayProgress) => void; signal?: AbortSignal } = {},
  ): Promise<void> {
    if (toBlock < this.cursor) return;
    const pages = readLogPages({
      client: this.client,
      address: this.campaign,
      topics: [HISTORY_TOPIC_LIST],
      fromBlock: this.cursor,
      toBlock,
      sizer: this.sizer,
      signal: options.signal,
    });
    for await (const page of pages) {
      // Only a page's last `keepRecent` history events can be among the latest: display objects
      // are made for those alone, not for every event folded (garbage the worker would collect).
      let tail = page.logs.length;
      for (let found = 0; tail > 0 && found < this.keepRecent;)
        if (TOPIC_KIND.has(page.logs[--tail].topics[0] ?? "")) found++;
      const kept: RecentEvent[] = [];
      for (let i = 0; i < page.logs.length; i++) {
        const log = page.logs[i];
        const event = decodeHistoryLog(log);
        if (!event) continue;
        applyEvent(this.state, event);
        this.history.add(log);
        this.events++;
        if (this.keepRecent > 0 && i >= tail) {
          kept.push({
            blockNumber: BigInt(log.blockNumber ?? 0),
            logIndex: Number(log.logIndex ?? 0),
            txHash: log.transactionHash,
            event,
          });
        }
      }
      if (kept.length > 0) {
        const drop = this.recent.length + kept.length - this.keepRecent;
        if (drop > 0) this.recent.splice(0, drop);
        this.recent.push(...kept); // at most keepRecent: the tail above holds no more
      }
      this.pages++;
      this.cursor = page.toBlock + 1n;
      options.onProgress?.({
        fromBlock: this.fromBlock,
        block: page.toBlock,
        toBlock,
        events: this.events,
        pages: this.pages,
      });
    }
  }

  tallies(): Tallies {
    return tallies(this.levels, this.state, this.conditions);
  }
}

/** The first difference between two tallies, or null when they are equal. */
export function talliesDifference(
  a: Tallies,
  b: Tallies,
): { field: keyof Tallies; level: number; left: bigint; right: bigint } | null {
  for (const field of ["counts", "requested", "donated"] as const) {
    const n = Math.max(a[field].length, b[field].length);
    for (let i = 0; i < n; i++) {
      const left = a[field][i] ?? 0n;
      const right = b[field][i] ?? 0n;
      if (left !== right) return { field, level: i + 1, left, right };
    }
  }
  // Each condition's part (a pledge moved between conditions at one level leaves the totals equal).
  const conditions = Math.max(a.conditional?.length ?? 0, b.conditional?.length ?? 0);
  for (let k = 0; k < conditions; k++) {
    for (const field of ["counts", "requested"] as const) {
      const left = a.conditional?.[k]?.[field] ?? [];
      const right = b.conditional?.[k]?.[field] ?? [];
      for (let i = 0; i < Math.max(left.length, right.length); i++) {
        if ((left[i] ?? 0n) !== (right[i] ?? 0n)) {
          return { field: "conditional", level: i + 1, left: left[i] ?? 0n, right: right[i] ?? 0n };
        }
      }
    }
  }
  return null;
}

/** The contract's per-level tallies at a block (`levelTallies`, and `conditionTallies` when K > 0). */
export async function readOnChainTallies(
  client: LogClient,
  campaign: Address,
  blockNumber?: bigint,
  conditions = 0,
): Promise<Tallies> {
  const [counts, requested, donated] = await readContract(client as never, {
    address: campaign,
    abi: campaignAbi,
    functionName: "levelTallies",
    blockNumber,
  });
  const t: Tallies = { counts: counts.map((c) => BigInt(c)), requested: [...requested], donated: [...donated] };
  if (conditions > 0) {
    const [conditionCounts, conditionRequested] = await readContract(client as never, {
      address: campaign,
      abi: campaignAbi,
      functionName: "conditionTallies",
      blockNumber,
    });
    t.conditional = conditionCounts.map((c, k) => ({
      counts: c.map((n) => BigInt(n)),
      requested: [...conditionRequested[k]],
    }));
  }
  return t;
}

/**
 * The contract's history() at a block: the count and running digest of its history events. A
 * campaign whose contract has no history() (or an endpoint refusing the call) throws: without it
 * no replay can be called complete.
 */
export async function readOnChainHistory(client: LogClient, campaign: Address, blockNumber?: bigint): Promise<History> {
  const [count, digest] = await readContract(client as never, {
    address: campaign,
    abi: campaignAbi,
    functionName: "history",
    blockNumber,
  });
  return { count, digest };
}

export interface CampaignCreation {
  blockNumber: bigint;
  metadataURI: string;
  organiser: Address;
}

const CREATED_EVENT = campaignFactoryAbi.find((x) => x.type === "event" && x.name === "CampaignCreated")!;
/** topic0 of the factory's `CampaignCreated`. */
export const CAMPAIGN_CREATED_TOPIC = toEventSelector(CREATED_EVENT as never);
const CREATED_TOPIC = CAMPAIGN_CREATED_TOPIC;

/** A campaign as its factory's `CampaignCreated` log tells it. */
export interface CreatedCampaign {
  campaign: Address;
  organiser: Address;
  token: Address;
  params: CampaignParameters;
  metadataURI: string;
  /** 0 where the log carries none (a pending block). */
  blockNumber: bigint;
}

/** A factory log decoded as `CampaignCreated`; null for any other log. */
export function decodeCampaignCreated(log: {
  topics: readonly Hex[];
  data: Hex;
  blockNumber?: Hex | bigint | null;
}): CreatedCampaign | null {
  if (log.topics[0]?.toLowerCase() !== CREATED_TOPIC) return null;
  const { args } = decodeEventLog({
    abi: campaignFactoryAbi,
    eventName: "CampaignCreated",
    data: log.data,
    topics: log.topics as [Hex, ...Hex[]],
  });
  return {
    campaign: getAddress(args.campaign),
    organiser: getAddress(args.organiser),
    token: getAddress(args.token),
    params: args.params,
    metadataURI: args.metadataURI,
    blockNumber: BigInt(log.blockNumber ?? 0),
  };
}

/**
 * The campaign a `createCampaign` transaction made, from its receipt's logs.
 * @example
 * const campaign = createdCampaign((await client.waitForTransactionReceipt({ hash })).logs);
 */
export function createdCampaign(logs: readonly { topics: readonly Hex[]; data: Hex }[]): Address {
  for (const log of logs) {
    const created = decodeCampaignCreated(log);
    if (created) return created.campaign;
  }
  throw new Error("CampaignCreated not found in the receipt");
}

/**
 * The campaigns a factory created in [fromBlock, toBlock], page by page under the endpoint's limits
 * (the paged reader), so a caller can keep each page's end as its cursor and resume from it.
 * @example
 * for await (const { created, toBlock } of readCampaignsCreated({ client, factory, fromBlock })) { … }
 */
export async function* readCampaignsCreated(
  params: Omit<ReadLogsParameters, "address" | "topics"> & { factory: Address },
): AsyncGenerator<{ created: CreatedCampaign[]; fromBlock: bigint; toBlock: bigint }, void, undefined> {
  const { factory, ...rest } = params;
  for await (const page of readLogPages({ ...rest, address: factory, topics: [CREATED_TOPIC] })) {
    const created = page.logs.map(decodeCampaignCreated).filter((c): c is CreatedCampaign => c !== null);
    yield { created, fromBlock: page.fromBlock, toBlock: page.toBlock };
  }
}

function padTopic(address: Address): Hex {
  return `0x${address.slice(2).toLowerCase().padStart(64, "0")}`;
}

/**
 * The first block at whose end `address` holds code (its deployment block), by bisection on
 * `eth_getCode`: about log2(toBlock - fromBlock) calls. Null when it has no code at `toBlock`.
 * Needs an endpoint that serves historical state (archive, or recent enough blocks).
 * @example
 * const fromBlock = await deploymentBlock(client, factory, 0n, await client.getBlockNumber());
 */
export async function deploymentBlock(
  client: LogClient,
  address: Address,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<bigint | null> {
  const codeAt = async (block: bigint) => {
    const code = (await client.request(
      { method: "eth_getCode", params: [address, `0x${block.toString(16)}`] },
      { retryCount: 1 },
    )) as Hex;
    return code !== "0x" && code !== "0x0";
  };
  if (!(await codeAt(toBlock))) return null;
  let lo = fromBlock;
  let hi = toBlock;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (await codeAt(mid)) hi = mid;
    else lo = mid + 1n;
  }
  return lo;
}

/**
 * Where a campaign was created: the factory's `CampaignCreated` log naming it. When the range is
 * long it first bisects on `eth_getCode` (about log2(blocks) calls, where the endpoint keeps
 * historical state), then reads that one block; otherwise, or if bisection is refused, it pages
 * through the factory's logs from `fromBlock`. Null when the factory never created it.
 * @example
 * const created = await findCampaignCreation({ client, factory, campaign, fromBlock: 0n });
 */
export async function findCampaignCreation(params: {
  client: LogClient;
  factory: Address;
  campaign: Address;
  fromBlock: bigint;
  sizer?: PageSizer;
}): Promise<CampaignCreation | null> {
  const { client, factory, campaign } = params;
  const topics = [CREATED_TOPIC, padTopic(campaign)];
  const latest = await latestBlock(client);
  const decode = (log: RawLog): CampaignCreation => {
    const d = decodeCampaignCreated(log)!;
    return { blockNumber: d.blockNumber, metadataURI: d.metadataURI, organiser: d.organiser };
  };
  let from = params.fromBlock;
  if (latest - params.fromBlock > 20_000n) {
    try {
      const lo = await deploymentBlock(client, campaign, params.fromBlock, latest);
      if (lo !== null) {
        const { logs } = await readLogs({
          client,
          address: factory,
          topics,
          fromBlock: lo,
          toBlock: lo,
          sizer: params.sizer,
        });
        if (logs[0]) return decode(logs[0]);
        // The endpoint's historical code is patchy (some blocks answer "no code" after the
        // creation: a node that prunes, or a local node's lazily mined blocks), so the bisection
        // stopped after the creation: it had code at `lo`, so an honest log has it at or before.
        const before = await readLogs({
          client,
          address: factory,
          topics,
          fromBlock: params.fromBlock,
          toBlock: lo,
          sizer: params.sizer,
        });
        if (before.logs[0]) return decode(before.logs[0]);
        from = lo + 1n;
      }
    } catch {
      // Historical state refused (a pruned node): page through the factory's logs instead.
    }
  }
  const { logs } = await readLogs({
    client,
    address: factory,
    topics,
    fromBlock: from,
    toBlock: latest,
    sizer: params.sizer,
  });
  return logs[0] ? decode(logs[0]) : null;
}

export interface VerifyReplayResult {
  /** The block the replay and the on-chain tallies were both taken at. */
  block: bigint;
  onChain: Tallies;
  replayed: Tallies;
  /** The contract's history() at `block`, and what the logs read give. */
  onChainHistory: History;
  replayedHistory: History;
  /** Whether the logs read have the contract's count and digest: false if any was hidden, added or altered. */
  historyMatches: boolean;
  /** True only when every event up to `block` was folded, the history matches and the tallies are equal. */
  match: boolean;
  difference: ReturnType<typeof talliesDifference>;
  events: number;
  pages: number;
}

/**
 * Replays up to a block (default: the latest) and holds the result against the contract's tallies
 * at that same block, so events arriving meanwhile cannot make an honest campaign look wrong.
 */
export async function verifyReplay(
  replay: CampaignReplay,
  client: LogClient,
  options: { toBlock?: bigint; onProgress?: (p: ReplayProgress) => void; signal?: AbortSignal } = {},
): Promise<VerifyReplayResult> {
  let block = options.toBlock ?? (await latestBlock(client));
  if (block < replay.cursor - 1n) block = replay.cursor - 1n;
  const [onChain, onChainHistory] = await Promise.all([
    readOnChainTallies(client, replay.campaign, block, replay.conditions),
    readOnChainHistory(client, replay.campaign, block),
  ]);
  // The contract counts the logs there are to read: the first page is sized from it.
  replay.expect(onChainHistory.count - replay.history.count, block);
  await replay.advanceTo(block, options);
  const replayed = replay.tallies();
  const complete = replay.cursor === block + 1n;
  const difference = complete
    ? talliesDifference(replayed, onChain)
    : { field: "counts" as const, level: 0, left: 0n, right: 0n };
  const replayedHistory = replay.history.value();
  const historyMatches =
    complete &&
    replayedHistory.count === onChainHistory.count &&
    replayedHistory.digest.toLowerCase() === onChainHistory.digest.toLowerCase();
  return {
    block,
    onChain,
    replayed,
    onChainHistory,
    replayedHistory,
    historyMatches,
    match: difference === null && historyMatches,
    difference,
    events: replay.events,
    pages: replay.pages,
  };
}
