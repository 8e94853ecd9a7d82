/**
 * `npm run deploy -- [--module Bascule|CampaignFactory]`: deploys an Ignition module (default
 * `Bascule`, everything) to a local chain with the `create2` strategy, at the addresses it has on
 * every chain. RPC_URL (default http://127.0.0.1:8545); DEPLOYER_PRIVATE_KEY (default: Hardhat's
 * test account #0, on a local chain only). Ignition's journal stays in memory: nothing is written
 * into the checkout. Prints the addresses as JSON.
 *
 * Public networks go through Ignition's own command, which keeps its journal in
 * deploy/deployments/chain-<id>/ to be committed (docs/operator-guide.md):
 *   npm run deploy:network -- --network sepolia
 */
import { type Hex, createPublicClient, http } from "viem";
// The local chain is the only one where Ignition puts CreateX itself.
import { LOCAL_CHAIN_ID, signingKey } from "../kit/local-key.js";
import { MODULE_IDS, type ModuleId, deployBascule } from "../lib/deployment.js";

function fail(en: string, fr: string): never {
  console.error(`${en}\n${fr}`);
  process.exit(1);
}

const rpcUrl = process.env.RPC_URL ?? "http://127.0.0.1:8545";
const moduleIndex = process.argv.indexOf("--module");
const moduleId = (moduleIndex > 0 ? process.argv[moduleIndex + 1] : "Bascule") as ModuleId;
if (!MODULE_IDS.includes(moduleId)) {
  fail(
    `Unknown module "${String(moduleId)}": use one of ${MODULE_IDS.join(", ")} (files in deploy/modules/).`,
    `Module « ${String(moduleId)} » inconnu : utilisez ${MODULE_IDS.join(", ")} (fichiers de deploy/modules/).`,
  );
}
let chainId: number;
try {
  chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
} catch {
  fail(
    `No chain answers at ${rpcUrl}: start one (npx hardhat node) or set RPC_URL.`,
    `Aucune chaîne ne répond à ${rpcUrl} : lancez-en une (npx hardhat node) ou réglez RPC_URL.`,
  );
}
if (chainId !== LOCAL_CHAIN_ID) {
  fail(
    `Chain ${chainId} is not a local chain: deploy with \`npm run deploy:network -- --network <name>\`, which records the deployment in deploy/deployments/.`,
    `La chaîne ${chainId} n'est pas locale : déployez avec \`npm run deploy:network -- --network <nom>\`, qui consigne le déploiement dans deploy/deployments/.`,
  );
}
// Hardhat's test account #0 unless a key is given (this command runs on a local chain only).
const privateKey: Hex = signingKey({
  given: process.env.DEPLOYER_PRIVATE_KEY,
  variable: "DEPLOYER_PRIVATE_KEY",
  chainId,
  testAccount: 0,
});
const result = await deployBascule({ rpcUrl, privateKey, module: moduleId, log: (line) => console.error(line) });
console.log(
  JSON.stringify(
    { chainId: result.chainId, module: moduleId, newlyDeployed: result.newlyDeployed, ...result.contracts },
    null,
    2,
  ),
);
