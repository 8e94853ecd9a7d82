/**
 * 10,000 signed pledges through the relayer to a real `hardhat node`: every one accepted ends up
 * on-chain exactly once, and the campaign's tallies equal what was accepted.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { runLoad } from "../../scripts/bench/load.js";
import { type LocalNode, TEST_KEYS, startNode } from "../helpers/node.js";

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

  it("relays 10,000 pledges with on-chain tallies equal to what was accepted", async function () {
    const report = await runLoad({
      rpcUrl: node.url,
      deployerKey: TEST_KEYS[0],
      organiserKey: TEST_KEYS[1],
      relayerKey: TEST_KEYS[2],
      count: 10_000,
      batchSize: 250,
      batchLatencyMs: 200,
      dbPath: path.join(dir, "relayer.db"),
    });
    expect(report.accepted).to.equal(10_000);
    expect(report.tallies.counts).to.deep.equal(report.expected.counts);
    expect(report.tallies.requested).to.deep.equal(report.expected.requested);
    expect(report.tallies.counts.reduce((a, b) => a + b, 0)).to.equal(10_001);
  });
});
