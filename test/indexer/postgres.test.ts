/**
 * The indexer on PostgreSQL for real (docs/indexer.md, "In production, with Postgres"): a
 * throw-away cluster of Debian's `postgresql` (test/helpers/postgres.ts), Ponder on DATABASE_URL
 * with its own schema, against a local chain with campaigns, pledges and donations. The list and
 * the histories the dApp reads must be the same answers as on the embedded PGlite, be read from
 * Postgres, and survive a restart of the indexer, which resumes from what Postgres holds (Ponder's
 * "crash recovery": same build, same schema) instead of indexing the chain again from its start.
 * Without the server's binaries the test fails and says how to install them.
 */
import { expect } from "chai";
import { type Address, type LocalAccount, createPublicClient, createWalletClient, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { campaignAbi } from "@bascule/core/generated/abis";
import { encodePledges, signPledge } from "@bascule/core/signing";
import type { ApiCampaignList } from "../../indexer/lib/api.js";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { type IndexerHandle, startIndexer } from "../../scripts/indexer/service.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import { campaignParams } from "../helpers/campaign.js";
import { type LocalNode, TEST_KEYS, startNode } from "../helpers/node.js";
import { type PostgresHandle, startPostgres } from "../helpers/postgres.js";

const DAY = 86_400n;
const SCHEMA = "bascule_test";

describe("indexer on PostgreSQL", function () {
  this.timeout(180_000);
  let pg: PostgresHandle;
  let node: LocalNode;
  let indexer: IndexerHandle | null = null;
  let factory: Address;
  let chainId: number;
  let busy: Address;
  let quiet: Address;
  let client: ReturnType<typeof createPublicClient>;
  let wallet: ReturnType<typeof createWalletClient>;
  const keys = Array.from({ length: 6 }, () => privateKeyToAccount(generatePrivateKey()));
  const nonces = new Map<string, number>();
  const lines: string[] = [];

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
    expect((await client.waitForTransactionReceipt({ hash })).status).to.equal("success");
  };
  const pledge = async (campaign: Address, moves: [LocalAccount, number][]) => {
    const batch = await Promise.all(
      moves.map(([key, level]) => {
        const nonce = nonces.get(key.address) ?? 0;
        nonces.set(key.address, nonce + 1);
        return signPledge(key, campaign, chainId, { level, support: 0n, nonce });
      }),
    );
    await send(campaign, "pledgeBatch", [encodePledges(batch)]);
  };
  const create = async (name: string, ladder: number[]) => {
    const now = (await client.getBlock()).timestamp;
    const { campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, {
        pledgeDeadline: now + 10n * DAY,
        actionDate: now + 11n * DAY,
        metadataHash: keccak256(toHex(name)),
        ladder,
      }),
      metadataURI: `data:application/json,{"title":"${name}"}`,
      salt: keccak256(toHex(name)),
    });
    return campaign;
  };
  const caughtUp = async (ix: IndexerHandle) => ix.waitForBlock(BigInt(await node.rpc<string>("eth_blockNumber")));
  /** What the dApp reads: the list, and each campaign's history and tipping changes. */
  const answers = async (ix: IndexerHandle) => {
    const get = async (route: string) => {
      const r = await fetch(`${ix.url}${route}`);
      expect(r.status, route).to.equal(200);
      return r.json();
    };
    return {
      list: await get("/campaigns"),
      busy: await get(`/campaigns/${busy}`),
      events: await get(`/campaigns/${busy}/events?limit=500`),
      tipping: await get(`/campaigns/${busy}/tipping`),
      quiet: await get(`/campaigns/${quiet}/events`),
    };
  };
  /** How many events this Ponder process ran indexing functions for (its /metrics). */
  const eventsIndexed = async (ix: IndexerHandle) => {
    const text = await (await fetch(`${ix.url}/metrics`)).text();
    return text
      .split("\n")
      .filter((l) => l.startsWith("ponder_indexing_completed_events{"))
      .reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);
  };
  const onPostgres = () =>
    startIndexer({
      rpcUrl: node.url,
      chainId,
      factory,
      databaseUrl: pg.url,
      schema: SCHEMA,
      log: (line) => lines.push(line),
    });

  before(async function () {
    // First: without the server's binaries this throws POSTGRES_MISSING (how to install them).
    pg = await startPostgres();
    node = await startNode();
    ({ factory, chainId } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    const chain = chainFor(chainId, node.url);
    client = createPublicClient({ chain, transport: http(node.url) });
    wallet = createWalletClient({ account: privateKeyToAccount(TEST_KEYS[4]), chain, transport: http(node.url) });
    busy = await create("busy", [2, 4, 6]);
    quiet = await create("quiet", [5]);
    await pledge(busy, [
      [keys[0], 1],
      [keys[1], 1],
      [keys[2], 2],
      [keys[3], 3],
    ]);
    await pledge(busy, [[keys[3], 1]]);
    await send(busy, "donate", [2n, 10n ** 18n], 10n ** 18n);
    // Past Ponder's finality depth for an unknown chain (30 blocks): what was indexed is final, so
    // a restart resumes after it. One evm_mine at a time (hardhat_mine's lazy blocks look like a reorg).
    for (let i = 0; i < 40; i++) await node.rpc("evm_mine", []);
  });

  after(async function () {
    await indexer?.close();
    await node?.stop();
    await pg?.stop();
  });

  it("serves the same list and histories from Postgres as from PGlite, and resumes from Postgres after a restart", async function () {
    const started = Date.now();
    // The embedded default beside it (started together: most of a start is Ponder building the
    // project): its answers are the reference.
    const [pglite, first] = await Promise.all([startIndexer({ rpcUrl: node.url, chainId, factory }), onPostgres()]);
    indexer = first;
    await Promise.all([caughtUp(pglite), caughtUp(indexer)]);
    const reference = await answers(pglite);
    await pglite.close();
    expect((reference.list as ApiCampaignList).campaigns).to.have.length(2);
    expect(await answers(indexer)).to.deep.equal(reference);
    const firstMs = Date.now() - started;
    // The rows are Postgres's, in the schema Ponder was given.
    expect(pg.sql(`SELECT COUNT(*) FROM ${SCHEMA}.campaign`)).to.equal("2");
    expect(pg.sql(`SELECT COUNT(*) FROM ${SCHEMA}.pledge`)).to.equal("4");
    expect(pg.sql(`SELECT pledge_count FROM ${SCHEMA}.campaign WHERE address = '${busy.toLowerCase()}'`)).to.equal("4");
    const firstRun = await eventsIndexed(indexer);
    expect(firstRun).to.be.at.least(8);
    await indexer.close();
    indexer = null;

    // While it is down, one more pledge.
    await pledge(busy, [[keys[4], 2]]);
    const restarted = Date.now();
    indexer = await onPostgres();
    await caughtUp(indexer);
    const restartMs = Date.now() - restarted;
    expect(
      lines.some((l) => l.includes("Detected crash recovery")),
      "Ponder resumed (crash recovery)",
    ).to.equal(true);
    // Only what came after the last final block it had indexed: the new pledge, nothing before it.
    const secondRun = await eventsIndexed(indexer);
    expect(secondRun, `${secondRun} events indexed again (first run: ${firstRun})`).to.be.below(firstRun);
    expect(secondRun).to.be.at.most(2);
    const now = await answers(indexer);
    const entry = (now.list as ApiCampaignList).campaigns.find((c) => c.address === busy.toLowerCase())!;
    expect(entry.pledgeCount).to.equal(5);
    expect(pg.sql(`SELECT COUNT(*) FROM ${SCHEMA}.pledge`)).to.equal("5");
    console.log(
      `      PGlite and Postgres runs ${firstMs} ms; Postgres: ${firstRun} events first, ${secondRun} after the restart (${restartMs} ms)`,
    );
  });
});
