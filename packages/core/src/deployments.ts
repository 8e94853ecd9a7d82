/**
 * Where Bascule's contracts are on each chain: a lookup in the generated table
 * (generated/deployments.ts, written by `npm run build` from the Ignition module's CREATE2
 * prediction and the public chains' journals).
 */
import type { Address } from "viem";
import { deployments } from "./generated/deployments.ts";

export { deployments };

/** A chain id the table knows. */
export type DeployedChainId = keyof typeof deployments;

/** The contracts of one chain: the factory (and the block it was deployed at, when known) and the implementation. */
export interface Deployment {
  CampaignFactory: { address: Address; deployedOnBlock?: number };
  Campaign: { address: Address };
}

/** The local Hardhat chain, whose entry is the CREATE2 prediction for this build. */
export const LOCAL_CHAIN_ID = 31337;

/**
 * The deployment on `chainId`: the chain's journal entry when there is one, otherwise the CREATE2
 * addresses of this build, which are the same on every chain where the Ignition module deployed
 * them (`npm run deploy`, `npm run deploy:network`).
 * @example deploymentOf(84532).CampaignFactory.address
 */
export function deploymentOf(chainId: number): Deployment {
  const table = deployments as Record<number, Deployment>;
  return table[chainId] ?? table[LOCAL_CHAIN_ID];
}

/**
 * The factory a tool talks to when it is given none (callers keep their `FACTORY=` override first).
 * @example const factory = (env.FACTORY as Address | undefined) ?? defaultFactory(chainId);
 */
export function defaultFactory(chainId: number): Address {
  return deploymentOf(chainId).CampaignFactory.address;
}
