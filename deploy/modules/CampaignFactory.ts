/**
 * Module `CampaignFactory`: the factory, deployed with Ignition's `create2` strategy (CreateX and
 * the salt of deploy/salt.ts: the same address on every chain), and the Campaign implementation
 * it creates in its constructor, recorded with `contractAt` so the deployment lists both.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export default buildModule("CampaignFactory", (m) => {
  const factory = m.contract("CampaignFactory");
  const implementationAddress = m.staticCall(factory, "implementation", [], 0, { id: "implementation" });
  const implementation = m.contractAt("Campaign", implementationAddress);
  return { factory, implementation };
});
