/**
 * 1,100 signed pledges through the relayer to a real `hardhat node`: every one accepted ends up
 * on-chain exactly once, and the campaign's tallies equal what was accepted. 1,100 crosses every
 * boundary of the path: four full batches of 250 and a partial one, the submitter's window of twice
 * a batch read from the store (500) twice, the signature recoverer's batches of 256, viem's JSON-RPC
 * batches of 200 and the poll's chunks of 64. The same check at 10,000 pledges (what this test ran
 * until it took two minutes of `npm test`) is `BENCH_PLEDGES=10000 npm run bench:relayer`, which
 * exits 1 on any difference.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { runLoad } from "../../scripts/bench/load.js";
import { type LocalNode, TEST_KEYS, startNode } from "../helpers/node.js";

/** Pledges sent: see above. */
const PLEDGES = 1_100;

describe("relayer under load", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let dir: string;

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-load-"));
  });

  after(async function () {
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("relays 1,100 pledges, across every batch boundary, with on-chain tallies equal to what was accepted", async function () {
    const report = await runLoad({
      rpcUrl: node.url,
      deployerKey: TEST_KEYS[0],
      organiserKey: TEST_KEYS[1],
      relayerKey: TEST_KEYS[2],
      count: PLEDGES,
      batchSize: 250,
      batchLatencyMs: 200,
      dbPath: path.join(dir, "relayer.db"),
    });
    expect(report.accepted).to.equal(PLEDGES);
    expect(report.tallies.counts).to.deep.equal(report.expected.counts);
    expect(report.tallies.requested).to.deep.equal(report.expected.requested);
    expect(report.tallies.counts.reduce((a, b) => a + b, 0)).to.equal(PLEDGES + 1);
  });
});
