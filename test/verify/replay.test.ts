/**
 * `npm run verify:campaign` (scripts/verify/replay.ts) on a campaign with conditions, against a real
 * `hardhat node`: MECHANISM's E4, resolved. The recorded result (j*, P, F, R and the bound set k*,
 * j*_k) must follow from the contract's tallies with each condition's part, and the replayed events
 * must give each condition's part too, so an endpoint that changes a pledge's condition in the logs
 * (totals unchanged) is caught; and the events read must have the count and digest of the contract's
 * history(), so an endpoint hiding a pledge and its withdrawal, or a donation and its withdrawal
 * (every tally unchanged), or changing a donor (tallies and count unchanged) is caught too.
 */
import { spawn } from "node:child_process";
import { expect } from "chai";
import { type Address, createPublicClient, createWalletClient, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import { type RpcProxy, startRpcProxy } from "../../scripts/lib/rpc-limits.js";
import { verifyCampaign } from "../../scripts/verify/replay.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { encodePledges, signPledge } from "@bascule/core/signing";
import { type LocalNode, ROOT, TEST_KEYS, increaseTime, startNode } from "../helpers/node.js";
import { campaignParams } from "../helpers/campaign.js";

/** E4: ladder 5, 6, 7; pledges (level, support, class); donations (level, amount). */
const E4_PLEDGES = [
  [2, 2n, 2],
  [3, 7n, 0],
  [2, 8n, 0],
  [2, 9n, 0],
  [2, 9n, 0],
  [3, 9n, 2],
  [3, 0n, 0],
  [1, 4n, 0],
] as const;
const E4_DONATIONS = [
  [3n, 14n],
  [2n, 11n],
  [3n, 19n],
] as const;

describe("verify:campaign with conditions", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let factory: Address;
  let campaign: Address;
  const proxies: RpcProxy[] = [];

  const cli = (args: string[]) =>
    new Promise<{ code: number | null; out: string; err: string }>((done) => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/verify/replay.ts", ...args], {
        cwd: ROOT,
        env: { ...process.env, FORCE_COLOR: "0" },
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      child.on("exit", (code) => done({ code, out, err }));
    });

  before(async function () {
    node = await startNode();
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    const client = createPublicClient({ transport: http(node.url) });
    const chainId = await client.getChainId();
    const now = (await client.getBlock()).timestamp;
    ({ campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      // Support needs a gate: a participation oracle (pledges need no voucher).
      params: campaignParams(now, {
        supportCap: 100n,
        conditions: [5_000, 10_000],
        oracle: privateKeyToAccount(TEST_KEYS[6]).address,
        oracleWindow: 86_400n,
        metadataHash: keccak256(toHex("E4 verify")),
        ladder: [5, 6, 7],
      }),
      metadataURI: "ipfs://e4-verify",
      salt: keccak256(toHex("e4-verify")),
    }));
    const wallet = createWalletClient({
      account: privateKeyToAccount(TEST_KEYS[4]),
      chain: chainFor(chainId, node.url),
      transport: http(node.url),
    });
    const send = async (
      functionName: "pledgeBatch" | "donate" | "withdrawDonation" | "resolve",
      args: unknown[],
      value?: bigint,
    ) => {
      const hash = await wallet.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName,
        args,
        value,
      } as Parameters<typeof wallet.writeContract>[0]);
      expect((await client.waitForTransactionReceipt({ hash })).status).to.equal("success");
    };
    const signed = await Promise.all(
      E4_PLEDGES.map(([level, support, condition]) =>
        signPledge(privateKeyToAccount(generatePrivateKey()), campaign, chainId, {
          level,
          support,
          condition,
          nonce: 0,
        }),
      ),
    );
    await send("pledgeBatch", [encodePledges(signed)]);
    // A half-covered pledge that changes its condition and then withdraws: the replay folds it all.
    const passer = privateKeyToAccount(generatePrivateKey());
    await send("pledgeBatch", [
      encodePledges([
        await signPledge(passer, campaign, chainId, { level: 3, support: 5n, condition: 1, nonce: 0 }),
        await signPledge(passer, campaign, chainId, { level: 3, support: 5n, condition: 2, nonce: 1 }),
      ]),
    ]);
    await send("pledgeBatch", [
      encodePledges([await signPledge(passer, campaign, chainId, { level: 0, support: 0n, nonce: 2 })]),
    ]);
    for (const [level, amount] of E4_DONATIONS) await send("donate", [level, amount], amount);
    // A donation taken back: hidden with its withdrawal, it leaves every tally as it is.
    await send("donate", [1n, 5n], 5n);
    await send("withdrawDonation", [BigInt(E4_DONATIONS.length)]);
    await increaseTime(node, 2 * 86_400 + 1);
    await send("resolve", []);
  });

  after(async function () {
    for (const p of proxies) await p.close();
    await node?.stop();
  });

  it("finds the recorded result, bound set included, from the tallies with each condition's part, and replays them", async function () {
    const report = await verifyCampaign({ rpcUrl: node.url, campaign, factory });
    expect(report.conditions).to.deep.equal([5_000, 10_000]);
    expect([
      report.model.tippingLevel,
      report.model.committed,
      report.model.boundCondition,
      report.model.boundConditionLevel,
    ]).to.deep.equal([3, 7n, 2, 2]);
    expect(report.resultMatches).to.equal(true);
    expect(report.replayMatches).to.equal(true);
    expect(report.historyMatches).to.equal(true);
    // 8 + 2 + 1 pledge events, 3 + 1 donations, 1 donation withdrawal.
    expect(report.onChainHistory.count).to.equal(16n);
    expect(report.replayedHistory).to.deep.equal(report.onChainHistory);
    expect(report.onChain.conditional).to.deep.equal([
      { counts: [0n, 0n, 0n], requested: [0n, 0n, 0n] },
      { counts: [0n, 1n, 1n], requested: [0n, 2n, 9n] },
    ]);
    expect(report.replayed.conditional).to.deep.equal(report.onChain.conditional);
    const r = await cli([campaign, "--rpc", node.url, "--factory", factory]);
    expect(r.out).to.contain("conditions: 5000, 10000 bp; 0 pledges asking at least 50 % covered, 2 pledges asking");
    expect(r.out).to.contain("bound set k* = 2, j*_k = 2");
    expect(r.out).to.contain("VERIFIED");
    expect(r.out).to.not.contain("NOT VERIFIED");
    expect(r.code).to.equal(0);
  });

  it("catches an endpoint that changes pledges' conditions in the logs though every total still matches", async function () {
    const liar = await startRpcProxy(node.url, { tamper: "recondition" });
    proxies.push(liar);
    const report = await verifyCampaign({ rpcUrl: liar.url, campaign, factory });
    expect(report.replayed.counts).to.deep.equal(report.onChain.counts);
    expect(report.replayed.requested).to.deep.equal(report.onChain.requested);
    expect(report.replayMatches).to.equal(false);
    expect(report.difference?.field).to.equal("conditional");
    const r = await cli([campaign, "--rpc", liar.url, "--factory", factory]);
    expect(r.out).to.match(/mismatch: a condition's part of the tallies at level \d/);
    expect(r.out).to.contain("NOT VERIFIED");
    expect(r.code).to.equal(1);
  });

  it("catches an endpoint hiding a pledge with its withdrawal and a donation with its withdrawal, every tally unchanged", async function () {
    const liar = await startRpcProxy(node.url, { tamper: "hide-withdrawn" });
    proxies.push(liar);
    const report = await verifyCampaign({ rpcUrl: liar.url, campaign, factory });
    expect(report.difference).to.equal(null);
    expect(report.historyMatches).to.equal(false);
    expect(report.replayMatches).to.equal(false);
    // The passer's three pledge events, the donation and its withdrawal.
    expect(report.onChainHistory.count).to.equal(16n);
    expect(report.replayedHistory.count).to.equal(11n);
    const r = await cli([campaign, "--rpc", liar.url, "--factory", factory]);
    expect(r.out).to.contain(
      "the RPC endpoint's history is incomplete or altered: the contract counts 16 history events, the endpoint gave 11 (5 missing)",
    );
    expect(r.out).to.contain("l'historique du point d'accès RPC est incomplet ou altéré");
    expect(r.out).to.contain("NOT VERIFIED");
    expect(r.code).to.equal(1);
  });

  it("catches an endpoint changing a log field no tally holds (a donor): same count, another digest", async function () {
    const liar = await startRpcProxy(node.url, { tamper: "alter-donor" });
    proxies.push(liar);
    const report = await verifyCampaign({ rpcUrl: liar.url, campaign, factory });
    expect(report.difference).to.equal(null);
    expect(report.replayedHistory.count).to.equal(report.onChainHistory.count);
    expect(report.replayedHistory.digest).to.not.equal(report.onChainHistory.digest);
    expect(report.replayMatches).to.equal(false);
    const r = await cli([campaign, "--rpc", liar.url, "--factory", factory]);
    expect(r.out).to.contain("none missing: some were changed, added or reordered");
    expect(r.out).to.contain("NOT VERIFIED");
    expect(r.code).to.equal(1);
  });
});
