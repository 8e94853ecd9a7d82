/**
 * The paged log reader (packages/core/src/logs.ts) against simulated endpoints: random chains, random
 * public-RPC limits and their real error shapes. Properties: every log of the range comes back
 * exactly once and in order, whatever the limits; reads resume from a cursor; a ceiling learnt from
 * a block-range error is kept; a tampering endpoint is caught. No chain needed.
 */
import { expect } from "chai";
import fc from "fast-check";
import { type Address, type Hex, RpcRequestError } from "viem";
import {
  classifyLogError,
  LogIntegrityError,
  LogReadError,
  LogTail,
  PageSizer,
  type RawLog,
  readLogPages,
  readLogs,
} from "@bascule/core/logs";

const ADDRESS = "0x00000000000000000000000000000000000ba5c0" as Address;

/** The error shapes public providers answer a too-large eth_getLogs with. */
const RANGE_ERRORS = [
  (limit: number) => ({ code: -32600, message: `exceed maximum block range: ${limit}` }),
  (limit: number) => ({ code: -32614, message: `eth_getLogs is limited to a ${limit.toLocaleString("en-US")} range` }),
  () => ({ code: -32000, message: "block range too large" }),
  () => ({ code: -32602, message: "block range is too wide" }),
  (limit: number) => ({
    code: -32005,
    message: `range is too large, max is ${limit >= 1000 ? `${limit / 1000}k` : limit} blocks`,
  }),
];
const RESULT_ERRORS = [
  (limit: number, from: number, to: number) => ({
    code: -32005,
    message: `query returned more than ${limit} results. Try with this block range [0x${from.toString(16)}, 0x${to.toString(16)}].`,
  }),
  (_limit: number, from: number, to: number) => ({
    code: -32602,
    message: `Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x${from.toString(16)}, 0x${to.toString(16)}]`,
  }),
  () => ({ code: -32005, message: "limit exceeded" }),
  () => ({ code: -32008, message: "response size exceeded" }),
  () => ({ code: -32000, message: "query timeout exceeded" }),
];

interface Chain {
  /** logs per block */
  counts: number[];
}

function logsOf(chain: Chain, from: number, to: number): RawLog[] {
  const out: RawLog[] = [];
  for (let b = from; b <= to; b++) {
    for (let i = 0; i < chain.counts[b]; i++) {
      out.push({
        address: ADDRESS,
        topics: [`0x${b.toString(16).padStart(64, "0")}`],
        data: `0x${i.toString(16).padStart(64, "0")}`,
        blockNumber: `0x${b.toString(16)}`,
        logIndex: `0x${i.toString(16)}`,
        transactionHash: `0x${(b * 1_000 + i).toString(16).padStart(64, "0")}` as Hex,
      });
    }
  }
  return out;
}

interface Endpoint {
  maxSpan: number;
  maxResults: number;
  style: number;
  /** a transient failure every n-th call (0: never) */
  flaky?: number;
  tamper?: "reorder" | "outside" | "other-address" | "removed";
}

function fakeClient(chain: Chain, endpoint: Endpoint) {
  const stats = { calls: 0, rangeErrors: 0, resultErrors: 0, spans: [] as number[] };
  const client = {
    async request({ method, params }: { method: string; params?: unknown[] }) {
      stats.calls++;
      if (method === "eth_blockNumber") return `0x${(chain.counts.length - 1).toString(16)}`;
      if (method !== "eth_getLogs") throw new Error(`unexpected ${method}`);
      if (endpoint.flaky && stats.calls % endpoint.flaky === 0) {
        throw new RpcRequestError({
          body: {},
          url: "http://x",
          error: { code: -32603, message: "no backends available" },
        });
      }
      const filter = (params as [{ fromBlock: Hex; toBlock: Hex }])[0];
      const from = Number(filter.fromBlock);
      const to = Number(filter.toBlock);
      stats.spans.push(to - from + 1);
      if (to - from + 1 > endpoint.maxSpan) {
        stats.rangeErrors++;
        const shape = RANGE_ERRORS[endpoint.style % RANGE_ERRORS.length](endpoint.maxSpan);
        throw new RpcRequestError({ body: {}, url: "http://x", error: shape });
      }
      const logs = logsOf(chain, from, to);
      if (logs.length > endpoint.maxResults) {
        stats.resultErrors++;
        // Suggest a range that fits, as Infura and Alchemy do.
        let end = from;
        let n = chain.counts[from];
        while (end < to && n + chain.counts[end + 1] <= endpoint.maxResults) n += chain.counts[++end];
        const shape = RESULT_ERRORS[endpoint.style % RESULT_ERRORS.length](endpoint.maxResults, from, end);
        throw new RpcRequestError({ body: {}, url: "http://x", error: shape });
      }
      if (endpoint.tamper && logs.length >= 2) {
        if (endpoint.tamper === "reorder") [logs[0], logs[1]] = [logs[1], logs[0]];
        if (endpoint.tamper === "outside") logs[0] = { ...logs[0], blockNumber: `0x${(to + 1).toString(16)}` };
        if (endpoint.tamper === "other-address")
          logs[0] = { ...logs[0], address: "0x000000000000000000000000000000000000dead" };
        if (endpoint.tamper === "removed") logs[0] = { ...logs[0], removed: true };
      }
      return logs;
    },
  };
  return { client: client as never, stats };
}

const chainArb = fc
  .record({
    blocks: fc.integer({ min: 1, max: 3_000 }),
    density: fc.constantFrom(0, 0.01, 0.2, 1, 5),
    burst: fc.integer({ min: 0, max: 40 }),
    seed: fc.integer(),
  })
  .map(({ blocks, density, burst, seed }): Chain => {
    let x = seed >>> 0 || 1;
    const rand = () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const counts = Array.from({ length: blocks }, () => {
      const r = rand();
      if (r < density / 10) return Math.floor(rand() * burst);
      return rand() < density ? 1 + Math.floor(rand() * 3) : 0;
    });
    return { counts };
  });

const endpointArb = fc.record({
  maxSpan: fc.constantFrom(1, 7, 100, 500, 1_000, 2_000, 10_000),
  maxResults: fc.constantFrom(40, 100, 1_000, 10_000),
  style: fc.nat(20),
});

describe("paged log reader", function () {
  this.timeout(120_000);

  describe("readLogs", function () {
    it("returns every log of the range exactly once, in chain order, under any provider limits", async function () {
      await fc.assert(
        fc.asyncProperty(
          chainArb,
          endpointArb,
          fc.nat(),
          fc.nat(),
          fc.constantFrom(1n, 100n, 1_000n, 5_000n),
          async (chain, endpoint, a, b, initialSpan) => {
            const last = chain.counts.length - 1;
            const from = Math.min(a % (last + 1), b % (last + 1));
            const to = Math.max(a % (last + 1), b % (last + 1));
            const { client, stats } = fakeClient(chain, endpoint);
            const sizer = new PageSizer({ initialSpan, targetResults: 30 });
            const { logs, toBlock } = await readLogs({
              client,
              address: ADDRESS,
              fromBlock: BigInt(from),
              toBlock: BigInt(to),
              sizer,
            });
            expect(toBlock).to.equal(BigInt(to));
            expect(logs).to.deep.equal(logsOf(chain, from, to));
            // A block-range limit is learnt: each refusal at least halves a ceiling that never rises.
            expect(stats.rangeErrors).to.be.at.most(18);
            if (endpoint.style % RANGE_ERRORS.length !== 2 && endpoint.style % RANGE_ERRORS.length !== 3) {
              // The endpoint stated its limit: one refusal is enough.
              expect(stats.rangeErrors).to.be.at.most(1);
            }
          },
        ),
        { numRuns: 150 },
      );
    });

    it("reads from a cursor: two reads split anywhere give the same logs as one", async function () {
      await fc.assert(
        fc.asyncProperty(chainArb, endpointArb, fc.nat(), async (chain, endpoint, k) => {
          const last = chain.counts.length - 1;
          const split = k % (last + 1);
          const { client } = fakeClient(chain, endpoint);
          const first = await readLogs({ client, address: ADDRESS, fromBlock: 0n, toBlock: BigInt(split) });
          const rest = await readLogs({
            client,
            address: ADDRESS,
            fromBlock: first.toBlock + 1n,
            toBlock: BigInt(last),
          });
          expect([...first.logs, ...rest.logs]).to.deep.equal(logsOf(chain, 0, last));
        }),
        { numRuns: 80 },
      );
    });

    it("yields bounded pages: none holds more logs than the endpoint allows", async function () {
      await fc.assert(
        fc.asyncProperty(chainArb, endpointArb, async (chain, endpoint) => {
          const { client } = fakeClient(chain, endpoint);
          let expected = 0n;
          for await (const page of readLogPages({ client, address: ADDRESS, fromBlock: 0n })) {
            expect(page.fromBlock).to.equal(expected);
            expect(page.logs.length).to.be.at.most(endpoint.maxResults);
            expect(Number(page.toBlock - page.fromBlock) + 1).to.be.at.most(endpoint.maxSpan);
            expected = page.toBlock + 1n;
          }
          expect(expected).to.equal(BigInt(chain.counts.length));
        }),
        { numRuns: 80 },
      );
    });

    it("grows pages back once a dense stretch is past", async function () {
      const counts = Array.from({ length: 20_000 }, (_, b) => (b < 100 ? 200 : b % 50 === 0 ? 1 : 0));
      const { client, stats } = fakeClient({ counts }, { maxSpan: 10_000, maxResults: 1_000, style: 0 });
      await readLogs({
        client,
        address: ADDRESS,
        fromBlock: 0n,
        sizer: new PageSizer({ initialSpan: 1_000n, maxSpan: 10_000n, targetResults: 500 }),
      });
      expect(Math.min(...stats.spans)).to.be.at.most(5);
      expect(stats.spans.at(-1)).to.be.at.least(1_000);
      // 20,000 logs at about 500 a page is 40 pages; the sparse tail takes a few doublings.
      expect(stats.calls).to.be.below(80);
    });

    it("retries transient failures (no backends, 5xx) and still returns everything", async function () {
      const chain = { counts: Array.from({ length: 600 }, (_, b) => b % 3) };
      const { client, stats } = fakeClient(chain, { maxSpan: 100, maxResults: 1_000, style: 1, flaky: 4 });
      const { logs } = await readLogs({ client, address: ADDRESS, fromBlock: 0n });
      expect(logs).to.deep.equal(logsOf(chain, 0, 599));
      expect(stats.calls).to.be.above(7);
    });

    it("stops with LOG_PAGE_LIMIT when one block holds more logs than the endpoint returns", async function () {
      const { client } = fakeClient({ counts: [0, 5, 50, 0] }, { maxSpan: 1_000, maxResults: 10, style: 0 });
      const error = await readLogs({ client, address: ADDRESS, fromBlock: 0n }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(LogReadError);
      expect((error as LogReadError).code).to.equal("LOG_PAGE_LIMIT");
      expect((error as LogReadError).fromBlock).to.equal(2n);
    });

    it("stops with LOG_RPC_FAILED on an error that is no limit", async function () {
      const client = {
        request: async () => {
          throw new RpcRequestError({
            body: {},
            url: "http://x",
            error: { code: -32601, message: "the method eth_getLogs does not exist" },
          });
        },
      } as never;
      const error = await readLogs({ client, address: ADDRESS, fromBlock: 0n, toBlock: 10n }).catch((e: unknown) => e);
      expect((error as LogReadError).code).to.equal("LOG_RPC_FAILED");
    });

    for (const tamper of ["reorder", "outside", "other-address", "removed"] as const) {
      it(`refuses a tampering endpoint (${tamper})`, async function () {
        const { client } = fakeClient({ counts: [2, 2, 2] }, { maxSpan: 1_000, maxResults: 1_000, style: 0, tamper });
        const error = await readLogs({ client, address: ADDRESS, fromBlock: 0n }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(LogIntegrityError);
      });
    }

    it("stops between pages when aborted", async function () {
      const { client } = fakeClient(
        { counts: Array.from({ length: 5_000 }, () => 1) },
        { maxSpan: 100, maxResults: 1_000, style: 0 },
      );
      const controller = new AbortController();
      let pages = 0;
      const error = await (async () => {
        for await (const page of readLogPages({ client, address: ADDRESS, fromBlock: 0n, signal: controller.signal })) {
          void page;
          if (++pages === 3) controller.abort(new Error("cancelled"));
        }
      })().catch((e: unknown) => e);
      expect((error as Error).message).to.equal("cancelled");
      expect(pages).to.equal(3);
    });
  });

  describe("reading ahead", function () {
    it("asks for the next page while the caller folds the current one, and for nothing past the range", async function () {
      const chain = { counts: Array.from({ length: 1_000 }, () => 1) };
      const { client, stats } = fakeClient(chain, { maxSpan: 100, maxResults: 1_000, style: 0 });
      const sizer = () => new PageSizer({ initialSpan: 100n, maxSpan: 100n });
      const askedWhenYielded: number[] = [];
      for await (const page of readLogPages({
        client,
        address: ADDRESS,
        fromBlock: 0n,
        toBlock: 999n,
        sizer: sizer(),
      })) {
        void page;
        askedWhenYielded.push(stats.spans.length);
      }
      // Page k (1-based) is in the caller's hands while page k+1 is already asked for; the last is not followed by any.
      expect(askedWhenYielded).to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9, 10, 10]);
      expect(stats.spans).to.have.length(10);

      // A caller that stops after three pages leaves one answer unread, and nothing else is asked.
      const second = fakeClient(chain, { maxSpan: 100, maxResults: 1_000, style: 0 });
      let pages = 0;
      for await (const page of readLogPages({
        client: second.client,
        address: ADDRESS,
        fromBlock: 0n,
        toBlock: 999n,
        sizer: sizer(),
      })) {
        void page;
        if (++pages === 3) break;
      }
      await new Promise((r) => setTimeout(r, 10));
      expect(second.stats.spans).to.have.length(4);

      // Without prefetch, one request a page, each asked only when the caller wants it.
      const third = fakeClient(chain, { maxSpan: 100, maxResults: 1_000, style: 0 });
      const asked: number[] = [];
      for await (const page of readLogPages({
        client: third.client,
        address: ADDRESS,
        fromBlock: 0n,
        toBlock: 999n,
        sizer: sizer(),
        prefetch: false,
      })) {
        void page;
        asked.push(third.stats.spans.length);
      }
      expect(asked).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it("a refused page asked ahead is asked again smaller, and nothing is lost", async function () {
      // Dense after block 500: the page asked ahead at the sparse span is refused for its results.
      const chain = { counts: Array.from({ length: 2_000 }, (_, b) => (b < 500 ? 0 : 30)) };
      const { client, stats } = fakeClient(chain, { maxSpan: 1_000, maxResults: 1_000, style: 0 });
      const { logs } = await readLogs({
        client,
        address: ADDRESS,
        fromBlock: 0n,
        sizer: new PageSizer({ initialSpan: 400n, maxSpan: 1_000n }),
      });
      expect(logs).to.deep.equal(logsOf(chain, 0, 1_999));
      expect(stats.resultErrors).to.be.at.least(1);
    });
  });

  describe("LogTail", function () {
    it("reads only the blocks added since the last poll", async function () {
      const chain = { counts: [1, 0, 2] };
      const { client, stats } = fakeClient(chain, { maxSpan: 1_000, maxResults: 1_000, style: 0 });
      const tail = new LogTail({ client, address: ADDRESS, fromBlock: 0n });
      expect(await tail.poll()).to.have.length(3);
      expect(await tail.poll()).to.have.length(0);
      chain.counts.push(0, 4);
      stats.spans.length = 0;
      expect(await tail.poll()).to.have.length(4);
      expect(stats.spans).to.deep.equal([2]);
      expect(tail.cursor).to.equal(5n);
    });

    it("loses nothing when a poll fails part-way: the next poll reads the same blocks again", async function () {
      const chain = { counts: Array.from({ length: 500 }, () => 1) };
      const healthy = fakeClient(chain, { maxSpan: 100, maxResults: 1_000, style: 0 });
      let calls = 0;
      let broken = true;
      const client = {
        request: (args: never, options: never) => {
          // The third eth_getLogs of the first poll fails for good (not a limit, not transient).
          if (broken && (args as { method: string }).method === "eth_getLogs" && ++calls === 3) {
            return Promise.reject(
              new RpcRequestError({ body: {}, url: "http://x", error: { code: -32601, message: "method disabled" } }),
            );
          }
          return (healthy.client as { request: (a: never, o: never) => Promise<unknown> }).request(args, options);
        },
      } as never;
      const tail = new LogTail({
        client,
        address: ADDRESS,
        fromBlock: 0n,
        sizer: new PageSizer({ initialSpan: 100n, maxSpan: 100n }),
      });
      const error = await tail.poll().catch((e: unknown) => e);
      expect((error as LogReadError).code).to.equal("LOG_RPC_FAILED");
      expect(tail.cursor).to.equal(0n);
      broken = false;
      expect(await tail.poll()).to.deep.equal(logsOf(chain, 0, 499));
      expect(tail.cursor).to.equal(500n);
    });
  });

  describe("PageSizer", function () {
    it("keeps every span between 1 and a ceiling that never rises", function () {
      fc.assert(
        fc.property(
          fc.bigInt({ min: 1n, max: 200_000n }),
          fc.array(
            fc.oneof(
              fc.record({ ok: fc.constant(true as const), count: fc.nat(50_000) }),
              fc.record({
                ok: fc.constant(false as const),
                kind: fc.constantFrom("range" as const, "results" as const, "size" as const, "timeout" as const),
                hint: fc.option(fc.bigInt({ min: 0n, max: 300_000n }), { nil: undefined }),
              }),
            ),
            { maxLength: 60 },
          ),
          (initialSpan, steps) => {
            const sizer = new PageSizer({ initialSpan, maxSpan: 100_000n });
            let ceiling = sizer.ceiling;
            for (const s of steps) {
              const span = sizer.span;
              if (s.ok) sizer.succeeded(span, s.count);
              else {
                const more = sizer.limited(
                  s.kind,
                  span,
                  s.kind === "range"
                    ? { maxSpan: s.hint }
                    : { suggested: s.hint === undefined ? undefined : { from: 10n, to: 10n + s.hint } },
                );
                expect(more).to.equal(span > 1n);
                if (more) expect(sizer.span < span).to.equal(true);
              }
              expect(sizer.span >= 1n && sizer.span <= sizer.ceiling).to.equal(true);
              expect(sizer.ceiling <= ceiling).to.equal(true);
              ceiling = sizer.ceiling;
            }
          },
        ),
        { numRuns: 500 },
      );
    });
  });

  describe("classifyLogError", function () {
    const cases: [string, unknown, string, unknown?][] = [
      ["geth/Infura result cap", { code: -32005, message: "query returned more than 10000 results" }, "results"],
      [
        "Infura with a range",
        { code: -32005, message: "query returned more than 10000 results. Try with this block range [0x10, 0x20]." },
        "results",
        { suggested: { from: 16n, to: 32n } },
      ],
      ["Alchemy", RESULT_ERRORS[1](10_000, 1, 2), "results", { suggested: { from: 1n, to: 2n } }],
      [
        "QuickNode",
        { code: -32614, message: "eth_getLogs is limited to a 10,000 range" },
        "range",
        { maxSpan: 10_000n },
      ],
      ["publicnode", { code: -32600, message: "exceed maximum block range: 50000" }, "range", { maxSpan: 50_000n }],
      ["llamarpc", { code: -32005, message: "range is too large, max is 1k blocks" }, "range", { maxSpan: 1_000n }],
      [
        "Cloudflare",
        { code: -32047, message: "Maximum allowed number of requested blocks is 800" },
        "range",
        { maxSpan: 800n },
      ],
      ["bare range", { code: -32000, message: "block range too large" }, "range", { maxSpan: undefined }],
      ["response size", { code: -32008, message: "Response is too big" }, "size"],
      ["HTTP 413", { status: 413, message: "HTTP request failed." }, "size"],
      ["timeout", { code: -32000, message: "query timeout exceeded" }, "timeout"],
      ["bare -32005", { code: -32005, message: "limit exceeded" }, "results"],
      ["rate limit", { status: 429, message: "Too Many Requests" }, "transient"],
      ["network", new TypeError("fetch failed"), "transient"],
      ["bad params", { code: -32602, message: "invalid argument 0: hex string has odd length" }, "fatal"],
    ];
    for (const [name, error, kind, hint] of cases) {
      it(`recognises ${name} as ${kind}`, function () {
        const c = classifyLogError(
          new RpcRequestError({ body: {}, url: "http://x", error: error as { code: number; message: string } }),
        );
        const direct = classifyLogError(error);
        for (const got of [direct, ...("code" in (error as object) ? [c] : [])]) {
          expect(got.kind).to.equal(kind);
          if (hint) expect((got as { hint: unknown }).hint).to.deep.include(hint as object);
        }
      });
    }
  });
});

describe("every log read goes through the paged reader", function () {
  it("no source outside packages/core/src/logs.ts calls eth_getLogs in one go (getContractEvents, getLogs, getFilterLogs)", async function () {
    const { readdirSync, readFileSync, statSync } = await import("node:fs");
    const path = await import("node:path");
    const root = path.resolve(import.meta.dirname, "..", "..");
    // Allowed: the reader itself, the limiting proxy (it serves eth_getLogs), benchmarks' counters.
    const allowed = new Set(["packages/core/src/logs.ts", "scripts/lib/rpc-limits.ts"]);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(path.join(root, dir))) {
        const rel = path.join(dir, name);
        if (statSync(path.join(root, rel)).isDirectory()) {
          if (name !== "node_modules" && name !== "dist" && name !== "e2e") walk(rel);
        } else if (
          /\.(ts|tsx)$/.test(name) &&
          !/\.test\.tsx?$/.test(name) &&
          !allowed.has(rel) &&
          !rel.startsWith("scripts/bench/")
        ) {
          const text = readFileSync(path.join(root, rel), "utf8");
          if (
            /\.(getContractEvents|getLogs|getFilterLogs|createEventFilter|createContractEventFilter)\(|method:\s*"eth_getLogs"/.test(
              text,
            )
          )
            offenders.push(rel);
        }
      }
    };
    for (const dir of ["scripts", "frontend/src"]) walk(dir);
    // The indexer (indexer/) is Ponder's: it reads logs its own way, with its own range handling.
    expect(offenders).to.deep.equal([]);
  });
});
