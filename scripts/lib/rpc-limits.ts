/**
 * A JSON-RPC proxy that behaves like a public endpoint in front of a local node: `eth_getLogs` is
 * refused above 1,000 blocks or 10,000 results, and any answer above 10 MiB is refused, each with
 * the error shapes real providers send (Infura/geth, Alchemy, QuickNode, publicnode…). It counts
 * requests and bytes, so benchmarks can report what a page costs an RPC provider.
 *
 * Used by the service tests, the e2e scale suite, `npm run bench:scale`, and `npm start` with
 * RPC_LIMITS=1. For the threat-model tests it can also lie (`tamper`): drop or reorder logs, or
 * swap the condition classes 1 and 2 of pledge events (totals unchanged, each condition's part not),
 * hide withdrawn pledges and donations with everything before them (every tally unchanged, the
 * contract's history() count not), or change each donation's donor (tallies and count unchanged,
 * the history digest not).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { HISTORY_TOPICS } from "@bascule/core/replay";

export type ProviderStyle = "infura" | "alchemy" | "quicknode" | "publicnode";

export interface RpcLimits {
  /** Largest toBlock - fromBlock + 1 of one eth_getLogs (default 1,000). */
  maxBlockRange?: number;
  /** Largest number of logs one eth_getLogs returns (default 10,000). */
  maxResults?: number;
  /** Largest response body in bytes (default 10 MiB). */
  maxResponseBytes?: number;
  /** Error shapes to answer with; "rotate" cycles through all of them (default). */
  style?: ProviderStyle | "rotate";
  /**
   * A dishonest endpoint, for tests: drop the last log of each answer holding several, swap the
   * first two, or rewrite every `Pledged`/`PledgeChanged` with condition 1 to 2 and 2 to 1;
   * "hide-withdrawn": drop each `PledgeWithdrawn` with the same key's earlier logs of the answer,
   * and each `DonationWithdrawn` with its `Donated`; "alter-donor": rewrite each `Donated` donor.
   */
  tamper?: "drop-last" | "reorder" | "recondition" | "hide-withdrawn" | "alter-donor";
  /** Wait this long before answering each eth_getLogs (a slow endpoint, for tests). */
  delayMs?: number;
}

export interface RpcProxyStats {
  /** HTTP requests received. */
  requests: number;
  /** JSON-RPC calls (a batch counts each). */
  calls: number;
  byMethod: Record<string, number>;
  /** Bytes received from clients and sent back to them. */
  bytesIn: number;
  bytesOut: number;
  /** Calls refused for a limit. */
  refused: number;
  /** Largest eth_getLogs answer sent, in logs. */
  largestLogs: number;
}

export interface RpcProxy {
  url: string;
  stats: RpcProxyStats;
  resetStats(): void;
  close(): Promise<void>;
}

interface Call {
  jsonrpc?: string;
  id?: unknown;
  method?: string;
  params?: unknown[];
}

type Answer = {
  jsonrpc: "2.0";
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
};

const STYLES: ProviderStyle[] = ["infura", "alchemy", "quicknode", "publicnode"];

function emptyStats(): RpcProxyStats {
  return { requests: 0, calls: 0, byMethod: {}, bytesIn: 0, bytesOut: 0, refused: 0, largestLogs: 0 };
}

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

/** topic0 of `Pledged` and `PledgeChanged(address indexed, uint256 level, uint256 support, uint256 condition)`. */
const PLEDGE_TOPICS = new Set<string>([HISTORY_TOPICS.Pledged, HISTORY_TOPICS.PledgeChanged]);

/** Swaps condition 1 and 2 in a pledge event's third data word (the `recondition` lie). */
function recondition(log: { topics?: string[]; data?: string }): void {
  if (!log.topics || !PLEDGE_TOPICS.has(log.topics[0]) || !log.data || log.data.length < 2 + 3 * 64) return;
  const at = 2 + 2 * 64;
  const word = BigInt(`0x${log.data.slice(at, at + 64)}`);
  if (word !== 1n && word !== 2n) return;
  log.data = `${log.data.slice(0, at)}${(3n - word).toString(16).padStart(64, "0")}${log.data.slice(at + 64)}`;
}

/** "hide-withdrawn": what is left of an answer once every withdrawn pledge and donation is hidden. */
function hideWithdrawn<L extends { topics?: string[] }>(logs: L[]): L[] {
  const hidden = new Set<string>();
  for (const log of logs) {
    const [topic0, topic1] = log.topics ?? [];
    if (topic0 === HISTORY_TOPICS.PledgeWithdrawn) hidden.add(`pledge:${topic1}`);
    if (topic0 === HISTORY_TOPICS.DonationWithdrawn) hidden.add(`donation:${topic1}`);
  }
  return logs.filter((log) => {
    const [topic0, topic1] = log.topics ?? [];
    if (PLEDGE_TOPICS.has(topic0) || topic0 === HISTORY_TOPICS.PledgeWithdrawn) return !hidden.has(`pledge:${topic1}`);
    if (topic0 === HISTORY_TOPICS.Donated || topic0 === HISTORY_TOPICS.DonationWithdrawn)
      return !hidden.has(`donation:${topic1}`);
    return true;
  });
}

function alterDonor(log: { topics?: string[] }): void {
  if (log.topics?.[0] === HISTORY_TOPICS.Donated && log.topics[2])
    log.topics[2] = `0x${"0".repeat(24)}${"ab".repeat(20)}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts the proxy on 127.0.0.1 (port 0: any free port).
 * @example
 * const proxy = await startRpcProxy("http://127.0.0.1:8545", { maxBlockRange: 1000 });
 * // point clients at proxy.url; read proxy.stats; await proxy.close();
 */
export async function startRpcProxy(target: string, limits: RpcLimits = {}, port = 0): Promise<RpcProxy> {
  const maxBlockRange = limits.maxBlockRange ?? 1_000;
  const maxResults = limits.maxResults ?? 10_000;
  const maxResponseBytes = limits.maxResponseBytes ?? 10 * 1024 * 1024;
  let rotation = 0;
  const style = (): ProviderStyle =>
    limits.style && limits.style !== "rotate" ? limits.style : STYLES[rotation++ % STYLES.length];
  const proxy: RpcProxy = {
    url: "",
    stats: emptyStats(),
    resetStats: () => void (proxy.stats = emptyStats()),
    close: async () => {},
  };

  async function upstream(body: unknown): Promise<unknown> {
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return response.json();
  }

  /** The node's answer as text, and parsed: an untouched answer is forwarded byte for byte. */
  async function upstreamText(body: unknown): Promise<{ text: string; answer: Answer }> {
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { text, answer: JSON.parse(text) as Answer };
  }

  async function blockOf(tag: unknown, fallback: "latest"): Promise<bigint> {
    const t = tag ?? fallback;
    if (typeof t === "string" && t.startsWith("0x")) return BigInt(t);
    if (t === "earliest") return 0n;
    const answer = (await upstream({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] })) as {
      result: string;
    };
    return BigInt(answer.result);
  }

  function rangeError(id: unknown): Answer {
    const s = style();
    const error =
      s === "infura"
        ? { code: -32005, message: `block range too large: query exceeds max block range ${maxBlockRange}` }
        : s === "alchemy"
          ? { code: -32600, message: `exceed maximum block range: ${maxBlockRange}` }
          : s === "quicknode"
            ? { code: -32614, message: `eth_getLogs is limited to a ${maxBlockRange.toLocaleString("en-US")} range` }
            : { code: -32000, message: "block range too large" };
    return { jsonrpc: "2.0", id, error };
  }

  function resultsError(id: unknown, from: bigint, fits: bigint): Answer {
    const s = style();
    const error =
      s === "alchemy"
        ? {
            code: -32602,
            message: `Log response size exceeded. You can make eth_getLogs requests with up to a ${maxBlockRange} block range and no limit on the response size, or you can request any block range with a cap of ${maxResults} logs in the response. Based on your parameters, this block range should work: [${hex(from)}, ${hex(fits)}]`,
          }
        : s === "quicknode" || s === "publicnode"
          ? { code: -32005, message: `query exceeds max results ${maxResults}, retry with the range ${from}-${fits}` }
          : {
              code: -32005,
              message: `query returned more than ${maxResults} results. Try with this block range [${hex(from)}, ${hex(fits)}].`,
              data: { from: hex(from), to: hex(fits), limit: maxResults },
            };
    return { jsonrpc: "2.0", id, error };
  }

  // Answers passed through untouched, with the node's own text (no second serialisation).
  const passthrough = new WeakMap<Answer, string>();

  async function handle(call: Call): Promise<Answer> {
    const method = String(call.method);
    proxy.stats.calls++;
    proxy.stats.byMethod[method] = (proxy.stats.byMethod[method] ?? 0) + 1;
    if (method === "eth_getLogs") {
      if (limits.delayMs) await new Promise((r) => setTimeout(r, limits.delayMs));
      const filter = (call.params?.[0] ?? {}) as { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown };
      if (!filter.blockHash) {
        const from = await blockOf(filter.fromBlock, "latest");
        const to = await blockOf(filter.toBlock, "latest");
        if (to - from + 1n > BigInt(maxBlockRange)) {
          proxy.stats.refused++;
          return rangeError(call.id);
        }
        const { text, answer } = await upstreamText(call);
        const logs = answer.result as { blockNumber: string }[] | undefined;
        if (Array.isArray(logs)) {
          if (logs.length > maxResults) {
            proxy.stats.refused++;
            // The last block whose logs all fit, as Infura and Alchemy suggest.
            const cut = BigInt(logs[maxResults].blockNumber);
            return resultsError(call.id, from, cut > from ? cut - 1n : from);
          }
          proxy.stats.largestLogs = Math.max(proxy.stats.largestLogs, logs.length);
          if (limits.tamper === "drop-last" && logs.length > 1) logs.pop();
          else if (limits.tamper === "reorder" && logs.length > 1) [logs[0], logs[1]] = [logs[1], logs[0]];
          else if (limits.tamper === "recondition")
            for (const log of logs) recondition(log as { topics?: string[]; data?: string });
          else if (limits.tamper === "hide-withdrawn") answer.result = hideWithdrawn(logs as { topics?: string[] }[]);
          else if (limits.tamper === "alter-donor") for (const log of logs) alterDonor(log as { topics?: string[] });
          else passthrough.set(answer, text);
        }
        return answer;
      }
    }
    return (await upstream(call)) as Answer;
  }

  async function serve(req: IncomingMessage, res: ServerResponse) {
    proxy.stats.requests++;
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "access-control-allow-origin": "*",
        "access-control-allow-headers": "content-type",
        "access-control-allow-methods": "POST",
      });
      res.end();
      return;
    }
    const raw = await readBody(req);
    proxy.stats.bytesIn += Buffer.byteLength(raw);
    let parsed: Call | Call[];
    try {
      parsed = JSON.parse(raw) as Call | Call[];
    } catch {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } }));
      return;
    }
    let answers: Answer | Answer[];
    try {
      answers = Array.isArray(parsed) ? await Promise.all(parsed.map(handle)) : await handle(parsed);
    } catch (error) {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          jsonrpc: "2.0",
          id: null,
          error: { code: -32603, message: `upstream failed: ${String(error)}` },
        }),
      );
      return;
    }
    let body =
      !Array.isArray(answers) && passthrough.has(answers) ? passthrough.get(answers)! : JSON.stringify(answers);
    if (Buffer.byteLength(body) > maxResponseBytes) {
      proxy.stats.refused++;
      const tooBig = (a: Answer): Answer => ({
        jsonrpc: "2.0",
        id: a.id,
        error: { code: -32008, message: `response size exceeded: response is larger than ${maxResponseBytes} bytes` },
      });
      body = JSON.stringify(Array.isArray(answers) ? answers.map(tooBig) : tooBig(answers));
    }
    const bytes = Buffer.byteLength(body);
    proxy.stats.bytesOut += bytes;
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": bytes,
      "access-control-allow-origin": "*",
    });
    res.end(body);
  }

  const server: Server = createServer((req, res) => {
    serve(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  proxy.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
