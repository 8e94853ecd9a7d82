/**
 * The verify page's full replay, off the main thread: reads the campaign's event log in pages
 * under the endpoint's limits, folds each page into the reference model's state and drops it
 * (bounded memory), and holds the replayed tallies and history (count and digest of the events) against
 * the contract's at the same block.
 * The page terminates the worker to cancel; `extend` reads only the blocks added since.
 *
 * Messages in: ReplayRequest. Messages out: ReplayMessage (bigints travel by structured clone).
 */
import { createPublicClient, http } from "viem";
import { LogIntegrityError, LogReadError, PageSizer } from "@bascule/core/logs";
import { CampaignReplay, verifyReplay } from "@bascule/core/replay";
import type { ReplayMessage, ReplayRequest } from "./replay-protocol.ts";

let replay: CampaignReplay | null = null;
let client: ReturnType<typeof createPublicClient> | null = null;
let running = false;
let again = false;

const post = (m: ReplayMessage) => (self as unknown as Worker).postMessage(m);

async function run() {
  if (!replay || !client) return;
  if (running) {
    again = true;
    return;
  }
  running = true;
  try {
    do {
      again = false;
      const started = performance.now();
      const result = await verifyReplay(replay, client, {
        onProgress: (p) =>
          post({
            type: "progress",
            fromBlock: p.fromBlock,
            block: p.block,
            toBlock: p.toBlock,
            events: p.events,
            pages: p.pages,
          }),
      });
      post({
        type: "done",
        block: result.block,
        match: result.match,
        onChainHistory: result.onChainHistory,
        replayedHistory: result.replayedHistory,
        historyMatches: result.historyMatches,
        difference: result.difference,
        events: result.events,
        pages: result.pages,
        replayed: result.replayed,
        onChain: result.onChain,
        recent: replay.recent.slice(),
        ms: performance.now() - started,
      });
    } while (again);
  } catch (error) {
    const code =
      error instanceof LogIntegrityError
        ? "RPC_INCONSISTENT"
        : error instanceof LogReadError
          ? "RPC_UNUSABLE"
          : "REPLAY_FAILED";
    post({ type: "error", code, message: error instanceof Error ? error.message.split("\n")[0] : String(error) });
  } finally {
    running = false;
  }
}

self.onmessage = (e: MessageEvent<ReplayRequest>) => {
  const m = e.data;
  if (m.type === "start") {
    client = createPublicClient({ transport: http(m.rpcUrl, { retryCount: 1 }) });
    // Pages of about 1,000 logs (~650 kB of JSON): a quarter of the default, so the worker's heap
    // between collections stays small; the first page is sized from the contract's count (expect()).
    replay = new CampaignReplay({
      client,
      campaign: m.campaign,
      fromBlock: m.fromBlock,
      levels: m.levels,
      conditions: m.conditions,
      keepRecent: m.keepRecent,
      sizer: new PageSizer({ targetResults: 1_000 }),
    });
    void run();
  } else if (m.type === "extend") {
    void run();
  }
};
