/**
 * A child process never outlives its parent (scripts/lib/children.ts): a parent starts a child
 * through `spawnNode` (the Hardhat node itself, or a few lines of Node), prints the child's pid,
 * and ends in one of the ways a process ends; the child's pid must be gone soon after.
 */
import { type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import { exited, spawnNode } from "../scripts/lib/children.js";
import { ROOT } from "./helpers/node.js";
import { until } from "./helpers/until.js";

const lib = (file: string) => pathToFileURL(path.join(ROOT, "scripts/lib", file)).href;

/**
 * The parent: starts `kind` (argv[2]), prints {"pid"} of it on one line, then ends as `end`
 * (argv[3]) says: "throw" (an uncaught exception), "exit" (process.exit(0)), or "wait" (until the
 * test kills it).
 */
const PARENT = `
import { writeSync } from "node:fs";
import { freePort, spawnHardhatNode } from "${lib("hardhat-node.ts")}";
import { spawnNode } from "${lib("children.ts")}";
const [kind, end, marker] = process.argv.slice(1);
const children = {
  hardhat: async () => (await spawnHardhatNode(await freePort())).child,
  // Runs until stopped, and keeps nothing of the parent's open.
  sleeper: async () => spawnNode(["-e", "setInterval(() => {}, 1000)"], { stdio: ["ignore", "ignore", "inherit"] }),
  // Has a SIGTERM handler of its own that writes a file: the program's own shutdown runs.
  graceful: async () =>
    spawnNode(["-e", "process.on('SIGTERM', () => { require('node:fs').writeFileSync(process.argv[1], 'stopped'); process.exit(0); }); setInterval(() => {}, 1000)", marker], { stdio: ["ignore", "ignore", "inherit"] }),
  // Ignores SIGTERM: stopped all the same after the lifeline's grace period.
  stubborn: async () => spawnNode(["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: ["ignore", "ignore", "inherit"] }),
};
const child = await children[kind]();
await new Promise((r) => setTimeout(r, 300)); // the child has loaded its lifeline
writeSync(1, JSON.stringify({ pid: child.pid }) + "\\n");
if (end === "throw") setTimeout(() => { throw new Error("the parent fails"); }, 10);
else if (end === "exit") process.exit(0);
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

  /** Starts the parent; resolves with it and its child's pid once the child runs. */
  async function parent(kind: string, end: "wait" | "throw" | "exit", marker = ""): Promise<{ parent: ChildProcess; child: number }> {
    const proc = spawnNode(["--import", "tsx", "--input-type=module", "-e", PARENT, kind, end, marker], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    proc.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    proc.stderr?.on("data", (c: Buffer) => (err += c.toString()));
    const child = await until(
      `the parent's child (${kind})`,
      async () => {
        const line = /\{"pid":(\d+)\}/.exec(out);
        if (line) return Number(line[1]);
        if (proc.exitCode !== null && end === "wait") throw new Error(`the parent exited: ${err}`);
        return null;
      },
      120_000,
      50,
    );
    started.push(child);
    return { parent: proc, child };
  }

  for (const signal of ["SIGKILL", "SIGTERM", "SIGINT"] as const) {
    it(`stops the Hardhat node when its parent is killed with ${signal}`, async function () {
      const { parent: proc, child } = await parent("hardhat", "wait");
      expect(running(child)).to.equal(true);
      proc.kill(signal);
      await exited(proc);
      await until(`the Hardhat node (pid ${child}) to stop`, async () => !running(child), 15_000, 100);
    });
  }

  it("stops the Hardhat node when its parent dies of an uncaught exception", async function () {
    const { parent: proc, child } = await parent("hardhat", "throw");
    await exited(proc);
    expect(proc.exitCode).to.equal(1);
    await until(`the Hardhat node (pid ${child}) to stop`, async () => !running(child), 15_000, 100);
  });

  it("stops the child when its parent exits normally with it still running", async function () {
    const { parent: proc, child } = await parent("sleeper", "exit");
    await exited(proc);
    expect(proc.exitCode).to.equal(0);
    await until(`the child (pid ${child}) to stop`, async () => !running(child), 10_000, 50);
  });

  it("lets the child run its own SIGTERM handler when the parent is killed", async function () {
    const marker = path.join(dir, "graceful");
    const { parent: proc, child } = await parent("graceful", "wait", marker);
    proc.kill("SIGKILL");
    await until(`the child (pid ${child}) to stop`, async () => !running(child), 10_000, 50);
    expect(readFileSync(marker, "utf8")).to.equal("stopped");
  });

  it("stops a child that ignores SIGTERM after the grace period", async function () {
    const { parent: proc, child } = await parent("stubborn", "wait");
    proc.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 1_000));
    expect(running(child), "still in its grace period").to.equal(true);
    await until(`the child (pid ${child}) to stop`, async () => !running(child), 15_000, 100);
  });

  it("leaves a child that has finished free to exit, and passes the lifeline to no one else", async function () {
    const child = spawnNode(["-e", "console.log(JSON.stringify({ execArgv: process.execArgv, mark: process.env.BASCULE_LIFELINE_FD ?? null }))"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
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
