import { useEffect, useMemo, useRef, useState } from "react";
import type { Tallies } from "@bascule/core/model";
import { slacks as computeSlacks } from "../lib/conditions.ts";
import type { SlackAnswer, SlackRequest } from "../lib/slack-protocol.ts";

/**
 * Each binding conditional bucket's slack ("how much more request it can take before it stops
 * counting"), keyed "level-condition", computed in a Web Worker (lib/slack.worker.ts) whenever `key`
 * (the tallies, in words) changes; null until the answer for the current tallies is in. Where there is
 * no Worker (tests), computed here.
 * @example const slacks = useBucketSlacks(ladder, live.tallies, conditions, talliesKey);
 */
export function useBucketSlacks(
  ladder: readonly number[],
  tallies: Tallies,
  conditions: readonly number[],
  key: string,
): Record<string, bigint> | null {
  const hasWorker = typeof Worker !== "undefined";
  const worker = useRef<Worker | null>(null);
  const asked = useRef(0);
  const [answer, setAnswer] = useState<{ key: string; slacks: Record<string, bigint> } | null>(null);
  const inline = useMemo(
    () => (hasWorker ? null : computeSlacks(ladder, tallies, conditions)),
    // `key` stands for the tallies, a new object on every read even when nothing changed
    [hasWorker, key, ladder, conditions],
  );

  useEffect(() => {
    if (!hasWorker) return;
    const w = new Worker(new URL("../lib/slack.worker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    return () => {
      w.terminate();
      worker.current = null;
    };
  }, [hasWorker]);

  useEffect(() => {
    const w = worker.current;
    if (!w) return;
    const id = ++asked.current;
    const forKey = key;
    w.onmessage = (e: MessageEvent<SlackAnswer>) => {
      if (e.data.id === asked.current) setAnswer({ key: forKey, slacks: e.data.slacks });
    };
    w.postMessage({ id, ladder, tallies, conditions } satisfies SlackRequest);
  }, [key, ladder, conditions]);

  if (!hasWorker) return inline;
  return answer?.key === key ? answer.slacks : null;
}
