/**
 * Calldata benchmark: the bytes a relayed pledge puts in a `pledgeBatch` transaction, raw and
 * compressed as an OP-stack rollup compresses them, and the L1 data fee they cost there. No chain:
 * the batches are built and signed in memory, so it runs in a second.
 *
 * Four batches of 100 pledges, each signed by its own pledge key for a campaign on chain 10 (OP Mainnet):
 *   (a) new pledges, no support, no voucher;
 *   (b) new pledges with support (€75 of a 6-decimal stablecoin) and condition 1 or 2;
 *   (c) first pledges with a 65-byte ECDSA voucher (`signVoucher`);
 *   (d) first pledges with a 256-byte blind RSA-2048 voucher (pseudo-random bytes of that size).
 * Each batch is encoded twice: BEFORE, today's `pledgeBatch(SignedPledge[])` (ABI-encoded structs, the
 * fragment of the old ICampaign inline below), and AFTER, `pledgeBatch(bytes)` with `encodePledges`
 * (88 packed bytes per pledge plus its voucher). The old struct has no condition: mix (b) is encoded
 * without it BEFORE, as the old contract would take it.
 *
 * Keys, vouchers and the campaign address derive from fixed strings and ECDSA signing is
 * deterministic (RFC 6979), so every figure is the same on every run; `snapshots/calldata.json` keeps
 * them, one line per figure.
 *
 *   npm run bench:calldata              measures, prints the tables, rewrites snapshots/calldata.json
 *   npm run bench:calldata -- --check   measures and fails if a figure moved more than ±2% from the snapshot
 *
 * Exit code 1 if a budget is missed (unless BASCULE_BENCH_REPORT_ONLY=1); with --check, exactly when
 * the snapshot is missing a figure, has one too many, or one has moved beyond the tolerance.
 *
 * What sizes a transaction and prices its L1 data (the mixes, `batchOf`, `signedTx`, `flzSize`,
 * `calldataGas`, `l1FeeFjord`) is exported for the cost benchmark (scripts/bench/cost.ts); importing
 * this module measures nothing (it only checks Solady's FastLZ against op-geth's vectors).
 */
import { readFileSync } from "node:fs";
import { writeOrCheck } from "./snapshot.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Address,
  type Hex,
  concat,
  encodeFunctionData,
  getAddress,
  hexToBytes,
  keccak256,
  parseAbi,
  serializeTransaction,
  size,
  slice,
  toHex,
} from "viem";
import { type LocalAccount, privateKeyToAccount } from "viem/accounts";
// Solady's JavaScript LibZip (MIT, maintained with the Solidity library): op-geth's FlzCompressLen,
// which sizes every transaction for its L1 fee since Fjord, is a port of this very function (its
// comment cites solady's js/solady.js), and the GasPriceOracle predeploy (contracts-bedrock
// src/L2/GasPriceOracle.sol) calls Solady's Solidity LibZip.flzCompress for the same estimate. A
// generic FastLZ build could choose other matches and report other sizes than the chain charges for.
import { LibZip } from "solady";
import { decodePledges, encodePledges, signPledge, signVoucher, type SignedPledge } from "@bascule/core/signing";

const SNAPSHOT = new URL("../../snapshots/calldata.json", import.meta.url);
const GAS_SNAPSHOT = new URL("../../snapshots/gas.json", import.meta.url);
/** --check tolerance, relative, on every snapshot figure. */
const TOLERANCE = 0.02;

export const CHAIN_ID = 10;
/** Pledges per `pledgeBatch` transaction measured here (the relayer's default BATCH_SIZE). */
export const BATCH = 100;
/** Budget: AFTER calldata bytes per relayed pledge without voucher (88 packed + the call's share). */
const AFTER_RAW_BUDGET = 90;

const fixed = (label: string): Hex => keccak256(toHex(`bascule calldata ${label}`));
// A campaign is a clone at a CREATE2 address: 20 bytes that look random, as FastLZ sees them.
export const CAMPAIGN = getAddress(slice(fixed("campaign"), 12)) as Address;
const attester = privateKeyToAccount(fixed("attester"));

// The ABIs as the two versions of ICampaign declare them (inline: the generated ABI follows the contract).
const OLD_ABI = parseAbi([
  "function pledgeBatch((uint8 level, uint128 support, uint32 nonce, bytes32 r, bytes32 vs, bytes voucher)[] batch)",
]);
const NEW_ABI = parseAbi(["function pledgeBatch(bytes batch)"]);

export interface Mix {
  id: string;
  name: string;
  /** L2 execution gas per pledge of this batch, from the rows of snapshots/gas.json. */
  l2Gas: (row: (name: string) => bigint) => bigint;
  pledge: (i: number, key: LocalAccount) => Promise<{ support: bigint; condition: number; voucher?: Hex }>;
}

/** 256 pseudo-random bytes: an RSA-2048 signature is a number below n, incompressible like these. */
const rsaVoucher = (i: number): Hex => concat(Array.from({ length: 8 }, (_, j) => fixed(`rsa voucher ${i} ${j}`)));

export const MIXES: Mix[] = [
  {
    id: "a",
    name: "new, no support, no voucher",
    l2Gas: (row) => row("relayed batch of 100, per pledge"),
    pledge: async () => ({ support: 0n, condition: 0 }),
  },
  {
    id: "b",
    name: "support €75 (6 decimals), condition 1|2",
    l2Gas: (row) => row("relayed batch of 100, per pledge"),
    pledge: async (i) => ({ support: 75_000_000n, condition: (i % 2) + 1 }),
  },
  {
    id: "c",
    name: "first pledge, 65-byte ECDSA voucher",
    // No relayed batch in gas.json has ECDSA vouchers: the plain batch's gas plus what the voucher adds
    // to a pledge from the pledger's own wallet (an estimate, marked * in the table).
    l2Gas: (row) =>
      row("relayed batch of 100, per pledge") +
      row("pledge, own wallet, with support, ECDSA voucher") -
      row("pledge, own wallet, with support"),
    pledge: async (_, key) => ({
      support: 0n,
      condition: 0,
      voucher: await signVoucher(attester, CAMPAIGN, CHAIN_ID, key.address),
    }),
  },
  {
    id: "d",
    name: "first pledge, 256-byte blind RSA voucher",
    l2Gas: (row) => row("relayed batch of 100, blind vouchers, per pledge"),
    pledge: async (i) => ({ support: 0n, condition: 0, voucher: rsaVoucher(i) }),
  },
];

/** The mix's batch of BATCH pledges, each signed by its own fixed key (the same bytes on every run). */
export async function batchOf(mix: Mix): Promise<SignedPledge[]> {
  return Promise.all(
    Array.from({ length: BATCH }, async (_, i) => {
      const key = privateKeyToAccount(fixed(`key ${mix.id} ${i}`));
      const { support, condition, voucher } = await mix.pledge(i, key);
      return signPledge(key, CAMPAIGN, CHAIN_ID, { level: (i % 8) + 1, support, condition, nonce: 0 }, voucher);
    }),
  );
}

// The relayer's transaction around the call. OP-stack prices L1 data on the FastLZ size of the whole
// signed transaction, its EIP-2718 encoding (type byte, then RLP): the Fjord spec's "fastlzSize: Size
// of the FastLZ-compressed RLP-encoded signed tx"; the GasPriceOracle predeploy, whose getL1Fee takes
// the unsigned transaction, adds 68 bytes to its compressed size for the missing signature. Plausible
// relayer values for every field; the signature is a dummy, but of random-looking bytes as a real
// one is (zeros would compress away and undercount 64 bytes per transaction).
const RELAYER_TX = {
  type: "eip1559",
  chainId: CHAIN_ID,
  nonce: 4_321,
  maxPriorityFeePerGas: 1_000_000n, // 0.001 gwei
  maxFeePerGas: 20_000_000n, // 0.02 gwei
  gas: 5_000_000n,
  to: CAMPAIGN,
  value: 0n,
} as const;
const DUMMY_SIGNATURE = { r: fixed("tx r"), s: fixed("tx s"), yParity: 1 } as const;
/** The relayer's signed EIP-1559 transaction (chain 10) carrying `data` to the campaign: what rollups size. */
export const signedTx = (data: Hex): Hex => serializeTransaction({ ...RELAYER_TX, data }, DUMMY_SIGNATURE);
/** FastLZ-compressed size in bytes, as op-geth's FlzCompressLen computes it (Solady's flzCompress). */
export const flzSize = (data: Hex): number => size(LibZip.flzCompress(data) as Hex);
// op-geth's reference vectors for FlzCompressLen (core/types/rollup_cost_test.go, TestFlzCompressLen):
// 1,000 bytes of 0x01 or of 0x00 compress to 21. Solady's output also matched its other vectors (an
// empty legacy tx: 31, a 344-byte contract call: 202) when this was written; this keeps a Solady
// upgrade from changing the sizes unseen.
for (const byte of ["01", "00"]) {
  const got = flzSize(`0x${byte.repeat(1000)}`);
  if (got !== 21) throw new Error(`solady flzCompress: 1,000 × 0x${byte} gave ${got} bytes, op-geth 21`);
}

/** EIP-2028 calldata gas (4 a zero byte, 16 another), part of the L2 execution gas of the call. */
export const calldataGas = (data: Hex): number => hexToBytes(data).reduce((gas, b) => gas + (b === 0 ? 4 : 16), 0);

// ---- The OP-stack L1 data fee, Fjord (Ecotone scalars) ----
//
// As the OP specs state it, "Fjord L1-Cost fee changes (FastLZ estimator)" (specs/fjord/exec-engine.md,
// also in Base's docs), and op-geth computes it (core/types/rollup_cost.go, NewL1CostFuncFjord):
//   l1FeeScaled   = baseFeeScalar·l1BaseFee·16 + blobBaseFeeScalar·blobBaseFee
//   estimatedSize = max(minTransactionSize·1e6, intercept + fastlzCoef·fastlzSize)
//   l1Fee         = estimatedSize·l1FeeScaled / 1e12                   (wei, integer arithmetic)
// op-geth: L1CostIntercept = -42_585_600, L1CostFastlzCoef = 836_500, MinTransactionSize = 100 (scaled
// by 1e6 as MinTransactionSizeScaled); an early op-geth draft had 71 for the minimum, the spec and the
// released code have 100. The same constants are in revm's op-revm and op-alloy-flz (L1_COST_INTERCEPT,
// L1_COST_FASTLZ_COEF, MIN_TX_SIZE_SCALED). The minimum does not bind here: every batch is kilobytes.
export const FJORD_INTERCEPT = -42_585_600n;
export const FJORD_FASTLZ_COEF = 836_500n;
export const FJORD_MIN_TX_SIZE = 100n;

/** What the Fjord L1 fee of a transaction depends on besides its size: L1's two fees and the chain's scalars. */
export interface FjordFees {
  /** L1 base fee, wei. */
  l1BaseFee: bigint;
  /** L1 blob base fee, wei. */
  blobBaseFee: bigint;
  baseFeeScalar: bigint;
  blobBaseFeeScalar: bigint;
}

interface FeeScenario {
  name: string;
  l1BaseFee: bigint;
  blobBaseFee: bigint;
}
// OP Mainnet's scalars since Fjord: superchain-ops task eth/014-fjord-gas-config (July 2024) set
// baseFeeScalar 5227 and blobBaseFeeScalar 1014213 (before: 1368 and 810949). A chain can change them
// by one L1 transaction; they may have moved since. (Base set 2269 and 1055762 at Fjord.)
const BASE_FEE_SCALAR = 5_227n;
const BLOB_BASE_FEE_SCALAR = 1_014_213n;
const GWEI = 1_000_000_000n;
/** L2 base fee the L2 execution gas is priced at (OP Mainnet's is often lower still). */
const L2_BASE_FEE = GWEI / 100n; // 0.01 gwei
const SCENARIOS: FeeScenario[] = [
  // Blob base fee at its floor (1 wei), as it is whenever blobs are below target.
  { name: "blobs cheap", l1BaseFee: 10n * GWEI, blobBaseFee: 1n },
  // Blob demand above target for a while: the blob base fee climbs exponentially; 10 gwei stands for that.
  { name: "blobs congested", l1BaseFee: 10n * GWEI, blobBaseFee: 10n * GWEI },
];

/**
 * The L1 data fee (wei) of a transaction whose signed encoding compresses to `fastlzSize` bytes, on an
 * OP-stack chain since Fjord.
 * @example
 * l1FeeFjord(flzSize(signedTx(data)), { l1BaseFee, blobBaseFee, baseFeeScalar: 5_227n, blobBaseFeeScalar: 1_014_213n })
 */
export function l1FeeFjord(fastlzSize: number, s: FjordFees): bigint {
  const l1FeeScaled = s.baseFeeScalar * s.l1BaseFee * 16n + s.blobBaseFeeScalar * s.blobBaseFee;
  const linear = FJORD_INTERCEPT + FJORD_FASTLZ_COEF * BigInt(fastlzSize);
  const minimum = FJORD_MIN_TX_SIZE * 1_000_000n;
  const estimatedSize = linear > minimum ? linear : minimum;
  return (estimatedSize * l1FeeScaled) / 1_000_000_000_000n;
}

/** Measures, prints the tables and writes (or, with --check, checks) snapshots/calldata.json. */
async function main(): Promise<void> {
  const checkOnly = process.argv.includes("--check");

  // ---- Measure ----

  interface Encoded {
    /** Calldata of the whole call, bytes. */
    raw: number;
    /** FastLZ size of the whole signed transaction, bytes (what the fee is computed on). */
    flzTx: number;
    /** FastLZ size of the calldata alone, bytes. */
    flzCalldata: number;
    calldataGas: number;
    /** L1 data fee of the whole transaction, wei, per scenario. */
    l1Fee: bigint[];
  }
  function measure(data: Hex): Encoded {
    const flzTx = flzSize(signedTx(data));
    return {
      raw: size(data),
      flzTx,
      flzCalldata: flzSize(data),
      calldataGas: calldataGas(data),
      l1Fee: SCENARIOS.map((s) =>
        l1FeeFjord(flzTx, { ...s, baseFeeScalar: BASE_FEE_SCALAR, blobBaseFeeScalar: BLOB_BASE_FEE_SCALAR }),
      ),
    };
  }

  const gasSnapshot = JSON.parse(readFileSync(GAS_SNAPSHOT, "utf8")) as Record<string, string>;
  function gasRow(name: string): bigint {
    const gas = gasSnapshot[name];
    if (gas === undefined) throw new Error(`snapshots/gas.json has no "${name}"`);
    return BigInt(gas);
  }
  const results: { mix: Mix; before: Encoded; after: Encoded; l2Gas: bigint }[] = [];
  for (const mix of MIXES) {
    const batch = await batchOf(mix);
    const before = encodeFunctionData({
      abi: OLD_ABI,
      functionName: "pledgeBatch",
      args: [batch.map(({ level, support, nonce, r, vs, voucher }) => ({ level, support, nonce, r, vs, voucher }))],
    });
    const packed = encodePledges(batch);
    // The bytes measured are the bytes the new contract will read back.
    if (decodePledges(packed).some((p, i) => fields(p) !== fields(batch[i]))) {
      throw new Error(`mix (${mix.id}): decodePledges(encodePledges(batch)) differs from the batch`);
    }
    const after = encodeFunctionData({ abi: NEW_ABI, functionName: "pledgeBatch", args: [packed] });
    results.push({ mix, before: measure(before), after: measure(after), l2Gas: mix.l2Gas(gasRow) });
  }
  function fields(p: SignedPledge): string {
    return [p.level, p.condition, p.nonce, p.support, p.r, p.vs, p.voucher].join(" ");
  }

  // ---- Print ----

  const per = (n: number) => (n / BATCH).toFixed(1);
  const pct = (before: number, after: number) => `${(((after - before) / before) * 100).toFixed(1)}%`;
  const gwei = (wei: bigint) => (Number(wei) / 1e9).toFixed(2);
  const share = (l1: bigint, l2Gas: bigint) => {
    const l1Wei = Number(l1) / BATCH;
    return `${((100 * l1Wei) / (l1Wei + Number(l2Gas * L2_BASE_FEE))).toFixed(1)}%`;
  };
  const pad = (s: string, n: number) => s.padEnd(n);
  const lpad = (s: string, n: number) => s.padStart(n);
  const label = (m: Mix) => `(${m.id}) ${m.name}`;
  const W = Math.max(...MIXES.map((m) => label(m).length));
  const fee = (wei: bigint) => (wei < GWEI ? `${wei} wei` : `${gwei(wei)} gwei`);

  const out: string[] = [];
  out.push(
    `Bytes per relayed pledge, batches of ${BATCH} (BEFORE: pledgeBatch(SignedPledge[]), AFTER: pledgeBatch(bytes) packed)`,
    `FastLZ as OP-stack since Fjord (solady LibZip.flzCompress): "tx" = the whole signed EIP-1559 transaction,`,
    `"calldata" = the call's data alone. Each figure is the batch's total / ${BATCH}, so the transaction's own`,
    `bytes are shared among its pledges.`,
    "",
    `| ${pad("mix", W)} | ${pad("raw before", 10)} | ${pad("raw after", 9)} | ${pad("raw Δ", 7)} | ${pad("flz tx before", 13)} | ${pad("flz tx after", 12)} | ${pad("flz tx Δ", 8)} | ${pad("flz calldata before", 19)} | ${pad("flz calldata after", 18)} |`,
    `|${"-".repeat(W + 2)}|${"-".repeat(12)}|${"-".repeat(11)}|${"-".repeat(9)}|${"-".repeat(15)}|${"-".repeat(14)}|${"-".repeat(10)}|${"-".repeat(21)}|${"-".repeat(20)}|`,
  );
  for (const { mix, before, after } of results) {
    out.push(
      `| ${pad(label(mix), W)} | ${lpad(per(before.raw), 10)} | ${lpad(per(after.raw), 9)} | ${lpad(pct(before.raw, after.raw), 7)} | ${lpad(per(before.flzTx), 13)} | ${lpad(per(after.flzTx), 12)} | ${lpad(pct(before.flzTx, after.flzTx), 8)} | ${lpad(per(before.flzCalldata), 19)} | ${lpad(per(after.flzCalldata), 18)} |`,
    );
  }

  out.push(
    "",
    `L1 data fee per relayed pledge on an OP-stack chain (Fjord formula), and its share of the pledge's cost`,
    `l1Fee / (l1Fee + L2 gas × L2 base fee). Assumptions: OP Mainnet scalars baseFeeScalar ${BASE_FEE_SCALAR},`,
    `blobBaseFeeScalar ${BLOB_BASE_FEE_SCALAR} (set at Fjord, July 2024); L2 base fee ${gwei(L2_BASE_FEE)} gwei; ` +
      SCENARIOS.map((s) => `${s.name}: L1 base fee ${fee(s.l1BaseFee)}, blob base fee ${fee(s.blobBaseFee)}`).join(
        "; ",
      ) +
      ".",
    `L2 gas per pledge: snapshots/gas.json's relayed batches, the same for BEFORE and AFTER (measured on the`,
    `contract of that snapshot); * = the plain batch plus the ECDSA voucher's extra gas in an own-wallet pledge.`,
    `The packed call also spends less L2 calldata gas (below); that is not taken off.`,
    "",
    `| ${pad("mix", W)} | ${pad("scenario", 15)} | ${pad("L1 fee before", 13)} | ${pad("L1 fee after", 12)} | ${pad("L2 gas", 6)} | ${pad("L1 share before", 15)} | ${pad("L1 share after", 14)} |`,
    `|${"-".repeat(W + 2)}|${"-".repeat(17)}|${"-".repeat(15)}|${"-".repeat(14)}|${"-".repeat(8)}|${"-".repeat(17)}|${"-".repeat(16)}|`,
  );
  for (const { mix, before, after, l2Gas } of results) {
    SCENARIOS.forEach((s, k) => {
      out.push(
        `| ${pad(k === 0 ? label(mix) : "", W)} | ${pad(s.name, 15)} | ${lpad(`${gwei(before.l1Fee[k] / BigInt(BATCH))} gwei`, 13)} | ${lpad(`${gwei(after.l1Fee[k] / BigInt(BATCH))} gwei`, 12)} | ${lpad(`${mix.id === "c" ? "*" : ""}${l2Gas}`, 6)} | ${lpad(share(before.l1Fee[k], l2Gas), 15)} | ${lpad(share(after.l1Fee[k], l2Gas), 14)} |`,
      );
    });
  }
  out.push(
    "",
    "L2 calldata gas per pledge (EIP-2028), before → after: " +
      results
        .map(({ mix, before, after }) => `(${mix.id}) ${per(before.calldataGas)} → ${per(after.calldataGas)}`)
        .join(", "),
  );

  // ---- Budgets ----

  interface Check {
    name: string;
    value: string;
    budget: string;
    ok: boolean;
    note?: string;
  }
  const checks: Check[] = [];
  for (const { mix, before, after } of results) {
    if (mix.id === "a" || mix.id === "b") {
      checks.push({
        name: `(${mix.id}) AFTER raw bytes per pledge`,
        value: per(after.raw),
        budget: `≤ ${AFTER_RAW_BUDGET}`,
        ok: after.raw <= AFTER_RAW_BUDGET * BATCH,
      });
    }
    checks.push({
      name: `(${mix.id}) AFTER FastLZ tx bytes per pledge`,
      value: per(after.flzTx),
      budget: `< ${per(before.flzTx)}`,
      ok: after.flzTx < before.flzTx,
      note: `${pct(before.flzTx, after.flzTx)} against BEFORE`,
    });
  }
  out.push(
    "",
    `| ${pad("budget", 40)} | ${pad("value", 7)} | ${pad("budget", 9)} | ok |`,
    `|${"-".repeat(42)}|${"-".repeat(9)}|${"-".repeat(11)}|----|`,
  );
  for (const c of checks) {
    out.push(
      `| ${pad(c.name, 40)} | ${lpad(c.value, 7)} | ${pad(c.budget, 9)} | ${c.ok ? "✓" : "✗"}  |${c.note ? ` ${c.note}` : ""}`,
    );
  }
  const missed = checks.filter((c) => !c.ok).length;
  out.push(missed === 0 ? "\nall calldata budgets met" : `\n${missed} calldata budget(s) missed`);
  console.log(out.join("\n"));
  // With --check only the snapshot decides, as in bench:gas.
  if (missed > 0 && !checkOnly && process.env.BASCULE_BENCH_REPORT_ONLY !== "1") process.exitCode = 1;

  // ---- Snapshot ----

  // One line per figure, whole numbers as decimal strings: bytes and fees of the whole batch (the table
  // divides them by 100). The L1 share is left out: it follows snapshots/gas.json, which has its own check.
  const measured: Record<string, string> = {};
  for (const { mix, before, after } of results) {
    for (const [when, e] of [
      ["before", before],
      ["after", after],
    ] as const) {
      const name = `(${mix.id}) ${mix.name}, ${when}`;
      measured[`${name}: calldata bytes`] = e.raw.toString();
      measured[`${name}: FastLZ bytes, signed tx`] = e.flzTx.toString();
      measured[`${name}: FastLZ bytes, calldata`] = e.flzCalldata.toString();
      SCENARIOS.forEach((s, k) => (measured[`${name}: L1 fee (wei), ${s.name}`] = e.l1Fee[k].toString()));
    }
  }
  writeOrCheck({ file: SNAPSHOT, name: "calldata", verb: "measured", tolerance: TOLERANCE }, measured, checkOnly);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
