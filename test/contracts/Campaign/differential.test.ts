/**
 * Differential property tests: random histories run on the contract and on the reference model
 * (packages/core/src/model.ts) must agree on everything (MECHANISM.md, "Guarantees": determinism), and
 * every payment must be exactly what the specification entitles (exactly once, solvency,
 * liveness). See docs/testing.md.
 *
 * Each history: a fresh campaign (ETH or ERC-20, ladder of 1..64 levels), pledges in batches with
 * changes and withdrawals, donations and donation withdrawals, time moves, resolution, claims and
 * reclaims inside the claim window, then the rest after it. The model is fed only the contract's
 * event log.
 *
 * A second property holds the model's rules around the escrow (lockStart, finalLockActive,
 * pledgeSkipReason, windows, claimsClosed, claimEntitlement, reclaimEntitlement — what the relayer
 * decides with) against the contract: random small campaigns (final lock, attester, oracle) take raw
 * batches (nonces off, levels and support out of range, missing or forged vouchers, a level's total
 * overflowing, changes during the lock); every PledgeSkipped reason, every lock refusal, and after
 * resolution every windows(), claimableSupport and reclaimable answer must be the model's.
 *
 * `BASCULE_PROPERTY_RUNS=20000` runs more histories (default 1000; the rules property runs a fifth
 * as many campaigns, at least 200); `BASCULE_PROPERTY_SEED` replays a failing seed.
 */
import { expect } from "chai";
import fc from "fast-check";
import { createRequire } from "node:module";
import {
  type Address,
  type ContractErrorName,
  type ContractEventName,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type DecodeEventLogReturnType,
  type DecodeFunctionResultParameters,
  type EncodeFunctionDataParameters,
  type Hex,
  type LocalAccount,
  type RpcLog,
  type TypedDataDomain,
  type TypedDataParameter,
  bytesToHex,
  concat,
  decodeErrorResult,
  decodeFunctionResult,
  encodeFunctionData,
  erc20Abi,
  getTypesForEIP712Domain,
  hashDomain,
  hashStruct,
  hashTypedData,
  hexToBytes,
  keccak256,
  maxUint256,
  parseEventLogs,
  toHex,
} from "viem";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { privateKeyToAccount, toAccount } from "viem/accounts";
import * as model from "@bascule/core/model";
import { type History, HistoryDigest } from "@bascule/core/history";
import { decodeHistoryLog } from "@bascule/core/replay";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import {
  signClaim,
  signPledge,
  signVoucher,
  type SignedPledge,
  encodePledge,
  encodePledges,
} from "@bascule/core/signing";
import {
  DAY,
  ZERO,
  type CampaignParams,
  type Factory,
  connection,
  DEFAULT_ATTESTER,
  DEFAULT_ATTESTER_KEY,
  defaultParams,
  deployFactory,
  ethers,
  networkHelpers,
} from "../../helpers/fixtures.js";
import { DONORS, MAX_KEYS, type HistorySpec, historyArb, planHistory } from "../../helpers/history.js";

/**
 * Coverage conditions of a campaign (c_1 < c_2 in basis points, as the factory accepts them): none in a
 * third of the histories (the rule without conditions), the proposed [5000, 10000] most often, and any
 * valid list otherwise, full coverage and 1 basis point included.
 */
const conditionsArb: fc.Arbitrary<number[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<number[]>([]) },
  { weight: 2, arbitrary: fc.constant<number[]>([5_000, 10_000]) },
  {
    weight: 2,
    arbitrary: fc
      .uniqueArray(fc.oneof(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(1, 5_000, 9_999, 10_000)), {
        minLength: 1,
        maxLength: 2,
      })
      .map((c) => c.sort((a, b) => a - b)),
  },
);

/** A history and its conditions: the n-th pledge op of the history signs condition `picks[n % 64]` (clamped to 0..K). */
interface ConditionalHistorySpec extends HistorySpec {
  conditions: number[];
  conditionPicks: number[];
}

const conditionalHistoryArb: fc.Arbitrary<ConditionalHistorySpec> = fc
  .tuple(historyArb, conditionsArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 64, maxLength: 64 }))
  .map(([spec, conditions, conditionPicks]) => ({ ...spec, conditions, conditionPicks }));

const RUNS = Number(process.env.BASCULE_PROPERTY_RUNS ?? "1000");
const SEED = process.env.BASCULE_PROPERTY_SEED === undefined ? undefined : Number(process.env.BASCULE_PROPERTY_SEED);
const FUNDING = 1n << 100n;
/** Campaigns for the rules property (each runs a few dozen transactions and views); at least 200, so every skip reason and entitlement state comes up. */
const RULE_RUNS = Math.max(200, Math.ceil(RUNS / 5));
/**
 * The gas limit of every transaction the test expects to succeed (EIP-7825's cap per transaction), so
 * that Hardhat does not estimate the gas first. Its estimation (eth_estimateGas) runs the transaction
 * several times over, six to seven times the cost of the transaction itself, and was most of this
 * file's time. Transactions expected to revert keep the estimation (`Driver.reverts`): it fails, so they
 * are never mined and cost their sender nothing (the balances the test checks stay exact).
 */
const GAS_LIMIT = 1n << 24n;
/** Fees of the test's transactions: a cap far above the base fee of these blocks, no tip. */
const FEES = { maxFeePerGas: toHex(100n * 10n ** 9n), maxPriorityFeePerGas: "0x0" };

/** libsecp256k1 (the relayer's native binding), where it loads. */
const secp256k1 = (() => {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings.js") as {
      ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): { signature: Uint8Array; recid: number };
    };
  } catch {
    return null;
  }
})();

/**
 * An account whose EIP-712 signatures come from libsecp256k1: the very signatures viem's account
 * makes (RFC 6979 nonces, low s; `differentialFixture` checks it), about 40 times faster. Signing in
 * JS was a fifth of the differential property's time (some 50 signatures a history). Falls back to
 * viem's account where the binding does not load.
 */
function signingAccount(privateKey: Hex): LocalAccount {
  const account = privateKeyToAccount(privateKey);
  const native = secp256k1;
  if (native === null) return account;
  const secret = hexToBytes(privateKey);
  return {
    ...toAccount({
      address: account.address,
      signMessage: account.signMessage,
      signTransaction: account.signTransaction,
      async signTypedData(typedData) {
        const { signature, recid } = native.ecdsaSign(hexToBytes(typedDataDigest(typedData as never)), secret);
        return `${bytesToHex(signature)}${(27 + recid).toString(16)}` as Hex;
      },
    }),
    publicKey: account.publicKey,
  };
}

const domainSeparators = new Map<string, Hex>();
const typeHashes = new Map<string, Hex | null>();
/** EIP-712's atomic types: each encoded in one 32-byte word. */
const ATOMIC =
  /^(u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)?|address|bool|bytes([1-9]|[12][0-9]|3[0-2]))$/;

/** One atomic value as EIP-712 encodes it. */
function word(type: string, value: unknown): string {
  if (type === "address") return (value as string).slice(2).toLowerCase().padStart(64, "0");
  if (type === "bool") return (value ? "1" : "0").padStart(64, "0");
  if (type.startsWith("bytes")) return (value as string).slice(2).padEnd(64, "0");
  return BigInt.asUintN(256, BigInt(value as bigint | number))
    .toString(16)
    .padStart(64, "0");
}

/**
 * hashStruct for a struct of atomic fields (Pledge, Voucher, Claim), its type hash computed once;
 * viem's for anything else.
 */
function structHash(
  primaryType: string,
  types: Record<string, readonly TypedDataParameter[]>,
  data: Record<string, unknown>,
): Hex {
  const fields = types[primaryType];
  const key = `${primaryType}${JSON.stringify(fields)}`;
  let typeHash = typeHashes.get(key);
  if (typeHash === undefined) {
    typeHash = fields.every((f) => ATOMIC.test(f.type))
      ? keccak256(toHex(`${primaryType}(${fields.map((f) => `${f.type} ${f.name}`).join(",")})`))
      : null;
    typeHashes.set(key, typeHash);
  }
  if (typeHash === null) return hashStruct({ data, primaryType, types } as never);
  return keccak256(`${typeHash}${fields.map((f) => word(f.type, data[f.name])).join("")}`);
}

/**
 * hashTypedData's digest, the domain separator computed once per campaign and each type hash once:
 * viem hashes the domain and the type again for every message, most of the time of hashing a pledge.
 */
function typedDataDigest(typedData: {
  domain?: TypedDataDomain;
  types: Record<string, readonly TypedDataParameter[]>;
  primaryType: string;
  message: Record<string, unknown>;
}): Hex {
  const { domain = {}, types, primaryType, message } = typedData;
  if (primaryType === "EIP712Domain") return hashTypedData(typedData as never);
  const key = JSON.stringify([
    domain.name,
    domain.version,
    String(domain.chainId),
    domain.verifyingContract,
    domain.salt,
  ]);
  let separator = domainSeparators.get(key);
  if (separator === undefined) {
    separator = hashDomain({ domain, types: { EIP712Domain: getTypesForEIP712Domain({ domain }), ...types } } as never);
    domainSeparators.set(key, separator);
  }
  return keccak256(concat(["0x1901", separator, structHash(primaryType, types, message)]));
}

/** The default attester, signing with libsecp256k1. */
const ATTESTER = signingAccount(DEFAULT_ATTESTER_KEY);

async function differentialFixture() {
  const base = await deployFactory();
  const [relayer, ...rest] = base.others;
  const donors = rest.slice(0, DONORS);
  const [stranger, feeRecipient] = rest.slice(DONORS, DONORS + 2);
  const token = await ethers.deployContract("TestStablecoin");
  for (const d of donors) {
    await networkHelpers.setBalance(d.address, FUNDING);
    await (await token.mint(d.address, FUNDING)).wait();
  }
  // Pledge keys are fixed (deterministic) and reused: each history signs for its own campaign.
  const keys = Array.from({ length: MAX_KEYS }, (_, i) =>
    signingAccount(ethers.zeroPadValue(ethers.toBeHex(0xba5c01e0000n + BigInt(i)), 32) as Hex),
  );
  // The native signatures are viem's, byte for byte (a pledge, a voucher and a claim by a key).
  const probe = { campaign: keys[1].address, chainId: 31337 };
  const viemKey = privateKeyToAccount(ethers.zeroPadValue(ethers.toBeHex(0xba5c01e0000n), 32) as Hex);
  for (const [fast, slow] of [
    [keys[0], viemKey],
    [ATTESTER, DEFAULT_ATTESTER],
  ] as const) {
    const message = { level: 3, support: 12_345n, condition: 1, nonce: 7 };
    expect(await signPledge(fast, probe.campaign, probe.chainId, message)).to.eql(
      await signPledge(slow, probe.campaign, probe.chainId, message),
    );
    expect(await signVoucher(fast, probe.campaign, probe.chainId, keys[2].address)).to.eql(
      await signVoucher(slow, probe.campaign, probe.chainId, keys[2].address),
    );
    const claim = { payee: keys[3].address, feeRecipient: ZERO, maxFee: 9n };
    expect(await signClaim(fast, probe.campaign, probe.chainId, claim)).to.eql(
      await signClaim(slow, probe.campaign, probe.chainId, claim),
    );
  }
  const chainId = (await ethers.provider.getNetwork()).chainId;
  return {
    ...base,
    relayer,
    donors,
    stranger,
    feeRecipient,
    token,
    keys,
    chainId,
  };
}

type Env = Awaited<ReturnType<typeof differentialFixture>>;

// ------------------------------------------------------------------ talking to the node

/*
 * The campaigns are driven through the node's JSON-RPC directly, calls encoded and decoded by viem: an
 * ethers contract call cost about three times the node's own work (a view 1.0 ms against 0.3 ms; a
 * transaction 2.7 ms against 1.3 ms, ethers asking the block number, the fee history, the priority fee
 * and the transaction before its receipt), most of what was left of this file's time. The checks are
 * the same: `reverts` is what `revertedWithCustomError(...).withArgs(...)` checked, and the
 * events of a receipt what `emit(...).withArgs(...)` checked (here: exactly one such event).
 */
const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> =>
  (await connection.provider.request({ method, params })) as T;

type CampaignAbi = typeof campaignAbi;
type ViewName = ContractFunctionName<CampaignAbi, "view" | "pure">;
type WriteName = ContractFunctionName<CampaignAbi, "nonpayable" | "payable">;
type EventName = ContractEventName<CampaignAbi>;

/** A sender: an ethers signer or anything else with an address the node holds the key of. */
interface From {
  address: string;
}

/** What a mined transaction left: its cost to the sender in wei, and the campaign's logs. */
interface Mined {
  fee: bigint;
  logs: RpcLog[];
}

/** The campaign at `address`, as the test drives it. */
interface Driver {
  address: Address;
  /** A view, as viem decodes it: uint8..uint48 as numbers, wider integers as bigints. */
  read<N extends ViewName>(
    functionName: N,
    args: ContractFunctionArgs<CampaignAbi, "view" | "pure", N>,
  ): Promise<ContractFunctionReturnType<CampaignAbi, "view" | "pure", N>>;
  /** A transaction the test expects to succeed: mined at once (automine), its status checked. */
  send<N extends WriteName>(
    from: From,
    functionName: N,
    args: ContractFunctionArgs<CampaignAbi, "nonpayable" | "payable", N>,
    value?: bigint,
  ): Promise<Mined>;
  /**
   * A transaction the test expects to revert with the campaign's custom error `error`, with `errorArgs`
   * when given. Only estimated, as Hardhat did with ethers' transaction: never mined.
   */
  reverts<N extends WriteName>(
    from: From,
    functionName: N,
    args: ContractFunctionArgs<CampaignAbi, "nonpayable" | "payable", N>,
    error: ContractErrorName<CampaignAbi>,
    errorArgs?: readonly unknown[],
  ): Promise<void>;
}

function driver(address: Address): Driver {
  const encode = (functionName: string, args: readonly unknown[]) =>
    encodeFunctionData({ abi: campaignAbi, functionName, args } as EncodeFunctionDataParameters<CampaignAbi>);
  return {
    address,
    async read(functionName, args) {
      const call = { to: address, data: encode(functionName, args as readonly unknown[]) };
      const data = await rpc<Hex>("eth_call", [call, "latest"]);
      return decodeFunctionResult({ abi: campaignAbi, functionName, data } as DecodeFunctionResultParameters) as never;
    },
    async send(from, functionName, args, value = 0n) {
      return transact(from, address, encode(functionName, args as readonly unknown[]), value);
    },
    async reverts(from, functionName, args, error, errorArgs) {
      const data = encode(functionName, args as readonly unknown[]);
      let failure: unknown = null;
      try {
        await rpc("eth_estimateGas", [{ from: from.address, to: address, data }]);
      } catch (e) {
        failure = e;
      }
      expect(failure, `${functionName} reverts with ${error}`).to.not.eql(null);
      const revert = decodeErrorResult({ abi: campaignAbi, data: (failure as { data?: Hex }).data ?? "0x" });
      expect(revert.errorName, `${functionName}: the custom error`).to.eql(error);
      if (errorArgs !== undefined) expect(revert.args, `${functionName}: ${error}'s arguments`).to.eql(errorArgs);
    },
  };
}

/**
 * Creates a campaign as `organiser` (as fixtures.ts's createCampaign does), and drives it at the
 * address its CampaignCreated event gives.
 */
async function newCampaign(factory: Factory, organiser: From, params: CampaignParams): Promise<Driver> {
  const at = (await factory.getAddress()) as Address;
  const args = [params as never, "ipfs://bascule-demo", ethers.ZeroHash as Hex] as const;
  const mined = await transact(
    organiser,
    at,
    encodeFunctionData({ abi: campaignFactoryAbi, functionName: "createCampaign", args }),
  );
  const created = parseEventLogs({ abi: campaignFactoryAbi, logs: mined.logs, eventName: "CampaignCreated" });
  expect(
    created.map((e) => e.args.organiser),
    "CampaignCreated",
  ).to.eql([organiser.address]);
  return driver(created[0].args.campaign);
}

/** Sends a transaction the test expects to succeed, and returns its cost and the campaign's events in it. */
async function transact(from: From, to: Address, data: Hex, value = 0n): Promise<Mined> {
  const hash = await rpc<Hex>("eth_sendTransaction", [
    { from: from.address, to, data, value: toHex(value), gas: toHex(GAS_LIMIT), ...FEES },
  ]);
  const receipt = await rpc<{ status: Hex; gasUsed: Hex; effectiveGasPrice: Hex; logs: RpcLog[] }>(
    "eth_getTransactionReceipt",
    [hash],
  );
  expect(receipt.status, "the transaction succeeds").to.eql("0x1");
  return {
    fee: BigInt(receipt.gasUsed) * BigInt(receipt.effectiveGasPrice),
    logs: receipt.logs.filter((l) => l.address.toLowerCase() === to.toLowerCase()),
  };
}

/** The arguments of the campaign's `eventName` events in `mined`, in order. */
function eventsNamed<N extends EventName>(mined: Mined, eventName: N) {
  return parseEventLogs({ abi: campaignAbi, logs: mined.logs, eventName }).map(
    (e) => e.args as DecodeEventLogReturnType<CampaignAbi, N>["args"],
  );
}

/** An ERC-20 balance. */
async function tokenBalance(token: Address, who: string): Promise<bigint> {
  const data = encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [who as Address] });
  return decodeFunctionResult({
    abi: erc20Abi,
    functionName: "balanceOf",
    data: await rpc<Hex>("eth_call", [{ to: token, data }, "latest"]),
  });
}

/** An ETH balance. */
async function ethBalance(who: string): Promise<bigint> {
  return BigInt(await rpc<Hex>("eth_getBalance", [who, "latest"]));
}

/** The latest block's time. */
async function latest(): Promise<bigint> {
  return BigInt((await rpc<{ timestamp: Hex }>("eth_getBlockByNumber", ["latest", false])).timestamp);
}

/** The contract's event log, as the model's history events. */
async function eventHistory(address: Address, fromBlock: number): Promise<model.HistoryEvent[]> {
  const logs = await rpc<RpcLog[]>("eth_getLogs", [{ address, fromBlock: toHex(fromBlock), toBlock: "latest" }]);
  const events: model.HistoryEvent[] = [];
  for (const e of parseEventLogs({ abi: campaignAbi, logs })) {
    switch (e.eventName) {
      case "Pledged":
      case "PledgeChanged":
        events.push({
          kind: e.eventName,
          pledgeKey: e.args.pledgeKey,
          level: Number(e.args.level),
          support: e.args.support,
          condition: Number(e.args.condition),
        });
        break;
      case "PledgeWithdrawn":
        events.push({ kind: "PledgeWithdrawn", pledgeKey: e.args.pledgeKey });
        break;
      case "Donated":
        events.push({
          kind: "Donated",
          donationId: e.args.donationId,
          donor: e.args.donor,
          level: Number(e.args.level),
          amount: e.args.amount,
        });
        break;
      case "DonationWithdrawn":
        events.push({
          kind: "DonationWithdrawn",
          donationId: e.args.donationId,
        });
        break;
    }
  }
  return events;
}

/** history() as a replay of the contract's log recomputes it (packages/core/src/history.ts). */
async function replayedHistory(address: Address, fromBlock: number): Promise<History> {
  const logs = await rpc<RpcLog[]>("eth_getLogs", [{ address, fromBlock: toHex(fromBlock), toBlock: "latest" }]);
  const digest = new HistoryDigest();
  for (const log of logs) if (decodeHistoryLog(log) !== null) digest.add(log);
  return digest.value();
}

/** What the histories covered, printed after the run so a reader can see they are not degenerate. */
const stats = {
  succeeded: 0,
  failed: 0,
  tippingAbove8: 0,
  maxTipping: 0,
  erc20: 0,
  claims: 0,
  reclaims: 0,
  skipped: 0,
  dust: 0n,
  conditional: 0,
  conditionBound: 0,
  conditionalOut: 0,
};

let payeeCounter = 0n;
/** A payee nobody else uses: its balance is exactly what it was paid. */
function freshPayee(): Address {
  payeeCounter += 1n;
  return ethers.getAddress(ethers.toBeHex(0xfa7ee0000000000000000000000000000000000n + payeeCounter, 20)) as Address;
}

async function runHistory(env: Env, spec: ConditionalHistorySpec): Promise<void> {
  const { factory, organiser, relayer, donors, stranger, feeRecipient, token, keys, chainId } = env;
  const plan = planHistory(spec);
  const m = spec.ladder.length;
  const K = spec.conditions.length;
  // The condition each pledge op signs (the n-th op of the history, 0 where the pick is above K), and the
  // one the campaign must record for each key at the end (0 for a withdrawal or a pledge asking nothing).
  let opIndex = 0;
  const signedConditions = new Map<(typeof plan.steps)[number], number[]>();
  const recordedCondition = new Map<number, number>();
  let everConditional = false;
  for (const step of plan.steps) {
    if (step.kind !== "pledges") continue;
    const conditions = step.ops.map((op) => {
      const pick = spec.conditionPicks[opIndex++ % spec.conditionPicks.length];
      const condition = pick <= K ? pick : 0;
      const recorded = op.level === 0 || op.support === 0n ? 0 : condition;
      recordedCondition.set(op.key, recorded);
      if (recorded !== 0) everConditional = true;
      return condition;
    });
    signedConditions.set(step, conditions);
  }
  const tokenAddress = await token.getAddress();
  const params = await defaultParams({
    token: spec.erc20 ? tokenAddress : ZERO,
    supportCap: spec.cap,
    conditions: spec.conditions,
    ladder: spec.ladder,
    pledgeDeadline: BigInt(await networkHelpers.time.latest()) + BigInt(10 * DAY),
  });
  params.actionDate = params.pledgeDeadline + BigInt(DAY);
  const claimEnd = params.actionDate + params.claimWindow;
  const campaign = await newCampaign(factory, organiser, params);
  const { address } = campaign;
  const fromBlock = Number(BigInt(await rpc<Hex>("eth_blockNumber")));

  const balanceOf = async (who: string): Promise<bigint> =>
    spec.erc20 ? tokenBalance(tokenAddress as Address, who) : ethBalance(who);
  /** What a signer's transaction costs it in the campaign's currency. */
  const gas = (mined: Mined): bigint => (spec.erc20 ? 0n : mined.fee);

  const usedDonors = [...new Set(plan.donations.map((d) => d.donor))];
  if (spec.erc20) {
    for (const i of usedDonors) {
      const approve = encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [address, maxUint256] });
      await transact(donors[i], tokenAddress as Address, approve);
    }
  }
  const donorStart = await Promise.all(donors.map((d) => balanceOf(d.address)));
  const donorDelta = donors.map(() => 0n);
  const feeStart = await balanceOf(feeRecipient.address);

  // The ledger the test keeps: what the escrow must hold, and what it still owes.
  let escrow = 0n;
  const expectEscrow = async (owed: bigint) => {
    const held = await balanceOf(address);
    expect(held).to.eql(escrow, "escrow balance equals everything in minus everything out");
    expect(held >= owed, `solvency: escrow ${held} holds what it owes ${owed}`).to.eql(true);
  };

  // ------------------------------------------------------------ before the deadline
  const lastTx = plan.steps.findLastIndex((s) => s.kind !== "wait");
  const used: SignedPledge[] = [];
  for (const [i, step] of plan.steps.entries()) {
    if (i > lastTx && step.kind === "wait") break;
    if (i === lastTx && spec.lastAtDeadline) await networkHelpers.time.setNextBlockTimestamp(params.pledgeDeadline);
    switch (step.kind) {
      case "pledges": {
        const conditions = signedConditions.get(step)!;
        const batch = await Promise.all(
          step.ops.map(async (op, j) =>
            signPledge(
              keys[op.key],
              address,
              chainId,
              { level: op.level, support: op.support, condition: conditions[j], nonce: op.nonce },
              // The campaign is gated by the default attester: a key's first pledge carries its voucher.
              op.nonce === 0 ? await signVoucher(ATTESTER, address, chainId, keys[op.key].address) : "0x",
            ),
          ),
        );
        // Copies of pledges already on-chain, appended at the end: each is skipped, the batch lands.
        const copies = used.slice(0, Math.min(used.length, spec.replays[i % spec.replays.length] ?? 0));
        const mined = await (batch.length === 1 && copies.length === 0
          ? campaign.send(relayer, "pledge", [encodePledge(batch[0])])
          : campaign.send(relayer, "pledgeBatch", [encodePledges([...batch, ...copies])]));
        const skipped = eventsNamed(mined, "PledgeSkipped").map((e) => [e.index, BigInt(e.reason)]);
        expect(skipped).to.eql(copies.map((_, j) => [BigInt(batch.length + j), 1n])); // InvalidNonce
        stats.skipped += copies.length;
        used.push(...batch);
        break;
      }
      case "donate": {
        const mined = await campaign.send(
          donors[step.donor],
          "donate",
          [BigInt(step.level), step.amount],
          spec.erc20 ? 0n : step.amount,
        );
        donorDelta[step.donor] -= step.amount + gas(mined);
        escrow += step.amount;
        break;
      }
      case "withdrawDonation": {
        // Nobody but the donor moves a donation before resolution, the organiser included.
        const other = step.id % 2n === 0n ? stranger : organiser;
        await campaign.reverts(other, "withdrawDonation", [step.id], "NotDonor", [step.id, other.address]);
        const mined = await campaign.send(donors[step.donor], "withdrawDonation", [step.id]);
        donorDelta[step.donor] += step.amount - gas(mined);
        escrow -= step.amount;
        break;
      }
      case "wait":
        await networkHelpers.time.increase(step.seconds);
        break;
    }
    await expectEscrow(escrow);
  }

  // Resolution waits for the deadline.
  if ((await latest()) < params.pledgeDeadline) {
    await campaign.reverts(organiser, "resolve", [], "PledgeDeadlineNotPassed", [params.pledgeDeadline]);
  }
  await networkHelpers.time.increaseTo(params.pledgeDeadline + 1n);

  // ------------------------------------------- the model replays the contract's log
  const state = model.replay(await eventHistory(address, fromBlock));
  // The log records exactly what was sent: pledges per key, donations still in escrow.
  expect(state.pledges.size).to.eql(plan.pledges.size);
  for (const [k, p] of plan.pledges) {
    expect(state.pledges.get(keys[k].address.toLowerCase()), `pledge of key ${k}`).to.eql({
      ...p,
      condition: recordedCondition.get(k) ?? 0,
    });
  }
  const live = plan.donations.filter((d) => !d.withdrawn);
  expect([...state.donations.values()]).to.eql(
    live.map((d) => ({
      id: d.id,
      donor: donors[d.donor].address,
      level: d.level,
      amount: d.amount,
    })),
  );
  const t = model.tallies(m, state, K);
  const [[counts, requested, donated], [conditionCounts, conditionRequested], status, [historyCount, digest]] =
    await Promise.all([
      campaign.read("levelTallies", []),
      campaign.read("conditionTallies", []),
      campaign.read("status", []),
      campaign.read("history", []),
    ]);
  // The contract's history() is what a replay of its log recomputes: a count and digest of every event.
  expect({ count: historyCount, digest: digest.toLowerCase() }).to.eql(
    await replayedHistory(address, fromBlock),
    "history() against the replayed log",
  );
  expect(counts.map(BigInt)).to.eql(t.counts, "counts per level");
  expect([...requested]).to.eql(t.requested, "support requested per level");
  expect([...donated]).to.eql(t.donated, "donations per level");
  expect(conditionCounts.map((c) => c.map(BigInt))).to.eql(
    (t.conditional ?? []).map((c) => c.counts),
    "counts per condition and level",
  );
  expect(conditionRequested.map((c) => [...c])).to.eql(
    (t.conditional ?? []).map((c) => c.requested),
    "support requested per condition and level",
  );
  expect(status.conditional).to.eql(everConditional, "Status.conditional");

  const r = model.resolve(spec.ladder, t, spec.conditions);
  stats[r.succeeded ? "succeeded" : "failed"] += 1;
  if (everConditional) stats.conditional += 1;
  if (r.boundCondition !== 0) stats.conditionBound += 1;
  if (r.tippingLevel > 8) stats.tippingAbove8 += 1;
  stats.maxTipping = Math.max(stats.maxTipping, r.tippingLevel);
  if (spec.erc20) stats.erc20 += 1;
  const resolution = await campaign.send(relayer, "resolve", []);
  expect(eventsNamed(resolution, "CampaignResolved"), "CampaignResolved").to.eql([
    {
      tippingLevel: BigInt(r.tippingLevel),
      committed: r.committed,
      triggeredDonations: r.triggeredDonations,
      requestedSupport: r.requestedSupport,
      paid: r.paid,
      boundCondition: BigInt(r.boundCondition),
      boundConditionLevel: BigInt(r.boundConditionLevel),
    },
  ]);
  const st = await campaign.read("status", []);
  expect([
    BigInt(st.phase),
    BigInt(st.tippingLevel),
    BigInt(st.committed),
    st.triggeredDonations,
    st.requestedSupport,
    BigInt(st.boundCondition),
    BigInt(st.boundConditionLevel),
  ]).to.eql([
    2n,
    BigInt(r.tippingLevel),
    r.committed,
    r.triggeredDonations,
    r.requestedSupport,
    BigInt(r.boundCondition),
    BigInt(r.boundConditionLevel),
  ]);
  expect(st.claimedTotal).to.eql(0n);
  expect(st.donationCount).to.eql(BigInt(plan.donations.length));
  await campaign.reverts(organiser, "resolve", [], "AlreadyResolved");

  // ------------------------------------------------------------ entitlements
  // Donations are triggered at every level <= j*; a pledge binds by (j*, k*, j*_k) (MECHANISM.md).
  const triggeredLevel = (level: number) => r.succeeded && level >= 1 && level <= r.tippingLevel;
  const bound = (k: number) => {
    const p = plan.pledges.get(k)!;
    return model.binds(r, { level: p.level, condition: recordedCondition.get(k) ?? 0 });
  };
  const entitled = new Map<number, bigint>();
  const isBound = new Map(
    await Promise.all(
      [...plan.pledges.keys()].map(async (k) => [k, await campaign.read("isBound", [keys[k].address])] as const),
    ),
  );
  for (const [k, p] of plan.pledges) {
    const share = bound(k) ? model.supportShare(p.support, r) : 0n;
    entitled.set(k, share);
    expect(isBound.get(k), `isBound of key ${k}`).to.eql(bound(k));
    const condition = recordedCondition.get(k) ?? 0;
    if (bound(k) && condition !== 0) {
      // A bound pledge's condition holds: it receives at least c_k of its request.
      expect(share >= (BigInt(spec.conditions[condition - 1]) * p.support) / 10_000n, `condition of key ${k}`).to.eql(
        true,
      );
    }
    if (!bound(k) && triggeredLevel(p.level)) stats.conditionalOut += 1;
  }
  const untriggered = (d: (typeof live)[number]) => !triggeredLevel(d.level);
  const triggeredDonations = live.filter((d) => !untriggered(d));
  const surplusPending = new Set(triggeredDonations.map((d) => d.id));
  const refundPending = new Set(live.filter(untriggered).map((d) => d.id));
  const remainderPending = new Set(triggeredDonations.map((d) => d.id));
  const claimed = new Set<number>();
  let claimedTotal = 0n;
  let fees = 0n;
  let windowClosed = false;

  /** Everything the escrow still owes (MECHANISM.md, Resolution 4-5), by the model. */
  const owed = () => {
    let sum = fees;
    for (const d of live) {
      if (refundPending.has(d.id)) sum += d.amount;
      if (surplusPending.has(d.id)) sum += model.surplusShare(d.amount, r);
      if (windowClosed && remainderPending.has(d.id)) sum += model.remainderShare(d.amount, r, claimedTotal);
    }
    // While beneficiaries may still claim, all of paid − claimed is owed (to them or, later, to donors).
    if (!windowClosed && r.succeeded) sum += r.paid - claimedTotal;
    return sum;
  };

  const claim = async (k: number, payee: Address) => {
    const share = entitled.get(k) ?? 0n;
    const fee = (share * BigInt(spec.feeFraction[k])) / 256n;
    const signed = await signClaim(keys[k], address, chainId, {
      payee,
      feeRecipient: fee === 0n && k % 2 === 0 ? ZERO : (feeRecipient.address as Address),
      maxFee: fee + BigInt(k % 3),
      fee,
    });
    return { share, fee, signed };
  };

  const reclaim = async (d: (typeof live)[number], expected: bigint) => {
    expect(dueNow(await campaign.read("reclaimable", [d.id])), `reclaimable(${d.id})`).to.eql(expected);
    const donor = donors[d.donor];
    if (expected === 0n) {
      await campaign.reverts(donor, "reclaimDonation", [d.id], "NothingToClaim");
      return;
    }
    donorDelta[d.donor] += expected - gas(await campaign.send(donor, "reclaimDonation", [d.id]));
    escrow -= expected;
    stats.reclaims += 1;
  };

  // Inside the claim window (leaving room for one block per transaction before its end).
  const resolvedAt = await latest();
  const early = resolvedAt + BigInt(spec.earlyDelay);
  await networkHelpers.time.increaseTo(early < claimEnd - 300n ? early : claimEnd - 300n);

  for (const k of plan.pledges.keys()) {
    const share = entitled.get(k) ?? 0n;
    if (!spec.claimsEarly[k]) {
      // The view, for a sample of those who do not claim now (every claimant's is checked below).
      if (k < 8)
        expect(
          dueNow(await campaign.read("claimableSupport", [keys[k].address])),
          `claimableSupport of key ${k}`,
        ).to.eql(share);
      continue;
    }
    expect(dueNow(await campaign.read("claimableSupport", [keys[k].address])), `claimableSupport of key ${k}`).to.eql(
      share,
    );
    const payee = freshPayee();
    const { fee, signed } = await claim(k, payee);
    if (!r.succeeded) await campaign.reverts(relayer, "claim", [signed], "CampaignFailed");
    else if (!bound(k)) {
      await campaign.reverts(relayer, "claim", [signed], "PledgeNotTriggered", [keys[k].address]);
    } else if (share === 0n) await campaign.reverts(relayer, "claim", [signed], "NothingToClaim");
    else {
      const mined = await campaign.send(relayer, "claim", [signed]);
      expect(eventsNamed(mined, "SupportClaimed"), "SupportClaimed").to.eql([
        { pledgeKey: keys[k].address, payee, amount: share, fee },
      ]);
      expect(await balanceOf(payee), "the payee receives the claim minus the relayer's fee").to.eql(share - fee);
      claimed.add(k);
      stats.claims += 1;
      claimedTotal += share;
      fees += fee;
      escrow -= share - fee;
      // Exactly once: the same signed claim, replayed, pays nothing.
      await campaign.reverts(relayer, "claim", [signed], "AlreadyClaimed", [keys[k].address]);
      await expectEscrow(owed());
    }
  }
  expect((await campaign.read("status", [])).claimedTotal).to.eql(claimedTotal);

  for (const [i, d] of plan.donations.entries()) {
    if (!spec.reclaimsEarly[i]) continue;
    if (d.withdrawn) {
      await campaign.reverts(donors[d.donor], "reclaimDonation", [d.id], "UnknownDonation", [d.id]);
      continue;
    }
    await campaign.reverts(stranger, "reclaimDonation", [d.id], "NotDonor", [d.id, stranger.address]);
    const expected = untriggered(d) ? d.amount : model.surplusShare(d.amount, r);
    await reclaim(d, expected);
    refundPending.delete(d.id);
    surplusPending.delete(d.id);
    await expectEscrow(owed());
    // Exactly once: a second reclaim inside the window pays nothing more.
    if (expected !== 0n) {
      const error = untriggered(d) ? "UnknownDonation" : "NothingToClaim";
      await campaign.reverts(donors[d.donor], "reclaimDonation", [d.id], error);
    }
  }

  // ---------------------------------------------------- at and after the window's end
  const unclaimed = [...plan.pledges.keys()].filter((k) => !claimed.has(k) && (entitled.get(k) ?? 0n) > 0n);
  if (spec.lateAtClaimEnd && unclaimed.length > 0) {
    // The last second of the window still accepts a claim.
    const k = unclaimed.shift() as number;
    const payee = freshPayee();
    const { share, fee, signed } = await claim(k, payee);
    await networkHelpers.time.setNextBlockTimestamp(claimEnd);
    await campaign.send(relayer, "claim", [signed]);
    expect(await balanceOf(payee)).to.eql(share - fee);
    claimed.add(k);
    stats.claims += 1;
    claimedTotal += share;
    fees += fee;
    escrow -= share - fee;
    await networkHelpers.mine(); // views now see the second after the window
  } else {
    await networkHelpers.time.increaseTo(claimEnd + 1n + BigInt(spec.earlyDelay % 1000));
  }
  windowClosed = true;
  await expectEscrow(owed());
  if (unclaimed.length > 0) {
    const k = unclaimed[0];
    expect((await campaign.read("claimableSupport", [keys[k].address]))[0]).to.eql(5); // Expired
    const { signed } = await claim(k, freshPayee());
    await campaign.reverts(relayer, "claim", [signed], "ClaimWindowClosed", [claimEnd]);
  }

  // Liveness: every donation takes the rest of its due.
  for (const d of live) {
    if (untriggered(d) && !refundPending.has(d.id)) continue; // already refunded in full
    const expected = untriggered(d)
      ? d.amount
      : (surplusPending.has(d.id) ? model.surplusShare(d.amount, r) : 0n) +
        model.remainderShare(d.amount, r, claimedTotal);
    await reclaim(d, expected);
    refundPending.delete(d.id);
    surplusPending.delete(d.id);
    if (expected !== 0n) remainderPending.delete(d.id);
    await expectEscrow(owed());
    if (expected !== 0n) {
      await campaign.reverts(donors[d.donor], "reclaimDonation", [d.id], "UnknownDonation", [d.id]);
    }
  }

  // Relayer fees are withdrawn once.
  expect(await campaign.read("feesOf", [feeRecipient.address as Address])).to.eql(fees);
  let feeGas = 0n;
  if (fees > 0n) {
    feeGas = gas(await campaign.send(feeRecipient, "withdrawFees", []));
    escrow -= fees;
    fees = 0n;
    await campaign.reverts(feeRecipient, "withdrawFees", [], "NothingToClaim");
  }

  // Final balances: escrow, each donor, the relayer; the escrow keeps at most rounding dust.
  await expectEscrow(owed());
  for (const [i, d] of donors.entries()) {
    expect(await balanceOf(d.address), `donor ${i}`).to.eql(donorStart[i] + donorDelta[i]);
  }
  const feeEnd = await balanceOf(feeRecipient.address);
  expect(feeEnd - feeStart + feeGas, "relayer fees").to.eql(await eventFees(address, fromBlock));
  const n = BigInt(triggeredDonations.length);
  const dust = n === 0n ? 0n : 2n * (n - 1n);
  expect(escrow <= dust, `escrow left ${escrow} wei, more than rounding dust ${dust}`).to.eql(true);
  if (!r.succeeded) expect(escrow).to.eql(0n);
  // The organiser has no power over the campaign: its parameters are those it was created with.
  const [after, creator] = await campaign.read("parameters", []);
  expect(creator).to.eql(organiser.address);
  expect([after.token, after.pledgeDeadline, after.actionDate, after.claimWindow, after.supportCap]).to.eql([
    params.token,
    params.pledgeDeadline,
    params.actionDate,
    params.claimWindow,
    params.supportCap,
  ]);
  expect([...after.conditions].map(Number)).to.eql(spec.conditions);
  expect([...after.ladder].map(Number)).to.eql(spec.ladder);
  await campaign.reverts(organiser, "initialize", [], "NotFactory");
  stats.dust += escrow;
}

/** Sum of the fees credited by SupportClaimed events (what the relayer must have received). */
async function eventFees(address: Address, fromBlock: number): Promise<bigint> {
  const logs = await rpc<RpcLog[]>("eth_getLogs", [{ address, fromBlock: toHex(fromBlock), toBlock: "latest" }]);
  return parseEventLogs({ abi: campaignAbi, logs, eventName: "SupportClaimed" }).reduce(
    (sum, log) => sum + log.args.fee,
    0n,
  );
}

/** What an entitlement view says the action pays now: its amount when Due (3), else nothing. */
function dueNow([state, amount]: readonly [number, bigint]): bigint {
  return state === 3 ? amount : 0n;
}

// ------------------------------------------------------------------ the rules around the escrow

const RULE_KEYS = 8;
const RULE_DONORS = 3;

const ruleSpecArb = fc
  .record({
    ladder: fc
      .uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 })
      .map((l) => l.sort((a, b) => a - b)),
    cap: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0n) },
      { weight: 3, arbitrary: fc.constantFrom(1_000n, (1n << 90n) - 1n) },
    ),
    attester: fc.boolean(),
    oracle: fc.boolean(),
    oracleWindowDays: fc.integer({ min: 1, max: 3 }),
    claimWindowDays: fc.integer({ min: 1, max: 20 }),
    finalLockDays: fc.constantFrom(0, 1, 3, 7),
    conditions: conditionsArb,
    steps: fc.array(
      fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant("pledges" as const),
            items: fc.array(
              fc.record({
                key: fc.integer({ min: 0, max: RULE_KEYS - 1 }),
                // Mostly a level of the ladder (taken modulo its length), sometimes a withdrawal or one above it.
                level: fc.oneof(
                  { weight: 8, arbitrary: fc.integer({ min: 1, max: 4 }) },
                  { weight: 1, arbitrary: fc.constantFrom(0, 5) },
                ),
                // 0: none, 1: some, 2: the cap, 3: the cap + 1, 4: the cap again (a level's total may overflow).
                support: fc.integer({ min: 0, max: 4 }),
                // Mostly a condition of the campaign (taken modulo K + 1), one in five above K (ConditionOutOfRange).
                condition: fc.nat(9),
                nonceOffset: fc.oneof(
                  { weight: 6, arbitrary: fc.constant(0) },
                  { weight: 1, arbitrary: fc.constantFrom(-1, 1) },
                ),
                voucher: fc.oneof(
                  { weight: 6, arbitrary: fc.constant("valid" as const) },
                  { weight: 1, arbitrary: fc.constantFrom("missing" as const, "forged" as const) },
                ),
              }),
              { minLength: 1, maxLength: 5 },
            ),
            single: fc.boolean(),
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant("donate" as const),
            donor: fc.integer({ min: 0, max: RULE_DONORS - 1 }),
            level: fc.integer({ min: 1, max: 4 }),
            amount: fc.bigInt({ min: 1n, max: 10n ** 15n }),
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("withdrawDonation" as const), pick: fc.nat() }) },
        {
          weight: 1,
          arbitrary: fc.record({ kind: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: 3 * DAY }) }),
        },
        {
          weight: 1,
          arbitrary: fc.record({ kind: fc.constant("intoLock" as const), seconds: fc.integer({ min: 1, max: 600 }) }),
        },
      ),
      { minLength: 1, maxLength: 14 },
    ),
    /** Seconds after the deadline the campaign is resolved: sometimes after its base claim window. */
    resolveDelay: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: DAY }) },
      { weight: 1, arbitrary: fc.integer({ min: 20 * DAY, max: 40 * DAY }) },
    ),
    /** Moments after resolution at which every view is compared with the model, and what happens then. */
    checkpoints: fc.array(
      fc.record({
        seconds: fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: 0, max: 3 * DAY }) },
          { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 * DAY }) },
        ),
        publish: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        claims: fc.array(fc.integer({ min: 0, max: RULE_KEYS - 1 }), { maxLength: 4 }),
        reclaims: fc.array(fc.nat(), { maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map((s) => ({
    ...s,
    ladder: s.ladder.length ? s.ladder : [1],
    attester: s.attester || (s.cap !== 0n && !s.oracle),
    // The factory refuses conditions without a support cap.
    conditions: s.cap === 0n ? [] : s.conditions,
  }));

type RuleSpec = typeof ruleSpecArb extends fc.Arbitrary<infer T> ? T : never;

/** The custom error `pledge` reverts with for an item `pledgeBatch` skips. */
const SKIP_ERRORS: Record<model.SkipReasonName, ContractErrorName<CampaignAbi>> = {
  InvalidSignature: "InvalidSignature",
  InvalidNonce: "InvalidNonce",
  InvalidVoucher: "InvalidVoucher",
  LevelOutOfRange: "LevelOutOfRange",
  SupportAboveCap: "SupportAboveCap",
  NotPledged: "NotPledged",
  FinalLock: "FinalLockActive",
  LevelLimitExceeded: "LevelLimitExceeded",
  ConditionOutOfRange: "ConditionOutOfRange",
};

const ruleStats = { skipped: new Map<string, number>(), entitlements: new Map<string, number>(), lockRefusals: 0 };
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

async function runRules(env: Env, spec: RuleSpec): Promise<void> {
  const { factory, organiser, relayer, donors, keys, chainId } = env;
  const oracleSigner = env.stranger;
  const m = spec.ladder.length;
  const start = await latest();
  const params = await defaultParams({
    ladder: spec.ladder,
    supportCap: spec.cap,
    attester: spec.attester ? DEFAULT_ATTESTER.address : ZERO,
    oracle: spec.oracle ? oracleSigner.address : ZERO,
    oracleWindow: spec.oracle ? BigInt(spec.oracleWindowDays * DAY) : 0n,
    claimWindow: BigInt(spec.claimWindowDays * DAY),
    pledgeDeadline: start + BigInt(10 * DAY),
    finalLock: BigInt(spec.finalLockDays * DAY),
    actionDate: start + BigInt(11 * DAY),
    conditions: spec.conditions,
  });
  const K = spec.conditions.length;
  const campaign = await newCampaign(factory, organiser, params);
  const { address } = campaign;
  const clock = model.campaignClock(params);
  const forger = signingAccount(ethers.zeroPadValue("0xf0f0", 32) as Hex);

  // What the test expects the campaign to hold, kept by the model's rules alone.
  const pledges = new Map<number, model.PledgeState & { nonce: number; claimed: boolean }>();
  /** requested[k][level]: the support requested in the bucket (level, k), k = 0..2. */
  const requested = Array.from({ length: 3 }, () => Array.from({ length: m + 1 }, () => 0n));
  const donations: ({ level: number; amount: bigint; surplusTaken: boolean; donor: number } | null)[] = [];
  const supportOf = (pick: number): bigint =>
    [0n, spec.cap === 0n ? 0n : 1n + (spec.cap - 1n) / 3n, spec.cap, spec.cap + 1n, spec.cap][pick];

  /** The next block's time, fixed so the model knows it. */
  const nextBlock = async (after = 1n): Promise<bigint> => {
    const t = (await latest()) + after;
    await networkHelpers.time.setNextBlockTimestamp(t);
    return t;
  };

  // Every view at once (they read one state), then each compared in turn.
  const compareViews = async (ctx: model.EntitlementContext) => {
    const ids = Array.from({ length: donations.length + 1 }, (_, id) => id);
    const [[oracleEnd, claimEnd], claimable, reclaimable] = await Promise.all([
      campaign.read("windows", []),
      Promise.all(keys.slice(0, RULE_KEYS).map((key) => campaign.read("claimableSupport", [key.address]))),
      Promise.all(ids.map((id) => campaign.read("reclaimable", [BigInt(id)]))),
    ]);
    const w = model.windows(clock, ctx.resolvedAt);
    expect([oracleEnd, claimEnd], "windows()").to.eql([w.oracleEnd, w.claimEnd]);
    for (let k = 0; k < RULE_KEYS; k++) {
      const p = pledges.get(k) ?? { level: 0, support: 0n, condition: 0, claimed: false };
      const expected = model.claimEntitlement(ctx, p);
      const [state, amount] = claimable[k];
      expect([model.ENTITLEMENTS[Number(state)], amount], `claimableSupport of key ${k}`).to.eql([
        expected.state,
        expected.amount,
      ]);
      bump(ruleStats.entitlements, `claim ${expected.state}`);
    }
    for (const id of ids) {
      const expected = model.reclaimEntitlement(ctx, donations[id] ?? null, id < donations.length);
      const [state, amount] = reclaimable[id];
      expect([model.ENTITLEMENTS[Number(state)], amount], `reclaimable(${id})`).to.eql([
        expected.state,
        expected.amount,
      ]);
      bump(ruleStats.entitlements, `reclaim ${expected.state}`);
    }
  };

  // ------------------------------------------------------------ before the deadline
  for (const step of spec.steps) {
    if (step.kind === "wait") {
      await networkHelpers.time.increase(step.seconds);
      continue;
    }
    if (step.kind === "intoLock") {
      const target = model.lockStart(clock) + BigInt(step.seconds);
      if (target > (await latest())) await networkHelpers.time.increaseTo(target);
      continue;
    }
    if ((await latest()) + 1n > params.pledgeDeadline) break;
    if (step.kind === "donate") {
      if (step.level > m) continue;
      await nextBlock();
      await campaign.send(donors[step.donor], "donate", [BigInt(step.level), step.amount], step.amount);
      donations.push({ level: step.level, amount: step.amount, surplusTaken: false, donor: step.donor });
      continue;
    }
    if (step.kind === "withdrawDonation") {
      const live = donations.flatMap((d, id) => (d === null ? [] : [id]));
      if (live.length === 0) continue;
      const id = live[step.pick % live.length];
      const t = await nextBlock();
      const donor = donors[donations[id]!.donor];
      if (model.finalLockActive(clock, t)) {
        await campaign.reverts(donor, "withdrawDonation", [BigInt(id)], "FinalLockActive", [model.lockStart(clock)]);
        ruleStats.lockRefusals += 1;
      } else {
        await campaign.send(donor, "withdrawDonation", [BigInt(id)]);
        donations[id] = null;
      }
      continue;
    }
    // A batch: the model names each item's fate before the contract sees it.
    const t = await nextBlock();
    const locked = model.finalLockActive(clock, t);
    const signed: SignedPledge[] = [];
    const expected: [number, model.SkipReasonName][] = [];
    const state = new Map(pledges);
    const levelRequested = requested.map((row) => [...row]);
    for (const [i, item] of step.items.entries()) {
      const previous = state.get(item.key);
      const level = item.level === 0 ? 0 : item.level === 5 ? m + 1 : ((item.level - 1) % m) + 1;
      const nonce = Math.max(0, (previous?.nonce ?? 0) + item.nonceOffset);
      const support = supportOf(item.support);
      const voucher =
        item.voucher === "missing"
          ? "0x"
          : await signVoucher(item.voucher === "valid" ? ATTESTER : forger, address, chainId, keys[item.key].address);
      const condition = item.condition < 8 ? item.condition % (K + 1) : K + item.condition - 7;
      signed.push(await signPledge(keys[item.key], address, chainId, { level, support, condition, nonce }, voucher));
      const applied = level === 0 ? 0n : support;
      const recorded = model.recordedCondition({ level, support: applied, condition });
      const reason = model.pledgeSkipReason(
        {
          levels: m,
          supportCap: spec.cap,
          conditions: K,
          locked,
          voucherInvalid: spec.attester && (previous?.nonce ?? 0) === 0 && item.voucher !== "valid",
          levelRequested: level >= 1 && level <= m && recorded <= K ? levelRequested[recorded][level] : undefined,
        },
        previous,
        { level, support, condition, nonce },
      );
      if (reason !== null) {
        expected.push([i, reason]);
        continue;
      }
      if (previous && previous.level !== 0) levelRequested[previous.condition][previous.level] -= previous.support;
      if (level !== 0) levelRequested[recorded][level] += applied;
      state.set(item.key, { level, support: applied, condition: recorded, nonce: nonce + 1, claimed: false });
    }
    if (step.single && signed.length === 1) {
      const pledge = [encodePledge(signed[0])] as const;
      if (expected.length === 0) await campaign.send(relayer, "pledge", pledge);
      else if (expected[0][1] === "FinalLock") {
        await campaign.reverts(relayer, "pledge", pledge, "FinalLockActive", [model.lockStart(clock)]);
      } else await campaign.reverts(relayer, "pledge", pledge, SKIP_ERRORS[expected[0][1]]);
    } else {
      const mined = await campaign.send(relayer, "pledgeBatch", [encodePledges(signed)]);
      const skipped = eventsNamed(mined, "PledgeSkipped").map((e) => [
        Number(e.index),
        model.SKIP_REASONS[Number(e.reason)],
      ]);
      expect(skipped, "PledgeSkipped: index and reason of every item the model skips").to.eql(expected);
    }
    for (const [, reason] of expected) bump(ruleStats.skipped, reason);
    for (const [k, p] of state) pledges.set(k, p);
    requested.splice(0, requested.length, ...levelRequested);
    const [counts] = await campaign.read("conditionTallies", []);
    for (let k = 1; k <= K; k++) {
      const expectedCounts = Array.from({ length: m }, (_, l) =>
        BigInt([...pledges.values()].filter((p) => p.level === l + 1 && p.condition === k).length),
      );
      expect(counts[k - 1].map(BigInt), `conditionTallies counts of condition ${k}`).to.eql(expectedCounts);
    }
  }

  await compareViews({
    clock,
    now: await latest(),
    resolution: null,
    resolvedAt: 0n,
    rootPublished: false,
    claimedTotal: 0n,
  });

  // ------------------------------------------------------------ resolution, then the windows
  const now = await latest();
  const resolveAt = params.pledgeDeadline + BigInt(spec.resolveDelay);
  await networkHelpers.time.setNextBlockTimestamp(resolveAt > now ? resolveAt : now + 1n);
  await campaign.send(organiser, "resolve", []);
  const resolvedAt = await latest();
  const events = await eventHistory(address, 0);
  const replayed = model.replay(events);
  const resolution = model.resolve(spec.ladder, model.tallies(m, replayed, K), spec.conditions);
  const st = await campaign.read("status", []);
  expect(
    [BigInt(st.tippingLevel), BigInt(st.committed), BigInt(st.boundCondition), BigInt(st.boundConditionLevel)],
    "status()",
  ).to.eql([
    BigInt(resolution.tippingLevel),
    resolution.committed,
    BigInt(resolution.boundCondition),
    BigInt(resolution.boundConditionLevel),
  ]);
  const isBound = await Promise.all([...pledges.keys()].map((k) => campaign.read("isBound", [keys[k].address])));
  for (const [i, [k, p]] of [...pledges].entries()) {
    expect(replayed.pledges.get(keys[k].address.toLowerCase()), `pledge of key ${k}`).to.eql({
      level: p.level,
      support: p.support,
      condition: p.condition,
    });
    expect(isBound[i], `isBound of key ${k}`).to.eql(model.binds(resolution, p));
  }
  const participants = [...pledges.keys()].map((k) => [keys[k].address]);
  const tree = participants.length > 0 ? StandardMerkleTree.of(participants, ["address"]) : null;
  let rootPublished = false;
  let claimedTotal = 0n;

  for (const cp of [...spec.checkpoints].sort((a, b) => a.seconds - b.seconds)) {
    const target = resolvedAt + BigInt(cp.seconds);
    if (target > (await latest())) await networkHelpers.time.increaseTo(target);
    const { oracleEnd } = model.windows(clock, resolvedAt);
    const t = (await latest()) + 1n;
    if (cp.publish && spec.oracle && tree && !rootPublished && t >= params.actionDate && t <= oracleEnd) {
      await networkHelpers.time.setNextBlockTimestamp(t);
      await campaign.send(oracleSigner, "publishParticipation", [tree.root as Hex]);
      rootPublished = true;
    }
    const ctx = (): model.EntitlementContext => ({
      clock,
      now: 0n,
      resolution,
      resolvedAt,
      rootPublished,
      claimedTotal,
    });
    await compareViews({ ...ctx(), now: await latest() });
    for (const k of cp.claims) {
      const p = pledges.get(k);
      if (!p) continue;
      const t = await nextBlock();
      const due = model.claimEntitlement({ ...ctx(), now: t }, p);
      if (due.state !== "Due" && due.state !== "NeedsProof") continue;
      const proof = due.state === "NeedsProof" ? tree!.getProof([keys[k].address]) : [];
      const signed = await signClaim(keys[k], address, chainId, {
        payee: freshPayee(),
        feeRecipient: ZERO,
        maxFee: 0n,
        proof: proof as `0x${string}`[],
      });
      const mined = await campaign.send(relayer, "claim", [signed]);
      expect(eventsNamed(mined, "SupportClaimed"), "SupportClaimed").to.eql([
        { pledgeKey: keys[k].address, payee: signed.payee, amount: due.amount, fee: 0n },
      ]);
      pledges.set(k, { ...p, claimed: true });
      claimedTotal += due.amount;
    }
    for (const pick of cp.reclaims) {
      if (donations.length === 0) continue;
      const id = pick % donations.length;
      const d = donations[id];
      if (!d) continue;
      const t = await nextBlock();
      const due = model.reclaimEntitlement({ ...ctx(), now: t }, d);
      if (due.state !== "Due") continue;
      await campaign.send(donors[d.donor], "reclaimDonation", [BigInt(id)]);
      const closed = model.claimsClosed(clock, resolvedAt, rootPublished, t);
      donations[id] = d.level > resolution.tippingLevel || closed ? null : { ...d, surplusTaken: true };
    }
    await compareViews({ ...ctx(), now: await latest() });
  }
}

describe("Campaign differential (contract and reference model on random histories)", function () {
  it(`agrees with the model and pays every entitlement exactly, on ${RUNS} random histories`, async function () {
    this.timeout(0);
    const env = await differentialFixture();
    const snapshot = await networkHelpers.takeSnapshot();
    let runs = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(conditionalHistoryArb, async (spec) => {
        await snapshot.restore();
        runs += 1;
        await runHistory(env, spec);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`      ${runs} histories run on the contract and the model in ${seconds} s`);
    console.log(
      `      ${stats.succeeded} succeeded (${stats.tippingAbove8} with j* > 8, highest j* ${stats.maxTipping}), ` +
        `${stats.failed} failed, ${stats.erc20} in ERC-20; ${stats.claims} claims and ${stats.reclaims} reclaims paid, ${stats.skipped} copied pledges skipped; ` +
        `${stats.dust} wei of rounding dust left in all`,
    );
    console.log(
      `      ${stats.conditional} with conditional pledges, ${stats.conditionBound} bound a conditional bucket, ` +
        `${stats.conditionalOut} pledges at a level <= j* left out by their condition`,
    );
  });

  it(`skips, locks, opens windows and entitles exactly as the model's rules say, on ${RULE_RUNS} random campaigns`, async function () {
    this.timeout(0);
    const env = await differentialFixture();
    const snapshot = await networkHelpers.takeSnapshot();
    await fc.assert(
      fc.asyncProperty(ruleSpecArb, async (spec) => {
        await snapshot.restore();
        await runRules(env, spec);
      }),
      { numRuns: RULE_RUNS, seed: SEED },
    );
    const list = (m: Map<string, number>) =>
      [...m]
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
    console.log(
      `      skipped: ${list(ruleStats.skipped)}; ${ruleStats.lockRefusals} donation withdrawals refused by the lock`,
    );
    console.log(`      entitlements seen: ${list(ruleStats.entitlements)}`);
    // Not degenerate: every skip reason the model judges, and every entitlement state, came up.
    for (const reason of model.SKIP_REASONS.filter((r) => r !== "InvalidSignature")) {
      expect(ruleStats.skipped.get(reason) ?? 0, reason).to.be.greaterThan(0);
    }
    for (const state of model.ENTITLEMENTS) {
      expect(
        (ruleStats.entitlements.get(`claim ${state}`) ?? 0) + (ruleStats.entitlements.get(`reclaim ${state}`) ?? 0),
        state,
      ).to.be.greaterThan(0);
    }
  });
});
