/**
 * `npm run verify -- --network X`: submits the sources of the deployed CampaignFactory and Campaign
 * implementation to every verifier enabled in hardhat.config.ts (Etherscan family, Blockscout,
 * Sourcify) through hardhat-verify. The addresses are the deterministic ones (same on every chain).
 */
import hre from "hardhat";
import { verifyContract } from "@nomicfoundation/hardhat-verify/verify";
import { predictBascule, readArtifact } from "../lib/deployment.js";

const { factory, implementation } = predictBascule((await readArtifact("CampaignFactory")).bytecode);
const targets = [
  { address: factory, contract: "contracts/CampaignFactory.sol:CampaignFactory" },
  { address: implementation, contract: "contracts/Campaign.sol:Campaign" },
];
const providers = (["etherscan", "blockscout", "sourcify"] as const).filter((p) => hre.config.verify[p].enabled);
let failed = false;
for (const target of targets) {
  for (const provider of providers) {
    try {
      const ok = await verifyContract({ ...target, constructorArgs: [], provider }, hre);
      console.log(`${provider}: ${target.contract} at ${target.address}: ${ok ? "verified" : "not verified"}`);
    } catch (error) {
      failed = true;
      console.error(`${provider}: ${target.contract} at ${target.address}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
if (failed) process.exitCode = 1;
