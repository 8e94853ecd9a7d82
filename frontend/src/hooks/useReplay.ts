import { useCallback, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { absoluteUrl } from "../lib/config.ts";
import type {
  ReplayDoneMessage,
  ReplayErrorMessage,
  ReplayMessage,
  ReplayProgressMessage,
  ReplayRequest,
} from "../lib/replay-protocol.ts";
import { useApp } from "./app.tsx";

export type ReplayStatus = "idle" | "running" | "done" | "cancelled" | "error";

export interface ReplayState {
  status: ReplayStatus;
  progress: ReplayProgressMessage | null;
  /** The last complete replay's verdict; null while none has completed. */
  result: ReplayDoneMessage | null;
  error: ReplayErrorMessage | null;
}

/** 0..1: how far the replay is through the blocks it set out to read. */
export function replayFraction(p: Pick<ReplayProgressMessage, "fromBlock" | "block" | "toBlock"> | null): number {
  if (!p) return 0;
  const total = p.toBlock - p.fromBlock + 1n;
  if (total <= 0n) return 1;
  const done = p.block - p.fromBlock + 1n;
  return Math.min(1, Math.max(0, Number((done * 10_000n) / total) / 10_000));
}

/**
 * The full replay of a campaign's event log in a Web Worker: progress, the verdict, cancel and
 * restart. `version` changes when the campaign's live state does (a new event): the worker then
 * reads only the blocks added since and checks again.
 * @example
 * const replay = useReplay(address, s.createdAt, s.params.ladder.length, live.donationCount + total);
 */
export function useReplay(
  campaign: Address | undefined,
  fromBlock: bigint | undefined,
  levels: number,
  version: string,
  /** K, the campaign's number of conditions: each condition's part of the tallies is checked too. */
  conditions = 0,
) {
  const { config } = useApp();
  const worker = useRef<Worker | null>(null);
  const [run, setRun] = useState(0);
  const [state, setState] = useState<ReplayState>({ status: "idle", progress: null, result: null, error: null });

  useEffect(() => {
    if (!campaign || fromBlock === undefined || typeof Worker === "undefined") return;
    const w = new Worker(new URL("../lib/replay.worker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    setState({ status: "running", progress: null, result: null, error: null });
    w.onmessage = (e: MessageEvent<ReplayMessage>) => {
      const m = e.data;
      if (m.type === "progress") setState((s) => ({ ...s, status: "running", progress: m }));
      else if (m.type === "done") setState((s) => ({ ...s, status: "done", result: m, error: null }));
      else setState((s) => ({ ...s, status: "error", error: m }));
    };
    w.onerror = (e) =>
      setState((s) => ({ ...s, status: "error", error: { type: "error", code: "REPLAY_FAILED", message: e.message } }));
    const start: ReplayRequest = {
      type: "start",
      rpcUrl: absoluteUrl(config.rpcUrl),
      campaign,
      fromBlock,
      levels,
      conditions,
      keepRecent: 200,
    };
    w.postMessage(start);
    return () => {
      w.terminate();
      if (worker.current === w) worker.current = null;
    };
  }, [campaign, fromBlock, levels, conditions, config.rpcUrl, run]);

  // A new event: read only the new blocks (after a first complete replay).
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    if (worker.current && state.status === "done") {
      setState((s) => ({ ...s, status: "running" }));
      worker.current.postMessage({ type: "extend" } satisfies ReplayRequest);
    }
  }, [version, state.status]);

  /** Stops the replay and frees its memory; no verdict is given for a cancelled replay. */
  const cancel = useCallback(() => {
    worker.current?.terminate();
    worker.current = null;
    setState((s) => ({ ...s, status: "cancelled", result: null }));
  }, []);
  const restart = useCallback(() => setRun((n) => n + 1), []);
  return { ...state, fraction: replayFraction(state.progress), cancel, restart };
}
