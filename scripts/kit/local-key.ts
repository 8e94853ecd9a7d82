/**
 * The local-test-key rule of the services that sign transactions (relayer, keeper, deploy): a key
 * given in the environment is used as is; without one, a local development chain (chain id 31337,
 * Hardhat's and Anvil's) gets one of Hardhat's well-known test accounts, and any other chain refuses
 * to start. The test accounts' keys are public: they must never hold anything on a real chain.
 */
import type { Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

/** The chain id of Hardhat's and Anvil's local nodes. */
export const LOCAL_CHAIN_ID = 31337;

/** Hardhat's and Anvil's public test mnemonic. */
const TEST_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * The private key of Hardhat's test account `index` (0 to 19 are funded on a local node).
 * @example localTestKey(0) // "0xac0974be…ff80"
 */
export function localTestKey(index: number): Hex {
  const key = mnemonicToAccount(TEST_MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`no key for test account ${index}`);
  return `0x${Buffer.from(key).toString("hex")}` as Hex;
}

/** No key was given outside a local chain. */
export class KeyRequiredError extends Error {
  constructor(variable: string) {
    super(`${variable} is required outside a local chain / ${variable} est requis hors chaîne locale`);
    this.name = "KeyRequiredError";
  }
}

/**
 * The key a service signs with: `given`, or on a local chain the test account `testAccount`.
 * @example const key = signingKey({ given: env.KEEPER_PRIVATE_KEY, variable: "KEEPER_PRIVATE_KEY", chainId, testAccount: 8 });
 */
export function signingKey(o: {
  given: string | undefined;
  variable: string;
  chainId: number;
  testAccount: number;
}): Hex {
  if (o.given) return o.given as Hex;
  if (o.chainId !== LOCAL_CHAIN_ID) throw new KeyRequiredError(o.variable);
  return localTestKey(o.testAccount);
}

/** signingKey for a main.ts: prints why and exits 1 instead of throwing. */
export function signingKeyOrExit(o: Parameters<typeof signingKey>[0]): Hex {
  try {
    return signingKey(o);
  } catch (error) {
    if (!(error instanceof KeyRequiredError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
