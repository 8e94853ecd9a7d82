/**
 * The Ponder indexer (indexer/) against a real `hardhat node`: a few campaigns with pledges,
 * changes, withdrawals, donations and a resolution. Its list must equal what the chain says
 * (levelTallies, status) folded by the reference model; its history must be the campaign's whole
 * log, paged; its tipping changes must follow new pledges live; bad queries are refused with a
 * code and a message in both languages. It reads the chain through the proxy with public-RPC limits
 * (1,000 blocks and 10,000 results per eth_getLogs), over a history longer than 1,000 blocks.
 */
import { expect } from "chai";
import { type Address, type LocalAccount, createPublicClient, createWalletClient, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { ApiCampaign, ApiCampaignList } from "../../indexer/lib/api.js";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { resolve } from "@bascule/core/model";
import { type RpcProxy, startRpcProxy } from "../../scripts/lib/rpc-limits.js";
import { signPledge } from "@bascule/core/signing";
import { type IndexerHandle, startIndexer } from "../../scripts/indexer/service.js";
import { type LocalNode, TEST_KEYS, increaseTime, startNode } from "../helpers/node.js";
import { campaignParams } from "../helpers/campaign.js";

const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const DAY = 86_400n;
const ETH = 10n ** 18n;

describe("indexer", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let indexer: IndexerHandle;
  let limits: RpcProxy;
  let factory: Address;
  let chainId: number;
  let client: ReturnType<typeof createPublicClient>;
  let wallet: ReturnType<typeof createWalletClient>;
  let busy: Address; // pledges, changes, a withdrawal, donations: stays open
  let failed: Address; // one pledge, resolved after its deadline
  let empty: Address; // nothing happens
  const nonces = new Map<string, number>();

  const send = async (address: Address, functionName: string, args: unknown[], value?: bigint) => {
    const hash = await wallet.writeContract({
      address,
      abi: campaignAbi,
      functionName,
      args,
      value,
      account: wallet.account!,
      chain: wallet.chain,
    } as Parameters<typeof wallet.writeContract>[0]);
    const receipt = await client.waitForTransactionReceipt({ hash });
    expect(receipt.status).to.equal("success");
    return receipt;
  };

  /** Each key moves to `level` (0 withdraws) in one batch. */
  const pledge = async (campaign: Address, moves: [LocalAccount, number][]) => {
    const batch = await Promise.all(
      moves.map(([key, level]) => {
        const id = `${campaign}:${key.address}`;
        const nonce = nonces.get(id) ?? 0;
        nonces.set(id, nonce + 1);
        return signPledge(key, campaign, chainId, { level, support: 0n, nonce });
      }),
    );
    await send(campaign, "pledgeBatch", [batch]);
  };

  const create = async (name: string, ladder: number[], deadlineIn: bigint) => {
    const now = (await client.getBlock()).timestamp;
    const { campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, {
        pledgeDeadline: now + deadlineIn,
        actionDate: now + deadlineIn + DAY,
        metadataHash: keccak256(toHex(name)),
        ladder,
      }),
      metadataURI: `data:application/json,{"title":"${name}"}`,
      salt: keccak256(toHex(name)),
    });
    return campaign;
  };

  const api = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${indexer.url}${path}`);
    return { status: r.status, body: (await r.json()) as T };
  };

  // eth_blockNumber itself: viem's getBlockNumber may answer from its cache (4 s) and so too early.
  const caughtUp = async () => indexer.waitForBlock(BigInt(await node.rpc<string>("eth_blockNumber")));

  /** What the chain says a campaign's list entry must be: levelTallies and status, folded by the model. */
  const fromChain = async (campaign: Address) => {
    const [[params], [counts, requested, donated], status] = await Promise.all([
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "levelTallies" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "status" }),
    ]);
    const ladder = params.ladder.map(Number);
    const r = resolve(ladder, { counts: counts.map(BigInt), requested: [...requested], donated: [...donated] });
    return {
      counts: counts.map(Number),
      pledgeCount: counts.reduce((a, c) => a + Number(c), 0),
      provisionalTippingLevel: status.phase === 2 ? status.tippingLevel : r.tippingLevel,
      provisionalCommitted: status.phase === 2 ? Number(status.committed) : Number(r.committed),
      phase: status.phase,
      donatedTotal: donated.reduce((a, d) => a + d, 0n).toString(),
    };
  };

  const listed = (list: ApiCampaignList, address: Address): ApiCampaign => {
    const found = list.campaigns.find((c) => c.address === address.toLowerCase());
    if (!found) throw new Error(`${address} not in the indexer's list`);
    return found;
  };

  const pick = (c: ApiCampaign) => ({
    counts: c.counts,
    pledgeCount: c.pledgeCount,
    provisionalTippingLevel: c.provisionalTippingLevel,
    provisionalCommitted: c.provisionalCommitted,
    phase: c.phase,
    donatedTotal: c.donatedTotal,
  });

  const keys = Array.from({ length: 7 }, () => privateKeyToAccount(generatePrivateKey()));

  before(async function () {
    node = await startNode();
    ({ factory, chainId } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    const chain = chainFor(chainId, node.url);
    client = createPublicClient({ chain, transport: http(node.url) });
    wallet = createWalletClient({ account: privateKeyToAccount(TEST_KEYS[4]), chain, transport: http(node.url) });

    busy = await create("busy", [2, 4, 6], 10n * DAY);
    failed = await create("failed", [3], DAY);
    // 1,500 blocks between the first campaign and the others: no single eth_getLogs may span the
    // history behind the proxy. One evm_mine at a time (hardhat_mine's lazily hashed blocks look
    // like a reorganisation to Ponder).
    for (let i = 0; i < 1_500; i++) await node.rpc("evm_mine", []);
    empty = await create("empty", [5, 50], 10n * DAY);

    // busy: five pledge at 1,1,2,3,3; one moves 3 → 1, one withdraws: counts [3, 1, 0], j* = 2, P = 4.
    await pledge(busy, [
      [keys[0], 1],
      [keys[1], 1],
      [keys[2], 2],
      [keys[3], 3],
      [keys[4], 3],
    ]);
    await pledge(busy, [[keys[3], 1]]);
    await pledge(busy, [[keys[4], 0]]);
    // A batch with an item out of range: the contract skips it (PledgeSkipped), the rest lands.
    const skippedBatch = [await signPledge(keys[6], busy, chainId, { level: 9, support: 0n, nonce: 0 })];
    await send(busy, "pledgeBatch", [skippedBatch]);
    await send(busy, "donate", [1n, ETH], ETH);
    await send(busy, "donate", [2n, 2n * ETH], 2n * ETH);
    await send(busy, "withdrawDonation", [1n]);
    // failed: one pledge for a threshold of 3, resolved after its deadline.
    await pledge(failed, [[keys[0], 1]]);
    await increaseTime(node, Number(DAY) + 1);
    await send(failed, "resolve", []);

    limits = await startRpcProxy(node.url);
    indexer = await startIndexer({ rpcUrl: limits.url, chainId, factory });
    await caughtUp();
  });

  after(async function () {
    await indexer?.close();
    await limits?.close();
    await node?.stop();
  });

  it("lists every campaign the factory created, with the chain's counts and the model's result", async function () {
    const { status, body } = await api<ApiCampaignList>("/campaigns");
    expect(status).to.equal(200);
    expect(body.campaigns).to.have.length(3);
    for (const c of [busy, failed, empty]) expect(pick(listed(body, c)), c).to.deep.equal(await fromChain(c));
    // The figures the list shows, spelled out for the busy campaign.
    const b = listed(body, busy);
    expect([b.pledgeCount, b.provisionalCommitted, b.provisionalTippingLevel, b.phase]).to.deep.equal([4, 4, 2, 1]);
    const f = listed(body, failed);
    expect([f.phase, f.tippingLevel, f.committed]).to.deep.equal([2, 0, 0]);
  });

  it("sorts by activity and leaves out campaigns under minPledges, counting them", async function () {
    const { body } = await api<ApiCampaignList>("/campaigns?minPledges=1");
    expect(body.campaigns.map((c) => c.address)).to.deep.equal([busy.toLowerCase(), failed.toLowerCase()]);
    expect([body.listed, body.hidden]).to.deep.equal([2, 1]);
    const page = await api<ApiCampaignList>("/campaigns?limit=1&offset=1");
    expect(page.body.campaigns.map((c) => c.address)).to.deep.equal([failed.toLowerCase()]);
  });

  it("gives each campaign's whole history, newest first, in pages", async function () {
    const logs = await client.getContractEvents({ address: busy, abi: campaignAbi, fromBlock: 0n });
    const kinds: string[] = [];
    let before: number | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const { body }: { body: { events: { kind: string; seq: number }[]; next: number | null } } = await api(
        `/campaigns/${busy}/events?limit=3${before === null ? "" : `&before=${before}`}`,
      );
      expect(body.events.length).to.be.at.most(3);
      kinds.push(...body.events.map((e) => e.kind));
      if (body.next === null) break;
      before = body.next;
    }
    expect(kinds.reverse()).to.deep.equal(logs.map((l) => l.eventName));
    expect(kinds).to.include.members([
      "Pledged",
      "PledgeChanged",
      "PledgeWithdrawn",
      "PledgeSkipped",
      "Donated",
      "DonationWithdrawn",
    ]);
    const { body } = await api<{ events: { kind: string; pledgeKey: string; reason: number; amount: string }[] }>(
      `/campaigns/${busy}/events?limit=500`,
    );
    const skipped = body.events.find((e) => e.kind === "PledgeSkipped")!;
    expect([skipped.pledgeKey, skipped.reason, skipped.amount]).to.deep.equal([keys[6].address.toLowerCase(), 3, "0"]);
  });

  it("follows new pledges live and records the tipping level's changes for notifiers", async function () {
    const before = await api<{ changes: { toLevel: number; seq: number }[] }>(`/campaigns/${busy}/tipping`);
    expect(before.body.changes.map((c) => c.toLevel)).to.deep.equal([1, 2]);
    // Two more at level 3: C(3) = 6 ≥ 6, j* = 3, P = 6.
    await pledge(busy, [
      [keys[5], 3],
      [keys[6], 3],
    ]);
    await caughtUp();
    const { body } = await api<ApiCampaignList>("/campaigns");
    expect(pick(listed(body, busy))).to.deep.equal(await fromChain(busy));
    expect(listed(body, busy).provisionalCommitted).to.equal(6);
    const after = await api<{ changes: { fromLevel: number; toLevel: number; committed: number; seq: number }[] }>(
      `/campaigns/${busy}/tipping?after=${before.body.changes.at(-1)!.seq}`,
    );
    expect(after.body.changes.map((c) => [c.fromLevel, c.toLevel, c.committed])).to.deep.equal([[2, 3, 6]]);
    const resolved = await api<{ changes: { toLevel: number; final: boolean }[] }>(`/campaigns/${failed}/tipping`);
    expect(resolved.body.changes.map((c) => [c.toLevel, c.final])).to.deep.equal([[0, true]]);
  });

  it("refuses bad queries with a code and a message in both languages, never a 500", async function () {
    for (const [path, code, status] of [
      ["/campaigns/0x1234/events", "BAD_ADDRESS", 400],
      ["/campaigns?limit=0", "BAD_QUERY", 400],
      ["/campaigns?limit=100000", "BAD_QUERY", 400],
      ["/campaigns?offset=-1", "BAD_QUERY", 400],
      ["/campaigns/" + busy + "/events?before=abc", "BAD_QUERY", 400],
      ["/campaigns/" + ZERO, "UNKNOWN_CAMPAIGN", 404],
      ["/campaigns/" + ZERO + "/events", "UNKNOWN_CAMPAIGN", 404],
    ] as const) {
      const r = await api<{ error: { code: string; message: { en: string; fr: string } } }>(path);
      expect([r.status, r.body.error.code], path).to.deep.equal([status, code]);
      expect(r.body.error.message.en).to.be.a("string").and.not.equal("");
      expect(r.body.error.message.fr).to.be.a("string").and.not.equal(r.body.error.message.en);
    }
  });

  it("read a history of more than 1,000 blocks behind public-RPC limits, in several eth_getLogs", async function () {
    // The proxy refuses any wider call: everything above was indexed through calls it let through.
    expect(await client.getBlockNumber()).to.be.above(1_500n);
    expect(limits.stats.byMethod.eth_getLogs ?? 0).to.be.at.least(2);
    expect(limits.stats.largestLogs).to.be.at.most(10_000);
  });

  it("lists exactly the campaigns the factory announced (CampaignCreated), no other address", async function () {
    const { body } = await api<ApiCampaignList>("/campaigns?limit=500");
    const created = await client.getContractEvents({
      address: factory,
      abi: campaignFactoryAbi,
      eventName: "CampaignCreated",
      fromBlock: 0n,
    });
    expect(body.campaigns.map((c) => c.address).sort()).to.deep.equal(
      created.map((l) => l.args.campaign!.toLowerCase()).sort(),
    );
  });
});
