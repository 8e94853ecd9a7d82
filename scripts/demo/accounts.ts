/**
 * The local chain's well-known Hardhat accounts (public keys of a public mnemonic: never use them on
 * a real chain), and who plays which part in the demo.
 */
import { localTestKey } from "../kit/local-key.js";

/** The private key of Hardhat's test account `index` (the kit's local-test-key rule). */
export const hardhatKey = localTestKey;

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
