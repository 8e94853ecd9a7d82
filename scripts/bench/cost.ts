/**
 * Cost benchmark: what a campaign costs in transaction fees on Base, OP Mainnet, Arbitrum One and
 * Gnosis, at 1,000, 100,000 and 1,000,000 pledges, in a quiet and a loaded fee scenario, who pays it,
 * and how much to put on the relayer's key. No chain and no network: it multiplies measured gas and
 * measured bytes by the fee inputs written down in FEE_INPUTS below, so it runs in a few seconds.
 *
 * Inputs:
 * - the gas of each operation, from snapshots/gas.json (`npm run bench:gas`, the contract as built);
 * - the bytes of each transaction, signed and encoded as the relayer sends it, built with
 *   scripts/bench/calldata.ts's own functions (its mixes of pledges, its transaction envelope, its
 *   FastLZ size and Fjord L1 fee formula); the FastLZ sizes of its four pledge batches must equal
 *   snapshots/calldata.json (`npm run bench:calldata`), or this bench stops;
 * - FEE_INPUTS: each chain's fees and the prices, each with its date and source.
 *
 * A campaign (CAMPAIGN below): its creation, N relayed pledges in batches of 100 (a mix of plain
 * pledges, pledges with support, with support and a condition, with an ECDSA voucher, with a blind
 * RSA voucher), one relayed change for 10% of them, one donation per 50 pledges, its resolution,
 * one relayed claim per pledge that asked for support (with the Merkle proof of an oracle-gated
 * campaign), and a reclaim for half the donations.
 *
 * How each chain bills a transaction (see docs/cost.md for the sources):
 * - OP Stack (Base, OP Mainnet), since Fjord: gas × (L2 base fee + priority fee), plus the L1 data fee
 *   estimatedSize × (baseFeeScalar·l1BaseFee·16 + blobBaseFeeScalar·blobBaseFee) / 1e12, where
 *   estimatedSize = max(100e6, −42,585,600 + 836,500 × FastLZ size of the signed transaction);
 * - Arbitrum One (ArbOS): gas × L2 base fee, plus the poster fee: L1 price per unit × 16 × the
 *   brotli-compressed size of the signed transaction, folded into the receipt's gas as
 *   posterFee / L2 base fee (gasUsedForL1). Tips are ignored. Approximation: Node's brotli (zlib) at
 *   quality 0, window 22, as ArbOS compresses at its brotliCompressionLevel (0 unless the chain owner
 *   set another; a higher level only makes the estimate smaller);
 * - Gnosis, an L1: gas × gas price, in xDAI. No data fee.
 *
 *   npm run bench:cost              computes, prints the tables, rewrites snapshots/cost.json
 *   npm run bench:cost -- --check   computes and fails if a figure moved more than ±2% from the snapshot
 *
 * With --check, exit code 1 exactly when the snapshot is missing a figure, has one too many, or one
 * has moved beyond the tolerance (a change of snapshots/gas.json, of the bytes, or of FEE_INPUTS).
 */
import { readFileSync } from "node:fs";
import { writeOrCheck } from "./snapshot.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants as zlib } from "node:zlib";
import {
  type Address,
  type Hex,
  encodeFunctionData,
  formatEther,
  getAddress,
  hexToBytes,
  keccak256,
  slice,
  toHex,
} from "viem";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { encodePledges } from "@bascule/core/signing";
import { BATCH, MIXES, type Mix, batchOf, calldataGas, flzSize, l1FeeFjord, signedTx } from "./calldata.js";

const SNAPSHOT = new URL("../../snapshots/cost.json", import.meta.url);
const GAS_SNAPSHOT = new URL("../../snapshots/gas.json", import.meta.url);
const CALLDATA_SNAPSHOT = new URL("../../snapshots/calldata.json", import.meta.url);
/** --check tolerance, relative, on every snapshot figure. */
const TOLERANCE = 0.02;

const GWEI = 1_000_000_000n;
const ETHER = 10n ** 18n;

// ---- Fee inputs ----
//
// No network is reachable from the benchmark: every figure is written down here, with the date it
// holds for and where it comes from. Protocol parameters (a minimum base fee, the scalars) are cited;
// market figures (the L1 fees, a chain's load, the prices) are assumptions a reader should replace
// with a reading of the day before funding a campaign (docs/cost.md, "How to redo it").
//
// "quiet" is each chain at its floor; "loaded" a busy stretch that lasts (days, not an hour's spike:
// a campaign's pledges arrive over weeks), a few times the floor. A one-hour spike (blob base fee at
// 10 gwei, Arbitrum at 0.1 gwei) costs more while it lasts; the funding margin covers some of it.

export type Scenario = "quiet" | "loaded";
export const SCENARIOS: readonly Scenario[] = ["quiet", "loaded"];

export interface FeeInput {
  name: string;
  /** How the value reads: "wei" (per gas, or per data unit), "scalar", "USD cents", "EUR per USD × 1e6". */
  unit: "wei" | "scalar" | "USD cents" | "EUR per USD × 1e6";
  quiet: bigint;
  loaded: bigint;
  asOf: string;
  source: string;
}

export const FEE_INPUTS = {
  ethUsd: {
    name: "ETH price",
    unit: "USD cents",
    quiet: 250_000n,
    loaded: 250_000n,
    asOf: "2026-12-03",
    source:
      "assumption, no quote fetched: ETH traded near $2,400–2,500 through autumn 2026; every figure in " +
      "USD or EUR scales with it (the wei and xDAI figures do not)",
  },
  xdaiUsd: {
    name: "xDAI price",
    unit: "USD cents",
    quiet: 100n,
    loaded: 100n,
    asOf: "2026-12-03",
    source: "xDAI is DAI bridged to Gnosis, kept at 1 USD (docs.gnosischain.com, About › Tokens › xDai)",
  },
  eurPerUsd: {
    name: "EUR per USD",
    unit: "EUR per USD × 1e6",
    quiet: 860_000n,
    loaded: 860_000n,
    asOf: "2026-12-03",
    source: "assumption, no quote fetched: EUR/USD about 1.16 (ECB reference rate, ecb.europa.eu)",
  },
  l1BaseFee: {
    name: "Ethereum L1 base fee",
    unit: "wei",
    quiet: GWEI / 2n,
    loaded: 5n * GWEI,
    asOf: "2026-12-03",
    source:
      "assumption, not read: quiet under 1 gwei as L1 blocks have mostly been since the 2025 gas-limit " +
      "raises; loaded 5 gwei, a busy week (any L1 block's baseFeePerGas gives the day's figure)",
  },
  blobBaseFee: {
    name: "Ethereum L1 blob base fee",
    unit: "wei",
    quiet: GWEI / 2n / 16n,
    loaded: GWEI,
    asOf: "2026-12-03",
    source:
      "quiet: EIP-7918's reserve price (Fusaka, 2025-12-03), BLOB_BASE_COST/GAS_PER_BLOB = 2^13/2^17 = 1/16 " +
      "of the L1 base fee, where the blob fee sits while blobs stay below target; loaded: 1 gwei, an " +
      "assumption for blob demand above target for days (scripts/bench/calldata.ts's hour of congestion " +
      "takes 10 gwei)",
  },
  baseL2BaseFee: {
    name: "Base L2 base fee",
    unit: "wei",
    quiet: 5_000_000n,
    loaded: 20_000_000n,
    asOf: "2026-02-17",
    source:
      "quiet: Base's minimum base fee, raised from 2,000,000 to 5,000,000 wei (0.005 gwei) on 2026-02-17 " +
      "(github.com/base/contract-deployments mainnet/2026-02-17-update-min-base-fee, executed; " +
      "docs.base.org Network Fees › Minimum Base Fee), where the base fee sits when blocks are not full; " +
      "loaded: 4× the minimum, an assumption",
  },
  basePriorityFee: {
    name: "Base priority fee",
    unit: "wei",
    quiet: 1_000_000n,
    loaded: 2_000_000n,
    asOf: "2026-12-03",
    source:
      "quiet: 0.001 gwei, op-geth's minimum suggested priority fee (gasprice DefaultMinSuggestedPriorityFee), " +
      "what eth_maxPriorityFeePerGas answers on a quiet OP-stack chain and viem's estimateFeesPerGas (the " +
      "relayer's) then offers; loaded: 0.002 gwei, an assumption",
  },
  baseBaseFeeScalar: {
    name: "Base baseFeeScalar",
    unit: "scalar",
    quiet: 2_269n,
    loaded: 2_269n,
    asOf: "2024-07-10",
    source:
      "Base's SystemConfig gas config (github.com/base/contract-deployments mainnet/2024-07-10-update-gas-config: " +
      "scalar slot …101c12000008dd); no later gas-config task there",
  },
  baseBlobBaseFeeScalar: {
    name: "Base blobBaseFeeScalar",
    unit: "scalar",
    quiet: 1_055_762n,
    loaded: 1_055_762n,
    asOf: "2024-07-10",
    source: "the same task as Base's baseFeeScalar (0x101c12)",
  },
  opL2BaseFee: {
    name: "OP Mainnet L2 base fee",
    unit: "wei",
    quiet: 1_000_000n,
    loaded: 5_000_000n,
    asOf: "2026-12-03",
    source:
      "assumption, not read: OP Mainnet carries less than Base and its base fee has sat far below Base's " +
      "floor; 0.001 gwei quiet, 0.005 gwei loaded",
  },
  opPriorityFee: {
    name: "OP Mainnet priority fee",
    unit: "wei",
    quiet: 1_000_000n,
    loaded: 2_000_000n,
    asOf: "2026-12-03",
    source: "as Base's priority fee (op-geth's minimum suggestion, 0.001 gwei; loaded an assumption)",
  },
  opBaseFeeScalar: {
    name: "OP Mainnet baseFeeScalar",
    unit: "scalar",
    quiet: 5_227n,
    loaded: 5_227n,
    asOf: "2024-07-10",
    source:
      "superchain-ops task eth/014-fjord-gas-config (github.com/ethereum-optimism/superchain-ops), set at " +
      "Fjord; the value scripts/bench/calldata.ts uses",
  },
  opBlobBaseFeeScalar: {
    name: "OP Mainnet blobBaseFeeScalar",
    unit: "scalar",
    quiet: 1_014_213n,
    loaded: 1_014_213n,
    asOf: "2024-07-10",
    source: "the same task as OP Mainnet's baseFeeScalar",
  },
  arbL2BaseFee: {
    name: "Arbitrum One L2 base fee",
    unit: "wei",
    quiet: 10_000_000n,
    loaded: 40_000_000n,
    asOf: "2026-12-03",
    source:
      "quiet: Arbitrum One's minimum gas price, 0.01 gwei (ArbGasInfo.getMinimumGasPrice; Nitro's genesis " +
      "default is 0.1 gwei, arbos/l2pricing InitialMinimumBaseFeeWei, lowered for Arbitrum One), not " +
      "re-read here; loaded: 0.04 gwei, an assumption (docs.arbitrum.io Gas and fees: the base fee rises " +
      "exponentially with the gas backlog above the targets)",
  },
  arbL1PricePerUnit: {
    name: "Arbitrum One L1 price per data unit",
    unit: "wei",
    quiet: 10_000_000n,
    loaded: 120_000_000n,
    asOf: "2026-12-03",
    source:
      "assumption, not read (ArbGasInfo.getL1BaseFeeEstimate at 0x…6c gives the day's figure; 16 units a " +
      "compressed byte): ArbOS moves it until fees match what the batch poster pays (docs.arbitrum.io, " +
      "Parent chain pricing), i.e. since blobs the blob fee per byte (less for a batch's better " +
      "compression) plus ~200,000 L1 gas of the posting transaction spread over ~768 kB of blobs, over 16: " +
      "≈ 0.01 gwei a unit quiet, ≈ 0.12 gwei loaded (with this file's L1 fees)",
  },
  gnosisGasPrice: {
    name: "Gnosis gas price (base + priority)",
    unit: "wei",
    quiet: GWEI,
    loaded: 4n * GWEI,
    asOf: "2026-12-03",
    source:
      "assumption, not read: docs.gnosischain.com (About › Specs) says 'check gas price oracle'; 1 gwei " +
      "(xDAI) is what wallets commonly pay there, 4 gwei loaded",
  },
} as const satisfies Record<string, FeeInput>;

type InputKey = keyof typeof FEE_INPUTS;
const fee = (key: InputKey, s: Scenario): bigint => FEE_INPUTS[key][s];

// ---- How each chain bills a transaction ----

/** What a transaction is billed on: its receipt gas and the compressed sizes of its signed encoding. */
export interface TxSize {
  gas: bigint;
  /** FastLZ size of the signed transaction, bytes (OP Stack since Fjord). */
  flz: number;
  /** Brotli size (quality 0) of the signed transaction, bytes (Arbitrum's estimate). */
  brotli: number;
}

/** A transaction's fee, in the chain's native token's wei: L2 execution, and L1 data. */
export interface TxFee {
  execution: bigint;
  l1Data: bigint;
}

export interface OpStackPrices {
  l2BaseFee: bigint;
  priorityFee: bigint;
  l1BaseFee: bigint;
  blobBaseFee: bigint;
  baseFeeScalar: bigint;
  blobBaseFeeScalar: bigint;
}

/**
 * An OP-stack transaction's fee since Fjord (Ecotone scalars): execution at base + priority fee, and
 * the L1 data fee of its FastLZ size (calldata.ts's `l1FeeFjord`). The operator fee (Isthmus) is 0 on
 * Base and OP Mainnet and left out.
 * @example
 * opStackTxFee({ gas: 3_281_100n, flz: 7_119, brotli: 0 }, prices) // { execution, l1Data }
 */
export function opStackTxFee(tx: TxSize, p: OpStackPrices): TxFee {
  return { execution: tx.gas * (p.l2BaseFee + p.priorityFee), l1Data: l1FeeFjord(tx.flz, p) };
}

/** ArbOS counts 16 data units per byte of a transaction's brotli-compressed size. */
export const ARBITRUM_UNITS_PER_BYTE = 16n;

export interface ArbitrumPrices {
  l2BaseFee: bigint;
  /** ArbOS's L1 price per data unit (ArbGasInfo.getL1BaseFeeEstimate), wei. */
  l1PricePerUnit: bigint;
}

/**
 * An Arbitrum transaction's fee: execution at the L2 base fee (tips are ignored), and the poster fee
 * l1PricePerUnit × 16 × brotli size (nitro arbos/l1pricing, GetPosterInfo). The receipt folds the
 * poster fee into its gas (gasUsedForL1 = posterFee / base fee); the total is the same.
 * @example
 * arbitrumTxFee({ gas: 60_000n, flz: 0, brotli: 150 }, { l2BaseFee: 10_000_000n, l1PricePerUnit: 10_000_000n })
 */
export function arbitrumTxFee(tx: TxSize, p: ArbitrumPrices): TxFee {
  return {
    execution: tx.gas * p.l2BaseFee,
    l1Data: p.l1PricePerUnit * ARBITRUM_UNITS_PER_BYTE * BigInt(tx.brotli),
  };
}

/** An L1's fee (Gnosis): gas × gas price, nothing for data beyond the calldata gas already in `gas`. */
export function l1TxFee(tx: TxSize, p: { gasPrice: bigint }): TxFee {
  return { execution: tx.gas * p.gasPrice, l1Data: 0n };
}

/** Brotli size as ArbOS computes it for a transaction's poster fee: quality 0, window 22, generic mode. */
export function brotliSize(data: Hex): number {
  return brotliCompressSync(hexToBytes(data), {
    params: {
      [zlib.BROTLI_PARAM_QUALITY]: 0,
      [zlib.BROTLI_PARAM_LGWIN]: 22,
      [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_GENERIC,
    },
  }).length;
}

export interface Chain {
  id: string;
  name: string;
  token: "ETH" | "xDAI";
  txFee: (tx: TxSize, s: Scenario) => TxFee;
}

export const CHAINS: readonly Chain[] = [
  {
    id: "base",
    name: "Base",
    token: "ETH",
    txFee: (tx, s) =>
      opStackTxFee(tx, {
        l2BaseFee: fee("baseL2BaseFee", s),
        priorityFee: fee("basePriorityFee", s),
        l1BaseFee: fee("l1BaseFee", s),
        blobBaseFee: fee("blobBaseFee", s),
        baseFeeScalar: fee("baseBaseFeeScalar", s),
        blobBaseFeeScalar: fee("baseBlobBaseFeeScalar", s),
      }),
  },
  {
    id: "optimism",
    name: "OP Mainnet",
    token: "ETH",
    txFee: (tx, s) =>
      opStackTxFee(tx, {
        l2BaseFee: fee("opL2BaseFee", s),
        priorityFee: fee("opPriorityFee", s),
        l1BaseFee: fee("l1BaseFee", s),
        blobBaseFee: fee("blobBaseFee", s),
        baseFeeScalar: fee("opBaseFeeScalar", s),
        blobBaseFeeScalar: fee("opBlobBaseFeeScalar", s),
      }),
  },
  {
    id: "arbitrum",
    name: "Arbitrum One",
    token: "ETH",
    txFee: (tx, s) =>
      arbitrumTxFee(tx, { l2BaseFee: fee("arbL2BaseFee", s), l1PricePerUnit: fee("arbL1PricePerUnit", s) }),
  },
  {
    id: "gnosis",
    name: "Gnosis",
    token: "xDAI",
    txFee: (tx, s) => l1TxFee(tx, { gasPrice: fee("gnosisGasPrice", s) }),
  },
];

// ---- A campaign ----

/** Shares in basis points (of the pledges, or of the donations for reclaims). */
export const CAMPAIGN = {
  /** (a) new pledge, no support, no voucher. */
  plain: 6_500n,
  /** Support (€75 of a 6-decimal stablecoin), no condition. */
  support: 1_000n,
  /** Support and condition 1 or 2 (half or all of it covered). */
  supportCondition: 1_000n,
  /** First pledge with a 65-byte ECDSA voucher from the union's attester account. */
  ecdsaVoucher: 1_000n,
  /** First pledge with a 256-byte blind RSA voucher. */
  blindVoucher: 500n,
  /** Pledges changed once (level and support), relayed. */
  changes: 1_000n,
  /** Donations per pledge (one per 50 pledges), ERC-20 with permit, from the donors' own wallets. */
  donations: 200n,
  /** Of the donations: a surplus or remainder taken back. */
  reclaims: 5_000n,
} as const;
const BPS = 10_000n;
/** The campaign's sizes, in pledges. */
export const SIZES = [1_000n, 100_000n, 1_000_000n] as const;

export type Payer = "relayer" | "organiser" | "keeper" | "donors";

/** One kind of transaction in a campaign. */
export interface Operation {
  name: string;
  payer: Payer;
  /** The whole transaction (a batch of `perTx` pledges, or one call). */
  tx: TxSize;
  /** Units (pledges, claims, donations…) per transaction. */
  perTx: bigint;
  /** Units in a campaign of n pledges. */
  units: bigint;
  /** The gas is derived from rows of snapshots/gas.json, not measured as such (marked * in the table). */
  estimated?: boolean;
}

/** The rows of snapshots/gas.json, by name. */
export type GasRows = (name: string) => bigint;

/**
 * The transactions whose bytes the campaign's operations carry. The pledge batches come from
 * calldata.ts (its mixes); the rest are encoded here from the generated ABIs, with plausible values.
 */
export interface CampaignTxs {
  plain: TxSize;
  support: TxSize;
  supportCondition: TxSize;
  ecdsaVoucher: TxSize;
  blindVoucher: TxSize;
  /** The other calls' data (their gas comes from snapshots/gas.json). */
  create: Hex;
  donate: Hex;
  resolve: Hex;
  reclaim: Hex;
  /** The relayed claim's call with a Merkle proof of `depth` elements. */
  claim: (depth: number) => Hex;
}

// What an oracle-gated claim adds to the measured one (gated by an attester, no proof), an estimate:
// one cold read of the participation root and the leaf's hash, then per proof element its calldata
// (counted exactly from the bytes) and one commutative keccak step of MerkleProof.verifyCalldata.
const ORACLE_CLAIM_EXTRA_GAS = 2_100n + 200n;
const PROOF_STEP_GAS = 100n;

/** Depth of the participation tree of n keys (the oracle's list, at most every pledger): ⌈log2 n⌉. */
export function proofDepth(n: bigint): number {
  let depth = 0;
  while (1n << BigInt(depth) < n) depth++;
  return depth;
}

const sized = (data: Hex, gas: bigint): TxSize => {
  const tx = signedTx(data);
  return { gas, flz: flzSize(tx), brotli: brotliSize(tx) };
};

/**
 * The operations of a campaign of n pledges, with their gas (snapshots/gas.json), bytes and counts.
 * @example
 * campaignOperations(1_000n, gasRows, await campaignTxs(gasRows)).map((op) => [op.name, op.units])
 */
export function campaignOperations(n: bigint, gas: GasRows, txs: CampaignTxs): Operation[] {
  const share = (bps: bigint) => (n * bps) / BPS;
  const batch = BigInt(BATCH);
  // A stablecoin campaign: claims and reclaims move an ERC-20. Their rows are measured in ETH; the
  // ERC-20 transfer's extra gas is the difference between the two measured donation withdrawals.
  const erc20Extra = gas("withdraw donation (ERC-20)") - gas("withdraw donation (ETH)");
  const supported = share(CAMPAIGN.support) + share(CAMPAIGN.supportCondition);
  const donations = share(CAMPAIGN.donations);
  const depth = proofDepth(n);
  const claimData = txs.claim(depth);
  const claimGas =
    gas("relayed claim (ETH), with fee") +
    erc20Extra +
    ORACLE_CLAIM_EXTRA_GAS +
    BigInt(calldataGas(claimData) - calldataGas(txs.claim(0))) +
    BigInt(depth) * PROOF_STEP_GAS;
  const changeGas =
    gas("relayed batch of 100, per pledge") +
    gas("pledge change (level and support)") -
    gas("pledge, own wallet, with support");
  return [
    {
      name: "create campaign",
      payer: "organiser",
      tx: sized(txs.create, gas("create campaign, 64 levels")),
      perTx: 1n,
      units: 1n,
    },
    { name: "pledge, plain", payer: "relayer", tx: txs.plain, perTx: batch, units: share(CAMPAIGN.plain) },
    { name: "pledge, support", payer: "relayer", tx: txs.support, perTx: batch, units: share(CAMPAIGN.support) },
    {
      name: "pledge, support + condition",
      payer: "relayer",
      tx: txs.supportCondition,
      perTx: batch,
      units: share(CAMPAIGN.supportCondition),
    },
    {
      name: "pledge, ECDSA voucher",
      payer: "relayer",
      tx: txs.ecdsaVoucher,
      perTx: batch,
      units: share(CAMPAIGN.ecdsaVoucher),
      estimated: true,
    },
    {
      name: "pledge, blind RSA voucher",
      payer: "relayer",
      tx: txs.blindVoucher,
      perTx: batch,
      units: share(CAMPAIGN.blindVoucher),
    },
    {
      name: "change (level and support)",
      payer: "relayer",
      // The same bytes as a batch of pledges with support; the gas of a change, relayed (estimate).
      tx: { ...txs.support, gas: changeGas * batch },
      perTx: batch,
      units: share(CAMPAIGN.changes),
      estimated: true,
    },
    {
      name: "donation (ERC-20, permit)",
      payer: "donors",
      tx: sized(txs.donate, gas("donate ERC-20 with permit")),
      perTx: 1n,
      units: donations,
    },
    {
      name: "resolve (64 levels × 3 classes)",
      payer: "keeper",
      tx: sized(txs.resolve, gas("resolve with conditions, 64 levels × 3 classes, worst over random tallies")),
      perTx: 1n,
      units: 1n,
    },
    {
      name: `claim, relayed (proof of ${depth})`,
      payer: "relayer",
      tx: sized(claimData, claimGas),
      perTx: 1n,
      units: supported,
      estimated: true,
    },
    {
      name: "reclaim (surplus, ERC-20)",
      payer: "donors",
      tx: sized(txs.reclaim, gas("surplus return (ETH)") + erc20Extra),
      perTx: 1n,
      units: (donations * CAMPAIGN.reclaims) / BPS,
      estimated: true,
    },
  ];
}

export interface CampaignCost {
  /** Native token's wei, whole campaign. */
  execution: bigint;
  l1Data: bigint;
  total: bigint;
  byPayer: Record<Payer, bigint>;
}

/**
 * Adds up a campaign's fees: each operation's transaction fee × units / units per transaction.
 * @example
 * campaignCost(ops, (tx) => CHAINS[0].txFee(tx, "quiet")).byPayer.relayer
 */
export function campaignCost(ops: readonly Operation[], txFee: (tx: TxSize) => TxFee): CampaignCost {
  const cost: CampaignCost = {
    execution: 0n,
    l1Data: 0n,
    total: 0n,
    byPayer: { relayer: 0n, organiser: 0n, keeper: 0n, donors: 0n },
  };
  for (const op of ops) {
    const f = txFee(op.tx);
    const execution = (f.execution * op.units) / op.perTx;
    const l1Data = (f.l1Data * op.units) / op.perTx;
    cost.execution += execution;
    cost.l1Data += l1Data;
    cost.total += execution + l1Data;
    cost.byPayer[op.payer] += execution + l1Data;
  }
  return cost;
}

/** Rounds up to two significant digits: 7,451… → 7,500…. */
export function roundUp2(value: bigint): bigint {
  let unit = 1n;
  while (value / unit >= 100n) unit *= 10n;
  return ((value + unit - 1n) / unit) * unit;
}

/**
 * What to put on the relayer's key for a campaign: its loaded-scenario fees plus 25% (replacements at
 * +12.5% fees after REPLACE_AFTER_MS, a spike within the campaign, batches that leave less than full),
 * rounded up to two significant digits.
 */
export const FUNDING_MARGIN_PERCENT = 125n;
export const fundingFor = (relayerLoaded: bigint): bigint => roundUp2((relayerLoaded * FUNDING_MARGIN_PERCENT) / 100n);
/** A LOW_BALANCE_WEI for the relayer: a fifth of the funding, so the alert leaves time to top it up. */
export const lowBalanceFor = (funding: bigint): bigint => roundUp2(funding / 5n);

// ---- Building the transactions ----

const fixed = (label: string): Hex => keccak256(toHex(`bascule cost ${label}`));
const fixedAddress = (label: string): Address => getAddress(slice(fixed(label), 12));

/** A mix of calldata.ts's kind with support and no condition (its mix (b) has a condition on each). */
const SUPPORT_ONLY: Mix = {
  id: "b0",
  name: "support €75 (6 decimals), no condition",
  l2Gas: (row) => row("the same batch, class 0, per pledge"),
  pledge: async () => ({ support: 75_000_000n, condition: 0 }),
};

/** A batch of the mix's pledges, with the gas of `gasPerPledge` for each. */
async function pledgeBatchTx(mix: Mix, gasPerPledge: bigint): Promise<TxSize> {
  const data = encodeFunctionData({
    abi: campaignAbi,
    functionName: "pledgeBatch",
    args: [encodePledges(await batchOf(mix))],
  });
  return sized(data, gasPerPledge * BigInt(BATCH));
}

/** Builds and signs every transaction of a campaign (about a second: 500 pledge signatures). */
export async function campaignTxs(gas: GasRows): Promise<CampaignTxs> {
  const mix = (id: string) => MIXES.find((m) => m.id === id)!;
  // Each batch's gas is the row measured for its kind (calldata.ts gives mix (b) the plain row's).
  const [plain, support, supportCondition, ecdsaVoucher, blindVoucher] = await Promise.all([
    pledgeBatchTx(mix("a"), gas("relayed batch of 100, per pledge")),
    pledgeBatchTx(SUPPORT_ONLY, gas("the same batch, class 0, per pledge")),
    pledgeBatchTx(mix("b"), gas("relayed batch of 100 conditional pledges, per pledge")),
    pledgeBatchTx(mix("c"), mix("c").l2Gas(gas)),
    pledgeBatchTx(mix("d"), gas("relayed batch of 100, blind vouchers, per pledge")),
  ]);
  const ladder = Array.from({ length: 64 }, (_, i) => i + 1); // as gas.json's "create campaign, 64 levels"
  const create = encodeFunctionData({
    abi: campaignFactoryAbi,
    functionName: "createCampaign",
    args: [
      {
        token: fixedAddress("stablecoin"),
        pledgeDeadline: 1_798_761_600n,
        finalLock: 86_400n,
        actionDate: 1_799_020_800n,
        oracleWindow: 604_800n,
        claimWindow: 2_592_000n,
        supportCap: 80_000_000n,
        conditions: [5_000, 10_000],
        attester: fixedAddress("attester"),
        oracle: fixedAddress("oracle"),
        metadataHash: fixed("metadata"),
        ladder,
      },
      "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
      fixed("salt"),
    ],
  });
  const donate = encodeFunctionData({
    abi: campaignAbi,
    functionName: "donateWithPermit",
    args: [12n, 500_000_000n, 1_798_765_200n, 27, fixed("permit r"), fixed("permit s")],
  });
  const resolve = encodeFunctionData({ abi: campaignAbi, functionName: "resolve" });
  const reclaim = encodeFunctionData({ abi: campaignAbi, functionName: "reclaimDonation", args: [1_234n] });
  const claim = (depth: number) =>
    encodeFunctionData({
      abi: campaignAbi,
      functionName: "claim",
      args: [
        {
          payee: fixedAddress("payee"),
          feeRecipient: fixedAddress("relayer"),
          maxFee: 100_000n,
          fee: 50_000n,
          proof: Array.from({ length: depth }, (_, i) => fixed(`proof ${i}`)),
          r: fixed("claim r"),
          vs: fixed("claim vs"),
        },
      ],
    });
  return { plain, support, supportCondition, ecdsaVoucher, blindVoucher, create, donate, resolve, reclaim, claim };
}

// ---- Formatting (the edge) ----

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const eur = new Intl.NumberFormat("en-US", { style: "currency", currency: "EUR" });
const count = new Intl.NumberFormat("en-US");

/** USD cents of `wei` of the chain's token. */
export function usdCents(wei: bigint, token: Chain["token"], s: Scenario): bigint {
  return (wei * fee(token === "ETH" ? "ethUsd" : "xdaiUsd", s)) / ETHER;
}
const eurCents = (cents: bigint, s: Scenario) => (cents * fee("eurPerUsd", s)) / 1_000_000n;
const money = (cents: bigint, s: Scenario) =>
  `${usd.format(Number(cents) / 100)} / ${eur.format(Number(eurCents(cents, s)) / 100)}`;
/** A native amount with 4 significant digits at most. */
function native(wei: bigint, token: Chain["token"]): string {
  const n = Number(formatEther(wei));
  return `${n >= 1 ? n.toFixed(n >= 100 ? 0 : 2) : n.toPrecision(2)} ${token}`;
}
const percent = (part: bigint, whole: bigint) =>
  whole === 0n ? "—" : `${((100 * Number(part)) / Number(whole)).toFixed(0)}%`;
function inputValue(i: FeeInput, v: bigint): string {
  switch (i.unit) {
    case "wei":
      return `${Number(v) / 1e9} gwei`;
    case "USD cents":
      return usd.format(Number(v) / 100);
    case "EUR per USD × 1e6":
      return `€${(Number(v) / 1e6).toFixed(2)}`;
    default:
      return count.format(v);
  }
}
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);
const table = (head: string[], rows: string[][], right: number[] = []): string[] => {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (right.includes(i) ? lpad(c, widths[i]) : pad(c, widths[i]))).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)];
};

// ---- Run ----

async function main(): Promise<void> {
  const checkOnly = process.argv.includes("--check");
  const gasSnapshot = JSON.parse(readFileSync(GAS_SNAPSHOT, "utf8")) as Record<string, string>;
  const gas: GasRows = (name) => {
    const value = gasSnapshot[name];
    if (value === undefined) throw new Error(`snapshots/gas.json has no "${name}"`);
    return BigInt(value);
  };
  const txs = await campaignTxs(gas);

  // The pledge batches are calldata.ts's: their sizes must be those its snapshot holds.
  const calldata = JSON.parse(readFileSync(CALLDATA_SNAPSHOT, "utf8")) as Record<string, string>;
  for (const [m, tx] of [
    [MIXES[0], txs.plain],
    [MIXES[1], txs.supportCondition],
    [MIXES[2], txs.ecdsaVoucher],
    [MIXES[3], txs.blindVoucher],
  ] as const) {
    const key = `(${m.id}) ${m.name}, after: FastLZ bytes, signed tx`;
    if (calldata[key] !== String(tx.flz)) {
      throw new Error(
        `snapshots/calldata.json "${key}" is ${calldata[key] ?? "missing"}, the batch gives ${tx.flz}: run npm run bench:calldata`,
      );
    }
  }

  const out: string[] = [];
  out.push("Fee inputs (FEE_INPUTS in scripts/bench/cost.ts: written down, not fetched)", "");
  out.push(
    ...table(
      ["input", "quiet", "loaded", "as of", "source"],
      Object.values(FEE_INPUTS).map((i: FeeInput) => [
        i.name,
        inputValue(i, i.quiet),
        inputValue(i, i.loaded),
        i.asOf,
        i.source,
      ]),
    ),
  );

  const largest = campaignOperations(SIZES[SIZES.length - 1], gas, txs);
  out.push(
    "",
    `A campaign's operations (gas: snapshots/gas.json; * derived from its rows, see the file; bytes: the`,
    `signed transaction, whole batch for pledges). Shares: ${CAMPAIGN.plain / 100n}% plain, ${CAMPAIGN.support / 100n}% support,`,
    `${CAMPAIGN.supportCondition / 100n}% support + condition, ${CAMPAIGN.ecdsaVoucher / 100n}% ECDSA voucher, ${CAMPAIGN.blindVoucher / 100n}% blind voucher; ${CAMPAIGN.changes / 100n}% change once; one donation`,
    `per ${BPS / CAMPAIGN.donations} pledges, ${CAMPAIGN.reclaims / 100n}% of them reclaimed; every pledge with support claims.`,
    "",
    ...table(
      ["operation", "paid by", "gas per tx", "per tx", "FastLZ", "brotli", "at 1,000,000"],
      largest.map((op) => [
        op.name,
        op.payer,
        `${op.estimated ? "*" : ""}${count.format(op.tx.gas)}`,
        count.format(op.perTx),
        count.format(op.tx.flz),
        count.format(op.tx.brotli),
        count.format(op.units),
      ]),
      [2, 3, 4, 5, 6],
    ),
  );

  const measured: Record<string, string> = {};
  for (const op of largest) {
    measured[`${op.name}: FastLZ bytes, signed tx`] = String(op.tx.flz);
    measured[`${op.name}: brotli bytes, signed tx`] = String(op.tx.brotli);
  }
  const rows: string[][] = [];
  const funding: string[][] = [];
  const shares: string[][] = [];
  for (const chain of CHAINS) {
    for (const n of SIZES) {
      const ops = campaignOperations(n, gas, txs);
      const costs = Object.fromEntries(
        SCENARIOS.map((s) => [s, campaignCost(ops, (tx) => chain.txFee(tx, s))]),
      ) as Record<Scenario, CampaignCost>;
      for (const s of SCENARIOS) {
        const c = costs[s];
        rows.push([
          chain.name,
          s,
          count.format(n),
          money(usdCents(c.total, chain.token, s), s),
          native(c.total, chain.token),
          money(usdCents(c.byPayer.relayer, chain.token, s), s),
          percent(c.execution, c.total),
          percent(c.l1Data, c.total),
          money((usdCents(c.total, chain.token, s) * 1_000n) / n, s),
        ]);
        const key = `${chain.id}, ${s}, ${count.format(n)} pledges`;
        measured[`${key}: total (wei)`] = c.total.toString();
        measured[`${key}: L1 data (wei)`] = c.l1Data.toString();
        measured[`${key}: relayer (wei)`] = c.byPayer.relayer.toString();
      }
      const fund = fundingFor(costs.loaded.byPayer.relayer);
      funding.push([
        chain.name,
        count.format(n),
        native(costs.quiet.byPayer.relayer, chain.token),
        native(costs.loaded.byPayer.relayer, chain.token),
        native(fund, chain.token),
        lowBalanceFor(fund).toString(),
      ]);
      if (n === SIZES[SIZES.length - 1]) {
        const relayed = ops.filter((op) => op.payer === "relayer");
        const part = (match: (op: Operation) => boolean, s: Scenario) =>
          percent(campaignCost(relayed.filter(match), (tx) => chain.txFee(tx, s)).total, costs[s].byPayer.relayer);
        for (const s of SCENARIOS) {
          shares.push([
            chain.name,
            s,
            part((op) => op.name.startsWith("pledge"), s),
            part((op) => op.name.startsWith("change"), s),
            part((op) => op.name.startsWith("claim"), s),
          ]);
        }
      }
      measured[`${chain.id}, ${count.format(n)} pledges: relayer funding (wei)`] = fund.toString();
    }
  }
  out.push(
    "",
    "What a campaign costs (USD / EUR at the prices above; native: the chain's token), who pays, and what dominates",
    "",
    ...table(
      [
        "chain",
        "fees",
        "pledges",
        "total",
        "total, native",
        "relayer's part",
        "execution",
        "L1 data",
        "per 1,000 pledges",
      ],
      rows,
      [2, 3, 4, 5, 6, 7, 8],
    ),
    "",
    "Where the relayer's fees go, 1,000,000 pledges",
    "",
    ...table(["chain", "fees", "pledges", "changes", "claims"], shares, [2, 3, 4]),
    "",
    `The relayer's key: its fees quiet and loaded, what to fund it with (loaded + ${FUNDING_MARGIN_PERCENT - 100n}%, rounded up), and`,
    "a LOW_BALANCE_WEI (wei of the chain's token) for /status and the relayer's log: a fifth of the funding",
    "",
    ...table(
      ["chain", "pledges", "relayer, quiet", "relayer, loaded", "fund with", "LOW_BALANCE_WEI"],
      funding,
      [1, 2, 3, 4, 5],
    ),
  );
  console.log(out.join("\n"));

  // ---- Snapshot ----
  writeOrCheck({ file: SNAPSHOT, name: "cost", verb: "computed", tolerance: TOLERANCE }, measured, checkOnly);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
