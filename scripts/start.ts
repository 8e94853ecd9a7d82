/**
 * `npm start`: a local chain, the contracts, demo campaigns, the relayer, the keeper, the indexer,
 * the notifier, the union's attester service and the dApp, all in one; prints the dApp's URL.
 * Ctrl-C stops everything.
 *
 * Options (environment): PORT (dApp, default 5173), CHAIN_PORT (default 8545), NO_SEED=1, NO_BUILD=1,
 * RPC_LIMITS=1 (the dApp, relayer and keeper read the chain through a proxy with a public
 * endpoint's limits: 1,000 blocks and 10,000 results per eth_getLogs, 10 MiB per answer).
 * NO_INDEXER=1 (the dApp's list then reads the chain).
 */
import { campaignUrl } from "@bascule/core/routes";
import { startStack } from "./demo/stack.js";

const started = Date.now();
const stack = await startStack({
  port: Number(process.env.PORT ?? 5173),
  chainPort: Number(process.env.CHAIN_PORT ?? 8545),
  seed: process.env.NO_SEED !== "1",
  build: process.env.NO_BUILD !== "1",
  rpcLimits: process.env.RPC_LIMITS === "1",
  indexer: process.env.NO_INDEXER !== "1",
  log: (line) => console.log(`  ${line}`),
});
console.log(`\nBascule is running (${((Date.now() - started) / 1000).toFixed(1)} s):\n\n    ${stack.url}\n`);
if (stack.demo) {
  console.log(`  open campaign:      ${campaignUrl(stack.url, stack.demo.open)}`);
  console.log(
    `  oracle campaign:    ${campaignUrl(stack.url, stack.demo.oracleCampaign)} (participation files in ${stack.participationDir})`,
  );
  console.log(`  token campaign:     ${campaignUrl(stack.url, stack.demo.tokenCampaign)} (token ${stack.demo.token})`);
  console.log(`  succeeded campaign: ${campaignUrl(stack.url, stack.demo.succeeded)}`);
  console.log(`  failed campaign:    ${campaignUrl(stack.url, stack.demo.failed)}`);
  console.log(`  unlisted campaign:  ${campaignUrl(stack.url, stack.demo.young)}`);
}
if (stack.union && stack.attester) {
  console.log(
    `  union campaign:     ${campaignUrl(stack.url, stack.union.campaign)} (invite codes only, blind vouchers)`,
  );
  console.log(`    invite codes / codes d'invitation: ${stack.union.codes.slice(0, 3).join(", ")}, …`);
  console.log(`    attester organiser token / jeton d'organisation: ${stack.attester.token}`);
}
if (stack.indexerUrl)
  console.log(
    `  indexer:            ${stack.indexerUrl}/campaigns (not a trustless check; the dApp reads it at /indexer/)`,
  );
console.log(
  `  chain RPC: ${stack.rpcUrl} (chain id ${stack.chainId}); wallets: Hardhat's test accounts\n\nCtrl-C to stop.`,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping…");
  await stack.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
