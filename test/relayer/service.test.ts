/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked field by field */
/**
 * The relayer against a real `hardhat node`: happy paths for pledges and claims, every refusal
 * code it can give before anything reaches the chain, and fuzzed bodies that must never crash it.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import {
  type Address,
  type Hex,
  type PublicClient,
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import {
  encodePledge,
  signClaim,
  signPledge as signPledgeRaw,
  signVoucher,
  type SignedPledge,
} from "@bascule/core/signing";
import { BatchRecoverer, recoverCompact } from "../../scripts/relayer/chain.js";
import { pledgeDigest } from "@bascule/core/signing";
import { solvePow } from "@bascule/core/pow";
import { ERRORS } from "../../scripts/relayer/errors.js";
import { pledgeBody, waitForRequests } from "../../scripts/bench/load.js";
import { NoFactoryError, type RelayerHandle, startRelayer } from "../../scripts/relayer/server.js";
import { type LocalNode, TEST_KEYS, increaseTime, startNode } from "../helpers/node.js";
import { campaignParams } from "../helpers/campaign.js";

const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const DAY = 86_400n;
/** The test relayer's proof of work (low: many first pledges are signed here). */
const POW_BITS = 8;

describe("relayer", function () {
  /** signPledge, adding the attester's voucher to a key's first pledge on the (attested) main and conditional campaigns. */
  async function signPledge(...args: Parameters<typeof signPledgeRaw>): Promise<SignedPledge> {
    const [key, at, id, message, voucher] = args;
    const auto = voucher === undefined && message.nonce === 0 && (at === campaign || at === conditional);
    return signPledgeRaw(key, at, id, message, auto ? await signVoucher(attester, at, id, key.address) : voucher);
  }

  this.timeout(180_000);
  let node: LocalNode;
  let relayer: RelayerHandle;
  let dir: string;
  let chainId: number;
  let campaign: Address;
  let gated: Address;
  /** Attested, with support and the conditions the dApp proposes: half (1), all (2) of a request covered. */
  let conditional: Address;
  /** No attester, no support: open to anyone, so the relayer asks a proof of work. */
  let open: Address;
  let factory: Address;
  let implementation: Address;
  let client: ReturnType<typeof createPublicClient>;
  const attester = privateKeyToAccount(TEST_KEYS[3]);
  const organiser = TEST_KEYS[1];

  async function post(pathname: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${relayer.url}${pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  function claimJson(claim: Awaited<ReturnType<typeof signClaim>>) {
    return {
      payee: claim.payee,
      feeRecipient: claim.feeRecipient,
      maxFee: claim.maxFee.toString(),
      proof: claim.proof,
      r: claim.r,
      vs: claim.vs,
    };
  }

  /** Posts a pledge; a first pledge on the open campaign carries its proof of work unless `pow` is false. */
  async function postPledge(target: Address, signed: SignedPledge, pow = true) {
    let nonce: number | undefined;
    if (pow && target === open && signed.nonce === 0) {
      const key = await recoverCompact(pledgeDigest(target, chainId, signed), signed.r, signed.vs).catch(() => null);
      if (key) nonce = solvePow({ chainId, campaign: target, pledgeKey: key, bits: POW_BITS })!;
    }
    return post("/v1/pledges", pledgeBody(target, signed, nonce));
  }

  function expectRefusal(result: { status: number; body: Record<string, any> }, code: keyof typeof ERRORS) {
    expect(result.body.error?.code, JSON.stringify(result.body)).to.equal(code);
    expect(result.status).to.equal(ERRORS[code].status);
    expect(result.body.error.message.en).to.be.a("string").and.not.empty;
    expect(result.body.error.message.fr).to.be.a("string").and.not.empty;
  }

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-relayer-"));
    ({ factory, implementation } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    client = createPublicClient({ transport: http(node.url) });
    chainId = await client.getChainId();
    const now = (await client.getBlock()).timestamp;
    const base = campaignParams(now, {
      pledgeDeadline: now + 7n * DAY,
      actionDate: now + 8n * DAY,
      claimWindow: 30n * DAY,
      supportCap: 10n ** 18n,
      // Money needs a gate (GateRequired): both campaigns are vouched by the same attester.
      attester: attester.address,
      metadataHash: keccak256(toHex("Grève du 1er mai")),
    });
    ({ campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: organiser,
      factory,
      params: base,
      metadataURI: "ipfs://one",
      salt: keccak256(toHex("one")),
    }));
    ({ campaign: open } = await createCampaign({
      rpcUrl: node.url,
      privateKey: organiser,
      factory,
      params: { ...base, attester: ZERO, supportCap: 0n },
      metadataURI: "ipfs://open",
      salt: keccak256(toHex("open")),
    }));
    ({ campaign: conditional } = await createCampaign({
      rpcUrl: node.url,
      privateKey: organiser,
      factory,
      params: { ...base, conditions: [5_000, 10_000] },
      metadataURI: "ipfs://conditional",
      salt: keccak256(toHex("conditional")),
    }));
    ({ campaign: gated } = await createCampaign({
      rpcUrl: node.url,
      privateKey: organiser,
      factory,
      params: { ...base, attester: attester.address },
      metadataURI: "ipfs://two",
      salt: keccak256(toHex("two")),
    }));
    relayer = await startRelayer({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[2],
      port: 0,
      dbPath: path.join(dir, "relayer.db"),
      corsOrigins: ["http://localhost:5173"],
      batchSize: 20,
      batchLatencyMs: 50,
      chainTimeTtlMs: 0,
      rateLimit: { perSecond: 10_000, burst: 10_000 },
      claimFee: 1000n,
      factory,
      powBits: POW_BITS,
      log: () => {},
    });
  });

  after(async function () {
    await relayer?.close();
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe("service endpoints", function () {
    it("answers health and status with the gas account's balance", async function () {
      expect(await (await fetch(`${relayer.url}/health`)).json()).to.deep.equal({ ok: true });
      const status = (await (await fetch(`${relayer.url}/status`)).json()) as Record<string, any>;
      expect(status.chainId).to.equal(chainId);
      expect(status.relayer).to.equal(relayer.address);
      expect(BigInt(status.balance) > 0n).to.equal(true);
      expect(status.lowBalance).to.equal(false);
      expect(status.fee.maxFeeSuggested).to.equal("1000");
      expect(status).to.have.property("queueDepth");
    });

    it("allows the dApp's origin by CORS and no other", async function () {
      const ok = await fetch(`${relayer.url}/v1/pledges`, {
        method: "OPTIONS",
        headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
      });
      expect(ok.status).to.equal(204);
      expect(ok.headers.get("access-control-allow-origin")).to.equal("http://localhost:5173");
      const other = await fetch(`${relayer.url}/v1/pledges`, {
        method: "OPTIONS",
        headers: { origin: "https://evil.example" },
      });
      expect(other.status).to.equal(403);
      expect(other.headers.get("access-control-allow-origin")).to.equal(null);
    });

    it("answers unknown paths and methods with a coded error", async function () {
      const missing = await fetch(`${relayer.url}/nope`);
      expect(missing.status).to.equal(404);
      expect(((await missing.json()) as any).error.code).to.equal("NOT_FOUND");
      const wrong = await fetch(`${relayer.url}/v1/pledges`);
      expect(((await wrong.json()) as any).error.code).to.equal("METHOD_NOT_ALLOWED");
      const unknownRequest = await fetch(`${relayer.url}/v1/requests/does-not-exist`);
      expect(unknownRequest.status).to.equal(404);
      const noProof = await fetch(`${relayer.url}/v1/proofs/${campaign}/${ZERO}`);
      expect(noProof.status).to.equal(404);
    });
  });

  describe("pledges", function () {
    it("queues a pledge, sends it, and reports it confirmed with the transaction", async function () {
      const key = privateKeyToAccount(generatePrivateKey());
      const signed = await signPledge(key, campaign, chainId, { level: 1, support: 5n, nonce: 0 });
      const result = await postPledge(campaign, signed);
      expect(result.status).to.equal(202);
      expect(result.body.pledgeKey).to.equal(key.address);
      expect(result.body.status).to.equal("queued");
      const states = await waitForRequests(relayer.url, [result.body.id]);
      const state = states.get(result.body.id)!;
      expect(state.status).to.equal("confirmed");
      expect(state.txHash).to.match(/^0x[0-9a-f]{64}$/);
      const record = await client.readContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "pledgeOf",
        args: [key.address],
      });
      expect(record.level).to.equal(1);
      expect(record.support).to.equal(5n);
      expect(record.nonce).to.equal(1);
    });

    it("orders a key's change and withdrawal after its first pledge, all accepted at once", async function () {
      const key = privateKeyToAccount(generatePrivateKey());
      const first = await postPledge(
        campaign,
        await signPledge(key, campaign, chainId, { level: 2, support: 0n, nonce: 0 }),
      );
      const change = await postPledge(
        campaign,
        await signPledge(key, campaign, chainId, { level: 3, support: 9n, nonce: 1 }),
      );
      const withdraw = await postPledge(
        campaign,
        await signPledge(key, campaign, chainId, { level: 0, support: 0n, nonce: 2 }),
      );
      expect([first.status, change.status, withdraw.status]).to.deep.equal([202, 202, 202]);
      const states = await waitForRequests(relayer.url, [first.body.id, change.body.id, withdraw.body.id]);
      for (const state of states.values()) expect(state.status).to.equal("confirmed");
      const record = await client.readContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "pledgeOf",
        args: [key.address],
      });
      expect(record.level).to.equal(0);
      expect(record.nonce).to.equal(3);
    });

    it("relays a vouched pledge on a campaign with an attester", async function () {
      const key = privateKeyToAccount(generatePrivateKey());
      const voucher = await signVoucher(attester, gated, chainId, key.address);
      const result = await postPledge(
        gated,
        await signPledge(key, gated, chainId, { level: 1, support: 0n, nonce: 0 }, voucher),
      );
      expect(result.status).to.equal(202);
      const states = await waitForRequests(relayer.url, [result.body.id]);
      expect(states.get(result.body.id)!.status).to.equal("confirmed");
    });

    it("relays a pledge with a condition: checked, stored and sent packed with it, recorded on-chain", async function () {
      const key = privateKeyToAccount(generatePrivateKey());
      const first = await postPledge(
        conditional,
        await signPledge(key, conditional, chainId, { level: 2, support: 10n ** 15n, condition: 2, nonce: 0 }),
      );
      expect(first.status, JSON.stringify(first.body)).to.equal(202);
      expect(first.body.pledgeKey).to.equal(key.address);
      // A change of condition alone (same level, same support) is a change like any other.
      const change = await postPledge(
        conditional,
        await signPledge(key, conditional, chainId, { level: 2, support: 10n ** 15n, condition: 1, nonce: 1 }),
      );
      expect(change.status, JSON.stringify(change.body)).to.equal(202);
      const states = await waitForRequests(relayer.url, [first.body.id, change.body.id]);
      for (const state of states.values()) expect(state.status, JSON.stringify(state)).to.equal("confirmed");
      const record = await client.readContract({
        address: conditional,
        abi: campaignAbi,
        functionName: "pledgeOf",
        args: [key.address],
      });
      expect([record.level, record.support, record.condition, record.nonce]).to.deep.equal([2, 10n ** 15n, 1, 2]);
    });

    describe("refusals", function () {
      it("refuses a body that is not JSON", async function () {
        expectRefusal(await post("/v1/pledges", "{not json"), "INVALID_JSON");
      });

      it("refuses a body that is not application/json", async function () {
        expectRefusal(await post("/v1/pledges", "{}", { "content-type": "text/plain" }), "UNSUPPORTED_MEDIA_TYPE");
      });

      it("refuses a body above the size limit", async function () {
        expectRefusal(await post("/v1/pledges", JSON.stringify({ pad: "x".repeat(40_000) })), "BODY_TOO_LARGE");
      });

      it("refuses missing or mistyped fields, naming the field", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const signed = await signPledge(key, campaign, chainId, { level: 1, support: 0n, nonce: 0 });
        const body = JSON.parse(pledgeBody(campaign, signed));
        body.pledge.support = -1;
        const result = await post("/v1/pledges", body);
        expectRefusal(result, "INVALID_REQUEST");
        expect(result.body.error.details.field).to.equal("pledge.support");
      });

      it("refuses an address that is not a campaign", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const other = privateKeyToAccount(generatePrivateKey()).address;
        expectRefusal(
          await postPledge(other, await signPledge(key, other, chainId, { level: 1, support: 0n, nonce: 0 })),
          "UNKNOWN_CAMPAIGN",
        );
      });

      it("refuses an invalid signature", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const signed = await signPledge(key, campaign, chainId, { level: 1, support: 0n, nonce: 0 });
        expectRefusal(await postPledge(campaign, { ...signed, r: `0x${"00".repeat(32)}` as Hex }), "INVALID_SIGNATURE");
      });

      it("refuses a level outside the ladder", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        expectRefusal(
          await postPledge(campaign, await signPledge(key, campaign, chainId, { level: 4, support: 0n, nonce: 0 })),
          "LEVEL_OUT_OF_RANGE",
        );
      });

      it("refuses support above the cap", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const signed = await signPledge(key, campaign, chainId, { level: 1, support: 10n ** 18n + 1n, nonce: 0 });
        expectRefusal(await postPledge(campaign, signed), "SUPPORT_ABOVE_CAP");
      });

      it("refuses a nonce out of sequence", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const result = await postPledge(
          campaign,
          await signPledge(key, campaign, chainId, { level: 1, support: 0n, nonce: 1 }),
        );
        expectRefusal(result, "INVALID_NONCE");
        expect(result.body.error.details).to.deep.equal({ expected: 0, given: 1 });
      });

      it("refuses the same pledge twice and names the first request", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const signed = await signPledge(key, campaign, chainId, { level: 1, support: 0n, nonce: 0 });
        const first = await postPledge(campaign, signed);
        expect(first.status).to.equal(202);
        const again = await postPledge(campaign, signed);
        expectRefusal(again, "DUPLICATE_PLEDGE");
        expect(again.body.error.details.id).to.equal(first.body.id);
      });

      it("refuses a withdrawal of a key that has not pledged", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        expectRefusal(
          await postPledge(campaign, await signPledge(key, campaign, chainId, { level: 0, support: 0n, nonce: 0 })),
          "NOT_PLEDGED",
        );
      });

      it("refuses a first pledge without the attester's voucher", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        expectRefusal(
          await postPledge(gated, await signPledge(key, gated, chainId, { level: 1, support: 0n, nonce: 0 })),
          "VOUCHER_REQUIRED",
        );
      });

      it("refuses a voucher signed by someone else than the attester", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const forged = await signVoucher(privateKeyToAccount(generatePrivateKey()), gated, chainId, key.address);
        expectRefusal(
          await postPledge(gated, await signPledge(key, gated, chainId, { level: 1, support: 0n, nonce: 0 }, forged)),
          "INVALID_VOUCHER",
        );
      });

      it("refuses a condition the campaign does not offer (K + 1, 255, any where it has none) before anything reaches the chain", async function () {
        for (const condition of [3, 255]) {
          const key = privateKeyToAccount(generatePrivateKey());
          const result = await postPledge(
            conditional,
            await signPledge(key, conditional, chainId, { level: 1, support: 1n, condition, nonce: 0 }),
          );
          expectRefusal(result, "CONDITION_OUT_OF_RANGE");
          expect(result.body.error.details).to.deep.equal({ condition, conditions: [5_000, 10_000] });
        }
        const key = privateKeyToAccount(generatePrivateKey());
        const none = await postPledge(
          campaign,
          await signPledge(key, campaign, chainId, { level: 1, support: 1n, condition: 1, nonce: 0 }),
        );
        expectRefusal(none, "CONDITION_OUT_OF_RANGE");
        expect(none.body.error.details).to.deep.equal({ condition: 1, conditions: [] });
        // Support 0 records condition 0, but the contract checks the signed condition against K first.
        const empty = await postPledge(
          campaign,
          await signPledge(key, campaign, chainId, { level: 1, support: 0n, condition: 2, nonce: 0 }),
        );
        expectRefusal(empty, "CONDITION_OUT_OF_RANGE");
        // Beyond a uint8, or not a whole number: the schema refuses it, naming the field.
        const signed = await signPledge(key, conditional, chainId, { level: 1, support: 1n, condition: 1, nonce: 0 });
        for (const condition of [256, -1, 1.5, "1"]) {
          const body = JSON.parse(pledgeBody(conditional, signed));
          body.pledge.condition = condition;
          const result = await post("/v1/pledges", body);
          expectRefusal(result, "INVALID_REQUEST");
          expect(result.body.error.details.field).to.equal("pledge.condition");
        }
      });

      it("never applies a condition its key did not sign: an altered one recovers another key, refused", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const signed = await signPledge(key, conditional, chainId, {
          level: 1,
          support: 10n ** 15n,
          condition: 1,
          nonce: 0,
        });
        // A first pledge altered in transit: the voucher names the real key, not the one recovered.
        expectRefusal(await postPledge(conditional, { ...signed, condition: 2 }), "INVALID_VOUCHER");
        const first = await postPledge(conditional, signed);
        expect(first.status, JSON.stringify(first.body)).to.equal(202);
        await waitForRequests(relayer.url, [first.body.id]);
        // A later change altered: the key recovered has pledged nothing, so its nonce is wrong.
        const change = await signPledge(key, conditional, chainId, {
          level: 1,
          support: 10n ** 15n,
          condition: 2,
          nonce: 1,
        });
        const altered = await postPledge(conditional, { ...change, condition: 0 });
        expectRefusal(altered, "INVALID_NONCE");
        const record = await client.readContract({
          address: conditional,
          abi: campaignAbi,
          functionName: "pledgeOf",
          args: [key.address],
        });
        expect([record.condition, record.nonce]).to.deep.equal([1, 1]);
      });

      it("refuses a claim before the campaign is resolved", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const claim = await signClaim(key, campaign, chainId, {
          payee: key.address,
          feeRecipient: relayer.address,
          maxFee: 1000n,
        });
        expectRefusal(await post("/v1/claims", { campaign, claim: claimJson(claim) }), "NOT_RESOLVED");
      });
    });

    it("answers 1,000 fuzzed malformed bodies with a 4xx and a FR/EN code, never a 5xx", async function () {
      const hex = (n: number) =>
        fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEFxg"), minLength: 0, maxLength: n });
      const anyValue = fc.oneof(
        fc.integer(),
        fc.double(),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.constant([]),
        fc.constant({}),
        fc.bigInt().map(String),
      );
      const codes = new Set(Object.keys(ERRORS));
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.json({ maxDepth: 4 }),
            fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ campaign, pledge: v })),
            fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ campaign, claim: v })),
            // Well-shaped but wrong values: they pass the schema and reach the service's checks.
            fc
              .record({
                level: fc.oneof(fc.integer({ min: 0, max: 255 }), anyValue),
                support: fc.oneof(fc.bigInt({ min: 0n, max: 1n << 130n }).map(String), anyValue),
                condition: fc.option(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant(-1), anyValue), {
                  nil: undefined,
                }),
                nonce: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(-1), fc.constant(2 ** 40), anyValue),
                r: fc.oneof(
                  hex(66),
                  fc.constant(`0x${"11".repeat(32)}`),
                  fc.constant(`0x${"00".repeat(32)}`),
                  fc.constant(`0x${"ff".repeat(32)}`),
                ),
                vs: fc.oneof(
                  hex(66),
                  fc.constant(`0x${"ff".repeat(32)}`),
                  fc.constant(`0x${"7f".repeat(32)}`),
                  fc.constant(`0x${"01".repeat(32)}`),
                ),
                voucherR: fc.option(fc.oneof(hex(66), fc.constant(`0x${"22".repeat(32)}`)), { nil: undefined }),
              })
              .chain((pledge) =>
                fc
                  .record({
                    campaign: fc.oneof(
                      fc.constant(campaign),
                      fc.constant(conditional),
                      fc.constant(gated),
                      fc.constant(implementation),
                      hex(42),
                      anyValue,
                    ),
                    pow: fc.option(fc.oneof(fc.record({ nonce: fc.oneof(fc.nat(), anyValue) }), anyValue), {
                      nil: undefined,
                    }),
                  })
                  .map((outer) => JSON.stringify({ ...outer, pledge })),
              ),
            fc
              .record({
                payee: fc.oneof(hex(42), fc.constant(ZERO), anyValue),
                feeRecipient: fc.oneof(hex(42), fc.constant(relayer.address), anyValue),
                maxFee: fc.oneof(fc.bigInt({ min: 0n, max: 1n << 260n }).map(String), anyValue),
                proof: fc.oneof(fc.array(hex(66), { maxLength: 70 }), anyValue),
                r: fc.oneof(hex(66), fc.constant(`0x${"11".repeat(32)}`)),
                vs: fc.oneof(hex(66), fc.constant(`0x${"22".repeat(32)}`)),
              })
              .map((claim) => JSON.stringify({ campaign, claim })),
          ),
          fc.constantFrom("/v1/pledges", "/v1/claims"),
          async (body, pathname) => {
            runs++;
            const result = await post(pathname, body);
            expect(result.status, JSON.stringify(result.body)).to.be.within(400, 499);
            expect(codes.has(result.body.error.code), result.body.error.code).to.equal(true);
            expect(result.body.error.message.en).to.be.a("string").and.not.empty;
            expect(result.body.error.message.fr).to.be.a("string").and.not.empty;
          },
        ),
        { numRuns: 1000 },
      );
      expect(runs).to.be.at.least(1000);
      expect((await fetch(`${relayer.url}/health`)).status).to.equal(200);
    });

    describe("proof of work (open campaign)", function () {
      it("refuses a key's first pledge without its proof of work", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const result = await postPledge(
          open,
          await signPledge(key, open, chainId, { level: 1, support: 0n, nonce: 0 }),
          false,
        );
        expectRefusal(result, "POW_REQUIRED");
        expect(result.body.error.details.bits).to.equal(POW_BITS);
      });

      it("refuses a proof of work solved for another key, another campaign or another chain", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const other = privateKeyToAccount(generatePrivateKey()).address;
        const signed = await signPledge(key, open, chainId, { level: 1, support: 0n, nonce: 0 });
        const isValidFor = (c: { chainId: number; campaign: Address; pledgeKey: Address }, nonce: number) =>
          solvePow({ ...c, bits: POW_BITS }, { start: nonce, maxTries: 1 }) === nonce;
        for (const wrong of [
          { chainId, campaign: open, pledgeKey: other },
          { chainId, campaign: gated, pledgeKey: key.address },
          { chainId: chainId + 1, campaign: open, pledgeKey: key.address },
        ]) {
          // A solution for the wrong challenge that does not happen to solve the right one too (2^-8).
          let nonce = solvePow({ ...wrong, bits: POW_BITS })!;
          while (isValidFor({ chainId, campaign: open, pledgeKey: key.address }, nonce))
            nonce = solvePow({ ...wrong, bits: POW_BITS }, { start: nonce + 1 })!;
          expectRefusal(await post("/v1/pledges", pledgeBody(open, signed, nonce)), "INVALID_POW");
        }
        expect((await postPledge(open, signed)).status).to.equal(202);
      });

      it("asks no proof of work for a key's later changes, nor in a gated campaign", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        expect(
          (await postPledge(open, await signPledge(key, open, chainId, { level: 1, support: 0n, nonce: 0 }))).status,
        ).to.equal(202);
        const change = await postPledge(
          open,
          await signPledge(key, open, chainId, { level: 2, support: 0n, nonce: 1 }),
          false,
        );
        expect(change.status).to.equal(202);
        const vouched = privateKeyToAccount(generatePrivateKey());
        const voucher = await signVoucher(attester, gated, chainId, vouched.address);
        expect(
          (
            await postPledge(
              gated,
              await signPledge(vouched, gated, chainId, { level: 1, support: 0n, nonce: 0 }, voucher),
              false,
            )
          ).status,
        ).to.equal(202);
      });

      it("tells the dApp the difficulty in /status", async function () {
        const status = (await (await fetch(`${relayer.url}/status`)).json()) as Record<string, any>;
        expect(status.pow).to.deep.equal({ algorithm: "sha256", tag: "bascule-pow-v1", bits: POW_BITS });
      });
    });

    describe("campaigns the factory does not know", function () {
      it("refuses the implementation behind every campaign (code, parameters, but not created by the factory)", async function () {
        const key = privateKeyToAccount(generatePrivateKey());
        const result = await postPledge(
          implementation,
          await signPledge(key, implementation, chainId, { level: 1, support: 0n, nonce: 0 }),
        );
        expectRefusal(result, "UNKNOWN_CAMPAIGN");
        expect(result.body.error.message.fr).to.match(/fabrique/);
      });

      it("checks the deterministic factory when started without one, and refuses to start where there is none", async function () {
        const bare = await startRelayer({
          rpcUrl: node.url,
          privateKey: TEST_KEYS[6],
          port: 0,
          dbPath: ":memory:",
          corsOrigins: [],
          batchSize: 10,
          batchLatencyMs: 50,
          log: () => {},
        });
        try {
          const status = (await (await fetch(`${bare.url}/status`)).json()) as Record<string, any>;
          expect(status.factory).to.equal(factory);
          const key = privateKeyToAccount(generatePrivateKey());
          const refused = await post(
            "/v1/pledges",
            pledgeBody(
              implementation,
              await signPledge(key, implementation, chainId, { level: 1, support: 0n, nonce: 0 }),
            ),
          );
          expect(refused.body.error.code).to.equal("UNKNOWN_CAMPAIGN");
          const response = await fetch(`${bare.url}/v1/pledges`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: pledgeBody(
              implementation,
              await signPledge(key, implementation, chainId, { level: 1, support: 0n, nonce: 0 }),
            ),
          });
          expect(((await response.json()) as any).error.code).to.equal("UNKNOWN_CAMPAIGN");
        } finally {
          await bare.close();
        }
        const empty = await startNode();
        try {
          let error: unknown;
          try {
            await startRelayer({
              rpcUrl: empty.url,
              privateKey: TEST_KEYS[6],
              port: 0,
              dbPath: ":memory:",
              corsOrigins: [],
              batchSize: 10,
              batchLatencyMs: 50,
              log: () => {},
            });
          } catch (e) {
            error = e;
          }
          expect(error).to.be.instanceOf(NoFactoryError);
          expect(String(error))
            .to.match(/No Bascule factory/)
            .and.match(/Aucune fabrique Bascule/);
        } finally {
          await empty.stop();
        }
      });
    });

    it("serves its OpenAPI description, which the dApp's client types are generated from", async function () {
      const doc = (await (await fetch(`${relayer.url}/v1/openapi.json`)).json()) as Record<string, any>;
      expect(doc.openapi).to.match(/^3\./);
      expect(Object.keys(doc.paths)).to.include.members([
        "/v1/pledges",
        "/v1/claims",
        "/v1/requests/{id}",
        "/status",
        "/v1/errors",
      ]);
      expect(doc.paths["/v1/pledges"].post.requestBody.content["application/json"].schema.properties).to.have.keys([
        "campaign",
        "pledge",
        "pow",
      ]);
      const { apiDocument, apiSource, apiFile } = await import("../../scripts/tools/gen-api.js");
      expect(await apiDocument("relayer")).to.deep.equal(doc);
      const { readFile } = await import("node:fs/promises");
      expect(
        await readFile(apiFile("relayer"), "utf8"),
        "packages/core/src/generated/relayer-api.ts is stale: npm run gen:api",
      ).to.equal(await apiSource("relayer"));
    });

    it("keeps no IP address in its store", async function () {
      const { DatabaseSync } = await import("node:sqlite");
      const db = new DatabaseSync(path.join(dir, "relayer.db"), { readOnly: true });
      try {
        const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
        let rows = 0;
        for (const { name } of tables) {
          for (const row of db.prepare(`SELECT * FROM "${name}"`).all()) {
            rows++;
            const text = JSON.stringify(row);
            expect(text).to.not.match(/127\.0\.0\.1|::1|::ffff:|\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
          }
        }
        expect(rows).to.be.greaterThan(0);
      } finally {
        db.close();
      }
    });
  });

  describe("skipped batch items (pledgeBatch skips, PledgeSkipped)", function () {
    /** Waits until the relayer has broadcast the request's batch (automine off: it stays in the mempool). */
    async function untilSubmitted(id: string) {
      for (let i = 0; i < 600; i++) {
        const state = (await (await fetch(`${relayer.url}/v1/requests/${id}`)).json()) as { status: string };
        if (state.status === "submitted") return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`request ${id} was not submitted`);
    }

    it("counts an item copied and mined first as done, and fails one beaten by another pledge of its key with the reason, in FR and EN", async function () {
      const copier = createWalletClient({
        account: privateKeyToAccount(TEST_KEYS[4]),
        chain: chainFor(chainId, node.url),
        transport: http(node.url),
      });
      const copied = privateKeyToAccount(generatePrivateKey());
      const beaten = privateKeyToAccount(generatePrivateKey());
      const honest = privateKeyToAccount(generatePrivateKey());
      const copiedPledge = await signPledge(copied, campaign, chainId, { level: 2, support: 7n, nonce: 0 });
      const beatenPledge = await signPledge(beaten, campaign, chainId, { level: 1, support: 0n, nonce: 0 });
      // The same key signs another first pledge elsewhere (another device): it reaches the chain first.
      const beatenOther = await signPledge(beaten, campaign, chainId, { level: 3, support: 1n, nonce: 0 });
      const honestPledge = await signPledge(honest, campaign, chainId, { level: 1, support: 0n, nonce: 0 });
      const ids: string[] = [];
      await node.rpc("evm_setAutomine", [false]);
      try {
        // At once, so that the three land in one batch (each request reads the chain before its 202).
        for (const result of await Promise.all(
          [copiedPledge, beatenPledge, honestPledge].map((signed) => postPledge(campaign, signed)),
        )) {
          expect(result.status, JSON.stringify(result.body)).to.equal(202);
          ids.push(result.body.id);
        }
        for (const id of ids) await untilSubmitted(id);
        // Front-running: the copy and the other pledge, with a higher tip, mined before the relayer's batch.
        const tip = { maxPriorityFeePerGas: 50_000_000_000n, maxFeePerGas: 200_000_000_000n };
        await copier.writeContract({
          address: campaign,
          abi: campaignAbi,
          functionName: "pledge",
          args: [encodePledge(copiedPledge)],
          gas: 300_000n,
          ...tip,
        });
        await copier.writeContract({
          address: campaign,
          abi: campaignAbi,
          functionName: "pledge",
          args: [encodePledge(beatenOther)],
          gas: 300_000n,
          ...tip,
        });
        await node.rpc("evm_mine");
      } finally {
        await node.rpc("evm_setAutomine", [true]);
      }
      const states = await waitForRequests(relayer.url, ids);
      const [copiedState, beatenState, honestState] = ids.map((id) => states.get(id)!);
      // The copy: the very same pledge is on-chain, so the request is done, whoever paid for it.
      expect(copiedState.status, JSON.stringify(copiedState)).to.equal("confirmed");
      // The other pledge of the key took nonce 0: this one fails with the skip's reason.
      expect(beatenState.status, JSON.stringify(beatenState)).to.equal("failed");
      const error = beatenState.error as unknown as {
        code: string;
        message: { en: string; fr: string };
        details: Record<string, unknown>;
      };
      expect(error.code).to.equal("INVALID_NONCE");
      expect(error.message.en).to.equal(ERRORS.INVALID_NONCE.message.en);
      expect(error.message.fr).to.equal(ERRORS.INVALID_NONCE.message.fr);
      expect(error.details.skipped).to.equal(true);
      // The rest of the batch landed.
      expect(honestState.status).to.equal("confirmed");
      expect(copiedState.txHash).to.equal(honestState.txHash);
      const recordOf = (key: Address) =>
        client.readContract({ address: campaign, abi: campaignAbi, functionName: "pledgeOf", args: [key] });
      expect((await recordOf(copied.address)).level).to.equal(2);
      expect((await recordOf(beaten.address)).level).to.equal(3);
      expect((await recordOf(honest.address)).level).to.equal(1);
      // The beaten key can go on from the chain's nonce.
      const next = await postPledge(
        campaign,
        await signPledge(beaten, campaign, chainId, { level: 1, support: 0n, nonce: 1 }),
      );
      expect(next.status, JSON.stringify(next.body)).to.equal(202);
    });
  });

  describe("skipped conditional items", function () {
    it("fails an item beaten by its key's pledge that differs only by its condition, and counts a copied conditional pledge as done", async function () {
      const copier = createWalletClient({
        account: privateKeyToAccount(TEST_KEYS[4]),
        chain: chainFor(chainId, node.url),
        transport: http(node.url),
      });
      const copied = privateKeyToAccount(generatePrivateKey());
      const twin = privateKeyToAccount(generatePrivateKey());
      const copiedPledge = await signPledge(copied, conditional, chainId, {
        level: 2,
        support: 7n,
        condition: 2,
        nonce: 0,
      });
      const relayed = await signPledge(twin, conditional, chainId, { level: 1, support: 5n, condition: 2, nonce: 0 });
      // The same key, the same level and support, another condition, signed elsewhere: it lands first.
      const other = await signPledge(twin, conditional, chainId, { level: 1, support: 5n, condition: 1, nonce: 0 });
      const ids: string[] = [];
      await node.rpc("evm_setAutomine", [false]);
      try {
        for (const signed of [copiedPledge, relayed]) {
          const result = await postPledge(conditional, signed);
          expect(result.status, JSON.stringify(result.body)).to.equal(202);
          ids.push(result.body.id);
        }
        for (const id of ids) {
          for (let i = 0; i < 600; i++) {
            const state = (await (await fetch(`${relayer.url}/v1/requests/${id}`)).json()) as { status: string };
            if (state.status === "submitted") break;
            await new Promise((r) => setTimeout(r, 20));
          }
        }
        const tip = { maxPriorityFeePerGas: 50_000_000_000n, maxFeePerGas: 200_000_000_000n };
        for (const signed of [copiedPledge, other]) {
          await copier.writeContract({
            address: conditional,
            abi: campaignAbi,
            functionName: "pledge",
            args: [encodePledge(signed)],
            gas: 300_000n,
            ...tip,
          });
        }
        await node.rpc("evm_mine");
      } finally {
        await node.rpc("evm_setAutomine", [true]);
      }
      const states = await waitForRequests(relayer.url, ids);
      const [copiedState, twinState] = ids.map((id) => states.get(id)!);
      expect(copiedState.status, JSON.stringify(copiedState)).to.equal("confirmed");
      expect(twinState.status, JSON.stringify(twinState)).to.equal("failed");
      expect((twinState.error as unknown as { code: string; details: { skipped: boolean } }).code).to.equal(
        "INVALID_NONCE",
      );
      const recordOf = (key: Address) =>
        client.readContract({ address: conditional, abi: campaignAbi, functionName: "pledgeOf", args: [key] });
      expect((await recordOf(copied.address)).condition).to.equal(2);
      expect((await recordOf(twin.address)).condition).to.equal(1);
    });
  });

  describe("during the final lock", function () {
    const key = privateKeyToAccount(generatePrivateKey());
    /** Pledged before the lock without a condition, and with one (at least half covered). */
    const plain = privateKeyToAccount(generatePrivateKey());
    const halfCovered = privateKeyToAccount(generatePrivateKey());
    let locking: Address;

    before(async function () {
      const now = (await client.getBlock()).timestamp;
      // The lock covers all but the campaign's first hour: once that hour has passed, it is on.
      ({ campaign: locking } = await createCampaign({
        rpcUrl: node.url,
        privateKey: organiser,
        factory,
        params: campaignParams(now, {
          pledgeDeadline: now + 7n * DAY,
          actionDate: now + 8n * DAY,
          claimWindow: 30n * DAY,
          supportCap: 10n ** 18n,
          finalLock: 7n * DAY - 3600n,
          conditions: [5_000, 10_000],
          attester: attester.address,
          metadataHash: keccak256(toHex("Verrou final")),
        }),
        metadataURI: "ipfs://lock",
        salt: keccak256(toHex("lock")),
      }));
      const ids: string[] = [];
      for (const [who, condition] of [
        [key, 0],
        [plain, 0],
        [halfCovered, 1],
      ] as const) {
        const voucher = await signVoucher(attester, locking, chainId, who.address);
        const first = await postPledge(
          locking,
          await signPledge(who, locking, chainId, { level: 2, support: 10n ** 15n, condition, nonce: 0 }, voucher),
        );
        expect(first.status, JSON.stringify(first.body)).to.equal(202);
        ids.push(first.body.id);
      }
      await waitForRequests(relayer.url, ids);
      await increaseTime(node, 2 * 3600);
    });

    it("refuses a new pledge with a condition, and a pledge without one taking one on; accepts a new pledge without", async function () {
      const newcomer = privateKeyToAccount(generatePrivateKey());
      const voucher = await signVoucher(attester, locking, chainId, newcomer.address);
      const refused = await postPledge(
        locking,
        await signPledge(
          newcomer,
          locking,
          chainId,
          { level: 2, support: 10n ** 15n, condition: 1, nonce: 0 },
          voucher,
        ),
      );
      expectRefusal(refused, "FINAL_LOCK_NEW_CONDITION");
      expect(refused.body.error.details.lockStart).to.be.a("string");
      // Lower in every other way (level, support) but with a condition: still a condition taken on.
      expectRefusal(
        await postPledge(
          locking,
          await signPledge(plain, locking, chainId, { level: 1, support: 10n ** 14n, condition: 2, nonce: 1 }),
        ),
        "FINAL_LOCK_NEW_CONDITION",
      );
      const accepted = await postPledge(
        locking,
        await signPledge(newcomer, locking, chainId, { level: 2, support: 10n ** 15n, nonce: 0 }, voucher),
      );
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
    });

    it("lets a pledge with a condition only lower its support, not to zero, and says so", async function () {
      const s = 10n ** 15n;
      for (const [next, code] of [
        [{ level: 1, support: s, condition: 1 }, "FINAL_LOCK_CONDITION_FROZEN"],
        [{ level: 1, support: s / 2n, condition: 1 }, "FINAL_LOCK_CONDITION_FROZEN"],
        [{ level: 2, support: s, condition: 2 }, "FINAL_LOCK_CONDITION_FROZEN"],
        [{ level: 2, support: s / 2n, condition: 0 }, "FINAL_LOCK_CONDITION_FROZEN"],
        [{ level: 2, support: 0n, condition: 1 }, "FINAL_LOCK_CONDITION_FROZEN"],
        [{ level: 0, support: 0n, condition: 0 }, "FINAL_LOCK_ACTIVE"],
        [{ level: 3, support: s, condition: 1 }, "FINAL_LOCK_ACTIVE"],
        [{ level: 2, support: 2n * s, condition: 1 }, "FINAL_LOCK_ACTIVE"],
      ] as const) {
        const result = await postPledge(
          locking,
          await signPledge(halfCovered, locking, chainId, { ...next, nonce: 1 }),
        );
        expectRefusal(result, code);
      }
      const lower = await postPledge(
        locking,
        await signPledge(halfCovered, locking, chainId, { level: 2, support: s / 2n, condition: 1, nonce: 1 }),
      );
      expect(lower.status, JSON.stringify(lower.body)).to.equal(202);
      // The next change is judged against the queued one (its support and condition), mined or not.
      expectRefusal(
        await postPledge(
          locking,
          await signPledge(halfCovered, locking, chainId, { level: 1, support: s / 4n, condition: 1, nonce: 2 }),
        ),
        "FINAL_LOCK_CONDITION_FROZEN",
      );
      expectRefusal(
        await postPledge(
          locking,
          await signPledge(halfCovered, locking, chainId, { level: 2, support: s, condition: 1, nonce: 2 }),
        ),
        "FINAL_LOCK_ACTIVE",
      );
      const lowerStill = await postPledge(
        locking,
        await signPledge(halfCovered, locking, chainId, { level: 2, support: s / 4n, condition: 1, nonce: 2 }),
      );
      expect(lowerStill.status, JSON.stringify(lowerStill.body)).to.equal(202);
      const states = await waitForRequests(relayer.url, [lower.body.id, lowerStill.body.id]);
      for (const state of states.values()) expect(state.status, JSON.stringify(state)).to.equal("confirmed");
      const record = await client.readContract({
        address: locking,
        abi: campaignAbi,
        functionName: "pledgeOf",
        args: [halfCovered.address],
      });
      expect([record.level, record.support, record.condition]).to.deep.equal([2, s / 4n, 1]);
    });

    it("refuses at once a withdrawal, a higher level or more support, and accepts a lower level", async function () {
      for (const next of [
        { level: 0, support: 0n },
        { level: 3, support: 10n ** 15n },
        { level: 2, support: 2n * 10n ** 15n },
      ]) {
        expectRefusal(
          await postPledge(locking, await signPledge(key, locking, chainId, { ...next, nonce: 1 })),
          "FINAL_LOCK_ACTIVE",
        );
      }
      const lower = await postPledge(
        locking,
        await signPledge(key, locking, chainId, { level: 1, support: 10n ** 15n, nonce: 1 }),
      );
      expect(lower.status, JSON.stringify(lower.body)).to.equal(202);
    });
  });

  describe("after the deadline", function () {
    const beneficiaries = [0, 1].map(() => privateKeyToAccount(generatePrivateKey()));
    const outsider = privateKeyToAccount(generatePrivateKey());
    /** On the conditional campaign: at least half covered (bound), all covered of a request the fund cannot cover (kept out). */
    const halfCovered = privateKeyToAccount(generatePrivateKey());
    const allCovered = privateKeyToAccount(generatePrivateKey());

    before(async function () {
      const ids: string[] = [];
      for (const [key, level, support, condition] of [
        [privateKeyToAccount(generatePrivateKey()), 1, 10n ** 15n, 0],
        [privateKeyToAccount(generatePrivateKey()), 1, 0n, 0],
        [halfCovered, 1, 10n ** 15n, 1],
        [allCovered, 1, 10n ** 17n, 2],
      ] as const) {
        const r = await postPledge(
          conditional,
          await signPledge(key, conditional, chainId, { level, support, condition, nonce: 0 }),
        );
        expect(r.status, JSON.stringify(r.body)).to.equal(202);
        ids.push(r.body.id);
      }
      for (const key of beneficiaries) {
        const r = await postPledge(
          campaign,
          await signPledge(key, campaign, chainId, { level: 1, support: 10n ** 15n, nonce: 0 }),
        );
        ids.push(r.body.id);
      }
      const r = await postPledge(
        campaign,
        await signPledge(outsider, campaign, chainId, { level: 3, support: 0n, nonce: 0 }),
      );
      ids.push(r.body.id);
      await waitForRequests(relayer.url, ids);
      const donor = createWalletClient({
        account: privateKeyToAccount(TEST_KEYS[4]),
        chain: chainFor(chainId, node.url),
        transport: http(node.url),
      });
      for (const target of [campaign, conditional]) {
        const hash = await donor.writeContract({
          address: target,
          abi: campaignAbi,
          functionName: "donate",
          args: [1n, 10n ** 16n],
          value: 10n ** 16n,
        });
        await client.waitForTransactionReceipt({ hash });
      }
      await increaseTime(node, 8 * 86_400);
    });

    it("refuses a pledge after the deadline", async function () {
      const key = privateKeyToAccount(generatePrivateKey());
      expectRefusal(
        await postPledge(campaign, await signPledge(key, campaign, chainId, { level: 1, support: 0n, nonce: 0 })),
        "PLEDGE_DEADLINE_PASSED",
      );
    });

    describe("claims", function () {
      before(async function () {
        const wallet = createWalletClient({
          account: privateKeyToAccount(TEST_KEYS[5]),
          chain: chainFor(chainId, node.url),
          transport: http(node.url),
        });
        for (const target of [campaign, conditional]) {
          const hash = await wallet.writeContract({ address: target, abi: campaignAbi, functionName: "resolve" });
          await client.waitForTransactionReceipt({ hash });
        }
      });

      it("pays a triggered beneficiary with no ETH, keeping the relayer's fee", async function () {
        const [key] = beneficiaries;
        const payee = privateKeyToAccount(generatePrivateKey()).address;
        const claim = await signClaim(key, campaign, chainId, { payee, feeRecipient: relayer.address, maxFee: 5000n });
        const result = await post("/v1/claims", { campaign, claim: claimJson(claim) });
        expect(result.status, JSON.stringify(result.body)).to.equal(202);
        const states = await waitForRequests(relayer.url, [result.body.id]);
        expect(states.get(result.body.id)!.status).to.equal("confirmed");
        const owed = 10n ** 15n;
        expect(await client.getBalance({ address: payee })).to.equal(owed - 1000n);
        const fees = await client.readContract({
          address: campaign,
          abi: campaignAbi,
          functionName: "feesOf",
          args: [relayer.address],
        });
        expect(fees).to.equal(1000n);
      });

      it("refuses a second claim of the same key", async function () {
        const [key] = beneficiaries;
        const claim = await signClaim(key, campaign, chainId, {
          payee: key.address,
          feeRecipient: relayer.address,
          maxFee: 5000n,
        });
        expectRefusal(await post("/v1/claims", { campaign, claim: claimJson(claim) }), "ALREADY_CLAIMED");
      });

      it("refuses a claim while the same key's claim is in progress", async function () {
        const key = beneficiaries[1];
        const claim = await signClaim(key, campaign, chainId, {
          payee: key.address,
          feeRecipient: relayer.address,
          maxFee: 5000n,
        });
        const body = { campaign, claim: claimJson(claim) };
        const [a, b] = await Promise.all([post("/v1/claims", body), post("/v1/claims", body)]);
        const statuses = [a.status, b.status].sort();
        expect(statuses).to.deep.equal([202, 409]);
        expect([a.body.error?.code, b.body.error?.code]).to.include.oneOf(["DUPLICATE_CLAIM", "ALREADY_CLAIMED"]);
        await waitForRequests(relayer.url, [(a.status === 202 ? a : b).body.id]);
      });

      it("refuses a claim of a pledge above the tipping level", async function () {
        const claim = await signClaim(outsider, campaign, chainId, {
          payee: outsider.address,
          feeRecipient: relayer.address,
          maxFee: 1000n,
        });
        expectRefusal(await post("/v1/claims", { campaign, claim: claimJson(claim) }), "PLEDGE_NOT_TRIGGERED");
      });

      it("refuses a claim of a pledge its condition kept out, at a level the campaign reached, and pays one whose condition holds", async function () {
        const status = await client.readContract({ address: conditional, abi: campaignAbi, functionName: "status" });
        const isBound = (key: Address) =>
          client.readContract({ address: conditional, abi: campaignAbi, functionName: "isBound", args: [key] });
        // 10^16 donated cannot cover all of a 10^17 request: that bucket stays out, the half-covered one is in.
        expect(status.tippingLevel).to.be.at.least(1);
        expect(status.boundCondition).to.equal(1);
        expect([await isBound(halfCovered.address), await isBound(allCovered.address)]).to.deep.equal([true, false]);
        const kept = await signClaim(allCovered, conditional, chainId, {
          payee: allCovered.address,
          feeRecipient: relayer.address,
          maxFee: 1000n,
        });
        const refused = await post("/v1/claims", { campaign: conditional, claim: claimJson(kept) });
        expectRefusal(refused, "PLEDGE_NOT_TRIGGERED");
        const payee = privateKeyToAccount(generatePrivateKey()).address;
        const claim = await signClaim(halfCovered, conditional, chainId, {
          payee,
          feeRecipient: relayer.address,
          maxFee: 1000n,
        });
        const result = await post("/v1/claims", { campaign: conditional, claim: claimJson(claim) });
        expect(result.status, JSON.stringify(result.body)).to.equal(202);
        const states = await waitForRequests(relayer.url, [result.body.id]);
        expect(states.get(result.body.id)!.status).to.equal("confirmed");
        // Its condition holds: at least half of its request, here all of it (the fund covers every bound request).
        const paid = await client.getBalance({ address: payee });
        expect(paid + 1000n >= 10n ** 15n / 2n).to.equal(true);
      });

      it("refuses a fee credited to someone else than this relayer", async function () {
        const [key] = beneficiaries;
        const claim = await signClaim(key, campaign, chainId, {
          payee: key.address,
          feeRecipient: outsider.address,
          maxFee: 1000n,
        });
        expectRefusal(await post("/v1/claims", { campaign, claim: claimJson(claim) }), "WRONG_FEE_RECIPIENT");
      });

      it("refuses a maximum fee below the relayer's fee", async function () {
        const [key] = beneficiaries;
        const claim = await signClaim(key, campaign, chainId, {
          payee: key.address,
          feeRecipient: relayer.address,
          maxFee: 1n,
        });
        expectRefusal(await post("/v1/claims", { campaign, claim: claimJson(claim) }), "FEE_TOO_LOW");
      });

      it("refuses a claim paying address zero", async function () {
        const [key] = beneficiaries;
        const claim = await signClaim(key, campaign, chainId, { payee: ZERO, feeRecipient: ZERO, maxFee: 0n });
        expectRefusal(await post("/v1/claims", { campaign, claim: claimJson(claim) }), "ZERO_PAYEE");
      });

      it("refuses a claim paying the campaign itself or its factory, where the support would be stuck", async function () {
        const [key] = beneficiaries;
        for (const payee of [campaign, factory]) {
          const claim = await signClaim(key, campaign, chainId, { payee, feeRecipient: payee, maxFee: 0n });
          expectRefusal(await post("/v1/claims", { campaign, claim: claimJson(claim) }), "PAYEE_LOSES_SUPPORT");
        }
      });
    });
  });

  describe("signer recovery", function () {
    it("recovers in one batched eth_call, and in JavaScript where the RPC refuses state overrides", async function () {
      const keys = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
      const signed = await Promise.all(
        keys.map((k) => signPledge(k, campaign, chainId, { level: 1, support: 0n, nonce: 0 })),
      );
      const digest = pledgeDigest(campaign, chainId, { level: 1, support: 0n, nonce: 0 });
      const batched = new BatchRecoverer(client as PublicClient);
      expect(await Promise.all(signed.map((p) => batched.recover(digest, p.r, p.vs)))).to.deep.equal(
        keys.map((k) => k.address),
      );
      const refusing = {
        call: () => Promise.reject(new Error("state override not supported")),
      } as unknown as PublicClient;
      const fallback = new BatchRecoverer(refusing);
      expect(await Promise.all(signed.map((p) => fallback.recover(digest, p.r, p.vs)))).to.deep.equal(
        keys.map((k) => k.address),
      );
    });
  });

  describe("rate limit", function () {
    it("refuses a client above its rate with 429", async function () {
      const limited = await startRelayer({
        rpcUrl: node.url,
        privateKey: TEST_KEYS[5],
        port: 0,
        dbPath: ":memory:",
        corsOrigins: [],
        batchSize: 10,
        batchLatencyMs: 50,
        rateLimit: { perSecond: 1, burst: 3 },
        log: () => {},
      });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 5; i++) {
          const response = await fetch(`${limited.url}/v1/pledges`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: "{}",
          });
          codes.push(response.status);
          await response.body?.cancel();
        }
        expect(codes.slice(0, 3)).to.deep.equal([400, 400, 400]);
        expect(codes.slice(3)).to.deep.equal([429, 429]);
      } finally {
        await limited.close();
      }
    });
  });
});
