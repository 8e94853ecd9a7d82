/**
 * `npm run bench:start`: how long `npm start` takes to its "ready" line, measured from outside (from
 * the moment `npm start` is spawned, so npm's and TypeScript's loading count), twice: the first start
 * may build the contracts or the dApp; the second runs on an unchanged checkout and must reuse both.
 * Budget (issue 19): the second start ready in 30 s or less on the 2-core reference machine.
 * It uses free ports (PORT, CHAIN_PORT) so it can run beside a running `npm start`, but it writes the
 * same `.bascule/` logs. `--check` exits 1 when the second start is over budget.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BUDGET_S = 30;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

/** Seconds from spawning `npm start` to its "ready" line; then Ctrl-C and wait for it to stop. */
async function timeStart(): Promise<{ seconds: number; printed: string }> {
  const env = { ...process.env, PORT: String(await freePort()), CHAIN_PORT: String(await freePort()) };
  const t = performance.now();
  const child = spawn("npm", ["start"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const ready = new Promise<{ seconds: number; printed: string }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /Bascule is ready in ([\d.]+) s/.exec(output);
      if (line) resolve({ seconds: (performance.now() - t) / 1000, printed: line[1] });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`npm start exited ${code} before ready:\n${output.slice(-2000)}`)));
  });
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 300_000);
  try {
    return await ready;
  } finally {
    clearTimeout(timer);
    const exited = once(child, "exit");
    process.kill(-child.pid!, "SIGINT");
    const killer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 20_000);
    await exited;
    clearTimeout(killer);
  }
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(`npm start to "ready", measured from outside; load average ${load()}`);
const first = await timeStart();
console.log(`  first start:  ${first.seconds.toFixed(1)} s (it printed ${first.printed} s; may include builds)`);
const second = await timeStart();
const over = second.seconds > BUDGET_S;
console.log(
  `  second start: ${second.seconds.toFixed(1)} s (it printed ${second.printed} s)  budget ${BUDGET_S} s  ${over ? "OVER" : "ok"}`,
);
console.log(`  load average after: ${load()}`);
if (over && process.argv.includes("--check")) process.exit(1);
