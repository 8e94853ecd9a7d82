/**
 * The production rehearsal (issue 21): Bascule run the way a union runs it, on one machine.
 *
 * - A chain with a public chain's id (84532, Base Sepolia's) behind the public-RPC limits proxy.
 * - CreateX put there as on every public chain (its keyless presigned transaction), then the
 *   contracts deployed through the Ignition module with CREATE2: the factory lands at the address
 *   it has on every chain.
 * - The launcher started from a production config (no demo, no seeding), one process per service
 *   (`npm run serve -- --config … --only <service>`), secrets from the environment only.
 * - nginx in front with TLS (deploy/nginx/bascule.conf, a CA made here); every request of the
 *   organiser, the pledgers, the donor, the beneficiary and the desk goes through it over https.
 * - An organiser creates a campaign, people pledge without a wallet (proof of work), a donor
 *   donates, the keeper resolves, a beneficiary claims to the union's payout desk and the desk
 *   marks the claim paid.
 * - kill -9 of each service in turn (relayer, keeper, attester, notifier, indexer), each at the
 *   moment it holds something accepted and not yet done, then a restart from the same config:
 *   nothing accepted is lost, nothing is sent twice.
 * - The indexer (Ponder on PGlite under the config's dataDir) serves, through nginx, the campaigns
 *   the chain has with the chain's counts of pledges and donations; SIGKILL to its launcher and
 *   Ponder together, a campaign created while it is down, a restart: /ready again, the same
 *   answers for what it had, the new campaign once, every count still the chain's.
 *
 * The world (chain, CreateX, Ignition, nginx, the launcher's config and processes) is
 * test/rehearsal/world.ts, shared with test/rehearsal/browser.test.ts, where the same flow goes
 * through the dApp's pages in Chromium (without the indexer: that release names none). Each step's
 * time is printed at the end.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { Agent, fetch as undiciFetch } from "undici";
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  keccak256,
  parseEther,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { defaultFactory } from "@bascule/core/deployments";
import { embedMetadata } from "@bascule/core/metadata";
import { solvePow } from "@bascule/core/pow";
import { signClaim, signPledge, signVoucher } from "@bascule/core/signing";
import { chainFor } from "../../scripts/lib/deployment.js";
import { campaignParams } from "../helpers/campaign.js";
import { increaseTime, TEST_KEYS } from "../helpers/node.js";
import { CHAIN_ID, type Rehearsal, startRehearsal } from "./world.js";

const DAY = 86_400n;

describe("production rehearsal: chain 84532, Ignition CREATE2, the launcher per service, nginx with TLS, kill -9", function () {
  this.timeout(600_000);
  let world: Rehearsal;
  let placeholder: string;
  let dispatcher: Agent;
  /** Each step's time, printed at the end (the world's start, each service's, each restart). */
  const timings: { step: string; ms: number }[] = [];
  /** fetch over https trusting only the rehearsal's CA. */
  const tlsFetch = ((url: string, init?: RequestInit) =>
    undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch;
  const rpc = () => createPublicClient({ transport: http(`${world.origin}/rpc`, { fetchFn: tlsFetch }) });
  const wallet = (key: Hex) =>
    createWalletClient({
      account: privateKeyToAccount(key),
      chain: chainFor(CHAIN_ID, `${world.origin}/rpc`),
      transport: http(`${world.origin}/rpc`, { fetchFn: tlsFetch }),
    });
  const api = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await tlsFetch(`${world.origin}${p}`, {
      method,
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };

  before(async function () {
    placeholder = mkdtempSync(path.join(tmpdir(), "bascule-rehearsal-dist-"));
    writeFileSync(path.join(placeholder, "index.html"), "<!doctype html><title>Bascule</title>");
    world = await startRehearsal({
      dist: placeholder,
      relayer: {
        batchSize: 100,
        // Long enough for the kill -9 below to find the accepted pledges still queued.
        batchLatencyMs: 3000,
        powBits: 8,
        trustProxy: ["127.0.0.1"],
      },
      timing: (step, ms) => timings.push({ step, ms }),
    });
    // Every client request from 127.0.0.5: nginx passes that address on, and no log may show it.
    dispatcher = new Agent({ connect: { ca: world.ca.ca, localAddress: "127.0.0.5" } });
  });

  after(async function () {
    if (timings.length > 0) {
      const width = Math.max(...timings.map((t) => t.step.length));
      console.log("\n    rehearsal timings:");
      for (const t of timings) console.log(`      ${t.step.padEnd(width)}  ${(t.ms / 1000).toFixed(1)} s`);
    }
    await dispatcher?.close();
    await world?.close();
    if (placeholder) rmSync(placeholder, { recursive: true, force: true });
  });

  it("deployed the factory through Ignition with CREATE2 at the address it has on every chain", async function () {
    expect(await rpc().getChainId()).to.equal(CHAIN_ID);
    expect(getAddress(world.factory)).to.equal(getAddress(defaultFactory(CHAIN_ID)));
    expect(getAddress(world.factory)).to.equal(getAddress(defaultFactory(31337)));
  });

  let campaign: Address;
  const organiser = TEST_KEYS[4]!;
  /** The union's gate: an account that vouches for each member's pledge key (support needs a gate). */
  const union = privateKeyToAccount(TEST_KEYS[3]!);
  const pledgers = Array.from({ length: 6 }, () => privateKeyToAccount(generatePrivateKey()));
  const accepted: string[] = [];

  it("an organiser creates a union campaign over https; the relayer behind nginx answers with the config's proof of work", async function () {
    const client = rpc();
    const now = (await client.getBlock()).timestamp;
    const { uri, hash } = embedMetadata({
      title: "Grève de répétition / Rehearsal strike",
      text: "Une campagne de répétition. / A rehearsal campaign.",
      actionDate: new Date(Number(now + 20n * DAY) * 1000).toISOString().slice(0, 10),
      place: "Lyon",
      languages: ["fr", "en"],
    });
    const organiserWallet = wallet(organiser);
    const { request, result } = await client.simulateContract({
      account: organiserWallet.account,
      address: world.factory,
      abi: campaignFactoryAbi,
      functionName: "createCampaign",
      args: [
        campaignParams(now, {
          pledgeDeadline: now + 10n * DAY,
          actionDate: now + 20n * DAY,
          claimWindow: 30n * DAY,
          supportCap: parseEther("0.1"),
          attester: union.address,
          metadataHash: hash,
          ladder: [2, 5, 10],
        }),
        uri,
        keccak256(toHex(`rehearsal-${now}`)),
      ],
    });
    await client.waitForTransactionReceipt({ hash: await organiserWallet.writeContract(request) });
    campaign = result;
    const status = await api("GET", "/relayer/status");
    expect(status.status).to.equal(200);
    expect(status.body.pow.bits).to.equal(8);
  });

  it("people pledge without a wallet through nginx; kill -9 of the relayer with their pledges queued loses none and sends none twice", async function () {
    // An open campaign asks proof of work of a first pledge (8 bits here): one of those too.
    const client = rpc();
    const now = (await client.getBlock()).timestamp;
    const open = wallet(organiser);
    const made = await client.simulateContract({
      account: open.account,
      address: world.factory,
      abi: campaignFactoryAbi,
      functionName: "createCampaign",
      args: [
        campaignParams(now, { pledgeDeadline: now + 10n * DAY, actionDate: now + 20n * DAY }),
        "",
        toHex("open", { size: 32 }),
      ],
    });
    await client.waitForTransactionReceipt({ hash: await open.writeContract(made.request) });
    const walker = privateKeyToAccount(generatePrivateKey());
    const walkerPledge = await signPledge(walker, made.result, CHAIN_ID, { level: 1, support: 0n, nonce: 0 });
    const refused = await api("POST", "/relayer/v1/pledges", {
      campaign: made.result,
      pledge: { ...walkerPledge, support: "0" },
    });
    expect(refused.status).to.equal(403);
    const walked = await api("POST", "/relayer/v1/pledges", {
      campaign: made.result,
      pledge: { ...walkerPledge, support: "0" },
      pow: { nonce: solvePow({ chainId: CHAIN_ID, campaign: made.result, pledgeKey: walker.address, bits: 8 }) },
    });
    expect(walked.status, JSON.stringify(walked.body)).to.equal(202);
    accepted.push(walked.body.id);

    for (const key of pledgers) {
      const voucher = await signVoucher(union, campaign, CHAIN_ID, key.address);
      const signed = await signPledge(
        key,
        campaign,
        CHAIN_ID,
        { level: 1, support: parseEther("0.01"), nonce: 0 },
        voucher,
      );
      const r = await api("POST", "/relayer/v1/pledges", {
        campaign,
        pledge: { ...signed, support: signed.support.toString() },
      });
      expect(r.status, JSON.stringify(r.body)).to.equal(202);
      accepted.push(r.body.id);
    }
    // Accepted (on disk before the 202), not yet sent: the batch waits 3 s.
    await world.kill9("relayer");
    await world.start("relayer");
    const events = async (eventName: "Pledged" | "PledgeSkipped") =>
      world.node.rpc<unknown[]>("eth_getLogs", [
        {
          address: campaign,
          fromBlock: "0x0",
          toBlock: "latest",
          topics: [
            keccak256(
              toHex(
                eventName === "Pledged"
                  ? "Pledged(address,uint256,uint256,uint256)"
                  : "PledgeSkipped(uint256,address,uint8)",
              ),
            ),
          ],
        },
      ]);
    for (let i = 0; (await events("Pledged")).length < pledgers.length; i++) {
      expect(i, "every accepted pledge reaches the chain").to.be.below(300);
      await new Promise((r) => setTimeout(r, 100));
    }
    // Each request's state, as its sender would poll it, ends "confirmed" (kept across the kill).
    for (const id of accepted) {
      for (let i = 0; (await api("GET", `/relayer/v1/requests/${id}`)).body.status !== "confirmed"; i++) {
        expect(i, `request ${id} is confirmed`).to.be.below(300);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(await events("Pledged")).to.have.length(pledgers.length);
    expect(await events("PledgeSkipped"), "nothing sent twice (a second copy would be skipped)").to.have.length(0);
  });

  it("a donor donates over https; the keeper, killed with -9 and restarted, resolves the campaign once", async function () {
    const donor = wallet(TEST_KEYS[5]!);
    const client = rpc();
    const amount = parseEther("0.05");
    const { request } = await client.simulateContract({
      account: donor.account,
      address: campaign,
      abi: campaignAbi,
      functionName: "donate",
      args: [1n, amount],
      value: amount,
    });
    await client.waitForTransactionReceipt({ hash: await donor.writeContract(request) });
    await world.kill9("keeper");
    await increaseTime(world.node, Number(11n * DAY));
    await world.start("keeper");
    for (let i = 0; ; i++) {
      const names = (await client.getContractEvents({ address: campaign, abi: campaignAbi, fromBlock: 0n })).map(
        (e) => e.eventName,
      );
      if (names.includes("CampaignResolved")) {
        expect(names.filter((n) => n === "CampaignResolved")).to.have.length(1);
        break;
      }
      expect(i, "the keeper resolves the campaign").to.be.below(300);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it("a beneficiary claims to the union's desk through the relayer; the desk's mark survives kill -9 of the attester", async function () {
    const desk = privateKeyToAccount(TEST_KEYS[6]!).address;
    const client = rpc();
    const before = await client.getBalance({ address: desk });
    const status = await api("GET", "/relayer/status");
    const claim = await signClaim(pledgers[0]!, campaign, CHAIN_ID, {
      payee: desk,
      feeRecipient: status.body.relayer,
      maxFee: 0n,
    });
    const r = await api("POST", "/relayer/v1/claims", {
      campaign,
      claim: {
        payee: claim.payee,
        feeRecipient: claim.feeRecipient,
        maxFee: "0",
        proof: claim.proof,
        r: claim.r,
        vs: claim.vs,
      },
    });
    expect(r.status, JSON.stringify(r.body)).to.equal(202);
    for (let i = 0; (await api("GET", `/relayer/v1/requests/${r.body.id}`)).body.status !== "confirmed"; i++) {
      expect(i, "the claim is confirmed").to.be.below(300);
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(await client.getBalance({ address: desk })).to.be.greaterThan(before);

    const paid = `/attester/desks/${desk}/chains/${CHAIN_ID}/campaigns/${campaign}/paid`;
    const clerk = { authorization: `Bearer ${world.secrets.ATTESTER_DESK_TOKEN}` };
    const mark = await api("POST", paid, { claim: pledgers[0]!.address, clerk: "Guichet 1" }, clerk);
    expect(mark.status, JSON.stringify(mark.body)).to.equal(201);
    await world.kill9("attester");
    await world.start("attester");
    const again = await api("POST", paid, { claim: pledgers[0]!.address, clerk: "Guichet 2" }, clerk);
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal("ALREADY_PAID");
    const list = await api("GET", paid, undefined, clerk);
    expect(JSON.stringify(list.body).toLowerCase()).to.contain(pledgers[0]!.address.toLowerCase());
  });

  it("the notifier, killed with -9, comes back ready on its store; no log line holds an IP address or a pledge key", async function () {
    await world.kill9("notifier");
    await world.start("notifier");
    const ready = await api("GET", "/notifier/ready");
    expect(ready.status).to.equal(200);
    const log = await readFile(world.logFile, "utf8");
    for (const service of ["launcher", "relayer", "keeper", "notifier"])
      expect(log, service).to.contain(`"service":"${service}"`);
    expect(log).to.not.contain("127.0.0.5");
    for (const key of pledgers) expect(log.toLowerCase()).to.not.contain(key.address.slice(2).toLowerCase());
  });

  it("the indexer serves the chain's campaigns and counts over https; killed with -9 with Ponder, restarted, the same answers, a campaign made while it was down counted once", async function () {
    const client = rpc();
    /** What the chain says: every campaign of the factory, with its Pledged and Donated events. */
    const onChain = async () => {
      const created = await client.getContractEvents({
        address: world.factory,
        abi: campaignFactoryAbi,
        eventName: "CampaignCreated",
        fromBlock: 0n,
      });
      const out = new Map<string, { pledges: number; donations: number }>();
      for (const c of created) {
        const address = (c.args as { campaign: Address }).campaign;
        const events = await client.getContractEvents({ address, abi: campaignAbi, fromBlock: 0n });
        out.set(address.toLowerCase(), {
          pledges: events.filter((e) => e.eventName === "Pledged").length,
          donations: events.filter((e) => e.eventName === "Donated").length,
        });
      }
      return out;
    };
    type Listed = { campaigns: { address: string; pledgeCount: number; donationCount: number }[]; hidden: number };
    /** The list through nginx, once the indexer has indexed the chain's latest block. */
    const listed = async (): Promise<Listed> => {
      const latest = Number(await client.getBlockNumber());
      for (let i = 0; ; i++) {
        const status = await api("GET", "/indexer/status");
        if (status.status === 200 && (status.body?.bascule?.block?.number ?? -1) >= latest) break;
        expect(i, "the indexer reaches the chain's latest block").to.be.below(600);
        await new Promise((r) => setTimeout(r, 100));
      }
      const list = await api("GET", "/indexer/campaigns?minPledges=0");
      expect(list.status, JSON.stringify(list.body)).to.equal(200);
      return list.body as Listed;
    };
    const matchesChain = async (body: Listed) => {
      const chain = await onChain();
      expect(body.campaigns.map((c) => c.address.toLowerCase()).sort()).to.deep.equal([...chain.keys()].sort());
      for (const c of body.campaigns)
        expect({ pledges: c.pledgeCount, donations: c.donationCount }, c.address).to.deep.equal(
          chain.get(c.address.toLowerCase()),
        );
    };

    const before = await listed();
    await matchesChain(before);
    const ours = before.campaigns.find((c) => c.address.toLowerCase() === campaign.toLowerCase())!;
    expect(ours.pledgeCount).to.equal(pledgers.length);
    expect(ours.donationCount).to.equal(1);

    await world.kill9("indexer");
    // While it is down, a campaign appears: the restart must catch up with it, and count nothing twice.
    const organiserWallet = wallet(organiser);
    const now = (await client.getBlock()).timestamp;
    const made = await client.simulateContract({
      account: organiserWallet.account,
      address: world.factory,
      abi: campaignFactoryAbi,
      functionName: "createCampaign",
      args: [
        campaignParams(now, { pledgeDeadline: now + 10n * DAY, actionDate: now + 20n * DAY }),
        "",
        toHex("while the indexer was down", { size: 32 }),
      ],
    });
    await client.waitForTransactionReceipt({ hash: await organiserWallet.writeContract(made.request) });
    const t0 = Date.now();
    await world.start("indexer");
    timings.push({ step: "indexer restarted after kill -9, /ready", ms: Date.now() - t0 });
    const after = await listed();
    timings.push({ step: "indexer restarted after kill -9, caught up", ms: Date.now() - t0 });
    await matchesChain(after);
    expect(after.campaigns).to.have.length(before.campaigns.length + 1);
    const key = (c: { address: string }) => c.address.toLowerCase();
    const kept = after.campaigns
      .filter((c) => key(c) !== made.result.toLowerCase())
      .sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(kept, "the same answers for what it had indexed").to.deep.equal(
      [...before.campaigns].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    );
  });
});
