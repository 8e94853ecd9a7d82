/**
 * `npm run serve -- --config F --keystore`: the secrets that the environment does not set are read
 * from Hardhat's keystore (`npx hardhat keystore set RELAYER_PRIVATE_KEY`), through Hardhat's own
 * configuration-variable hook chain, so the keystore plugin does the decryption and the password
 * prompt itself (the production keystore asks its password once on the terminal; the development
 * keystore, `--dev`, asks none). The environment wins over the keystore, as in Hardhat. Nothing read
 * here is logged or written anywhere.
 */
import hardhatKeystore from "@nomicfoundation/hardhat-keystore";
import { configVariable } from "hardhat/config";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import { SECRETS } from "./config.js";

export type SecretName = keyof typeof SECRETS;

/**
 * The environment with every secret of `SECRETS` it lacks filled from the keystore (those the
 * keystore does not hold stay unset, and the config check says which are needed).
 */
export async function environmentWithKeystore(
  env: Record<string, string | undefined>,
  root: string,
): Promise<Record<string, string | undefined>> {
  const missing = (Object.keys(SECRETS) as SecretName[]).filter((name) => !env[name]);
  if (missing.length === 0) return env;
  const hre = await createHardhatRuntimeEnvironment({ plugins: [hardhatKeystore] }, {}, root);
  const filled: Record<string, string> = {};
  for (const name of missing) {
    const value = await hre.hooks.runHandlerChain(
      "configurationVariables",
      "fetchValue",
      // With a default, Hardhat's plugin asks the production keystore's password only when the key
      // is stored there: secrets the environment already gives, or no service needs, never prompt.
      [configVariable(name, { default: "" })],
      // The end of the chain: neither the environment nor a keystore holds it.
      async () => "",
    );
    if (value) filled[name] = value;
  }
  return { ...env, ...filled };
}
