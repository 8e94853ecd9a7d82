/**
 * 001: the CampaignFactory (and through it the Campaign implementation), at the same address on
 * every chain through the deterministic deployment proxy. Tags: core, factory.
 */
import { deployBascule } from "../scripts/lib/deployment.js";
import type { DeployStep } from "./run.js";

const step: DeployStep = {
  tags: ["core", "factory"],
  async run({ rpcUrl, privateKey, log }) {
    const result = await deployBascule({ rpcUrl, privateKey, log });
    return { CampaignFactory: result.factory, Campaign: result.implementation };
  },
};
export default step;
