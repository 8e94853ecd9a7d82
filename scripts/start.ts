/**
 * `npm start`: a local chain, the contracts, demo campaigns, and every service through the
 * production launcher (scripts/launch) with the demo config (deploy/bascule.config.demo.json);
 * prints what a newcomer needs (the dApp, the check-in, the payout desk and the invite codes'
 * pages) and one "ready" line with the real elapsed time. Everything else (the contract build, the
 * dApp build, the deployment, the seeding, the services' JSON log lines) goes to .bascule/, or to
 * the terminal too with `npm start -- --verbose`. Ctrl-C stops everything.
 *
 * A build that is current is reused: the contracts through Hardhat's own cache (`hardhat build`
 * compiles nothing when no source changed), the dApp when frontend/dist is newer than every source
 * it is built from (`dappIsCurrent`).
 *
 * Options (environment): PORT (dApp, default 5173), CHAIN_PORT (default 8545), NO_SEED=1,
 * NO_BUILD=1 (reuse frontend/dist as it is), REBUILD=1 (build the dApp even if current),
 * RPC_LIMITS=1 (the dApp and services read the chain through a proxy with a public endpoint's
 * limits: 1,000 blocks and 10,000 results per eth_getLogs, 10 MiB per answer), NO_INDEXER=1,
 * FEDERATION_PORT (default 8791), NO_FEDERATION=1.
 *
 * The federation runs on https://localhost:8791 with a certificate from a CA made on this machine
 * (scripts/demo/tls.ts, kept in .bascule/tls/); the one line it prints is the command that follows
 * the open demo campaign from a second local instance (`npm run follow`, in another terminal).
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { appUrl, checkinPath, deskPath, unionPath } from "@bascule/core/routes";
import { ROOT, buildFrontend, dappIsCurrent, startStack } from "./demo/stack.js";

// From the process's own start (performance.timeOrigin), so the "ready" time includes loading
// TypeScript and the imports, as the person waiting sees it, not only the work after them.
const started = performance.timeOrigin;
const verbose = process.argv.includes("--verbose") || process.env.VERBOSE === "1";
const logDir = path.join(ROOT, ".bascule");
mkdirSync(logDir, { recursive: true });
const startLog = path.join(logDir, "start.log");
writeFileSync(startLog, "");
/** An internal line: into .bascule/start.log, and the terminal with --verbose. */
const note = (line: string) => {
  appendFileSync(startLog, `${new Date().toISOString()} ${line}\n`);
  if (verbose) console.log(`  ${line}`);
};

function fail(what: string, error: unknown): never {
  console.error(
    `\n${what}: ${error instanceof Error ? error.message : String(error)}\n(details / détails : ${startLog})`,
  );
  process.exit(1);
}

/** `hardhat build --quiet`, its output (solc's warnings included) into the log; nothing compiled when current. */
async function buildContracts(): Promise<void> {
  const t = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/hardhat/dist/src/cli.js"), "build", "--quiet"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (output.trim()) note(output.trim());
  if (code !== 0) throw new Error(`hardhat build exited ${code}:\n${output.slice(-2000)}`);
  note(`contracts: hardhat build in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

console.log("Starting Bascule… / Démarrage de Bascule…");
// The contracts' build runs while the chain starts; the deployment waits for it.
const contracts = process.env.NO_BUILD === "1" ? Promise.resolve() : buildContracts();
contracts.catch((error: unknown) => fail("build failed / la construction a échoué", error));
try {
  if (process.env.NO_BUILD !== "1") {
    if (process.env.REBUILD === "1" || !dappIsCurrent()) {
      const t = Date.now();
      console.log("  building the dApp (first start, or its sources changed) / construction de l’application…");
      await buildFrontend(note);
      note(`dApp: vite build in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } else note("dApp: frontend/dist is current, not rebuilt");
  }
} catch (error) {
  fail("build failed / la construction a échoué", error);
}

let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack({
    port: Number(process.env.PORT ?? 5173),
    chainPort: Number(process.env.CHAIN_PORT ?? 8545),
    seed: process.env.NO_SEED !== "1",
    build: false,
    rpcLimits: process.env.RPC_LIMITS === "1",
    indexer: process.env.NO_INDEXER !== "1",
    federation: process.env.NO_FEDERATION !== "1",
    federationPort: Number(process.env.FEDERATION_PORT ?? 8791),
    tlsDir: path.join(logDir, "tls"),
    logFile: path.join(logDir, "services.log"),
    // Ready once the dApp and services answer: its list reads the chain until the indexer has caught up.
    waitIndexer: false,
    beforeDeploy: contracts,
    log: note,
  });
} catch (error) {
  fail("start failed / le démarrage a échoué", error);
}

const seconds = (Date.now() - started) / 1000;
const lines = [
  "",
  `Bascule is ready in ${seconds.toFixed(1)} s / Bascule est prêt en ${seconds.toFixed(1).replace(".", ",")} s`,
  "",
  `  dApp / application:                 ${stack.url}`,
];
if (stack.union) {
  lines.push(`  check-in / pointage :               ${appUrl(stack.url, checkinPath(stack.union.campaign))}`);
  lines.push(
    `  payout desk / guichet :             ${appUrl(stack.url, deskPath(stack.union.campaign, stack.union.desk))}`,
  );
  lines.push(`  invite codes / codes d’invitation : ${appUrl(stack.url, unionPath(stack.union.campaign))}`);
}
if (stack.attester) {
  lines.push(`    organiser token / jeton d’organisation :  ${stack.attester.token}`);
  lines.push(`    desk clerks’ token / jeton des guichets : ${stack.attester.deskToken}`);
}
if (stack.federation && stack.demo) {
  const handle = `@campaign-${stack.demo.open.toLowerCase()}@${new URL(stack.federation.publicUrl).host}`;
  lines.push(`  follow / suivre (2nd/2e terminal) : npm run follow -- ${handle}`);
}
lines.push("", `Ctrl-C to stop / pour arrêter. Logs: ${path.relative(process.cwd(), logDir) || "."}/`);
console.log(lines.join("\n"));
note(
  `ready in ${seconds.toFixed(1)} s; chain ${stack.rpcUrl} (chain id ${stack.chainId}), metrics ${stack.metricsUrl}`,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping… / arrêt…");
  await stack.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
