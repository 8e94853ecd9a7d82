/**
 * The local chain's well-known Hardhat accounts (public keys of a public mnemonic: never use them on
 * a real chain), and who plays which part in the demo.
 */
import type { Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

const MNEMONIC = "test test test test test test test test test test test junk";

export function hardhatKey(index: number): Hex {
  const key = mnemonicToAccount(MNEMONIC, { addressIndex: index }).getHdKey().privateKey;
  if (!key) throw new Error(`no key for account ${index}`);
  return `0x${Buffer.from(key).toString("hex")}` as Hex;
}

export const ROLES = {
  deployer: 0,
  relayer: 1,
  keeper: 2,
  /** The injected wallet of the end-to-end tests (a donor). */
  wallet: 3,
  organiser: 4,
  /** Donors of the seeded campaigns: accounts 5..9. */
  firstDonor: 5,
} as const;
