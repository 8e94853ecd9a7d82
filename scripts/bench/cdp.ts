/**
 * Chromium driven over the bare DevTools protocol, for measurements a user's browser would give.
 *
 * Playwright enables the DevTools Network domain on every page and worker it drives, and Chromium
 * then keeps the bodies of responses in the renderer for the inspector (up to 100 MB): a page that
 * reads 60 MB of logs looks 150 MB heavier than it is for a user, who has no DevTools open. Here
 * only `Target`, `Runtime.evaluate` (no `Runtime.enable`), `Performance` and `SystemInfo` are used,
 * none of which keeps anything.
 *
 * The protocol runs over Chromium's debugging pipe (descriptors 3 and 4, messages ended by a NUL),
 * as Playwright drives it: Chromium exits as soon as the pipe closes, so it never outlives this
 * process, however this process ends (the same rule as scripts/lib/children.ts).
 *
 * Not chrome-remote-interface (maintained, 0.34): the benchmark needs six methods and no events,
 * which the pipe carries in a few lines; a dependency with its own `ws` and `commander` for that
 * was not worth it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../lib/chromium.js";

export interface BareChromium {
  /** Opens `url` in a new tab and returns its session. */
  open(url: string): Promise<BareTab>;
  /** Peak and current resident memory of the renderer processes (page and its workers), in MB. */
  rendererMemory(): Promise<{ peakMb: number; rssMb: number }>;
  close(): Promise<void>;
}

export interface BareTab {
  /** Evaluates an expression in the page and returns its value (JSON-serialisable). */
  evaluate<T>(expression: string): Promise<T>;
  /** The page's JS heap in use (main thread), in bytes. */
  heapUsed(): Promise<number>;
  /** The JS heap of each of the page's dedicated workers, in bytes: in use, and committed. */
  workerHeaps(): Promise<{ used: number; total: number }[]>;
  /** Polls `expression` every `everyMs` until it is truthy; returns its value. */
  waitFor<T>(expression: string, options?: { timeoutMs?: number; everyMs?: number }): Promise<T>;
}

export interface ProcessInfo {
  type: string;
  id: number;
}

/** Peak (VmHWM) and current (VmRSS) resident size of the largest renderer among `SystemInfo.getProcessInfo`'s processes, in MB. */
export function rendererMemoryOf(processes: ProcessInfo[]): { peakMb: number; rssMb: number } {
  let peakMb = 0;
  let rssMb = 0;
  for (const p of processes.filter((x) => x.type === "renderer")) {
    try {
      const status = readFileSync(`/proc/${p.id}/status`, "utf8");
      peakMb = Math.max(peakMb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      rssMb = Math.max(rssMb, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      // the process has gone
    }
  }
  return { peakMb, rssMb };
}

export async function launchBareChromium(
  options: { width?: number; height?: number; executablePath?: string } = {},
): Promise<BareChromium> {
  const profile = mkdtempSync(path.join(tmpdir(), "bascule-cdp-"));
  const child: ChildProcess = spawn(
    options.executablePath ?? CHROMIUM_PATH,
    [
      ...CHROMIUM_FLAGS,
      "--lang=en-US",
      `--window-size=${options.width ?? 1000},${options.height ?? 900}`,
      "--remote-debugging-pipe",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
  );
  const [toBrowser, fromBrowser] = [child.stdio[3] as Writable, child.stdio[4] as Readable];
  let err = "";
  child.stderr!.on("data", (c: Buffer) => {
    if (err.length < 20_000) err += c.toString();
  });
  const gone = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`Chromium exited (${code}): ${err.slice(-500)}`))),
  );
  gone.catch(() => {});
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const workers = new Set<string>();
  toBrowser.on("error", () => {}); // Chromium gone: `gone` says why
  let partial = "";
  fromBrowser.setEncoding("utf8");
  fromBrowser.on("data", (chunk: string) => {
    const messages = (partial + chunk).split("\0");
    partial = messages.pop() ?? "";
    for (const message of messages) receive(message);
  });
  const receive = (message: string) => {
    const m = JSON.parse(message) as {
      id?: number;
      method?: string;
      params?: { sessionId?: string; targetInfo?: { type: string } };
      result?: unknown;
      error?: { message: string };
    };
    if (m.method === "Target.attachedToTarget" && m.params?.targetInfo?.type === "worker" && m.params.sessionId)
      workers.add(m.params.sessionId);
    if (m.method === "Target.detachedFromTarget" && m.params?.sessionId) workers.delete(m.params.sessionId);
    if (m.id === undefined) return;
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error.message));
    else w.resolve(m.result);
  };
  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  // Up and answering (or why not).
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      send("Browser.getVersion"),
      gone,
      new Promise(
        (_, reject) =>
          (timer = setTimeout(() => reject(new Error(`Chromium did not start: ${err.slice(-500)}`)), 30_000)),
      ),
    ]);
  } catch (e) {
    child.kill("SIGKILL");
    rmSync(profile, { recursive: true, force: true });
    throw e;
  } finally {
    clearTimeout(timer);
  }

  return {
    async open(url) {
      const { targetId } = await send<{ targetId: string }>("Target.createTarget", { url: "about:blank" });
      const { sessionId } = await send<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
      await send("Performance.enable", {}, sessionId);
      // Attach to the page's workers as they start (they run freely: no pause on start).
      await send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: false, flatten: true }, sessionId);
      await send("Page.navigate", { url }, sessionId);
      const tab: BareTab = {
        async evaluate<T>(expression: string) {
          const r = await send<{ result: { value?: T }; exceptionDetails?: { text: string } }>(
            "Runtime.evaluate",
            { expression, returnByValue: true },
            sessionId,
          );
          if (r.exceptionDetails) throw new Error(r.exceptionDetails.text);
          return r.result.value as T;
        },
        async heapUsed() {
          const { metrics } = await send<{ metrics: { name: string; value: number }[] }>(
            "Performance.getMetrics",
            {},
            sessionId,
          );
          return metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0;
        },
        workerHeaps() {
          return Promise.all(
            [...workers].map((w) =>
              send<{ usedSize: number; totalSize: number }>("Runtime.getHeapUsage", {}, w).then(
                (r) => ({ used: r.usedSize, total: r.totalSize }),
                () => ({ used: 0, total: 0 }),
              ),
            ),
          );
        },
        async waitFor<T>(expression: string, o: { timeoutMs?: number; everyMs?: number } = {}) {
          const deadline = Date.now() + (o.timeoutMs ?? 60_000);
          for (;;) {
            const value = await tab.evaluate<T>(expression).catch(() => undefined);
            if (value) return value;
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
            await new Promise((r) => setTimeout(r, o.everyMs ?? 50));
          }
        },
      };
      return tab;
    },
    async rendererMemory() {
      return rendererMemoryOf((await send<{ processInfo: ProcessInfo[] }>("SystemInfo.getProcessInfo")).processInfo);
    },
    async close() {
      await Promise.race([send("Browser.close").catch(() => {}), new Promise((r) => setTimeout(r, 2_000))]);
      for (const w of waiting.values()) w.reject(new Error("closed"));
      waiting.clear();
      toBrowser.end();
      if (child.exitCode === null && child.signalCode === null) {
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await gone.catch(() => {});
        clearTimeout(killer);
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
