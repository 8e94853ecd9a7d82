/* eslint-disable @typescript-eslint/no-explicit-any -- HTTP answers are JSON, checked field by field */
/**
 * What the relayer pays gas for, against a real `hardhat node` (issue 20's audit): only items that
 * land. Vouchers are judged as the campaign judges them (an account attester's, the blind-voucher
 * verifier's, other ERC-1271 contracts'), a first pledge already mined is refused, a key's changes
 * are bounded, and what would be skipped in a batch is dropped before anything is sent.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import {
  type Address,
  type Hex,
  concat,
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  http,
  keccak256,
  parseEventLogs,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  type RsaPrivateKey,
  blind,
  generateKey,
  publicKeyArgs,
  toFixedHex,
  unblind,
  voucherBytes,
} from "@bascule/core/blind-rsa";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { solvePow } from "@bascule/core/pow";
import {
  type SignedPledge,
  decodePledges,
  encodePledge,
  encodePledges,
  signPledge,
  signVoucher,
  voucherDigest,
} from "@bascule/core/signing";
import { deployBoundVerifier } from "@bascule/core/verifier";
import { blindSign } from "../../scripts/attester/rsa.js";
import { pledgeBody, waitForRequests } from "../../scripts/bench/load.js";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import { ERRORS } from "../../scripts/relayer/errors.js";
import { type RelayerHandle, startRelayer } from "../../scripts/relayer/server.js";
import { VOUCHER_CHECK_GAS } from "../../scripts/relayer/voucher.js";
import { BatchProbe, MULTICALL3_ADDRESS } from "../../scripts/relayer/probe.js";
import { campaignParams } from "../helpers/campaign.js";
import { type LocalNode, ROOT, TEST_KEYS, startNode } from "../helpers/node.js";

const DAY = 86_400n;
const POW_BITS = 8;
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Runtime code for the contract attesters of the tests (set with hardhat_setCode). */
const CODE = {
  /** Returns the 32-byte word 0x1626ba7e00…00 to anything: every voucher is valid. */
  alwaysValid: `0x7f1626ba7e${"00".repeat(28)}5f5260205ff3` as Hex,
  /** Returns only the 4 bytes 0x1626ba7e: SignatureChecker wants a whole word. */
  shortMagic: "0x631626ba7e5f526004601cf3" as Hex,
  /** Returns 0x1626ba7e followed by 0xff…: the word is compared whole. */
  dirtyMagic: `0x7f1626ba7e${"ff".repeat(28)}5f5260205ff3` as Hex,
  /** Reverts. */
  reverts: "0x5f5ffd" as Hex,
  /** Loops until it has burnt all the gas it was given. */
  burnsGas: "0x5b5f56" as Hex,
};

describe("relayer spends gas only on items that land", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let dir: string;
  let relayer: RelayerHandle;
  let chainId: number;
  let factory: Address;
  let client: ReturnType<typeof createPublicClient>;
  let accountGated: Address;
  let rsaGated: Address;
  let rsaVerifier: Address;
  let open: Address;
  let rsaKey: RsaPrivateKey;
  const contractGated: Partial<Record<keyof typeof CODE, Address>> = {};
  const attester = privateKeyToAccount(TEST_KEYS[3]);
  const sender = privateKeyToAccount(TEST_KEYS[4]);

  function blindVoucher(key: RsaPrivateKey, campaign: Address, pledgeKey: Address): Hex {
    const { blinded, inverse } = blind(key, voucherDigest(campaign, chainId, pledgeKey));
    return voucherBytes(unblind(key, blindSign(key, blinded), inverse));
  }

  /** The parameters of a test campaign made now (what newCampaign creates). */
  async function paramsFor(overrides: Parameters<typeof campaignParams>[1]) {
    const now = (await client.getBlock()).timestamp;
    return campaignParams(now, {
      pledgeDeadline: now + 7n * DAY,
      actionDate: now + 8n * DAY,
      claimWindow: 30n * DAY,
      ...overrides,
    });
  }

  async function newCampaign(
    overrides: Parameters<typeof campaignParams>[1],
    salt: string,
    given?: Awaited<ReturnType<typeof paramsFor>>,
  ): Promise<Address> {
    const params = given ?? (await paramsFor(overrides));
    const { campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params,
      metadataURI: `ipfs://${salt}`,
      salt: keccak256(toHex(salt)),
    });
    return campaign;
  }

  /** A campaign gated by a blind-voucher verifier of `key`, bound to it (docs/blind-vouchers.md's order). */
  async function newRsaCampaign(key: RsaPrivateKey, salt: string): Promise<{ verifier: Address; campaign: Address }> {
    const wallet = createWalletClient({
      account: privateKeyToAccount(TEST_KEYS[1]),
      chain: chainFor(chainId, node.url),
      transport: http(node.url),
    });
    const base = await paramsFor({ supportCap: 10n ** 18n });
    const { verifier, campaign: predicted } = await deployBoundVerifier(
      wallet,
      client as never,
      publicKeyArgs(key),
      (attester) =>
        client.readContract({
          address: factory,
          abi: campaignFactoryAbi,
          functionName: "predictCampaign",
          args: [wallet.account.address, { ...base, attester }, keccak256(toHex(salt))],
        }),
    );
    const campaign = await newCampaign({}, salt, { ...base, attester: verifier });
    expect(campaign).to.equal(predicted);
    return { verifier, campaign };
  }

  async function post(url: string, body: string) {
    const response = await fetch(`${url}/v1/pledges`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body: (await response.json()) as Record<string, any>,
    };
  }

  /** Posts a pledge to `url`; a first pledge on the open campaign carries its proof of work. */
  function postPledge(url: string, campaign: Address, key: Address, signed: SignedPledge) {
    const pow =
      campaign === open && signed.nonce === 0
        ? solvePow({ chainId, campaign, pledgeKey: key, bits: POW_BITS })!
        : undefined;
    return post(url, pledgeBody(campaign, signed, pow));
  }

  function expectRefusal(result: { status: number; body: Record<string, any> }, code: keyof typeof ERRORS) {
    expect(result.body.error?.code, JSON.stringify(result.body)).to.equal(code);
    expect(result.status).to.equal(ERRORS[code].status);
    expect(result.body.error.message.en).to.equal(ERRORS[code].message.en);
    expect(result.body.error.message.fr).to.equal(ERRORS[code].message.fr);
  }

  /**
   * Whether the campaign would take this pledge now: `pledge` simulated (it reverts where a batch
   * skips), with the gas of a generous transaction (an attester that burns gas would otherwise take
   * the node's whole call limit).
   */
  async function campaignTakes(campaign: Address, signed: SignedPledge): Promise<boolean> {
    try {
      await client.simulateContract({
        account: sender,
        gas: 5_000_000n,
        address: campaign,
        abi: campaignAbi,
        functionName: "pledge",
        args: [encodePledge(signed)],
      });
      return true;
    } catch {
      return false;
    }
  }

  /** Sends signed pledges in one pledgeBatch from another account (a wallet, a copier). */
  async function sendElsewhere(campaign: Address, pledges: SignedPledge[]) {
    const wallet = createWalletClient({
      account: sender,
      chain: chainFor(chainId, node.url),
      transport: http(node.url),
    });
    const hash = await wallet.writeContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges(pledges)],
    });
    return client.waitForTransactionReceipt({ hash });
  }

  const txCount = (address: Address) => client.getTransactionCount({ address, blockTag: "pending" });

  /** The relayer's transaction count once nothing is queued or in flight. */
  async function settledTxCount(handle: RelayerHandle): Promise<number> {
    for (let i = 0; i < 600; i++) {
      const status = (await (await fetch(`${handle.url}/status`)).json()) as { queueDepth: number };
      if (status.queueDepth === 0) return txCount(handle.address);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the relayer's queue did not drain");
  }

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-spend-"));
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    client = createPublicClient({ transport: http(node.url) });
    chainId = await client.getChainId();
    rsaKey = await generateKey();
    accountGated = await newCampaign({ attester: attester.address, supportCap: 10n ** 18n }, "account");
    ({ campaign: rsaGated, verifier: rsaVerifier } = await newRsaCampaign(rsaKey, "rsa"));
    open = await newCampaign({}, "open");
    for (const [i, [name, code]] of Object.entries(CODE).entries()) {
      const address = `0x${(0xa77e5700 + i).toString(16).padStart(40, "0")}` as Address;
      await node.rpc("hardhat_setCode", [address, code]);
      contractGated[name as keyof typeof CODE] = await newCampaign({ attester: address }, `contract-${name}`);
    }
    relayer = await startRelayer({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[2],
      port: 0,
      dbPath: path.join(dir, "relayer.db"),
      corsOrigins: [],
      batchSize: 50,
      batchLatencyMs: 50,
      chainTimeTtlMs: 0,
      rateLimit: { perSecond: 10_000, burst: 10_000 },
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

  describe("vouchers, judged as the campaign judges them", function () {
    /** The requests the relayer accepted here: they must all land. */
    const accepted: string[] = [];

    /** One voucher case: the relayer's answer, and whether the campaign itself would take the pledge. */
    async function judge(campaign: Address, voucherFor: (key: Address) => Hex | Promise<Hex>) {
      const key = privateKeyToAccount(generatePrivateKey());
      const signed = await signPledge(
        key,
        campaign,
        chainId,
        { level: 1, support: 0n, nonce: 0 },
        await voucherFor(key.address),
      );
      const takes = await campaignTakes(campaign, signed);
      const answer = await postPledge(relayer.url, campaign, key.address, signed);
      expect(answer.status === 202, `relayer ${JSON.stringify(answer.body)}, campaign takes it: ${takes}`).to.equal(
        takes,
      );
      if (answer.status === 202) accepted.push(answer.body.id);
      return answer;
    }

    it("an account attester: exactly 65 bytes, v 27 or 28, low s, its own signature (compact, 1-byte, high-s, v = 0 refused)", async function () {
      const valid = (key: Address) => signVoucher(attester, accountGated, chainId, key);
      const relayerTxs = await settledTxCount(relayer);
      // The audit's 1-byte vouchers, and every other length the campaign's ECDSA.tryRecoverCalldata refuses.
      for (const voucher of ["0x01", `0x${"11".repeat(64)}`, `0x${"11".repeat(66)}`] as Hex[]) {
        const answer = await judge(accountGated, () => voucher);
        expectRefusal(answer, "INVALID_VOUCHER_LENGTH");
        expect(answer.body.error.details).to.deep.include({ expected: 65 });
      }
      // ERC-2098's compact form of a valid voucher (r, yParity·s): 64 bytes, which the campaign refuses.
      const compact = await judge(accountGated, async (key) => {
        const sig = await valid(key);
        const v = Number.parseInt(sig.slice(130), 16);
        const vs = (BigInt(`0x${sig.slice(66, 130)}`) | (BigInt(v - 27) << 255n)).toString(16).padStart(64, "0");
        return `${sig.slice(0, 66)}${vs}` as Hex;
      });
      expectRefusal(compact, "INVALID_VOUCHER_LENGTH");
      // The same signature with v = 0 or 1 (which viem's recoverAddress takes), or its high-s twin.
      for (const tamper of [
        (sig: Hex) => `${sig.slice(0, 130)}${(Number.parseInt(sig.slice(130), 16) - 27).toString(16).padStart(2, "0")}`,
        (sig: Hex) => {
          const s = SECP256K1_N - BigInt(`0x${sig.slice(66, 130)}`);
          const v = Number.parseInt(sig.slice(130), 16) === 27 ? "1c" : "1b";
          return `${sig.slice(0, 66)}${s.toString(16).padStart(64, "0")}${v}`;
        },
      ]) {
        expectRefusal(await judge(accountGated, async (key) => tamper(await valid(key)) as Hex), "INVALID_VOUCHER");
      }
      // Someone else's signature, another key's voucher, none at all.
      const other = privateKeyToAccount(TEST_KEYS[5]);
      expectRefusal(
        await judge(accountGated, (key) => signVoucher(other, accountGated, chainId, key)),
        "INVALID_VOUCHER",
      );
      const stranger = privateKeyToAccount(generatePrivateKey()).address;
      expectRefusal(await judge(accountGated, () => valid(stranger)), "INVALID_VOUCHER");
      expectRefusal(await judge(accountGated, () => "0x"), "VOUCHER_REQUIRED");
      // Nothing of this was sent: the relayer's account signed no transaction for it.
      expect(await txCount(relayer.address)).to.equal(relayerTxs);
      expect((await judge(accountGated, valid)).status).to.equal(202);
    });

    it("the blind-voucher verifier: 20 of 20 junk vouchers refused before 202, other lengths without a call, a real one relayed", async function () {
      const relayerTxs = await settledTxCount(relayer);
      // The audit: 20 random 256-byte vouchers, each ~29.7k gas once mined in a batch.
      for (let i = 0; i < 20; i++) {
        const answer = await judge(rsaGated, () => toHex(crypto.getRandomValues(new Uint8Array(256))));
        expectRefusal(answer, "INVALID_VOUCHER");
        expect(answer.body.error.details).to.deep.equal({ attester: "rsa-verifier" });
      }
      // The modulus itself (not below n), and another key's voucher.
      expectRefusal(await judge(rsaGated, () => toFixedHex(rsaKey.n)), "INVALID_VOUCHER");
      const stranger = privateKeyToAccount(generatePrivateKey()).address;
      expectRefusal(await judge(rsaGated, () => blindVoucher(rsaKey, rsaGated, stranger)), "INVALID_VOUCHER");
      // Every length but the modulus's: refused by length (the verifier answers "invalid" to them).
      for (const make of [
        (v: Hex) => `0x${v.slice(4)}`,
        (v: Hex) => `0x00${v.slice(2)}`,
        () => "0x01",
        () => `0x${"22".repeat(65)}`,
      ]) {
        const answer = await judge(rsaGated, (key) => make(blindVoucher(rsaKey, rsaGated, key)) as Hex);
        expectRefusal(answer, "INVALID_VOUCHER_LENGTH");
        expect(answer.body.error.details.expected).to.equal(256);
      }
      expect(await txCount(relayer.address)).to.equal(relayerTxs);
      expect((await judge(rsaGated, (key) => blindVoucher(rsaKey, rsaGated, key))).status).to.equal(202);
    });

    it("a look-alike campaign naming the union's verifier: even vouchers made for it are refused before 202", async function () {
      const relayerTxs = await settledTxCount(relayer);
      const lookAlike = await newCampaign({ attester: rsaVerifier, supportCap: 10n ** 18n }, "look-alike");
      // Blind vouchers of the union's key on the look-alike's own digest: the verifier answers only rsaGated.
      const answer = await judge(lookAlike, (key) => blindVoucher(rsaKey, lookAlike, key));
      expectRefusal(answer, "INVALID_VOUCHER");
      expect(answer.body.error.details).to.deep.equal({ attester: "rsa-verifier" });
      expect(await txCount(relayer.address)).to.equal(relayerTxs);
    });

    it("other contract attesters: the call's answer, compared whole, with at most VOUCHER_CHECK_GAS gas", async function () {
      // A contract that says valid to anything: no length rule but its own.
      for (const voucher of ["0x01", `0x${"33".repeat(32)}`] as Hex[])
        expect((await judge(contractGated.alwaysValid!, () => voucher)).status).to.equal(202);
      for (const name of ["shortMagic", "dirtyMagic", "reverts", "burnsGas"] as const) {
        const answer = await judge(contractGated[name]!, () => `0x${"44".repeat(32)}`);
        expectRefusal(answer, "INVALID_VOUCHER");
        expect(answer.body.error.details, name).to.deep.equal({ attester: "contract" });
      }
      expect(VOUCHER_CHECK_GAS).to.equal(300_000n);
    });

    it("relays the accepted vouchers' pledges, which all land: no item skipped on-chain", async function () {
      expect(accepted).to.have.length(4);
      const states = await waitForRequests(relayer.url, accepted);
      expect([...states.values()].map((s) => s.status)).to.deep.equal(new Array(4).fill("confirmed"));
      for (const hash of new Set([...states.values()].map((s) => s.txHash!))) {
        const receipt = await client.getTransactionReceipt({ hash });
        expect(parseEventLogs({ abi: campaignAbi, logs: receipt.logs, eventName: "PledgeSkipped" })).to.have.length(0);
      }
    });
  });

  describe("a first pledge already on-chain", function () {
    it("refuses 10 of 10 re-posted first pledges mined elsewhere, and one of their keys' other pledges as out of sequence", async function () {
      const keys = Array.from({ length: 10 }, () => privateKeyToAccount(generatePrivateKey()));
      const pledges = await Promise.all(
        keys.map((k, i) => signPledge(k, open, chainId, { level: 1 + (i % 3), support: 0n, nonce: 0 })),
      );
      await sendElsewhere(open, pledges);
      const relayerTxs = await settledTxCount(relayer);
      for (let i = 0; i < keys.length; i++) {
        const answer = await postPledge(relayer.url, open, keys[i].address, pledges[i]);
        expectRefusal(answer, "PLEDGE_ALREADY_RECORDED");
        expect(answer.body.error.details).to.deep.equal({ pledgeKey: keys[i].address, nonce: 1 });
      }
      // Another first pledge of a key whose first pledge is on-chain: stale, not "already recorded".
      const other = await signPledge(keys[0], open, chainId, { level: 3, support: 0n, nonce: 0 });
      const stale = await postPledge(relayer.url, open, keys[0].address, other);
      expectRefusal(stale, "INVALID_NONCE");
      expect(stale.body.error.details).to.deep.equal({ expected: 1, given: 0 });
      expect(await txCount(relayer.address)).to.equal(relayerTxs);
    });
  });

  describe("changes per key", function () {
    it("relays 5 changes of one key in 24 hours, not the audit's 30 after one proof of work", async function () {
      const key = privateKeyToAccount(generatePrivateKey());
      const first = await postPledge(
        relayer.url,
        open,
        key.address,
        await signPledge(key, open, chainId, { level: 1, support: 0n, nonce: 0 }),
      );
      expect(first.status).to.equal(202);
      const ids = [first.body.id as string];
      const refused: { status: number; retryAfter: string | null; body: Record<string, any> }[] = [];
      for (let nonce = 1; nonce <= 30; nonce++) {
        const answer = await postPledge(
          relayer.url,
          open,
          key.address,
          await signPledge(key, open, chainId, { level: 1 + (nonce % 3), support: 0n, nonce }),
        );
        if (answer.status === 202) ids.push(answer.body.id);
        else refused.push(answer);
      }
      expect(ids).to.have.length(6);
      expect(refused).to.have.length(25);
      for (const answer of refused) {
        expectRefusal(answer, "TOO_MANY_CHANGES");
        expect(answer.body.error.details).to.deep.include({ max: 5, windowSeconds: 86_400 });
        expect(Number(answer.retryAfter)).to.be.within(86_000, 86_400);
        expect(answer.retryAfter).to.equal(String(answer.body.error.details.retryAfterSeconds));
      }
      const states = await waitForRequests(relayer.url, ids);
      expect([...states.values()].map((s) => s.status)).to.deep.equal(new Array(6).fill("confirmed"));
      const record = await client.readContract({
        address: open,
        abi: campaignAbi,
        functionName: "pledgeOf",
        args: [key.address],
      });
      expect(record.nonce).to.equal(6);
    });

    it("counts no change dropped before sending, and takes the next change once the oldest counted one is out of the window", async function () {
      const short = await startRelayer({
        rpcUrl: node.url,
        privateKey: TEST_KEYS[7],
        port: 0,
        dbPath: ":memory:",
        corsOrigins: [],
        batchSize: 50,
        batchLatencyMs: 1_000,
        chainTimeTtlMs: 0,
        rateLimit: { perSecond: 10_000, burst: 10_000 },
        factory,
        powBits: POW_BITS,
        keyChanges: { max: 2, windowMs: 5_000 },
        log: () => {},
      });
      try {
        const key = privateKeyToAccount(generatePrivateKey());
        const sign = (nonce: number, level = 1 + (nonce % 3)) =>
          signPledge(key, open, chainId, { level, support: 0n, nonce });
        const first = await postPledge(short.url, open, key.address, await sign(0));
        expect((await waitForRequests(short.url, [first.body.id])).get(first.body.id)!.status).to.equal("confirmed");
        // A change the key also signed elsewhere, mined first: dropped before sending, no gas spent.
        const lost = await postPledge(short.url, open, key.address, await sign(1, 1));
        expect(lost.status).to.equal(202);
        await sendElsewhere(open, [await sign(1, 3)]);
        const lostState = (await waitForRequests(short.url, [lost.body.id])).get(lost.body.id)! as any;
        expect(lostState.status).to.equal("failed");
        expect(lostState.txHash).to.equal(undefined);
        // So the budget of 2 is whole: nonces 2 and 3 pass, 4 waits.
        const ids: string[] = [];
        for (const nonce of [2, 3]) {
          const answer = await postPledge(short.url, open, key.address, await sign(nonce));
          expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
          ids.push(answer.body.id);
        }
        const refused = await postPledge(short.url, open, key.address, await sign(4));
        expectRefusal(refused, "TOO_MANY_CHANGES");
        await waitForRequests(short.url, ids);
        await new Promise((r) => setTimeout(r, Number(refused.retryAfter) * 1000 + 100));
        const later = await postPledge(short.url, open, key.address, await sign(4));
        expect(later.status, JSON.stringify(later.body)).to.equal(202);
        expect((await waitForRequests(short.url, [later.body.id])).get(later.body.id)!.status).to.equal("confirmed");
      } finally {
        await short.close();
      }
    });
  });

  describe("the batch probe before sending", function () {
    /** A relayer taking batches of 100, without rate limit, on its own key. */
    const startBlindRelayer = (privateKey: Hex) =>
      startRelayer({
        rpcUrl: node.url,
        privateKey,
        port: 0,
        dbPath: ":memory:",
        corsOrigins: [],
        batchSize: 100,
        batchLatencyMs: 3_000,
        chainTimeTtlMs: 0,
        rateLimit: { perSecond: 10_000, burst: 10_000 },
        factory,
        log: () => {},
      });

    /** 100 first pledges at `level` of the RSA-gated campaign, each with its blind voucher: all accepted, all confirmed. */
    async function relayHundredBlind(big: Awaited<ReturnType<typeof startRelayer>>, level: number) {
      const keys = Array.from({ length: 100 }, () => privateKeyToAccount(generatePrivateKey()));
      const pledges = await Promise.all(
        keys.map((k) =>
          signPledge(k, rsaGated, chainId, { level, support: 0n, nonce: 0 }, blindVoucher(rsaKey, rsaGated, k.address)),
        ),
      );
      const answers = await Promise.all(pledges.map((p, i) => postPledge(big.url, rsaGated, keys[i].address, p)));
      expect(answers.map((a) => a.status)).to.deep.equal(new Array(100).fill(202));
      const states = await waitForRequests(
        big.url,
        answers.map((a) => a.body.id),
      );
      expect([...states.values()].every((s) => s.status === "confirmed")).to.equal(true);
      return { pledges, states };
    }

    it("on a chain without Multicall3, sends as many blind-voucher pledges as one probe carries, then the rest: all land", async function () {
      const big = await startBlindRelayer(TEST_KEYS[8]);
      try {
        const { pledges, states } = await relayHundredBlind(big, 1);
        const fit = await new BatchProbe(client as never, big.address).fit(pledges);
        expect(fit).to.be.below(100);
        const hashes = new Set([...states.values()].map((s) => s.txHash!));
        expect(hashes.size).to.be.at.least(2);
        for (const hash of hashes) {
          const tx = await client.getTransaction({ hash });
          const { args } = decodeFunctionData({ abi: campaignAbi, data: tx.input });
          expect(decodePledges(args![0] as Hex).length).to.be.at.most(fit);
          const receipt = await client.getTransactionReceipt({ hash });
          expect(parseEventLogs({ abi: campaignAbi, logs: receipt.logs, eventName: "PledgeSkipped" })).to.have.length(
            0,
          );
        }
      } finally {
        await big.close();
      }
    });

    it("where Multicall3 is deployed, probes through it: 100 blind-voucher pledges go in one batch", async function () {
      // Multicall3's code at its usual address, as on most public chains: its creation code (viem's,
      // read from its package) run by a creation eth_call gives the runtime code to place there.
      const source = await readFile(path.join(ROOT, "node_modules/viem/_esm/constants/contracts.js"), "utf8");
      const creation = /multicall3Bytecode = '(0x[0-9a-f]+)'/.exec(source)![1] as Hex;
      const { data: runtime } = await client.call({ data: creation });
      await node.rpc("hardhat_setCode", [MULTICALL3_ADDRESS, runtime]);
      const big = await startBlindRelayer(TEST_KEYS[9]);
      try {
        const { states } = await relayHundredBlind(big, 2);
        expect(new Set([...states.values()].map((s) => s.txHash)).size).to.equal(1);
      } finally {
        await big.close();
        await node.rpc("hardhat_setCode", [MULTICALL3_ADDRESS, "0x"]);
      }
    });

    it("drops what the batch would skip (a copy mined first, a key's other pledge, a voucher its attester now refuses) and pays for the rest only", async function () {
      const key = await generateKey();
      const { verifier, campaign } = await newRsaCampaign(key, "probe");
      const probing = await startRelayer({
        rpcUrl: node.url,
        privateKey: TEST_KEYS[6],
        port: 0,
        dbPath: ":memory:",
        corsOrigins: [],
        batchSize: 50,
        // Long enough for the chain to change between the 202s and the batch.
        batchLatencyMs: 4_000,
        chainTimeTtlMs: 0,
        rateLimit: { perSecond: 10_000, burst: 10_000 },
        factory,
        log: () => {},
      });
      try {
        const [copied, beaten, revoked, changing] = Array.from({ length: 4 }, () =>
          privateKeyToAccount(generatePrivateKey()),
        );
        const first = (k: typeof copied, level: number) =>
          signPledge(k, campaign, chainId, { level, support: 0n, nonce: 0 }, blindVoucher(key, campaign, k.address));
        // `changing` pledged earlier, with a wallet.
        await sendElsewhere(campaign, [await first(changing, 1)]);
        const copiedPledge = await first(copied, 1);
        const beatenPledge = await first(beaten, 1);
        const beatenOther = await first(beaten, 3);
        const change = await signPledge(changing, campaign, chainId, { level: 2, support: 0n, nonce: 1 });
        const ids: string[] = [];
        for (const [k, signed] of [
          [copied, copiedPledge],
          [beaten, beatenPledge],
          [revoked, await first(revoked, 2)],
          [changing, change],
        ] as const) {
          const answer = await postPledge(probing.url, campaign, k.address, signed);
          expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
          ids.push(answer.body.id);
        }
        const before = await txCount(probing.address);
        // Before the batch leaves: a copy and the key's other pledge are mined, and the attester
        // changes its answers (its code replaced by one that reverts).
        await sendElsewhere(campaign, [copiedPledge, beatenOther]);
        await node.rpc("hardhat_setCode", [verifier, CODE.reverts]);
        const states = await waitForRequests(probing.url, ids);
        const [copiedState, beatenState, revokedState, changeState] = ids.map((id) => states.get(id)! as any);
        expect(copiedState.status, JSON.stringify(copiedState)).to.equal("confirmed");
        expect(copiedState.txHash).to.equal(undefined);
        expect(beatenState.status).to.equal("failed");
        expect(beatenState.error.code).to.equal("INVALID_NONCE");
        expect(beatenState.error.details.dropped).to.equal(true);
        expect(beatenState.error.message).to.deep.equal(ERRORS.INVALID_NONCE.message);
        expect(revokedState.status).to.equal("failed");
        expect(revokedState.error.code).to.equal("INVALID_VOUCHER");
        expect(revokedState.error.details.dropped).to.equal(true);
        expect(changeState.status).to.equal("confirmed");
        // One transaction, carrying the change alone, and nothing skipped in it.
        expect(await txCount(probing.address)).to.equal(before + 1);
        const tx = await client.getTransaction({ hash: changeState.txHash });
        const { args } = decodeFunctionData({ abi: campaignAbi, data: tx.input });
        const items = decodePledges(args![0] as Hex);
        expect(items).to.have.length(1);
        expect(concat([items[0].r, items[0].vs])).to.equal(concat([change.r, change.vs]));
        const receipt = await client.getTransactionReceipt({ hash: changeState.txHash });
        expect(parseEventLogs({ abi: campaignAbi, logs: receipt.logs, eventName: "PledgeSkipped" })).to.have.length(0);
      } finally {
        await probing.close();
      }
    });
  });
});
