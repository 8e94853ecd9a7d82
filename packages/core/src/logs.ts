/**
 * The paged log reader: the one way the dApp, the keeper, the CLI and the services read event logs.
 *
 * Public RPC endpoints refuse `eth_getLogs` calls that span too many blocks (often 1,000), return
 * too many results (often 10,000) or too large a response (often 10 MiB), each with its own error
 * shape. This reader never asks for a whole history in one call: it walks the range in pages,
 * shrinks a page when the endpoint says it is too large (following the endpoint's hint where it
 * gives one), grows it back while pages stay light, remembers a block-span ceiling once an endpoint
 * has shown it, and yields page after page so a caller can fold each one and drop it (bounded
 * memory) and resume from the last page's end (the cursor).
 *
 * It also refuses logs an honest endpoint never returns: outside the asked range or address,
 * out of chain order, marked removed. A replay built on it therefore stops with an error rather
 * than silently folding a tampered page.
 */
import type { Address, Hex, PublicClient } from "viem";

/** The part of a viem client the reader needs (any PublicClient fits). */
export type LogClient = Pick<PublicClient, "request">;

/** A log as `eth_getLogs` returns it (hex fields, not decoded: decoding is the caller's choice). */
export interface RawLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex | null;
  logIndex: Hex | null;
  transactionHash: Hex | null;
  removed?: boolean;
}

/** One page of logs: every matching log of blocks fromBlock..toBlock (inclusive), in chain order. */
export interface LogPage {
  fromBlock: bigint;
  toBlock: bigint;
  logs: RawLog[];
}

/** What to read. `topics` as in `eth_getLogs` (null: any). */
export interface LogFilter {
  address: Address | readonly Address[];
  topics?: readonly (Hex | readonly Hex[] | null)[];
}

export interface PageSizerOptions {
  /** First page's span in blocks (default 1,000: the most common public limit). */
  initialSpan?: bigint;
  /** Never ask for more blocks than this (default 100,000); lowered for good by a block-range error. */
  maxSpan?: bigint;
  /** Aim for about this many logs a page (default 4,000: well under 10,000 results and 10 MiB). */
  targetResults?: number;
  /** Share what was learnt of one endpoint between sizers (see sizerFor). */
  endpoint?: EndpointLimits;
}

/** What a reader learnt of an endpoint: the widest block span it accepts (as far as is known). */
export interface EndpointLimits {
  ceiling: bigint;
}

/** Why an endpoint refused a page. */
export type LimitKind = "range" | "results" | "size" | "timeout";

export interface LimitHint {
  /** The endpoint's stated block-span limit ("max is 1k blocks", "exceed maximum block range: 50000"). */
  maxSpan?: bigint;
  /** A range the endpoint says would work ("this block range should work: [0x1, 0x2]"). */
  suggested?: { from: bigint; to: bigint };
}

/** Thrown when a page cannot be read even at one block, or the endpoint fails for good. */
export class LogReadError extends Error {
  readonly code: "LOG_PAGE_LIMIT" | "LOG_RPC_FAILED";
  readonly fromBlock: bigint;
  constructor(code: LogReadError["code"], fromBlock: bigint, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LogReadError";
    this.code = code;
    this.fromBlock = fromBlock;
  }
}

/** Thrown when the endpoint returns logs an honest node never returns: the read is not trustworthy. */
export class LogIntegrityError extends Error {
  readonly code = "LOG_INTEGRITY";
  constructor(message: string) {
    super(message);
    this.name = "LogIntegrityError";
  }
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Chooses each page's span in blocks: proportional to the last page's density (about
 * `targetResults` logs a page), at most double the last span, never above the ceiling a
 * block-range error taught, never below 1.
 * @example
 * const sizer = new PageSizer({ initialSpan: 1000n });
 * sizer.limited("range", 1000n, { maxSpan: 500n }); // sizer.span === 500n, sizer.ceiling === 500n
 */
export class PageSizer {
  span: bigint;
  readonly targetResults: number;
  /** What is known of the endpoint (its block-span ceiling), possibly shared by several sizers. */
  readonly endpoint: EndpointLimits;

  constructor(options: PageSizerOptions = {}) {
    this.endpoint = options.endpoint ?? { ceiling: max(1n, options.maxSpan ?? 100_000n) };
    this.span = min(this.ceiling, max(1n, options.initialSpan ?? 1_000n));
    this.targetResults = Math.max(1, options.targetResults ?? 4_000);
  }

  /** The largest span tried next: lowered for good by a block-range error. */
  get ceiling(): bigint {
    return this.endpoint.ceiling;
  }
  set ceiling(value: bigint) {
    this.endpoint.ceiling = value;
  }

  /** A page of `span` blocks came back with `count` logs. */
  succeeded(span: bigint, count: number): void {
    let next: bigint;
    if (count === 0) next = span * 2n;
    else next = (span * BigInt(this.targetResults)) / BigInt(count);
    next = min(next, span * 2n);
    this.span = min(this.ceiling, max(1n, next));
  }

  /**
   * A page of `span` blocks was refused. Returns false when nothing smaller can be tried (one
   * block is already too much), true when the next page will be smaller.
   */
  limited(kind: LimitKind, span: bigint, hint: LimitHint = {}): boolean {
    if (span <= 1n) return false;
    if (kind === "range") {
      const stated = hint.maxSpan !== undefined && hint.maxSpan >= 1n && hint.maxSpan < span ? hint.maxSpan : span / 2n;
      this.ceiling = max(1n, min(this.ceiling, stated));
      this.span = this.ceiling;
      return true;
    }
    const suggested = hint.suggested ? hint.suggested.to - hint.suggested.from + 1n : 0n;
    this.span = max(1n, suggested >= 1n && suggested < span ? suggested : span / 2n);
    return true;
  }
}

const endpoints = new WeakMap<object, EndpointLimits>();

/**
 * A fresh PageSizer for one read, sharing with every other read on the same client what was
 * learnt of the endpoint (its block-span ceiling), but not the page span, which depends on how
 * dense each filter's logs are.
 */
export function sizerFor(client: object, options: Omit<PageSizerOptions, "endpoint"> = {}): PageSizer {
  let endpoint = endpoints.get(client);
  if (!endpoint) endpoints.set(client, (endpoint = { ceiling: max(1n, options.maxSpan ?? 100_000n) }));
  return new PageSizer({ ...options, endpoint });
}

interface ErrorFacts {
  codes: number[];
  status?: number;
  text: string;
}

function facts(error: unknown): ErrorFacts {
  const codes: number[] = [];
  let status: number | undefined;
  const texts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 8; depth++) {
    const o = e as {
      code?: unknown;
      status?: unknown;
      message?: unknown;
      details?: unknown;
      shortMessage?: unknown;
      data?: unknown;
      cause?: unknown;
    };
    if (typeof o.code === "number") codes.push(o.code);
    if (typeof o.status === "number") status ??= o.status;
    for (const t of [o.details, o.shortMessage, o.message]) if (typeof t === "string") texts.push(t);
    if (o.data && typeof o.data === "object") texts.push(JSON.stringify(o.data));
    else if (typeof o.data === "string") texts.push(o.data);
    e = o.cause;
  }
  return { codes, status, text: texts.join(" | ") };
}

const RANGE =
  /block range|blocks? range|range (?:is )?too (?:large|wide|big)|exceeds? (?:the )?(?:max(?:imum)?|allowed) (?:block )?range|range limit|max(?:imum)? (?:block )?range|too many blocks|limited to a [\d,]+ range|number of requested blocks|range should not exceed/i;
const RESULTS =
  /more than [\d,]+ (?:results|logs)|max(?:imum)? results|too many (?:results|logs)|results? limit|exceeds? max results|log response size exceeded|logs? (?:limit|count) exceeded|returned more than/i;
const SIZE =
  /response (?:size|is too|too)|size (?:limit )?exceeded|too (?:large|big)|payload too large|exceeds? .*bytes/i;
const TIMEOUT = /time(?:d)? ?out|took too long|execution aborted|deadline exceeded/i;
const TRANSIENT =
  /fetch failed|ECONNRESET|ECONNREFUSED|socket hang up|network|rate limit|too many requests|temporarily|try again|unavailable|header not found|no backends/i;

function parseSpan(text: string): bigint | undefined {
  const m =
    /(?:max(?:imum)?(?: allowed)?(?: block)? range(?: is| of)?|limited to(?: a)?|max is|up to(?: a)?|requested blocks is|should not exceed|range:?)\s*:?\s*([\d][\d,_]*)\s*(k)?/i.exec(
      text,
    );
  if (!m) return undefined;
  const n = BigInt(m[1].replace(/[,_]/g, ""));
  return m[2] ? n * 1000n : n;
}

function parseSuggested(text: string): LimitHint["suggested"] {
  const m = /\[\s*(0x[0-9a-f]+|\d+)\s*,\s*(0x[0-9a-f]+|\d+)\s*\]/i.exec(text);
  if (!m) return undefined;
  const from = BigInt(m[1]);
  const to = BigInt(m[2]);
  return to >= from ? { from, to } : undefined;
}

/** What a failed `eth_getLogs` call means for the next one. */
export type LogErrorClass = { kind: LimitKind; hint: LimitHint } | { kind: "transient" } | { kind: "fatal" };

/**
 * Recognises the limit errors of the usual providers (geth/Infura -32005 "query returned more than
 * 10000 results", Alchemy -32602 "Log response size exceeded … [0x…, 0x…]", QuickNode -32614
 * "eth_getLogs is limited to a 10,000 range", "block range too large", "response size exceeded",
 * HTTP 413, timeouts), transient failures (HTTP 429/5xx, network), and the rest (fatal).
 * @example
 * classifyLogError({ code: -32005, message: "query returned more than 10000 results" }) // { kind: "results", hint: {} }
 */
export function classifyLogError(error: unknown): LogErrorClass {
  const f = facts(error);
  // Result limits first: their messages often name a "block range" that would work.
  if (RESULTS.test(f.text)) return { kind: "results", hint: { suggested: parseSuggested(f.text) } };
  if (RANGE.test(f.text)) return { kind: "range", hint: { maxSpan: parseSpan(f.text) } };
  if (f.status === 413 || SIZE.test(f.text)) return { kind: "size", hint: { suggested: parseSuggested(f.text) } };
  if (TIMEOUT.test(f.text) || f.status === 408) return { kind: "timeout", hint: {} };
  // -32005 "limit exceeded" without a telling message is a result or size limit.
  if (f.codes.includes(-32005) && !/rate/i.test(f.text))
    return { kind: "results", hint: { suggested: parseSuggested(f.text) } };
  if (f.status === 429 || (f.status !== undefined && f.status >= 500) || TRANSIENT.test(f.text))
    return { kind: "transient" };
  return { kind: "fatal" };
}

export interface ReadLogsParameters extends LogFilter {
  client: LogClient;
  /** First block to read (a campaign's creation block, the factory's deployment block, a cursor). */
  fromBlock: bigint;
  /** Last block to read; default: the latest block when the read starts. */
  toBlock?: bigint;
  /** Shared between reads on one endpoint, so a ceiling learnt once is kept. */
  sizer?: PageSizer;
  /** Retries of a transient failure before giving up (default 4, with backoff). */
  retries?: number;
  signal?: AbortSignal;
  /** Ask for the next page while the caller folds the current one (default true). */
  prefetch?: boolean;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function toQuantity(n: bigint): Hex {
  return `0x${n.toString(16)}`;
}

/** Latest block number, without viem's automatic retries hiding the endpoint's answer. */
export async function latestBlock(client: LogClient): Promise<bigint> {
  return BigInt(await client.request({ method: "eth_blockNumber" }, { retryCount: 2 }));
}

/**
 * Reads logs page by page; each page is yielded in chain order and can be dropped once folded.
 * The last yielded page's `toBlock + 1n` is the cursor to resume from.
 * @example
 * for await (const page of readLogPages({ client, address: campaign, fromBlock: created })) {
 *   for (const log of page.logs) fold(log);
 *   cursor = page.toBlock + 1n;
 * }
 */
export async function* readLogPages(params: ReadLogsParameters): AsyncGenerator<LogPage, void, undefined> {
  const { client } = params;
  const sizer = params.sizer ?? new PageSizer();
  const retries = params.retries ?? 4;
  const to = params.toBlock ?? (await latestBlock(client));
  const addresses = new Set(
    (Array.isArray(params.address) ? params.address : [params.address]).map((a: string) => a.toLowerCase()),
  );
  const address = Array.isArray(params.address) ? [...params.address] : params.address;
  const topics = params.topics
    ? params.topics.map((t) => (t === null ? null : Array.isArray(t) ? [...t] : t))
    : undefined;
  let from = params.fromBlock;
  let lastBlock = -1;
  let lastIndex = -1;
  let failures = 0;
  type Answer = { logs: RawLog[]; error?: undefined } | { logs?: undefined; error: unknown };
  const ask = (first: bigint, last: bigint): Promise<Answer> =>
    client
      .request(
        {
          method: "eth_getLogs",
          params: [
            {
              address: address as Address | Address[],
              topics: topics as never,
              fromBlock: toQuantity(first),
              toBlock: toQuantity(last),
            },
          ],
        },
        { retryCount: 0, dedupe: false },
      )
      .then(
        (logs) => ({ logs: logs as RawLog[] }),
        (error: unknown) => ({ error }),
      );
  // The next page, asked for while the caller folds the current one (the endpoint and the caller
  // then work at the same time); dropped unread if the caller stops early.
  let ahead: { from: bigint; end: bigint; answer: Promise<Answer> } | null = null;
  while (from <= to) {
    if (params.signal?.aborted) throw params.signal.reason ?? new Error("aborted");
    const end = ahead?.from === from ? ahead.end : min(to, from + sizer.span - 1n);
    const span = end - from + 1n;
    const answer = await (ahead?.from === from ? ahead.answer : ask(from, end));
    ahead = null;
    if (answer.error !== undefined) {
      const error = answer.error;
      const c = classifyLogError(error);
      if (c.kind === "transient" && failures < retries) {
        failures++;
        await wait(200 * 2 ** failures);
        continue;
      }
      if (c.kind === "transient" || c.kind === "fatal") {
        throw new LogReadError(
          "LOG_RPC_FAILED",
          from,
          `eth_getLogs failed at blocks ${from}-${end}: ${facts(error).text.split("\n")[0]}`,
          { cause: error },
        );
      }
      if (!sizer.limited(c.kind, span, c.hint)) {
        throw new LogReadError(
          "LOG_PAGE_LIMIT",
          from,
          `the RPC endpoint refuses even one block (${from}) of these logs (${c.kind} limit): use another endpoint`,
          { cause: error },
        );
      }
      continue;
    }
    const logs = answer.logs;
    failures = 0;
    if (!Array.isArray(logs)) throw new LogIntegrityError(`eth_getLogs returned no list for blocks ${from}-${end}`);
    for (const log of logs) {
      const block = log.blockNumber === null ? NaN : Number(log.blockNumber);
      const index = log.logIndex === null ? NaN : Number(log.logIndex);
      if (log.removed)
        throw new LogIntegrityError(`a removed log (reorganisation) in blocks ${from}-${end}: read again`);
      if (!(block >= Number(from) && block <= Number(end))) {
        throw new LogIntegrityError(`a log of block ${log.blockNumber} came back for blocks ${from}-${end}`);
      }
      if (!addresses.has(String(log.address).toLowerCase())) {
        throw new LogIntegrityError(`a log of another address (${log.address}) came back`);
      }
      if (block < lastBlock || (block === lastBlock && index <= lastIndex)) {
        throw new LogIntegrityError(`logs out of chain order at block ${block}, index ${index}`);
      }
      lastBlock = block;
      lastIndex = index;
    }
    sizer.succeeded(span, logs.length);
    const page: LogPage = { fromBlock: from, toBlock: end, logs };
    from = end + 1n;
    if (params.prefetch !== false && from <= to) {
      const last = min(to, from + sizer.span - 1n);
      ahead = { from, end: last, answer: ask(from, last) };
    }
    yield page;
  }
}

/**
 * Reads every matching log of a range into one array: only for small sets (a factory's
 * `CampaignCreated`, one donor's donations). Replays fold pages instead (see readLogPages).
 */
export async function readLogs(params: ReadLogsParameters): Promise<{ logs: RawLog[]; toBlock: bigint }> {
  const logs: RawLog[] = [];
  let toBlock = params.fromBlock - 1n;
  for await (const page of readLogPages(params)) {
    for (const l of page.logs) logs.push(l);
    toBlock = page.toBlock;
  }
  return { logs, toBlock };
}

/**
 * Follows a filter: each `poll()` reads only the blocks since the last one (the cursor), in pages.
 * @example
 * const tail = new LogTail({ client, address: campaign, fromBlock: latest + 1n });
 * setInterval(async () => { if ((await tail.poll()).length > 0) refresh(); }, 2000);
 */
export class LogTail {
  /** The next block to read. */
  cursor: bigint;
  private readonly params: Omit<ReadLogsParameters, "fromBlock" | "toBlock">;
  private running: Promise<RawLog[]> | null = null;

  constructor(params: Omit<ReadLogsParameters, "toBlock">) {
    this.cursor = params.fromBlock;
    this.params = { ...params, sizer: params.sizer ?? new PageSizer() };
  }

  /** New logs since the last poll (one poll at a time; a concurrent call waits for it). A failed poll returns nothing and moves nothing. */
  poll(): Promise<RawLog[]> {
    this.running ??= this.read().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async read(): Promise<RawLog[]> {
    const latest = await latestBlock(this.params.client);
    if (latest < this.cursor) return [];
    const out: RawLog[] = [];
    let next = this.cursor;
    for await (const page of readLogPages({ ...this.params, fromBlock: this.cursor, toBlock: latest })) {
      for (const l of page.logs) out.push(l);
      next = page.toBlock + 1n;
    }
    // Moved only once every page is in hand: a poll that fails part-way loses nothing, the next
    // one reads the same blocks again (a desk must not miss a claim).
    this.cursor = next;
    return out;
  }
}
