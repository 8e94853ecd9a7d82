/**
 * A local `hardhat node` as a child process, and the small JSON-RPC and port helpers around it:
 * shared by `npm start` (scripts/demo/stack.ts) and the tests that need a real node (test/helpers/node.ts).
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnNode } from "./children.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends one JSON-RPC request; throws with the node's message on an error answer. */
export async function rpcCall<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/**
 * Starts `hardhat node` on 127.0.0.1:`port` and resolves once it answers `eth_chainId` (within
 * 2 minutes). Its start-up output (bounded) goes into the error if it exits or never answers;
 * after that its per-request log is discarded, so it cannot fill memory. The node stops when this
 * process ends, however it ends (children.ts).
 */
export async function spawnHardhatNode(
  port: number,
  options: { chainId?: number } = {},
): Promise<{ url: string; child: ChildProcess }> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawnNode(
    [
      path.join(ROOT, "node_modules/.bin/hardhat"),
      "node",
      "--port",
      String(port),
      "--hostname",
      "127.0.0.1",
      // A public chain's id (84532, Base Sepolia) for the production rehearsal; default 31337.
      ...(options.chainId === undefined ? [] : ["--chain-id", String(options.chainId)]),
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
    },
  );
  let output = "";
  const keep = (chunk: Buffer) => {
    if (output.length < 20_000) output += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited early:\n${output}`);
    try {
      await rpcCall(url, "eth_chainId");
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`hardhat node did not start:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.stdout?.removeListener("data", keep);
  child.stdout?.resume();
  return { url, child };
}
