/**
 * The CREATE2 salt of every Bascule deployment, read by hardhat.config.ts (Ignition's `create2`
 * strategy) and scripts/lib/deployment.ts (the address prediction).
 *
 * Ignition's create2 strategy deploys through CreateX (0xba5Ed099633D3B313e4D5F7bdc1305d3c28ba5Ed,
 * the same address on 150+ chains), whose `deployCreate2(salt, initCode)` reads the salt's first 20
 * bytes and its 21st byte as guards: first 20 bytes = the sender → only that sender may deploy;
 * 21st byte = 0x01 → the chain id is mixed in (a different address on every chain). This salt starts
 * with neither the zero address nor any sender's, so CreateX uses `keccak256(abi.encode(salt))`:
 * anyone may deploy the factory, on any chain, and it lands at the same address, with the same code
 * (its constructor takes no argument and records no deployer).
 */
import { keccak256, toHex } from "viem";

export const BASCULE_SALT = keccak256(toHex("Bascule CampaignFactory v1"));
