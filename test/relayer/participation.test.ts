/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked field by field */
/**
 * The check-in list sent from the dApp (POST /v1/participation/:campaign): kept for the keeper only
 * when the campaign's organiser signed it for this campaign, with a root not yet published and a
 * date later than the list already kept; then the keeper, the campaign's oracle, publishes exactly
 * that set's root, with no file copied by hand.
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { type Address, type Hex, createPublicClient, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { participationTypedData } from "@bascule/core/participation";
import { ERRORS } from "../../scripts/relayer/errors.js";
import { type RelayerHandle, startRelayer } from "../../scripts/relayer/server.js";
import { buildParticipation, startKeeper } from "../../scripts/keeper/service.js";
import { type LocalNode, TEST_KEYS, increaseTime, startNode } from "../helpers/node.js";
import { campaignParams } from "../helpers/campaign.js";

describe("relayer: check-in lists for the keeper (POST /v1/participation)", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let relayer: RelayerHandle;
  let dir: string;
  let chainId: number;
  let campaign: Address;
  let noOracle: Address;
  let factory: Address;
  const organiser = privateKeyToAccount(TEST_KEYS[1]);
  const keeperKey = TEST_KEYS[8];
  const keys = Array.from({ length: 3 }, () => privateKeyToAccount(generatePrivateKey()).address);
  const now = () => Math.floor(Date.now() / 1000);

  async function send(target: Address, body: unknown) {
    const response = await fetch(`${relayer.url}/v1/participation/${target}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }
  async function signed(o: {
    signer?: ReturnType<typeof privateKeyToAccount>;
    target?: Address;
    signedFor?: Address;
    list?: Address[];
    signedList?: Address[];
    issuedAt?: number;
  }) {
    const issuedAt = o.issuedAt ?? now();
    const signature = await (o.signer ?? organiser).signTypedData(
      participationTypedData({
        chainId,
        campaign: o.signedFor ?? o.target ?? campaign,
        keys: o.signedList ?? o.list ?? keys,
        issuedAt,
      }),
    );
    return send(o.target ?? campaign, { pledgeKeys: o.list ?? keys, issuedAt, signature });
  }
  function expectRefusal(result: { status: number; body: Record<string, any> }, code: keyof typeof ERRORS) {
    expect(result.body.error?.code, JSON.stringify(result.body)).to.equal(code);
    expect(result.status).to.equal(ERRORS[code].status);
    expect(result.body.error.message.fr).to.be.a("string").and.not.empty;
  }
  const listFile = () => path.join(dir, `${campaign.toLowerCase()}.json`);

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-participation-"));
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    const client = createPublicClient({ transport: http(node.url) });
    chainId = await client.getChainId();
    const block = await client.getBlock();
    const oracle = privateKeyToAccount(keeperKey).address;
    const base = campaignParams(block.timestamp, { oracle, oracleWindow: 3n * 86_400n });
    const make = (params: typeof base, name: string) =>
      createCampaign({
        rpcUrl: node.url,
        privateKey: TEST_KEYS[1],
        factory,
        params,
        metadataURI: `ipfs://${name}`,
        salt: keccak256(toHex(name)),
      }).then((r) => r.campaign);
    campaign = await make(base, "with-oracle");
    noOracle = await make({ ...base, oracle: "0x0000000000000000000000000000000000000000", oracleWindow: 0n }, "none");
    relayer = await startRelayer({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[2],
      port: 0,
      dbPath: ":memory:",
      corsOrigins: [],
      batchSize: 20,
      batchLatencyMs: 50,
      chainTimeTtlMs: 0,
      rateLimit: { perSecond: 10_000, burst: 10_000 },
      factory,
      proofsDir: dir,
      log: () => {},
    });
  });

  after(async function () {
    await relayer?.close();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses a list signed by anyone but the campaign's organiser, and keeps nothing", async function () {
    expectRefusal(await signed({ signer: privateKeyToAccount(generatePrivateKey()) }), "NOT_THE_ORGANISER");
    // The keeper's own account is the oracle, not the organiser: it cannot choose the set either.
    expectRefusal(await signed({ signer: privateKeyToAccount(keeperKey) }), "NOT_THE_ORGANISER");
    expect(await stat(listFile()).catch(() => null)).to.equal(null);
  });

  it("refuses the organiser's list altered on the way, or signed for another campaign", async function () {
    const intruder = privateKeyToAccount(generatePrivateKey()).address;
    expectRefusal(await signed({ list: [...keys, intruder], signedList: keys }), "NOT_THE_ORGANISER");
    expectRefusal(await signed({ signedFor: noOracle }), "NOT_THE_ORGANISER");
    expect(await stat(listFile()).catch(() => null)).to.equal(null);
  });

  it("refuses a list for a campaign that names no participation oracle, and one signed long ago", async function () {
    expectRefusal(await signed({ target: noOracle }), "NO_PARTICIPATION_ORACLE");
    expectRefusal(await signed({ issuedAt: now() - 2 * 86_400 }), "PARTICIPATION_CLOCK");
    expectRefusal(await signed({ issuedAt: now() + 3_600 }), "PARTICIPATION_CLOCK");
  });

  it("keeps the organiser's list where the keeper reads it, and refuses an older one after it", async function () {
    const first = await signed({ list: keys.slice(0, 2), issuedAt: now() - 60 });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body.count).to.equal(2);
    const second = await signed({ list: [...keys, keys[0]] }); // a key twice counts once
    expect(second.status, JSON.stringify(second.body)).to.equal(201);
    expect(second.body.count).to.equal(3);
    expectRefusal(await signed({ list: keys.slice(0, 1), issuedAt: now() - 30 }), "PARTICIPATION_OLDER");
    const kept = JSON.parse(await readFile(listFile(), "utf8")) as { pledgeKeys: string[] };
    expect(kept.pledgeKeys.map((k) => k.toLowerCase()).sort()).to.deep.equal(keys.map((k) => k.toLowerCase()).sort());
    const got = await fetch(`${relayer.url}/v1/participation/${campaign}`);
    expect(((await got.json()) as { count: number }).count).to.equal(3);
  });

  it("the keeper publishes that list's root from the action day; then no list is taken any more", async function () {
    await increaseTime(node, 4 * 86_400);
    const keeper = await startKeeper({
      rpcUrl: node.url,
      privateKey: keeperKey,
      factory,
      pollMs: 60_000,
      participationDir: dir,
      log: () => {},
    });
    try {
      await keeper.poll();
      await keeper.poll();
    } finally {
      await keeper.close();
    }
    const client = createPublicClient({ transport: http(node.url) });
    const status = await client.readContract({ address: campaign, abi: campaignAbi, functionName: "status" });
    expect(status.participationRoot).to.equal(buildParticipation(campaign, keys).root as Hex);
    expectRefusal(await signed({}), "PARTICIPATION_ALREADY_PUBLISHED");
  });
});
