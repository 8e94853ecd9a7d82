/**
 * Reading the chain behind a public endpoint's limits: the limiting proxy (scripts/lib/rpc-limits.ts)
 * in front of a real `hardhat node`, a campaign spread over thousands of blocks, and the paged
 * reader, the replay, the campaign lookup and the keeper working through it. A dishonest endpoint
 * (dropping or reordering logs) never yields a "match".
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  getAbiItem,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  toEventSelector,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { startKeeper } from "../../scripts/keeper/service.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { classifyLogError, LogIntegrityError, PageSizer, readLogs } from "@bascule/core/logs";
import { replay as modelReplay, tallies } from "@bascule/core/model";
import { CampaignReplay, decodeHistoryLog, findCampaignCreation, verifyReplay } from "@bascule/core/replay";
import { type RpcProxy, startRpcProxy } from "../../scripts/lib/rpc-limits.js";
import { encodePledges, signPledge } from "@bascule/core/signing";
import { verifyCampaign } from "../../scripts/verify/replay.js";
import { type LocalNode, ROOT, TEST_KEYS, increaseTime, startNode } from "../helpers/node.js";
import { campaignParams } from "../helpers/campaign.js";

const LADDER = [3, 10, 30, 100];

describe("reading the chain behind public-RPC limits", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let proxy: RpcProxy;
  let direct: PublicClient;
  let limited: PublicClient;
  let factory: Address;
  let campaign: Address;
  let createdAt: bigint;
  let pledges = 0;
  const proxies: RpcProxy[] = [];

  const mine = (blocks: number) => node.rpc("hardhat_mine", [toHex(blocks)]);
  const through = (p: RpcProxy) => createPublicClient({ transport: http(p.url) });

  before(async function () {
    node = await startNode();
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    direct = createPublicClient({ transport: http(node.url) });
    const chainId = await direct.getChainId();
    await mine(1_500);
    const now = (await direct.getBlock()).timestamp;
    const created = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, { metadataHash: keccak256(toHex("scale")), ladder: LADDER }),
      metadataURI: "ipfs://scale",
      salt: keccak256(toHex("scale")),
    });
    campaign = created.campaign;
    createdAt = (await direct.getTransactionReceipt({ hash: created.txHash })).blockNumber;
    const wallet = createWalletClient({
      account: privateKeyToAccount(TEST_KEYS[4]),
      chain: chainFor(chainId, node.url),
      transport: http(node.url),
    });
    const send = async (hash: Hex) => {
      const r = await direct.waitForTransactionReceipt({ hash });
      if (r.status !== "success") throw new Error("reverted");
    };
    const keys = Array.from({ length: 120 }, () => privateKeyToAccount(generatePrivateKey()));
    for (let b = 0; b < 4; b++) {
      const batch = await Promise.all(
        keys
          .slice(b * 30, b * 30 + 30)
          .map((k, i) =>
            signPledge(k, campaign, chainId, { level: 1 + ((i + b) % LADDER.length), support: 0n, nonce: 0 }),
          ),
      );
      await send(
        await wallet.writeContract({
          address: campaign,
          abi: campaignAbi,
          functionName: "pledgeBatch",
          args: [encodePledges(batch)],
        }),
      );
      pledges += batch.length;
      await mine(600);
    }
    // A change and a withdrawal, so the replay has more than first pledges to fold.
    const change = await signPledge(keys[0], campaign, chainId, { level: 4, support: 0n, nonce: 1 });
    const withdraw = await signPledge(keys[1], campaign, chainId, { level: 0, support: 0n, nonce: 1 });
    await send(
      await wallet.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "pledgeBatch",
        args: [encodePledges([change, withdraw])],
      }),
    );
    await send(
      await wallet.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "donate",
        args: [2n, 10n ** 16n],
        value: 10n ** 16n,
      }),
    );
    pledges -= 1;
    await mine(25_000);
    proxy = await startRpcProxy(node.url, { maxBlockRange: 1_000, maxResults: 50 });
    proxies.push(proxy);
    limited = through(proxy);
  });

  after(async function () {
    for (const p of proxies) await p.close();
    await node?.stop();
  });

  describe("the proxy", function () {
    it("refuses one eth_getLogs from the first block to the latest, as public endpoints do", async function () {
      const error = await limited
        .getContractEvents({ address: campaign, abi: campaignAbi, fromBlock: 0n })
        .catch((e: unknown) => e);
      expect(classifyLogError(error).kind).to.equal("range");
      expect(proxy.stats.refused).to.be.above(0);
    });

    it("refuses more than its result cap with a provider's error and a range that fits", async function () {
      const error = await limited
        .getContractEvents({ address: campaign, abi: campaignAbi, fromBlock: createdAt, toBlock: createdAt + 999n })
        .catch((e: unknown) => e);
      const c = classifyLogError(error);
      expect(c.kind).to.equal("results");
    });

    it("refuses an answer above its size cap (-32008)", async function () {
      const small = await startRpcProxy(node.url, { maxResponseBytes: 4_000 });
      proxies.push(small);
      const error = await through(small)
        .getContractEvents({ address: campaign, abi: campaignAbi, fromBlock: createdAt, toBlock: createdAt + 1n })
        .catch((e: unknown) => e);
      expect(classifyLogError(error).kind).to.equal("size");
      expect(JSON.stringify((error as { cause?: unknown }).cause ?? error)).to.match(/-32008|response size/);
    });

    it("counts requests and bytes", async function () {
      const counted = await startRpcProxy(node.url);
      proxies.push(counted);
      await through(counted).getBlockNumber();
      expect(counted.stats.requests).to.equal(1);
      expect(counted.stats.byMethod.eth_blockNumber).to.equal(1);
      expect(counted.stats.bytesOut).to.be.above(20);
    });
  });

  describe("the paged reader behind it", function () {
    it("returns exactly what one unlimited call to the node returns", async function () {
      const all = (await direct.request({
        method: "eth_getLogs",
        params: [{ address: campaign, fromBlock: "0x0", toBlock: "latest" }],
      })) as unknown[];
      const { logs } = await readLogs({
        client: limited,
        address: campaign,
        fromBlock: 0n,
        sizer: new PageSizer({ maxSpan: 100_000n, targetResults: 20 }),
      });
      expect(logs).to.deep.equal(all);
      expect(logs.length).to.equal(122 + 1);
    });

    it("finds a campaign's creation block and description among tens of thousands of blocks", async function () {
      proxy.resetStats();
      const found = await findCampaignCreation({ client: limited, factory, campaign, fromBlock: 0n });
      expect(found?.blockNumber).to.equal(createdAt);
      expect(found?.metadataURI).to.equal("ipfs://scale");
      // Hardhat's hardhat_mine blocks answer eth_getCode with no code, so here the bisection finds
      // no log at its block and the lookup falls back to paging the factory's log: still right.
      expect(proxy.stats.byMethod.eth_getLogs).to.be.above(28);
    });

    /**
     * An endpoint over a long chain where the campaign was created at block 1,234,567: the factory's
     * real CampaignCreated log moved there, `hasCode(block)` for historical eth_getCode, and a cap
     * on eth_getLogs spans. Records every method called and every eth_getLogs range's end.
     */
    const longChain = async (hasCode: (block: bigint) => boolean, maxSpan: bigint) => {
      const created = 1_234_567n;
      const latest = 5_000_000n;
      const real = (await direct.request({
        method: "eth_getLogs",
        params: [{ address: factory, fromBlock: "0x0", toBlock: "latest" }],
      })) as { blockNumber: Hex }[];
      const calls: string[] = [];
      const logEnds: bigint[] = [];
      const client = {
        async request({ method, params }: { method: string; params: unknown[] }) {
          calls.push(method);
          if (method === "eth_blockNumber") return toHex(latest);
          if (method === "eth_getCode")
            return hasCode(BigInt(params[1] as Hex)) && BigInt(params[1] as Hex) >= created ? "0x6000" : "0x";
          const f = params[0] as { fromBlock: Hex; toBlock: Hex };
          if (BigInt(f.toBlock) - BigInt(f.fromBlock) >= maxSpan) throw new Error("block range too large");
          logEnds.push(BigInt(f.toBlock));
          return BigInt(f.fromBlock) <= created && created <= BigInt(f.toBlock)
            ? [{ ...real[0], blockNumber: toHex(created) }]
            : [];
        },
      } as never;
      return { client, created, latest, calls, logEnds };
    };

    it("bisects on eth_getCode where the endpoint keeps history: about log2(blocks) calls", async function () {
      const { client, created, calls } = await longChain(() => true, 1_000n);
      const found = await findCampaignCreation({ client, factory, campaign, fromBlock: 0n });
      expect(found?.blockNumber).to.equal(created);
      expect(found?.metadataURI).to.equal("ipfs://scale");
      expect(calls.length).to.be.below(30);
    });

    it("reads only up to where the bisection stopped when the endpoint's historical code is patchy", async function () {
      // Code only at every 100th block from the creation on (as a local node's lazily mined blocks answer).
      const { client, created, latest, logEnds } = await longChain((block) => block % 100n === 0n, 100_000n);
      const found = await findCampaignCreation({
        client,
        factory,
        campaign,
        fromBlock: 0n,
        sizer: new PageSizer({ initialSpan: 100_000n }),
      });
      expect(found?.blockNumber).to.equal(created);
      // Nothing was read past the block where the bisection stopped.
      expect(logEnds.every((b) => b <= latest / 2n)).to.equal(true);
    });

    it("finds nothing for an address the factory never created", async function () {
      const stranger = privateKeyToAccount(generatePrivateKey()).address;
      expect(await findCampaignCreation({ client: limited, factory, campaign: stranger, fromBlock: 0n })).to.equal(
        null,
      );
    });

    it("replays the campaign page by page to the contract's tallies", async function () {
      const replay = new CampaignReplay({ client: limited, campaign, fromBlock: createdAt, levels: LADDER.length });
      const progress: bigint[] = [];
      const result = await verifyReplay(replay, limited, { onProgress: (p) => progress.push(p.block) });
      expect(result.match).to.equal(true);
      expect(result.events).to.equal(123);
      expect(result.replayed.counts.reduce((a, b) => a + b, 0n)).to.equal(BigInt(pledges));
      expect(progress.length).to.be.above(20);
      expect([...progress].sort((a, b) => (a < b ? -1 : 1))).to.deep.equal(progress);
      // The same as the model on the whole log decoded at once.
      const all = (await direct.request({
        method: "eth_getLogs",
        params: [{ address: campaign, fromBlock: "0x0", toBlock: "latest" }],
      })) as never[];
      const events = all.map(decodeHistoryLog).filter((e) => e !== null);
      expect(tallies(LADDER.length, modelReplay(events))).to.deep.equal(result.replayed);
    });

    it("reads only the new blocks when asked again after a new event", async function () {
      const replay = new CampaignReplay({ client: limited, campaign, fromBlock: createdAt, levels: LADDER.length });
      const first = await verifyReplay(replay, limited);
      const chainId = await direct.getChainId();
      const wallet = createWalletClient({
        account: privateKeyToAccount(TEST_KEYS[5]),
        chain: chainFor(chainId, node.url),
        transport: http(node.url),
      });
      const key = privateKeyToAccount(generatePrivateKey());
      const hash = await wallet.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "pledgeBatch",
        args: [encodePledges([await signPledge(key, campaign, chainId, { level: 1, support: 0n, nonce: 0 })])],
      });
      await direct.waitForTransactionReceipt({ hash });
      proxy.resetStats();
      const second = await verifyReplay(replay, limited);
      expect(second.match).to.equal(true);
      expect(second.events).to.equal(first.events + 1);
      expect(proxy.stats.byMethod.eth_getLogs).to.equal(1);
    });

    it("never matches when the endpoint drops logs", async function () {
      const liar = await startRpcProxy(node.url, { maxResults: 50, tamper: "drop-last" });
      proxies.push(liar);
      const replay = new CampaignReplay({
        client: through(liar),
        campaign,
        fromBlock: createdAt,
        levels: LADDER.length,
      });
      const result = await verifyReplay(replay, through(liar));
      expect(result.match).to.equal(false);
      expect(result.difference).to.not.equal(null);
      // The contract's history() counts every event the endpoint dropped.
      expect(result.historyMatches).to.equal(false);
      expect(result.replayedHistory.count).to.be.below(result.onChainHistory.count);
      expect(result.replayedHistory.count).to.equal(BigInt(result.events));
    });

    it("stops with an integrity error when the endpoint reorders logs", async function () {
      const liar = await startRpcProxy(node.url, { tamper: "reorder" });
      proxies.push(liar);
      const replay = new CampaignReplay({
        client: through(liar),
        campaign,
        fromBlock: createdAt,
        levels: LADDER.length,
      });
      const error = await verifyReplay(replay, through(liar)).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(LogIntegrityError);
    });
  });

  describe("the keeper behind it", function () {
    it("discovers a campaign created after thousands of blocks and resolves it after its deadline", async function () {
      const keeper = await startKeeper({
        rpcUrl: proxy.url,
        privateKey: TEST_KEYS[8],
        factory,
        pollMs: 60_000,
        log: () => {},
      });
      try {
        await increaseTime(node, 2 * 86_400 + 10);
        await keeper.poll();
        const status = await direct.readContract({ address: campaign, abi: campaignAbi, functionName: "status" });
        expect(status.phase).to.equal(2);
        expect(status.tippingLevel).to.be.above(0);
      } finally {
        await keeper.close();
      }
    });

    it("reads the factory's log in pages no wider than the endpoint allows", async function () {
      const topic = toEventSelector(getAbiItem({ abi: campaignFactoryAbi, name: "CampaignCreated" }));
      const { logs } = await readLogs({ client: limited, address: factory, topics: [topic], fromBlock: 0n });
      expect(logs).to.have.length(1);
    });
  });

  describe("npm run verify:campaign behind it", function () {
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolvePromise) => {
        const child = spawn(
          path.join(ROOT, "node_modules/.bin/node"),
          ["--import", "tsx", "scripts/verify/replay.ts", ...args],
          {
            cwd: ROOT,
            env: { ...process.env, FORCE_COLOR: "0" },
          },
        );
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("exit", (code) => resolvePromise({ code, out, err }));
      });

    it("verifies the resolved campaign: the result from the tallies, then the paged replay", async function () {
      const report = await verifyCampaign({ rpcUrl: proxy.url, campaign, factory });
      expect(report.resultMatches).to.equal(true);
      expect(report.replayMatches).to.equal(true);
      expect(report.createdAt).to.equal(createdAt);
      expect(report.pages).to.be.above(20);
    });

    it("prints VERIFIED and exits 0", async function () {
      const r = await cli([campaign, "--rpc", proxy.url, "--factory", factory]);
      expect(r.out).to.contain("VERIFIED");
      expect(r.out).to.not.contain("NOT VERIFIED");
      expect(r.err).to.contain("replaying: block");
      expect(r.code).to.equal(0);
    });

    it("prints NOT VERIFIED and exits 1 behind an endpoint that drops logs", async function () {
      const liar = await startRpcProxy(node.url, { tamper: "drop-last" });
      proxies.push(liar);
      const r = await cli([campaign, "--rpc", liar.url, "--factory", factory]);
      expect(r.out).to.contain("NOT VERIFIED");
      expect(r.out).to.match(/mismatch: counts at level \d+/);
      expect(r.out).to.match(
        /the RPC endpoint's history is incomplete or altered: the contract counts [\d,]+ history events, the endpoint gave [\d,]+ \([\d,]+ missing\)/,
      );
      expect(r.code).to.equal(1);
    });

    it("says what to do and exits 2 for an address the factory never created", async function () {
      const r = await cli([
        privateKeyToAccount(generatePrivateKey()).address,
        "--rpc",
        proxy.url,
        "--factory",
        factory,
      ]);
      expect(r.err).to.contain("NOT_A_CAMPAIGN");
      expect(r.err).to.contain("vérifiez");
      expect(r.code).to.equal(2);
    });

    it("says what to do and exits 2 when the endpoint is unreachable", async function () {
      const r = await cli([campaign, "--rpc", "http://127.0.0.1:9", "--factory", factory]);
      expect(r.err).to.contain("cannot verify");
      expect(r.code).to.equal(2);
    });
  });
});
