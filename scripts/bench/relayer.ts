/**
 * `npm run bench:relayer`: pledges accepted per second by the relayer on this machine (goal >= 500/s)
 * and the end-to-end time of one pledge from HTTP request to its confirmed on-chain event, against a
 * real `hardhat node`. BENCH_PLEDGES sets the load (default 5000).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runLoad } from "../relayer/load.js";
import { TEST_KEYS, startNode } from "../../test/helpers/node.js";

const count = Number(process.env.BENCH_PLEDGES ?? 5000);
const node = await startNode();
const dir = await mkdtemp(path.join(tmpdir(), "bascule-bench-"));
try {
  const report = await runLoad({
    rpcUrl: node.url,
    deployerKey: TEST_KEYS[0],
    organiserKey: TEST_KEYS[1],
    relayerKey: TEST_KEYS[2],
    count,
    batchSize: 200,
    batchLatencyMs: 200,
    dbPath: path.join(dir, "relayer.db"),
    log: (line) => console.log(`  ${line}`),
  });
  const goal = 500;
  console.log(`relayer benchmark (${report.count} pledges, batches of 200, hardhat node on this machine)`);
  console.log(`  accepted:            ${report.accepted}/${report.count}`);
  console.log(`  accepted per second: ${report.acceptedPerSecond.toFixed(0)} /s (goal >= ${goal}/s: ${report.acceptedPerSecond >= goal ? "met" : "NOT met"})`);
  console.log(`  all on-chain after:  ${report.confirmSeconds.toFixed(1)} s in ${report.batches} transactions`);
  console.log(`  end-to-end (one pledge, request -> confirmed event): ${report.endToEndMs.toFixed(0)} ms`);
  console.log(`  on-chain tallies equal accepted: ${JSON.stringify(report.tallies.counts) === JSON.stringify(report.expected.counts)}`);
} finally {
  await node.stop();
  await rm(dir, { recursive: true, force: true });
}
