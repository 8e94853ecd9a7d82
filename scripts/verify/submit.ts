/**
 * `npm run verify -- --network X`: submits the sources of the deployed CampaignFactory and Campaign
 * implementation to every verifier enabled in hardhat.config.ts (Etherscan family, Blockscout,
 * Sourcify) through hardhat-verify. The addresses come from @bascule/core/deployments: the chain's
 * journal, else the deterministic CREATE2 ones (the same on every chain).
 *
 * Runs under `hardhat --build-profile production`: hardhat-verify's input (and the build info it
 * falls back on) is then the `production` profile's compilation job of each contract, which holds
 * its own sources only. Refuses to submit anything else (a test contract, say).
 */
import hre from "hardhat";
import { verifyContract } from "@nomicfoundation/hardhat-verify/verify";
import { deploymentOf } from "@bascule/core/deployments";
import { artifactResolver } from "../lib/deployment.js";
import { type PublishedContract, unpublishedSources, verificationInput } from "./input.js";

const { provider } = await hre.network.connect();
const deployment = deploymentOf(Number(await provider.request({ method: "eth_chainId" })));
const [factory, implementation] = [deployment.CampaignFactory.address, deployment.Campaign.address];
const targets: { address: `0x${string}`; name: PublishedContract }[] = [
  { address: factory, name: "CampaignFactory" },
  { address: implementation, name: "Campaign" },
];
for (const { name } of targets) {
  const { input } = await verificationInput(name);
  const extra = unpublishedSources(input);
  if (extra.length > 0)
    throw new Error(`${name}: the verification input holds unpublished sources: ${extra.join(", ")}`);
  // The build info hardhat-verify falls back on must be as clean (throws otherwise).
  await artifactResolver().getBuildInfo(name);
}
const providers = (["etherscan", "blockscout", "sourcify"] as const).filter((p) => hre.config.verify[p].enabled);
let failed = false;
for (const { address, name } of targets) {
  const contract = `contracts/${name}.sol:${name}`;
  for (const provider of providers) {
    try {
      const ok = await verifyContract({ address, contract, constructorArgs: [], provider }, hre);
      console.log(`${provider}: ${contract} at ${address}: ${ok ? "verified" : "not verified"}`);
    } catch (error) {
      failed = true;
      console.error(
        `${provider}: ${contract} at ${address}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
if (failed) process.exitCode = 1;
