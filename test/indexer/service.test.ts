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
import { readOnChainTallies } from "@bascule/core/replay";
import { type RpcProxy, startRpcProxy } from "../../scripts/lib/rpc-limits.js";
import { encodePledges, signPledge } from "@bascule/core/signing";
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
  let conditional: Address; // MECHANISM's E4: conditions [5000, 10000], stays open
  /** E4's pledges (level, support, class) and donations (level, amount). */
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
    await send(campaign, "pledgeBatch", [encodePledges(batch)]);
  };

  const create = async (name: string, ladder: number[], deadlineIn: bigint, conditions: number[] = []) => {
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
        // Conditions are on support, and support needs a gate: a participation oracle (no voucher to sign).
        ...(conditions.length > 0
          ? { conditions, supportCap: 100n, oracle: privateKeyToAccount(TEST_KEYS[6]).address, oracleWindow: DAY }
          : {}),
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

  /**
   * What the chain says a campaign's list entry must be: levelTallies, conditionTallies and status,
   * folded by the model with the campaign's conditions.
   */
  const fromChain = async (campaign: Address) => {
    const [[params], status] = await Promise.all([
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "status" }),
    ]);
    const t = await readOnChainTallies(client, campaign, undefined, params.conditions.length);
    const ladder = params.ladder.map(Number);
    const r = resolve(ladder, t, params.conditions);
    const resolved = status.phase === 2;
    return {
      conditions: [...params.conditions],
      counts: t.counts.map(Number),
      requested: t.requested.map(String),
      conditional: (t.conditional ?? []).map((c) => ({
        counts: c.counts.map(Number),
        requested: c.requested.map(String),
      })),
      pledgeCount: t.counts.reduce((a, c) => a + Number(c), 0),
      provisionalTippingLevel: resolved ? status.tippingLevel : r.tippingLevel,
      provisionalCommitted: resolved ? Number(status.committed) : Number(r.committed),
      provisionalBoundCondition: resolved ? status.boundCondition : r.boundCondition,
      provisionalBoundConditionLevel: resolved ? status.boundConditionLevel : r.boundConditionLevel,
      phase: status.phase,
      donatedTotal: t.donated.reduce((a, d) => a + d, 0n).toString(),
    };
  };

  const listed = (list: ApiCampaignList, address: Address): ApiCampaign => {
    const found = list.campaigns.find((c) => c.address === address.toLowerCase());
    if (!found) throw new Error(`${address} not in the indexer's list`);
    return found;
  };

  const pick = (c: ApiCampaign) => ({
    conditions: c.conditions,
    counts: c.counts,
    requested: c.requested,
    conditional: c.conditional,
    pledgeCount: c.pledgeCount,
    provisionalTippingLevel: c.provisionalTippingLevel,
    provisionalCommitted: c.provisionalCommitted,
    provisionalBoundCondition: c.provisionalBoundCondition,
    provisionalBoundConditionLevel: c.provisionalBoundConditionLevel,
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
    conditional = await create("conditional", [5, 6, 7], 10n * DAY, [5_000, 10_000]);
    const e4 = await Promise.all(
      E4_PLEDGES.map(([level, support, condition]) =>
        signPledge(privateKeyToAccount(generatePrivateKey()), conditional, chainId, {
          level,
          support,
          condition,
          nonce: 0,
        }),
      ),
    );
    // And an item asking a condition the campaign does not offer: skipped (ConditionOutOfRange).
    e4.push(
      await signPledge(privateKeyToAccount(generatePrivateKey()), conditional, chainId, {
        level: 1,
        support: 1n,
        condition: 3,
        nonce: 0,
      }),
    );
    await send(conditional, "pledgeBatch", [encodePledges(e4)]);
    for (const [level, amount] of E4_DONATIONS) await send(conditional, "donate", [level, amount], amount);

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
    await send(busy, "pledgeBatch", [encodePledges(skippedBatch)]);
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
    expect(body.campaigns).to.have.length(4);
    for (const c of [busy, failed, empty, conditional])
      expect(pick(listed(body, c)), c).to.deep.equal(await fromChain(c));
    // The figures the list shows, spelled out for the busy campaign.
    const b = listed(body, busy);
    expect([b.pledgeCount, b.provisionalCommitted, b.provisionalTippingLevel, b.phase]).to.deep.equal([4, 4, 2, 1]);
    const f = listed(body, failed);
    expect([f.phase, f.tippingLevel, f.committed]).to.deep.equal([2, 0, 0]);
  });

  it("sorts by activity and leaves out campaigns under minPledges, counting them", async function () {
    const { body } = await api<ApiCampaignList>("/campaigns?minPledges=1");
    // Activity (pledges and donations ever made): conditional 8 + 3, busy 5 + 2, failed 1.
    expect(body.campaigns.map((c) => c.address)).to.deep.equal([
      conditional.toLowerCase(),
      busy.toLowerCase(),
      failed.toLowerCase(),
    ]);
    expect([body.listed, body.hidden]).to.deep.equal([3, 1]);
    const page = await api<ApiCampaignList>("/campaigns?limit=1&offset=2");
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

  it("stores each pledge's condition, each (level, condition) tally and the bound set of MECHANISM's E4", async function () {
    const { body: c } = await api<ApiCampaign>(`/campaigns/${conditional}`);
    expect(c.conditions).to.deep.equal([5_000, 10_000]);
    // Class 2 (all covered): (2, 2) at level 2 and (3, 9) at level 3; class 1: none.
    expect(c.conditional).to.deep.equal([
      { counts: [0, 0, 0], requested: ["0", "0", "0"] },
      { counts: [0, 1, 1], requested: ["0", "2", "9"] },
    ]);
    // P = 7, j* = 3, k* = 2, j*_k = 2: the class-2 pledge at level 3 does not count.
    expect([
      c.provisionalTippingLevel,
      c.provisionalCommitted,
      c.provisionalBoundCondition,
      c.provisionalBoundConditionLevel,
    ]).to.deep.equal([3, 7, 2, 2]);
    expect([c.boundCondition, c.boundConditionLevel]).to.deep.equal([null, null]);
    const { body } = await api<{
      events: {
        kind: string;
        level: number | null;
        amount: string | null;
        condition: number | null;
        reason: number | null;
      }[];
    }>(`/campaigns/${conditional}/events?limit=500`);
    const pledged = body.events.filter((e) => e.kind === "Pledged").reverse();
    expect(pledged.map((e) => [e.level, e.amount, e.condition])).to.deep.equal(
      E4_PLEDGES.map(([level, support, condition]) => [level, String(support), condition]),
    );
    const skipped = body.events.find((e) => e.kind === "PledgeSkipped")!;
    expect([skipped.reason, skipped.amount]).to.deep.equal([8, String(E4_PLEDGES.length)]);
  });

  it("records a change of the bound set that a donation makes, j* unchanged", async function () {
    const before = await api<{ changes: { seq: number }[] }>(`/campaigns/${conditional}/tipping`);
    // 4 more at level 3 cover the class-2 pledge at level 3 too: F(3) = 48 = R, P = 8, j*_k = 3.
    await send(conditional, "donate", [3n, 4n], 4n);
    await caughtUp();
    const after = await api<{
      changes: {
        fromLevel: number;
        toLevel: number;
        committed: number;
        boundCondition: number;
        boundConditionLevel: number;
        final: boolean;
      }[];
    }>(`/campaigns/${conditional}/tipping?after=${before.body.changes.at(-1)!.seq}`);
    expect(
      after.body.changes.map((c) => [
        c.fromLevel,
        c.toLevel,
        c.committed,
        c.boundCondition,
        c.boundConditionLevel,
        c.final,
      ]),
    ).to.deep.equal([[3, 3, 8, 2, 3, false]]);
    const { body } = await api<ApiCampaignList>("/campaigns");
    expect(pick(listed(body, conditional))).to.deep.equal(await fromChain(conditional));
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

  it("stores the contract's bound set (k*, j*_k) once the conditional campaign is resolved", async function () {
    await increaseTime(node, 10 * Number(DAY));
    await send(conditional, "resolve", []);
    await caughtUp();
    const { body: c } = await api<ApiCampaign>(`/campaigns/${conditional}`);
    const status = await client.readContract({ address: conditional, abi: campaignAbi, functionName: "status" });
    expect([c.phase, c.tippingLevel, c.committed, c.boundCondition, c.boundConditionLevel]).to.deep.equal([
      2,
      status.tippingLevel,
      Number(status.committed),
      status.boundCondition,
      status.boundConditionLevel,
    ]);
    expect([c.tippingLevel, c.committed, c.boundCondition, c.boundConditionLevel]).to.deep.equal([3, 8, 2, 3]);
    const { body } = await api<{ changes: { boundCondition: number; boundConditionLevel: number; final: boolean }[] }>(
      `/campaigns/${conditional}/tipping?limit=500`,
    );
    expect(body.changes.at(-1)).to.include({ boundCondition: 2, boundConditionLevel: 3, final: true });
  });
});
