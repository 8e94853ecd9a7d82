/**
 * Loaded first into every child that `spawnNode` (children.ts) starts, with `node --import`: file
 * descriptor 3 is one end of a pipe whose other end only the parent holds, so it reads end-of-file
 * the moment the parent is gone, however the parent ended (exit, uncaught exception, signal,
 * SIGKILL). The child then stops as it would on `kill`: SIGTERM to itself, so the program's own
 * shutdown runs, and SIGKILL 5 s later if that shutdown hangs. The SIGKILL comes from a worker
 * thread, so a main thread stuck in its own exit still ends (Ponder's logger, writing to the dead
 * parent's pipe, retries forever in its exit handler). esbuild's service and Playwright's
 * driver stop the same way when their stdin closes; here the pipe is a descriptor of its own, so
 * the program keeps its stdin, and programs we do not write (Hardhat, Ponder) need no change.
 *
 * Plain Node (no tsx, no import of ours): it runs before anything else in the child.
 */
import { Socket } from "node:net";
import { isMainThread, Worker } from "node:worker_threads";

const MARK = "BASCULE_LIFELINE_FD";
const fd = Number(process.env[MARK]);
// Only the child itself: not its worker threads, and not the processes it starts in turn (they
// inherit its environment and execArgv, and their descriptor 3 is something else).
if (isMainThread && fd === 3) {
  delete process.env[MARK];
  const at = process.execArgv.findIndex(
    (arg, i) => arg === "--import" && process.execArgv[i + 1]?.endsWith("/lifeline.ts"),
  );
  if (at >= 0) process.execArgv.splice(at, 2);

  const lifeline = new Socket({ fd, readable: true, writable: false });
  let gone = false;
  const parentGone = () => {
    if (gone) return;
    gone = true;
    new Worker(`setTimeout(() => process.kill(${process.pid}, "SIGKILL"), 5000)`, { eval: true, execArgv: [] }).unref();
    process.kill(process.pid, "SIGTERM");
  };
  lifeline.on("end", parentGone);
  lifeline.on("error", parentGone);
  lifeline.resume();
  // The pipe alone keeps nothing running: a child that has finished its work still exits.
  lifeline.unref();
}
