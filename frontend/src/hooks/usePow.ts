import { useCallback, useEffect, useRef, useState } from "react";
import { type PowChallenge, powProgress, solvePow } from "@bascule/core/pow";
import type { PowWorkerMessage } from "../lib/pow.worker.ts";

export interface PowProgress {
  /** Tries so far. */
  tries: number;
  /** Chance the work is done by now, 0..1 (the search is random: an estimate, not a countdown). */
  fraction: number;
}

/**
 * Solves a proof of work in a Web Worker, reporting progress; where workers are missing (tests),
 * on this thread. Resolves with the nonce; rejects if `signal` aborts.
 */
export function solvePowInWorker(
  challenge: PowChallenge,
  onProgress: (p: PowProgress) => void,
  signal?: AbortSignal,
): Promise<number> {
  if (challenge.bits <= 0) return Promise.resolve(0);
  if (typeof Worker === "undefined") {
    const nonce = solvePow(challenge, {
      onProgress: (tries) => onProgress({ tries, fraction: powProgress(challenge.bits, tries) }),
    });
    return nonce === null ? Promise.reject(new Error("proof of work: no solution")) : Promise.resolve(nonce);
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("../lib/pow.worker.ts", import.meta.url), { type: "module" });
    const stop = () => {
      worker.terminate();
      reject(new DOMException("aborted", "AbortError"));
    };
    signal?.addEventListener("abort", stop, { once: true });
    worker.onmessage = (event: MessageEvent<PowWorkerMessage>) => {
      const m = event.data;
      if (m.type === "progress") {
        onProgress({ tries: m.tries, fraction: powProgress(challenge.bits, m.tries) });
        return;
      }
      signal?.removeEventListener("abort", stop);
      worker.terminate();
      if (m.nonce === null) reject(new Error("proof of work: no solution"));
      else resolve(m.nonce);
    };
    worker.onerror = (event) => {
      signal?.removeEventListener("abort", stop);
      worker.terminate();
      reject(new Error(`proof of work worker: ${event.message}`));
    };
    worker.postMessage({ challenge });
  });
}

/**
 * The proof of work a relayer asks before a key's first pledge in an open campaign, with its
 * progress for a status line; the worker is stopped if the component goes away.
 * @example
 * const pow = usePow();
 * const nonce = await pow.solve({ chainId, campaign, pledgeKey, bits });
 * {pow.progress && <p role="status">{Math.round(pow.progress.fraction * 100)} %</p>}
 */
export function usePow() {
  const [progress, setProgress] = useState<PowProgress | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  const solve = useCallback(async (challenge: PowChallenge) => {
    controller.current?.abort();
    controller.current = new AbortController();
    setProgress({ tries: 0, fraction: 0 });
    try {
      return await solvePowInWorker(challenge, setProgress, controller.current.signal);
    } finally {
      setProgress(null);
    }
  }, []);
  return { solve, progress };
}
