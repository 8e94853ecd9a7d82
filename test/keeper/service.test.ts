/**
 * The keeper against a real `hardhat node`: resolves a campaign right after its deadline,
 * publishes the participation root in the oracle window, writes the proofs the relayer serves,
 * and a claim relayed with such a proof is paid. A second keeper on the same chain does no harm.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  decodeFunctionResult,
  encodeFunctionResult,
  http,
  keccak256,
  toFunctionSelector,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { encodePledges, signClaim, signPledge } from "@bascule/core/signing";
import { binds, resolve, tallies, replay } from "@bascule/core/model";
import { type KeeperHandle, buildParticipation, startKeeper } from "../../scripts/keeper/service.js";
import { waitForRequests } from "../../scripts/bench/load.js";
import { startRelayer } from "../../scripts/relayer/server.js";
import { type LocalNode, TEST_KEYS, increaseTime, startNode } from "../helpers/node.js";
import { until } from "../helpers/until.js";
import { type LyingRpc, startLyingRpc } from "../helpers/lying-rpc.js";
import { campaignParams } from "../helpers/campaign.js";

const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const DAY = 86_400n;

describe("keeper", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let dir: string;
  let keeper: KeeperHandle;
  let campaign: Address;
  let chainId: number;
  let client: ReturnType<typeof createPublicClient>;
  const oracle = privateKeyToAccount(TEST_KEYS[6]);
  const participants = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
  const absent = privateKeyToAccount(generatePrivateKey());
  const lines: string[] = [];
  /** MECHANISM.md's E4 ("part of a class"), with the conditions the dApp proposes. */
  let e4: Address;
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
  const e4Keys = E4_PLEDGES.map(() => privateKeyToAccount(generatePrivateKey()));

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-keeper-"));
    const { factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
    client = createPublicClient({ transport: http(node.url) });
    chainId = await client.getChainId();
    const now = (await client.getBlock()).timestamp;
    ({ campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, {
        oracleWindow: 2n * DAY,
        supportCap: 10n ** 18n,
        oracle: oracle.address,
        metadataHash: keccak256(toHex("Grève")),
        ladder: [2, 10],
      }),
      metadataURI: "ipfs://keeper",
      salt: keccak256(toHex("keeper")),
    }));
    const batch = await Promise.all(
      [...participants, absent].map((key) =>
        signPledge(key, campaign, chainId, { level: 1, support: 10n ** 15n, nonce: 0 }),
      ),
    );
    const wallet = createWalletClient({
      account: privateKeyToAccount(TEST_KEYS[4]),
      chain: chainFor(chainId, node.url),
      transport: http(node.url),
    });
    await client.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "pledgeBatch",
        args: [encodePledges(batch)],
      }),
    });
    // E4: gated by the keeper as participation oracle (it never publishes there: no participation file).
    ({ campaign: e4 } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, {
        oracleWindow: 2n * DAY,
        supportCap: 100n,
        conditions: [5_000, 10_000],
        oracle: oracle.address,
        metadataHash: keccak256(toHex("E4")),
        ladder: [5, 6, 7],
      }),
      metadataURI: "ipfs://e4",
      salt: keccak256(toHex("e4")),
    }));
    const e4Batch = await Promise.all(
      E4_PLEDGES.map(([level, support, condition], i) =>
        signPledge(e4Keys[i], e4, chainId, { level, support, condition, nonce: 0 }),
      ),
    );
    await client.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: e4,
        abi: campaignAbi,
        functionName: "pledgeBatch",
        args: [encodePledges(e4Batch)],
      }),
    });
    for (const [level, amount] of E4_DONATIONS) {
      await client.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          address: e4,
          abi: campaignAbi,
          functionName: "donate",
          args: [level, amount],
          value: amount,
        }),
      });
    }
    await client.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "donate",
        args: [1n, 10n ** 17n],
        value: 10n ** 17n,
      }),
    });
    await writeFile(
      path.join(dir, `${campaign.toLowerCase()}.json`),
      JSON.stringify({ pledgeKeys: participants.map((p) => p.address) }),
    );
    keeper = await startKeeper({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[6],
      factory,
      pollMs: 100,
      participationDir: dir,
      log: (line) => lines.push(line),
    });
  });

  after(async function () {
    await keeper?.close();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const status = () => client.readContract({ address: campaign, abi: campaignAbi, functionName: "status" });

  it("leaves a campaign open before its deadline", async function () {
    await keeper.poll();
    expect((await status()).phase).to.equal(1);
  });

  it("resolves the campaign soon after its deadline", async function () {
    await increaseTime(node, 2 * 86_400 + 1);
    const resolved = await until(
      "resolution",
      async () => {
        const s = await status();
        return s.phase === 2 && s;
      },
      30_000,
      100,
    );
    expect(resolved.tippingLevel).to.equal(1);
    expect(resolved.committed).to.equal(4);
  });

  it("resolves a campaign with conditions as MECHANISM's E4 says, and logs the bound set (j*, k*, j*_k)", async function () {
    const resolved = await until(
      "E4 resolution",
      async () => {
        const s = await client.readContract({ address: e4, abi: campaignAbi, functionName: "status" });
        return s.phase === 2 && s;
      },
      30_000,
      100,
    );
    // P = 7, j* = 3, k* = 2, j*_k = 2: the class-2 pledge at level 3 is not bound.
    expect([
      resolved.tippingLevel,
      resolved.committed,
      resolved.boundCondition,
      resolved.boundConditionLevel,
    ]).to.deep.equal([3, 7, 2, 2]);
    expect(resolved.conditional).to.equal(true);
    const bound = await Promise.all(
      e4Keys.map((k) =>
        client.readContract({ address: e4, abi: campaignAbi, functionName: "isBound", args: [k.address] }),
      ),
    );
    expect(bound).to.deep.equal([true, true, true, true, true, false, true, true]);
    // The reference model on the same history says the same.
    const state = replay(
      E4_PLEDGES.map(([level, support, condition], i) => ({
        kind: "Pledged" as const,
        pledgeKey: e4Keys[i].address,
        level,
        support,
        condition,
      })),
    );
    for (const [i, [level, amount]] of E4_DONATIONS.entries()) {
      state.donations.set(BigInt(i), { id: BigInt(i), donor: "d", level: Number(level), amount });
    }
    const model = resolve([5, 6, 7], tallies(3, state, 2), [5_000, 10_000]);
    expect([model.tippingLevel, model.committed, model.boundCondition, model.boundConditionLevel]).to.deep.equal([
      3,
      7n,
      2,
      2,
    ]);
    expect(E4_PLEDGES.map(([level, , condition]) => binds(model, { level, condition }))).to.deep.equal(bound);
    const line = lines.find((l) => l.startsWith(`resolved ${e4}`));
    expect(line, lines.join("\n")).to.include("j* = 3, P = 7 bound");
    expect(line).to.include("k* = 2, j*_k = 2");
    expect(line).to.include("with condition 2 at levels <= 2; the others are not bound");
    expect(line).to.include(`F = ${resolved.triggeredDonations}`);
    expect(lines.find((l) => l.startsWith(`resolved ${campaign}`))).to.include("j* = 1, P = 4 bound");
  });

  it("publishes the participation root once the action date has come, and writes the proofs", async function () {
    expect((await status()).participationRoot).to.equal(`0x${"00".repeat(32)}`);
    await increaseTime(node, 86_400);
    const expected = buildParticipation(
      campaign,
      participants.map((p) => p.address),
    );
    const root = await until(
      "publication",
      async () => {
        const s = await status();
        return BigInt(s.participationRoot) !== 0n && s.participationRoot;
      },
      30_000,
      100,
    );
    expect(root).to.equal(expected.root);
    const written = JSON.parse(await readFile(path.join(dir, `${campaign.toLowerCase()}.proofs.json`), "utf8"));
    expect(written.root).to.equal(expected.root);
    expect(written.proofs[participants[0].address.toLowerCase()]).to.deep.equal(
      expected.proofs[participants[0].address.toLowerCase()],
    );
    expect(written.proofs[absent.address.toLowerCase()]).to.equal(undefined);
  });

  it("lets the relayer serve the proof and attach it to a claim, which is paid", async function () {
    const relayer = await startRelayer({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[7],
      port: 0,
      dbPath: ":memory:",
      corsOrigins: [],
      batchSize: 10,
      batchLatencyMs: 20,
      proofsDir: dir,
      chainTimeTtlMs: 0,
      log: () => {},
    });
    try {
      const key = participants[1];
      const served = (await (await fetch(`${relayer.url}/v1/proofs/${campaign}/${key.address}`)).json()) as {
        root: string;
        proof: string[];
      };
      expect(served.root).to.equal((await status()).participationRoot);
      const payee = privateKeyToAccount(generatePrivateKey()).address;
      const claim = await signClaim(key, campaign, chainId, { payee, feeRecipient: ZERO, maxFee: 0n });
      const body = { campaign, claim: { payee, feeRecipient: ZERO, maxFee: "0", r: claim.r, vs: claim.vs } };
      const response = await fetch(`${relayer.url}/v1/claims`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const accepted = (await response.json()) as { id: string };
      expect(response.status, JSON.stringify(accepted)).to.equal(202);
      const states = await waitForRequests(relayer.url, [accepted.id], 30_000);
      expect(states.get(accepted.id)!.status).to.equal("confirmed");
      expect(await client.getBalance({ address: payee })).to.equal(10n ** 15n);

      const outsiderClaim = await signClaim(absent, campaign, chainId, { payee, feeRecipient: ZERO, maxFee: 0n });
      const refused = await fetch(`${relayer.url}/v1/claims`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          campaign,
          claim: { payee, feeRecipient: ZERO, maxFee: "0", r: outsiderClaim.r, vs: outsiderClaim.vs },
        }),
      });
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal("NOT_A_PARTICIPANT");
    } finally {
      await relayer.close();
    }
  });

  it("does no harm when restarted or run twice", async function () {
    const before = await status();
    const second = await startKeeper({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[6],
      factory: await factoryOf(),
      pollMs: 100,
      participationDir: dir,
      log: () => {},
    });
    await second.poll();
    await second.close();
    expect(await status()).to.deep.equal(before);
  });

  async function factoryOf(): Promise<Address> {
    const { factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
    return factory;
  }

  describe("behind an RPC endpoint that lies once", function () {
    // Its own oracle account, campaigns and participation folder; the keeper above is stopped.
    const liar = privateKeyToAccount(TEST_KEYS[5]);
    let rpc: LyingRpc;
    let honest: KeeperHandle;
    let folder: string;
    /** No oracle: the keeper only has to resolve it. */
    let plain: Address;
    /** The keeper is their oracle; the second one's action date is a day after the first's. */
    let first: Address;
    let second: Address;
    const said: string[] = [];
    const statusSelector = toFunctionSelector("status()");
    const statusOf = (address: Address) => client.readContract({ address, abi: campaignAbi, functionName: "status" });
    /** The next `status()` answer about `target` says what `change` makes of the true one. */
    function lieAboutStatus(target: Address, change: (s: Awaited<ReturnType<typeof statusOf>>) => object) {
      rpc.lieOnce(
        (call) => {
          const [tx] = (call.params ?? []) as { to?: string; data?: string }[];
          return (
            call.method === "eth_call" &&
            tx?.to?.toLowerCase() === target.toLowerCase() &&
            (tx.data ?? "").startsWith(statusSelector)
          );
        },
        (result) => {
          const real = decodeFunctionResult({ abi: campaignAbi, functionName: "status", data: result as Hex });
          return encodeFunctionResult({
            abi: campaignAbi,
            functionName: "status",
            result: { ...real, ...change(real) } as never,
          });
        },
      );
    }
    const pass = async () => {
      await honest.poll();
    };

    before(async function () {
      await keeper.close();
      folder = await mkdtemp(path.join(tmpdir(), "bascule-keeper-liar-"));
      const factory = await factoryOf();
      const now = (await client.getBlock()).timestamp;
      const fromBlock = await client.getBlockNumber();
      const oracleParams = (actionIn: bigint, name: string) =>
        campaignParams(now, {
          actionDate: now + actionIn,
          oracleWindow: 2n * DAY,
          supportCap: 10n ** 18n,
          oracle: liar.address,
          metadataHash: keccak256(toHex(name)),
          ladder: [2, 10],
        });
      const create = async (params: ReturnType<typeof campaignParams>, salt: string) =>
        (
          await createCampaign({
            rpcUrl: node.url,
            privateKey: TEST_KEYS[1],
            factory,
            params,
            metadataURI: `ipfs://${salt}`,
            salt: keccak256(toHex(salt)),
          })
        ).campaign;
      plain = await create(campaignParams(now, { metadataHash: keccak256(toHex("plain")) }), "liar-plain");
      first = await create(oracleParams(3n * DAY, "first"), "liar-first");
      second = await create(oracleParams(4n * DAY, "second"), "liar-second");
      for (const c of [first, second]) {
        await writeFile(
          path.join(folder, `${c.toLowerCase()}.json`),
          JSON.stringify(participants.map((p) => p.address)),
        );
      }
      rpc = await startLyingRpc(node.url);
      honest = await startKeeper({
        rpcUrl: rpc.url,
        privateKey: TEST_KEYS[5],
        factory,
        pollMs: 600_000,
        participationDir: folder,
        fromBlock,
        log: (line) => said.push(line),
      });
      await pass();
    });

    after(async function () {
      await honest?.close();
      await rpc?.close();
      if (folder) await rm(folder, { recursive: true, force: true });
    });

    it("resolves a campaign although the endpoint once said it already was", async function () {
      await increaseTime(node, 2 * 86_400 + 1);
      lieAboutStatus(plain, () => ({ phase: 2 }));
      await pass();
      expect(rpc.told).to.equal(1);
      expect((await statusOf(plain)).phase, "not resolved on the pass that was lied to").to.equal(1);
      await pass();
      expect((await statusOf(plain)).phase, "resolved on the next pass").to.equal(2);
      expect(said.join("\n")).to.include(
        `${plain}: the endpoint says it is resolved, but no CampaignResolved log says so; not trusted`,
      );
    });

    it("publishes the participation root although the endpoint once said it was published", async function () {
      await increaseTime(node, 86_400);
      const fake = keccak256(toHex("a root nobody published"));
      lieAboutStatus(first, () => ({ participationRoot: fake }));
      await pass();
      expect(rpc.told).to.equal(2);
      const expected = buildParticipation(
        first,
        participants.map((p) => p.address),
      ).root;
      expect((await statusOf(first)).participationRoot).to.equal(expected);
      expect(said.join("\n")).to.include(
        `${first}: the endpoint says its participation root is ${fake}, but no ParticipationPublished log says so; not trusted`,
      );
      // Settled only once its log is 2 blocks deep and two passes in a row saw it so.
      await pass();
      expect(said.some((l) => l.startsWith(`${first}: resolved, participation root`))).to.equal(false);
      await node.rpc("evm_mine");
      await pass();
      await pass();
      expect(said).to.include(
        `${first}: resolved, participation root ${expected} published, seen on two passes and borne out by its log: no longer watched`,
      );
    });

    it("keeps watching, and publishes, after the endpoint once said the oracle window was over", async function () {
      await increaseTime(node, 86_400);
      // The latest block, as the endpoint tells it this once, is 100 days ahead: past both windows.
      rpc.lieOnce(
        (call) => call.method === "eth_getBlockByNumber",
        (block) => ({
          ...(block as object),
          timestamp: toHex(BigInt((block as { timestamp: Hex }).timestamp) + 100n * DAY),
        }),
      );
      await pass();
      expect(rpc.told).to.equal(3);
      expect((await statusOf(second)).participationRoot).to.equal(`0x${"00".repeat(32)}`);
      await pass();
      expect((await statusOf(second)).participationRoot, "published on the next pass").to.equal(
        buildParticipation(
          second,
          participants.map((p) => p.address),
        ).root,
      );
      expect(said.find((l) => l.startsWith(`oracle window of ${second} closed`))).to.include(
        "watched until its claim window ends",
      );
      // What the contract does (MECHANISM, "no support without proof"), not "claims go ahead without proofs".
      const closed = said.find((l) => l.startsWith(`oracle window of ${second} closed`))!;
      expect(closed).to.include("no support is paid; triggered donors take back everything that was theirs");
      expect(closed).not.to.match(/go ahead|without proofs/);
      expect(said.some((l) => l.startsWith(`${second}: resolved`))).to.equal(false);
    });
  });
});
