/**
 * The CREATE2 salt of every Bascule deployment, read by hardhat.config.ts (Ignition's `create2`
 * strategy) and scripts/lib/deployment.ts (the address prediction).
 *
 * Ignition's create2 strategy deploys through CreateX (0xba5Ed099633D3B313e4D5F7bdc1305d3c28ba5Ed,
 * the same address on 150+ chains), whose `deployCreate2(salt, initCode)` guards a salt whose first
 * 20 bytes are the sender's address (only that sender may deploy) or zero (then a 21st byte of 0x01
 * mixes in the chain id: a different address on every chain). This salt starts with neither, so
 * CreateX uses `keccak256(abi.encode(salt))`:
 * anyone may deploy the factory, on any chain, and it lands at the same address, with the same code
 * (its constructor takes no argument and records no deployer).
 */
import { keccak256, toHex } from "viem";

export const BASCULE_SALT = keccak256(toHex("Bascule CampaignFactory v1"));
