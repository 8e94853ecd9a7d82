/**
 * The relayer's low-balance alert (scripts/relayer/service.ts): the line logged when the gas
 * balance crosses LOW_BALANCE_WEI, once each way, from a reading taken on start and every
 * BALANCE_CHECK_MS whether or not anyone asks /status; and /status's lowBalance and lowBalanceWei.
 * Against a stub JSON-RPC endpoint that answers the balance it is told: no chain.
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { type Hex, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { Relayer, lowBalanceLine, type ResolvedOptions } from "../../scripts/relayer/service.js";

const KEY = keccak256(toHex("bascule relayer balance test")) as Hex;
const ADDRESS = privateKeyToAccount(KEY).address;
const THRESHOLD = 50_000_000_000_000_000n; // 0.05, the default LOW_BALANCE_WEI
const FACTORY = "0x00000000000000000000000000000000000000fa";

/** A JSON-RPC endpoint answering eth_chainId and eth_getBalance (single or batched calls), counting the latter. */
async function stubRpc(): Promise<{ url: string; server: Server; balance: bigint; reads: number }> {
  const stub = { url: "", server: createServer(), balance: 0n, reads: 0 };
  stub.server.on("request", (req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const answer = (call: { id: number; method: string }) => {
        if (call.method === "eth_getBalance") stub.reads++;
        const result = call.method === "eth_chainId" ? "0x7a69" : toHex(stub.balance);
        return { jsonrpc: "2.0", id: call.id, result };
      };
      const parsed = JSON.parse(body) as { id: number; method: string } | { id: number; method: string }[];
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)));
    });
  });
  await new Promise<void>((resolve) => stub.server.listen(0, "127.0.0.1", resolve));
  stub.url = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
  return stub;
}

describe("relayer low-balance alert", function () {
  describe("lowBalanceLine", function () {
    it("says nothing on a first reading above the threshold, nor while the balance stays on one side", function () {
      expect(lowBalanceLine(null, THRESHOLD, THRESHOLD, ADDRESS)).to.equal(null);
      expect(lowBalanceLine(false, 10n ** 18n, THRESHOLD, ADDRESS)).to.equal(null);
      expect(lowBalanceLine(true, 1n, THRESHOLD, ADDRESS)).to.equal(null);
    });

    it("names the balance, the threshold and the address to fund when the balance falls below it", function () {
      const line = lowBalanceLine(false, 10_000_000_000_000_000n, THRESHOLD, ADDRESS);
      expect(line).to.equal(
        `gas balance 10000000000000000 wei (0.01) is below LOW_BALANCE_WEI 50000000000000000 (0.05): fund ${ADDRESS}; ` +
          "once it cannot pay for a transaction nothing more is mined, and accepted requests wait",
      );
      expect(lowBalanceLine(null, 0n, THRESHOLD, ADDRESS)).to.match(/^gas balance 0 wei \(0\) is below/);
    });

    it("says when the balance is back above it", function () {
      expect(lowBalanceLine(true, 10n ** 18n, THRESHOLD, ADDRESS)).to.equal(
        "gas balance 1000000000000000000 wei (1) is back above LOW_BALANCE_WEI 50000000000000000 (0.05)",
      );
    });
  });

  describe("the service", function () {
    let stub: Awaited<ReturnType<typeof stubRpc>>;
    let relayer: Relayer;
    let lines: string[];

    beforeEach(async function () {
      stub = await stubRpc();
      lines = [];
      const options: ResolvedOptions = {
        rpcUrl: stub.url,
        privateKey: KEY,
        port: 0,
        dbPath: ":memory:",
        corsOrigins: [],
        batchSize: 100,
        batchLatencyMs: 1_000,
        factory: FACTORY,
        maxBodyBytes: 16 * 1024,
        rateLimit: { perSecond: 10, burst: 30 },
        powBits: 0,
        claimFee: 0n,
        keyChanges: { max: 5, windowMs: 24 * 3_600_000 },
        lowBalanceWei: THRESHOLD,
        replaceAfterMs: 60_000,
        maxInFlight: 4,
        recoverWith: "js",
        chainTimeTtlMs: 1_000,
        log: (line) => lines.push(line),
      };
      relayer = new Relayer(options, 31337);
    });

    afterEach(async function () {
      await relayer.stop();
      await new Promise((resolve) => stub.server.close(resolve));
    });

    it("logs once when the balance falls below LOW_BALANCE_WEI, and once when it is back above", async function () {
      stub.balance = 10n ** 18n;
      await relayer.checkBalance();
      expect(lines).to.deep.equal([]);
      stub.balance = 10n ** 16n;
      await relayer.checkBalance();
      await relayer.checkBalance();
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/^gas balance 10000000000000000 wei \(0\.01\) is below LOW_BALANCE_WEI/);
      stub.balance = 10n ** 18n;
      await relayer.checkBalance();
      expect(lines).to.have.length(2);
      expect(lines[1]).to.match(/is back above LOW_BALANCE_WEI 50000000000000000/);
    });

    it("reads the balance on start, so a relayer started short of gas says so without /status being asked", async function () {
      stub.balance = 0n;
      relayer.start();
      for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/^gas balance 0 wei \(0\) is below LOW_BALANCE_WEI/);
      expect(stub.reads).to.equal(1);
    });

    it("shows lowBalance and the threshold in /status, and logs the crossing a /status reading finds", async function () {
      stub.balance = 10n ** 16n;
      const status = await relayer.status();
      expect(status.balance).to.equal("10000000000000000");
      expect(status.lowBalance).to.equal(true);
      expect(status.lowBalanceWei).to.equal("50000000000000000");
      expect(lines).to.have.length(1);
      // Within two seconds /status answers from the last reading.
      await relayer.status();
      expect(stub.reads).to.equal(1);
    });
  });
});
