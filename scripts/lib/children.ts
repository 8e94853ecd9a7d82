/**
 * The one way this project starts a child process: `spawnNode` runs a Node program (Hardhat's node,
 * Ponder, a script of ours) under the project's Node 22 with a lifeline (lifeline.ts), so the child
 * stops when this process ends, whether it exits, throws, is interrupted or is killed with SIGKILL;
 * `stopChild` ends one politely (SIGTERM, then SIGKILL after a grace period).
 *
 * Chromium, the one child that is not Node, watches a pipe of its own: Playwright and
 * scripts/bench/cdp.ts drive it over `--remote-debugging-pipe`, and it exits when that pipe closes.
 *
 * Not execa's `cleanup` nor signal-exit: both run in the parent, which a SIGKILL never lets run.
 * Not prctl(PR_SET_PDEATHSIG) (util-linux `setpriv --pdeathsig`): Linux only. The lifeline needs
 * nothing but a pipe, which Node gives every platform.
 */
import { type ChildProcess, type IOType, type SpawnOptions, spawn } from "node:child_process";
import type { Socket } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The project's Node (the `node` package, 22): the system's may be older than Hardhat and Ponder need. */
const NODE = path.join(ROOT, "node_modules/.bin/node");

const LIFELINE = pathToFileURL(path.join(ROOT, "scripts/lib/lifeline.ts")).href;

export interface SpawnNodeOptions extends Omit<SpawnOptions, "stdio"> {
  /** stdin, stdout, stderr (default: all three piped); descriptor 3 is the lifeline. */
  stdio?: [IOType | number, IOType | number, IOType | number];
}

/**
 * Starts `node <args>` (a script and its arguments, after any of Node's own flags) as a child that
 * never outlives this process. `node_modules/.bin` comes first on its PATH, so what it starts in
 * turn finds the same Node.
 * @example const child = spawnNode(["--import", "tsx", "scripts/verify/replay.ts", campaign], { stdio: ["ignore", "pipe", "inherit"] });
 */
export function spawnNode(args: readonly string[], options: SpawnNodeOptions = {}): ChildProcess {
  const env = options.env ?? process.env;
  const child = spawn(NODE, ["--import", LIFELINE, ...args], {
    cwd: ROOT,
    ...options,
    env: {
      ...env,
      BASCULE_LIFELINE_FD: "3",
      PATH: `${path.join(ROOT, "node_modules/.bin")}${path.delimiter}${env.PATH ?? ""}`,
    },
    stdio: [...(options.stdio ?? ["pipe", "pipe", "pipe"]), "pipe"],
  });
  // Our end carries nothing and keeps nothing running; it closes when this process ends.
  const lifeline = child.stdio[3] as Socket | null;
  lifeline?.on("error", () => {});
  lifeline?.resume();
  lifeline?.unref();
  return child;
}

/** Resolves once `child` has exited; at once if it already has. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Sends SIGTERM, then SIGKILL if `child` is still running after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  const done = exited(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await done;
  clearTimeout(timer);
}
