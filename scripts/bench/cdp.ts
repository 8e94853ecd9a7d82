/**
 * Chromium driven over the bare DevTools protocol, for measurements a user's browser would give.
 *
 * Playwright enables the DevTools Network domain on every page and worker it drives, and Chromium
 * then keeps the bodies of responses in the renderer for the inspector (up to 100 MB): a page that
 * reads 60 MB of logs looks 150 MB heavier than it is for a user, who has no DevTools open. Here
 * only `Target`, `Runtime.evaluate` (no `Runtime.enable`), `Performance` and `SystemInfo` are used,
 * none of which keeps anything.
 *
 * Not chrome-remote-interface (maintained, 0.34): the benchmark needs six methods and no events,
 * which Node 22's built-in WebSocket carries in a few lines; a dependency with its own `ws` and
 * `commander` for that was not worth it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

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

export async function launchBareChromium(options: { width?: number; height?: number; executablePath?: string } = {}): Promise<BareChromium> {
  const profile = mkdtempSync(path.join(tmpdir(), "bascule-cdp-"));
  const child: ChildProcess = spawn(
    options.executablePath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    [...FLAGS, "--lang=en-US", `--window-size=${options.width ?? 1000},${options.height ?? 900}`, "--remote-debugging-port=0", `--user-data-dir=${profile}`, "about:blank"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${err.slice(-500)}`)), 30_000);
    child.stderr!.on("data", (c: Buffer) => {
      err += c.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`Chromium exited (${code}): ${err.slice(-500)}`)));
  });
  const ws = new WebSocket(endpoint);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve(), { once: true });
    ws.addEventListener("error", () => reject(new Error(`cannot connect to ${endpoint}`)), { once: true });
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const workers = new Set<string>();
  ws.addEventListener("message", (event) => {
    const m = JSON.parse(String(event.data)) as {
      id?: number;
      method?: string;
      params?: { sessionId?: string; targetInfo?: { type: string } };
      result?: unknown;
      error?: { message: string };
    };
    if (m.method === "Target.attachedToTarget" && m.params?.targetInfo?.type === "worker" && m.params.sessionId) workers.add(m.params.sessionId);
    if (m.method === "Target.detachedFromTarget" && m.params?.sessionId) workers.delete(m.params.sessionId);
    if (m.id === undefined) return;
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error.message));
    else w.resolve(m.result);
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });

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
          const r = await send<{ result: { value?: T }; exceptionDetails?: { text: string } }>("Runtime.evaluate", { expression, returnByValue: true }, sessionId);
          if (r.exceptionDetails) throw new Error(r.exceptionDetails.text);
          return r.result.value as T;
        },
        async heapUsed() {
          const { metrics } = await send<{ metrics: { name: string; value: number }[] }>("Performance.getMetrics", {}, sessionId);
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
      ws.close();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else {
          child.once("exit", () => resolve());
          setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, 5_000);
        }
      });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
