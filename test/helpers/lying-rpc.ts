/**
 * A JSON-RPC endpoint in front of a node that tells the truth but for the lies a test asks for:
 * `lieOnce(match, rewrite)` replaces the result of the next call `match` selects by what `rewrite`
 * makes of it, once. The keeper's tests use it to show that one wrong answer never makes the keeper
 * give a campaign up.
 */
import { type IncomingMessage, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RpcCall {
  id?: unknown;
  method: string;
  params?: unknown[];
}

export interface LyingRpc {
  url: string;
  /** Lies told so far. */
  told: number;
  lieOnce(match: (call: RpcCall) => boolean, rewrite: (result: unknown) => unknown): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts the endpoint on 127.0.0.1, forwarding to `target`. */
export async function startLyingRpc(target: string): Promise<LyingRpc> {
  const lies: { match: (call: RpcCall) => boolean; rewrite: (result: unknown) => unknown }[] = [];
  const rpc: LyingRpc = {
    url: "",
    told: 0,
    lieOnce: (match, rewrite) => void lies.push({ match, rewrite }),
    close: async () => {},
  };
  async function answer(call: RpcCall): Promise<unknown> {
    const response = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(call),
    });
    const answered = (await response.json()) as { result?: unknown };
    const lie = lies.findIndex((l) => l.match(call));
    if (lie >= 0 && "result" in answered) {
      const [{ rewrite }] = lies.splice(lie, 1);
      rpc.told++;
      return { ...answered, result: rewrite(answered.result) };
    }
    return answered;
  }
  const server = createServer((req, res) => {
    void body(req)
      .then(async (text) => {
        const parsed = JSON.parse(text) as RpcCall | RpcCall[];
        const out = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(out));
      })
      .catch((error: unknown) => {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: String(error) } }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  rpc.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rpc.close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return rpc;
}
