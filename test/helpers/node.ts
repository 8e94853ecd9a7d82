/**
 * A real `hardhat node` (JSON-RPC over HTTP) on a free port, for the oracle scripts' tests: the
 * relayer, keeper, CLI and deploy scripts talk to it exactly as they would to a public chain.
 */
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Hex, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { freePort, rpcCall, spawnHardhatNode } from "../../scripts/lib/hardhat-node.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Hardhat's default test accounts (public mnemonic; never use them on a real chain). */
export const TEST_KEYS: Hex[] = Array.from({ length: 10 }, (_, i) => {
  const key = mnemonicToAccount("test test test test test test test test test test test junk", {
    addressIndex: i,
  }).getHdKey().privateKey;
  if (!key) throw new Error("no key");
  return toHex(key);
});

export { freePort };

export interface LocalNode {
  url: string;
  port: number;
  process: ChildProcess;
  /** Sends a raw JSON-RPC request (evm_increaseTime, evm_mine, …). */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts `hardhat node` on a free port and waits until it answers. */
export async function startNode(options: { chainId?: number } = {}): Promise<LocalNode> {
  const port = await freePort();
  const { url, child } = await spawnHardhatNode(port, options);
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    url,
    port,
    process: child,
    rpc: (method, params) => rpcCall(url, method, params),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
    },
  };
}

/** Moves the node's clock forward and mines a block. */
export async function increaseTime(node: LocalNode, seconds: number): Promise<void> {
  await node.rpc("evm_increaseTime", [seconds]);
  await node.rpc("evm_mine");
}
