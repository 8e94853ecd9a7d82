/**
 * The cost benchmark's arithmetic (scripts/bench/cost.ts), on cases computed by hand: the OP-stack
 * Fjord L1 fee (calldata.ts's `l1FeeFjord`) on other clients' test vectors and Solady's FastLZ on
 * op-geth's, one transaction on each kind of chain, and a campaign of 1,000 pledges on Base in the
 * quiet scenario, operation by operation. No chain.
 */
import { expect } from "chai";
import {
  ARBITRUM_UNITS_PER_BYTE,
  CAMPAIGN,
  FEE_INPUTS,
  type GasRows,
  type Operation,
  arbitrumTxFee,
  campaignCost,
  campaignOperations,
  campaignTxs,
  fundingFor,
  l1TxFee,
  opStackTxFee,
  proofDepth,
  roundUp2,
  CHAINS,
} from "../../scripts/bench/cost.js";
import { calldataGas, flzSize, l1FeeFjord } from "../../scripts/bench/calldata.js";

/** Base in the quiet scenario, as FEE_INPUTS has it. */
const BASE_QUIET = {
  l2BaseFee: 5_000_000n, // 0.005 gwei, Base's minimum base fee
  priorityFee: 1_000_000n, // 0.001 gwei
  l1BaseFee: 500_000_000n, // 0.5 gwei
  blobBaseFee: 31_250_000n, // 0.5 gwei / 16 (EIP-7918)
  baseFeeScalar: 2_269n,
  blobBaseFeeScalar: 1_055_762n,
};
const base = CHAINS.find((c) => c.id === "base")!;

describe("cost benchmark", function () {
  describe("FastLZ and the Fjord L1 fee", function () {
    it("sizes op-geth's FlzCompressLen vectors as op-geth does (1,000 × 0x01 or 0x00: 21 bytes)", function () {
      expect(flzSize(`0x${"01".repeat(1000)}`)).to.equal(21);
      expect(flzSize(`0x${"00".repeat(1000)}`)).to.equal(21);
    });

    // Nethermind's Optimism GasCostTests (Fjord_l1cost_should_match): fastLzSize, l1BaseFee,
    // blobBaseFee, baseFeeScalar, blobBaseFeeScalar → fee.
    const vectors: [string, bigint, number, bigint, bigint, bigint, bigint][] = [
      ["below the minimum size (50)", 3_203_000n, 50, 1_000_000_000n, 10_000_000n, 2n, 3n],
      ["at the minimum size (170)", 3_203_000n, 170, 1_000_000_000n, 10_000_000n, 2n, 3n],
      ["just above the minimum (171)", 3_217_602n, 171, 1_000_000_000n, 10_000_000n, 2n, 3n],
      ["above the minimum (200)", 3_994_602n, 200, 1_000_000_000n, 10_000_000n, 2n, 3n],
      ["a mainnet block's values", 2_883_950_646_753n, 1044, 28_549_556_977n, 1n, 7_600n, 862_000n],
    ];
    for (const [name, fee, size, l1BaseFee, blobBaseFee, baseFeeScalar, blobBaseFeeScalar] of vectors) {
      it(`gives another client's Fjord fee: ${name}`, function () {
        expect(l1FeeFjord(size, { l1BaseFee, blobBaseFee, baseFeeScalar, blobBaseFeeScalar })).to.equal(fee);
      });
    }
  });

  describe("one transaction", function () {
    it("prices a batch of 100 plain pledges on Base, quiet: execution at base + priority fee, L1 data by Fjord", function () {
      const fee = opStackTxFee({ gas: 3_281_100n, flz: 7_119, brotli: 0 }, BASE_QUIET);
      // 3,281,100 gas × (0.005 + 0.001) gwei
      expect(fee.execution).to.equal(19_686_600_000_000n);
      // estimatedSize = −42,585,600 + 836,500 × 7,119 = 5,912,457,900 (1e6 units)
      // l1FeeScaled = 2,269 × 0.5e9 × 16 + 1,055,762 × 31,250,000 = 51,144,562,500,000
      // 5,912,457,900 × 51,144,562,500,000 / 1e12 = 302,390,072,595 (rounded down)
      expect(fee.l1Data).to.equal(302_390_072_595n);
    });

    it("prices the same transaction through the chain table with FEE_INPUTS' quiet Base figures", function () {
      const tx = { gas: 3_281_100n, flz: 7_119, brotli: 0 };
      expect(base.txFee(tx, "quiet")).to.deep.equal(opStackTxFee(tx, BASE_QUIET));
    });

    it("prices an Arbitrum transaction: gas × base fee, plus price per unit × 16 × brotli bytes", function () {
      const fee = arbitrumTxFee(
        { gas: 89_301n, flz: 0, brotli: 1_050 },
        { l2BaseFee: 10_000_000n, l1PricePerUnit: 10_000_000n },
      );
      expect(ARBITRUM_UNITS_PER_BYTE).to.equal(16n);
      expect(fee.execution).to.equal(893_010_000_000n); // 89,301 × 0.01 gwei
      expect(fee.l1Data).to.equal(168_000_000_000n); // 0.01 gwei × 16 × 1,050
    });

    it("prices a Gnosis transaction as an L1 does: gas × gas price, no data fee", function () {
      expect(l1TxFee({ gas: 3_281_100n, flz: 7_119, brotli: 7_233 }, { gasPrice: 1_000_000_000n })).to.deep.equal({
        execution: 3_281_100_000_000_000n,
        l1Data: 0n,
      });
    });
  });

  describe("a campaign of 1,000 pledges on Base, quiet", function () {
    // Three of its operations, with the sizes the benchmark finds for them.
    const ops: Operation[] = [
      { name: "create", payer: "organiser", tx: { gas: 332_584n, flz: 885, brotli: 829 }, perTx: 1n, units: 1n },
      {
        name: "pledges",
        payer: "relayer",
        tx: { gas: 3_281_100n, flz: 7_119, brotli: 7_233 },
        perTx: 100n,
        units: 650n,
      },
      { name: "claims", payer: "relayer", tx: { gas: 89_301n, flz: 937, brotli: 1_050 }, perTx: 1n, units: 200n },
    ];

    it("adds each operation's fee × units / units per transaction, and splits it by payer", function () {
      const cost = campaignCost(ops, (tx) => opStackTxFee(tx, BASE_QUIET));
      // create: 332,584 × 6e6 = 1,995,504,000,000; L1 (−42,585,600 + 836,500 × 885) × 51,144,562,500,000 / 1e12
      //   = 697,716,900 × 51.1445625 = 35,684,425,599
      const create = 1_995_504_000_000n + 35_684_425_599n;
      // 650 pledges: the batch's 19,686,600,000,000 and 302,390,072,595, × 650 / 100
      const pledgesExecution = 127_962_900_000_000n;
      const pledgesL1 = 1_965_535_471_867n; // 302,390,072,595 × 6.5, rounded down
      // 200 claims: 89,301 × 6e6 = 535,806,000,000 each; L1 (−42,585,600 + 836,500 × 937) = 741,214,900
      //   × 51.1445625 = 37,909,111,778 each
      const claimsExecution = 200n * 535_806_000_000n;
      const claimsL1 = 200n * 37_909_111_778n;
      expect(cost.execution).to.equal(1_995_504_000_000n + pledgesExecution + claimsExecution);
      expect(cost.l1Data).to.equal(35_684_425_599n + pledgesL1 + claimsL1);
      expect(cost.byPayer.organiser).to.equal(create);
      expect(cost.byPayer.relayer).to.equal(pledgesExecution + pledgesL1 + claimsExecution + claimsL1);
      expect(cost.byPayer.relayer).to.equal(244_671_457_827_467n);
      expect(cost.total).to.equal(cost.byPayer.organiser + cost.byPayer.relayer);
      expect(cost.byPayer.keeper + cost.byPayer.donors).to.equal(0n);
    });

    it("funds the relayer with its loaded fees plus 25%, rounded up to two significant digits", function () {
      expect(fundingFor(244_671_457_827_467n)).to.equal(310_000_000_000_000n); // 305,839,… → 310,000,…
      expect(roundUp2(7_451n)).to.equal(7_500n);
      expect(roundUp2(7_500n)).to.equal(7_500n);
      expect(roundUp2(99n)).to.equal(99n);
      expect(roundUp2(101n)).to.equal(110n);
    });
  });

  describe("the campaign's operations", function () {
    this.timeout(120_000);
    // Round gas figures, so each derived row can be checked by hand.
    const rows: Record<string, bigint> = {
      "create campaign, 64 levels": 300_000n,
      "relayed batch of 100, per pledge": 30_000n,
      "the same batch, class 0, per pledge": 31_000n,
      "relayed batch of 100 conditional pledges, per pledge": 32_000n,
      "pledge, own wallet, with support": 70_000n,
      "pledge, own wallet, with support, ECDSA voucher": 78_000n,
      "relayed batch of 100, blind vouchers, per pledge": 45_000n,
      "pledge change (level and support)": 77_000n,
      "donate ERC-20 with permit": 100_000n,
      "resolve with conditions, 64 levels × 3 classes, worst over random tallies": 500_000n,
      "relayed claim (ETH), with fee": 60_000n,
      "withdraw donation (ETH)": 40_000n,
      "withdraw donation (ERC-20)": 48_000n,
      "surplus return (ETH)": 44_000n,
    };
    const gas: GasRows = (name) => {
      if (rows[name] === undefined) throw new Error(`no row "${name}"`);
      return rows[name];
    };
    let ops: Operation[];
    let claimCalldataGas: number;

    before(async function () {
      const txs = await campaignTxs(gas);
      ops = campaignOperations(1_000n, gas, txs);
      claimCalldataGas = calldataGas(txs.claim(10)) - calldataGas(txs.claim(0));
    });
    const op = (prefix: string) => ops.find((o) => o.name.startsWith(prefix))!;

    it("counts 1,000 pledges by CAMPAIGN's shares, and the claims, donations and reclaims they bring", function () {
      expect(ops.map((o) => [o.name, o.payer, o.units, o.perTx])).to.deep.equal([
        ["create campaign", "organiser", 1n, 1n],
        ["pledge, plain", "relayer", 650n, 100n],
        ["pledge, support", "relayer", 100n, 100n],
        ["pledge, support + condition", "relayer", 100n, 100n],
        ["pledge, ECDSA voucher", "relayer", 100n, 100n],
        ["pledge, blind RSA voucher", "relayer", 50n, 100n],
        ["change (level and support)", "relayer", 100n, 100n],
        ["donation (ERC-20, permit)", "donors", 20n, 1n],
        ["resolve (64 levels × 3 classes)", "keeper", 1n, 1n],
        ["claim, relayed (proof of 10)", "relayer", 200n, 1n],
        ["reclaim (surplus, ERC-20)", "donors", 10n, 1n],
      ]);
      const pledges = ops.filter((o) => o.name.startsWith("pledge")).reduce((n, o) => n + o.units, 0n);
      expect(pledges).to.equal(1_000n);
      expect(
        CAMPAIGN.plain + CAMPAIGN.support + CAMPAIGN.supportCondition + CAMPAIGN.ecdsaVoucher + CAMPAIGN.blindVoucher,
      ).to.equal(10_000n);
    });

    it("takes each batch's gas from its own row, × 100", function () {
      expect(op("pledge, plain").tx.gas).to.equal(3_000_000n);
      expect(op("pledge, support +").tx.gas).to.equal(3_200_000n);
      expect(op("pledge, support").tx.gas).to.equal(3_100_000n);
      expect(op("pledge, blind").tx.gas).to.equal(4_500_000n);
      // calldata.ts's estimate: the plain batch + what the voucher adds to an own-wallet pledge
      expect(op("pledge, ECDSA").tx.gas).to.equal((30_000n + 78_000n - 70_000n) * 100n);
    });

    it("derives a relayed change, an ERC-20 reclaim and an oracle-gated claim from the measured rows", function () {
      expect(op("change").tx.gas).to.equal((30_000n + 77_000n - 70_000n) * 100n);
      expect(op("reclaim").tx.gas).to.equal(44_000n + 8_000n);
      // 60,000 + 8,000 (ERC-20) + 2,300 (root, leaf) + the proof's calldata + 10 × 100 (hash steps)
      expect(op("claim").tx.gas).to.equal(60_000n + 8_000n + 2_300n + BigInt(claimCalldataGas) + 1_000n);
      // Ten 32-byte elements and the array's length: between all-zero and all-non-zero bytes.
      expect(claimCalldataGas).to.be.within(10 * 32 * 4, 10 * 32 * 16 + 16);
    });

    it("sizes the proof as ⌈log2 n⌉ elements", function () {
      expect([1n, 2n, 3n, 1_000n, 1_024n, 100_000n, 1_000_000n].map(proofDepth)).to.deep.equal([
        0, 1, 2, 10, 10, 17, 20,
      ]);
    });
  });

  describe("FEE_INPUTS", function () {
    it("gives every input a date and a source, and a loaded figure no lower than the quiet one", function () {
      for (const [key, input] of Object.entries(FEE_INPUTS)) {
        expect(input.asOf, key).to.match(/^\d{4}-\d{2}-\d{2}$/);
        expect(input.source.length, key).to.be.greaterThan(20);
        expect(input.loaded >= input.quiet, key).to.equal(true);
      }
    });
  });
});
