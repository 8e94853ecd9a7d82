/**
 * A child process never outlives its parent (scripts/lib/children.ts): a parent starts children
 * through `spawnNode` (the Hardhat node and Ponder themselves, or a few lines of Node), prints
 * their pids, and ends in one of the ways a process ends; the pids must be gone soon after.
 */
import { type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import { exited, spawnNode } from "../../scripts/lib/children.js";
import { ROOT } from "../helpers/node.js";
import { until } from "../helpers/until.js";

const lib = (file: string) => pathToFileURL(path.join(ROOT, "scripts", file)).href;

/**
 * The parent: starts `kind` (argv[1]), prints {"pids"} of the processes it started on one line,
 * then ends as `end` (argv[2]) says: "throw" (an uncaught exception) or "exit" (process.exit(0)), each
 * once the test writes a line to its stdin (ending at once could stop the children before the test
 * saw them run), or "wait" (until the test kills it). argv[3] is a path the children may write.
 */
const PARENT = `
import { writeSync } from "node:fs";
import { freePort, spawnHardhatNode } from "${lib("lib/hardhat-node.ts")}";
import { spawnNode } from "${lib("lib/children.ts")}";
import { deployBascule } from "${lib("lib/deployment.ts")}";
import { startIndexer } from "${lib("indexer/service.ts")}";
import { hardhatKey, ROLES } from "${lib("demo/accounts.ts")}";
const [kind, end, file] = process.argv.slice(1);
const quiet = { stdio: ["ignore", "ignore", "inherit"] };
const children = {
  hardhat: async () => [(await spawnHardhatNode(await freePort())).child],
  // Ponder on a chain holding the factory, and that chain; Ponder's files in the test's folder.
  indexer: async () => {
    const { url, child: node } = await spawnHardhatNode(await freePort());
    const { factory, chainId } = await deployBascule({ rpcUrl: url, privateKey: hardhatKey(ROLES.deployer) });
    return [(await startIndexer({ rpcUrl: url, chainId, factory, dataDir: file })).child, node];
  },
  // Runs until stopped, and keeps nothing of the parent's open.
  sleeper: async () => [spawnNode(["-e", "setInterval(() => {}, 1000)"], quiet)],
  // Has a SIGTERM handler of its own that writes a file: the program's own shutdown runs.
  graceful: async () => [
    spawnNode(["-e", "process.on('SIGTERM', () => { require('node:fs').writeFileSync(process.argv[1], 'stopped'); process.exit(0); }); setInterval(() => {}, 1000)", file], quiet),
  ],
  // Its shutdown never ends: its SIGTERM handler blocks the main thread for good.
  stuck: async () => [
    spawnNode(["-e", "process.on('SIGTERM', () => { const a = new Int32Array(new SharedArrayBuffer(4)); for (;;) Atomics.wait(a, 0, 0, 100); }); setInterval(() => {}, 1000)"], quiet),
  ],
};
const started = await children[kind]();
await new Promise((r) => setTimeout(r, 300)); // the children have loaded their lifeline
writeSync(1, JSON.stringify({ pids: started.map((child) => child.pid) }) + "\\n");
if (end === "throw") process.stdin.once("data", () => { throw new Error("the parent fails"); });
// "throw" and "exit" wait until the test has seen the children run (a line on stdin).
else if (end === "exit") process.stdin.once("data", () => process.exit(0));
else setInterval(() => {}, 1000);
`;

/** Whether `pid` is a running process (a zombie nobody has reaped yet is not). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync("/proc/self/stat")) return true;
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)?.[0] !== "Z";
  } catch {
    return false;
  }
}

describe("children: a child process never outlives its parent", function () {
  this.timeout(180_000);
  const started: number[] = [];
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "bascule-children-"));
  });

  after(() => {
    for (const pid of started) if (running(pid)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the parent; resolves with it and the pids of the children it started, once they run. */
  async function parent(
    kind: string,
    end: "wait" | "throw" | "exit",
    file = "",
  ): Promise<{ parent: ChildProcess; children: number[] }> {
    const proc = spawnNode(["--import", "tsx", "--input-type=module", "-e", PARENT, kind, end, file], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    proc.stderr?.on("data", (c: Buffer) => (err += c.toString()));
    const children = await until(
      `the parent's children (${kind})`,
      async () => {
        const line = /\{"pids":\[[\d,]+\]\}/.exec(out);
        if (line) return (JSON.parse(line[0]) as { pids: number[] }).pids;
        if (proc.exitCode !== null) throw new Error(`the parent exited before its children ran: ${err}`);
        return null;
      },
      150_000,
      50,
    );
    started.push(...children);
    for (const pid of children) expect(running(pid), `child ${pid} runs`).to.equal(true);
    return { parent: proc, children };
  }

  /** Resolves once none of `pids` runs; fails after `ms`. */
  const allStopped = (pids: number[], ms: number) =>
    until(`children ${pids.join(", ")} to stop`, async () => !pids.some(running), ms, 50);

  for (const signal of ["SIGKILL", "SIGTERM", "SIGINT"] as const) {
    it(`stops the Hardhat node when its parent is killed with ${signal}`, async function () {
      const { parent: proc, children } = await parent("hardhat", "wait");
      proc.kill(signal);
      await exited(proc);
      await allStopped(children, 15_000);
    });
  }

  it("stops the Hardhat node when its parent dies of an uncaught exception", async function () {
    const { parent: proc, children } = await parent("hardhat", "throw");
    proc.stdin?.write("throw\n");
    await exited(proc);
    expect(proc.exitCode).to.equal(1);
    await allStopped(children, 15_000);
  });

  it("stops the indexer (Ponder) and its chain when their parent is killed with SIGKILL", async function () {
    const { parent: proc, children } = await parent("indexer", "wait", path.join(dir, "indexer"));
    proc.kill("SIGKILL");
    await allStopped(children, 15_000);
  });

  it("stops the child when its parent exits normally with it still running", async function () {
    const { parent: proc, children } = await parent("sleeper", "exit");
    proc.stdin?.write("exit\n");
    await exited(proc);
    expect(proc.exitCode).to.equal(0);
    await allStopped(children, 10_000);
  });

  it("lets the child run its own SIGTERM handler when the parent is killed", async function () {
    const marker = path.join(dir, "graceful");
    const { parent: proc, children } = await parent("graceful", "wait", marker);
    proc.kill("SIGKILL");
    await allStopped(children, 10_000);
    expect(readFileSync(marker, "utf8")).to.equal("stopped");
  });

  it("kills a child whose own shutdown hangs, after its grace period", async function () {
    const { parent: proc, children } = await parent("stuck", "wait");
    proc.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(children.every(running), "still in its grace period").to.equal(true);
    await allStopped(children, 15_000);
  });

  it("leaves a child that has finished free to exit, and passes the lifeline to no one else", async function () {
    const child = spawnNode(
      [
        "-e",
        "console.log(JSON.stringify({ execArgv: process.execArgv, mark: process.env.BASCULE_LIFELINE_FD ?? null }))",
      ],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    await exited(child);
    expect(child.exitCode).to.equal(0);
    // What it would hand to a process or worker of its own carries no lifeline.
    const seen = JSON.parse(out) as { execArgv: string[]; mark: string | null };
    expect(seen.execArgv.filter((arg) => arg.includes("lifeline"))).to.deep.equal([]);
    expect(seen.mark).to.equal(null);
  });
});
