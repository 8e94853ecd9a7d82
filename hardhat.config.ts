import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";
import { BASCULE_SALT } from "./deploy/salt.js";

const require = createRequire(import.meta.url);

// The compiler comes from the `solc` npm package (WebAssembly): nothing is
// downloaded at build time, and every machine compiles with the same bytes.
const SOLC_VERSION = "0.8.37";
const solcPath = require.resolve("solc/soljson.js");

/** The compiler configuration of the project (one compiler, one set of settings but the runs). */
function compiler(runs = 10_000) {
  return {
    version: SOLC_VERSION,
    path: solcPath,
    settings: {
      optimizer: { enabled: true, runs },
      viaIR: true,
      evmVersion: "cancun",
    },
  };
}

/** A build profile: every file with `compiler()`, the campaign and its factory with CAMPAIGN_RUNS (below). */
function profile(isolated: boolean) {
  return {
    isolated,
    compilers: [compiler()],
    // A file that deploys a campaign embeds its creation code (the factory's `new Campaign()`, the
    // Solidity tests' `new CampaignFactory()`): each is compiled alike, or it would embed the large one.
    overrides: Object.fromEntries(CAMPAIGN_FILES.map((file) => [file, compiler(CAMPAIGN_RUNS)])),
  };
}

/**
 * Campaign.sol alone is optimised for size: at 10,000 runs its runtime code (27.0 kB) is over the
 * 24,576-byte limit of EIP-170 since support-conditional pledges; at 200 it is 22.6 kB. Its gas is
 * measured by `npm run bench:gas` at these settings, against the same budgets. What 200 runs costs,
 * measured with the same code at 10,000 runs on a chain without the size limit: +380 gas for an
 * own-wallet pledge (67,164 -> 67,544), +218 per relayed pledge (32,593 -> 32,811), +480 for a
 * relayed claim (60,398 -> 60,878), +257 for resolve (78,476 -> 78,733).
 */
const CAMPAIGN_RUNS = 200;
const CAMPAIGN_FILES = [
  "contracts/Campaign.sol",
  "contracts/CampaignFactory.sol",
  "test/solidity/CampaignHandler.sol",
  "test/solidity/CampaignInvariants.t.sol",
];

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  // Ignition's modules and the journals of public chains live in deploy/ (deploy/modules/, deploy/deployments/).
  paths: { ignition: "deploy" },
  solidity: {
    // Two build profiles with the same compiler and settings, hence the same bytecode and metadata
    // hash. `default` (tests, `npm run build`) compiles the whole project in one job; `production`
    // (what Ignition deploys and what is published for verification) compiles each contract file
    // alone, so its standard-JSON input holds only the sources that contract imports: no test
    // contract from contracts/test/. Hardhat's own `production` profile would not copy these
    // settings (it falls back to 200 runs, no viaIR, solc's default EVM): never rely on it.
    profiles: {
      default: profile(false),
      production: profile(true),
    },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    // Public networks: RPC URL and deployer key from environment variables or Hardhat's keystore
    // (`npx hardhat keystore set DEPLOYER_PRIVATE_KEY`); no key is ever in the repository.
    ...publicNetworks({
      sepolia: "l1",
      base: "op",
      baseSepolia: "op",
      optimism: "op",
      optimismSepolia: "op",
      arbitrum: "generic",
      arbitrumSepolia: "generic",
      gnosis: "generic",
      chiado: "generic",
    }),
  },
  // Ignition (`npm run deploy`, `npm run deploy:network -- --network X`): the `create2` strategy with
  // one salt, so the factory has the same address on every chain (see deploy/salt.ts).
  ignition: {
    strategyConfig: { create2: { salt: BASCULE_SALT } },
  },
  // `npm run verify -- --network X`: Etherscan family (one Etherscan v2 key for every chain), Blockscout, Sourcify.
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
    blockscout: { enabled: true },
    sourcify: { enabled: true },
  },
});

/** `<NAME>_RPC_URL` (e.g. BASE_SEPOLIA_RPC_URL) and DEPLOYER_PRIVATE_KEY for each network. */
function publicNetworks<T extends Record<string, "l1" | "op" | "generic">>(chains: T) {
  const networks: Record<
    string,
    {
      type: "http";
      chainType: "l1" | "op" | "generic";
      url: ReturnType<typeof configVariable>;
      accounts: ReturnType<typeof configVariable>[];
    }
  > = {};
  for (const [name, chainType] of Object.entries(chains)) {
    const variable = `${name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase()}_RPC_URL`;
    networks[name] = {
      type: "http",
      chainType,
      url: configVariable(variable),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    };
  }
  return networks;
}
