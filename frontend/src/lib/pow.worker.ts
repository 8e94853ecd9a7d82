/**
 * Web Worker solving the relayer's proof of work (packages/core/src/pow.ts) off the page's thread, so the
 * page stays responsive; it reports progress every 2^14 tries. Started by solvePowInWorker
 * (frontend/src/hooks/usePow.ts); stopped by terminate() if the person leaves.
 */
import { type PowChallenge, solvePow } from "@bascule/core/pow";

export type PowWorkerRequest = { challenge: PowChallenge };
export type PowWorkerMessage = { type: "progress"; tries: number } | { type: "done"; nonce: number | null };

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<PowWorkerRequest>) => void) | null;
  postMessage(message: PowWorkerMessage): void;
};

scope.onmessage = (event) => {
  const nonce = solvePow(event.data.challenge, {
    progressEvery: 1 << 14,
    onProgress: (tries) => scope.postMessage({ type: "progress", tries }),
  });
  scope.postMessage({ type: "done", nonce });
};
