import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";
import { BASCULE_SALT } from "./deploy/salt.js";

const require = createRequire(import.meta.url);

// The compiler comes from the `solc` npm package (WebAssembly): nothing is
// downloaded at build time, and every machine compiles with the same bytes.
const SOLC_VERSION = "0.8.37";
const solcPath = require.resolve("solc/soljson.js");

/** The one compiler configuration of the project; `isolated`: one compilation job per contract file. */
function compiler(isolated: boolean) {
  return {
    version: SOLC_VERSION,
    path: solcPath,
    isolated,
    settings: {
      optimizer: { enabled: true, runs: 10_000 },
      viaIR: true,
      evmVersion: "cancun",
    },
  };
}

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
      default: compiler(false),
      production: compiler(true),
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
